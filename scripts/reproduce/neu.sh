#!/usr/bin/env bash
# Trains and evaluates the NEU surface-defect recipes on an image folder and prints the results.
#   scripts/reproduce/neu.sh IMAGE_FOLDER [cpu|paper] [-- --set key=value ...]
#   scripts/reproduce/neu.sh IMAGE_FOLDER table1 [WEIGHTS_DIR] [--paper] [-- --set key=value ...]
# cpu     configs/surface_defect/neu_cpu.json with seeds 0 and 1 (a 2-core CPU, 12-16 minutes),
#         each evaluated, then the two as an ensemble (alloyml-eval --ensemble): one seed alone
#         varies by about 1.5 points on later images, the pair holds (bench/README.md)
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
if [ "$recipe" = paper ]; then
  scripts/setup.sh
  scripts/build.sh release
  out=runs/reproduce-neu-$recipe-$(date +%Y%m%d-%H%M%S)
  build/release/bin/alloyml-train --config "$config" --set "data.root=$folder" --out "$out"
  echo "Run directory: $out (report.html, summary.json)"
  exit 0
fi
if [ "$recipe" = cpu ]; then
  shift 2
  [ $# -gt 0 ] && [ "$1" = "--" ] && shift
  scripts/setup.sh
  scripts/build.sh release
  out=${OUT:-runs/reproduce-neu-cpu}
  source scripts/reproduce/spread.sh  # WORKERS=2: both seeds at once, a core each
  for seed in 0 1; do
    [ -f "$out/seed$seed/summary.json" ] && { echo "== seed $seed: done already ($out/seed$seed)"; continue; }
    resume=(); [ -f "$out/seed$seed/checkpoints/last.pt" ] && resume=(--resume)
    spread_run "$out/seed$seed" build/release/bin/alloyml-train --config "$config" --set "data.root=$folder" --set "seed=$seed" "$@" \
      --out "$out/seed$seed" "${resume[@]}"
  done
  spread_wait
  [ "${RANK:-0}" -eq 0 ] || exit 0  # rank 0 evaluates the pair
  echo "== the two seeds as an ensemble (class probabilities averaged), on the test split of seed 0's run"
  build/release/bin/alloyml-eval --run "$out/seed0" --ensemble "$out/seed1" --split test --out "$out/ensemble_test.json"
  echo "Run directories: $out/seed0, $out/seed1; the ensemble's figures: $out/ensemble_test.json"
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
