# Sourced by the reproduction scripts: their comparison runs are independent, so they can be spread
# over workers instead of running one after the other.
#   spread_run OUT_DIR CMD...   runs CMD (an alloyml-train that writes OUT_DIR) on its worker
#   spread_wait                 returns once every run started so far has finished (or fails)
# How the runs are spread:
#   WORKERS=N (environment), on this machine: up to N runs at a time, each with an equal share of
#     the cores (--threads), its output in OUT_DIR.out;
#   under torchrun or srun (RANK and WORLD_SIZE set, every worker running the same script on a
#     folder they all see): run k on the worker of rank k % WORLD_SIZE; spread_wait waits for the
#     other workers' runs (their summary.json) and stops if one of them failed (OUT_DIR.failed).
#     The runs themselves train alone: the variables are not passed on to alloyml-train.
#   neither: one run after the other, as before.
[ -n "${spread_loaded:-}" ] && return 0
spread_loaded=1
spread_k=0
spread_pending=()

spread_run() {
  local out=$1; shift
  local k=$spread_k
  spread_k=$((k + 1))
  mkdir -p "$(dirname "$out")"
  rm -f "$out.failed"
  if [ "${WORLD_SIZE:-1}" -gt 1 ]; then
    spread_pending+=("$out")
    [ $((k % WORLD_SIZE)) -eq "${RANK:-0}" ] || return 0
    echo "== rank ${RANK:-0}: $out"
    env -u RANK -u WORLD_SIZE -u LOCAL_RANK -u LOCAL_WORLD_SIZE -u MASTER_ADDR -u MASTER_PORT "$@" ||
      { touch "$out.failed"; echo "FAILED: $out" >&2; return 1; }
  elif [ "${WORKERS:-1}" -gt 1 ]; then
    while [ "$(jobs -rp | wc -l)" -ge "$WORKERS" ]; do wait -n || true; done
    local threads=$(( $(nproc) / WORKERS ))
    [ "$threads" -ge 1 ] || threads=1
    echo "== started: $out (output in $out.out)"
    ( "$@" --threads "$threads" > "$out.out" 2>&1 || { touch "$out.failed"; echo "FAILED: $out (see $out.out)" >&2; } ) &
    spread_pending+=("$out")
  else
    "$@"
  fi
}

spread_wait() {
  wait || true
  local out failed=0
  if [ "${WORLD_SIZE:-1}" -gt 1 ]; then
    for out in "${spread_pending[@]}"; do
      until [ -f "$out/summary.json" ] || [ -f "$out.failed" ]; do sleep 5; done
    done
  fi
  for out in "${spread_pending[@]}"; do
    [ -f "$out.failed" ] && { echo "FAILED: $out" >&2; failed=1; }
  done
  spread_pending=()
  return $failed
}
