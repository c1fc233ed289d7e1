"""Dynamically quantized modules (torch.ao.quantization.quantize_dynamic):
nnqd.Linear, nniqd.LinearReLU and the cells nnqd.LSTMCell, GRUCell and
RNNCell.

The input stays float; `qnn.dynamic_linear` quantizes it on each call with
parameters chosen from its range, as the engine's quantized::linear_dynamic
does (docs/numerics/dynamic.md). The op's `reduce_range` is the range the
engine really uses: the modules ask for it, onednn honours it and qnnpack
ignores it. A cell is its two dynamic Linears (input and hidden state, each
with its packed bias) and ATen's float gate arithmetic: sigmoid and tanh as
`qnn.float_activation` (SLEEF's vector bodies, glibc's scalar loop where
ATen's loop over the gate's strided view puts it), the rest exact f32
adds and multiplies in torch's order.
"""

from __future__ import annotations

from typing import Optional, Sequence

import torch
import torch.nn.intrinsic.quantized.dynamic as nniqd
import torch.nn.quantized.dynamic as nnqd
from torch.fx.node import Node

from . import aten_loops
from .graph import Importer
from .registry import module_handler
from .types import TensorInfo, UnsupportedError, int_list, shaped, tensor_type

#: Engines whose dynamic Linear honours reduce_range (qnnpack warns that it
#: ignores it).
_REDUCE_RANGE_ENGINES = ("onednn",)


def float_input(ctx: Importer, node: Node, value: Node, what: str = "the input") -> str:
    """The float32 tensor `value` a dynamically quantized module takes."""
    x, info = ctx.operand(node, value, what)
    if info.is_quantized or info.dtype != torch.float32:
        raise UnsupportedError(f"{what} of {ctx.where(node)} is {info.describe()}; a "
                               "dynamically quantized module takes float32")
    return x


def _line(ctx: Importer, node: Node, suffix: str, op: str) -> str:
    """Emits `%fresh = op`; returns the SSA value."""
    value = ctx.fresh(node, suffix)
    ctx.line(f"{value} = {op}")
    return value


def _dynamic_linear_op(ctx: Importer, node: Node, x: str, shape: Sequence[int],
                       weight: torch.Tensor, bias: Optional[torch.Tensor],
                       name: str) -> str:
    """qnn.dynamic_linear of `x` (float, `shape`) with a qint8 weight and a
    float bias (constants named after `node` and `name`): the op text."""
    where = ctx.where(node)
    if weight.dtype != torch.qint8:
        raise UnsupportedError(f"{where} has {weight.dtype} weights; qnn imports qint8 "
                               "dynamic weights")
    info = TensorInfo.of(weight)
    w = ctx.emit_constant(f"{node.name}.{name}", weight, info)
    operands = [shaped(shape, "f32"), tensor_type(info, f"the weight of {where}")]
    bias_clause = ""
    if bias is not None:
        bias = bias.detach().float().contiguous()
        b = ctx.emit_constant(f"{node.name}.{name}_bias", bias, TensorInfo.of(bias))
        bias_clause = f" bias({b})"
        operands.append(shaped(bias.shape, "f32"))
    # The modules call linear_dynamic with reduce_range=True.
    reduce_range = " reduce_range" if ctx.engine in _REDUCE_RANGE_ENGINES else ""
    result = list(shape[:-1]) + [int(weight.shape[0])]
    return (f"qnn.dynamic_linear {x}, {w}{bias_clause}{reduce_range} : "
            f"({', '.join(operands)}) -> {shaped(result, 'f32')}")


@module_handler(nnqd.Linear, nniqd.LinearReLU)
def dynamic_linear(ctx: Importer, node: Node) -> None:
    module = ctx.submodule(node)
    if module._packed_params.dtype != torch.qint8:
        raise UnsupportedError(f"{ctx.where(node)} has {module._packed_params.dtype} "
                               "weights; qnn imports qint8 dynamic weights")
    x = float_input(ctx, node, ctx.arg(node, 0, "input"))
    shape = ctx.info(ctx.arg(node, 0, "input")).shape
    weight, bias = module._weight_bias()
    op = _dynamic_linear_op(ctx, node, x, shape, weight, bias, "weight")
    if not isinstance(module, nniqd.LinearReLU):
        ctx.define(node, op)
        return
    result = shaped(ctx.output_info(node).shape, "f32")
    y = _line(ctx, node, "linear", op)
    zeros = _line(ctx, node, "zeros", f"arith.constant dense<0.0> : {result}")
    ctx.define(node, f"arith.maximumf {y}, {zeros} : {result}")


