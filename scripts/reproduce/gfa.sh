#!/usr/bin/env bash
# Glass-forming ability after Wei et al. (Physica B 713 (2025) 417352): 10-fold cross-validation
# of a Dmax regressor on composition images, then the slides' two design checks, the La-Co-Al and
# Al-Co-Zr ternaries predicted at 1 at.% (CSV, heat map, best compositions).
#
#   scripts/reproduce/gfa.sh DATA_CSV [RECIPE] [-- --set key=value ...]
#
# DATA_CSV  formula and Dmax columns (data/gfa/README.md: the Poonia or Xiong compilations)
# RECIPE    cpu (default; configs/gfa/cpu.json, about 35 minutes on 2 cores) or resnet50_op
#           (the slides' ResNet50 at 224 px: a GPU job; set model.pretrained for ImageNet weights)
# Papers' figures for comparison: R^2 0.83 (ResNet50, 2774 alloys), 0.86 (published version,
# multi-scale ResNet18 with Mixup).
set -euo pipefail
cd "$(dirname "$0")/../.."
usage="usage: scripts/reproduce/gfa.sh DATA_CSV [cpu|resnet50_op] [-- --set key=value ...]"
data=${1:?$usage}; shift
recipe=cpu
[ $# -gt 0 ] && [ "$1" != "--" ] && { recipe=$1; shift; }
[ $# -gt 0 ] && [ "$1" = "--" ] && shift
[ -f "$data" ] || { echo "$data: no such file" >&2; exit 2; }
[ -f "configs/gfa/$recipe.json" ] || { echo "unknown recipe '$recipe' (cpu or resnet50_op)" >&2; exit 2; }
scripts/setup.sh
scripts/build.sh release
bin=build/release/bin
out=runs/reproduce-gfa-$recipe-$(date +%Y%m%d-%H%M%S)
"$bin/alloyml-train" -c "configs/gfa/$recipe.json" --set "data.csv=$data" --out "$out" "$@"
for system in La-Co-Al Al-Co-Zr; do
  "$bin/alloyml-predict" --run "$out" --system "$system" --step 1 || echo "($system: not predicted, see above)"
done
echo "Report: $out/report.html; published: R^2 0.83 (slides, ResNet50), 0.86 (Wei et al. 2025)"
