#!/usr/bin/env bash
# Configures and builds a preset (default: release) with every core. Used by demo.sh and test.sh.
#   scripts/build.sh [PRESET [TARGET...]]   TARGETs: only those (demo.sh builds the four commands)
set -euo pipefail
cd "$(dirname "$0")/.."
preset=${1:-release}
shift || true
targets=()
[ $# -gt 0 ] && targets=(--target "$@")
cmake --preset "$preset" > /dev/null
cmake --build --preset "$preset" -j "$(nproc)" "${targets[@]}"
