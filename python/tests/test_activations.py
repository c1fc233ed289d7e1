"""Bit-exact tests of the activations (qnn.activation) against PyTorch.

Every case runs on inputs that hold every 8-bit code, in shapes whose
sizes give ATen's vector body and scalar loop (the last `n mod 64` elements
of a run; see docs/numerics/activations.md) different elements, in
contiguous and channels-last layouts, plus the harness's random inputs; and
on the seed's configurations (test_quantized_module's
`_test_activation_module_impl` and `test_prelu`). Configurations torch
refuses are skipped with its reason.
"""

from __future__ import annotations

import math
import re
from typing import Callable, Dict

import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.nn.quantized as nnq

import qnn
from harness import compile_and_check

_Q = torch.ops.quantized


class Fn(nn.Module):
    """A model applying a function to its input."""

    def __init__(self, function: Callable[[torch.Tensor], torch.Tensor]) -> None:
        super().__init__()
        self.function = function

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.function(x)


def _prelu(channels: int, dtype: torch.dtype) -> nn.Module:
    module = nnq.PReLU(0.05, 10, channels)
    g = torch.Generator().manual_seed(channels)
    codes = torch.randint(0, 256, (channels,), generator=g)
    if dtype == torch.qint8:
        codes = codes - 128
    storage = torch.uint8 if dtype == torch.quint8 else torch.int8
    module.weight = torch._make_per_tensor_quantized_tensor(codes.to(storage), 0.004, 3)
    return module


#: name -> model(dtype, channels)
CASES: Dict[str, Callable[[torch.dtype, int], nn.Module]] = {
    "nnq.ReLU6": lambda d, c: nnq.ReLU6(),
    "nn.ReLU6": lambda d, c: nn.ReLU6(),
    "F.relu6": lambda d, c: Fn(F.relu6),
    "nn.Hardtanh": lambda d, c: nn.Hardtanh(-0.5, 1.0),
    "F.hardtanh": lambda d, c: Fn(lambda x: F.hardtanh(x, -2.0, 0.3)),
    "torch.clamp": lambda d, c: Fn(lambda x: torch.clamp(x, -0.3, 0.8)),
    "Tensor.clamp-min": lambda d, c: Fn(lambda x: x.clamp(min=0.4)),
    "nnq.LeakyReLU": lambda d, c: nnq.LeakyReLU(0.07, 20 if d == torch.quint8 else -3, 0.1),
    "nn.LeakyReLU": lambda d, c: nn.LeakyReLU(0.2),
    "F.leaky_relu": lambda d, c: Fn(lambda x: F.leaky_relu(x, 0.1)),
    "quantized.leaky_relu": lambda d, c: Fn(
        lambda x: _Q.leaky_relu(x, 0.3, False, 0.02, 7)),
    "nnq.ELU": lambda d, c: nnq.ELU(0.03, 100 if d == torch.quint8 else 0, 1.3),
    "quantized.elu": lambda d, c: Fn(lambda x: _Q.elu(x, 0.05, 3, 0.9, 1.2, 0.8)),
    "quantized.celu": lambda d, c: Fn(lambda x: _Q.celu(x, 0.05, 3, 0.9)),
    "nnq.Sigmoid": lambda d, c: nnq.Sigmoid(1 / 256, 0 if d == torch.quint8 else -128),
    "nnq.Sigmoid-scale": lambda d, c: nnq.Sigmoid(0.01, 7),
    "nn.Sigmoid": lambda d, c: nn.Sigmoid(),
    "torch.sigmoid": lambda d, c: Fn(torch.sigmoid),
    "nn.Tanh": lambda d, c: nn.Tanh(),
    "Tensor.tanh": lambda d, c: Fn(lambda x: x.tanh()),
    "nn.Hardsigmoid": lambda d, c: nn.Hardsigmoid(),
    "F.hardsigmoid": lambda d, c: Fn(F.hardsigmoid),
    "nnq.Hardswish": lambda d, c: nnq.Hardswish(0.02, 30 if d == torch.quint8 else 0),
    "nnq.PReLU-1": lambda d, c: _prelu(1, d),
    "nnq.PReLU-C": lambda d, c: _prelu(c, d),
}

