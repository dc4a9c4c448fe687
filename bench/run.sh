#!/usr/bin/env bash
# Measures alloyml and Debian's python3-torch (eager, fp32) on the same models in one run,
# with all cores, and prints the table for bench/README.md. Nothing else should run meanwhile.
# The two peers alternate for ROUNDS rounds and each figure is the best round (noise from a
# shared machine only ever slows a run down).
#   bench/run.sh [SECONDS_PER_MEASUREMENT] [ROUNDS] [IMAGE_FOLDER]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-8}
rounds=${2:-3}
images=${3:-../shared/data/neu-det-dev/IMAGES}
scripts/setup.sh --peers > /dev/null
cmake --preset release -DALLOYML_BUILD_BENCH=ON > /dev/null
cmake --build --preset release -j "$(nproc)" --target alloyml-bench-models > /dev/null
out=build/bench-results.jsonl
: > "$out"
for round in $(seq 1 "$rounds"); do
  echo "round $round of $rounds" >&2
  build/release/bin/alloyml-bench-models "$seconds" "$images" >> "$out"
  /usr/bin/python3 bench/reference_torch.py --seconds "$seconds" >> "$out"
done
/usr/bin/python3 bench/table.py "$out"
