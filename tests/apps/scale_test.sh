#!/usr/bin/env bash
# Physical scale (issue 36), as a user meets it: a manifest with each image's micrometres per pixel,
# a run trained at input.um_per_px, predict that takes the scale from --um-per-px or a CSV and
# refuses to guess, and the error paths, each with exit 2.
#   scale_test.sh BIN SRC
set -euo pipefail
bin=$1; src=$2
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
cd "$work"
fail() { echo "FAIL: $*"; exit 1; }
expect2() {  # expect2 PATTERN CMD...: exit code 2 and PATTERN in the output
  local pattern=$1; shift
  local rc=0 out
  out=$("$@" 2>&1) || rc=$?
  [ "$rc" -eq 2 ] || fail "exit $rc (wanted 2) from $*: $out"
  grep -q -- "$pattern" <<<"$out" || fail "no '$pattern' in: $out"
}

"$bin/alloyml-augment" synth -o img -n 4 --size 48 --quiet > /dev/null
python3 - <<'PY'
import os
files = sorted(f for f in os.listdir("img") if f.endswith(".png"))
rows = ["path,label,um_per_px"] + [f"img/{f},{f.rsplit('_', 1)[0]},{0.5 if k % 2 else 1.0}" for k, f in enumerate(files)]
open("manifest.csv", "w").write("\n".join(rows) + "\n")
rows[3] = rows[3].rsplit(",", 1)[0] + ","
open("gap.csv", "w").write("\n".join(rows) + "\n")
PY
run=(-c "$src/configs/smoke/tiny.json" --set input.size=32 --set train.epochs=1 --set model.width=8 --threads 1 --quiet)
"$bin/alloyml-train" "${run[@]}" --set data.root=manifest.csv --set data.scale_column=um_per_px --set input.um_per_px=0.75 \
  --out scaled > /dev/null 2> train.err || { cat train.err; fail "training at a physical scale"; }
python3 -c "import json; m = json.load(open('scaled/model.json')); assert m['um_per_px'] == 0.75 and m['scale_column'] == 'um_per_px', m"
expect2 "give --um-per-px SCALE" "$bin/alloyml-predict" --run scaled --input img --quiet
"$bin/alloyml-predict" --run scaled --input img --um-per-px 0.5 --quiet > by_flag.csv
[ "$(wc -l < by_flag.csv)" -eq 25 ] || fail "predict --um-per-px rows: $(wc -l < by_flag.csv)"
"$bin/alloyml-predict" --run scaled --input manifest.csv --quiet > by_csv.csv
[ "$(wc -l < by_csv.csv)" -eq 25 ] || fail "predict from the CSV's scales: $(wc -l < by_csv.csv)"
"$bin/alloyml-eval" --run scaled --quiet > /dev/null || fail "eval of a run at a physical scale"
echo "ok: a run at a physical scale trains, evaluates and predicts from --um-per-px or a CSV"

# Whole micrographs: random crops in training, tiles covering each image in eval and predict
# (augment.test_time tiles+flip); one row per image, its scores the tiles' mean probabilities.
"$bin/alloyml-train" "${run[@]}" --set data.root=manifest.csv --set data.scale_column=um_per_px --set input.um_per_px=0.4 \
  --set augment.random_crop=true --set augment.test_time=tiles+flip --out tiled > /dev/null 2> tiled.err \
  || { cat tiled.err; fail "training with tiles"; }
"$bin/alloyml-predict" --run tiled --input manifest.csv --logits --output tiled.jsonl --quiet
python3 - <<'PY' || fail "tiled predictions"
import json, math
rows = [json.loads(l) for l in open("tiled.jsonl")]
assert len(rows) == 24, len(rows)
for r in rows:
    total = sum(math.exp(v) for v in r["logits"])
    assert abs(total - 1) < 1e-3, (r["path"], total)  # log of the tiles' mean probabilities
print("ok: one row per tiled image, its logits the log of the tiles' mean probabilities")
PY
"$bin/alloyml-eval" --run tiled --quiet > /dev/null || fail "eval with tiles"

expect2 "set data.scale_column" "$bin/alloyml-train" "${run[@]}" --set data.root=manifest.csv --set input.um_per_px=0.75 --out a
expect2 "gap.csv:4" "$bin/alloyml-train" "${run[@]}" --set data.root=gap.csv --set data.scale_column=um_per_px \
  --set input.um_per_px=0.75 --out b
expect2 "no column 'scale'" "$bin/alloyml-train" "${run[@]}" --set data.root=manifest.csv --set data.scale_column=scale \
  --set input.um_per_px=0.75 --out c
expect2 "leave input.resize 0" "$bin/alloyml-train" "${run[@]}" --set data.root=manifest.csv --set data.scale_column=um_per_px \
  --set input.um_per_px=0.75 --set input.resize=64 --out d
"$bin/alloyml-train" "${run[@]}" --set data.root=manifest.csv --out plain > /dev/null 2>&1 || fail "training without a scale"
expect2 "trained without a physical scale" "$bin/alloyml-predict" --run plain --input img --um-per-px 0.5 --quiet
echo "ok: scale error paths"
