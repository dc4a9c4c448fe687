#!/usr/bin/env bash
# Two questions of Huang et al. 2023 (issue 22), answered on NEU with one split and several seeds:
#   distill    does relational KD help? ResNet34 alone against ResNet34 distilled from the SARSN
#              teacher of the CPU recipe (configs/surface_defect/distill_cpu.json), SEEDS seeds
#              each, on the split by number (train 1-130, val 131-150, test 151-200 of each class:
#              the test images come after the training ones).
#   imbalance  three classes (crazing, inclusion, patches) cut to 20 % of their training images:
#              cross-entropy against class-weighted cross-entropy ("balanced") against the adaptive
#              G-mean loss, by test macro-F1 and macro G-mean, SEEDS seeds each.
# Prints mean +- std of each and writes the rows as JSON lines in the output folder.
#   bench/huang.sh [distill|imbalance|all] [NEU_IMAGE_FOLDER] [SEEDS] [-- --set key=value ...]
# distill needs the teacher: TEACHER=RUN_DIR (default: trains configs/surface_defect/sarsn_cpu.json
# into the output folder first). Each run is the CPU recipe (about 10-15 minutes on 2 cores).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/cpu.sh  # names the CPU beside the figures
source bench/neu_args.sh bench-huang "$@"
train() {  # NAME [args]: one CPU-recipe run on the NEU folder
  local name=$1; shift
  run "$name" "$bin/alloyml-train" --set "data.root=$images" "$@"
}

if [ "$what" = distill ] || [ "$what" = all ]; then
  teacher=${TEACHER:-$out/teacher}
  [ -n "${TEACHER:-}" ] || train teacher -c configs/surface_defect/sarsn_cpu.json
  for seed in $(seq 0 $((seeds - 1))); do
    train "alone_s$seed" -c configs/surface_defect/distill_cpu.json --set distill.teacher=null --set "seed=$seed"
    train "distilled_s$seed" -c configs/surface_defect/distill_cpu.json --set "distill.teacher=$teacher" --set "seed=$seed"
  done
fi

if [ "$what" = imbalance ] || [ "$what" = all ]; then
  # Manifests: per class images 1-130 train (1-26 for the three cut classes), 131-150 val, 151-200 test.
  /usr/bin/python3 - "$images" "$out" <<'PY'
import os, re, sys
images, out = sys.argv[1], sys.argv[2]
cut = {"crazing", "inclusion", "patches"}
rows = {"train": [], "val": [], "test": []}
for f in sorted(os.listdir(images)):
    m = re.match(r"(.+)_(\d+)\.\w+$", f)
    if not m:
        continue
    label, n = m.group(1), int(m.group(2))
    part = "train" if n <= 130 else "val" if n <= 150 else "test"
    if part == "train" and label in cut and n > 26:
        continue
    rows[part].append((os.path.abspath(os.path.join(images, f)), label))
for part, r in rows.items():
    with open(f"{out}/imbalanced_{part}.csv", "w") as fh:
        fh.write("path,label\n" + "".join(f"{p},{l}\n" for p, l in r))
PY
  data=(--set "data.train=$out/imbalanced_train.csv" --set "data.val=$out/imbalanced_val.csv"
        --set "data.test=$out/imbalanced_test.csv" --set data.root=null)
  for seed in $(seq 0 $((seeds - 1))); do
    train "imb_ce_s$seed" -c configs/surface_defect/distill_cpu.json --set distill.teacher=null "${data[@]}" --set "seed=$seed"
    train "imb_balanced_s$seed" -c configs/surface_defect/distill_cpu.json --set distill.teacher=null "${data[@]}" \
      --set loss.class_weights=balanced --set "seed=$seed"
    train "imb_adaptive_s$seed" -c configs/surface_defect/distill_cpu.json --set distill.teacher=null "${data[@]}" \
      --set loss.name=adaptive_gmean --set "seed=$seed"
  done
fi

/usr/bin/python3 - "$out" "$what" "$seeds" <<'PY'
import functools, json, statistics, sys
sys.path.insert(0, "bench")
import neu_stats
from neu_stats import stat
out, what, seeds = sys.argv[1], sys.argv[2], int(sys.argv[3])
summary = functools.partial(neu_stats.summary, out)
rows = []
if what in ("distill", "all"):
    print("\n## Does distillation help? ResNet34 on NEU images 151-200 (trained on 1-130)\n")
    print("| student | test accuracy (%) | test macro G-mean (%) | per seed |")
    print("|---|---|---|---|")
    means = {}
    for who in ("alone", "distilled"):
        ss = [summary(f"{who}_s{s}") for s in range(seeds)]
        acc = [s["test"]["accuracy"] if s else None for s in ss]
        gm = [s["test"]["macro_gmean"] if s else None for s in ss]
        means[who] = [a for a in acc if a is not None]
        rows += [{"bench": "distill", "who": who, "seed": i, "accuracy": a} for i, a in enumerate(acc)]
        print(f"| {who} | {stat(acc)} | {stat(gm)} | {', '.join('-' if a is None else f'{100 * a:.2f}' for a in acc)} |")
    if means["alone"] and means["distilled"]:
        d = statistics.mean(means["distilled"]) - statistics.mean(means["alone"])
        print(f"\nDistilled minus alone: {100 * d:+.2f} points (mean over seeds).")
if what in ("imbalance", "all"):
    print("\n## Imbalance: crazing, inclusion, patches cut to 20 % of their training images\n")
    print("| loss | test macro-F1 (%) | test macro G-mean (%) | recall of the cut classes (%) |")
    print("|---|---|---|---|")
    for who, label in (("ce", "cross-entropy"), ("balanced", "class-weighted cross-entropy"), ("adaptive", "adaptive G-mean loss")):
        ss = [summary(f"imb_{who}_s{s}") for s in range(seeds)]
        f1 = [s["test"]["macro_f1"] if s else None for s in ss]
        gm = [s["test"]["macro_gmean"] if s else None for s in ss]
        cut = [statistics.mean(s["test"]["per_class"][c]["recall"] for c in ("crazing", "inclusion", "patches")) if s else None for s in ss]
        rows += [{"bench": "imbalance", "loss": who, "seed": i, "macro_f1": a, "macro_gmean": g} for i, (a, g) in enumerate(zip(f1, gm))]
        print(f"| {label} | {stat(f1)} | {stat(gm)} | {stat(cut)} |")
with open(f"{out}/results.jsonl", "w") as fh:
    fh.write("".join(json.dumps(r) + "\n" for r in rows))
PY
