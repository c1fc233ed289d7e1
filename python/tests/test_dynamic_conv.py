"""Dynamically quantized convolutions: nnqd.Conv1d/2d/3d and
nnqd.ConvTranspose1d/2d/3d, bit-exact against torch on both engines.

torch's conv*d_dynamic chooses the input's parameters from its range
(reduce_range honoured by onednn, ignored by qnnpack), quantizes it with
torch.quantize_per_tensor, runs the engine's static conv with the input's
own parameters as the output's and dequantizes: the result is a multiple of
the input's scale, clamped to the codes' range (docs/numerics/dynamic.md).
qnn.dynamic_conv computes exactly that; a transposed one is the dynamic
conv of its input spread out with zeros.

torch's onednn conv is not a function of its input alone: a module's first
call caches a primitive and later calls with other input parameters return
other, wrong, values; and with ideep's default primitive cache so does a
fresh module after a conv of the same shape whose input zero point differed
in being 0. conftest.py shrinks that cache and each input below is checked
against a freshly built module: what torch computes in a fresh process,
which qnn reproduces (docs/numerics/dynamic.md, test_torch_conv_cache).
"""

from __future__ import annotations

import functools
import os
import subprocess
import sys
from pathlib import Path
from typing import Callable

import numpy as np
import pytest
import torch
import torch.nn as nn
import torch.nn.quantized.dynamic as nnqd

import qnn
from harness import assert_same
from test_dynamic import _KINDS, _input

_CONVS = {1: nnqd.Conv1d, 2: nnqd.Conv2d, 3: nnqd.Conv3d}
_TRANSPOSES = {1: nnqd.ConvTranspose1d, 2: nnqd.ConvTranspose2d, 3: nnqd.ConvTranspose3d}


def _quantized_weight(shape, per_channel_axis, rng) -> torch.Tensor:
    w = torch.from_numpy(rng.standard_normal(shape).astype(np.float32))
    w = w * float(rng.uniform(0.05, 1.0))
    if per_channel_axis is not None:
        dims = [d for d in range(len(shape)) if d != per_channel_axis]
        scales = (w.abs().amax(dims) / 127 + 1e-5).double()
        return torch.quantize_per_channel(w, scales, torch.zeros(len(scales), dtype=torch.long),
                                          per_channel_axis, torch.qint8)
    return torch.quantize_per_tensor(w, float(w.abs().max() / 127 + 1e-5), 0, torch.qint8)


def _module(cls, in_channels: int, out_channels: int, kernel, bias: bool, per_channel: bool,
            seed: int, **geometry) -> nn.Module:
    rng = np.random.default_rng(seed)
    m = cls(in_channels, out_channels, kernel, bias=bias, **geometry)
    transposed = cls in _TRANSPOSES.values()
    shape = tuple(m.weight().shape)
    w = _quantized_weight(shape, (1 if transposed else 0) if per_channel else None, rng)
    b = torch.from_numpy(rng.standard_normal(out_channels).astype(np.float32)) if bias else None
    m.set_weight_bias(w, b)
    return m


def _refuses_3d(engine: str, dims: int) -> bool:
    # qnnpack has no 3-D convolutions (the seed skips them too).
    return engine == "qnnpack" and dims == 3


def _check(qnn_compile, make: Callable[[], nn.Module], shape, engine: str, seed: int,
           kinds=_KINDS) -> None:
    """qnn against torch on inputs of every kind, each given to a module
    `make` builds afresh."""
    rng = np.random.default_rng(seed)
    inputs = [_input(shape, kind, rng) for kind in kinds]
    compiled = qnn_compile(make(), inputs[0])
    for kind, x in zip(kinds, inputs):
        assert_same(compiled(x), make()(x), f"{engine}, {kind} input {list(shape)}")


@pytest.mark.parametrize("bias", [True, False])
@pytest.mark.parametrize("transposed", [False, True], ids=["conv", "transpose"])
@pytest.mark.parametrize("dims", [1, 2, 3])
def test_seed_dynamic_conv(dims, transposed, bias, engine, qnn_compile):
    """The seed's _test_qconv_impl: 3 -> 10 channels, kernel 2, an input of
    size 3 in every dimension (with real weights: the seed's are the
    modules' zeros)."""
    if _refuses_3d(engine, dims):
        pytest.skip("torch's qnnpack has no 3-D convolutions")
    cls = (_TRANSPOSES if transposed else _CONVS)[dims]
    make = functools.partial(_module, cls, 3, 10, 2, bias, per_channel=False,
                             seed=dims * 4 + bias)
    _check(qnn_compile, make, (3,) * (dims + 2), engine, seed=dims)


