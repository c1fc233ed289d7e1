"""Dynamically quantized modules (quantize_dynamic): nnqd.Linear and
nniqd.LinearReLU, bit-exact against torch on both engines.

Each call chooses the input's quantization from its range (qnn.choose_qparams,
ChooseQuantizationParams exactly: the double scale, the small-scale cutoff,
the zero point's nudging), quantizes it as the engine does and scales the
int32 sums back to float with the engine's formula (docs/numerics/dynamic.md).
The inputs below cover the branches of that choice: ranges across zero, only
positive or only negative values, a zero tensor (scale 0.1), ranges whose
scale falls below 6.1e-5, large values.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
import torch
import torch.nn as nn
import torch.nn.intrinsic.quantized.dynamic as nniqd
import torch.nn.quantized.dynamic as nnqd

import qnn
from harness import assert_same


def _weight(out_features: int, in_features: int, per_channel: bool, rng) -> torch.Tensor:
    w = torch.from_numpy(rng.standard_normal((out_features, in_features)).astype(np.float32))
    w = w * float(rng.uniform(0.05, 1.0))
    if per_channel:
        scales = (w.abs().amax(1) / 127 + 1e-5).double()
        return torch.quantize_per_channel(w, scales, torch.zeros(out_features, dtype=torch.long),
                                          0, torch.qint8)
    return torch.quantize_per_tensor(w, float(w.abs().max() / 127 + 1e-5), 0, torch.qint8)


def _linear(in_features: int, out_features: int, bias: bool, per_channel: bool, relu: bool,
            seed: int) -> nn.Module:
    rng = np.random.default_rng(seed)
    cls = nniqd.LinearReLU if relu else nnqd.Linear
    m = cls(in_features, out_features)
    b = torch.from_numpy(rng.standard_normal(out_features).astype(np.float32)) if bias else None
    m.set_weight_bias(_weight(out_features, in_features, per_channel, rng), b)
    return m


#: Input kinds: each exercises a branch of ChooseQuantizationParams.
_KINDS = ("normal", "positive", "negative", "zeros", "tiny", "large", "one_value")


def _input(shape, kind: str, rng) -> torch.Tensor:
    x = rng.standard_normal(shape).astype(np.float32)
    if kind == "positive":
        x = np.abs(x) + 0.25
    elif kind == "negative":
        x = -np.abs(x) - 0.25
    elif kind == "zeros":
        x = np.zeros(shape, np.float32)
    elif kind == "tiny":  # (max - min) / 255 < 6.1e-5
        x = x * 1e-4
    elif kind == "large":
        x = x * 1e4
    elif kind == "one_value":
        x = np.full(shape, -3.5, np.float32)
    return torch.from_numpy(np.ascontiguousarray(x))


def _check(qnn_compile, model: nn.Module, shape, engine: str, seed: int) -> None:
    rng = np.random.default_rng(seed)
    inputs = [_input(shape, kind, rng) for kind in _KINDS]
    compiled = qnn_compile(model, inputs[0])
    for kind, x in zip(_KINDS, inputs):
        assert_same(compiled(x), model(x), f"{engine}, {kind} input {list(shape)}")


#: The seed's TestDynamicQuantizedModule.test_linear_api grid: batch size,
#: in and out features, bias, per channel.
_SEED_CONFIGS = [(batch, fin, fout, bias, per_channel)
                 for batch in (1, 5) for fin, fout in ((16, 4), (5, 3))
                 for bias in (True, False) for per_channel in (False, True)]


@pytest.mark.parametrize("config", _SEED_CONFIGS, ids=lambda c: "-".join(map(str, c)))
def test_seed_dynamic_linear(config, engine, qnn_compile):
    batch, fin, fout, bias, per_channel = config
    model = _linear(fin, fout, bias, per_channel, relu=False, seed=fin * fout + batch)
    _check(qnn_compile, model, (batch, fin), engine, seed=batch + fin)


@pytest.mark.parametrize("seed", range(12))
def test_random_dynamic_linear(seed, engine, qnn_compile):
    """Inputs of rank 2 to 4, LinearReLU, odd sizes."""
    rng = np.random.default_rng(1000 + seed)
    fin, fout = int(rng.integers(1, 70)), int(rng.integers(1, 40))
    lead = [int(rng.integers(1, 6)) for _ in range(int(rng.integers(1, 4)))]
    model = _linear(fin, fout, bias=bool(seed % 3), per_channel=bool(seed % 2),
                    relu=seed % 4 == 1, seed=seed)
    _check(qnn_compile, model, tuple(lead) + (fin,), engine, seed=seed)


def test_dynamic_linear_1d_input(engine, qnn_compile):
    """A 1-D input: torch 1.13 refuses it on both engines ("The dimension of
    input tensor should be larger than or equal to 2"), so importing reports
    torch's refusal (qnn.dynamic_linear itself computes a 1-D input as the
    [1, K] one it equals: round-trip.mlir, decompose)."""
    model = _linear(8, 3, bias=True, per_channel=False, relu=False, seed=3)
    x = _input((8,), "normal", np.random.default_rng(0))
    with pytest.raises(RuntimeError, match="larger than or equal to 2"):
        qnn_compile(model, x)


def test_quantize_dynamic_mlp(engine, qnn_compile):
    """quantize_dynamic on an MLP: Linear-ReLU-Linear-ReLU-Linear, the
    float ReLUs between the dynamic Linears compiled too."""
    torch.manual_seed(7)
    mlp = nn.Sequential(nn.Linear(32, 64), nn.ReLU(), nn.Linear(64, 48), nn.ReLU(),
                        nn.Linear(48, 10)).eval()
    model = torch.ao.quantization.quantize_dynamic(mlp, {nn.Linear}, dtype=torch.qint8)
    rng = np.random.default_rng(5)
    inputs = [_input((6, 32), kind, rng) for kind in ("normal", "positive", "large")]
    compiled = qnn_compile(model, inputs[0])
    for x in inputs:
        assert_same(compiled(x), model(x), f"{engine} MLP")


@pytest.mark.parametrize("reduce_range", [True, False])
def test_reference_form(reduce_range, engine, qnn_compile):
    """--qnn-decompose's form of a dynamic Linear (choose_qparams,
    quantize_dynamic, dequantize_dynamic, the float linear) compiled:
    bit-exact against torch's own pieces, torch._choose_qparams_per_tensor
    (ChooseQuantizationParams), quantize_per_tensor with the double scale,
    dequantize and the float linear (netlib's sgemm sums in index order, as
    the lowered matmul does)."""
    model = _linear(24, 7, bias=True, per_channel=engine == "qnnpack", relu=False, seed=11)
    rng = np.random.default_rng(2)
    inputs = [_input((5, 24), kind, rng) for kind in _KINDS]
    weight, bias = model._weight_bias()
    # The op's reduce_range is the engine's: build the IR by hand for both.
    text = qnn.from_torch(model, inputs[0])
    if reduce_range != (" reduce_range" in text):
        text = (text.replace(" reduce_range", "") if not reduce_range else
                re.sub(r"(qnn\.dynamic_linear [^:]*?) :", r"\1 reduce_range :", text,
                       count=1))
    assert (" reduce_range" in text) == reduce_range, text
    compiled = qnn_compile.mlir(text, decompose=True)
    for kind, x in zip(_KINDS, inputs):
        # torch._choose_qparams_per_tensor drops reduce_range under qnnpack,
        # as qnnpack's kernels do: ask under onednn for the IR's range.
        torch.backends.quantized.engine = "onednn"
        try:
            scale, zero_point = torch._choose_qparams_per_tensor(x, reduce_range)
        finally:
            torch.backends.quantized.engine = engine
        xq = torch.quantize_per_tensor(x, scale, zero_point, torch.quint8)
        expected = torch.nn.functional.linear(xq.dequantize(), weight.dequantize(), bias)
        assert_same(compiled(x), expected, f"{engine} reference form, {kind} input")


def _rounding_flip_input(shape, reduce_range: bool, rng) -> torch.Tensor:
    """An input with an element whose code depends on when the zero point is
    added: `rint(x * inv) + zp` (torch.quantize_per_tensor, qnnpack) or
    `rint(f32(x * inv + zp))` (oneDNN's reorder), e.g. x * inv = 2.5000026
    with zp 62: 3 + 62 = 65, but f32(64.5000026) = 64.5 rounds to 64."""
    x = torch.from_numpy(rng.standard_normal(shape).astype(np.float32))
    previous = torch.backends.quantized.engine
    torch.backends.quantized.engine = "onednn"  # honours reduce_range
    try:
        scale, zp = torch._choose_qparams_per_tensor(x, reduce_range)
    finally:
        torch.backends.quantized.engine = previous
    for inverse in (np.float32(1.0 / scale), np.float32(1) / np.float32(scale)):
        for step in range(1, 400):
            v = np.float32((2.5 + step * 1e-7) / inverse)
            p = np.float32(v * inverse)
            if np.rint(p) + zp != np.rint(np.float32(p + np.float32(zp))):
                flat = x.view(-1)
                flat[1] = float(v)  # inside the range: the parameters stay
                return x
    raise AssertionError("no value rounds differently")


@pytest.mark.parametrize("seed", range(3))
def test_zero_point_before_rounding(seed, engine, qnn_compile):
    """oneDNN adds the input zero point before rounding, quantize_per_tensor
    (qnnpack) after: an element where that changes the code changes a whole
    row of the result."""
    rng = np.random.default_rng(50 + seed)
    model = _linear(32, 8, bias=True, per_channel=False, relu=False, seed=seed)
    x = _rounding_flip_input((3, 32), engine == "onednn", rng)
    assert_same(qnn_compile(model, x)(x), model(x), f"{engine} rounding-flip input")
