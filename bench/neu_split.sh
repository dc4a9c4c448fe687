#!/usr/bin/env bash
# The NEU CPU recipe and the GLCM+SVM baseline on two splits of the same images, in one run:
#   random      the recipe's seeded stratified split (15 % val, 15 % test)
#   by number   per class, images 1-130 train, 131-150 val, 151-200 test (later acquisitions)
# Prints one table (test accuracy, macro F1, worst class recall, wall time) and writes it as JSON.
#   bench/neu_split.sh [NEU_IMAGE_FOLDER] [CONFIG]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/cpu.sh  # names the CPU beside the figures
images=${1:-../shared/data/neu-det-dev/IMAGES}
config=${2:-configs/surface_defect/neu_cpu.json}
[ -d "$images" ] || { echo "$images: no such folder (the NEU images; see README.md, Data)" >&2; exit 2; }
scripts/setup.sh > /dev/null
scripts/build.sh release > /dev/null
out=${OUT:-runs/bench-neu-split-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$out"
random=(--set data.split.by=random --set data.split.val=0.15 --set data.split.test=0.15)
number=(--set data.split.by=number --set data.split.val=0.1 --set data.split.test=0.25)
for split in random number; do
  declare -n sets=$split
  build/release/bin/alloyml-train -c "$config" --set "data.root=$images" "${sets[@]}" --out "$out/recipe_$split" --quiet > /dev/null
  build/release/bin/alloyml-train -c configs/microstructure/glcm_svm.json --set "data.root=$images" --set input.size=200 \
    "${sets[@]}" --out "$out/glcm_svm_$split" --quiet > /dev/null
done
/usr/bin/python3 - "$out" <<'PY'
import json, sys
out = sys.argv[1]
rows = []
for split in ("random", "number"):
    for who in ("recipe", "glcm_svm"):
        s = json.load(open(f"{out}/{who}_{split}/summary.json"))
        t = s["test"]
        worst = min(t["per_class"].items(), key=lambda kv: kv[1]["recall"])
        rows.append({"split": "by number (test 151-200)" if split == "number" else "random", "model": who,
                     "test_accuracy": t["accuracy"], "macro_f1": t["macro_f1"], "n": sum(v["support"] for v in t["per_class"].values()),
                     "worst_class": worst[0], "worst_recall": worst[1]["recall"], "wall_s": s["wall_time_s"]})
print("| split | model | test accuracy | macro F1 | images | worst class (recall) | wall time |")
print("|---|---|---|---|---|---|---|")
for r in rows:
    print(f"| {r['split']} | {r['model']} | {100 * r['test_accuracy']:.2f} % | {r['macro_f1']:.4f} | {r['n']} | "
          f"{r['worst_class']} ({r['worst_recall']:.2f}) | {r['wall_s']:.0f} s |")
json.dump(rows, open(f"{out}/neu_split.json", "w"), indent=2)
print(f"\n({out}/neu_split.json)")
PY
