#!/usr/bin/env bash
# alloyml-predict with an imported .pth (made by python3-torchvision), its error paths, and
# --export of a trained run loaded back by Python. Skips (exit 0 with a note) without the peers.
set -euo pipefail
bin=$1; src=$2
if ! /usr/bin/python3 -c 'import torchvision' 2>/dev/null; then echo "SKIPPED: python3-torchvision is not installed"; exit 0; fi
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
/usr/bin/python3 "$src/tests/weights/make_reference.py" "$work" model resnet18 > /dev/null
"$bin/alloyml-augment" synth -o "$work/img" -n 1 --size 224 --quiet
"$bin/alloyml-predict" --model resnet18 --weights "$work/resnet18.pth" --num-classes 10 --input "$work/img" \
  --logits --output "$work/p.jsonl" --quiet
[ "$(wc -l < "$work/p.jsonl")" -eq 6 ]
grep -q '"logits":\[[^]]*,[^]]*\]' "$work/p.jsonl"
echo "ok: an imported torchvision resnet18 classified 6 images"

set +e
out=$("$bin/alloyml-predict" --model resnet18 --weights "$work/resnet18.pth" --input "$work/img" 2>&1); rc=$?
set -e
[ "$rc" -eq 2 ] && grep -q "num-classes" <<<"$out" || { echo "FAIL: wrong class count: rc $rc: $out"; exit 1; }
printf 'garbage' > "$work/bad.pth"
set +e
out=$("$bin/alloyml-predict" --model resnet18 --weights "$work/bad.pth" --input "$work/img" 2>&1); rc=$?
set -e
[ "$rc" -eq 2 ] && grep -q "bad.pth: not a PyTorch weight file" <<<"$out" || { echo "FAIL: garbage: rc $rc: $out"; exit 1; }
echo "ok: wrong class count and garbage weights exit 2 with the file named"

"$bin/alloyml-augment" synth -o "$work/data" -n 8 --size 32 --quiet
"$bin/alloyml-train" -c "$src/configs/smoke/tiny.json" --set "data.root=$work/data" --set input.size=32 \
  --set train.epochs=1 --set model.name=resnet18 --set model.width=64 --set input.channels=3 --set 'input.mean=[0.5]' \
  --set 'input.std=[0.25]' --out "$work/run" --quiet > /dev/null
"$bin/alloyml-predict" --run "$work/run" --export "$work/exported.pth" --quiet | grep -q "wrote"
/usr/bin/python3 - "$work/exported.pth" <<'PY'
import sys, torch, torchvision
m = torchvision.models.resnet18(num_classes=6)
m.load_state_dict(torch.load(sys.argv[1]))  # strict
PY
cmp -s "$work/run/model.pth" "$work/exported.pth" || /usr/bin/python3 -c "import torch,sys; torch.load('$work/run/model.pth')"
echo "ok: an exported run loads into torchvision's resnet18 (strict)"
