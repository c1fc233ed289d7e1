"""Reference modules (torch.ao.nn.quantized.reference, what
`convert_to_reference_fx` produces): Linear, Conv1d/2d/3d,
ConvTranspose1d/2d/3d, Embedding and EmbeddingBag, and the float relu
between them in a reference graph.

They are imported into qnn's reference form, the IR `--qnn-decompose`
produces: the weight quantized as torch quantizes it on every call (with
the module's weight qparams), `qnn.dequantize`d, and the float computation in
`linalg`/`arith`. Around the FX graph's quantize_per_tensor / dequantize
calls, `--qnn-fuse` lifts that form back into quantized ops. The float
linear is torch's bit for bit (the netlib BLAS sgemm torch calls here sums
each output in index order, as the lowered linalg.matmul does); a float
conv's summation order is oneDNN's, so a float conv output is exact where
its sums are (docs/numerics/reference.md).
"""

from __future__ import annotations

from typing import List, Optional, Sequence, Tuple

import torch
import torch.ao.nn.quantized.reference as nnqr
import torch.nn as nn
from torch.fx.node import Node

from .. import nn as qnn_nn
from .dynamic import (Cell, CellLinear, emit_gru_cell, emit_lstm_cell, emit_recurrent,
                      emit_rnn_cell)
from .embedding import Table, emit_embedding, emit_embedding_bag
from .graph import Importer
from .registry import module_handler
from .types import TensorInfo, UnsupportedError, int_list, shaped, tensor_type

_CONVS = {nnqr.Conv1d: 1, nnqr.Conv2d: 2, nnqr.Conv3d: 3}
_CONV_TRANSPOSES = {nnqr.ConvTranspose1d: 1, nnqr.ConvTranspose2d: 2, nnqr.ConvTranspose3d: 3}


def _float_input(ctx: Importer, node: Node) -> Tuple[str, Tuple[int, ...]]:
    x, info = ctx.input(node)
    if info.is_quantized or info.dtype != torch.float32:
        raise UnsupportedError(f"the input of {ctx.where(node)} is {info.describe()}; a "
                               "reference module takes float32")
    return x, tuple(info.shape)


def _weight(ctx: Importer, node: Node, module: nn.Module) -> str:
    """The weight as torch's reference module uses it: quantized with the
    module's qparams, dequantized. Returns the float SSA value."""
    if module.weight_qscheme is None or module.weight_dtype == torch.float16:
        raise UnsupportedError(f"{ctx.where(node)} keeps a {module.weight_dtype} weight; "
                               "qnn imports quantized reference weights")
    qweight = module.get_quantized_weight()
    info = TensorInfo.of(qweight)
    q = ctx.emit_constant(f"{node.name}.weight", qweight, info)
    w = ctx.fresh(node, "weight")
    ctx.line(f"{w} = qnn.dequantize {q} : {tensor_type(info, 'the weight')} -> "
             f"{shaped(qweight.shape, 'f32')}")
    return w


def _add_bias(ctx: Importer, node: Node, value: str, shape: Sequence[int],
              channel_dim: int, bias: Optional[torch.Tensor], name: str = "bias") -> str:
    """`value + bias` broadcast along `channel_dim` (the reference form's
    linalg.broadcast and arith.addf); `value` without a bias."""
    if bias is None:
        return value
    bias = bias.detach().to(torch.float32).contiguous()
    b = ctx.emit_constant(f"{node.name}.{name}", bias, TensorInfo.of(bias))
    empty, broadcast, result = (ctx.fresh(node, s) for s in ("empty", "bias", "biased"))
    out = shaped(shape, "f32")
    dims = [d for d in range(len(shape)) if d != channel_dim]
    ctx.line(f"{empty} = tensor.empty() : {out}")
    ctx.line(f"{broadcast} = linalg.broadcast ins({b} : {shaped(bias.shape, 'f32')}) "
             f"outs({empty} : {out}) dimensions = {int_list(dims)}")
    ctx.line(f"{result} = arith.addf {value}, {broadcast} : {out}")
    return result


def _bias_add(ctx: Importer, node: Node, value: str, shape: Sequence[int],
              channel_dim: int) -> str:
    """The module's bias added to `value` (_add_bias)."""
    return _add_bias(ctx, node, value, shape, channel_dim, ctx.submodule(node).bias)


