#!/usr/bin/env bash
# The model zoo (issue 25): inference speed of each added network in alloyml (as alloyml-predict
# runs it: batch norms folded, oneDNN-packed, fp32 and bf16) against the same torchvision network
# in Debian's python3-torch eager, on the same input size, one network at a time, back to back.
# Per-image latency at batch 1 (median of single calls) and throughput at batch 32. The peer runs
# fp32 only (its bf16 autocast is slower than its fp32 on this CPU; bench/README.md). timm's
# networks (res2net50_26w_4s, ghostnet_100) have no peer here (python3-timm is not in Debian).
#   bench/zoo.sh [SECONDS] [NETS...]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-3}; shift || true
nets=("$@")
[ ${#nets[@]} -gt 0 ] || nets=(vgg16 densenet121 googlenet inception_v3 squeezenet1_1 mobilenet_v3_large mobilenet_v3_small
                              resnet101 resnext101_32x8d res2net50_26w_4s ghostnet_100)
source scripts/cpu.sh
scripts/setup.sh --peers > /dev/null
cmake --preset release -DALLOYML_BUILD_BENCH=ON > /dev/null
cmake --build --preset release -j "$(nproc)" --target alloyml-bench-deploy > /dev/null
out=${OUT:-build/bench-zoo.jsonl}
: > "$out"
for net in "${nets[@]}"; do
  size=224; [ "$net" = inception_v3 ] && size=299
  echo "$net ($size px)" >&2
  build/release/bin/alloyml-bench-deploy "$seconds" "$size" 3 "$net" >> "$out"
  case "$net" in res2net*|ghostnet*) ;; *)
    /usr/bin/python3 bench/reference_deploy.py --arch "$net" --size "$size" --channels 3 --seconds "$seconds" --precisions fp32 >> "$out" ;;
  esac
done
echo "$cpu_line"
/usr/bin/python3 - "$out" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
by = {(r["arch"], r["peer"], r["precision"]): r for r in rows}
print(f"3 channels, {rows[0]['threads']} threads; ms per image at batch 1 / images per second at batch 32")
print("| network | size | parameters | alloyml fp32 | torch eager fp32 | alloyml bf16 | eager / alloyml latency, fp32 (above 1: alloyml faster) |")
print("|---|---|---|---|---|---|---|")
for arch in dict.fromkeys(r["arch"] for r in rows):
    a32, a16 = by.get((arch, "alloyml", "fp32")), by.get((arch, "alloyml", "bf16"))
    t32 = by.get((arch, "python3-torch eager", "fp32"))
    cell = lambda r: f"{r['latency_ms']:.1f} ms / {r['images_per_s_b32']:.0f}" if r else "-"
    ratio = f"{t32['latency_ms'] / a32['latency_ms']:.2f}" if a32 and t32 else "-"
    print(f"| {arch} | {a32['size']} | {a32['parameters'] / 1e6:.1f} M | {cell(a32)} | {cell(t32)} | {cell(a16)} | {ratio} |")
PY
