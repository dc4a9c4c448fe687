#!/usr/bin/env bash
# Runs the microstructure recipes (Luo et al.: SE-ResNeXt101 with ImageNet transfer learning, the
# same without it, SE-ResNeXt50, the paper's baselines VGG19, AlexNet, MobileNetV2 and GLCM+SVM,
# and the 2-core CPU recipe) on one image folder with the same split, and prints one comparison
# table beside the paper's figures.
#
#   scripts/reproduce/microstructure.sh IMAGE_FOLDER [WEIGHTS_DIR] [RECIPES] [-- --set key=value ...]
#
# IMAGE_FOLDER  class sub-folders (or a flat NEU-style folder) of micrographs
# WEIGHTS_DIR   ImageNet weight files for the transfer-learning recipes (no downloads here):
#               gluon_seresnext101_32x4d-cf52900d.pth (timm) or se_resnext101_32x4d-3b2fe3d8.pth
#               (Cadene), vgg19-dcbb9e9d.pth, alexnet-owt-7be5be79.pth, mobilenet_v2-b0353104.pth.
#               A recipe whose file is missing trains from scratch and is marked so.
# RECIPES       comma-separated subset (default: all): se_resnext101, se_resnext101_scratch,
#               seresnext50, vgg19, alexnet, mobilenet_v2, glcm_svm, cpu
# After --, overrides for every recipe, e.g. -- --set train.epochs=20 for a quick look.
# The paper's recipes train 500 epochs at 224 px: a GPU job. `cpu` and `glcm_svm` run on a CPU.
set -euo pipefail
cd "$(dirname "$0")/../.."
usage="usage: scripts/reproduce/microstructure.sh IMAGE_FOLDER [WEIGHTS_DIR] [RECIPES] [-- --set key=value ...]"
folder=${1:?$usage}; shift
weights=""; recipes="se_resnext101,se_resnext101_scratch,seresnext50,vgg19,alexnet,mobilenet_v2,glcm_svm,cpu"
[ $# -gt 0 ] && [ "$1" != "--" ] && { weights=$1; shift; }
[ $# -gt 0 ] && [ "$1" != "--" ] && { recipes=$1; shift; }
[ $# -gt 0 ] && [ "$1" = "--" ] && shift
extra=("$@")
[ -e "$folder" ] || { echo "$folder: no such folder" >&2; exit 2; }
scripts/setup.sh
scripts/build.sh release
bin=build/release/bin
out=runs/reproduce-microstructure-$(date +%Y%m%d-%H%M%S)
mkdir -p "$out"

# The ImageNet file each transfer-learning recipe starts from (first one present wins).
weights_for() {
  case "$1" in
    se_resnext101) echo "gluon_seresnext101_32x4d-cf52900d.pth se_resnext101_32x4d-3b2fe3d8.pth" ;;
    vgg19) echo "vgg19-dcbb9e9d.pth" ;;
    alexnet) echo "alexnet-owt-7be5be79.pth" ;;
    mobilenet_v2) echo "mobilenet_v2-b0353104.pth" ;;
  esac
}

notes="$out/notes.txt"; : > "$notes"
for recipe in ${recipes//,/ }; do
  config=configs/microstructure/$recipe.json
  [ -f "$config" ] || { echo "unknown recipe '$recipe' (no $config)" >&2; exit 2; }
  sets=(--set "data.root=$folder")
  candidates=$(weights_for "$recipe")
  if [ -n "$candidates" ]; then
    file=""
    for c in $candidates; do [ -n "$weights" ] && [ -f "$weights/$c" ] && { file="$weights/$c"; break; }; done
    if [ -n "$file" ]; then
      sets+=(--set "model.pretrained=$file")
    else
      sets+=(--set model.pretrained=null)
      echo "$recipe: no ImageNet weights in '${weights:-(none given)}', trained from scratch" | tee -a "$notes"
    fi
  fi
  echo "== $recipe ($config)"
  "$bin/alloyml-train" --config "$config" "${sets[@]}" "${extra[@]}" --out "$out/$recipe"
done

# One table: accuracy, macro and per-class precision / recall / F1 on the test split, beside the
# paper's figures (Luo et al., as listed in ../shared/PAPERS.md): mean accuracy 98.2 % for
# SE-ResNeXt101-TL; accuracy on tempered troostite for four networks (and the differences the paper
# states for three more); per-class recall (%) and F1 on TEST-1000 for VGG19, AlexNet-TL,
# MobileNetV2-TL and SE-ResNeXt101-TL. Classes are matched by name (F+P, M, M+A, M+B, tempered
# troostite, with the usual spellings); a class the paper does not name shows "-".
/usr/bin/python3 scripts/reproduce/microstructure_table.py "$out" "$recipes" "$notes"
