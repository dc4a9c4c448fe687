#!/usr/bin/env bash
# The many-network comparison of the reproduction scripts (scripts/reproduce/networks.sh, used by
# neu.sh table1 and huang.sh table6-others): a network whose NET.pth is in the weights folder
# starts from it, one without trains from scratch and is marked so, a finished run is kept, and
# the table prints each network beside the paper's figure.
set -euo pipefail
bin=$1; src=$2
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
"$bin/alloyml-augment" synth -o "$work/data" -n 4 --size 32 --quiet > /dev/null
quick=(--set "data.root=$work/data" --set data.split.by=random --set input.size=32 --set train.epochs=1 --set train.batch_size=8 --quiet)
# A ghostnet_050 weight file, as a user would bring one (here: exported from a run).
"$bin/alloyml-train" -c "$src/configs/surface_defect/table_cpu.json" --set model.name=ghostnet_050 "${quick[@]}" --out "$work/src" > /dev/null
mkdir -p "$work/weights"
"$bin/alloyml-predict" --run "$work/src" --export "$work/weights/ghostnet_050.pth" --quiet > /dev/null
cd "$src"
source scripts/reproduce/networks.sh
train_networks "$work/out" configs/surface_defect/table_cpu.json "$work/weights" "$work/out/notes.txt" \
  ghostnet_050 squeezenet1_1 -- "${quick[@]}" > "$work/log" 2>&1
grep -q "loaded .* tensors" "$work/out/ghostnet_050/train.log" || { echo "FAIL: ghostnet_050 did not start from its file"; cat "$work/out/ghostnet_050/train.log"; exit 1; }
grep -q "^squeezenet1_1: .*trained from scratch" "$work/out/notes.txt" && ! grep -q "^ghostnet_050" "$work/out/notes.txt" ||
  { echo "FAIL: notes"; cat "$work/out/notes.txt"; exit 1; }
train_networks "$work/out" configs/surface_defect/table_cpu.json "$work/weights" "$work/out/notes.txt" \
  ghostnet_050 squeezenet1_1 -- "${quick[@]}" > "$work/log2" 2>&1
grep -q "== squeezenet1_1: done already" "$work/log2" || { echo "FAIL: a finished run was trained again"; cat "$work/log2"; exit 1; }
/usr/bin/python3 scripts/reproduce/networks_table.py "$work/out" ghostnet_050,squeezenet1_1,vgg16 "$work/out/notes.txt" \
  '{"ghostnet_050": "93.61"}' "test" > "$work/table.md"
grep -q "^| ghostnet_050 | [0-9.]* | [0-9.]* | [0-9.]* | - | - | 93.61 |$" "$work/table.md" &&
  grep -q "^| squeezenet1_1 (from scratch) | [0-9.]* |" "$work/table.md" && grep -q "^| vgg16 | not run |" "$work/table.md" ||
  { echo "FAIL: table"; cat "$work/table.md"; exit 1; }
# Spread over workers: two at a time on this machine, and as two torchrun/srun workers on one folder.
WORKERS=2 train_networks "$work/local" configs/surface_defect/table_cpu.json "" "$work/local/notes.txt" \
  squeezenet1_1 ghostnet_050 -- "${quick[@]}" > "$work/log3" 2>&1
for net in squeezenet1_1 ghostnet_050; do
  [ -s "$work/local/$net/summary.json" ] && [ -f "$work/local/$net.out" ] && grep -q "== started: $work/local/$net" "$work/log3" ||
    { echo "FAIL: WORKERS=2 did not train $net"; cat "$work/log3"; exit 1; }
done
for r in 0 1; do
  ( RANK=$r WORLD_SIZE=2 train_networks "$work/ranks" configs/surface_defect/table_cpu.json "" "$work/ranks/notes.txt" \
      squeezenet1_1 ghostnet_050 -- "${quick[@]}" > "$work/rank$r.log" 2>&1 ) &
done
wait
grep -q "== rank 0: $work/ranks/squeezenet1_1" "$work/rank0.log" && grep -q "== rank 1: $work/ranks/ghostnet_050" "$work/rank1.log" &&
  [ -s "$work/ranks/squeezenet1_1/summary.json" ] && [ -s "$work/ranks/ghostnet_050/summary.json" ] ||
  { echo "FAIL: spread over two workers"; cat "$work/rank0.log" "$work/rank1.log"; exit 1; }
echo "ok: weights found or marked from scratch, finished runs kept, the table beside the paper, runs spread over workers"
