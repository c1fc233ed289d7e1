"""nnq.ConvTranspose1d/2d/3d, bit-exact against torch on both engines.

They become `qnn.conv_transpose`, lowered as the conv it equals: the input
spread out with its zero point, the weight transposed per group and flipped
(docs/numerics/conv-transpose.md); under onednn_no_vnni the conv of the
input spread with code 0 in saturating pairs of every group's channels,
skipping the gaps as oneDNN's AVX2 deconvolution does (checked against it in
test_onednn_avx2). Torch's refusals shape the cases: onednn
refuses output_padding and per-channel weights, so those run on qnnpack;
qnnpack's per-channel weights work with one group only (it reads scales past
the end otherwise) and its ConvTranspose3d returns wrong shapes and cannot
give its weights back. Where no engine runs a configuration, qnn follows the
float semantics and the tests below check it against torch computing the
same thing another way (per group, or as qnnpack's Conv3d).
"""

from __future__ import annotations

from typing import Optional, Sequence

import numpy as np
import pytest
import torch
import torch.nn as nn
import torch.nn.quantized as nnq

import qnn
from harness import check_bitexact, input_sets

_CLASSES = {1: nnq.ConvTranspose1d, 2: nnq.ConvTranspose2d, 3: nnq.ConvTranspose3d}
_CONVS = {1: nnq.Conv1d, 2: nnq.Conv2d, 3: nnq.Conv3d}


def _weight(shape: Sequence[int], rng: np.random.Generator,
            per_channel: bool) -> torch.Tensor:
    """A qint8 weight `C_in x C_out/groups x kernel...`, per channel along
    axis 1 (a group's output channels)."""
    w = torch.tensor(rng.normal(0, 1, size=shape), dtype=torch.float)
    if per_channel:
        scales = torch.tensor(rng.uniform(0.005, 0.03, size=shape[1]), dtype=torch.double)
        return torch.quantize_per_channel(w, scales, torch.zeros(shape[1], dtype=torch.long),
                                          1, torch.qint8)
    return torch.quantize_per_tensor(w, float(rng.uniform(0.005, 0.03)), 0, torch.qint8)


