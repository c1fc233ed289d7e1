"""qnn versus PyTorch's int8 kernels, side by side in one run.

For each case, each thread count (1 and 2: torch.set_num_threads and
qnn's `threads`, the same for both) and each PyTorch engine (onednn,
qnnpack), build the quantized module, compile it with qnn for that engine
(the compile time, import included, is printed), check the outputs are
equal, then time both on the same input (median of interleaved runs) and
print the ratio torch / qnn (above 1: qnn is faster). Ratios, not absolute
times, are what to compare across runs on a noisy machine. GEMM-bound rows
(the Linears) also print qnn's G MAC/s as a fraction of the peak of the
instruction sequence its GEMM path uses (build/bin/qnn-peak: register-only
loops per ISA path, one core), at 1 thread. The whole models are
torchvision's quantizable architectures with random weights, fused,
calibrated and converted in eager mode.

With build/lib/libqnn_xnnpack_bench.so (bench/xnnpack.cpp, built when
Debian's libxnnpack-dev and libpthreadpool-dev are installed:
`scripts/setup.sh bench`), the Linear, Conv2d and depthwise cases also time
XNNPACK's int8 operator of the same shape: the qs8 (signed int8) fully
connected or NHWC convolution (groups = channels for the depthwise), set up
once, run through ctypes on a pthreadpool of the row's thread count (on the
calling thread at 1). It is timed on the onednn row of each case and thread
count, with torch and qnn's methodology (interleaved with them), not
checked against them (its rounding differs), and printed as "xnnpack ms"
and qnn's speedup over it, "xnnpack / qnn". The geomean is then also given
over the best of torch onednn, torch qnnpack and XNNPACK. Without the
library the output is as before.

    PYTHONPATH=python /usr/bin/python3 bench/bench.py [--repeat N] [--markdown]
        [--threads 1,2] [--only SUBSTRING]
"""

from __future__ import annotations

import argparse
import ctypes
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
    ("EmbeddingBag 8-bit 100k x 128, 1024 bags of 20", "embedding_bag",
     (100_000, 128, 1024, 20)),
    ("mobilenet_v2 1x3x224x224", "model", ("mobilenet_v2", 224)),
    ("resnet18 1x3x224x224", "model", ("resnet18", 224)),
]

#: Cases whose input stays float (dynamic quantization): no onednn_no_vnni
#: variant, their reduce_range keeps oneDNN's pairs exact.
DYNAMIC = ("dynamic_linear", "lstm", "dynamic_conv")
#: Cases with no onednn_no_vnni variant: float inputs (the dynamic ones and
#: the whole models, whose first layer quantizes), or no GEMM at all.
NO_SATURATING_VARIANT = DYNAMIC + ("embedding_bag", "model")


class _LSTM(torch.nn.Module):
    """An LSTM returning its output and final states as one flat tuple."""

    def __init__(self, lstm: torch.nn.Module) -> None:
        super().__init__()
        self.lstm = lstm

    def forward(self, x):
        out, (h, c) = self.lstm(x)
        return out, h, c


class _Bag(torch.nn.Module):
    """An EmbeddingBag called with indices and offsets."""

    def __init__(self, bag: torch.nn.Module) -> None:
        super().__init__()
        self.bag = bag

    def forward(self, indices, offsets):
        return self.bag(indices, offsets)


def build_model(name: str, size: int, engine: str):
    """torchvision's quantizable `name`, random weights, quantized in eager
    mode for `engine` (as python/tests/test_models.py)."""
    import torchvision.models.quantization as tvq
    from torch.ao.quantization import convert, get_default_qconfig, prepare
    torch.manual_seed(0)
    model = getattr(tvq, name)(weights=None, quantize=False).eval()
    model.fuse_model()
    model.qconfig = get_default_qconfig(engine)
    prepare(model, inplace=True)
    with torch.no_grad():
        for _ in range(2):
            model(torch.randn(1, 3, size, size))
    return convert(model, inplace=True), (torch.randn(1, 3, size, size),)