def _random_conv(seed: int, engine: str):
    rng = np.random.default_rng(2000 + seed)
    dims = int(rng.integers(1, 4))
    if _refuses_3d(engine, dims):
        dims = 2
    groups = int(rng.choice([1, 1, 2, 3]))
    cin = groups * int(rng.integers(1, 5))
    cout = groups * int(rng.integers(1, 5))
    kernel = [int(rng.integers(1, 4)) for _ in range(dims)]
    stride = [int(rng.integers(1, 3)) for _ in range(dims)]
    dilation = [int(rng.integers(1, 3)) for _ in range(dims)]
    padding = [int(rng.integers(0, 3)) for _ in range(dims)]
    # What torch takes: zeros and reflect padding, not reflect in 3-D.
    mode = "zeros" if dims == 3 else str(rng.choice(["zeros", "zeros", "reflect"]))
    spatial = [max(d * (k - 1) + 1, p + 1) + int(rng.integers(0, 5))
               for k, d, p in zip(kernel, dilation, padding)]
    shape = (int(rng.integers(1, 3)), cin, *spatial)
    make = functools.partial(_module, _CONVS[dims], cin, cout, kernel, bias=bool(seed % 3),
                             per_channel=bool(seed % 2), seed=seed, stride=stride,
                             padding=padding, dilation=dilation, groups=groups,
                             padding_mode=mode)
    return make, shape


@pytest.mark.parametrize("seed", range(16))
def test_random_dynamic_conv(seed, engine, qnn_compile):
    """Strides, padding (zeros and reflect), dilations, groups, per-channel
    weights, batches, the input kinds of test_dynamic."""
    make, shape = _random_conv(seed, engine)
    _check(qnn_compile, make, shape, engine, seed=seed)


def _random_transpose(seed: int, engine: str):
    rng = np.random.default_rng(3000 + seed)
    dims = int(rng.integers(1, 4))
    if _refuses_3d(engine, dims):
        dims = 2
    groups = int(rng.choice([1, 1, 2]))
    cin = groups * int(rng.integers(1, 5))
    cout = groups * int(rng.integers(1, 5))
    kernel = [int(rng.integers(1, 4)) for _ in range(dims)]
    stride = [int(rng.integers(1, 4)) for _ in range(dims)]
    dilation = [int(rng.integers(1, 3)) for _ in range(dims)]
    padding = [int(rng.integers(0, d * (k - 1) + 1)) for k, d in zip(kernel, dilation)]
    # onednn refuses output padding.
    output_padding = [0 if engine == "onednn" else int(rng.integers(0, max(s, d)))
                      for s, d in zip(stride, dilation)]
    spatial = [int(rng.integers(2, 6)) for _ in range(dims)]
    shape = (int(rng.integers(1, 3)), cin, *spatial)
    # torch's observers and onednn refuse per-channel transposed weights.
    make = functools.partial(_module, _TRANSPOSES[dims], cin, cout, kernel,
                             bias=bool(seed % 3), per_channel=False, seed=seed,
                             stride=stride, padding=padding,
                             output_padding=output_padding, dilation=dilation,
                             groups=groups)
    return make, shape


@pytest.mark.parametrize("seed", range(12))
def test_random_dynamic_conv_transpose(seed, engine, qnn_compile):
    make, shape = _random_transpose(seed, engine)
    _check(qnn_compile, make, shape, engine, seed=seed)


class _FullRange(nn.Module):
    """Calls the dynamic conv with reduce_range=False."""

    def __init__(self, conv: nn.Module) -> None:
        super().__init__()
        self.conv = conv

    def forward(self, x):
        return self.conv(x, False)


