"""Functional arithmetic on quantized tensors: torch.ops.quantized add/mul
(and their relu and scalar forms) and cat, which QFunctional's methods and
FX graph mode call, and torch.cat of quantized tensors.

Where torch runs an add or a mul through XNNPACK (qint8 adds on the qnnpack
engine, qint8 products with an output zero point below 127 on both) and
hands it one operand in NHWC order (channels-last) and the other in NCHW
order, XNNPACK pairs the elements wrongly, fails, or writes past its result
(docs/numerics/arithmetic.md, "Layout quirk"); qnn refuses those operands
rather than compute something else than torch (`xnnpack_misaligns`)."""

from __future__ import annotations

import math
from numbers import Number
from typing import List, Sequence, Tuple

import torch
from torch.fx.node import Node

from .activation import _contiguous_strides, _is_channels_last
from .aten_loops import broadcast_strides, scalar_range_attrs, vector_bytes
from .graph import Importer
from .registry import function_handler
from .types import TensorInfo, UnsupportedError, format_float, tensor_type

_Q = torch.ops.quantized


def _channels_last_strides(shape: Sequence[int]) -> Tuple[int, ...]:
    n, c, h, w = shape
    return (h * w * c, 1, w * c, c)


def xnnpack_misaligns(a_shape: Sequence[int], a_strides: Sequence[int],
                      b_shape: Sequence[int], b_strides: Sequence[int]) -> bool:
    """Whether torch's XNNPACK add/mul of tensors with these strides
    computes something else than the broadcast elementwise op.

    torch makes `b` contiguous in `a`'s `suggest_memory_format()` (a no-op
    where `b`'s strides already fit it outside its size-1 dimensions, as
    (N,C,1,1) and C == 1 tensors' may without being channels-last), hands
    each operand to XNNPACK with the shape of its own suggested format (NHWC
    order for a channels-last one), which broadcasts them NumPy-style, and
    reads the result in `a`'s format. Only operands in different formats can
    go wrong; their pairing is then worked out on element indices. (Checked
    against torch 1.13.1 on 292 layout and broadcast combinations.)"""
    a_cl = len(a_shape) == 4 and _is_channels_last(a_shape, a_strides)
    b_cl = False
    if len(b_shape) == 4:
        dense = _channels_last_strides(b_shape) if a_cl else _contiguous_strides(b_shape)
        if not all(n == 1 or s == d for n, s, d in zip(b_shape, b_strides, dense)):
            b_strides = dense
        b_cl = _is_channels_last(b_shape, b_strides)
    if a_cl == b_cl:
        return False
    out = tuple(torch.broadcast_shapes(tuple(a_shape), tuple(b_shape)))
    if a_cl and len(out) != 4:
        return True  # torch refuses to make b channels-last
    ia = torch.arange(math.prod(a_shape)).reshape(tuple(a_shape))
    ib = torch.arange(math.prod(b_shape)).reshape(tuple(b_shape))
    a_seen = ia.permute(0, 2, 3, 1) if a_cl else ia
    b_seen = ib.permute(0, 2, 3, 1) if b_cl else ib
    try:
        shape = torch.broadcast_shapes(a_seen.shape, b_seen.shape)
    except RuntimeError:
        return True  # XNNPACK's setup fails
    if math.prod(shape) != math.prod(out):
        return True  # XNNPACK writes past the result

    def as_result(t: torch.Tensor) -> torch.Tensor:
        flat = t.expand(shape).reshape(-1)
        if a_cl:
            n, c, h, w = out
            return flat.reshape(n, h, w, c).permute(0, 3, 1, 2)
        return flat.reshape(out)

    return not (torch.equal(as_result(a_seen), ia.expand(out))
                and torch.equal(as_result(b_seen), ib.expand(out)))


def _uses_xnnpack(ctx: Importer, op: str, a_info: TensorInfo, out: TensorInfo) -> bool:
    if a_info.dtype != torch.qint8:
        return False
    if op == "add":
        return ctx.numerics == "qnnpack"
    return out.zero_points[0] < 127


