"""Tests of `qnn.from_torch`.

Each supported module is imported on both engines over the configurations of
`configs` (PyTorch's own module tests); qnn-opt must accept (parse and verify)
the IR, the text must carry the expected ops and attributes, and the weight
and bias constants qnn-opt reads back must equal the module's. Unsupported
modules, functions and types must raise `qnn.UnsupportedError` naming them.
"""

from __future__ import annotations

import re
from typing import Any, Dict, List, Sequence

import numpy as np
import pytest
import torch
import torch.nn as nn
import torch.nn.quantized as nnq

import configs
import qnn
from qnn.importer import conv_padding

NO_HEX = "--mlir-print-elementsattrs-with-hex-if-larger=-1"


def qtype(dtype: str, scale: float, zero_point: int) -> str:
    return f"!quant.uniform<{dtype}:f32, {scale!r}:{zero_point}>"


def tensor(shape: Sequence[int], element: str) -> str:
    return "tensor<" + "".join(f"{d}x" for d in shape) + element + ">"


_CONSTANT = re.compile(
    r"arith\.constant (dense|dense_resource)<([^>]*)> : tensor<((?:\d+x)*)(i8|f32|i64)>")
_BLOB = re.compile(r'^\s*([\w.$-]+): "0x([0-9A-Fa-f]+)"', re.M)
_DTYPES = {"i8": np.int8, "f32": np.float32, "i64": np.int64}


def constants(mlir: str) -> List[np.ndarray]:
    """The constants of qnn-opt's output, in order: dense ones in decimal,
    dense_resource ones decoded from the module's resource blobs (4-byte
    alignment, then the little-endian data)."""
    blobs = dict(_BLOB.findall(mlir.split("{-#", 1)[1])) if "{-#" in mlir else {}
    found = []
    for kind, body, dims, element in _CONSTANT.findall(mlir):
        shape = [int(d) for d in dims.split("x") if d]
        dtype = _DTYPES[element]
        if kind == "dense_resource":
            values = np.frombuffer(bytes.fromhex(blobs[body])[4:], dtype.__call__(0).dtype
                                   .newbyteorder("<"))
        else:
            values = np.array([float(v) for v in re.findall(r"[-+.\deE]+", body)], dtype)
        found.append(np.broadcast_to(values, shape) if values.size == 1 else values.reshape(shape))
    return found


def check_weights(mlir: str, weight: torch.Tensor, bias: Any) -> None:
    """The constants qnn-opt read are exactly `weight`'s storage and `bias`."""
    expected = [weight.int_repr().numpy()] + ([bias.numpy()] if bias is not None else [])
    got = constants(mlir)
    assert len(got) == len(expected)
    for g, e in zip(got, expected):
        assert g.dtype == e.dtype and g.shape == e.shape
        np.testing.assert_array_equal(g, e)


def module_has_bias(model: nn.Module, cfg: Dict[str, Any], engine: str) -> bool:
    """Whether the module reports a bias. qnnpack's packed weights report a
    zero bias for modules built without one (same numerics), and the
    importer emits what the module reports."""
    bias = model._weight_bias()[1]
    if not cfg["use_bias"] and engine == "qnnpack":
        assert bias is not None and not bias.any()
    else:
        assert (bias is not None) == cfg["use_bias"]
    return bias is not None


def run_or_skip(model: nn.Module, inputs: Sequence[torch.Tensor], engine: str) -> None:
    """Skips the test when torch itself cannot run `model` on `engine`."""
    try:
        model(*[x.clone() for x in inputs])
    except RuntimeError as error:
        pytest.skip(f"torch refuses on {engine}: {str(error).splitlines()[0]}")


# ---------------------------------------------------------------------------
# Supported modules
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("cfg", configs.LINEAR_CONFIGS,
                         ids=configs.config_ids(configs.LINEAR_CONFIGS))
