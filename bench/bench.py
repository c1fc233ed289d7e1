"""qnn versus PyTorch's int8 kernels, side by side in one run.

For each case and each PyTorch engine (onednn, qnnpack), build the quantized
module, compile it with qnn for that engine, check the outputs are equal,
then time both on the same input (1 thread, median of interleaved runs) and
print the ratio torch / qnn (above 1: qnn is faster). Ratios, not absolute
times, are what to compare across runs on a noisy machine. GEMM-bound rows
(the Linears) also print qnn's G MAC/s as a fraction of the peak of the
instruction sequence its GEMM path uses (build/bin/qnn-peak: register-only
loops per ISA path).

    PYTHONPATH=python /usr/bin/python3 bench/bench.py [--repeat N] [--markdown]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import platform
import statistics
import sys
import time
from pathlib import Path

import torch
import torch.nn.quantized as nnq

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "python"))
import qnn  # noqa: E402
from qnn.runtime import build_dir  # noqa: E402

CASES = [
    ("Linear M=1, K=N=1024", "linear", (1, 1024, 1024)),
    ("Linear M=64, K=N=1024", "linear", (64, 1024, 1024)),
    ("Linear M=256, K=N=1024", "linear", (256, 1024, 1024)),
    ("Linear M=64, K=N=4096", "linear", (64, 4096, 4096)),
    ("Conv2d 1x64x56x56 -> 64, 3x3 pad 1", "conv", (64, 56)),
    ("Conv2d 1x256x14x14 -> 256, 3x3 pad 1", "conv", (256, 14)),
    ("Depthwise 1x128x56x56, 3x3 pad 1", "depthwise", (128, 56)),
    ("Dynamic Linear M=64, K=N=1024", "dynamic_linear", (64, 1024, 1024)),
    ("Dynamic LSTM T32 B8 I256 H512, 2 layers", "lstm", (32, 8, 256, 512, 2)),
    ("Dynamic Conv2d 1x64x56x56 -> 64, 3x3 pad 1", "dynamic_conv", (64, 56)),
]

#: Cases whose input stays float (dynamic quantization): no onednn_no_vnni
#: variant, their reduce_range keeps oneDNN's pairs exact.
DYNAMIC = ("dynamic_linear", "lstm", "dynamic_conv")


class _LSTM(torch.nn.Module):
    """An LSTM returning its output and final states as one flat tuple."""

    def __init__(self, lstm: torch.nn.Module) -> None:
        super().__init__()
        self.lstm = lstm

    def forward(self, x):
        out, (h, c) = self.lstm(x)
        return out, h, c


def build(kind: str, shape: tuple, generator: torch.Generator):
    if kind in DYNAMIC:
        torch.manual_seed(0)
        if kind == "dynamic_conv":
            # quantize_dynamic maps no conv by default: the dynamic module's
            # own constructor, with a quantized random weight.
            channels, size = shape
            module = torch.nn.quantized.dynamic.Conv2d(channels, channels, 3, padding=1)
            weight = torch.quantize_per_tensor(
                torch.randn(channels, channels, 3, 3, generator=generator), 0.02, 0,
                torch.qint8)
            module.set_weight_bias(weight, torch.randn(channels, generator=generator))
            return module, torch.randn(1, channels, size, size, generator=generator)
        if kind == "dynamic_linear":
            m, k, n = shape
            model = torch.nn.Sequential(torch.nn.Linear(k, n)).eval()
            x = torch.randn(m, k, generator=generator)
        else:
            steps, batch, inputs, hidden, layers = shape
            model = torch.nn.Sequential(
                torch.nn.LSTM(inputs, hidden, num_layers=layers)).eval()
            x = torch.randn(steps, batch, inputs, generator=generator)
        quantized = torch.ao.quantization.quantize_dynamic(
            model, {torch.nn.Linear, torch.nn.LSTM}, dtype=torch.qint8)[0]
        return (_LSTM(quantized) if kind == "lstm" else quantized), x
    if kind == "linear":
        m, k, n = shape
        module = nnq.Linear(k, n)
        weight = torch.quantize_per_tensor(
            torch.randn(n, k, generator=generator), 0.02, 0, torch.qint8)
        module.set_weight_bias(weight, torch.randn(n, generator=generator))
        module.scale, module.zero_point = 0.5, 64
        x = torch.rand(m, k, generator=generator)
    else:
        channels, size = shape
        groups = channels if kind == "depthwise" else 1
        module = nnq.Conv2d(channels, channels, 3, padding=1, groups=groups)
        weight = torch.quantize_per_tensor(
            torch.randn(channels, channels // groups, 3, 3,
                        generator=generator), 0.02, 0, torch.qint8)
        module.set_weight_bias(weight, torch.randn(channels, generator=generator))
        module.scale, module.zero_point = 0.5, 64
        x = torch.rand(1, channels, size, size, generator=generator)
    # Activation codes 0..127: exact on every engine and CPU (onednn without
    # VNNI saturates int16 pair sums of larger codes).
    return module, torch.quantize_per_tensor(x, 1.0 / 127, 0, torch.quint8)


def same(expected, got) -> bool:
    """Bit-equal results: codes of quantized tensors, bits of float ones,
    element by element of tuples."""
    if isinstance(expected, tuple):
        return all(same(e, g) for e, g in zip(expected, got))
    if expected.is_quantized:
        return torch.equal(expected.int_repr(), got.int_repr())
    return torch.equal(expected.view(torch.int32), got.view(torch.int32))


#: Cases whose time is one GEMM of M x K x N (shape (m, k, n)).
GEMM_BOUND = ("linear", "dynamic_linear")


def peaks() -> dict:
    """G MAC/s of each GEMM path on this CPU (qnn-peak), {} without it."""
    tool = build_dir() / "bin" / "qnn-peak"
    if not tool.exists():
        return {}
    return json.loads(subprocess.run([str(tool)], capture_output=True, text=True,
                                     check=True).stdout)


def gemm_path(isa: str, numerics) -> str:
    """The qnn-peak path of qnn's GEMM kernel `isa` under `numerics`."""
    if isa == "avx2":
        return "avx2_sat16" if numerics == "onednn_no_vnni" else "avx2_exact"
    return isa


