"""Activations: modules, functions and methods that apply an entry of qnn's
activation table (`qnn.activation`).

The output quantization is the one torch's run recorded (fixed for sigmoid,
tanh and hardsigmoid, the module's for nnq.*, the input's otherwise). Where
torch computes with ATen's vectorized kernels, the elements of its scalar
loop round differently; `aten_scalar_tail` finds them the way ATen does and
the op carries them (docs/numerics/activations.md, "Position dependence").
"""

from __future__ import annotations

from typing import List, Optional, Sequence, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.nn.quantized as nnq
from torch.fx.node import Node

from . import reference
from .aten_loops import cpu_capability, memory_order, scalar_range_attrs, scalar_ranges
from .graph import Importer
from .registry import function_handler, method_handler, module_handler
from .types import TensorInfo, UnsupportedError, format_float, tensor_type

_Q = torch.ops.quantized

#: Clamps work on codes of any width (qint32 relu); the other activations
#: are tables of 8-bit codes.
CLAMP_DTYPES = (torch.quint8, torch.qint8, torch.qint32)

#: Activations torch computes with ATen's vectorized kernels on every engine
#: except where QNNPACK's quint8 tables run (`_QNNPACK_TABLES`).
_ATEN = {"leaky_relu", "elu", "sigmoid", "tanh", "hardsigmoid", "hardswish"}
_QNNPACK_TABLES = {"sigmoid", "tanh", "hardsigmoid", "hardswish"}

_STORAGE_RANGE = {torch.quint8: (0, 255), torch.qint8: (-128, 127),
                  torch.qint32: (-2 ** 31, 2 ** 31 - 1)}


# ---------------------------------------------------------------------------
# ATen's vector body and scalar loop
# ---------------------------------------------------------------------------


def _contiguous_strides(shape: Sequence[int]) -> Tuple[int, ...]:
    strides, step = [], 1
    for size in reversed(shape):
        strides.append(step)
        step *= max(size, 1)
    return tuple(reversed(strides))


def _is_channels_last(shape: Sequence[int], strides: Sequence[int]) -> bool:
    """c10's is_channels_last_strides_2d/3d, which suggest_memory_format()
    follows: strides increasing from C over the spatial dims to N."""
    order = {4: (1, 3, 2, 0), 5: (1, 4, 3, 2, 0)}.get(len(shape))
    if order is None or strides[1] == 0:
        return False
    minimum = 0
    for d in order:
        if shape[d] == 0 or strides[d] < minimum:
            return False
        if d == 0 and minimum == strides[1]:
            return False
        minimum = strides[d] * (shape[d] if shape[d] > 1 else 1)
    return True


def suggested_strides(shape: Sequence[int], strides: Sequence[int]) -> Tuple[int, ...]:
    """The strides of a tensor allocated in `suggest_memory_format()` of one
    with `strides`: channels-last for a rank-4 (rank-5) tensor laid out so,
    else contiguous."""
    if _is_channels_last(shape, strides):
        memory_format = torch.channels_last if len(shape) == 4 else torch.channels_last_3d
        return tuple(torch.empty(tuple(shape)).to(memory_format=memory_format).stride())
    return _contiguous_strides(shape)


def aten_scalar_tail(shape: Sequence[int], in_strides: Sequence[int],
                     out_strides: Sequence[int], dtype: torch.dtype
                     ) -> Tuple[List[int], List[int]]:
    """The elements ATen computes with its scalar loop, as `[begin, end)`
    pairs of positions in the output's memory order, and that order
    (aten_loops.scalar_ranges)."""
    return (scalar_ranges(shape, out_strides, [in_strides], dtype),
            memory_order(shape, out_strides))


def _scalar_tail_attrs(ctx: Importer, node: Node, activation: str, x_node: Node,
                       info: TensorInfo) -> str:
    """The `scalar_ranges`/`memory_order` attributes of the op, if torch
    computes it with ATen's kernels and some elements take the scalar loop."""
    if activation not in _ATEN:
        return ""
    if (ctx.numerics == "qnnpack" and info.dtype == torch.quint8
            and activation in _QNNPACK_TABLES):
        return ""
    if activation == "sigmoid" and cpu_capability() not in ("AVX2", "AVX512"):
        raise UnsupportedError(f"{ctx.where(node)}: torch's sigmoid with ATen's default "
                               "vectors (no AVX2) divides in float; qnn does not model it")
    shape = info.shape
    in_strides = ctx.strides.get(x_node, _contiguous_strides(shape))
    # ELU's output is contiguous; the others' follow the input's suggested
    # memory format, into which leaky_relu first copies its input.
    out_strides = (_contiguous_strides(shape) if activation == "elu"
                   else suggested_strides(shape, in_strides))
    if activation == "leaky_relu":
        in_strides = out_strides
    return scalar_range_attrs(shape, out_strides, [in_strides], info.dtype)