def _zeros(ctx: Importer, node: Node, shape: Sequence[int]) -> str:
    zero, empty, filled = (ctx.fresh(node, s) for s in ("zero", "empty", "zeros"))
    ctx.line(f"{zero} = arith.constant 0.0 : f32")
    ctx.line(f"{empty} = tensor.empty() : {shaped(shape, 'f32')}")
    ctx.line(f"{filled} = linalg.fill ins({zero} : f32) outs({empty} : "
             f"{shaped(shape, 'f32')}) -> {shaped(shape, 'f32')}")
    return filled


def float_linear(ctx: Importer, node: Node, x: str, shape: Sequence[int], w: str,
                 n: int, k: int, bias: Optional[torch.Tensor], name: str = "bias") -> str:
    """`x @ w^T (+ bias)` in float as the reference form spells it (rows
    collapsed around a linalg.matmul, the bias broadcast and added): torch's
    F.linear / addmm bit for bit (netlib's sgemm sums in index order).
    Returns the `[..., n]` result."""
    rows = 1
    for d in shape[:-1]:
        rows *= d
    x2 = x
    batch = [list(range(len(shape) - 1)), [len(shape) - 1]]
    if len(shape) != 2:
        if len(shape) < 2:
            raise UnsupportedError(f"the input of {ctx.where(node)} has rank 1; qnn's "
                                   "linear takes rank 2 or more")
        x2 = ctx.fresh(node, "rows")
        ctx.line(f"{x2} = tensor.collapse_shape {x} {batch} : {shaped(shape, 'f32')} "
                 f"into {shaped((rows, k), 'f32')}")
    empty, wt, y = (ctx.fresh(node, s) for s in ("empty", "transposed", "matmul"))
    ctx.line(f"{empty} = tensor.empty() : {shaped((k, n), 'f32')}")
    ctx.line(f"{wt} = linalg.transpose ins({w} : {shaped((n, k), 'f32')}) outs({empty} : "
             f"{shaped((k, n), 'f32')}) permutation = [1, 0]")
    init = _zeros(ctx, node, (rows, n))
    ctx.line(f"{y} = linalg.matmul ins({x2}, {wt} : {shaped((rows, k), 'f32')}, "
             f"{shaped((k, n), 'f32')}) outs({init} : {shaped((rows, n), 'f32')}) -> "
             f"{shaped((rows, n), 'f32')}")
    result = _add_bias(ctx, node, y, (rows, n), 1, bias, name)
    out_shape = tuple(shape[:-1]) + (n,)
    if len(shape) != 2:
        expanded = ctx.fresh(node, "expanded")
        ctx.line(f"{expanded} = tensor.expand_shape {result} {batch} output_shape "
                 f"{int_list(out_shape)} : {shaped((rows, n), 'f32')} into "
                 f"{shaped(out_shape, 'f32')}")
        result = expanded
    return result


@module_handler(nnqr.Linear)
def linear(ctx: Importer, node: Node) -> None:
    module = ctx.submodule(node)
    x, shape = _float_input(ctx, node)
    n, k = module.weight.shape
    if len(shape) < 1 or shape[-1] != k:
        raise UnsupportedError(f"the input of {ctx.where(node)} has shape {list(shape)}; "
                               f"it needs {k} features")
    w = _weight(ctx, node, module)
    ctx.alias(node, float_linear(ctx, node, x, shape, w, n, k, module.bias))


def _affine_map(num_loops: int, exprs: Sequence[str]) -> str:
    dims = ", ".join(f"d{i}" for i in range(num_loops))
    return f"affine_map<({dims}) -> ({', '.join(exprs)})>"


