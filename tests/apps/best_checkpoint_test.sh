#!/usr/bin/env bash
# For every task with a validation split: the saved best checkpoint, evaluated by alloyml-eval on
# the run's own validation split, reproduces the validation figure of the epoch that selected it
# in metrics.jsonl (the best epoch by the metric's own goal: accuracy up, RMSE down).
set -euo pipefail
bin=$1; src=$2
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
cd "$work"

# $1 run dir, $2 metric in metrics.jsonl, $3 max|min, $4 key of eval_val.json, $5 filter (python
# expression on a metrics row, e.g. the chosen repeat), $6 relative tolerance.
check() {
  "$bin/alloyml-eval" --run "$1" --split val --quiet > /dev/null
  python3 - "$@" <<'PY'
import json, sys
run, metric, mode, key, keep, tol = sys.argv[1:7]
rows = [json.loads(l) for l in open(f"{run}/metrics.jsonl") if l.strip()]
rows = [r for r in rows if eval(keep, {}, {"r": r}) and r.get(metric) is not None]
values = [r[metric] for r in rows]
best = max(values) if mode == "max" else min(values)
worst = min(values) if mode == "max" else max(values)
got = json.load(open(f"{run}/eval_val.json"))[key]
ok = abs(got - best) <= float(tol) * max(1.0, abs(best))
print(f"{run}: best {metric} {best:.6g} (worst {worst:.6g}) in metrics.jsonl; best checkpoint evaluates to {got:.6g}")
sys.exit(0 if ok else 1)
PY
}

# Image classification (a CNN): val_accuracy, maximised.
"$bin/alloyml-augment" synth -o data -n 10 --size 32 --quiet
"$bin/alloyml-train" -c "$src/configs/smoke/tiny.json" --set data.root=data --set input.size=32 --set train.epochs=4 \
  --set model.width=8 --out cnn --threads 2 --quiet > /dev/null
check cnn val_accuracy max accuracy True 1e-9
# In bf16 too: validation runs through the network eval uses (folded, packed, bf16), not the
# training graph under autocast, which can disagree on a borderline image.
"$bin/alloyml-train" -c "$src/configs/smoke/tiny.json" --set data.root=data --set input.size=32 --set train.epochs=4 \
  --set model.width=8 --out cnn_bf16 --threads 2 --precision bf16 --quiet > /dev/null
check cnn_bf16 val_accuracy max accuracy True 1e-9
# Selected by its validation loss (minimised), with test-time augmentation (8 views) in validation and
# eval alike: the accuracy of the lowest-loss epoch is what best.pt evaluates to.
"$bin/alloyml-train" -c "$src/configs/smoke/tiny.json" --set data.root=data --set input.size=32 --set train.epochs=4 \
  --set model.width=8 --set train.monitor=val_loss --set augment.test_time=d4 --out cnn_loss --threads 2 --quiet > /dev/null
"$bin/alloyml-eval" --run cnn_loss --split val --quiet > /dev/null
python3 - <<'PY'
import json
rows = [json.loads(l) for l in open("cnn_loss/metrics.jsonl")]
best = min(rows, key=lambda r: r["val_loss"])
s = json.load(open("cnn_loss/summary.json"))
assert abs(s["best_val_loss"] - best["val_loss"]) < 1e-12, (s["best_val_loss"], best)
got = json.load(open("cnn_loss/eval_val.json"))["accuracy"]
assert abs(got - best["val_accuracy"]) < 1e-9, (got, best)
print("cnn_loss: best.pt is epoch", best["epoch"], "of the lowest val_loss", best["val_loss"], "; accuracy", got)
PY

# The GLCM+SVM baseline: its one selection figure.
"$bin/alloyml-train" -c "$src/configs/smoke/tiny.json" --set data.root=data --set input.size=32 \
  --set model.name=glcm_svm --out glcm --quiet > /dev/null
check glcm val_accuracy max accuracy True 1e-9

# Glass-forming ability without cross-validation: val_rmse, minimised (it was maximised before).
"$bin/alloyml-augment" gfa -o alloys.csv -n 160 --seed 3 --quiet > /dev/null
# In fp32 the figure is reproduced to rounding; with bf16 (auto on a CPU with AVX512-BF16) validation
# during training runs the training graph under autocast, while eval runs the inference graph (batch
# norm folded into the convolutions, oneDNN bf16 kernels), so the two agree to bf16's precision.
for precision in fp32 auto; do
  "$bin/alloyml-train" -c "$src/configs/gfa/cpu.json" --set data.csv=alloys.csv --set cv.folds=0 --set model.width=8 \
    --set train.epochs=6 --set encoding.size=16 --set ensemble.members=1 --out gfa_$precision --threads 2 \
    --precision $precision --quiet > /dev/null
done
check gfa_fp32 val_rmse min rmse True 1e-6
check gfa_auto val_rmse min rmse True 1e-2

# Springback: the repeat chosen on validation, at its best Levenberg-Marquardt epoch.
"$bin/alloyml-augment" springback -o sb.csv -n 60 --seed 4 --quiet > /dev/null
"$bin/alloyml-train" -c "$src/configs/springback/bp.json" --set data.csv=sb.csv --set train.repeats=3 \
  --set train.compare=false --out sb --quiet > /dev/null
chosen=$(python3 -c "import json; print(json.load(open('sb/summary.json'))['chosen_repeat'])")
check sb val_rmse min rmse "r['repeat'] == $chosen" 1e-6
echo "ok: every best checkpoint reproduces the validation figure that selected it"