def test_linear(cfg, engine, build, qnn_opt):
    model, (x_q,) = build(configs.build_linear, cfg)
    text = qnn.from_torch(model, x_q)
    out = qnn_opt(text, NO_HEX)

    batch, in_features, out_features = cfg["batch_size"], cfg["in_features"], cfg["out_features"]
    assert f'module attributes {{qnn.numerics = "{qnn.default_numerics(engine)}"}}' in text
    x_type = tensor([batch, in_features], qtype("u8", 0.2, 10))
    y_type = tensor([batch, out_features], qtype("u8", 0.5, 3))
    assert f"func.func @forward(%arg0: {x_type}) -> {y_type}" in text
    if cfg["per_channel"]:
        params = ", ".join(f"{(i + 1) / 255.0!r}:0" for i in range(out_features))
        w_element = f"!quant.uniform<i8:f32:0, {{{params}}}>"
    else:
        w_element = qtype("i8", 0.1, cfg["w_zero_point"])
    w_type = tensor([out_features, in_features], w_element)
    storage_type = tensor([out_features, in_features], "i8")
    assert f"quant.scast %model.weight_storage : {storage_type} to {w_type}" in text
    has_bias = module_has_bias(model, cfg, engine)
    bias = " bias(%model.bias)" if has_bias else ""
    post_op = " post_op = relu" if cfg["module"] == "LinearReLU" else ""
    operand_types = [x_type, w_type] + ([tensor([out_features], "f32")] if has_bias else [])
    assert (f"%model = qnn.linear %arg0, %model.weight{bias}{post_op} : "
            f"({', '.join(operand_types)}) -> {y_type}") in text
    assert f"return %model : {y_type}" in text
    assert "qnn.linear" in out
    check_weights(out, *model._weight_bias())


@pytest.mark.parametrize("cfg", configs.CONV_CONFIGS,
                         ids=configs.config_ids(configs.CONV_CONFIGS))
def test_conv(cfg, engine, build, qnn_opt):
    model, (x_q,) = build(configs.build_conv, cfg)
    text = qnn.from_torch(model, x_q)
    out = qnn_opt(text, NO_HEX)

    groups = cfg["groups"]
    in_channels = cfg["in_channels_per_group"] * groups
    out_channels = cfg["out_channels_per_group"] * groups
    out_size = [(n + 2 * p - d * (k - 1) - 1) // s + 1 for n, k, s, p, d in zip(
        cfg["input_size"], cfg["kernel_size"], cfg["stride"], cfg["padding"], cfg["dilation"])]
    x_type = tensor([cfg["batch_size"], in_channels, *cfg["input_size"]],
                    qtype("u8", cfg["x_scale"], cfg["x_zero_point"]))
    y_type = tensor([cfg["batch_size"], out_channels, *out_size],
                    qtype("u8", cfg["y_scale"], cfg["y_zero_point"]))
    w_shape = [out_channels, cfg["in_channels_per_group"], *cfg["kernel_size"]]
    if cfg["per_channel"]:
        params = ", ".join([f"{cfg['w_scale']!r}:{cfg['w_zero_point']}"] * out_channels)
        w_element = f"!quant.uniform<i8:f32:0, {{{params}}}>"
    else:
        w_element = qtype("i8", cfg["w_scale"], cfg["w_zero_point"])
    w_type = tensor(w_shape, w_element)

    def ints(values):
        return "[" + ", ".join(map(str, values)) + "]"

    attrs = (f"strides = {ints(cfg['stride'])} padding = {ints(cfg['padding'])} "
             f"dilations = {ints(cfg['dilation'])} groups = {groups}")
    if cfg["padding_mode"] != "zeros":
        attrs += f" padding_mode = {cfg['padding_mode']}"
    if cfg["module"].startswith("ConvReLU"):
        attrs += " post_op = relu"
    has_bias = module_has_bias(model, cfg, engine)
    bias = " bias(%model.bias)" if has_bias else ""
    operand_types = [x_type, w_type] + ([tensor([out_channels], "f32")] if has_bias else [])
    assert f'module attributes {{qnn.numerics = "{qnn.default_numerics(engine)}"}}' in text
    assert f"func.func @forward(%arg0: {x_type}) -> {y_type}" in text
    assert (f"%model = qnn.conv %arg0, %model.weight{bias} {attrs} : "
            f"({', '.join(operand_types)}) -> {y_type}") in text
    assert "qnn.conv" in out
    check_weights(out, *model._weight_bias())


FLOAT_IO_CASES = configs.FLOAT_IO_CASES


