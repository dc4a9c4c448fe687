#!/usr/bin/env bash
# alloyml-augment mosaic as a user runs it: labels kept (one folder per class), the input size,
# the count, the same output for the same seed, and the result trains like any image folder.
set -euo pipefail
bin=$1
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
"$bin/alloyml-augment" synth -o "$work/data" -n 4 --size 48 --quiet > /dev/null
"$bin/alloyml-augment" mosaic -i "$work/data" -o "$work/m1" --count 12 --seed 3 --quiet | grep -q "wrote 12 mosaic images of 6 classes"
"$bin/alloyml-augment" mosaic -i "$work/data" -o "$work/m2" --count 12 --seed 3 --quiet > /dev/null
[ "$(find "$work/m1" -name '*.png' | wc -l)" -eq 12 ]
[ "$(ls "$work/m1/crazing" | wc -l)" -eq 2 ] && [ -f "$work/m1/scratches/mosaic_5.png" ]
diff -r "$work/m1" "$work/m2" > /dev/null || { echo "FAIL: same seed, different mosaics"; exit 1; }
python3 -c "import struct,sys; d = open(sys.argv[1], 'rb').read(24); assert struct.unpack('>II', d[16:24]) == (48, 48), d" \
  "$work/m1/crazing/mosaic_0.png"
"$bin/alloyml-augment" mosaic -i "$work/data" -o "$work/f" --count 6 --fusion --quiet | grep -q "wrote 6 fusion images"
[ -f "$work/f/patches/fusion_2.png" ]
rc=0; out=$("$bin/alloyml-augment" mosaic -i "$work/data" -o "$work/bad" --count 0 2>&1) || rc=$?
[ "$rc" -eq 2 ] && grep -q "count" <<<"$out" || { echo "FAIL: --count 0 gave exit $rc: $out"; exit 1; }
echo "ok: mosaics and fusions keep labels, size and count, reproducibly"