def build(kind: str, shape: tuple, generator: torch.Generator):
    """The torch module of a case and its inputs (a tuple)."""
    if kind == "model":
        return build_model(*shape, torch.backends.quantized.engine)
    if kind == "embedding_bag":
        rows, dim, bags, per_bag = shape
        table = torch.rand(rows, dim, generator=generator) * 4 - 2
        observer = torch.ao.quantization.PerChannelMinMaxObserver(
            dtype=torch.quint8, qscheme=torch.per_channel_affine_float_qparams, ch_axis=0)
        observer(table)
        scales, zero_points = observer.calculate_qparams()
        bag = torch.nn.quantized.EmbeddingBag(rows, dim, mode="sum", dtype=torch.quint8)
        bag.set_weight(torch.quantize_per_channel(table, scales, zero_points, 0,
                                                  torch.quint8))
        indices = torch.randint(0, rows, (bags * per_bag,), generator=generator)
        offsets = torch.arange(0, bags * per_bag, per_bag)
        return _Bag(bag).eval(), (indices, offsets)
    module, x = build_single(kind, shape, generator)
    return module, (x,)


def build_single(kind: str, shape: tuple, generator: torch.Generator):
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


#: At more than one thread: rounds of timed blocks, their length and the
#: start of each that is not counted (run_case).
ROUNDS = 3
BLOCK_SECONDS = 0.1
WARM_SECONDS = 0.04

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


class XNNPACK:
    """bench/xnnpack.cpp's library: XNNPACK's int8 operator of a case."""

    #: Its `kind` argument of each case kind it has an operator for.
    KINDS = {"linear": 0, "conv": 1, "depthwise": 2}

    def __init__(self, path: Path) -> None:
        self.lib = ctypes.CDLL(str(path))
        self.lib.qnnx_create.restype = ctypes.c_void_p
        self.lib.qnnx_create.argtypes = [ctypes.c_int, ctypes.POINTER(ctypes.c_int64),
                                         ctypes.c_int]
        self.lib.qnnx_run.argtypes = [ctypes.c_void_p]
        self.lib.qnnx_destroy.argtypes = [ctypes.c_void_p]
        self.lib.qnnx_error.restype = ctypes.c_char_p

    @staticmethod
    def load():
        """The library in the build directory, None without it."""
        path = build_dir() / "lib" / "libqnn_xnnpack_bench.so"
        return XNNPACK(path) if path.exists() else None

    def create(self, kind: str, shape: tuple, threads: int):
        """The handle of the operator of case (`kind`, `shape`), set up to run
        at `threads` threads; None (printed) if XNNPACK refuses it."""
        dims = (ctypes.c_int64 * len(shape))(*shape)
        handle = self.lib.qnnx_create(self.KINDS[kind], dims, threads)
        if not handle:
            print(f"# xnnpack: {kind} {shape}: {self.lib.qnnx_error().decode()}")
        return handle

    def run(self, handle) -> None:
        status = self.lib.qnnx_run(handle)
        if status:
            raise RuntimeError(f"xnn_run_operator: xnn_status {status}")

    def destroy(self, handle) -> None:
        self.lib.qnnx_destroy(handle)


def steady(fn) -> list[float]:
    """Times of calls of `fn` over BLOCK_SECONDS, those started in the first
    WARM_SECONDS left out (at least 3 counted)."""
    times = []
    begin = time.perf_counter()
    while True:
        start = time.perf_counter()
        fn()
        end = time.perf_counter()
        if start - begin >= WARM_SECONDS:
            times.append(end - start)
        if end - begin >= BLOCK_SECONDS and len(times) >= 3:
            return times


