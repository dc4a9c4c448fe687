#!/usr/bin/env bash
# Reproduces Huang et al. 2023 (SARSN, RKD; Algorithms 16:516) on one NEU image folder with one
# split, and prints each table beside the paper's figures (../shared/PAPERS.md):
#   fig15   ResNet, SE-ResNet and SARSN at depths 34, 50 and 101 (Fig. 15)
#   table4  ResNet34 alone against ResNet34 distilled (RKD) from the SARSN34/50/101 of fig15 (Table 4)
#   table6  accuracy, parameters and ms per image of the networks trained above (Table 6)
#   table6-others  the other networks of Table 6 (GoogLeNet, DenseNet121, Inception v3,
#           SqueezeNet 1.1, MobileNetV3, ResNet101, ResNeXt101, SE-ResNet101) under one recipe on
#           the same split: configs/surface_defect/table_cpu.json (or the paper's teacher recipe
#           with PAPER=1 in the environment), starting from WEIGHTS/NET.pth where
#           WEIGHTS (environment) holds one, else from scratch and marked so
#   cpu     the 2-core recipe: a SARSN teacher (sarsn_cpu.json), its RKD student (distill_cpu.json)
#           and the same student trained alone
#   table7  defect measures per class (alloyml-augment quantify: area, perimeter, area ratio, K)
#
#   scripts/reproduce/huang.sh IMAGE_FOLDER [PARTS] [-- --set key=value ...]
#
# PARTS is a comma-separated subset (default: cpu). fig15 and table4 are the paper's recipes:
# 200 epochs at batch 8, about 26 h per network on the paper's GPU; -- --set train.epochs=20 gives
# a quick look. table4 and table6 read the runs of fig15 (run it first, or together).
# The runs of one part are independent: WORKERS=N runs N at a time on this machine, and the script
# started on every worker by torchrun or srun spreads them over the workers (scripts/reproduce/spread.sh).
set -euo pipefail
cd "$(dirname "$0")/../.."
usage="usage: scripts/reproduce/huang.sh IMAGE_FOLDER [fig15,table4,table6,table6-others,cpu,table7] [-- --set key=value ...]"
folder=${1:?$usage}; shift
parts=cpu
[ $# -gt 0 ] && [ "$1" != "--" ] && { parts=$1; shift; }
[ $# -gt 0 ] && [ "$1" = "--" ] && shift
extra=("$@")
[ -d "$folder" ] || { echo "$folder: no such folder" >&2; exit 2; }
for p in ${parts//,/ }; do
  case "$p" in fig15|table4|table6|table6-others|cpu|table7) ;; *) echo "unknown part '$p'; $usage" >&2; exit 2 ;; esac
done
scripts/setup.sh
scripts/build.sh release
bin=build/release/bin
out=${OUT:-runs/reproduce-huang}
mkdir -p "$out"
train() {  # NAME CONFIG [--set ...]: trains into $out/NAME unless it is done already
  local name=$1 config=$2; shift 2
  if [ -f "$out/$name/summary.json" ]; then echo "== $name: done already ($out/$name)"; return; fi
  echo "== $name ($config)"
  local resume=()
  [ -f "$out/$name/checkpoints/last.pt" ] && resume=(--resume)
  spread_run "$out/$name" "$bin/alloyml-train" --config "$config" --set "data.root=$folder" "$@" "${extra[@]}" --out "$out/$name" "${resume[@]}"
}
source scripts/reproduce/spread.sh
has() { [[ ",$parts," == *",$1,"* ]]; }

if has fig15 || has table4 || has table6; then
  for family in resnet seresnet sarsn; do
    for depth in 34 50 101; do train "$family$depth" "configs/surface_defect/$family$depth.json"; done
  done
  spread_wait  # the students of table4 learn from these teachers
fi
if has table4 || has table6; then
  train student_alone configs/surface_defect/distill_sarsn101_resnet34.json --set distill.teacher=null
  for depth in 34 50 101; do
    train "student_sarsn$depth" configs/surface_defect/distill_sarsn101_resnet34.json --set "distill.teacher=$out/sarsn$depth"
  done
  spread_wait
fi
if has cpu; then
  train sarsn_cpu configs/surface_defect/sarsn_cpu.json
  train distill_cpu_alone configs/surface_defect/distill_cpu.json --set distill.teacher=null
  spread_wait
  train distill_cpu configs/surface_defect/distill_cpu.json --set "distill.teacher=$out/sarsn_cpu"
  spread_wait
fi
main=$([ "${RANK:-0}" -eq 0 ] && echo 1 || true)  # spread over workers: rank 0 measures
if has table7 && [ -n "$main" ] && [ ! -f "$out/quantify/classes.csv" ]; then
  "$bin/alloyml-augment" quantify -i "$folder" -o "$out/quantify" --quiet > /dev/null
fi
latency=""
if has table6 && [ -n "$main" ]; then
  latency=$out/latency.jsonl
  "$bin/alloyml-bench-deploy" 3 64 3 resnet34 seresnet101 sarsn101 > "$latency" 2>/dev/null ||
    { echo "(alloyml-bench-deploy is not built: cmake --preset release -DALLOYML_BUILD_BENCH=ON; no ms per image)"; latency=""; }
fi
/usr/bin/python3 scripts/reproduce/huang_table.py "$out" "$parts" "$latency"
if has table6-others; then
  source scripts/reproduce/networks.sh
  others=(googlenet densenet121 inception_v3 squeezenet1_1 mobilenet_v3_large resnet101 resnext101_32x8d seresnet101)
  config=configs/surface_defect/table_cpu.json; size=96
  [ -n "${PAPER:-}" ] && { config=configs/surface_defect/sarsn34.json; size=64; }
  [ "$size" -ge 75 ] || others=("${others[@]/inception_v3}")  # Inception v3 needs 75 px or more
  others=($(printf '%s\n' "${others[@]}" | grep .))
  train_networks "$out/table6" "$config" "${WEIGHTS:-}" "$out/table6/notes.txt" "${others[@]}" -- --set "data.root=$folder" "${extra[@]}"
  network_latency "$out/table6" "$size" 3 "${others[@]}"
  IFS=,; /usr/bin/python3 scripts/reproduce/networks_table.py "$out/table6" "${others[*]}" "$out/table6/notes.txt" '{}' \
    "Huang et al.'s Table 6, the other networks (the paper prints no figures for them in PAPERS.md), $config"
fi
