#!/usr/bin/env bash
# Trains and evaluates the NEU surface-defect recipes on an image folder and prints the results.
#   scripts/reproduce/neu.sh IMAGE_FOLDER [cpu|paper]
# cpu   configs/surface_defect/neu_cpu.json (a 2-core CPU, minutes)
# paper configs/surface_defect/neu_multiscale_resnet50.json (Sheng; a GPU, hours)
set -euo pipefail
cd "$(dirname "$0")/../.."
folder=${1:?usage: scripts/reproduce/neu.sh IMAGE_FOLDER [cpu|paper]}
recipe=${2:-cpu}
case "$recipe" in
  cpu) config=configs/surface_defect/neu_cpu.json ;;
  paper) config=configs/surface_defect/neu_multiscale_resnet50.json ;;
  *) echo "unknown recipe '$recipe' (cpu or paper)" >&2; exit 2 ;;
esac
scripts/setup.sh
scripts/build.sh release
out=runs/reproduce-neu-$recipe-$(date +%Y%m%d-%H%M%S)
build/release/bin/alloyml-train --config "$config" --set "data.root=$folder" --out "$out"
echo "Run directory: $out (report.html, summary.json)"
