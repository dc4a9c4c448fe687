#!/usr/bin/env bash
# Same seed, same result; and a run killed (SIGKILL) or interrupted (SIGINT) and resumed
# ends with exactly the metrics of an uninterrupted run. Timing fields are left out of the
# comparison (they are the only fields that may differ).
# Extra arguments go to every training command (say, another model or loss whose state must resume).
set -euo pipefail
bin=$1; src=$2; shift 2
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
"$bin/alloyml-augment" synth -o "$work/data" -n 24 --size 48 --quiet
train=("$bin/alloyml-train" -c "$src/configs/smoke/tiny.json" --set "data.root=$work/data" --set input.size=48
       --set train.epochs=8 --set train.batch_size=12 --set model.width=32 --quiet "$@")
source "$(dirname "$0")/resume_lib.sh"

"${train[@]}" --out "$work/a" >/dev/null
"${train[@]}" --out "$work/b" >/dev/null
diff <(strip "$work/a/metrics.jsonl") <(strip "$work/b/metrics.jsonl") || { echo "FAIL: same seed, different metrics"; exit 1; }
echo "ok: two runs with the same seed wrote identical metrics"

RESUME=("$bin/alloyml-train" --resume --quiet)
check_stop_and_resume "$work/a/metrics.jsonl" "$work" -- "${train[@]}"
if [[ " $* " == *adaptive_gmean* ]]; then
  grep -q '"loss_weight_' "$work/a/metrics.jsonl" || { echo "FAIL: no adaptive loss weights in metrics.jsonl"; exit 1; }
  [ -f "$work/a/loss_weights.png" ] || { echo "FAIL: no loss-weight plot in the report"; exit 1; }
  echo "ok: the adaptive loss logged its weights and the report plots them"
fi
