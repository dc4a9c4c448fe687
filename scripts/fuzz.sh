#!/usr/bin/env bash
# Fuzzes every parser of outside input with libFuzzer under ASan and UBSan (issue 35): config JSON
# and --set, .pth/TorchScript/checkpoint archives, formulas, CSV and split.csv, image integrity and
# decoding, run-directory readers. Each harness runs SECONDS (default 60) from its seed corpus in
# tests/fuzz/corpus (new inputs go to build/fuzz/corpus, not into the repository). A crash, a
# sanitizer report or an exception other than alloyml's InputError stops with exit 1 and leaves
# the input in build/fuzz/crashes: add it to tests/fuzz/regressions/HARNESS/, where CTest replays it.
#   scripts/fuzz.sh [SECONDS] [HARNESS...]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}; shift || true
harnesses=("$@")
[ ${#harnesses[@]} -gt 0 ] || harnesses=(config formula csv image pth run_dir)
scripts/setup.sh > /dev/null
cmake -S tests/fuzz -B build/fuzz -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo > /dev/null
cmake --build build/fuzz -j "$(nproc)" --target $(printf 'fuzz_%s ' "${harnesses[@]}") > build/fuzz-build.log 2>&1 ||
  { tail -40 build/fuzz-build.log; exit 1; }
mkdir -p build/fuzz/crashes
status=0
for h in "${harnesses[@]}"; do
  work=build/fuzz/corpus/$h
  mkdir -p "$work"
  log=build/fuzz/$h.log
  rc=0
  # rss and per-input limits: a harness that needs more is a finding too.
  ASAN_OPTIONS=detect_leaks=0:allocator_may_return_null=1 UBSAN_OPTIONS=print_stacktrace=1 \
    "build/fuzz/fuzz_$h" "$work" "tests/fuzz/corpus/$h" $(ls -d "tests/fuzz/regressions/$h" 2>/dev/null) -max_total_time="$seconds" -timeout=20 -rss_limit_mb=3072 \
    -malloc_limit_mb=2048 -artifact_prefix="build/fuzz/crashes/$h-" -print_final_stats=1 > "$log" 2>&1 || rc=$?
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*' || echo 0)
  if [ "$rc" -eq 0 ]; then
    echo "fuzz $h: $runs executions in ${seconds} s, coverage $cov edges, nothing found"
  else
    status=1
    echo "fuzz $h: FOUND a problem after $runs executions (exit $rc); input in build/fuzz/crashes/$h-*:"
    grep -m1 -E "ERROR: (AddressSanitizer|libFuzzer|UndefinedBehaviorSanitizer)|runtime error|uncaught exception|terminate called" "$log" || tail -5 "$log"
  fi
done
exit $status