def _module(dims: int, cin: int, cout: int, kernel: int, *, seed: int, stride: int = 1,
            padding: int = 0, output_padding: int = 0, dilation: int = 1, groups: int = 1,
            bias: bool = True, per_channel: bool = False) -> nn.Module:
    """A ConvTranspose with random weights, bias and output qparams under the
    current engine; skips the test where torch refuses it."""
    rng = np.random.default_rng(seed)
    try:
        m = _CLASSES[dims](cin, cout, kernel, stride=stride, padding=padding,
                           output_padding=output_padding, groups=groups, bias=bias,
                           dilation=dilation)
        w = _weight((cin, cout // groups) + (kernel,) * dims, rng, per_channel)
        b = torch.tensor(rng.normal(0, 1, size=cout), dtype=torch.float) if bias else None
        m.set_weight_bias(w, b)
    except RuntimeError as refusal:
        pytest.skip(f"torch refuses it: {str(refusal).splitlines()[0]}")
    m.scale, m.zero_point = float(rng.uniform(0.02, 0.2)), int(rng.integers(0, 256))
    return nn.Sequential(m).eval()


def _input(shape: Sequence[int], seed: int) -> torch.Tensor:
    rng = np.random.default_rng(seed + 1000)
    codes = torch.tensor(rng.integers(0, 256, size=shape), dtype=torch.uint8)
    return torch._make_per_tensor_quantized_tensor(codes, float(rng.uniform(0.01, 0.1)),
                                                   int(rng.integers(0, 256)))


def _check(qnn_compile, model: nn.Module, x: torch.Tensor, engine: str) -> None:
    try:
        model(x)
    except RuntimeError as refusal:
        pytest.skip(f"torch refuses it: {str(refusal).splitlines()[0]}")
    check_bitexact(qnn_compile(model, x), model, input_sets(model, [x], engine), engine)


#: Configurations in the style of PyTorch's test_conv_transpose1d/2d/3d:
#: (dims, in channels per group, out channels per group, groups, kernel,
#:  stride, padding, output_padding, dilation, spatial size)
_SEED_CONFIGS = [
    (1, 2, 2, 3, 3, 2, 1, 0, 1, 10),
    (1, 2, 2, 3, 3, 2, 1, 1, 1, 10),
    (1, 4, 3, 1, 4, 3, 2, 2, 1, 7),
    (2, 2, 2, 3, 3, 2, 1, 0, 1, 6),
    (2, 2, 2, 3, 3, 2, 1, 1, 1, 6),
    (2, 3, 4, 1, 3, 1, 0, 0, 2, 5),
    (3, 2, 2, 3, 3, 2, 1, 0, 1, 4),
    (3, 2, 2, 1, 2, 2, 0, 1, 1, 3),
]


@pytest.mark.parametrize("bias", [True, False])
@pytest.mark.parametrize("config", _SEED_CONFIGS, ids=lambda c: "-".join(map(str, c)))
def test_seed_conv_transpose(config, bias, engine, qnn_compile):
    dims, icpg, ocpg, groups, k, stride, pad, opad, dil, size = config
    if dims == 3 and engine == "qnnpack":
        pytest.skip("torch's qnnpack ConvTranspose3d: see test_qnnpack_conv_transpose3d")
    model = _module(dims, icpg * groups, ocpg * groups, k, seed=sum(config), stride=stride,
                    padding=pad, output_padding=opad, dilation=dil, groups=groups, bias=bias)
    _check(qnn_compile, model, _input((2, icpg * groups) + (size,) * dims, sum(config)), engine)


def _random_config(seed: int, engine: str):
    rng = np.random.default_rng(seed)
    dims = int(rng.integers(1, 3 if engine == "qnnpack" else 4))
    groups = int(rng.choice([1, 1, 2, 3]))
    icpg, ocpg = int(rng.integers(1, 6)), int(rng.integers(1, 6))
    k = int(rng.integers(1, 5 if dims < 3 else 4))
    stride, dil = int(rng.integers(1, 4)), int(rng.integers(1, 3))
    border = dil * (k - 1)
    # Padding up to past the kernel's border (where the spread input is cropped).
    pad = int(rng.integers(0, border + 2))
    opad = int(rng.integers(0, max(stride, dil))) if engine == "qnnpack" else 0
    size = int(rng.integers(2, 8 if dims < 3 else 5))
    out = (size - 1) * stride - 2 * pad + border + opad + 1
    if out < 1:
        pad = 0
    per_channel = engine == "qnnpack" and groups == 1 and seed % 2 == 0
    return dict(dims=dims, cin=icpg * groups, cout=ocpg * groups, kernel=k, stride=stride,
                padding=pad, output_padding=opad, dilation=dil, groups=groups,
                bias=seed % 3 != 0, per_channel=per_channel), size


@pytest.mark.parametrize("seed", range(24))
def test_random_conv_transpose(seed, engine, qnn_compile):
    config, size = _random_config(seed, engine)
    model = _module(seed=seed, **config)
    batch = 1 + seed % 2
    _check(qnn_compile, model, _input((batch, config["cin"]) + (size,) * config["dims"], seed),
           engine)


def _per_group_reference(x: torch.Tensor, weight: torch.Tensor, bias: Optional[torch.Tensor],
                         groups: int, scale: float, zero_point: int, **geometry) -> torch.Tensor:
    """torch's qnnpack computing a grouped per-channel ConvTranspose group by
    group (one group is what its per-channel kernels support)."""
    cin, ocpg = weight.shape[0] // groups, weight.shape[1]
    pieces = []
    for g in range(groups):
        w = weight.dequantize()[g * cin:(g + 1) * cin]
        scales = weight.q_per_channel_scales()
        qw = torch.quantize_per_channel(w, scales, torch.zeros_like(scales, dtype=torch.long),
                                        1, torch.qint8)
        m = _CLASSES[x.dim() - 2](cin, ocpg, tuple(weight.shape[2:]), **geometry)
        m.set_weight_bias(qw, None if bias is None else bias[g * ocpg:(g + 1) * ocpg])
        m.scale, m.zero_point = scale, zero_point
        piece = x.int_repr()[:, g * cin:(g + 1) * cin]
        pieces.append(m(torch._make_per_tensor_quantized_tensor(
            piece, x.q_scale(), x.q_zero_point())).int_repr())
    return torch.cat(pieces, 1)


@pytest.mark.parametrize("dims", [1, 2])
def test_grouped_per_channel(dims):
    """Grouped per-channel weights: torch's qnnpack refuses them (its
    requantization reads C_out scales of an array of C_out/groups); qnn gives
    output channel g * C_out/groups + o the scale of o, and equals qnnpack
    computing each group on its own."""
    previous = torch.backends.quantized.engine
    torch.backends.quantized.engine = "qnnpack"
    try:
        rng = np.random.default_rng(dims)
        groups, geometry = 2, dict(stride=2, padding=1, output_padding=1)
        weight = _weight((4, 3) + (3,) * dims, rng, per_channel=True)
        bias = torch.tensor(rng.normal(size=6), dtype=torch.float)
        x = _input((2, 4) + (5,) * dims, dims)
        m = _CLASSES[dims](4, 6, 3, groups=groups, **geometry)
        with pytest.raises(RuntimeError, match="requantization scale"):
            m.set_weight_bias(weight, bias)
            m.scale, m.zero_point = 0.1, 100
            m(x)
        expected = _per_group_reference(x, weight, bias, groups, 0.1, 100, **geometry)
    finally:
        torch.backends.quantized.engine = previous
    scales = ", ".join(repr(float(s)) for s in weight.q_per_channel_scales())
    codes = weight.int_repr().tolist()
    spatial = "x".join(str(d) for d in expected.shape[2:])
    x_type = f"tensor<2x4x{'x'.join(['5'] * dims)}x!quant.uniform<u8:f32, {x.q_scale()!r}:{x.q_zero_point()}>>"
    w_type = f"tensor<4x3x{'x'.join(['3'] * dims)}x!quant.uniform<i8:f32:1, {{{scales}}}>>"
    y_type = f"tensor<2x6x{spatial}x!quant.uniform<u8:f32, 0.1:100>>"
    ones = ", ".join(["2"] * dims)
    mlir = f"""module attributes {{qnn.numerics = "qnnpack"}} {{
  func.func @forward(%x: {x_type}) -> {y_type} {{
    %codes = arith.constant dense<{codes}> : tensor<4x3x{'x'.join(['3'] * dims)}xi8>
    %w = quant.scast %codes : tensor<4x3x{'x'.join(['3'] * dims)}xi8> to {w_type}
    %b = arith.constant dense<{bias.tolist()}> : tensor<6xf32>
    %y = qnn.conv_transpose %x, %w bias(%b) strides = [{ones}] padding = [{", ".join(["1"] * dims)}] output_padding = [{", ".join(["1"] * dims)}] dilations = [{", ".join(["1"] * dims)}] groups = 2 : ({x_type}, {w_type}, tensor<6xf32>) -> {y_type}
    return %y : {y_type}
  }}
}}"""
    actual = qnn.compile_mlir(mlir)(x)
    assert torch.equal(actual.int_repr(), expected)


def _as_conv_weight(weight: torch.Tensor, groups: int) -> torch.Tensor:
    """The conv weight a ConvTranspose equals: per group transposed, flipped."""
    cin, ocpg = weight.shape[0], weight.shape[1]
    codes = weight.int_repr().reshape(groups, cin // groups, ocpg, *weight.shape[2:])
    codes = codes.transpose(1, 2).reshape(groups * ocpg, cin // groups, *weight.shape[2:])
    codes = codes.flip(list(range(2, weight.dim())))
    return torch._make_per_tensor_quantized_tensor(codes, weight.q_scale(), 0)


def test_qnnpack_conv_transpose3d():
    """torch 1.13's qnnpack ConvTranspose3d returns wrong shapes (or refuses
    to run) and cannot unpack its weights, so the import refuses it; qnn's
    `qnnpack` numerics compute it by the float semantics, which equal
    torch's qnnpack Conv3d over the spread input with the rearranged weight."""
    rng = np.random.default_rng(3)
    weight = _weight((4, 3, 3, 3, 3), rng, per_channel=False)
    bias = torch.tensor(rng.normal(size=3), dtype=torch.float)
    x = _input((1, 4, 4, 3, 4), 3)
    previous = torch.backends.quantized.engine
    try:
        torch.backends.quantized.engine = "qnnpack"
        m = nnq.ConvTranspose3d(4, 3, 3, stride=2, padding=1)
        m.set_weight_bias(weight, bias)
        m.scale, m.zero_point = 0.1, 100
        float_shape = (1, 3, 7, 5, 7)
        try:
            wrong = tuple(m(x).shape)
        except RuntimeError as error:  # "Output dimension is beyound reasonable maximum"
            wrong = str(error)
        assert wrong != float_shape, "torch's qnnpack ConvTranspose3d is fixed"
        with pytest.raises(qnn.UnsupportedError, match="cannot read the weights"):
            qnn.compile(nn.Sequential(m).eval(), x)
        # The same ConvTranspose as the conv it equals: zero points spread
        # in with stride 2 and a border of 2 - 1 = 1.
        codes = torch.full((1, 4, 9, 7, 9), x.q_zero_point(), dtype=torch.uint8)
        codes[:, :, 1:9:2, 1:7:2, 1:9:2] = x.int_repr()
        spread = torch._make_per_tensor_quantized_tensor(codes, x.q_scale(), x.q_zero_point())
        conv = nnq.Conv3d(4, 3, 3)
        conv.set_weight_bias(_as_conv_weight(weight, 1), bias)
        conv.scale, conv.zero_point = 0.1, 100
        expected = conv(spread).int_repr()
        assert tuple(expected.shape) == float_shape
        # qnn imports it from the module built where torch can read its
        # weights, then computes it with qnnpack's numerics.
        torch.backends.quantized.engine = "onednn"
        m = nnq.ConvTranspose3d(4, 3, 3, stride=2, padding=1)
        m.set_weight_bias(weight, bias)
        m.scale, m.zero_point = 0.1, 100
        mlir = qnn.from_torch(nn.Sequential(m).eval(), x, numerics="onednn")
        numerics = 'qnn.numerics = "onednn"'
        assert numerics in mlir
        actual = qnn.compile_mlir(mlir.replace(numerics, 'qnn.numerics = "qnnpack"'))(x)
    finally:
        torch.backends.quantized.engine = previous
    assert torch.equal(actual.int_repr(), expected)


def test_padding_mode_refused():
    m = nnq.ConvTranspose1d(2, 2, 3)
    m.padding_mode = "reflect"
    x = _input((1, 2, 5), 0)
    with pytest.raises(qnn.UnsupportedError, match="pad with zeros only"):
        qnn.compile(nn.Sequential(m).eval(), x)
