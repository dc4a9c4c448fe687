#!/usr/bin/env bash
# Issue 23's proof of use, on data anyone can rebuild from NEU (Huang et al. 2023 carry samples from
# line 1 to line 2: 88.7 % against 90.8 %):
#   lines    line A: NEU images 1-100 of each class as published. Line B: images 101-200 through
#            another camera (alloyml-augment camera: blur, illumination gradient, gamma, contrast,
#            noise; seeded). The CycleGAN (configs/cyclegan/cpu.json) sees A and B's images 101-150
#            unpaired, never B's labels. Three classifiers of one recipe
#            (configs/cyclegan/line_classifier.json), tested on B's images 151-200, which nothing saw:
#              on A              trained on line A as it is;
#              on A -> B         trained on line A translated to B's look by the CycleGAN;
#              on B (ceiling)    trained on B's labelled images 101-150.
#            Target: A -> B recovers at least half of the gap between "on A" and "on B".
#            Beside them, for scale: line A through line B's camera itself (another noise seed), what
#            a perfect translation would give; and how many translated images the line-B classifier
#            of seed 0 reads as their label (a check of the translation, not a test figure).
#   norms    the same three seeds on translations by the CycleGAN with the reference's instance
#            norm everywhere (model.norm instance) and with no norm after the stem
#            (model.stem_norm false), against cpu.json's batch norm (docs/methods.md says why).
#   fewshot  20 training images per class (NEU 1-20), tested on 151-200: plain augmentation against
#            on-the-fly mosaic (augment.mosaic 0.5) and fusion (augment.fusion 0.5).
# Prints the tables (mean +- std over SEEDS seeds) and writes the rows as JSON lines in the output
# folder. Stopped, it starts again where it was (finished runs are kept, a started one resumes).
#   bench/cyclegan.sh [lines|norms|fewshot|all] [NEU_IMAGE_FOLDER] [SEEDS] [-- FLAGS...]
# FLAGS go to every training and translation command (say --threads 1 beside another bench).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/cpu.sh  # names the CPU beside the figures
source bench/neu_args.sh bench-cyclegan "$@"

# Manifests by image number: A 1-100, B 101-150 (train) and 151-200 (test), few-shot 1-20.
/usr/bin/python3 - "$images" "$out" <<'PY'
import os, re, sys
images, out = sys.argv[1], sys.argv[2]
parts = {"A_train": (1, 100), "Bsrc_train": (101, 150), "Bsrc_test": (151, 200), "fewshot_train": (1, 20),
         "A_test": (151, 200)}
rows = {p: [] for p in parts}
for f in sorted(os.listdir(images)):
    m = re.match(r"(.+)_(\d+)\.\w+$", f)
    if not m:
        continue
    for p, (lo, hi) in parts.items():
        if lo <= int(m.group(2)) <= hi:
            rows[p].append((os.path.abspath(os.path.join(images, f)), m.group(1)))
for p, r in rows.items():
    with open(f"{out}/{p}.csv", "w") as fh:
        fh.write("path,label\n" + "".join(f"{a},{b}\n" for a, b in r))
PY

classify() {  # NAME TRAIN TEST SEED [--set ...]
  local name=$1 train=$2 test=$3 seed=$4; shift 4
  run "$name" "$bin/alloyml-train" -c configs/cyclegan/line_classifier.json --set "data.train=$train" \
    --set "data.test=$test" --set "seed=$seed" "$@"
}

# translate NAME: the A training images through CycleGAN run NAME into $out/NAME_AtoB (kept once done).
translate() {
  local name=$1
  [ -f "$out/${name}_translate.txt" ] && return
  rm -rf "$out/${name}_AtoB"
  "$bin/alloyml-augment" cyclegan-translate --run "$out/$name" -i "$out/A_train.csv" -o "$out/${name}_AtoB" "${flags[@]}" \
    --quiet > "$out/${name}_translate.tmp" && mv "$out/${name}_translate.tmp" "$out/${name}_translate.txt"
}
# read_as_labelled NAME SET: how much of SET (in $out) the line-B classifier of seed 0 reads as its label,
# into $out/read_NAME.json.
read_as_labelled() {
  [ -f "$out/read_$1.json" ] || "$bin/alloyml-eval" --run "$out/on_B_s0" -d "$out/$2" -o "$out/read_$1.json" "${flags[@]}" \
    --quiet > /dev/null
}

if [ "$what" != fewshot ]; then
  for part in train test; do
    [ -d "$out/B_$part" ] || "$bin/alloyml-augment" camera -i "$out/Bsrc_$part.csv" -o "$out/B_$part" --seed 1 --quiet > /dev/null
  done
fi
if [ "$what" = lines ] || [ "$what" = all ]; then
  # Line A through line B's own camera, with another noise seed: what a perfect translation gives.
  [ -d "$out/A_camera" ] || "$bin/alloyml-augment" camera -i "$out/A_train.csv" -o "$out/A_camera" --seed 2 --quiet > /dev/null
  run cyclegan "$bin/alloyml-augment" cyclegan-train -c configs/cyclegan/cpu.json \
    --set "data.domain_a=$out/A_train.csv" --set "data.domain_b=$out/B_train"
  translate cyclegan
  for seed in $(seq 0 $((seeds - 1))); do
    classify "on_A_s$seed" "$out/A_train.csv" "$out/B_test" "$seed"
    classify "on_AtoB_s$seed" "$out/cyclegan_AtoB" "$out/B_test" "$seed"
    classify "on_B_s$seed" "$out/B_train" "$out/B_test" "$seed"
    classify "on_Acam_s$seed" "$out/A_camera" "$out/B_test" "$seed"
  done
  read_as_labelled A A_train.csv
  read_as_labelled AtoB cyclegan_AtoB
  read_as_labelled Acam A_camera