def _conv_generic(ctx: Importer, node: Node, x: str, shape: Sequence[int], w: str,
                  wshape: Sequence[int], padding: Sequence[int], strides: Sequence[int],
                  dilations: Sequence[int], groups: int) -> Tuple[str, List[int]]:
    """The reference form's convolution (zero padding, the grouped generic,
    no bias); returns the value and its shape."""
    dims = len(shape) - 2
    padded, pshape = x, list(shape)
    if any(padding):
        zero, padded = ctx.fresh(node, "zero"), ctx.fresh(node, "padded")
        for i, p in enumerate(padding):
            pshape[2 + i] += 2 * p
        pads = int_list([0, 0] + list(padding))
        args = ", ".join(f"%pad.i{i}: index" for i in range(len(shape)))
        ctx.line(f"{zero} = arith.constant 0.0 : f32")
        ctx.line(f"{padded} = tensor.pad {x} low{pads} high{pads} {{\n"
                 f"^bb0({args}):\n  tensor.yield {zero} : f32\n"
                 f"}} : {shaped(shape, 'f32')} to {shaped(pshape, 'f32')}")
    batch, cin = pshape[0], pshape[1]
    cout = wshape[0]
    xg = [batch, groups, cin // groups] + pshape[2:]
    wg = [groups, cout // groups, cin // groups] + list(wshape[2:])
    out = [batch, groups, cout // groups] + [
        (pshape[2 + i] - dilations[i] * (wshape[2 + i] - 1) - 1) // strides[i] + 1
        for i in range(dims)]
    group_x = [[0], [1, 2]] + [[3 + i] for i in range(dims)]
    group_w = [[0, 1]] + [[2 + i] for i in range(dims + 1)]
    xe, we = ctx.fresh(node, "grouped"), ctx.fresh(node, "grouped_weight")
    ctx.line(f"{xe} = tensor.expand_shape {padded} {group_x} output_shape {int_list(xg)} : "
             f"{shaped(pshape, 'f32')} into {shaped(xg, 'f32')}")
    ctx.line(f"{we} = tensor.expand_shape {w} {group_w} output_shape {int_list(wg)} : "
             f"{shaped(wshape, 'f32')} into {shaped(wg, 'f32')}")
    # Loops n, g, o, out..., c, kernel... (the reference form's conv).
    num_loops, c = 4 + 2 * dims, 3 + dims
    in_exprs: List[str] = ["d0", "d1", f"d{c}"]
    w_exprs: List[str] = ["d1", "d2", f"d{c}"]
    out_exprs: List[str] = ["d0", "d1", "d2"]
    for i in range(dims):
        in_exprs.append(f"d{3 + i} * {strides[i]} + d{c + 1 + i} * {dilations[i]}")
        w_exprs.append(f"d{c + 1 + i}")
        out_exprs.append(f"d{3 + i}")
    maps = ", ".join(_affine_map(num_loops, e) for e in (in_exprs, w_exprs, out_exprs))
    iterators = ", ".join(['"parallel"'] * (3 + dims) + ['"reduction"'] * (1 + dims))
    init = _zeros(ctx, node, out)
    y = ctx.fresh(node, "conv")
    ctx.line(f"{y} = linalg.generic {{indexing_maps = [{maps}], iterator_types = "
             f"[{iterators}]}} ins({xe}, {we} : {shaped(xg, 'f32')}, {shaped(wg, 'f32')}) "
             f"outs({init} : {shaped(out, 'f32')}) {{\n"
             f"^bb0(%conv.in: f32, %conv.w: f32, %conv.acc: f32):\n"
             f"  %conv.product = arith.mulf %conv.in, %conv.w : f32\n"
             f"  %conv.sum = arith.addf %conv.acc, %conv.product : f32\n"
             f"  linalg.yield %conv.sum : f32\n}} -> {shaped(out, 'f32')}")
    result_shape = [batch, cout] + out[3:]
    collapsed = ctx.fresh(node, "collapsed")
    ctx.line(f"{collapsed} = tensor.collapse_shape {y} {group_x} : {shaped(out, 'f32')} "
             f"into {shaped(result_shape, 'f32')}")
    return collapsed, result_shape


def _conv_input(ctx: Importer, node: Node, module: nn.Module,
                dims: int) -> Tuple[str, Tuple[int, ...]]:
    where = ctx.where(node)
    x, shape = _float_input(ctx, node)
    if module.padding_mode != "zeros":
        raise UnsupportedError(f"{where} has padding_mode={module.padding_mode!r}; qnn's "
                               "reference convs pad with zeros")
    if isinstance(module.padding, str):
        raise UnsupportedError(f"{where} has padding={module.padding!r}; give it in numbers")
    if len(shape) != dims + 2:
        raise UnsupportedError(f"the input of {where} has rank {len(shape)}; "
                               f"{type(module).__name__} takes rank {dims + 2}")
    return x, shape


@module_handler(*_CONVS)
def conv(ctx: Importer, node: Node) -> None:
    module = ctx.submodule(node)
    x, shape = _conv_input(ctx, node, module, _CONVS[type(module)])
    w = _weight(ctx, node, module)
    y, result_shape = _conv_generic(
        ctx, node, x, shape, w, tuple(module.weight.shape), [int(p) for p in module.padding],
        [int(s) for s in module.stride], [int(d) for d in module.dilation], int(module.groups))
    ctx.alias(node, _bias_add(ctx, node, y, result_shape, channel_dim=1))


@module_handler(*_CONV_TRANSPOSES)
def conv_transpose(ctx: Importer, node: Node) -> None:
    """The conv a transposed conv equals (docs/numerics/conv-transpose.md), in
    float: the input spread with zeros, the quantize-dequantized weight
    transposed per group and flipped."""
    module = ctx.submodule(node)
    dims = _CONV_TRANSPOSES[type(module)]
    x, shape = _conv_input(ctx, node, module, dims)
    if module.weight_qscheme is None:
        raise UnsupportedError(f"{ctx.where(node)} keeps a float weight; qnn imports "
                               "quantized reference weights")
    groups = int(module.groups)
    weight = module.get_weight().detach()  # torch's own quantize-dequantize
    cin, opg = weight.shape[0], weight.shape[1]
    kernel = tuple(weight.shape[2:])
    flipped = weight.reshape(groups, cin // groups, opg, *kernel).transpose(1, 2)
    flipped = flipped.reshape(groups * opg, cin // groups, *kernel).flip(
        list(range(2, 2 + dims))).contiguous()
    w = ctx.emit_constant(f"{node.name}.weight", flipped, TensorInfo.of(flipped))
    strides = [int(s) for s in module.stride]
    dilations = [int(d) for d in module.dilation]
    padding = [int(p) for p in module.padding]
    extra = [int(p) for p in module.output_padding]
    full, offsets, cropped, crop = list(shape[:2]), [0, 0], list(shape[:2]), False
    crop_offsets = [0, 0]
    for i in range(dims):
        border = dilations[i] * (kernel[i] - 1)
        size = (shape[2 + i] - 1) * strides[i] + 1 + 2 * border + extra[i]
        cropped.append(size - 2 * padding[i])
        if padding[i] <= border:
            offsets.append(border - padding[i])
            full.append(size - 2 * padding[i])
            crop_offsets.append(0)
        else:
            crop = True
            offsets.append(border)
            full.append(size)
            crop_offsets.append(padding[i])
    zeros, spread = ctx.fresh(node, "zeros"), ctx.fresh(node, "spread")
    ctx.line(f"{zeros} = arith.constant dense<0.0> : {shaped(full, 'f32')}")
    ctx.line(f"{spread} = tensor.insert_slice {x} into {zeros}{int_list(offsets)} "
             f"{int_list(shape)} {int_list([1, 1] + strides)} : {shaped(shape, 'f32')} "
             f"into {shaped(full, 'f32')}")
    if crop:
        cropped_value = ctx.fresh(node, "cropped")
        ctx.line(f"{cropped_value} = tensor.extract_slice {spread}{int_list(crop_offsets)} "
                 f"{int_list(cropped)} {int_list([1] * len(shape))} : "
                 f"{shaped(full, 'f32')} to {shaped(cropped, 'f32')}")
        spread = cropped_value
    y, result_shape = _conv_generic(ctx, node, spread, cropped, w, tuple(flipped.shape),
                                    [0] * dims, [1] * dims, dilations, groups)
    ctx.alias(node, _bias_add(ctx, node, y, result_shape, channel_dim=1))

def float_relu(ctx: Importer, node: Node) -> None:
    """relu of a float tensor (between a reference graph's dequantize and
    quantize): the reference form's `arith.maximumf` with zeros."""
    x, shape = _float_input(ctx, node)
    zeros = ctx.fresh(node, "zeros")
    ctx.line(f"{zeros} = arith.constant dense<0.0> : {shaped(shape, 'f32')}")
    ctx.define(node, f"arith.maximumf {x}, {zeros} : {shaped(shape, 'f32')}")


def _float_table(ctx: Importer, node: Node, module: nn.Module) -> Table:
    """A reference embedding's table: quantized with the module's qparams,
    dequantized (float rows, no row parameters)."""
    where = ctx.where(node)
    if module.weight_qscheme not in (torch.per_tensor_affine, torch.per_channel_affine):
        raise UnsupportedError(f"{where} quantizes its table {module.weight_qscheme}; qnn's "
                               "reference embeddings take per-tensor or per-channel affine "
                               "tables (float zero points have no quant type)")
    if module.max_norm is not None:
        raise UnsupportedError(f"{where} has max_norm, which renormalizes its table in place")
    rows, dim = module.weight.shape
    return Table(_weight(ctx, node, module), shaped((rows, dim), "f32"), "", [], rows, dim)


@module_handler(nnqr.Embedding)
def embedding(ctx: Importer, node: Node) -> None:
    emit_embedding(ctx, node, _float_table(ctx, node, ctx.submodule(node)))


@module_handler(nnqr.EmbeddingBag)
def embedding_bag(ctx: Importer, node: Node) -> None:
    module = ctx.submodule(node)
    table = _float_table(ctx, node, module)
    emit_embedding_bag(ctx, node, table, module.mode, bool(module.include_last_offset),
                       module.padding_idx)


# ---------------------------------------------------------------------------
# Recurrent cells
# ---------------------------------------------------------------------------


def _dequantized_linear(cell: Cell, x: str, shape: Sequence[int], qweight: torch.Tensor,
                        bias, name: str) -> str:
    """The float linear of `x` with `qweight` dequantized (constants named
    `weight_<name>`, `bias_<name>`)."""
    info = TensorInfo.of(qweight)
    q = cell.ctx.emit_constant(f"{cell.node.name}.weight_{name}", qweight, info)
    n, k = qweight.shape
    w = cell.line(f"weight_{name}", f"qnn.dequantize {q} : {tensor_type(info, 'the weight')} "
                                    f"-> {shaped((n, k), 'f32')}")
    return float_linear(cell.ctx, cell.node, x, shape, w, n, k, bias, f"bias_{name}")


def _reference_linears(module: nn.Module) -> CellLinear:
    """A reference cell's Linears: its weight quantized with the module's
    qparams and dequantized, the float linear (torch's addmm) with its bias."""
    def linear(cell: Cell, which: str, x: str, shape: Sequence[int]) -> str:
        return _dequantized_linear(cell, x, shape,
                                   getattr(module, f"get_quantized_weight_{which}")(),
                                   getattr(module, f"bias_{which}"), which)
    return linear


@module_handler(nnqr.LSTMCell, nnqr.GRUCell, nnqr.RNNCell)
def reference_cell(ctx: Importer, node: Node) -> None:
    """Reference cells: the cells' float arithmetic (dynamic.py) on
    quantize-dequantized weights, as torch.lstm_cell / gru_cell / rnn_*_cell
    compute it."""
    module = ctx.submodule(node)
    emit = {nnqr.LSTMCell: emit_lstm_cell, nnqr.GRUCell: emit_gru_cell,
            nnqr.RNNCell: emit_rnn_cell}[type(module)]
    emit(ctx, node, module, _reference_linears(module))


@module_handler(nnqr.LSTM)
def reference_lstm(ctx: Importer, node: Node) -> None:
    """The reference LSTM (torch 1.13 has no reference GRU): the dynamic
    LSTM's recurrence (dynamic.py) with the reference cells' float linears
    on its quantize-dequantized weights, as torch's float _lstm_impl runs
    it (linear_ih over the whole sequence, then the steps)."""
    module = ctx.submodule(node)
    weights = module.get_quantized_weight_bias_dict()

    def linear(cell: Cell, which: str, suffix: str, x: str, shape: Sequence[int]) -> str:
        return _dequantized_linear(cell, x, shape, weights[f"weight_{which}_{suffix}"],
                                   weights.get(f"bias_{which}_{suffix}"),
                                   f"{which}_{suffix}")
    emit_recurrent(ctx, node, module, True, linear)


@module_handler(qnn_nn.Float16DynamicLinear)
def float16_dynamic_linear(ctx: Importer, node: Node) -> None:
    """A Linear with float16 weights (qnn.nn): the float linear of the
    weight's float16 values, exact in f32."""
    module = ctx.submodule(node)
    value = ctx.arg(node, 0, "input")
    x, info = ctx.operand(node, value)
    if info.is_quantized or info.dtype != torch.float32:
        raise UnsupportedError(f"the input of {ctx.where(node)} is {info.describe()}; "
                               "a float16 dynamic Linear takes float32")
    weight = module.weight.float()
    w = ctx.emit_constant(f"{node.name}.weight", weight, TensorInfo.of(weight))
    n, k = weight.shape
    ctx.alias(node, float_linear(ctx, node, x, info.shape, w, n, k, module.bias))
