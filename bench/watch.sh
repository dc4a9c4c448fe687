#!/usr/bin/env bash
# alloyml-predict --watch under load (issue 24): images renamed into the watched folder at fixed
# rates; per rate the p50 / p99 latency from an image's arrival to its row (measured outside the
# watcher) and whether it kept up. Networks as deployed on a line: the ResNet34 student at 64 px
# grey (with and without its recipe's d4 test-time augmentation) and ResNet50 at 224 px, fp32 and
# bf16. The weights are a 1-epoch run on synthetic images (latency does not depend on them); the
# images offered are NEU's if present, else synthetic.
#   bench/watch.sh [IMAGE_FOLDER] [THREADS]        THREADS: compute threads of the watcher (0 = all)
set -euo pipefail
cd "$(dirname "$0")/.."
images=${1:-../shared/data/neu-det-dev/IMAGES}
threads=${2:-0}
source scripts/cpu.sh
scripts/setup.sh > /dev/null
scripts/build.sh release > /dev/null
bin=build/release/bin
out=${OUT:-runs/bench-watch-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$out"
"$bin/alloyml-augment" synth -o "$out/synth" -n 8 --size 224 --quiet > /dev/null
[ -d "$images" ] || images="$out/synth"
train() {  # NAME CONFIG [--set ...]
  local name=$1 config=$2; shift 2
  [ -f "$out/$name/summary.json" ] || "$bin/alloyml-train" -c "$config" --set "data.root=$out/synth" --set data.split.by=random --set data.split.val=0.2 --set data.split.test=0.2 \
    --set train.epochs=1 --set "schedule.milestones=[]" --set schedule.warmup_epochs=0 "$@" --out "$out/$name" --quiet > /dev/null
}
train r34_64 configs/surface_defect/distill_cpu.json --set distill.teacher=null --set augment.test_time=none
train r34_64_d4 configs/surface_defect/distill_cpu.json --set distill.teacher=null --set augment.test_time=d4
train r50_224 configs/surface_defect/resnet50.json --set input.size=224 --set input.channels=3 --set augment.test_time=none
: > "$out/results.jsonl"
load() {  # RUN PRECISION RATE COUNT
  /usr/bin/python3 bench/watch_load.py "$bin/alloyml-predict" "$out/$1" "$images" "$out/work" "$3" "$4" "$2" "$threads" |
    /usr/bin/python3 -c "import json, sys; r = json.loads(sys.stdin.read()); r['run'] = sys.argv[1]; print(json.dumps(r))" "$1" >> "$out/results.jsonl"
}
for p in "${precisions[@]}"; do
  for rate in 10 25 50 100 200; do load r34_64 $p $rate $((rate * 6)); done
  for rate in 5 10 25; do load r34_64_d4 $p $rate $((rate * 6)); done
  for rate in 2 5 10 20; do load r50_224 $p $rate $((rate * 6)); done
done
echo "$cpu_line"
/usr/bin/python3 - "$out/results.jsonl" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
names = {"r34_64": "ResNet34, 64 px grey", "r34_64_d4": "ResNet34, 64 px grey, d4 TTA", "r50_224": "ResNet50, 224 px RGB"}
print("| network | precision | offered (img/s) | rows/s | p50 (ms) | p99 (ms) | max (ms) | kept up |")
print("|---|---|---|---|---|---|---|---|")
for r in rows:
    print(f"| {names[r['run']]} | {r['precision']} | {r['rate']:g} | {r['rows_per_s']:.1f} | {r['p50_ms']:.1f} | "
          f"{r['p99_ms']:.1f} | {r['max_ms']:.1f} | {'yes' if r['kept_up'] else 'no'} |")
print("\nSustained rate (the highest offered rate kept up):")
for run in names:
    for p in dict.fromkeys(r["precision"] for r in rows):
        ok = [r["rate"] for r in rows if r["run"] == run and r["precision"] == p and r["kept_up"]]
        print(f"- {names[run]}, {p}: {max(ok) if ok else 0:g} img/s")
PY
echo "($out/results.jsonl)"
