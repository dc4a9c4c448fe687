#!/usr/bin/env bash
# Glass-forming ability: 10-fold cross-validation of the CPU recipe (configs/gfa/cpu.json) on the
# Poonia Dmax set against scikit-learn's random forest on element fractions, same folds, one run.
#   bench/gfa.sh [DATA_CSV] [-- --set key=value ...]
# Prints alloyml's table and one JSON line per peer (R^2 and RMSE of the pooled out-of-fold
# predictions, per-fold mean +- std, wall time). The real set is not shipped: see data/gfa/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/cpu.sh  # names the CPU beside the figures
data=${1:-../shared/data/bmg-dmax/poonia-dmax.csv}
shift || true
[ "${1:-}" = "--" ] && shift
if [ ! -f "$data" ]; then echo "SKIPPED: $data not found (data/gfa/README.md says where to get it)"; exit 0; fi
scripts/setup.sh --peers > /dev/null
scripts/build.sh release > /dev/null
bin=build/release/bin
out=${ALLOYML_BENCH_OUT:-$(mktemp -d)/gfa_cpu}
start=$(date +%s)
"$bin/alloyml-train" -c configs/gfa/cpu.json --set "data.csv=$data" --out "$out" "$@"
echo "alloyml wall time (10 folds + final model): $(( $(date +%s) - start )) s; run directory $out"
/usr/bin/python3 bench/reference_gfa.py "$data" "$out/oof_predictions.csv" 500