@pytest.mark.parametrize("kind", FLOAT_IO_CASES)
def test_float_io(kind, engine, build, qnn_opt):
    """The module between Quantize and DeQuantize in an nn.Sequential, with a
    float input."""
    builder, cfg = FLOAT_IO_CASES[kind]
    model, (x,) = build(builder, cfg, float_io=True)
    text = qnn.from_torch(model, x)
    qnn_opt(text)
    op = "qnn.linear" if kind.startswith("Linear") else "qnn.conv"
    # torch.fx renames Sequential's `input` argument, which shadows a builtin.
    assert re.search(rf"func.func @forward\(%input_1: {tensor(x.shape, 'f32')}\) -> "
                     r"tensor<[0-9x]+f32>", text)
    assert re.search(r"%_0 = qnn.quantize %input_1 : .* -> tensor<[0-9x]+!quant.uniform<u8:f32, ",
                     text)
    assert f"%_1 = {op} %_0, %_1.weight" in text
    assert re.search(r"%_2 = qnn.dequantize %_1 : .* -> tensor<[0-9x]+f32>", text)
    assert "return %_2 : " in text


@pytest.mark.parametrize("dequantize", [True, False], ids=["quant-dequant", "quant"])
@pytest.mark.parametrize("cfg", configs.QUANT_DEQUANT_CONFIGS,
                         ids=configs.config_ids(configs.QUANT_DEQUANT_CONFIGS))
def test_quant_dequant(cfg, dequantize, engine, qnn_opt):
    model, (x,) = configs.build_quant_dequant(cfg, dequantize)
    text = qnn.from_torch(model, x)
    qnn_opt(text)
    storage = {torch.quint8: "u8", torch.qint8: "i8", torch.qint32: "i32"}[cfg["dtype"]]
    # nnq.Quantize keeps its scale in a float32 buffer.
    scale = float(torch.tensor(cfg["scale"], dtype=torch.float32))
    q_type = tensor([2, 2], qtype(storage, scale, cfg["zero_point"]))
    assert f"%_0 = qnn.quantize %input_1 : tensor<2x2xf32> -> {q_type}" in text
    if dequantize:
        assert f"%_1 = qnn.dequantize %_0 : {q_type} -> tensor<2x2xf32>" in text
        assert "return %_1 : tensor<2x2xf32>" in text
    else:
        assert f"return %_0 : {q_type}" in text


@pytest.mark.parametrize("cfg", configs.ACTIVATION_CONFIGS,
                         ids=configs.config_ids(configs.ACTIVATION_CONFIGS))
def test_activation(cfg, engine, qnn_opt):
    model, (x_q,) = configs.build_activation(cfg)
    before = x_q.int_repr().clone()
    text = qnn.from_torch(model, x_q)
    qnn_opt(text)
    activation = "relu6" if cfg["module"] == "ReLU6" else "relu"
    x_type = tensor(cfg["shape"], qtype("u8", cfg["scale"], cfg["zero_point"]))
    assert f"%model = qnn.activation {activation} %arg0 : {x_type} -> {x_type}" in text
    assert f"return %model : {x_type}" in text
    # In-place modules run on a copy of the example input.
    assert torch.equal(x_q.int_repr(), before)


@pytest.mark.parametrize("function", [torch.relu, nn.functional.relu, lambda x: x.relu()],
                         ids=["torch.relu", "F.relu", "Tensor.relu"])
def test_relu_functions(function, engine, qnn_opt):
    class Model(nn.Module):
        def forward(self, x):
            return function(x)

    x_q = torch.quantize_per_tensor(torch.randn(3, 4), 0.1, 128, torch.quint8)
    text = qnn.from_torch(Model(), x_q)
    qnn_opt(text)
    assert re.search(r"= qnn.activation relu %x : tensor<3x4x!quant.uniform<u8:f32, 0.1:128>>",
                     text)