# ---------------------------------------------------------------------------
# Emission
# ---------------------------------------------------------------------------


def _is_inplace(ctx: Importer, node: Node) -> bool:
    if node.op == "call_module":
        return bool(getattr(ctx.submodule(node), "inplace", False))
    if node.op == "call_method":
        return node.target.endswith("_")
    name = getattr(node.target, "__name__", "")
    if name.endswith("_"):
        return True
    return bool(node.kwargs.get("inplace", False))


def _params(values: Sequence[Tuple[str, float]]) -> str:
    if not values:
        return ""
    return "(" + ", ".join(f"{k} = {format_float(float(v))}" for k, v in values) + ")"


def emit_activation(ctx: Importer, node: Node, activation: str,
                    params: Sequence[Tuple[str, float]] = (),
                    dtypes=(torch.quint8, torch.qint8), weight: Optional[torch.Tensor] = None,
                    inplace: Optional[bool] = None) -> None:
    """`qnn.activation <activation>(params)` of the node's input, to the
    recorded result type."""
    x, info = ctx.activation_input(node, dtypes)
    if _is_inplace(ctx, node) if inplace is None else inplace:
        ctx.check_inplace(node)
    x_type = tensor_type(info, "the input")
    operands, types = x, x_type
    if weight is not None:
        w_info = TensorInfo.of(weight)
        if not w_info.per_tensor:
            raise UnsupportedError(f"the weight of {ctx.where(node)} must be quantized "
                                   "per tensor")
        w = ctx.emit_constant(f"{node.name}_weight", weight, w_info)
        operands += f" weight({w})"
        types += f", {tensor_type(w_info, 'the weight')}"
    attrs = _scalar_tail_attrs(ctx, node, activation, ctx.arg(node, 0, "input"), info)
    ctx.define(node, f"qnn.activation {activation}{_params(params)} {operands}{attrs} : "
                     f"{types} -> {ctx.output_type(node)}")


# ---------------------------------------------------------------------------
# The handlers
# ---------------------------------------------------------------------------


@module_handler(nn.ReLU)
@function_handler(torch.relu, torch.relu_, F.relu)  # F.relu_ is torch.relu_
@method_handler("relu", "relu_")
def relu(ctx: Importer, node: Node) -> None:
    info = ctx.info(ctx.arg(node, 0, "input"))
    if info is not None and not info.is_quantized and info.dtype == torch.float32:
        # A reference graph's float relu.
        return reference.float_relu(ctx, node)
    emit_activation(ctx, node, "relu", dtypes=CLAMP_DTYPES)


@module_handler(nnq.ReLU6, nn.ReLU6)
@function_handler(F.relu6)
def relu6(ctx: Importer, node: Node) -> None:
    emit_activation(ctx, node, "relu6", dtypes=CLAMP_DTYPES)


def _clamp(ctx: Importer, node: Node, low: Optional[float], high: Optional[float]) -> None:
    if low is None or high is None:
        # A one-sided clamp (onednn): the missing bound beyond the codes'
        # range, where quantizing it saturates (not at infinity, which
        # torch's quantize_val would take to the lowest code).
        _, info = ctx.input(node)
        qmin, qmax = _STORAGE_RANGE.get(info.dtype, (0, 0))
        scale, zero_point = info.scales[0], info.zero_points[0]
        if low is None:
            low = 2.0 * (qmin - zero_point) * scale - 1.0
        if high is None:
            high = 2.0 * (qmax - zero_point) * scale + 1.0
    emit_activation(ctx, node, "hardtanh", [("min_val", float(low)), ("max_val", float(high))],
                    dtypes=CLAMP_DTYPES)


@module_handler(nn.Hardtanh)
def hardtanh_module(ctx: Importer, node: Node) -> None:
    m = ctx.submodule(node)
    _clamp(ctx, node, m.min_val, m.max_val)


