#!/usr/bin/env bash
# Measures alloyml (fp32 and bf16 autocast) and Debian's python3-torch (eager fp32, and bf16
# autocast for context) on the same models, with all cores,
# and prints the table for bench/README.md. Nothing else should run meanwhile.
# This machine's throughput drifts by 20% and more from minute to minute, so the two peers run
# back to back on one model and mode at a time, ROUNDS times, and the table reports the median
# of each peer and the median of the per-round ratios.
#   bench/run.sh [SECONDS_PER_MEASUREMENT] [ROUNDS] [IMAGE_FOLDER]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-5}
rounds=${2:-5}
images=${3:-../shared/data/neu-det-dev/IMAGES}
source scripts/cpu.sh
bf16_flag=(); [ "$native_bf16" = 1 ] && bf16_flag=(--bf16)
scripts/setup.sh --peers > /dev/null
cmake --preset release -DALLOYML_BUILD_BENCH=ON > /dev/null
cmake --build --preset release -j "$(nproc)" --target alloyml-bench-models > /dev/null
out=build/bench-results.jsonl
: > "$out"
for round in $(seq 1 "$rounds"); do
  for job in resnet50:inference resnet50:training resnet34:inference resnet34:training; do
    echo "round $round of $rounds: $job" >&2
    build/release/bin/alloyml-bench-models "$seconds" "$images" "$job" | sed "s/}$/, \"round\": $round}/" >> "$out"
    /usr/bin/python3 bench/reference_torch.py --seconds "$seconds" --only "$job" "${bf16_flag[@]}" | sed "s/}$/, \"round\": $round}/" >> "$out"
  done
done
echo "loader" >&2
build/release/bin/alloyml-bench-models "$seconds" "$images" loader >> "$out"
echo "$cpu_line"
/usr/bin/python3 bench/table.py "$out"