RESHAPE_OPS = {
    "torch.flatten": "tensor.collapse_shape %x [[0], [1, 2, 3]]",
    "Tensor.flatten": "tensor.collapse_shape %x [[0, 1, 2, 3]]",
    "flatten-middle": "tensor.collapse_shape %x [[0], [1, 2], [3]]",
    "nn.Flatten": "tensor.collapse_shape %arg0 [[0], [1, 2, 3]]",
    "reshape-size": "tensor.collapse_shape %x [[0], [1, 2, 3]]",
    "torch.reshape": "tensor.collapse_shape %x [[0, 1], [2, 3]]",
    "view-shape": "tensor.collapse_shape %x [[0, 1], [2], [3]]",
    "view-expand": "tensor.expand_shape %x [[0], [1], [2, 3], [4]] output_shape [2, 3, 2, 2, 5]",
    "nn.Unflatten":
        "tensor.expand_shape %arg0 [[0], [1, 2], [3], [4]] output_shape [2, 1, 3, 4, 5]",
    "view-general": "tensor.reshape %x(%view.shape)",
    "view-same": None,
}


@pytest.mark.parametrize("kind", configs.RESHAPE_KINDS)
def test_reshape(kind, engine, qnn_opt):
    model, (x_q,) = configs.build_reshape(kind)
    text = qnn.from_torch(model, x_q)
    qnn_opt(text)
    out_shape = model(x_q).shape
    element = qtype("u8", 0.05, 7)
    assert f"-> {tensor(out_shape, element)} {{" in text
    expected = RESHAPE_OPS[kind]
    if expected is None:
        assert "tensor." not in text and "return %x : " in text
    else:
        assert expected in text
    if kind == "view-general":
        assert "%view.shape = arith.constant dense<[4, 30]> : tensor<2xi64>" in text


@pytest.mark.parametrize("fuse", [True, False], ids=["fused", "unfused"])
def test_small_model(fuse, engine, build, qnn_opt):
    """QuantStub/DeQuantStub model after prepare/convert (dropout, flatten via
    reshape(x.size(0), -1))."""
    model, (x,) = build(configs.build_small_model, fuse)
    text = qnn.from_torch(model, x)
    out = qnn_opt(text)
    ops = re.findall(r"= ((?:qnn|tensor|quant|arith)\.[a-z_]+(?: relu)?)", text)
    relu = [] if fuse else ["qnn.activation relu"]
    assert ops == (["qnn.quantize", "arith.constant", "quant.scast", "arith.constant",
                    "qnn.conv"] + relu + ["tensor.collapse_shape", "arith.constant",
                    "quant.scast", "arith.constant", "qnn.linear", "qnn.dequantize"])
    assert ("post_op = relu" in text) == fuse
    assert "func.func @forward(%x: tensor<2x3x6x6xf32>) -> tensor<2x8xf32>" in text
    # The default qconfigs: per-channel weights on onednn, per-tensor on qnnpack.
    assert ("i8:f32:0, {" in text) == (engine == "onednn")
    assert f'qnn.numerics = "{qnn.default_numerics(engine)}"' in out


def test_sequential(engine, build, qnn_opt):
    model, (x,) = build(configs.build_sequential)
    text = qnn.from_torch(model, x)
    qnn_opt(text)
    ops = re.findall(r"= (qnn\.[a-z0-9_]+(?: relu6?)?|tensor\.[a-z_]+)", text)
    assert ops == ["qnn.quantize", "qnn.conv", "qnn.activation relu", "qnn.activation relu6",
                   "tensor.collapse_shape", "qnn.linear", "qnn.dequantize"]
    assert "padding_mode = reflect" in text
    # Identity and Dropout are the identity: the flatten reads the relu6.
    assert "tensor.collapse_shape %_3 [[0], [1, 2, 3]]" in text
    assert "%_6 = qnn.linear %_5, %_6.weight bias(%_6.bias) post_op = relu" in text


def test_two_inputs_two_outputs(engine, build, qnn_opt):
    model, (x, y) = build(configs.build_two_inputs)
    text = qnn.from_torch(model, x, y)
    qnn_opt(text)
    assert re.search(r"func.func @forward\(%x: tensor<1x16xf32>, %y: tensor<2x6x8xf32>\) -> "
                     r"\(tensor<1x4xf32>, tensor<2x6x4x!quant.uniform<u8:f32, 5.0:4>>\)", text)
    assert re.search(r"return %dequant, %second : tensor<1x4xf32>, tensor<2x6x4x", text)


@pytest.mark.parametrize("scale", [1e-05, 5.0, 0.1, 0.10000000149011612, 1e16, 1e-40,
                                   1 / 3])
