#!/usr/bin/env bash
# Sets qnn up and runs its main job on the shipped example: the small
# quantized model in examples/small_model.mlir is fused, then decomposed into
# PyTorch's reference form.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh

model=examples/small_model.mlir
echo
echo "=== $model after --qnn-fuse ==="
build/bin/qnn-opt "$model" --qnn-fuse
echo
echo "=== after --qnn-fuse --qnn-decompose (reference form) ==="
build/bin/qnn-opt "$model" --qnn-fuse --qnn-decompose