#: The clamps that run QNNPACK's clamp for quint8 under qnnpack (nnq.ReLU6's
#: input is made contiguous by the harness; torch.relu is right).
_QNNPACK_CLAMPS = {"nn.ReLU6", "F.relu6", "nn.Hardtanh", "F.hardtanh", "torch.clamp",
                   "Tensor.clamp-min"}

#: Shapes: all vector (256 = 4 x 64), a scalar tail (105 = 64 + 41) and
#: rows of 100 (each with a tail of 36 when not coalesced).
SHAPES = [(2, 4, 4, 8), (1, 3, 5, 7), (3, 100)]


def _all_codes(shape, dtype: torch.dtype, scale: float, zero_point: int) -> torch.Tensor:
    n = math.prod(shape)
    codes = (torch.arange(n) * 37 % 256).reshape(shape)
    if dtype == torch.qint8:
        codes = codes - 128
    storage = torch.uint8 if dtype == torch.quint8 else torch.int8
    return torch._make_per_tensor_quantized_tensor(codes.to(storage), scale, zero_point)


def _torch_accepts(model: nn.Module, x: torch.Tensor) -> None:
    try:
        model(x.clone())
    except (RuntimeError, NotImplementedError) as refusal:
        pytest.skip(f"torch refuses: {str(refusal).splitlines()[0]}")


@pytest.mark.parametrize("layout", ["contiguous", "channels_last"])
@pytest.mark.parametrize("shape", SHAPES, ids=lambda s: "x".join(map(str, s)))
@pytest.mark.parametrize("dtype", [torch.quint8, torch.qint8], ids=["quint8", "qint8"])
@pytest.mark.parametrize("case", CASES)
def test_activation(case, dtype, shape, layout, engine, qnn_compile):
    if layout == "channels_last" and len(shape) != 4:
        pytest.skip("channels-last needs rank 4")
    x = _all_codes(shape, dtype, 0.037, 128 if dtype == torch.quint8 else 5)
    if layout == "channels_last":
        x = x.contiguous(memory_format=torch.channels_last)
    if (engine == "qnnpack" and dtype == torch.quint8 and layout == "channels_last"
            and case in _QNNPACK_CLAMPS):
        pytest.skip("torch's qnnpack clamp permutes a channels-last input's elements "
                    "(test_bitexact's test_qnnpack_relu6_channels_last); qnn clamps in place")
    model = CASES[case](dtype, shape[1]).eval()
    _torch_accepts(model, x)
    compile_and_check(qnn_compile, model, [x], engine)


#: The seed's _test_activation_module_impl: input 10/256:0, output
#: 5/256:127, shape (1, 4, 8), X = (randn - 0.5) * 10.
SEED_ACTIVATIONS = {
    "ELU": lambda: nnq.ELU(5.0 / 256, 127, alpha=1.5),
    "LeakyReLU": lambda: nnq.LeakyReLU(5.0 / 256, 127, negative_slope=0.2),
    "Sigmoid": lambda: nnq.Sigmoid(5.0 / 256, 127),
    "Hardswish": lambda: nnq.Hardswish(5.0 / 256, 127),
}


@pytest.mark.parametrize("name", SEED_ACTIVATIONS)
def test_seed_activation(name, engine, qnn_compile):
    g = torch.Generator().manual_seed(0)
    x = (torch.randn((1, 4, 8), generator=g) - 0.5) * 10
    qx = torch.quantize_per_tensor(x, 10.0 / 256, 0, torch.quint8)
    model = SEED_ACTIVATIONS[name]()
    _torch_accepts(model, qx)
    compile_and_check(qnn_compile, model, [qx], engine)