def test_scales_round_trip(scale, engine, qnn_opt):
    """Scales are printed so that qnn-opt reads back the exact double."""
    x_q = torch.quantize_per_tensor(torch.zeros(3), scale, 5, torch.quint8)
    assert x_q.q_scale() == scale
    text = qnn.from_torch(nnq.DeQuantize(), x_q)
    out = qnn_opt(text)
    printed = re.search(r"%arg0: tensor<3x!quant.uniform<u8:f32, ([^:]+):5>>", out).group(1)
    assert float(printed) == scale


@pytest.mark.parametrize("scale", [3e-300, 1e39])
def test_scale_outside_float32(scale, engine):
    x_q = torch.quantize_per_tensor(torch.zeros(3), scale, 5, torch.quint8)
    with pytest.raises(qnn.UnsupportedError, match=re.escape(
            f"example input 'arg0' has scale {scale!r}; qnn's scales must be positive float32")):
        qnn.from_torch(nnq.DeQuantize(), x_q)


def test_conv_same_padding(engine, qnn_opt):
    """torch 1.13 cannot build a quantized conv with padding='same' (prepacking
    rejects the string), so a conv built with the equivalent padding gets the
    string afterwards."""
    cfg = configs.conv_config("Conv2d", 2, stride=(1, 1), dilation=(2, 1), padding=(2, 1))
    model, (x_q,) = configs.build_conv(cfg)
    model.padding = "same"
    text = qnn.from_torch(model, x_q)
    qnn_opt(text)
    assert "strides = [1, 1] padding = [2, 1] dilations = [2, 1]" in text


def test_conv_padding_strings():
    assert conv_padding("valid", (3, 2), (1, 1), "conv") == [0, 0]
    assert conv_padding("same", (3, 5, 1), (2, 1, 4), "conv") == [2, 2, 0]
    assert conv_padding((1, 2), (3, 3), (1, 1), "conv") == [1, 2]
    with pytest.raises(qnn.UnsupportedError, match="conv has padding='same' with an even"):
        conv_padding("same", (3, 4), (1, 1), "conv")
    with pytest.raises(qnn.UnsupportedError, match="unknown padding 'full'"):
        conv_padding("full", (3,), (1,), "conv")


# ---------------------------------------------------------------------------
# Unsupported models
# ---------------------------------------------------------------------------


def test_unsupported_error_type():
    assert issubclass(qnn.UnsupportedError, ValueError)


def test_unsupported_module(engine):
    class Model(nn.Module):
        def __init__(self):
            super().__init__()
            self.layer1 = nn.ReLU()
            self.layer3 = nnq.Softmax(1, 0.1, 3)

        def forward(self, x):
            return self.layer3(self.layer1(x))

    x_q = torch.quantize_per_tensor(torch.randn(1, 2, 5, 5), 0.1, 128, torch.quint8)
    with pytest.raises(qnn.UnsupportedError, match=re.escape(
            "unsupported module torch.ao.nn.quantized.modules.activation.Softmax at 'layer3'")):
        qnn.from_torch(Model(), x_q)


def test_unsupported_nested_and_bare_modules(engine):
    x_q = torch.quantize_per_tensor(torch.randn(2, 4), 0.1, 128, torch.quint8)
    model = nn.Sequential(nn.ReLU(), nn.Sequential(nn.Identity(), nnq.Softmax(1, 0.1, 3)))
    with pytest.raises(qnn.UnsupportedError, match=re.escape(
            "unsupported module torch.ao.nn.quantized.modules.activation.Softmax at '1.1'")):
        qnn.from_torch(model, x_q)
    with pytest.raises(qnn.UnsupportedError, match=re.escape(
            "unsupported module torch.ao.nn.quantized.modules.activation.Softmax "
            "at the model root")):
        qnn.from_torch(nnq.Softmax(1, 0.1, 3), x_q)


def test_unconverted_float_module(engine):
    model = nn.Sequential(nn.Linear(4, 2))
    with pytest.raises(qnn.UnsupportedError,
                       match=re.escape("unsupported module torch.nn.modules.linear.Linear at '0'")):
        qnn.from_torch(model, torch.randn(3, 4))


class _Apply(nn.Module):
    def __init__(self, function):
        super().__init__()
        self.function = function

    def forward(self, x):
        return self.function(x)


