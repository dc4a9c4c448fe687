#!/usr/bin/env bash
# Data-parallel training on c10d (Gloo over loopback), as a user runs it: alloyml-train --nproc 2,
# and two workers started by hand with torchrun's variables.
#  - 2 workers with B/2 images each (synchronised batch norm) train the weights 1 worker with B
#    trains, to fp32 rounding; per-worker batch norm, a different computation, is visibly off;
#  - the torchrun environment, set by hand and by torchrun itself, gives the very run --nproc gives;
#  - Ctrl-C (SIGINT to the launcher) checkpoints; the checkpoint resumes on one process, and a
#    single-process checkpoint resumes on two workers, both ending where one uninterrupted process ends;
#  - a killed worker ends the job within seconds, the launcher and the survivor naming its rank,
#    and the run resumes from its last checkpoint;
#  - bad environments and impossible batches exit 2 naming the variable or key.
set -euo pipefail
bin=$1; src=$2
work=$(mktemp -d); trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
cd "$work"

"$bin/alloyml-augment" synth -o data -n 40 --size 48 --quiet
# SGD at a small rate: fp32 rounding differences (summation order) stay at rounding size over
# these 15 steps; at 0.02 they grow 100-fold per epoch, as between runs with 1 and 2 threads.
base=(-c "$src/configs/smoke/tiny.json" --set data.root=data --set input.size=48 --set model.width=8
      --set optim.name=sgd --set optim.lr=0.005 --set train.batch_size=48 --precision fp32 --quiet)
few=("${base[@]}" --set train.epochs=2)

# $1 $2 metrics.jsonl files, $3 tolerance: every epoch's losses and accuracies agree within it.
# With "differ" as $4: some value must differ by more than $3 instead.
compare() {
  python3 - "$@" <<'PY'
import json, sys
a, b, tol = sys.argv[1], sys.argv[2], float(sys.argv[3])
differ = len(sys.argv) > 4
ra = [json.loads(l) for l in open(a) if l.strip()]
rb = [json.loads(l) for l in open(b) if l.strip()]
if len(ra) != len(rb): sys.exit(f"FAIL: {a} has {len(ra)} epochs, {b} {len(rb)}")
worst = max(abs(x[k] - y[k]) for x, y in zip(ra, rb) for k in ("train_loss", "val_loss", "train_accuracy", "val_accuracy"))
print(f"{a} vs {b}: largest difference {worst:.3g} (tolerance {tol:g}{', must be exceeded' if differ else ''})")
sys.exit(0 if (worst > tol) == differ else 1)
PY
}

# 1. Same weights: 1 worker with 48 images per step against 2 workers with 24 each.
"$bin/alloyml-train" "${few[@]}" --set train.sync_bn=true --out one --threads 1 > /dev/null
"$bin/alloyml-train" "${few[@]}" --set train.sync_bn=true --out two --nproc 2 > /dev/null
compare one/metrics.jsonl two/metrics.jsonl 1e-5
"$bin/alloyml-predict" --run one --input data --logits -o one.jsonl --quiet
"$bin/alloyml-predict" --run two --input data --logits -o two.jsonl --quiet
python3 - <<'PY'
import json
a = [json.loads(l) for l in open("one.jsonl")]
b = [json.loads(l) for l in open("two.jsonl")]
assert len(a) == len(b) == 240, (len(a), len(b))
worst = max(abs(x - y) for p, q in zip(a, b) for x, y in zip(p["logits"], q["logits"]))
scale = max(abs(x) for p in a for x in p["logits"])
print(f"logits of the 240 images: largest difference {worst:.3g} (scale {scale:.3g})")
assert worst <= 1e-4 * max(1.0, scale), "FAIL: the two runs' networks differ"
PY
for f in config.json model.json split.csv metrics.jsonl summary.json train.log checkpoints/last.pt checkpoints/best.pt; do
  [ -s "two/$f" ] || { echo "FAIL: the distributed run lacks $f"; exit 1; }