# ---------------------------------------------------------------------------
# Recurrent cells
# ---------------------------------------------------------------------------


class _Cell:
    """Emission helpers for one cell call on [B, I] inputs, hidden size H."""

    def __init__(self, ctx: Importer, node: Node, batch: int, hidden: int) -> None:
        self.ctx, self.node, self.batch, self.hidden = ctx, node, batch, hidden
        self.type = shaped([batch, hidden], "f32")

    def line(self, suffix: str, op: str) -> str:
        return _line(self.ctx, self.node, suffix, op)

    def linear(self, x: str, shape: Sequence[int], packed, name: str) -> str:
        weight, bias = torch.ops.quantized.linear_unpack(packed)
        return self.line(name, _dynamic_linear_op(self.ctx, self.node, x, shape, weight,
                                                  bias, name))

    def binary(self, op: str, a: str, b: str, chunks: int = 1) -> str:
        """`op` of two [B, chunks * H] tensors."""
        return self.line(op.split(".")[1],
                         f"{op} {a}, {b} : {shaped([self.batch, chunks * self.hidden], 'f32')}")

    def zeros(self) -> str:
        return self.line("zeros", f"arith.constant dense<0.0> : {self.type}")

    def chunk(self, gates: str, chunks: int, index: int) -> str:
        """Piece `index` of `gates.unsafe_chunk(chunks, 1)`."""
        full = shaped([self.batch, chunks * self.hidden], "f32")
        return self.line(f"gate{index}",
                         f"tensor.extract_slice {gates}[0, {index * self.hidden}] "
                         f"[{self.batch}, {self.hidden}] [1, 1] : {full} to {self.type}")

    def sigmoid(self, x: str, chunks: int) -> str:
        """ATen's in-place sigmoid of a [B, H] piece of [B, chunks * H]
        gates (`chunks` 1: a dense tensor): its scalar loop computes the
        last elements of each row the iteration cannot coalesce."""
        width = chunks * self.hidden
        ranges = aten_loops.scalar_ranges([self.batch, self.hidden], [width, 1],
                                          [[width, 1]], torch.float32)
        attr = f" scalar_ranges = {int_list(ranges)}" if ranges else ""
        return self.line("sigmoid", f"qnn.float_activation sigmoid {x}{attr} : {self.type}")

    def tanh(self, x: str) -> str:
        # VML's tanh: the vector body on every element.
        return self.line("tanh", f"qnn.float_activation tanh {x} : {self.type}")


def _cell_operands(ctx: Importer, node: Node, module) -> tuple:
    """The input [B, I] and the hidden state argument of a cell call."""
    value = ctx.arg(node, 0, "input")
    info = ctx.info(value)
    if info is None or len(info.shape) != 2:
        shape = None if info is None else list(info.shape)
        raise UnsupportedError(f"the input of {ctx.where(node)} has shape {shape}; qnn "
                               "imports batched [B, input_size] cell inputs")
    x = float_input(ctx, node, value)
    for packed in (module._packed_weight_ih, module._packed_weight_hh):
        weight, _ = torch.ops.quantized.linear_unpack(packed)
        if weight.dtype != torch.qint8:
            raise UnsupportedError(f"{ctx.where(node)} has {weight.dtype} weights; qnn "
                                   "imports qint8 dynamic weights")
    return x, list(info.shape), ctx.arg(node, 1, "hx")


def _state(ctx: Importer, node: Node, cell: _Cell, value: Optional[Node], what: str) -> str:
    """A hidden (or cell) state: the given [B, H] float tensor, or zeros."""
    if value is None:
        return cell.zeros()
    x = float_input(ctx, node, value, what)
    shape = list(ctx.info(value).shape)
    if shape != [cell.batch, cell.hidden]:
        raise UnsupportedError(f"{what} of {ctx.where(node)} has shape {shape}; qnn "
                               f"imports [{cell.batch}, {cell.hidden}] states")
    return x


