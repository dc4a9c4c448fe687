#!/usr/bin/env bash
# Weight import time (best of 3): resnet50 as torchvision saves it, seresnext101_32x4d with timm's
# names (written by alloyml's exporter; timm itself is not packaged in Debian).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/cpu.sh  # names the CPU beside the figures
scripts/setup.sh --peers > /dev/null
cmake --preset release -DALLOYML_BUILD_BENCH=ON > /dev/null
cmake --build --preset release -j "$(nproc)" --target alloyml-bench-import alloyml-bench-export > /dev/null
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
/usr/bin/python3 -c "import torch, torchvision; torch.save(torchvision.models.resnet50().state_dict(), '$work/resnet50.pth')"
build/release/bin/alloyml-bench-export seresnext101_32x4d "$work/seresnext101_32x4d.pth"
ls -l "$work"/*.pth | awk '{ printf "%s %.0f MB\n", $9, $5 / 1e6 }'
build/release/bin/alloyml-bench-import resnet50 "$work/resnet50.pth" seresnext101_32x4d "$work/seresnext101_32x4d.pth"