@function_handler(F.hardtanh, F.hardtanh_)
def hardtanh_function(ctx: Importer, node: Node) -> None:
    _clamp(ctx, node, ctx.constant(node, ctx.arg(node, 1, "min_val", -1.0)),
           ctx.constant(node, ctx.arg(node, 2, "max_val", 1.0)))


@function_handler(torch.clamp, torch.clamp_, torch.clip, torch.clip_)
@method_handler("clamp", "clamp_", "clip", "clip_")
def clamp(ctx: Importer, node: Node) -> None:
    _clamp(ctx, node, ctx.constant(node, ctx.arg(node, 1, "min")),
           ctx.constant(node, ctx.arg(node, 2, "max")))


@module_handler(nn.LeakyReLU, nnq.LeakyReLU)
def leaky_relu_module(ctx: Importer, node: Node) -> None:
    m = ctx.submodule(node)
    emit_activation(ctx, node, "leaky_relu", [("negative_slope", m.negative_slope)])


@function_handler(F.leaky_relu, F.leaky_relu_)
def leaky_relu_function(ctx: Importer, node: Node) -> None:
    slope = ctx.constant(node, ctx.arg(node, 1, "negative_slope", 0.01))
    emit_activation(ctx, node, "leaky_relu", [("negative_slope", slope)])


@function_handler(_Q.leaky_relu)
def quantized_leaky_relu(ctx: Importer, node: Node) -> None:
    # quantized::leaky_relu(x, slope, inplace, scale, zp) never works in place.
    slope = ctx.constant(node, ctx.arg(node, 1, "negative_slope"))
    emit_activation(ctx, node, "leaky_relu", [("negative_slope", slope)], inplace=False)


@module_handler(nnq.ELU)
def elu_module(ctx: Importer, node: Node) -> None:
    emit_activation(ctx, node, "elu", [("alpha", ctx.submodule(node).alpha)])


@function_handler(_Q.elu)
def quantized_elu(ctx: Importer, node: Node) -> None:
    params = [("alpha", ctx.constant(node, ctx.arg(node, 3, "alpha", 1.0))),
              ("scale", ctx.constant(node, ctx.arg(node, 4, "scale", 1.0))),
              ("input_scale", ctx.constant(node, ctx.arg(node, 5, "input_scale", 1.0)))]
    emit_activation(ctx, node, "elu", params, inplace=False)


@function_handler(_Q.celu)
def quantized_celu(ctx: Importer, node: Node) -> None:
    alpha = float(ctx.constant(node, ctx.arg(node, 3, "alpha", 1.0)))
    emit_activation(ctx, node, "elu", [("alpha", alpha), ("input_scale", 1.0 / alpha)],
                    inplace=False)


@module_handler(nn.Sigmoid, nnq.Sigmoid)
@function_handler(torch.sigmoid, F.sigmoid, _Q.sigmoid)
@method_handler("sigmoid")
def sigmoid(ctx: Importer, node: Node) -> None:
    emit_activation(ctx, node, "sigmoid", inplace=False)


@module_handler(nn.Tanh)
@function_handler(torch.tanh, F.tanh)
@method_handler("tanh")
def tanh(ctx: Importer, node: Node) -> None:
    emit_activation(ctx, node, "tanh", inplace=False)


@module_handler(nn.Hardsigmoid)
@function_handler(F.hardsigmoid)
def hardsigmoid(ctx: Importer, node: Node) -> None:
    emit_activation(ctx, node, "hardsigmoid")


@module_handler(nnq.Hardswish)
@function_handler(_Q.hardswish)
def hardswish(ctx: Importer, node: Node) -> None:
    emit_activation(ctx, node, "hardswish", inplace=False)


@module_handler(nnq.PReLU)
def prelu_module(ctx: Importer, node: Node) -> None:
    emit_activation(ctx, node, "prelu", weight=ctx.submodule(node).weight, inplace=False)


@function_handler(_Q.prelu)
def quantized_prelu(ctx: Importer, node: Node) -> None:
    weight = ctx.constant(node, ctx.arg(node, 1, "weight"))
    if not isinstance(weight, torch.Tensor) or not weight.is_quantized:
        raise UnsupportedError(f"{ctx.where(node)} needs a constant quantized weight")
    emit_activation(ctx, node, "prelu", weight=weight, inplace=False)
