#!/usr/bin/env bash
# glcm_svm against scikit-image GLCM + scikit-learn SVC (bench/reference_texture.py) on the same images, split, features and
# grid, in one run: feature extraction and fit time, accuracy.
#   bench/glcm_svm.sh [IMAGE_FOLDER] [SIZE]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/cpu.sh  # names the CPU beside the figures
images=${1:-../shared/data/neu-det-dev/IMAGES}
size=${2:-200}
scripts/setup.sh --peers > /dev/null
scripts/build.sh release > /dev/null
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
start=$(date +%s.%N)
build/release/bin/alloyml-train -c configs/microstructure/glcm_svm.json --set "data.root=$images" \
  --set input.size="$size" --out "$work/run" --quiet > /dev/null
end=$(date +%s.%N)
/usr/bin/python3 - "$work/run/summary.json" "$start" "$end" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
print(json.dumps({"peer": "alloyml", "feature_seconds": s["feature_seconds"], "fit_seconds": s["fit_seconds"], "command_seconds": float(sys.argv[3]) - float(sys.argv[2]),
                  "C": s["svm"]["C"], "gamma": s["svm"]["gamma"], "val_accuracy": s["svm"]["selection_accuracy"],
                  "test_accuracy": s["test"]["accuracy"]}))
PY
/usr/bin/python3 bench/reference_texture.py "$work/run/split.csv" "$size" glcm_svm
