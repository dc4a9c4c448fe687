#!/usr/bin/env bash
# alloyml-augment quantify and alloyml-predict --quantify as a user runs them (issue 24; Huang et
# al. 2023, Table 7): the three CSVs agree with each other, one overlay per image, a damaged file
# is skipped and named, and prediction rows carry each image's measures.
set -euo pipefail
bin=$1; src=$2
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
"$bin/alloyml-augment" synth -o "$work/data" -n 4 --size 64 --quiet > /dev/null
printf 'not an image' > "$work/data/crazing_99.png"
out=$("$bin/alloyml-augment" quantify -i "$work/data" -o "$work/q" --quiet 2>&1)
grep -q "measured 24 images" <<<"$out" && grep -q "1 unreadable image(s) skipped" <<<"$out" || { echo "FAIL: $out"; exit 1; }
grep -q "crazing_99.png" <<<"$out" || { echo "FAIL: the damaged file is not named: $out"; exit 1; }
[ "$(tail -n +2 "$work/q/classes.csv" | wc -l)" -eq 6 ] || { echo "FAIL: classes.csv should have 6 classes"; exit 1; }
[ "$(tail -n +2 "$work/q/images.csv" | wc -l)" -eq 24 ] || { echo "FAIL: images.csv should have 24 rows"; exit 1; }
[ "$(ls "$work/q/overlays" | wc -l)" -eq 24 ] || { echo "FAIL: one overlay per image expected"; exit 1; }
/usr/bin/python3 - "$work/q" <<'PY'
import csv, sys
q = sys.argv[1]
regions = list(csv.DictReader(open(f"{q}/regions.csv")))
images = list(csv.DictReader(open(f"{q}/images.csv")))
classes = {r["class"]: r for r in csv.DictReader(open(f"{q}/classes.csv"))}
assert sum(int(i["regions"]) for i in images) == len(regions), "regions.csv and images.csv disagree"
for i in images:
    mine = [r for r in regions if r["image"] == i["image"]]
    area = sum(float(r["area"]) for r in mine)
    assert abs(area - float(i["defect_area"])) < 1e-6, i
    assert abs(float(i["area_ratio"]) - area / (64 * 64)) < 1e-4, i
for name, c in classes.items():
    rs = [r for r in regions if r["label"] == name]
    assert int(c["regions"]) == len(rs), name
    mean_area = sum(float(r["area"]) for r in rs) / len(rs)
    assert abs(float(c["area"]) - mean_area) < 0.06, (name, c["area"], mean_area)
print("ok: regions.csv, images.csv and classes.csv agree")
PY
rm "$work/data/crazing_99.png"
"$bin/alloyml-train" -c "$src/configs/smoke/tiny.json" --set "data.root=$work/data" --set train.epochs=1 --out "$work/run" --quiet > /dev/null
"$bin/alloyml-predict" --run "$work/run" --input "$work/data" --quantify --output "$work/p.csv" --quiet
head -1 "$work/p.csv" | grep -q "defect_regions,defect_area_ratio,defect_k,error" || { echo "FAIL: no measure columns"; exit 1; }
/usr/bin/python3 - "$work/p.csv" "$work/q/images.csv" <<'PY'
import csv, sys
pred = {r["path"]: r for r in csv.DictReader(open(sys.argv[1]))}
meas = {r["image"]: r for r in csv.DictReader(open(sys.argv[2]))}
assert len(pred) == 24
for path, r in pred.items():
    assert r["defect_regions"] == meas[path]["regions"] and r["defect_k"] == meas[path]["k"], (path, r)
print("ok: predict --quantify rows carry the same measures as quantify")
PY
rc=0; out=$("$bin/alloyml-augment" quantify -i "$work/nothing" -o "$work/x" 2>&1) || rc=$?
[ "$rc" -eq 2 ] && grep -q "nothing" <<<"$out" || { echo "FAIL: a missing input gave exit $rc: $out"; exit 1; }
echo "ok: quantify's errors exit 2 naming the input"