@pytest.mark.parametrize("function, message", [
    (lambda x: torch.flip(x, [0]), "unsupported function torch.flip at 'flip'"),
    (lambda x: x.roll(1, 0), "unsupported method Tensor.roll at 'roll'"),
    (lambda x: nn.functional.softmax(x, 1),
     "unsupported function torch.nn.functional.softmax at 'softmax'"),
    (lambda x: torch.sum(x) * x.shape[0], "unsupported function torch.sum at 'sum_1'"),
], ids=["flip", "roll", "softmax", "sum"])
def test_unsupported_functions(function, message, engine):
    x_q = torch.quantize_per_tensor(torch.randn(2, 4), 0.1, 128, torch.quint8)
    with pytest.raises(qnn.UnsupportedError, match=re.escape(message)):
        qnn.from_torch(_Apply(function), x_q)


def test_unsupported_float_arithmetic(engine):
    """Attributes are constants (FX mode's scales live there); float
    arithmetic on tensors is not imported, and the error names the op."""

    class Model(nn.Module):
        def __init__(self):
            super().__init__()
            self.offset = nn.Parameter(torch.ones(4))

        def forward(self, x):
            return x + self.offset

    with pytest.raises(qnn.UnsupportedError,
                       match="unsupported function _operator.add at 'add' on tensors"):
        qnn.from_torch(Model(), torch.randn(2, 4))


@pytest.mark.parametrize("dtype", [torch.qint8, torch.qint32])
@pytest.mark.parametrize("module", ["ReLU", "ReLU6"])
def test_non_quint8_activation(module, dtype, engine, qnn_opt):
    """PyTorch applies ReLU/ReLU6 to any quantized dtype (the seed uses
    qint32): they are clamps of the codes, for any storage width."""
    cfg = dict(module=module, dtype=dtype, scale=1.0, zero_point=0, shape=(20,))
    model, inputs = configs.build_activation(cfg)
    text = qnn.from_torch(model, *inputs)
    qnn_opt(text)
    storage = {torch.qint8: "i8", torch.qint32: "i32"}[dtype]
    x_type = tensor([20], qtype(storage, 1.0, 0))
    assert f"qnn.activation {module.lower()} %arg0 : {x_type} -> {x_type}" in text


def test_float_tensor_into_quantized_ops(engine):
    float_relu6 = nn.Sequential(nnq.Quantize(0.1, 3, torch.quint8), nnq.DeQuantize(),
                                nn.ReLU6())
    with pytest.raises(qnn.UnsupportedError, match=re.escape(
            "the input of module torch.nn.modules.activation.ReLU6 at '2' is a torch.float32 "
            "tensor; qnn supports quint8, qint8 or qint32")):
        qnn.from_torch(float_relu6, torch.randn(2, 3))
    # A float relu is a reference graph's (test_reference): imported in the
    # reference form, exact.
    float_relu = nn.Sequential(nnq.Quantize(0.1, 3, torch.quint8), nnq.DeQuantize(), nn.ReLU())
    x = torch.randn(2, 3)
    assert torch.equal(qnn.compile(float_relu, x)(x), float_relu(x))
    # torch's DeQuantize returns float tensors unchanged.
    with pytest.raises(qnn.UnsupportedError, match="DeQuantize at the model root is applied "
                       "to a torch.float32 tensor; it needs a quantized tensor"):
        qnn.from_torch(nnq.DeQuantize(), torch.randn(2))


def test_qint8_linear_input(engine):
    """qnnpack runs nnq.Linear on qint8 inputs (through XNNPACK, with
    per-tensor weights of zero point 0); qnn does not take them."""
    model, _ = configs.build_linear(configs.find(configs.LINEAR_CONFIGS, per_channel=False,
                                                 w_zero_point=0))
    x_q = torch.quantize_per_tensor(torch.rand(2, 16), 0.2, 10, torch.qint8)
    run_or_skip(model, [x_q], engine)
    with pytest.raises(qnn.UnsupportedError, match="is a torch.qint8 tensor quantized per tensor"):
        qnn.from_torch(model, x_q)