def test_full_range(engine, qnn_compile):
    """reduce_range=False: qnnpack ignores it anyway; onednn with VNNI sums
    exactly; onednn without VNNI would sum the full-range codes in saturating
    int16 pairs, which qnn refuses to compile rather than compute otherwise."""
    def make():
        return _FullRange(_module(nnqd.Conv2d, 4, 6, 3, True, False, seed=1, padding=1))
    x = _input((2, 4, 6, 6), "normal", np.random.default_rng(0))
    if qnn.default_numerics(engine) == "onednn_no_vnni":
        with pytest.raises(RuntimeError, match="saturating int16 pairs"):
            qnn_compile(make(), x)
        return
    assert_same(qnn_compile(make(), x)(x), make()(x), f"{engine} reduce_range=False")


def test_conv_from_float(engine, qnn_compile):
    """A float model converted with the dynamic qconfig and mapping for its
    convolutions (quantize_dynamic maps no conv by default in torch 1.13),
    with float ReLUs between them."""
    def make():
        torch.manual_seed(3)
        float_model = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.ReLU(),
                                    nn.Conv2d(8, 4, 3, stride=2), nn.ReLU(),
                                    nn.ConvTranspose2d(4, 2, 2, stride=2)).eval()
        qconfig = torch.ao.quantization.default_dynamic_qconfig
        return torch.ao.quantization.quantize_dynamic(
            float_model, {nn.Conv2d: qconfig, nn.ConvTranspose2d: qconfig},
            mapping={nn.Conv2d: nnqd.Conv2d, nn.ConvTranspose2d: nnqd.ConvTranspose2d})
    model = make()
    assert isinstance(model[0], nnqd.Conv2d) and isinstance(model[4], nnqd.ConvTranspose2d)
    _check(qnn_compile, make, (2, 3, 9, 9), engine, seed=9,
           kinds=("normal", "positive", "large"))


def test_errors(engine, qnn_compile):
    """Inputs the compiled model refuses: quantized, another channel count,
    another rank."""
    model = _module(nnqd.Conv2d, 3, 4, 2, True, False, seed=0)
    compiled = qnn_compile(model, torch.randn(1, 3, 4, 4))
    xq = torch.quantize_per_tensor(torch.randn(1, 3, 4, 4), 0.1, 0, torch.quint8)
    for bad in (xq, torch.randn(1, 5, 4, 4), torch.randn(3, 4, 4)):
        with pytest.raises(ValueError):
            compiled(bad)


_CACHE_PROBE = """
import hashlib, sys
import numpy as np, torch
sys.path.insert(0, {tests!r})
from test_dynamic_conv import _module, _CONVS, _input
torch.backends.quantized.engine = "onednn"
rng = np.random.default_rng(1)
normal, positive = _input((3, 3, 3), "normal", rng), _input((3, 3, 3), "positive", rng)
def make():
    return _module(_CONVS[1], 3, 10, 2, True, per_channel=False, seed=5)
def digest(y):
    return hashlib.sha1(y.numpy().tobytes()).hexdigest()[:12]
if {first!r}:
    print(digest(make()(positive)))  # the process's first conv
else:
    model = make()
    model(normal)  # zero point != 0
    print(digest(model(positive)), digest(make()(positive)))
"""


def _probe(first: bool, capacity) -> list:
    env = {k: v for k, v in os.environ.items() if k != "LRU_CACHE_CAPACITY"}
    if capacity:
        env["LRU_CACHE_CAPACITY"] = capacity
    script = _CACHE_PROBE.format(tests=str(Path(__file__).parent), first=first)
    return subprocess.run([sys.executable, "-W", "ignore", "-c", script], env=env,
                          capture_output=True, text=True, check=True).stdout.split()


@pytest.mark.parametrize("capacity", ["1", None], ids=["capacity-1", "default"])
def test_torch_conv_cache(capacity):
    """The torch behaviour the tests work around, in fresh processes: after
    a conv of an input with a non-zero zero point, a conv of an input with
    zero point 0 (positive values) differs from the same conv run first,
    in the same module always, in a fresh module unless ideep's cache has
    one entry. Should a torch fix that, this test says so and the
    workarounds can go."""
    if "onednn" not in torch.backends.quantized.supported_engines:
        pytest.skip("this torch build has no onednn engine")
    [first] = _probe(True, capacity)
    same_module, fresh_module = _probe(False, capacity)[-2:]
    assert same_module != first
    assert (fresh_module == first) == bool(capacity)
