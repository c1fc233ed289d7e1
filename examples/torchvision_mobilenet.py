"""Compile torchvision's quantizable mobilenet_v2 with qnn and check it
against PyTorch, in eager mode and in FX graph mode.

    PYTHONPATH=python /usr/bin/python3 examples/torchvision_mobilenet.py [size]

The model has random weights (no download); it is fused, calibrated on two
random batches and converted as torchvision's quantization recipe does,
then compiled for `torch.backends.quantized.engine` with the arithmetic
torch uses on this machine. The script prints whether qnn's output equals
torch's bit for bit and both run times.
"""

import sys
import time

import torch
import torchvision
import torchvision.models.quantization as tvq
from torch.ao.quantization import get_default_qconfig, get_default_qconfig_mapping
from torch.ao.quantization import convert, prepare
from torch.ao.quantization.quantize_fx import convert_fx, prepare_fx

import qnn


def eager(engine: str, size: int) -> torch.nn.Module:
    model = tvq.mobilenet_v2(weights=None, quantize=False).eval()
    model.fuse_model()
    model.qconfig = get_default_qconfig(engine)
    prepare(model, inplace=True)
    for _ in range(2):
        model(torch.randn(1, 3, size, size))
    return convert(model, inplace=True)


def fx(engine: str, size: int) -> torch.nn.Module:
    model = torchvision.models.mobilenet_v2(weights=None).eval()
    prepared = prepare_fx(model, get_default_qconfig_mapping(engine),
                          (torch.randn(1, 3, size, size),))
    for _ in range(2):
        prepared(torch.randn(1, 3, size, size))
    return convert_fx(prepared)


def timed(fn, x, repeat=5):
    fn(x)
    start = time.perf_counter()
    for _ in range(repeat):
        y = fn(x)
    return y, (time.perf_counter() - start) / repeat * 1e3


def main() -> int:
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 96
    torch.manual_seed(0)
    engine = torch.backends.quantized.engine
    x = torch.randn(1, 3, size, size)
    ok = True
    for mode, build in (("eager", eager), ("fx", fx)):
        model = build(engine, size)
        start = time.perf_counter()
        compiled = qnn.compile(model, x)
        compile_s = time.perf_counter() - start
        with torch.no_grad():
            expected, torch_ms = timed(model, x)
        actual, qnn_ms = timed(compiled, x)
        same = torch.equal(actual, expected)
        ok &= same
        print(f"mobilenet_v2 {mode:5s} {engine} 1x3x{size}x{size}: "
              f"{'bit-exact' if same else 'DIFFERS'}; compile {compile_s:.1f} s, "
              f"torch {torch_ms:.2f} ms, qnn {qnn_ms:.2f} ms")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
