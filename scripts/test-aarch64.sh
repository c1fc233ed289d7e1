#!/usr/bin/env bash
# qnn on AArch64, tested from an x86-64 machine: cross-compiles the runtime
# (cmake/aarch64-linux-gnu.cmake) and models compiled ahead of time
# (qnn-run --target aarch64-linux-gnu --emit-object --emit-header, driven by
# examples/c/run_model.c), and runs them under qemu-aarch64:
#
# - the GEMM check (runtime/test/GemmCheck.cpp) on a CPU with the dot
#   product (the NEON sdot kernel), on one without (cortex-a53: the
#   portable kernel) and with QNN_ISA=portable;
# - each model's result, which must equal byte for byte the same model
#   compiled for this host, at 1 and 2 threads and with the portable kernel.
#
# Needs build/ (scripts/setup.sh), g++-aarch64-linux-gnu and qemu-user
# (scripts/setup.sh test installs them) and, for the torchvision model,
# python3-torch. Prints 'aarch64: N passed, N failed'; exits non-zero on a
# failure.
set -uo pipefail
cd "$(dirname "$0")/.."
out=build/aarch64
mkdir -p "$out"
passed=0
failed=0
check() { # check NAME COMMAND...
  local name=$1
  shift
  if "$@"; then
    echo "PASS: aarch64 :: $name"
    passed=$((passed + 1))
  else
    echo "FAIL: aarch64 :: $name"
    failed=$((failed + 1))
  fi
}
arm() { qemu-aarch64 -L /usr/aarch64-linux-gnu "$@"; }

cmake -G Ninja -S runtime -B "$out/runtime" -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_TOOLCHAIN_FILE="$PWD/cmake/aarch64-linux-gnu.cmake" >/dev/null &&
  cmake --build "$out/runtime" >/dev/null || {
  echo "FAIL: aarch64 :: cross-compiling the runtime"
  echo "aarch64: 0 passed, 1 failed"
  exit 1
}
gemm="$out/runtime/bin/qnn-gemm-check"
check "GEMM, NEON dot product kernel" arm "$gemm"
check "GEMM, no dot product (cortex-a53)" arm -cpu cortex-a53 "$gemm"
check "GEMM, QNN_ISA=portable" env QNN_ISA=portable qemu-aarch64 \
  -L /usr/aarch64-linux-gnu "$gemm"

# Models: the shipped example, and mobilenet_v2 (depthwise and pointwise
# convs, residual adds, a float input quantized in the model) at 32x32.
models=(examples/small_model.mlir)
if PYTHONPATH=python /usr/bin/python3 - "$out/mobilenet_v2.mlir" <<'PY'
import sys
import torch
import torchvision.models.quantization as tvq
from torch.ao.quantization import convert, get_default_qconfig, prepare
import qnn
torch.backends.quantized.engine = "qnnpack"
torch.manual_seed(0)
model = tvq.mobilenet_v2(weights=None, quantize=False).eval()
model.fuse_model()
model.qconfig = get_default_qconfig("qnnpack")
prepare(model, inplace=True)
with torch.no_grad():
    for _ in range(2):
        model(torch.randn(1, 3, 32, 32))
convert(model, inplace=True)
open(sys.argv[1], "w").write(qnn.from_torch(model, torch.randn(1, 3, 32, 32)))
PY
then
  models+=("$out/mobilenet_v2.mlir")
else
  echo "FAIL: aarch64 :: exporting mobilenet_v2"
  failed=$((failed + 1))
fi

aot() { # aot MODEL NAME TARGET_ARGS... : object, header, driver
  local model=$1 name=$2
  shift 2
  build/bin/qnn-run "$model" "$@" --emit-object "$out/$name.o" \
    --emit-header "$out/$name.h"
}
for model in "${models[@]}"; do
  name=$(basename "$model" .mlir)
  if ! aot "$model" "$name-x86_64" ||
    ! cc -O2 -include "$out/$name-x86_64.h" examples/c/run_model.c \
      "$out/$name-x86_64.o" build/lib/libqnn_runtime_static.a -lsleef \
      -lstdc++ -lm -lpthread -o "$out/$name-x86_64"; then
    check "$name: compiling for x86-64" false
    continue
  fi
  if ! aot "$model" "$name-aarch64" --target aarch64-linux-gnu ||
    ! aarch64-linux-gnu-gcc -O2 -include "$out/$name-aarch64.h" \
      examples/c/run_model.c "$out/$name-aarch64.o" \
      "$out/runtime/lib/libqnn_runtime_static.a" -lstdc++ -lm -lpthread \
      -o "$out/$name-aarch64"; then
    check "$name: compiling for AArch64" false
    continue
  fi
  "$out/$name-x86_64" >"$out/$name.x86_64.bin" 2>/dev/null
  check "$name: AArch64 (dot product) equals x86-64" sh -c \
    "qemu-aarch64 -L /usr/aarch64-linux-gnu $out/$name-aarch64 2>/dev/null |
     cmp -s - $out/$name.x86_64.bin"
  check "$name: AArch64, 2 threads, equals x86-64" sh -c \
    "QNN_NUM_THREADS=2 qemu-aarch64 -L /usr/aarch64-linux-gnu \
     $out/$name-aarch64 2>/dev/null | cmp -s - $out/$name.x86_64.bin"
  check "$name: AArch64, portable kernel, equals x86-64" sh -c \
    "QNN_ISA=portable qemu-aarch64 -L /usr/aarch64-linux-gnu \
     $out/$name-aarch64 2>/dev/null | cmp -s - $out/$name.x86_64.bin"
done
echo "aarch64: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