def test_rank1_linear_input(engine):
    """onednn runs nnq.Linear on a vector; qnn.linear needs rank >= 2."""
    model, _ = configs.build_linear(configs.LINEAR_CONFIGS[0])
    x_q = torch.quantize_per_tensor(torch.rand(16), 0.2, 10, torch.quint8)
    run_or_skip(model, [x_q], engine)
    with pytest.raises(qnn.UnsupportedError, match=re.escape(
            "has shape [16]; qnn.linear needs rank >= 2")):
        qnn.from_torch(model, x_q)


def test_unreadable_weights(engine, qnn_opt):
    """qnnpack runs quantized 3-D convolutions but cannot unpack their
    weights."""
    model = nnq.Conv3d(2, 2, 3)
    x_q = torch.quantize_per_tensor(torch.rand(1, 2, 4, 4, 4), 0.1, 3, torch.quint8)
    model(x_q)
    if engine == "onednn":
        qnn_opt(qnn.from_torch(model, x_q))
        return
    with pytest.raises(qnn.UnsupportedError, match=re.escape(
            "torch cannot read the weights of module torch.ao.nn.quantized.modules.conv.Conv3d "
            "at the model root on qnnpack: QNNPACK only supports conv2d_unpack")):
        qnn.from_torch(model, x_q)


def test_dropout_in_training_mode(engine):
    model = nn.Sequential(nnq.Quantize(0.1, 3, torch.quint8), nn.Dropout(0.5))
    with pytest.raises(qnn.UnsupportedError, match=re.escape(
            "module torch.nn.modules.dropout.Dropout at '1' is in training mode")):
        qnn.from_torch(model, torch.randn(2, 3))
    qnn.from_torch(model.eval(), torch.randn(2, 3))


def test_inplace_relu_with_other_reader(engine, qnn_opt):
    class Model(nn.Module):
        def __init__(self):
            super().__init__()
            self.relu = nn.ReLU(inplace=True)

        def forward(self, x):
            y = x.reshape(-1)
            return self.relu(x), y

    x_q = torch.quantize_per_tensor(torch.randn(2, 4), 0.1, 128, torch.quint8)
    with pytest.raises(qnn.UnsupportedError, match="overwrites a tensor that 'output' also read"):
        qnn.from_torch(Model(), x_q)
    model = Model()
    model.relu.inplace = False
    qnn_opt(qnn.from_torch(model, x_q))


def test_untraceable_model(engine):
    class Model(nn.Module):
        def forward(self, x):
            return x if x.sum() > 0 else -x

    with pytest.raises(qnn.UnsupportedError, match="cannot be traced by torch.fx"):
        qnn.from_torch(Model(), torch.randn(2))


def test_float64_input(engine):
    with pytest.raises(qnn.UnsupportedError,
                       match="example input 'arg0' is a torch.float64 tensor"):
        qnn.from_torch(nn.Identity(), torch.randn(2, dtype=torch.float64))


def test_non_tensor_inputs_and_outputs(engine):
    with pytest.raises(qnn.UnsupportedError, match="example input 'arg0' is not a tensor"):
        qnn.from_torch(nn.Identity(), 3)
    with pytest.raises(qnn.UnsupportedError, match="must return a tensor or a flat tuple"):
        qnn.from_torch(_Apply(lambda x: (x, x.shape[0])), torch.randn(2))


def test_float64_bias(engine):
    """torch keeps a float64 bias as given; qnn's biases are float32."""
    model, (x_q,) = configs.build_linear(configs.find(configs.LINEAR_CONFIGS, per_channel=False,
                                                      w_zero_point=0))
    model.set_weight_bias(model.weight(), torch.rand(4, dtype=torch.float64))
    run_or_skip(model, [x_q], engine)
    with pytest.raises(qnn.UnsupportedError, match="the bias of module .*Linear at the model "
                       "root is torch.float64"):
        qnn.from_torch(model, x_q)


def test_engine_must_be_reproducible():
    previous = torch.backends.quantized.engine
    torch.backends.quantized.engine = "none"
    try:
        with pytest.raises(qnn.UnsupportedError, match="quantized engine 'none' is not supported"):
            qnn.from_torch(nn.Identity(), torch.randn(2))
    finally:
        torch.backends.quantized.engine = previous


def test_example_input_count(engine):
    with pytest.raises(ValueError, match="takes 1 inputs but 2 example inputs"):
        qnn.from_torch(nn.Sequential(nn.Identity()), torch.randn(2), torch.randn(2))
