#!/usr/bin/env bash
# Fresh machine to green tests: installs what is missing, builds, runs every test.
#   scripts/test.sh            release build
#   scripts/test.sh asan-ubsan the same under AddressSanitizer and UBSan
set -euo pipefail
cd "$(dirname "$0")/.."
preset=${1:-release}
start=$(date +%s)
source scripts/cpu.sh  # the CPU and its flags first, so a failure can be told apart by machine
scripts/setup.sh --peers
scripts/build.sh "$preset"
echo "build finished after $(( $(date +%s) - start )) s"
ctest --preset "$preset" -j "$(nproc)"
echo "tests finished after $(( $(date +%s) - start )) s"
