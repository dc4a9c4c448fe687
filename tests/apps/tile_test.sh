#!/usr/bin/env bash
# alloyml-augment tile as a user runs it (issue 24; Luo et al.'s SS-3000): tile counts and offsets,
# labels kept, a data bar cut, the manifest's source column, and a classifier trained on the tiles
# with data.split.group_by=source whose split keeps every micrograph's tiles on one side.
set -euo pipefail
bin=$1; src=$2
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
"$bin/alloyml-augment" synth -o "$work/data" -n 6 --size 96 --quiet > /dev/null
out=$("$bin/alloyml-augment" tile -i "$work/data" -o "$work/tiles" --size 32 --focus 0 --blank-std 0 --quiet)
grep -q "cut 36 images into 324 tiles of 32 px" <<<"$out" || { echo "FAIL: 36 images of 96 px should give 9 tiles each: $out"; exit 1; }
[ "$(tail -n +2 "$work/tiles/manifest.csv" | wc -l)" -eq 324 ] || { echo "FAIL: manifest rows"; exit 1; }
grep -q "^crazing/crazing_1_y64_x32.png,crazing,.*/crazing_1.png,32,64$" "$work/tiles/manifest.csv" || { echo "FAIL: offsets"; exit 1; }
[ "$(ls "$work/tiles/scratches" | wc -l)" -eq 54 ] || { echo "FAIL: labels not kept as folders"; exit 1; }
"$bin/alloyml-augment" tile -i "$work/data" -o "$work/cut" --size 32 --stride 16 --crop-bottom 40 --focus 0 --blank-std 0 --quiet \
  | grep -q "into 360 tiles.*data bar removed from 36 images" || { echo "FAIL: 56 rows left, stride 16: 2 x 5 tiles each"; exit 1; }
echo "ok: tile counts, offsets, labels and the cut data bar"

"$bin/alloyml-train" -c "$src/configs/smoke/tiny.json" --set "data.root=$work/tiles/manifest.csv" --set data.split.group_by=source \
  --set input.size=32 --set train.epochs=1 --set data.split.val=0.2 --set data.split.test=0.2 --out "$work/run" --quiet > /dev/null
/usr/bin/python3 - "$work/run/split.csv" "$work/tiles/manifest.csv" <<'PY'
import csv, os, sys
split = {os.path.basename(r["source"]): r["split"] for r in csv.DictReader(open(sys.argv[1]))}
sides = {}
for r in csv.DictReader(open(sys.argv[2])):
    sides.setdefault(r["source"], set()).add(split[os.path.basename(r["path"])])
mixed = [s for s, parts in sides.items() if len(parts) > 1]
assert not mixed, f"micrographs split across parts: {mixed[:3]}"
assert {p for parts in sides.values() for p in parts} == {"train", "val", "test"}
print(f"ok: {len(sides)} micrographs, each on one side of the split")
PY
rc=0; out=$("$bin/alloyml-train" -c "$src/configs/smoke/tiny.json" --set "data.root=$work/data" --set data.split.group_by=source \
  --out "$work/bad" 2>&1) || rc=$?
[ "$rc" -eq 2 ] && grep -q "group_by 'source' needs a CSV manifest" <<<"$out" || { echo "FAIL: group_by on a folder gave $rc: $out"; exit 1; }
echo "ok: group_by without a manifest is an error naming the key"

# A held-out image that is a copy of a training image is counted and warned about.
mkdir -p "$work/heldout"
cp "$work/data/crazing_2.png" "$work/heldout/crazing_77.png"
cp "$work/data/scratches_3.png" "$work/heldout/scratches_78.png"
"$bin/alloyml-augment" synth -o "$work/other" -n 1 --size 96 --seed 5 --quiet > /dev/null
cp "$work/other/patches_1.png" "$work/heldout/patches_79.png"
out=$("$bin/alloyml-train" -c "$src/configs/smoke/tiny.json" --set "data.train=$work/data" --set "data.test=$work/heldout" \
  --set input.size=32 --set train.epochs=1 --out "$work/dup" 2>&1)
grep -q "2 held-out image(s) look almost identical to a training image" <<<"$out" || { echo "FAIL: no near-duplicate warning: $out"; exit 1; }
/usr/bin/python3 -c "import json, sys; n = json.load(open(sys.argv[1]))['near_duplicates_across_split']; assert n['count'] == 2, n" \
  "$work/dup/summary.json"
echo "ok: copies of training images among the held-out ones are warned about and counted"
