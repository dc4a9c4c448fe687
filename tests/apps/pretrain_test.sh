#!/usr/bin/env bash
# Self-supervised pretraining as a user runs it (issue 36, item 4): MoCo v2 on two unlabelled
# sources with the recipe shrunk to a toy; the same metrics for the same seed; a run stopped by
# SIGKILL or SIGINT and resumed equal to an uninterrupted one (both encoders, the optimiser and the
# queue); the k-NN probe in metrics.jsonl and the report; backbone.pth loaded by a classifier's
# model.pretrained with nothing missing but the head; alloyml-eval --data probing the backbone; and
# the error paths (exit 2, naming the key, file or run).
set -euo pipefail
bin=$1; src=$2
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
source "$(dirname "$0")/resume_lib.sh"
"$bin/alloyml-augment" synth -o "$work/a" -n 6 --size 48 --quiet > /dev/null
"$bin/alloyml-augment" synth -o "$work/b" -n 4 --size 48 --seed 7 --quiet > /dev/null
train=("$bin/alloyml-train" -c "$src/configs/pretrain/micrographs.json" --set "data.sources=[\"$work/a\",\"$work/b\"]"
       --set "probe.data=$work/a" --set probe.group_by=null --set probe.every=2 --set probe.k=5
       --set input.size=32 --set input.resize=40 --set model.width=8 --set moco.queue=32 --set moco.dim=16
       --set moco.bn_splits=2 --set train.batch_size=16 --set train.epochs=6 --set schedule.warmup_epochs=1
       --threads 1 --quiet)

"${train[@]}" --out "$work/r1" > "$work/r1.out"
"${train[@]}" --out "$work/r2" > /dev/null
diff <(strip "$work/r1/metrics.jsonl") <(strip "$work/r2/metrics.jsonl") || { echo "FAIL: same seed, different metrics"; exit 1; }
echo "ok: two runs with the same seed wrote identical metrics"
[ "$(wc -l < "$work/r1/metrics.jsonl")" -eq 6 ] || { echo "FAIL: expected 6 epochs"; exit 1; }
# The probe on epochs 2, 4 and 6 only; the InfoNCE loss below its value at chance, log(1 + 32).
python3 - "$work/r1/metrics.jsonl" "$work/r1/summary.json" <<'PY'
import json, math, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
probed = [r["epoch"] for r in rows if "val_knn_accuracy" in r]
assert probed == [2, 4, 6], probed
assert all(0 <= r["val_knn_accuracy"] <= 1 and 0 <= r["val_knn_macro_f1"] <= 1 for r in rows if "val_knn_accuracy" in r)
assert all(0 <= r["train_accuracy"] <= 1 for r in rows)
assert rows[-1]["train_loss"] < math.log(33), rows[-1]["train_loss"]
s = json.load(open(sys.argv[2]))
assert s["images"] == 60, s["images"]  # 36 + 24 synthetic images, labels ignored
assert s["probe"]["images"] == 36 and 0 <= s["probe"]["at_init"]["accuracy"] <= 1, s["probe"]
print(f"ok: loss {rows[0]['train_loss']:.3f} -> {rows[-1]['train_loss']:.3f}; k-NN accuracy at init "
      f"{s['probe']['at_init']['accuracy']:.3f}, after {rows[-1]['val_knn_accuracy']:.3f}")
PY
for f in backbone.pth report.html loss.png knn_probe.png summary.json model.json checkpoints/last.pt; do
  [ -s "$work/r1/$f" ] || { echo "FAIL: the run has no $f"; exit 1; }
done
grep -q "k-NN probe" "$work/r1/report.html" || { echo "FAIL: the report has no probe section"; exit 1; }
grep -q "model.pretrained=$work/r1/backbone.pth" "$work/r1.out" || { echo "FAIL: no hint how to use the backbone"; cat "$work/r1.out"; exit 1; }

check_stop_and_resume "$work/r1/metrics.jsonl" "$work" -- "${train[@]}"
cmp "$work/r1/backbone.pth" "$work/killed-INT/backbone.pth" || { echo "FAIL: the resumed run's backbone differs"; exit 1; }
echo "ok: the resumed run wrote the same backbone"

# A classifier starts from the backbone: every tensor but the head loaded (strict loading).
"$bin/alloyml-train" -c "$src/configs/smoke/tiny.json" --set "data.root=$work/a" --set input.size=32 --set model.width=8 \
  --set input.channels=1 --set model.name=resnet18 --set "model.pretrained=$work/r1/backbone.pth" --set train.epochs=1 --out "$work/fine" \
  --threads 1 > "$work/fine.out" 2>&1 || { cat "$work/fine.out"; echo "FAIL: fine-tuning from the backbone"; exit 1; }
grep -Eq "reinitialised|fc\.(weight|bias)" "$work/fine/train.log" || { cat "$work/fine/train.log"; echo "FAIL: no import report"; exit 1; }
grep -q "missing in the file" "$work/fine/train.log" && { echo "FAIL: backbone tensors missing"; exit 1; }
echo "ok: a classifier loads backbone.pth (head reinitialised)"

# alloyml-eval probes the backbone on labelled images; predict says what the run is for.
"$bin/alloyml-eval" --run "$work/r1" --data "$work/b" --threads 1 --quiet | grep -Eq "k-NN probe .* accuracy [0-9.]+" ||
  { echo "FAIL: eval --data"; exit 1; }
[ -s "$work/r1/eval_knn_b.json" ] || { echo "FAIL: eval wrote no json"; exit 1; }
"$src/tests/apps/expect_exit.sh" 2 "pretraining run.*model.pretrained" "$bin/alloyml-predict" --run "$work/r1" --input "$work/b"

# Error paths.
"$src/tests/apps/expect_exit.sh" 2 "data.sources" "$bin/alloyml-train" -c "$src/configs/pretrain/micrographs.json" \
  --set "data.sources=[]" --out "$work/e1"
"$src/tests/apps/expect_exit.sh" 2 "data.sources: .*nowhere" "${train[@]}" --set "data.sources=[\"$work/nowhere\"]" --out "$work/e2"
"$src/tests/apps/expect_exit.sh" 2 "probe.group_by" "${train[@]}" --set probe.data=null --set probe.group_by=sample --out "$work/e3"
"$src/tests/apps/expect_exit.sh" 2 "moco.bn_splits" "${train[@]}" --set moco.bn_splits=9 --out "$work/e4"
"$src/tests/apps/expect_exit.sh" 2 "fewer than one batch" "${train[@]}" --set train.batch_size=64 --out "$work/e5"
"$src/tests/apps/expect_exit.sh" 2 "augment.mosaic" "${train[@]}" --set augment.mosaic=0.5 --out "$work/e6"
echo "ok: pretraining"
