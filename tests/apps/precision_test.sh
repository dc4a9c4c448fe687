#!/usr/bin/env bash
# --precision as a user meets it: a small model trained in bf16 reaches the accuracy of fp32 on
# synthetic data, a bf16-trained run evaluates in fp32 (checkpoints are fp32), and "auto" picks
# fp32 on a CPU without bf16 instructions (detection mocked through ALLOYML_CPU_FLAGS).
set -euo pipefail
bin=$1; src=$2
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
"$bin/alloyml-augment" synth -o "$work/data" -n 60 --size 64 --quiet > /dev/null
train() {  # out precision
  "$bin/alloyml-train" -c "$src/configs/surface_defect/demo.json" --set "data.root=$work/data" \
    --out "$work/$1" --precision "$2" --quiet > /dev/null
}
train fp32 fp32
train bf16 bf16
acc() { python3 -c "import json,sys; s=json.load(open(sys.argv[1])); print(s['test']['accuracy'])" "$1"; }
grep -q '"precision": "bf16"' "$work/bf16/summary.json"
grep -q '"precision": "fp32"' "$work/fp32/summary.json"
a32=$(acc "$work/fp32/summary.json"); a16=$(acc "$work/bf16/summary.json")
echo "test accuracy: fp32 $a32, bf16 $a16"
python3 -c "import sys; a, b = map(float, sys.argv[1:]); assert a >= 0.9 and abs(a - b) <= 0.05, (a, b)" "$a32" "$a16"
# Trained in bf16, evaluated in fp32 and in bf16: the same answers within a hair.
"$bin/alloyml-eval" --run "$work/bf16" --precision fp32 --out "$work/e32.json" --quiet > /dev/null
"$bin/alloyml-eval" --run "$work/bf16" --precision bf16 --out "$work/e16.json" --quiet > /dev/null
python3 -c "import json,sys; a, b = (json.load(open(p))['accuracy'] for p in sys.argv[1:]); assert abs(a - b) <= 0.03, (a, b)" \
  "$work/e32.json" "$work/e16.json"
# auto, with the CPU's flags mocked.
ALLOYML_CPU_FLAGS="fpu sse2 avx2 avx512f" "$bin/alloyml-train" -c "$src/configs/surface_defect/demo.json" \
  --set "data.root=$work/data" --set train.epochs=1 --out "$work/auto_old" --quiet > /dev/null
grep -q '"precision": "fp32"' "$work/auto_old/summary.json"
grep -q '"precision_reason": "auto: the CPU reports neither amx_bf16 nor avx512_bf16"' "$work/auto_old/summary.json"
ALLOYML_CPU_FLAGS="fpu avx512f avx512_bf16 amx_bf16" "$bin/alloyml-train" -c "$src/configs/surface_defect/demo.json" \
  --set "data.root=$work/data" --set train.epochs=1 --out "$work/auto_new" --quiet > /dev/null
grep -q '"precision": "bf16"' "$work/auto_new/summary.json"
grep -q 'Arithmetic: <b>bf16</b> (auto: the CPU reports amx_bf16 and avx512_bf16)' "$work/auto_new/report.html"
echo "ok: bf16 training matches fp32, cross-precision evaluation, auto with mocked CPU flags"
