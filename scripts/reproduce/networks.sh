# Sourced by the reproduction scripts that compare many networks under one recipe (Sheng's
# Table 1 in neu.sh, Huang et al.'s Table 6 in huang.sh). Defines
#   train_networks OUT CONFIG WEIGHTS_DIR NOTES NET... [-- --set key=value ...]
# which trains CONFIG with model.name=NET into OUT/NET for each NET (a finished run is kept, a
# started one resumes), starting from WEIGHTS_DIR/NET.pth when that file exists (ImageNet weights
# from torchvision or timm; nothing is downloaded) and otherwise from scratch, which it writes to
# NOTES ("NET: ... from scratch"), and
#   network_latency OUT SIZE CHANNELS NET...
# which writes OUT/latency.jsonl (ms per image at batch 1, fp32 and bf16) when alloyml-bench-deploy
# is built (cmake -DALLOYML_BUILD_BENCH=ON), else says it is not. The networks train one after the
# other, or spread over workers (WORKERS=N, or torchrun/srun: scripts/reproduce/spread.sh).
source scripts/reproduce/spread.sh
train_networks() {
  local out=$1 config=$2 weights=$3 notes=$4; shift 4
  local nets=() extra=()
  mkdir -p "$out"
  while [ $# -gt 0 ] && [ "$1" != "--" ]; do nets+=("$1"); shift; done
  [ $# -gt 0 ] && shift && extra=("$@")
  for net in "${nets[@]}"; do
    local sets=(--set "model.name=$net")
    if [ -n "$weights" ] && [ -f "$weights/$net.pth" ]; then
      sets+=(--set "model.pretrained=$weights/$net.pth")
    else
      sets+=(--set model.pretrained=null)
      grep -q "^$net:" "$notes" 2>/dev/null || echo "$net: no $net.pth in '${weights:-(no weights folder given)}', trained from scratch" >> "$notes"
    fi
    if [ -f "$out/$net/summary.json" ]; then echo "== $net: done already ($out/$net)"; continue; fi
    local resume=()
    [ -f "$out/$net/checkpoints/last.pt" ] && resume=(--resume)
    echo "== $net ($config)"
    spread_run "$out/$net" "${bin:-build/release/bin}/alloyml-train" --config "$config" "${sets[@]}" "${extra[@]}" --out "$out/$net" "${resume[@]}"
  done
  spread_wait
}

network_latency() {
  local out=$1 size=$2 channels=$3; shift 3
  if [ -x "${bin:-build/release/bin}/alloyml-bench-deploy" ]; then
    "${bin:-build/release/bin}/alloyml-bench-deploy" 2 "$size" "$channels" "$@" > "$out/latency.jsonl" 2>/dev/null
  else
    rm -f "$out/latency.jsonl"
    echo "(alloyml-bench-deploy is not built: cmake --preset release -DALLOYML_BUILD_BENCH=ON; no ms per image)"
  fi
}
