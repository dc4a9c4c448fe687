#!/usr/bin/env bash
# Huang et al.'s classical baselines (Fig. 17) as a user runs them: each model name trains on
# synthetic defects, beats chance on the test split, and its run evaluates and predicts; a model
# whose features cannot be computed at the input size stops with exit 2 and says why.
set -euo pipefail
bin=$1; src=$2
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
"$bin/alloyml-augment" synth -o "$work/data" -n 16 --size 64 --quiet
"$bin/alloyml-train" --list-models | grep -q "^gabor_knn "
for model in gabor_svm gabor_knn lbp_svm hog_svm; do
  "$bin/alloyml-train" -c "$src/configs/smoke/tiny.json" --set "data.root=$work/data" --set input.size=64 \
    --set "model.name=$model" --out "$work/$model" --quiet > "$work/$model.out"
  test -f "$work/$model/checkpoints/$model.yml" && test -f "$work/$model/report.html" || { echo "FAIL: classical_test.sh line 13"; exit 1; }
  python3 - "$work/$model/summary.json" "$model" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
model = sys.argv[2]
assert s["model"] == model, s["model"]
assert s["test"]["accuracy"] > 0.5, (model, s["test"]["accuracy"])  # six classes: chance is 1/6
kind, classifier = model.split("_")
assert s["features"]["kind"] == kind and s["features"]["per_image"] > 0, s["features"]
assert ("k" if classifier == "knn" else "C") in s[classifier], s[classifier]
PY
  # eval reproduces the test figure the run wrote; predict gives a row per image.
  "$bin/alloyml-eval" --run "$work/$model" --split test --out "$work/$model.eval.json" --quiet > /dev/null
  python3 -c "import json, sys; a = json.load(open(sys.argv[1]))['accuracy']; b = json.load(open(sys.argv[2]))['test']['accuracy']; assert abs(a - b) < 1e-9, (a, b)" \
    "$work/$model.eval.json" "$work/$model/summary.json"
  [ "$("$bin/alloyml-predict" --run "$work/$model" --input "$work/data" --quiet | wc -l)" -eq 97 ]
done
# 16 px is smaller than one HOG block of two 16 px cells.
set +e
"$bin/alloyml-train" -c "$src/configs/smoke/tiny.json" --set "data.root=$work/data" --set input.size=16 \
  --set model.name=hog_svm --out "$work/small" --quiet > "$work/small.out" 2>&1
rc=$?
set -e
[ "$rc" -eq 2 ] || { cat "$work/small.out"; exit 1; }
grep -q "fewer cells of 16 px than a block of 2" "$work/small.out"
echo "ok: gabor_svm, gabor_knn, lbp_svm and hog_svm train, evaluate and predict; too small an input exits 2"
