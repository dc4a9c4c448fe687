# Sourced by the resume tests. check_stop_and_resume REF_METRICS WORK -- TRAIN...
# Runs TRAIN... --out WORK/killed-SIG, stops it (SIGKILL, then SIGINT) in its third epoch, resumes
# it with "${RESUME[@]}" --out DIR (default: the same command with --resume) and requires the
# resumed run's metrics.jsonl to equal REF_METRICS, timing fields left out.
strip() { sed 's/,"seconds":[^}]*//' "$1"; }

check_stop_and_resume() {
  local ref=$1 work=$2; shift 3
  local sig out pid rc
  for sig in KILL INT; do
    out="$work/killed-$sig"
    "$@" --out "$out" >/dev/null 2>&1 &
    pid=$!
    # Wait for two finished epochs, then stop the run in the middle of the third.
    for _ in $(seq 1 3000); do
      [ -f "$out/metrics.jsonl" ] && [ "$(wc -l < "$out/metrics.jsonl")" -ge 2 ] && break
      sleep 0.01
    done
    kill -s "$sig" "$pid" 2>/dev/null || true
    rc=0; wait "$pid" || rc=$?
    if [ "$rc" -eq 0 ]; then echo "FAIL: the run finished before SIG$sig; make it longer"; exit 1; fi
    [ "$sig" = INT ] && [ "$rc" -ne 130 ] && { echo "FAIL: SIGINT should exit 130, got $rc"; exit 1; }
    [ -f "$out/checkpoints/last.pt" ] || { echo "FAIL: no checkpoint after SIG$sig"; exit 1; }
    if [ -n "${RESUME+x}" ]; then "${RESUME[@]}" --out "$out" >/dev/null; else "$@" --resume --out "$out" >/dev/null; fi
    diff <(strip "$ref") <(strip "$out/metrics.jsonl") || { echo "FAIL: resumed run after SIG$sig differs"; exit 1; }
    echo "ok: run stopped by SIG$sig (exit $rc) and resumed matches the uninterrupted run"
  done
}
