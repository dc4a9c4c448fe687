#!/usr/bin/env bash
# Fresh machine to a trained defect classifier: installs what is missing, builds, makes a
# small synthetic 6-class surface-defect set, trains a small ResNet on it, evaluates it and
# classifies a few images. Everything lands in build/demo/.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh release alloyml-augment alloyml-train alloyml-eval alloyml-predict  # the tests: scripts/test.sh
bin=build/release/bin
demo=build/demo
rm -rf "$demo/run"
"$bin/alloyml-augment" synth --output "$demo/synthetic-surface-defects" --per-class 60 --size 64
"$bin/alloyml-train" --config configs/surface_defect/demo.json --out "$demo/run"
"$bin/alloyml-eval" --run "$demo/run" --split test --quiet > /dev/null
"$bin/alloyml-predict" --run "$demo/run" --input "$demo/synthetic-surface-defects" --topk 2 \
  --output "$demo/predictions.csv" --quiet
echo
echo "A few predictions (all in $demo/predictions.csv):"
head -n 7 "$demo/predictions.csv" | sed "s|$demo/synthetic-surface-defects/||" |
  awk -F, '{ printf "  %-22s %-16s %-10s %-16s %s\n", $1, $2, substr($3, 1, 8), $4, substr($5, 1, 8) }'
echo
echo "Report: $demo/run/report.html   Metrics: $demo/run/summary.json"