@pytest.mark.parametrize("num_parameters", range(1, 10))
def test_seed_prelu(num_parameters, engine, qnn_compile):
    """The seed's test_prelu: nnq.PReLU.from_float of a calibrated
    nn.PReLU (whose weight torch's from_float quantizes with an uncalibrated
    observer: scale 1, zero point 0)."""
    g = torch.Generator().manual_seed(num_parameters)
    x = torch.randn((4, num_parameters, 4), generator=g)
    qx = torch.quantize_per_tensor_dynamic(x, torch.quint8, False)
    f_prelu = nn.PReLU(num_parameters=num_parameters)
    f_prelu.weight = nn.Parameter(torch.randn(num_parameters, generator=g).abs() * 2)
    f_prelu.qconfig = torch.ao.quantization.QConfig(
        activation=torch.ao.quantization.default_observer,
        weight=torch.ao.quantization.default_observer)
    f_prelu.activation_post_process = f_prelu.qconfig.activation()
    f_prelu.activation_post_process(f_prelu(x))
    model = nnq.PReLU.from_float(f_prelu)
    compile_and_check(qnn_compile, model, [qx], engine)


def test_scalar_tail_is_needed(engine):
    """Where torch's vector body and scalar loop round a code differently,
    the op's scalar_ranges decide the result: without them qnn differs
    from torch on this input (which makes the other tests meaningful)."""
    # At this scale and zero point the two lambdas differ on codes 178, 218
    # and 238 (found by search); put them in the scalar tail (64..104).
    codes = torch.arange(105) % 256
    codes[64:67] = torch.tensor([178, 218, 238])
    x = torch._make_per_tensor_quantized_tensor(
        codes.to(torch.uint8).reshape(1, 3, 5, 7), 0.05175873637199402, 253)
    model = Fn(lambda t: F.leaky_relu(t, 0.1))
    ir = qnn.from_torch(model, x)
    assert "scalar_ranges = array<i64: 64, 105>" in ir
    expected = model(x)
    exact = qnn.compile_mlir(ir)(x)
    assert torch.equal(exact.int_repr(), expected.int_repr())
    vector_only = qnn.compile_mlir(re.sub(r" \{scalar_ranges = [^}]*\}", "", ir))(x)
    assert not torch.equal(vector_only.int_repr(), expected.int_repr())


def test_scalar_tail_positions():
    """ATen's split, as measured (docs/numerics/activations.md)."""
    from qnn.importer.activation import aten_scalar_tail
    from qnn.importer.aten_loops import cpu_capability
    if cpu_capability() != "AVX2":
        pytest.skip(f"ATen uses {cpu_capability()} here")
    u8 = torch.quint8

    def tail(shape, strides=None, out=None):
        strides = strides or torch.empty(shape).stride()
        return aten_scalar_tail(shape, strides, out or torch.empty(shape).stride(), u8)

    assert tail((63,)) == ([0, 63], [0])
    assert tail((128,)) == ([], [0])
    assert tail((1000,)) == ([960, 1000], [0])
    assert tail((3, 100)) == ([256, 300], [0, 1])
    # x[..., 1:] of 3 x 100: rows of 99 that do not coalesce.
    assert tail((3, 99), (100, 1))[0] == [64, 99, 163, 198, 262, 297]
    # A transposed input into a contiguous output: all scalar.
    assert tail((100, 3), (1, 100))[0] == [0, 300]
    shape = (2, 3, 8, 9)
    nhwc = torch.empty(shape).to(memory_format=torch.channels_last).stride()
    assert tail(shape, nhwc, nhwc) == ([384, 432], [0, 2, 3, 1])
    # Channels-last into contiguous (ELU): all scalar.
    assert tail(shape, nhwc)[0] == [0, 432]
    threads = torch.get_num_threads()
    torch.set_num_threads(2)
    try:
        assert tail((40000,))[0] == [19968, 20000, 39968, 40000]
        assert tail((100003,))[0] == [49984, 50002, 99986, 100003]
    finally:
        torch.set_num_threads(threads)
