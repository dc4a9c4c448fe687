#!/usr/bin/env bash
# Data-parallel training on this machine (issue 26): one process with 2 threads against 2 workers
# (alloyml-train --nproc 2) with 1 thread each, the global batch the same, and one process with 1
# thread for the scaling efficiency; the peer does the same with python3-torch, one process and
# DistributedDataParallel over Gloo (bench/reference_ddp.py, synthetic batches in memory).
# Training images per second from the step timer (validation excluded); synthetic images cached in
# memory, so decoding plays no part.
#   bench/distributed.sh [EPOCHS]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/cpu.sh  # names the CPU beside the figures
epochs=${1:-2}
scripts/setup.sh --peers > /dev/null
cmake --preset release > /dev/null
cmake --build --preset release -j "$(nproc)" --target alloyml-train alloyml-augment > /dev/null
bin=$PWD/build/release/bin
work=${WORK:-build/bench-distributed}
rm -rf "$work" && mkdir -p "$work"
out=$work/results.jsonl
: > "$out"

# $1 name, $2 architecture, $3 image size, $4 images per class
run_net() {
  local name=$1 arch=$2 size=$3 n=$4
  "$bin/alloyml-augment" synth -o "$work/data-$size" -n "$n" --size "$size" --quiet > /dev/null
  local cfg=(-c configs/smoke/tiny.json --set data.root="$work/data-$size" --set data.cache=true --set data.split.val=0.1
             --set data.split.test=0 --set input.size="$size" --set model.name="$arch" --set model.width=64
             --set train.epochs="$epochs" --set train.batch_size=32 --set optim.name=sgd --set optim.lr=0.01
             --precision fp32 --quiet)
  local setting
  for setting in "1 process, 2 threads|--threads 2" "1 process, 1 thread|--threads 1" "2 workers, 1 thread each|--nproc 2" \
                 "2 workers, all-reduce after backward|--nproc 2 --set runtime.dist_overlap=false" \
                 "2 workers, sync_bn|--nproc 2 --set train.sync_bn=true"; do
    local label=${setting%%|*} flags=${setting#*|}
    local dir=$work/$name-$(echo "$label" | tr -c 'a-z0-9' '_')
    echo "$name: $label" >&2
    # shellcheck disable=SC2086
    "$bin/alloyml-train" "${cfg[@]}" $flags --out "$dir" > /dev/null
    /usr/bin/python3 - "$dir/summary.json" "$name" "$arch" "$size" "$label" >> "$out" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
d = s.get("distributed", {})
print(json.dumps({"net": sys.argv[2], "arch": sys.argv[3], "size": int(sys.argv[4]), "setting": sys.argv[5],
                  "peer": "alloyml", "images_per_s": s["train_images_per_s"], "parameters": s["parameters"],
                  "collective_s": d.get("collective_s"), "train_s": d.get("train_s")}))
PY
  done
  echo "$name: python3-torch" >&2
  /usr/bin/python3 bench/reference_ddp.py --arch "$arch" --size "$size" --channels 1 --classes 6 --batch 32 \
      --steps "${PEER_STEPS:-20}" --threads 2 --workers 2 |
    /usr/bin/python3 -c '
import json, sys
for line in sys.stdin:
    r = json.loads(line)
    r.update(net=sys.argv[1], setting="1 process, 2 threads" if r["workers"] == 1 else "2 workers, 1 thread each")
    print(json.dumps(r))' "$name" >> "$out"
}
run_net "resnet34 64 px" resnet34 64 180
run_net "resnet50 128 px" resnet50 128 60

/usr/bin/python3 - "$out" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
print("training images per second (global batch 32, fp32); efficiency = 2 workers / (2 x 1 process with 1 thread)")
print("| network | setting | alloyml | python3-torch | alloyml: time in collectives |")
print("|---|---|---|---|---|")
for net in dict.fromkeys(r["net"] for r in rows):
    mine = {r["setting"]: r for r in rows if r["net"] == net and r["peer"] == "alloyml"}
    peer = {r["setting"]: r for r in rows if r["net"] == net and r["peer"] != "alloyml"}
    for setting, r in mine.items():
        p = peer.get(setting)
        share = f"{100 * r['collective_s'] / r['train_s']:.0f} % of training" if r.get("collective_s") else "-"
        theirs = f"{p['images_per_s']:.1f}" if p else "-"
        print(f"| {net} | {setting} | {r['images_per_s']:.1f} | {theirs} | {share} |")
    one, two, dp = mine.get("1 process, 1 thread"), mine.get("1 process, 2 threads"), mine.get("2 workers, 1 thread each")
    if one and two and dp:
        print(f"| {net} | scaling | 2 threads: {two['images_per_s'] / (2 * one['images_per_s']):.2f}, 2 workers: "
              f"{dp['images_per_s'] / (2 * one['images_per_s']):.2f}; 2 workers / 2 threads: {dp['images_per_s'] / two['images_per_s']:.2f} | | |")
PY
