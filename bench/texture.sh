#!/usr/bin/env bash
# The classical baselines of Huang et al. 2023 (Fig. 17) and Luo et al. (GLCM) against
# scikit-image + scikit-learn, in one run, on the same images, split, features and grid:
# feature time, fit time (grid search included), the hyper-parameters chosen and test accuracy.
# The split is by image number, per class: the first 60 % train, the next 15 % val, the last 25 %
# test (the later acquisitions), over images 1..PER_CLASS of each NEU class.
#   bench/texture.sh [NEU_IMAGE_FOLDER] [PER_CLASS] [SIZE] [MODELS]
# (scikit-image's Gabor bank takes about 0.7 s per 200 px image, hence PER_CLASS 100 by default.)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/cpu.sh  # names the CPU beside the figures
images=${1:-../shared/data/neu-det-dev/IMAGES}
per_class=${2:-100}
size=${3:-200}
models=${4:-glcm_svm gabor_svm gabor_knn lbp_svm hog_svm}
[ -d "$images" ] || { echo "$images: no such folder (the NEU images; see README.md, Data)" >&2; exit 2; }
scripts/setup.sh --peers > /dev/null
scripts/build.sh release > /dev/null
out=${OUT:-runs/bench-texture-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$out"
/usr/bin/python3 - "$images" "$out" "$per_class" <<'PY'
import os, re, sys
images, out, per = sys.argv[1], sys.argv[2], int(sys.argv[3])
rows = {"train": [], "val": [], "test": []}
for f in sorted(os.listdir(images)):
    m = re.match(r"(.+)_(\d+)\.\w+$", f)
    if not m or int(m.group(2)) > per:
        continue
    n = int(m.group(2))
    part = "train" if n <= 0.6 * per else "val" if n <= 0.75 * per else "test"
    rows[part].append((os.path.abspath(os.path.join(images, f)), m.group(1)))
for part, r in rows.items():
    with open(f"{out}/{part}.csv", "w") as fh:
        fh.write("path,label\n" + "".join(f"{p},{l}\n" for p, l in r))
PY
for model in $models; do
  build/release/bin/alloyml-train -c configs/microstructure/glcm_svm.json --set "model.name=$model" \
    --set data.root=null --set "data.train=$out/train.csv" --set "data.val=$out/val.csv" --set "data.test=$out/test.csv" \
    --set "input.size=$size" --out "$out/$model" --quiet > /dev/null
  /usr/bin/python3 - "$out/$model/summary.json" "$model" >> "$out/results.jsonl" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
kind, classifier = sys.argv[2].split("_")
chosen = {k: v for k, v in s[classifier].items() if k != "selection_accuracy"}
print(json.dumps({"peer": "alloyml", "model": sys.argv[2], "features_per_image": s["features"]["per_image"],
                  "feature_seconds": s["feature_seconds"], "fit_seconds": s["fit_seconds"], "chosen": chosen,
                  "val_accuracy": s[classifier]["selection_accuracy"], "test_accuracy": s["test"]["accuracy"]}))
PY
  /usr/bin/python3 bench/reference_texture.py "$out/$model/split.csv" "$size" "$model" >> "$out/results.jsonl"
done
/usr/bin/python3 - "$out/results.jsonl" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
print("| model | peer | features/image | feature time (s) | fit + grid (s) | chosen | val acc | test acc |")
print("|---|---|---|---|---|---|---|---|")
for r in rows:
    chosen = ", ".join(f"{k} {v:g}" for k, v in r["chosen"].items())
    print(f"| {r['model']} | {r['peer']} | {r['features_per_image']} | {r['feature_seconds']:.2f} | {r['fit_seconds']:.2f} | "
          f"{chosen} | {100 * r['val_accuracy']:.2f} % | {100 * r['test_accuracy']:.2f} % |")
PY
echo "($out/results.jsonl)"