fi
if [ "$what" = norms ] || [ "$what" = all ]; then
  for variant in instance:true bare_stem:false; do
    name=cyclegan_${variant%%:*}
    run "$name" "$bin/alloyml-augment" cyclegan-train -c configs/cyclegan/cpu.json \
      --set "data.domain_a=$out/A_train.csv" --set "data.domain_b=$out/B_train" --set model.norm=instance \
      --set "model.stem_norm=${variant#*:}"
    translate "$name"
    for seed in $(seq 0 $((seeds - 1))); do
      classify "on_AtoB_${variant%%:*}_s$seed" "$out/${name}_AtoB" "$out/B_test" "$seed"
    done
  done
fi

if [ "$what" = fewshot ] || [ "$what" = all ]; then
  for seed in $(seq 0 $((seeds - 1))); do
    few=(--set train.epochs=60 --set train.batch_size=16)
    classify "fewshot_plain_s$seed" "$out/fewshot_train.csv" "$out/A_test.csv" "$seed" "${few[@]}"
    classify "fewshot_mosaic_s$seed" "$out/fewshot_train.csv" "$out/A_test.csv" "$seed" "${few[@]}" --set augment.mosaic=0.5
    classify "fewshot_fusion_s$seed" "$out/fewshot_train.csv" "$out/A_test.csv" "$seed" "${few[@]}" --set augment.fusion=0.5
  done
fi

/usr/bin/python3 - "$out" "$what" "$seeds" <<'PY'
import functools, json, os, statistics, sys
sys.path.insert(0, "bench")
import neu_stats
from neu_stats import stat
out, what, seeds = sys.argv[1], sys.argv[2], int(sys.argv[3])
summary = functools.partial(neu_stats.summary, out)
def accs(prefix):
    return [s["test"]["accuracy"] for s in (summary(f"{prefix}_s{i}") for i in range(seeds)) if s]
rows = []
def read(name):
    p = f"{out}/read_{name}.json"
    return f"{100 * json.load(open(p))['accuracy']:.1f} %" if os.path.exists(p) else "-"
if what in ("lines", "all"):
    g = summary("cyclegan")
    print("\n## Carrying line A's labelled images to line B's look (test: line B, NEU images 151-200)\n")
    if g:
        print(f"CycleGAN {g['generator']} ({g['generator_parameters']} parameters per generator), "
              f"{g['epochs_completed']} epochs in {g['wall_time_s'] / 60:.1f} min on {g.get('threads', '?')} threads.")
    if os.path.exists(f"{out}/cyclegan_translate.txt"):
        print("cyclegan-translate: " + open(f"{out}/cyclegan_translate.txt").read().strip())
    print("\n| classifier trained on | test accuracy on line B (%) |")
    print("|---|---|")
    means = {}
    for key, label in (("on_A", "line A as it is (600 images)"), ("on_AtoB", "line A translated to B by the CycleGAN (600)"),
                       ("on_B", "line B, labelled (300; the ceiling)"),
                       ("on_Acam", "line A through line B's own camera (600; a perfect translation)")):
        a = accs(key)
        means[key] = statistics.mean(a) if a else None
        rows += [{"bench": "lines", "trained_on": key, "seed": i, "accuracy": x} for i, x in enumerate(a)]
        print(f"| {label} | {stat(a)} |")
    if None not in (means["on_A"], means["on_AtoB"], means["on_B"]) and means["on_B"] != means["on_A"]:
        rec = (means["on_AtoB"] - means["on_A"]) / (means["on_B"] - means["on_A"])
        rows.append({"bench": "lines", "gap_recovered": rec})
        print(f"\nGap recovered by translation: {100 * rec:.0f} % (target: at least 50 %). "
              f"Paper (Huang et al. 2023): 88.7 % with migrated samples against 90.8 % on line 2's own.")
    print(f"\nThe line-B classifier of seed 0 reads as their label {read('AtoB')} of the translated A images, "
          f"{read('A')} of line A as it is and {read('Acam')} of A through B's camera (B's training labels; not a test figure).")
if what in ("norms", "all"):
    print("\n## The generators' normalisation (same recipe, test: line B, NEU images 151-200)\n")
    print("| CycleGAN generator | last cycle loss A / B | test accuracy on line B (%) |")
    print("|---|---|---|")
    for name, key, label in (("cyclegan", "on_AtoB", "batch norm (cpu.json)"),
                             ("cyclegan_instance", "on_AtoB_instance", "instance norm everywhere (the reference)"),
                             ("cyclegan_bare_stem", "on_AtoB_bare_stem", "instance norm, none after the stem")):
        g, a = summary(name), accs(key)
        cyc = f"{g['last_epoch']['train_loss_cycle_a']:.3f} / {g['last_epoch']['train_loss_cycle_b']:.3f}" if g else "-"
        rows += [{"bench": "norms", "generator": name, "seed": i, "accuracy": x} for i, x in enumerate(a)]
        print(f"| {label} | {cyc} | {stat(a)} |")
if what in ("fewshot", "all"):
    print("\n## Few-shot NEU: 20 training images per class (1-20), test on 151-200\n")
    print("| augmentation | test accuracy (%) |")
    print("|---|---|")
    for key, label in (("fewshot_plain", "flips and rotations"), ("fewshot_mosaic", "+ mosaic (p 0.5)"),
                       ("fewshot_fusion", "+ fusion (p 0.5)")):
        a = accs(key)
        rows += [{"bench": "fewshot", "augment": key, "seed": i, "accuracy": x} for i, x in enumerate(a)]
        print(f"| {label} | {stat(a)} |")
with open(f"{out}/results.jsonl", "w") as fh:
    fh.write("".join(json.dumps(r) + "\n" for r in rows))
PY