def _binary(ctx: Importer, node: Node, op: str, post_op: str = "") -> None:
    a, a_info = ctx.operand(node, ctx.arg(node, 0, "qa"), "the first operand")
    other = ctx.arg(node, 1, "qb")
    if not isinstance(other, Node):
        _scalar(ctx, node, f"{op}_scalar", post_op)
        return
    b, b_info = ctx.operand(node, other, "the second operand")
    for info in (a_info, b_info):
        if not info.per_tensor or info.dtype not in (torch.quint8, torch.qint8):
            raise UnsupportedError(f"the operands of {ctx.where(node)} must be quint8 or "
                                   f"qint8 tensors quantized per tensor, got {info.describe()}")
    a_node = ctx.arg(node, 0, "qa")
    if (_uses_xnnpack(ctx, op, a_info, ctx.output_info(node))
            and a_node in ctx.strides and other in ctx.strides
            and xnnpack_misaligns(a_info.shape, ctx.strides[a_node],
                                  b_info.shape, ctx.strides[other])):
        raise UnsupportedError(
            f"{ctx.where(node)}: torch computes this qint8 {op} with XNNPACK and hands "
            f"it one operand in NHWC order (channels-last) and the other in NCHW "
            f"order, so its result is not the broadcast {op} (or XNNPACK fails); qnn "
            f"refuses it (docs/numerics/arithmetic.md, layout quirk). Give both "
            f"operands the same memory format")
    clause = f" post_op = {post_op}" if post_op else ""
    attrs = _add_scalar_tail(ctx, node, a_node, a_info, other, b_info) if op == "add" else ""
    ctx.define(node, f"qnn.{op} {a}, {b}{clause}{attrs} : {tensor_type(a_info, 'an operand')}, "
                     f"{tensor_type(b_info, 'an operand')} -> {ctx.output_type(node)}")


def _add_scalar_tail(ctx: Importer, node: Node, a_node: Node, a_info: TensorInfo,
                     b_node: Node, b_info: TensorInfo) -> str:
    """The `scalar_ranges`/`memory_order` of an add torch computes with
    ATen's kernel (onednn; qnnpack where quint8 operands broadcast), from
    the layouts of its operands and result (aten_loops)."""
    if ctx.numerics == "qnnpack" and (a_info.dtype == torch.qint8
                                      or tuple(a_info.shape) == tuple(b_info.shape)):
        return ""  # QNNPACK's or XNNPACK's add: no scalar lambda
    out = ctx.output_info(node)
    shape = tuple(out.shape)
    out_strides = ctx.strides.get(node, _contiguous_strides(shape))
    operands = [broadcast_strides(info.shape, ctx.strides.get(n, _contiguous_strides(info.shape)),
                                  shape)
                for n, info in ((a_node, a_info), (b_node, b_info))]
    return scalar_range_attrs(shape, out_strides, operands, out.dtype)


def _scalar(ctx: Importer, node: Node, op: str, post_op: str = "") -> None:
    x, info = ctx.activation_input(node)
    scalar = ctx.constant(node, ctx.arg(node, 1, "other"))
    if not isinstance(scalar, Number) or isinstance(scalar, bool):
        raise UnsupportedError(f"{ctx.where(node)} needs a number, got {scalar!r}")
    clause = f" post_op = {post_op}" if post_op else ""
    ctx.define(node, f"qnn.{op} {x}, {format_float(float(scalar))}{clause} : "
                     f"{tensor_type(info, 'the input')} -> {ctx.output_type(node)}")


@function_handler(_Q.add)
def add(ctx: Importer, node: Node) -> None:
    _binary(ctx, node, "add")


@function_handler(_Q.add_relu)
def add_relu(ctx: Importer, node: Node) -> None:
    _binary(ctx, node, "add", "relu")


@function_handler(_Q.mul)
def mul(ctx: Importer, node: Node) -> None:
    _binary(ctx, node, "mul")


@function_handler(_Q.mul_relu)
def mul_relu(ctx: Importer, node: Node) -> None:
    _binary(ctx, node, "mul", "relu")


