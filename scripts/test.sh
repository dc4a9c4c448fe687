#!/usr/bin/env bash
# Fresh machine to green tests: installs what is missing, builds, runs every test.
#   scripts/test.sh                    release build, every test (what CI runs)
#   scripts/test.sh asan-ubsan         the same under AddressSanitizer and UBSan
#   scripts/test.sh --quick [PRESET]   the quick tier only (ctest label quick: every layer and each
#                                      task's train -> eval -> predict), no fuzzing
# Other tiers: ctest --preset release -L unit|torch|parity|cli|app|slow|fuzz (tests/CMakeLists.txt).
set -euo pipefail
cd "$(dirname "$0")/.."
quick=0
if [ "${1:-}" = "--quick" ]; then quick=1; shift; fi
preset=${1:-release}
start=$(date +%s)
source scripts/cpu.sh  # the CPU and its flags first, so a failure can be told apart by machine
scripts/setup.sh --peers
scripts/build.sh "$preset"
echo "build finished after $(( $(date +%s) - start )) s"
# Every parser of outside input under libFuzzer, ASan and UBSan, for a bounded time each
# (FUZZ_SECONDS=0 skips it); a finding fails the run (after the tests) and leaves its input in
# build/fuzz/crashes.
fuzz=0
if [ "$quick" -eq 0 ] && [ "${FUZZ_SECONDS:-8}" -gt 0 ]; then
  scripts/fuzz.sh "${FUZZ_SECONDS:-8}" || fuzz=$?
  echo "fuzzing finished after $(( $(date +%s) - start )) s"
fi
labels=(); [ "$quick" -eq 1 ] && labels=(-L quick)
ctest --preset "$preset" -j "$(nproc)" "${labels[@]}"
echo "tests finished after $(( $(date +%s) - start )) s"
[ "$fuzz" -eq 0 ] || { echo "scripts/fuzz.sh found a problem (above)"; exit 1; }