done
# Gradients all-reduced after the backward pass instead of during it: the very same sums.
"$bin/alloyml-train" "${few[@]}" --set train.sync_bn=true --set runtime.dist_overlap=false --out two_after --nproc 2 > /dev/null
compare two/metrics.jsonl two_after/metrics.jsonl 0
# Per-worker batch norm (the default) normalises each half batch by itself: not the same run.
"$bin/alloyml-train" "${few[@]}" --out two_local_bn --nproc 2 > /dev/null
compare one/metrics.jsonl two_local_bn/metrics.jsonl 1e-4 differ

# 2. torchrun's environment, two workers started by hand: the same run as --nproc.
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
for r in 0 1; do
  RANK=$r LOCAL_RANK=$r WORLD_SIZE=2 MASTER_ADDR=127.0.0.1 MASTER_PORT=$port \
    "$bin/alloyml-train" "${few[@]}" --set train.sync_bn=true --out torchrun --threads 1 > /dev/null &
done
wait
compare two/metrics.jsonl torchrun/metrics.jsonl 0
# And launched by PyTorch's own torchrun (python3-torch), whose agent serves the store. Debian's
# torchrun 1.13 on Python 3.11 fails with its default --redirects 0 / --tee 0 (Std.from_str finds
# no zero flag); 1 works.
if command -v torchrun > /dev/null; then
  torchrun --nproc_per_node 2 --master_port "$port" --redirects 1 --tee 1 --no_python \
    "$bin/alloyml-train" "${few[@]}" --set train.sync_bn=true --out by_torchrun --threads 1 > /dev/null 2> torchrun.log ||
    { cat torchrun.log; echo "FAIL: under torchrun"; exit 1; }
  compare two/metrics.jsonl by_torchrun/metrics.jsonl 0
else
  echo "skip: no torchrun (python3-torch) on this machine"
fi

# 3. Interrupted and resumed across world sizes, against one uninterrupted process.
long=("${base[@]}" --set train.epochs=5 --set train.sync_bn=true)
"$bin/alloyml-train" "${long[@]}" --out ref --threads 1 > /dev/null
stop_in_third_epoch() {  # $1 run dir, then the command
  local out=$1; shift
  "$@" --out "$out" > /dev/null 2>&1 &
  local pid=$!
  for _ in $(seq 1 6000); do
    [ -f "$out/metrics.jsonl" ] && [ "$(wc -l < "$out/metrics.jsonl")" -ge 2 ] && break
    sleep 0.01
  done
  kill -INT "$pid"
  local rc=0; wait "$pid" || rc=$?
  [ "$rc" -eq 130 ] || { echo "FAIL: SIGINT should exit 130, got $rc"; exit 1; }
  [ "$(wc -l < "$out/metrics.jsonl")" -lt 5 ] || { echo "FAIL: the run finished before SIGINT"; exit 1; }
}
stop_in_third_epoch two_to_one "$bin/alloyml-train" "${long[@]}" --nproc 2
"$bin/alloyml-train" --resume --out two_to_one --threads 1 --quiet > /dev/null
compare ref/metrics.jsonl two_to_one/metrics.jsonl 1e-5
stop_in_third_epoch one_to_two "$bin/alloyml-train" "${long[@]}" --threads 1
"$bin/alloyml-train" --resume --out one_to_two --nproc 2 --quiet > /dev/null
compare ref/metrics.jsonl one_to_two/metrics.jsonl 1e-5

# 4. A worker killed in the middle of training ends the job, named; the run resumes.
"$bin/alloyml-train" "${base[@]}" --set train.epochs=30 --out killed --nproc 2 > /dev/null 2> killed.log &
launcher=$!
for _ in $(seq 1 6000); do [ -f killed/metrics.jsonl ] && break; sleep 0.01; done
worker=$(pgrep -P "$launcher" | tail -1)
kill -9 "$worker"
start=$(date +%s)
rc=0; wait "$launcher" || rc=$?
took=$(( $(date +%s) - start ))
cat killed.log
[ "$rc" -ne 0 ] || { echo "FAIL: the job went on without a worker"; exit 1; }
[ "$took" -le 30 ] || { echo "FAIL: the job took $took s to stop"; exit 1; }
grep -q "worker rank 1 was killed by signal 9" killed.log || { echo "FAIL: the launcher does not name rank 1"; exit 1; }
grep -q "on rank 0: worker rank 1 is gone" killed.log || { echo "FAIL: rank 0 does not name rank 1"; exit 1; }
"$bin/alloyml-train" --resume --out killed --nproc 2 --quiet > /dev/null
[ "$(wc -l < killed/metrics.jsonl)" -eq 30 ] || { echo "FAIL: the resumed run did not finish"; exit 1; }
echo "ok: a killed worker stopped the job in $took s (exit $rc), and the run resumed to the end"