def timed(fn, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times


def run_case(name, kind, shape, threads, engine, numerics, full_range, isa, peak,
             repeat, xnnpack):
    """One row; with `xnnpack` (an XNNPACK or None), XNNPACK's operator of
    the case timed too, its ms the row's last field (None without)."""
    torch.backends.quantized.engine = engine
    module, inputs = build(kind, shape, torch.Generator().manual_seed(0))
    if full_range:
        inputs = (torch.quantize_per_tensor(inputs[0].dequantize(), 1.0 / 255, 0,
                                            torch.quint8),)
    start = time.perf_counter()
    compiled = qnn.compile(module, *inputs, numerics=numerics, threads=threads)
    compile_seconds = time.perf_counter() - start
    with torch.no_grad():
        expected = module(*inputs)
    exact = same(expected, compiled(*inputs))
    calls = [lambda: module(*inputs), lambda: compiled(*inputs)]
    handle = None
    if xnnpack and kind in XNNPACK.KINDS:
        handle = xnnpack.create(kind, shape, threads)
        if handle:
            calls.append(lambda: xnnpack.run(handle))
    times = [[] for _ in calls]
    # At 1 thread calls interleave one by one, to share the noise. With more,
    # in ROUNDS rounds of a block of torch calls then a block of qnn calls
    # (then one of XNNPACK's), each BLOCK_SECONDS long, the calls of its
    # first WARM_SECONDS not counted: after a call torch's OpenMP workers
    # spin for the next one (GOMP: some 20 ms here) and qnn's for 1 ms, so
    # calls right after the other library's find a core taken, which a
    # program running one model does not see.
    try:
        with torch.no_grad():
            for call in calls:  # warm up
                call()
            for _ in range(repeat if threads == 1 else ROUNDS):
                for call, call_times in zip(calls, times):
                    call_times += timed(call, 1) if threads == 1 else steady(call)
    finally:
        if handle:
            xnnpack.destroy(handle)
    t, q = statistics.median(times[0]), statistics.median(times[1])
    x = statistics.median(times[2]) * 1e3 if handle else None
    label = engine + (f" ({numerics}, full-range x)" if numerics else "")
    rate = fraction = ""
    if kind in GEMM_BOUND:
        m, k, n = shape
        gmacs = m * k * n / q / 1e9
        rate = f"{gmacs:.0f}"
        path = gemm_path(isa, numerics)
        if path in peak and threads == 1:
            fraction = f"{gmacs / peak[path]:.0%}"
    return (name, threads, label, t * 1e3, q * 1e3, t / q, exact, rate, fraction,
            compile_seconds, x)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--markdown", action="store_true",
                        help="print a markdown table")
    parser.add_argument("--only", default="",
                        help="run the cases whose name contains this")
    parser.add_argument("--threads", default="1,2",
                        help="comma-separated thread counts (torch and qnn alike)")
    args = parser.parse_args()
    thread_counts = [int(t) for t in args.threads.split(",")]
    lib = ctypes.CDLL(str(build_dir() / "lib" / "libqnn_runtime.so"))
    lib.qnn_gemm_isa.restype = ctypes.c_char_p
    isa = lib.qnn_gemm_isa().decode()
    peak = peaks()
    xnnpack = XNNPACK.load()
    print(f"# {platform.processor() or platform.machine()}, "
          f"{os.cpu_count()} cores, torch {torch.__version__}, "
          f"qnn GEMM kernel: {isa}; peak G MAC/s: "
          + (", ".join(f"{k} {v:.0f}" for k, v in peak.items()) or "n/a")
          + ("; XNNPACK: qs8 operators" if xnnpack else ""))
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
        for threads in thread_counts:
            # torch 1.13's onednn fails ("could not create a primitive
            # descriptor for a reorder primitive") when a model converted at
            # one thread count runs at another: each count builds its own.
            torch.set_num_threads(threads)
            for engine, numerics, full_range in variants:
                if numerics and kind in NO_SATURATING_VARIANT:
                    continue
                # XNNPACK once per case and thread count: on the onednn row.
                rows.append(run_case(name, kind, shape, threads, engine, numerics,
                                     full_range, isa, peak, args.repeat,
                                     xnnpack if (engine, numerics) == ("onednn", None)
                                     else None))

    def xnnpack_cells(x, q):
        """The XNNPACK columns of a row: its ms and xnnpack / qnn."""
        return (f"{x:.3f}", f"{x / q:.2f}") if x is not None else ("", "")

    if args.markdown:
        x_head, x_rule = (("xnnpack ms | xnnpack / qnn | ", "---|---|") if xnnpack
                          else ("", ""))
        print(f"| case | threads | engine | torch ms | qnn ms | torch / qnn | {x_head}"
              "bit-exact | qnn G MAC/s | of peak | compile s |")
        print(f"|---|---|---|---|---|---|{x_rule}---|---|---|---|")
        for name, threads, engine, t, q, ratio, exact, rate, fraction, cs, x in rows:
            x_cells = "".join(f"{c} | " for c in xnnpack_cells(x, q)) if xnnpack else ""
            print(f"| {name} | {threads} | {engine} | {t:.3f} | {q:.3f} | {ratio:.2f} | "
                  f"{x_cells}{'yes' if exact else 'NO'} | {rate} | {fraction} | "
                  f"{cs:.1f} |")
    else:
        x_head = f"{'xnnpack ms':>10} {'xnn/qnn':>7} " if xnnpack else ""
        print(f"{'case':46} {'thr':>3} {'engine':12} {'torch ms':>9} {'qnn ms':>9} "
              f"{'torch/qnn':>9} {x_head} exact {'GMAC/s':>7} {'peak':>5} "
              f"{'compile s':>9}")
        for name, threads, engine, t, q, ratio, exact, rate, fraction, cs, x in rows:
            x_ms, x_ratio = xnnpack_cells(x, q)
            x_cells = f"{x_ms:>10} {x_ratio:>7} " if xnnpack else ""
            print(f"{name:46} {threads:3} {engine:12} {t:9.3f} {q:9.3f} {ratio:9.2f} "
                  f"{x_cells} {'yes' if exact else 'NO ':5} {rate:>7} {fraction:>5} "
                  f"{cs:9.1f}")
    # The geometric mean over cases of torch / qnn against the faster torch
    # engine, per thread count (the headline number); with XNNPACK
    # also against the fastest of torch's engines and XNNPACK, each time
    # over the qnn time measured with it (XNNPACK's: the onednn row's).
    for threads in thread_counts:
        best, best_all = {}, {}
        for name, t_count, engine, t, q, ratio, *_, x in rows:
            if t_count == threads and "full-range" not in engine:
                best[name] = min(best.get(name, (float("inf"), q)), (t, q))
                for rival in [(t, q, "torch " + engine)] + (
                        [(x, q, "xnnpack")] if x is not None else []):
                    best_all[name] = min(best_all.get(name, rival), rival)
        if best:
            ratios = [t / q for t, q in best.values()]
            geomean = statistics.geometric_mean(ratios)
            print(f"# {threads} thread(s): geomean torch / qnn over the faster torch "
                  f"engine, {len(ratios)} cases: {geomean:.2f}x; below 1.0x: "
                  + (", ".join(n for n, (t, q) in best.items() if t < q) or "none"))
        if best and xnnpack:
            ratios = [t / q for t, q, _ in best_all.values()]
            geomean = statistics.geometric_mean(ratios)
            print(f"# {threads} thread(s): geomean best / qnn over the fastest of "
                  f"torch onednn, torch qnnpack and XNNPACK, {len(ratios)} cases: "
                  f"{geomean:.2f}x; below 1.0x: "
                  + (", ".join(f"{n} ({rival} {t / q:.2f}x)"
                               for n, (t, q, rival) in best_all.items() if t < q)
                     or "none"))
    return 0 if all(row[6] for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