@module_handler(nnqd.LSTMCell)
def lstm_cell(ctx: Importer, node: Node) -> None:
    """ATen's LSTMCell: gates = linear_hh(h) + linear_ih(x), chunked into
    i, f, g, o; cy = f * c + i * g, hy = o * tanh(cy)."""
    module = ctx.submodule(node)
    x, shape, hx = _cell_operands(ctx, node, module)
    cell = _Cell(ctx, node, shape[0], module.hidden_size)
    if hx is not None and not (isinstance(hx, (tuple, list)) and len(hx) == 2):
        raise UnsupportedError(f"the state of {ctx.where(node)} must be a tuple (h, c) "
                               "of tensors")
    h = _state(ctx, node, cell, hx[0] if hx else None, "the hidden state")
    c = _state(ctx, node, cell, hx[1] if hx else None, "the cell state")
    hh = cell.linear(h, [cell.batch, cell.hidden], module._packed_weight_hh, "weight_hh")
    ih = cell.linear(x, shape, module._packed_weight_ih, "weight_ih")
    gates = cell.binary("arith.addf", hh, ih, chunks=4)
    i = cell.sigmoid(cell.chunk(gates, 4, 0), 4)
    f = cell.sigmoid(cell.chunk(gates, 4, 1), 4)
    g = cell.tanh(cell.chunk(gates, 4, 2))
    o = cell.sigmoid(cell.chunk(gates, 4, 3), 4)
    cy = cell.binary("arith.addf", cell.binary("arith.mulf", f, c),
                     cell.binary("arith.mulf", i, g))
    hy = cell.binary("arith.mulf", o, cell.tanh(cy))
    ctx.define_pieces(node, [hy, cy])


@module_handler(nnqd.GRUCell)
def gru_cell(ctx: Importer, node: Node) -> None:
    """ATen's GRUCell: r = sigmoid(hh_r + ih_r), z = sigmoid(hh_z + ih_z),
    n = tanh(ih_n + hh_n * r), hy = (h - n) * z + n."""
    module = ctx.submodule(node)
    x, shape, hx = _cell_operands(ctx, node, module)
    cell = _Cell(ctx, node, shape[0], module.hidden_size)
    h = _state(ctx, node, cell, hx, "the hidden state")
    ih = cell.linear(x, shape, module._packed_weight_ih, "weight_ih")
    hh = cell.linear(h, [cell.batch, cell.hidden], module._packed_weight_hh, "weight_hh")
    r = cell.sigmoid(cell.binary("arith.addf", cell.chunk(hh, 3, 0), cell.chunk(ih, 3, 0)), 3)
    z = cell.sigmoid(cell.binary("arith.addf", cell.chunk(hh, 3, 1), cell.chunk(ih, 3, 1)), 3)
    n = cell.tanh(cell.binary("arith.addf", cell.chunk(ih, 3, 2),
                              cell.binary("arith.mulf", cell.chunk(hh, 3, 2), r)))
    hy = cell.binary("arith.addf", cell.binary("arith.mulf", cell.binary("arith.subf", h, n), z),
                     n)
    ctx.alias(node, hy)


@module_handler(nnqd.RNNCell)
def rnn_cell(ctx: Importer, node: Node) -> None:
    """ATen's RNN cells: tanh or relu of linear_hh(h) + linear_ih(x)."""
    module = ctx.submodule(node)
    x, shape, hx = _cell_operands(ctx, node, module)
    cell = _Cell(ctx, node, shape[0], module.hidden_size)
    h = _state(ctx, node, cell, hx, "the hidden state")
    hh = cell.linear(h, [cell.batch, cell.hidden], module._packed_weight_hh, "weight_hh")
    ih = cell.linear(x, shape, module._packed_weight_ih, "weight_ih")
    pre = cell.binary("arith.addf", hh, ih)
    if module.nonlinearity == "tanh":
        ctx.alias(node, cell.tanh(pre))
    elif module.nonlinearity == "relu":
        ctx.alias(node, cell.binary("arith.maximumf", pre, cell.zeros()))
    else:
        raise UnsupportedError(f"{ctx.where(node)} has nonlinearity "
                               f"{module.nonlinearity!r}")