def timed(fn, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--markdown", action="store_true",
                        help="print a markdown table")
    parser.add_argument("--only", default="",
                        help="run the cases whose name contains this")
    args = parser.parse_args()
    torch.set_num_threads(1)
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    lib = __import__("ctypes").CDLL(str(build_dir() / "lib" / "libqnn_runtime.so"))
    lib.qnn_gemm_isa.restype = __import__("ctypes").c_char_p
    isa = lib.qnn_gemm_isa().decode()
    peak = peaks()
    print(f"# {platform.processor() or platform.machine()}, "
          f"{os.cpu_count()} cores, torch {torch.__version__}, "
          f"qnn GEMM kernel: {isa}; peak G MAC/s: "
          + (", ".join(f"{k} {v:.0f}" for k, v in peak.items()) or "n/a"))
    variants = [("onednn", None, False), ("qnnpack", None, False)]
    if qnn.torch_onednn_saturates():
        # This CPU has no VNNI: torch's onednn saturates pair sums, which
        # qnn reproduces with its onednn_no_vnni numerics, on full-range
        # activations.
        variants.insert(1, ("onednn", "onednn_no_vnni", True))
    rows = []
    for name, kind, shape in CASES:
        if args.only not in name:
            continue
        for engine, numerics, full_range in variants:
            if numerics and kind in DYNAMIC:
                continue
            torch.backends.quantized.engine = engine
            module, x = build(kind, shape, torch.Generator().manual_seed(0))
            if full_range:
                x = torch.quantize_per_tensor(x.dequantize(), 1.0 / 255, 0,
                                              torch.quint8)
            compiled = qnn.compile(module, x, numerics=numerics)
            expected, got = module(x), compiled(x)
            exact = same(expected, got)
            torch_times, qnn_times = [], []
            module(x), compiled(x)  # warm up
            for _ in range(args.repeat):  # interleave to share the noise
                torch_times += timed(lambda: module(x), 1)
                qnn_times += timed(lambda: compiled(x), 1)
            t, q = statistics.median(torch_times), statistics.median(qnn_times)
            label = engine + (f" ({numerics}, full-range x)" if numerics else "")
            rate = fraction = ""
            if kind in GEMM_BOUND:
                m, k, n = shape
                gmacs = m * k * n / q / 1e9
                rate = f"{gmacs:.0f}"
                path = gemm_path(isa, numerics)
                if path in peak:
                    fraction = f"{gmacs / peak[path]:.0%}"
            rows.append((name, label, t * 1e3, q * 1e3, t / q, exact, rate, fraction))
    if args.markdown:
        print("| case | engine | torch ms | qnn ms | torch / qnn | bit-exact | "
              "qnn G MAC/s | of peak |")
        print("|---|---|---|---|---|---|---|---|")
        for name, engine, t, q, ratio, exact, rate, fraction in rows:
            print(f"| {name} | {engine} | {t:.3f} | {q:.3f} | {ratio:.2f} | "
                  f"{'yes' if exact else 'NO'} | {rate} | {fraction} |")
    else:
        print(f"{'case':40} {'engine':44} {'torch ms':>9} {'qnn ms':>9} "
              f"{'torch/qnn':>9}  exact {'GMAC/s':>7} {'peak':>5}")
        for name, engine, t, q, ratio, exact, rate, fraction in rows:
            print(f"{name:40} {engine:44} {t:9.3f} {q:9.3f} {ratio:9.2f}  "
                  f"{'yes' if exact else 'NO ':5} {rate:>7} {fraction:>5}")
    return 0 if all(row[5] for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
