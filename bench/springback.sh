#!/usr/bin/env bash
# GA-BP, BP and linear regression against scikit-learn's MLPRegressor (lbfgs) and LinearRegression
# on the same synthetic train/test files, in one run, each on one core (taskset -c 0).
#   bench/springback.sh [SEEDS]
# alloyml's validation rows (for LM's early stop) are carved out of the training file; the
# scikit-learn MLP trains on the whole training file. Fit times are per fit (one seed).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/cpu.sh  # names the CPU beside the figures
seeds=${1:-10}
scripts/setup.sh --peers > /dev/null
scripts/build.sh release > /dev/null
bin=build/release/bin
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
one=(taskset -c 0)
"$bin/alloyml-augment" springback -o "$work/train.csv" -n 240 --seed 100 --quiet > /dev/null
"$bin/alloyml-augment" springback -o "$work/test.csv" -n 200 --seed 101 --quiet > /dev/null
row() {  # name config extra-args...
  local name=$1 cfg=$2; shift 2
  "${one[@]}" "$bin/alloyml-train" -c "$cfg" --set "data.train=$work/train.csv" --set "data.test=$work/test.csv" \
    --set data.split.val=0.15 --set "train.repeats=$seeds" --set train.compare=false --threads 1 --out "$work/$name" \
    --quiet "$@" > /dev/null
  /usr/bin/python3 - "$work/$name/summary.json" "$name" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
out = {"peer": "alloyml", "model": sys.argv[2], "test_rmse": s["metrics"]["test"]["rmse"],
       "fit_seconds": s["fit_seconds"] / s.get("repeats", 1)}
if "repeat_statistics" in s:
    out["test_rmse_mean"] = s["repeat_statistics"]["test_rmse"]["mean"]
    out["test_rmse_std"] = s["repeat_statistics"]["test_rmse"]["std"]
    out["lm_stop"] = sorted({r["stop_reason"] for r in s["lm"]})
print(json.dumps(out))
PY
}
row gabp_paper configs/springback/gabp.json
row gabp_converged configs/springback/gabp.json --set lm.goal=0
row bp_paper configs/springback/bp.json
row bp_converged configs/springback/bp.json --set lm.goal=0
row linear configs/springback/linear.json
OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 "${one[@]}" /usr/bin/python3 bench/reference_springback.py \
  "$work/train.csv" "$work/test.csv" 8 "$seeds"
