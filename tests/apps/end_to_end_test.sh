#!/usr/bin/env bash
# The commands as a user chains them: synth -> train -> eval -> predict -> preprocess.
set -euo pipefail
bin=$1; src=$2
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
"$bin/alloyml-augment" synth -o "$work/data" -n 12 --size 48 --quiet
# A file cut short among good ones (it once decoded as a grey image and was trained on).
head -c 700 "$work/data/crazing_1.png" > "$work/data/crazing_99.png"
"$bin/alloyml-train" -c "$src/configs/smoke/tiny.json" --set "data.root=$work/data" --set input.size=48 \
  --set train.epochs=2 --out "$work/run" --threads 1 > "$work/train.out" 2>&1
grep -q "Results on the test split" "$work/train.out"
grep -q "skipping unreadable image .*crazing_99.png: truncated PNG" "$work/train.out"
python3 -c "import json, sys; s = json.load(open(sys.argv[1])); assert [p[-14:] for p in s['skipped']] == ['crazing_99.png'], s" \
  "$work/run/summary.json"
# split.csv keeps the unreadable image's row (so indices hold on --resume) but in no part.
grep -q "crazing_99.png,,,crazing,skipped$" "$work/run/split.csv" || { cat "$work/run/split.csv"; exit 1; }
"$bin/alloyml-eval" --run "$work/run" --split val --out "$work/eval.json" --quiet | grep -q "accuracy"
grep -q '"macro_f1"' "$work/eval.json"
"$bin/alloyml-eval" --run "$work/run" --data "$work/data" --quiet > /dev/null
test -f "$work/run/eval_data.json"
"$bin/alloyml-predict" --run "$work/run" --input "$work/data" --topk 2 --quiet > "$work/pred.csv"
head -1 "$work/pred.csv" | grep -q "^path,label,score,label_2,score_2,error$"
[ "$(wc -l < "$work/pred.csv")" -eq 74 ]
grep -q "crazing_99.png,,,,,unreadable image: truncated PNG" "$work/pred.csv"
"$bin/alloyml-predict" --run "$work/run" --input "$work/data/crazing_1.png" --logits --output "$work/p.jsonl" --quiet
grep -q '"logits":\[' "$work/p.jsonl"
# A run written by an older version (model.json without the keys added since) still predicts.
cp -r "$work/run" "$work/old"
python3 -c "import json, sys; p = sys.argv[1]; m = json.load(open(p)); [m['model'].pop(k, None) for k in ('head', 'hidden', 'stages', 'dropout')]; json.dump(m, open(p, 'w'))" \
  "$work/old/model.json"
"$bin/alloyml-predict" --run "$work/old" --input "$work/data/crazing_1.png" --quiet | grep -q "^.*crazing_1.png,[a-z_-]*,[0-9.]*,$"
"$bin/alloyml-augment" preprocess -i "$work/data" -o "$work/pre" --quiet > /dev/null
test -f "$work/pre/crazing_1.png" && test -f "$work/pre/crazing_1_otsu.png" || { echo "FAIL: end_to_end_test.sh line 31"; exit 1; }
"$bin/alloyml-train" -c "$src/configs/smoke/tiny.json" --set "data.root=$work/data" --set input.size=48 \
  --set model.name=glcm_svm --out "$work/glcm" --quiet > "$work/glcm.out"
grep -q "Results on the test split" "$work/glcm.out"
test -f "$work/glcm/checkpoints/glcm_svm.yml" && test -f "$work/glcm/report.html" || { echo "FAIL: end_to_end_test.sh line 35"; exit 1; }
grep -q 'href="summary.json"' "$work/glcm/report.html" && ! grep -q "<pre>" "$work/glcm/report.html" ||
  { echo "FAIL: line 36 of $0"; exit 1; }
"$bin/alloyml-eval" --run "$work/glcm" --quiet | grep -q "accuracy"
[ "$(cd "$work" && "$bin/alloyml-predict" --run glcm --input data --quiet | wc -l)" -eq 74 ]
# --ensemble: a run with itself scores as the run alone; a CNN and the GLCM+SVM together evaluate
# and predict; a run of other classes, and --cam with an ensemble, stop with exit 2.
"$bin/alloyml-eval" --run "$work/run" --ensemble "$work/run" --out "$work/self.json" --quiet > /dev/null
"$bin/alloyml-eval" --run "$work/run" --out "$work/alone.json" --quiet > /dev/null
python3 -c "import json, sys; a, b = (json.load(open(f))['accuracy'] for f in sys.argv[1:]); assert a == b, (a, b)" "$work/self.json" "$work/alone.json"
"$bin/alloyml-eval" --run "$work/run" --ensemble "$work/glcm" --quiet | grep -q "accuracy"
[ "$("$bin/alloyml-predict" --run "$work/run" --ensemble "$work/glcm" --input "$work/data" --quiet | wc -l)" -eq 74 ]
mkdir -p "$work/other"
cp "$work/data/crazing_"*.png "$work/data/patches_"*.png "$work/other/"
rm -f "$work/other/crazing_99.png"
"$bin/alloyml-train" -c "$src/configs/smoke/tiny.json" --set "data.root=$work/other" --set input.size=48 --set train.epochs=1 \
  --out "$work/two" --threads 1 --quiet > /dev/null
rc=0; out=$("$bin/alloyml-eval" --run "$work/run" --ensemble "$work/two" 2>&1) || rc=$?
[ "$rc" -eq 2 ] && grep -q "are not those of" <<<"$out" || { echo "FAIL: ensemble of other classes: $rc $out"; exit 1; }
rc=0; out=$("$bin/alloyml-predict" --run "$work/run" --ensemble "$work/glcm" --input "$work/data" --cam "$work/cams" 2>&1) || rc=$?
[ "$rc" -eq 2 ] && grep -q "explains one network" <<<"$out" || { echo "FAIL: --cam with --ensemble: $rc $out"; exit 1; }
# The reproduction table (scripts/reproduce/microstructure.sh) on real summaries: the paper's figures
# beside ours; these synthetic classes are not the paper's, so its per-class table follows.
mkdir -p "$work/rep/vgg19" "$work/rep/glcm_svm"
cp "$work/run/summary.json" "$work/rep/vgg19/" && cp "$work/glcm/summary.json" "$work/rep/glcm_svm/"
echo "vgg19: no ImageNet weights in '(none given)', trained from scratch" > "$work/rep/notes.txt"
python3 "$src/scripts/reproduce/microstructure_table.py" "$work/rep" vgg19,glcm_svm "$work/rep/notes.txt" > "$work/table.md"
grep -q "^| vgg19 (from scratch) | [0-9.]* | .* | - | 92.13 |$" "$work/table.md"
grep -q "^| glcm_svm | .* | 97.82 - 2.13 |$" "$work/table.md"
grep -q "^| SE-ResNeXt101-TL | 92.53 / 0.953 | 94.25 / 0.966 | 99.21 / 0.994 | 99.16 / 0.983 | 99.04 / 0.989 |$" "$work/table.md"
echo "ok: synth, train, eval, predict and preprocess worked end to end, for a CNN and for glcm_svm"
