#!/usr/bin/env bash
# Installs what alloyml needs from Debian's packages, and nothing else.
# Idempotent: packages already present are not touched. Works as root, uses sudo otherwise.
#   scripts/setup.sh          build and run dependencies
#   scripts/setup.sh --peers  also the Python reference peers used by tests and bench/
set -euo pipefail

build_pkgs=(cmake g++ make pkg-config libtorch-dev libopencv-dev libcli11-dev nlohmann-json3-dev
            libspdlog-dev libjpeg-dev zlib1g-dev libgtest-dev libopenblas0-openmp
            libgloo-dev   # libgloo-dev: the headers c10d's Gloo process group (distributed training) needs
            clang libclang-rt-dev)  # clang and its libFuzzer/ASan runtimes: scripts/fuzz.sh
peer_pkgs=(python3-torch python3-torchvision python3-sklearn python3-skimage)

want=("${build_pkgs[@]}")
case "${1:-}" in
  --peers) want+=("${peer_pkgs[@]}") ;;
  "") ;;
  *) echo "usage: scripts/setup.sh [--peers]" >&2; exit 2 ;;
esac

missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#want[@]} packages present"
  exit 0
fi

if [ "$(id -u)" -eq 0 ]; then sudo=(); else sudo=(sudo); fi
echo "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
