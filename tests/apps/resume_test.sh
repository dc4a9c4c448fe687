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
strip() { sed 's/,"seconds":[^}]*//' "$1"; }

"${train[@]}" --out "$work/a" >/dev/null
"${train[@]}" --out "$work/b" >/dev/null
diff <(strip "$work/a/metrics.jsonl") <(strip "$work/b/metrics.jsonl") || { echo "FAIL: same seed, different metrics"; exit 1; }
echo "ok: two runs with the same seed wrote identical metrics"

for sig in KILL INT; do
  out="$work/killed-$sig"
  "${train[@]}" --out "$out" >/dev/null 2>&1 &
  pid=$!
  # Wait for two finished epochs, then stop the run in the middle of the third.
  for _ in $(seq 1 3000); do
    [ -f "$out/metrics.jsonl" ] && [ "$(wc -l < "$out/metrics.jsonl")" -ge 2 ] && break
    sleep 0.01
  done
  kill -s "$sig" "$pid" 2>/dev/null || true
  rc=0; wait "$pid" || rc=$?
  if [ "$rc" -eq 0 ]; then echo "FAIL: the run finished before SIG$sig; make it longer"; exit 1; fi
  [ "$sig" = INT ] && [ "$rc" -ne 130 ] && { echo "FAIL: SIGINT should exit 130, got $rc"; exit 1; }
  [ -f "$out/checkpoints/last.pt" ] || { echo "FAIL: no checkpoint after SIG$sig"; exit 1; }
  "$bin/alloyml-train" --resume --out "$out" --quiet >/dev/null
  diff <(strip "$work/a/metrics.jsonl") <(strip "$out/metrics.jsonl") || { echo "FAIL: resumed run after SIG$sig differs"; exit 1; }
  echo "ok: run stopped by SIG$sig (exit $rc) and resumed matches the uninterrupted run"
done
if [[ " $* " == *adaptive_gmean* ]]; then
  grep -q '"loss_weight_' "$work/a/metrics.jsonl" || { echo "FAIL: no adaptive loss weights in metrics.jsonl"; exit 1; }
  [ -f "$work/a/loss_weights.png" ] || { echo "FAIL: no loss-weight plot in the report"; exit 1; }
  echo "ok: the adaptive loss logged its weights and the report plots them"
fi
