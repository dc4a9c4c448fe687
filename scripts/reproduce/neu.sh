#!/usr/bin/env bash
# Trains and evaluates the NEU surface-defect recipes on an image folder and prints the results.
#   scripts/reproduce/neu.sh IMAGE_FOLDER [cpu|paper]
#   scripts/reproduce/neu.sh IMAGE_FOLDER table1 [WEIGHTS_DIR] [--paper] [-- --set key=value ...]
# cpu     configs/surface_defect/neu_cpu.json (a 2-core CPU, minutes)
# paper   configs/surface_defect/neu_multiscale_resnet50.json (Sheng; a GPU, hours)
# table1  Sheng's Table 1: VGG16, ResNet50, DenseNet121, GhostNet, SENet (SE-ResNet50), Res2Net
#         and the multi-scale ResNet50, each under one recipe on one split, printed beside the
#         paper's accuracies with parameters and ms per image. The recipe is
#         configs/surface_defect/table_cpu.json (96 px, 15 epochs: a 2-core CPU, about an hour for
#         all seven), or with --paper Sheng's (224 px, Adam 3e-4, batch 64, 100 epochs: a GPU).
#         WEIGHTS_DIR holds ImageNet files named NET.pth (vgg16.pth, resnet50.pth, densenet121.pth,
#         ghostnet_100.pth, seresnet50.pth, res2net50_26w_4s.pth; torchvision or timm); a network
#         without one trains from scratch and is marked so.
set -euo pipefail
cd "$(dirname "$0")/../.."
usage="usage: scripts/reproduce/neu.sh IMAGE_FOLDER [cpu|paper|table1 [WEIGHTS_DIR] [--paper]] [-- --set key=value ...]"
folder=${1:?$usage}
recipe=${2:-cpu}
[ -d "$folder" ] || { echo "$folder: no such folder" >&2; exit 2; }
case "$recipe" in
  cpu) config=configs/surface_defect/neu_cpu.json ;;
  paper) config=configs/surface_defect/neu_multiscale_resnet50.json ;;
  table1) ;;
  *) echo "unknown recipe '$recipe' (cpu, paper or table1)" >&2; exit 2 ;;
esac
if [ "$recipe" != table1 ]; then
  scripts/setup.sh
  scripts/build.sh release
  out=runs/reproduce-neu-$recipe-$(date +%Y%m%d-%H%M%S)
  build/release/bin/alloyml-train --config "$config" --set "data.root=$folder" --out "$out"
  echo "Run directory: $out (report.html, summary.json)"
  exit 0
fi
shift 2
weights=""; config=configs/surface_defect/table_cpu.json; size=96
[ $# -gt 0 ] && [ "$1" != "--" ] && [ "$1" != "--paper" ] && { weights=$1; shift; }
[ $# -gt 0 ] && [ "$1" = "--paper" ] && { config=configs/surface_defect/neu_multiscale_resnet50.json; size=224; shift; }
[ $# -gt 0 ] && [ "$1" = "--" ] && shift
[ -z "$weights" ] || [ -d "$weights" ] || { echo "$weights: no such folder (WEIGHTS_DIR)" >&2; exit 2; }
scripts/setup.sh
scripts/build.sh release
source scripts/reproduce/networks.sh
out=${OUT:-runs/reproduce-neu-table1}
mkdir -p "$out"
nets=(vgg16 resnet50 densenet121 ghostnet_100 seresnet50 res2net50_26w_4s multiscale_resnet50)
train_networks "$out" "$config" "$weights" "$out/notes.txt" "${nets[@]}" -- --set "data.root=$folder" "$@"
network_latency "$out" "$size" 3 "${nets[@]}"
# Sheng, Table 1 (../shared/PAPERS.md): test accuracy (%).
paper='{"vgg16": "96.11", "resnet50": "97.22", "densenet121": "97.50", "ghostnet_100": "93.61", "seresnet50": "97.50",
        "res2net50_26w_4s": "95.83", "multiscale_resnet50": "98.06"}'
IFS=,; /usr/bin/python3 scripts/reproduce/networks_table.py "$out" "${nets[*]}" "$out/notes.txt" "$paper" \
  "Sheng's Table 1 on one split, $config"