# 5. Spread work: gfa's cross-validation (3 folds x 2 ensemble members, and the final model's 2)
# and springback's repeats, each network trained by one worker: the same out-of-fold predictions
# and the same predictions as one process.
"$bin/alloyml-augment" gfa -o alloys.csv -n 150 --seed 2 --quiet > /dev/null
gfa=(-c "$src/configs/gfa/cpu.json" --set data.csv=alloys.csv --set model.width=8 --set train.epochs=2 --set cv.folds=3
     --set encoding.size=16 --set ensemble.members=2 --quiet)
"$bin/alloyml-train" "${gfa[@]}" --out gfa_one --threads 1 > /dev/null
"$bin/alloyml-train" "${gfa[@]}" --out gfa_two --nproc 2 > /dev/null
cmp gfa_one/oof_predictions.csv gfa_two/oof_predictions.csv || { echo "FAIL: distributed CV predicts otherwise"; exit 1; }
for f in folds/1/result.json folds/3/members/2/checkpoints/last.pt members/2/checkpoints/last.pt summary.json; do
  [ -s "gfa_two/$f" ] || { echo "FAIL: the distributed CV lacks $f"; exit 1; }
done
"$bin/alloyml-augment" springback -o shafts.csv -n 160 --seed 3 --quiet > /dev/null
sb=(-c "$src/configs/springback/gabp.json" --set data.csv=shafts.csv --set ga.generations=20 --set train.repeats=5 --quiet)
"$bin/alloyml-train" "${sb[@]}" --out sb_one > /dev/null
"$bin/alloyml-train" "${sb[@]}" --out sb_two --nproc 2 > /dev/null
cmp sb_one/predictions.csv sb_two/predictions.csv || { echo "FAIL: spread repeats predict otherwise"; exit 1; }
echo "ok: spread gfa folds and springback repeats reproduce the single process"
# A task that does not use the workers trains on rank 0 alone and says so.
"$bin/alloyml-train" "${few[@]}" --set model.name=glcm_svm --out classical --nproc 2 > classical.out 2>&1 ||
  { cat classical.out; echo "FAIL: glcm_svm under --nproc 2"; exit 1; }
grep -q "does not use the other 1 worker(s): rank 0 trains alone" classical.out && [ -s classical/summary.json ] ||
  { cat classical.out; echo "FAIL: glcm_svm under --nproc 2 does not say it trains alone"; exit 1; }

# 6. Bad environments and batches.
expect=$src/tests/apps/expect_exit.sh
WORLD_SIZE=2 "$expect" 2 "WORLD_SIZE is set but RANK is not" "$bin/alloyml-train" "${few[@]}" --out e1
RANK=2 WORLD_SIZE=2 "$expect" 2 "RANK='2' must be a whole number from 0 to 1" "$bin/alloyml-train" "${few[@]}" --out e2
"$expect" 2 "batch size \(1\) is the whole job's and must be at least the number of workers \(2\)" \
  "$bin/alloyml-train" "${few[@]}" --set train.batch_size=1 --out e3 --nproc 2
RANK=1 WORLD_SIZE=2 MASTER_ADDR=127.0.0.1 MASTER_PORT=$port "$expect" 1 "rank 1 of 2: cannot reach the job's store at 127.0.0.1:$port within 2 s" \
  "$bin/alloyml-train" "${few[@]}" --set runtime.dist_timeout_s=2 --out e4
RANK=0 WORLD_SIZE=2 "$expect" 2 "nproc inside a distributed job" "$bin/alloyml-train" "${few[@]}" --out e5 --nproc 2
echo "ok: distributed training"
