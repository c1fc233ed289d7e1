#!/usr/bin/env bash
# Sets qnn up and runs its main job on the shipped example: a small CNN is
# quantized with PyTorch, imported into qnn's MLIR dialect, compiled to
# native code and run; the script says whether the outputs equal PyTorch's
# bit for bit, on both of PyTorch's engines. Then qnn-run runs the MLIR
# example examples/small_model.mlir.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh

export PYTHONPATH="$PWD/python${PYTHONPATH:+:$PYTHONPATH}"
status=0
/usr/bin/python3 examples/quantized_cnn.py --engine onednn || status=1
echo
/usr/bin/python3 examples/quantized_cnn.py --engine qnnpack --quiet || status=1
echo
echo "=== qnn-run examples/small_model.mlir (fused, random input, seed 0) ==="
build/bin/qnn-opt examples/small_model.mlir --qnn-fuse |
  build/bin/qnn-run - --print --repeat 100 --time
exit $status
