#!/usr/bin/env bash
# Installs the Debian packages qnn needs (only those missing), then
# configures and builds qnn into build/. `scripts/setup.sh test` also
# installs what the tests need beyond that: the AArch64 cross compiler and
# qemu-aarch64 (scripts/test-aarch64.sh). `scripts/setup.sh bench` installs
# XNNPACK and its pthreadpool, whose int8 operators bench/bench.py then
# times next to torch and qnn (bench/xnnpack.cpp).
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  cmake ninja-build g++ libgtest-dev
  llvm-22-dev llvm-22-tools libmlir-22-dev mlir-22-tools libsleef-dev
  python3 python3-numpy python3-pytest python3-torch python3-torchvision
)
if [ "${1:-}" = test ]; then
  packages+=(g++-aarch64-linux-gnu qemu-user)
elif [ "${1:-}" = bench ]; then
  packages+=(libxnnpack-dev libpthreadpool-dev)
fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
    missing+=("$p")
done
if ((${#missing[@]})); then
  echo "qnn setup: installing ${missing[*]}"
  sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq \
    --no-install-recommends "${missing[@]}"
fi

cmake -G Ninja -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build
