#!/usr/bin/env bash
# Grouped k-fold cross-validation of an image classifier (issue 36), as a user runs it: a manifest
# whose "sample" column names each image's specimen (some empty: a group each), cv.folds 3; every
# specimen in one fold, every image held out once, a final model that predicts; the folds spread
# over two workers (--nproc 2) giving the same results; a fold result kept across --resume; and
# the error paths.
#   cv_test.sh BIN SRC
set -euo pipefail
bin=$1; src=$2
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
cd "$work"
fail() { echo "FAIL: $*"; exit 1; }

"$bin/alloyml-augment" synth -o img -n 6 --size 32 --quiet > /dev/null
# 36 images of 6 classes; specimens of up to 2 images, the last image of every class without one.
python3 - <<'PY'
import os
rows = ["path,label,sample"]
files = sorted(f for f in os.listdir("img") if f.endswith(".png"))
by_class = {}
for f in files:
    by_class.setdefault(f.rsplit("_", 1)[0], []).append(f)
for c, fs in sorted(by_class.items()):
    for k, f in enumerate(sorted(fs)):
        sample = "" if k == len(fs) - 1 else f"{c}-s{k // 2}"
        rows.append(f"img/{f},{c},{sample}")
open("manifest.csv", "w").write("\n".join(rows) + "\n")
PY
tiny=(-c "$src/configs/smoke/tiny.json" --set data.root=manifest.csv --set data.split.group_by=sample
      --set input.size=32 --set train.epochs=1 --set model.width=8 --set cv.folds=3 --threads 1)
"$bin/alloyml-train" "${tiny[@]}" --out cv > cv.out 2> cv.err || { cat cv.err; fail "cv training"; }
grep -q "Grouped 3-fold cross-validation" cv.out || fail "no fold table: $(cat cv.out)"
grep -q "have no sample (data.split.group_by); each of them is a group of its own" cv.err || fail "empty groups not reported: $(cat cv.err)"
for f in folds.csv oof_predictions.csv summary.json checkpoints/last.pt model.pth folds/1/result.json folds/3/result.json; do
  [ -e "cv/$f" ] || fail "cv/$f missing"
done
python3 - <<'PY' || exit 1
import csv, json, collections
folds = list(csv.DictReader(open("cv/folds.csv")))
assert len(folds) == 36, len(folds)
by_group = collections.defaultdict(set)
for r in folds:
    by_group[r["group"]].add(r["fold"])
assert all(len(v) == 1 for v in by_group.values()), "a group in two folds"
assert len(by_group) == 6 * 3 + 6, len(by_group)  # 3 specimens per class (2, 2 and 1 images), 6 ungrouped images
oof = list(csv.DictReader(open("cv/oof_predictions.csv")))
assert len(oof) == 36 and {r["path"] for r in oof} == {r["path"] for r in folds}, "not every image held out once"
s = json.load(open("cv/summary.json"))
cv = s["cv"]
assert cv["k"] == 3 and len(cv["folds"]) == 3 and cv["group_by"] == "sample", cv
assert abs(sum(f["images"] for f in cv["folds"]) - 36) == 0
accs = [f["accuracy"] for f in cv["folds"]]
mean = sum(accs) / 3
assert abs(cv["mean"]["accuracy"] - mean) < 1e-9, (cv["mean"], accs)
assert set(cv["recall"]) == {r["label"] for r in folds}
assert s["final"]["checkpoint"] == "last.pt"
print("ok: folds keep specimens whole, every image held out once, mean over folds")
PY
"$bin/alloyml-predict" --run cv --input img --quiet > pred.csv || fail "predict with the final model"
[ "$(wc -l < pred.csv)" -eq 37 ] || fail "predict rows: $(wc -l < pred.csv)"

# --nproc 2 spreads the folds and the final model over two workers (folds 1 and 3 and the final on
# rank 0 and 1 as job % 2): the same folds, results and final model as one process.
"$bin/alloyml-train" "${tiny[@]}" --nproc 2 --out spread > spread.out 2> spread.err || { cat spread.err; fail "cv over 2 workers"; }
grep -q "3 folds spread over 2 workers" spread.err || fail "not spread: $(cat spread.err)"
cmp -s cv/folds.csv spread/folds.csv || fail "other folds with --nproc 2"
python3 - <<'PY' || exit 1
import json
for f in (1, 2, 3):
    a, b = json.load(open(f"cv/folds/{f}/result.json")), json.load(open(f"spread/folds/{f}/result.json"))
    assert a["indices"] == b["indices"], f
    worst = max(abs(x - y) for p, q in zip(a["logits"], b["logits"]) for x, y in zip(p, q))
    assert worst < 1e-4, (f, worst)
a, b = json.load(open("cv/summary.json")), json.load(open("spread/summary.json"))
assert abs(a["cv"]["mean"]["accuracy"] - b["cv"]["mean"]["accuracy"]) < 1e-9, (a["cv"]["mean"], b["cv"]["mean"])
assert b["final"]["epochs"] == a["final"]["epochs"]
print("ok: folds spread over 2 workers give the single process's results")
PY
cmp -s <(sed 's/,"seconds":[^}]*//' cv/metrics.jsonl) <(sed 's/,"seconds":[^}]*//' spread/metrics.jsonl) ||
  fail "the final model trained on a worker differs: $(diff cv/metrics.jsonl spread/metrics.jsonl)"

# The GLCM+SVM baseline on the same folds (its hyper-parameters chosen on a grouped share of each
# fold's training images), then predicting with its final model.
"$bin/alloyml-train" "${tiny[@]}" --set model.name=glcm_svm --out glcm > glcm.out 2> glcm.err || { cat glcm.err; fail "glcm_svm cv"; }
cmp -s cv/folds.csv glcm/folds.csv || fail "GLCM+SVM and the CNN were not judged on the same folds"
python3 -c "import json; s = json.load(open('glcm/summary.json')); assert s['cv']['k'] == 3 and len(s['cv']['folds']) == 3, s['cv']"
"$bin/alloyml-predict" --run glcm --input img --quiet > glcm_pred.csv || fail "predict with the GLCM+SVM final model"
[ "$(wc -l < glcm_pred.csv)" -eq 37 ] || fail "GLCM+SVM predict rows"
echo "ok: GLCM+SVM cross-validated on the same folds"

# --resume keeps a fold that finished: drop fold 2's result and the final model's state.
cp cv/folds/1/result.json kept.json
rm cv/folds/2/result.json
"$bin/alloyml-train" --resume --out cv --threads 1 > resume.out 2> resume.err || { cat resume.err; fail "resume"; }
grep -q "fold 1/3: done before" resume.err || fail "fold 1 trained again: $(cat resume.err)"
cmp -s kept.json cv/folds/1/result.json || fail "fold 1's result changed on resume"
[ -e cv/folds/2/result.json ] || fail "fold 2 not trained again"
echo "ok: --resume keeps finished folds"

# Error paths: exit 2, naming the key.
rc=0; out=$("$bin/alloyml-train" "${tiny[@]}" --set cv.folds=1 --out bad1 2>&1) || rc=$?
[ "$rc" -eq 2 ] && grep -q "cv.folds' must be 0 (no cross-validation) or at least 2" <<<"$out" || fail "cv.folds 1: $rc $out"
rc=0; out=$("$bin/alloyml-train" "${tiny[@]}" --set cv.group_by=coil --out bad3 2>&1) || rc=$?
[ "$rc" -eq 2 ] && grep -q "coil" <<<"$out" || fail "cv.group_by of a missing column: $rc $out"
echo "ok: cv error paths"