@function_handler(_Q.add_scalar)
def add_scalar(ctx: Importer, node: Node) -> None:
    _scalar(ctx, node, "add_scalar")


@function_handler(_Q.add_scalar_relu)
def add_scalar_relu(ctx: Importer, node: Node) -> None:
    _scalar(ctx, node, "add_scalar", "relu")


@function_handler(_Q.mul_scalar)
def mul_scalar(ctx: Importer, node: Node) -> None:
    _scalar(ctx, node, "mul_scalar")


@function_handler(_Q.mul_scalar_relu)
def mul_scalar_relu(ctx: Importer, node: Node) -> None:
    _scalar(ctx, node, "mul_scalar", "relu")


def _channels_last_contiguous(shape: Sequence[int], strides: Sequence[int]) -> bool:
    """Tensor.is_contiguous(memory_format=torch.channels_last) of a 4-D
    tensor with these strides (those of size-1 dimensions do not matter)."""
    if len(strides) != 4:
        return False
    n, c, h, w = shape
    dense = (h * w * c, 1, w * c, c)
    return all(size == 1 or stride == expected
               for size, stride, expected in zip(shape, strides, dense))


def _nhwc_cat_fma_channels(channels: int) -> int:
    """How many leading channels of an input torch's NHWC cat requantizes in
    its vector loops, which dequantize by fma: whole vectors of 8-bit codes
    (32 with AVX2, 64 with AVX-512), then whole vectors of floats (8, 16) of
    what remains; the scalar loop (plain dequantize) does the rest, and all
    of it with ATen's default vectors."""
    vector = vector_bytes()
    if vector == 0:
        return 0
    fma = channels // vector * vector
    floats = vector // 4
    if channels - fma >= floats:
        fma += (channels - fma) // floats * floats
    return fma


@function_handler(_Q.cat, torch.cat, torch.concat)
def cat(ctx: Importer, node: Node) -> None:
    """Each input requantized to the result's quantization where it has
    another, then concatenated. PyTorch's requantization is
    quantize(dequantize(x)), except in its NHWC fast path (every input 4-D
    and channels-last contiguous, dim 1), whose vector loops dequantize the
    leading channels of each input by fma (`fma_channels`)."""
    tensors = ctx.arg(node, 0, "qx" if node.target is _Q.cat else "tensors")
    dim = ctx.constant(node, ctx.arg(node, 1, "dim", 0))
    if not isinstance(tensors, (list, tuple)) or not tensors:
        raise UnsupportedError(f"{ctx.where(node)} needs a list of tensors")
    out = ctx.output_info(node)
    rank = len(out.shape)
    dim = dim % rank
    infos = [ctx.info(value) for value in tensors]
    nhwc = dim == 1 and all(
        info is not None and len(info.shape) == 4
        and _channels_last_contiguous(info.shape, ctx.strides.get(value, ()))
        for value, info in zip(tensors, infos))
    parts: List[Tuple[str, str]] = []
    for i, value in enumerate(tensors):
        v, info = ctx.operand(node, value, f"input {i}")
        if not info.per_tensor:
            raise UnsupportedError(f"input {i} of {ctx.where(node)} is {info.describe()}; "
                                   "qnn concatenates tensors quantized per tensor")
        v_type = tensor_type(info, f"input {i}")
        target = TensorInfo(info.shape, out.dtype, out.qscheme, out.scales, out.zero_points)
        t_type = tensor_type(target, f"input {i}")
        if t_type != v_type:
            r = ctx.fresh(node, "requantized")
            fma = _nhwc_cat_fma_channels(info.shape[1]) if nhwc else 0
            attrs = f" {{fma_channels = {fma} : i64}}" if fma else ""
            ctx.line(f"{r} = qnn.requantize {v}{attrs} : {v_type} -> {t_type}")
            v = r
        parts.append((v, t_type))
    if len(parts) == 1:
        ctx.alias(node, parts[0][0])
        return
    values = ", ".join(v for v, _ in parts)
    types = ", ".join(t for _, t in parts)
    ctx.define(node, f"tensor.concat dim({dim}) {values} : ({types}) -> "
                     f"{ctx.output_type(node)}")
