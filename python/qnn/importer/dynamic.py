"""Dynamically quantized modules (torch.ao.quantization.quantize_dynamic):
nnqd.Linear, nniqd.LinearReLU, nnqd.Conv1d/2d/3d, nnqd.ConvTranspose1d/2d/3d
and the cells nnqd.LSTMCell, GRUCell and RNNCell.

The input stays float; `qnn.dynamic_linear` quantizes it on each call with
parameters chosen from its range, as the engine's quantized::linear_dynamic
does (docs/numerics/dynamic.md). The op's `reduce_range` is the range the
engine really uses: the modules ask for it, onednn honours it and qnnpack
ignores it. A dynamic conv is `qnn.dynamic_conv` (`_transpose`): the
engine's static conv of the input quantized by quantize_per_tensor,
requantized to the input's own parameters and dequantized. A cell is its two dynamic Linears (input and hidden state, each
with its packed bias) and ATen's float gate arithmetic: sigmoid and tanh as
`qnn.float_activation` (SLEEF's vector bodies, glibc's scalar loop where
ATen's loop over the gate's strided view puts it), the rest exact f32
adds and multiplies in torch's order.
"""

from __future__ import annotations

from typing import Callable, List, Optional, Sequence

import torch
import torch.nn as nn
import torch.nn.intrinsic.quantized.dynamic as nniqd
import torch.nn.quantized.dynamic as nnqd
from torch.fx.node import Node

from . import aten_loops
from .embedding import Table, emit_embedding
from .graph import Importer
from .contraction import conv_padding
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


def _weight_and_bias(ctx: Importer, node: Node, shape: Sequence[int], weight: torch.Tensor,
                     bias: Optional[torch.Tensor], weight_name: str,
                     bias_name: str) -> tuple:
    """Emits a dynamic module's qint8 weight and float bias constants;
    returns the weight's SSA value, the ` bias(%b)` clause (or "") and the
    op's operand types for a float input of `shape`."""
    where = ctx.where(node)
    if weight.dtype != torch.qint8:
        raise UnsupportedError(f"{where} has {weight.dtype} weights; qnn imports qint8 "
                               "dynamic weights")
    info = TensorInfo.of(weight)
    w = ctx.emit_constant(f"{node.name}.{weight_name}", weight, info)
    operands = [shaped(shape, "f32"), tensor_type(info, f"the weight of {where}")]
    bias_clause = ""
    if bias is not None:
        bias = bias.detach().float().contiguous()
        b = ctx.emit_constant(f"{node.name}.{bias_name}", bias, TensorInfo.of(bias))
        bias_clause = f" bias({b})"
        operands.append(shaped(bias.shape, "f32"))
    return w, bias_clause, operands


def _dynamic_linear_op(ctx: Importer, node: Node, x: str, shape: Sequence[int],
                       weight: torch.Tensor, bias: Optional[torch.Tensor],
                       name: str) -> str:
    """qnn.dynamic_linear of `x` (float, `shape`) with a qint8 weight and a
    float bias (constants named after `node` and `name`): the op text."""
    w, bias_clause, operands = _weight_and_bias(ctx, node, shape, weight, bias, name,
                                                f"{name}_bias")
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


_DYNAMIC_CONVS = (nnqd.Conv1d, nnqd.Conv2d, nnqd.Conv3d)
_DYNAMIC_CONV_TRANSPOSES = (nnqd.ConvTranspose1d, nnqd.ConvTranspose2d,
                            nnqd.ConvTranspose3d)


@module_handler(*_DYNAMIC_CONVS, *_DYNAMIC_CONV_TRANSPOSES)
def dynamic_conv(ctx: Importer, node: Node) -> None:
    module = ctx.submodule(node)
    where = ctx.where(node)
    value = ctx.arg(node, 0, "input")
    x = float_input(ctx, node, value)
    shape = ctx.info(value).shape
    # forward(input, reduce_range=True); qnnpack ignores it.
    reduce_range = ctx.constant(node, ctx.arg(node, 1, "reduce_range", True))
    if not isinstance(reduce_range, bool):
        raise UnsupportedError(f"{where} is called with reduce_range={reduce_range!r}; "
                               "it must be a constant bool")
    try:
        weight, bias = module._weight_bias()
    except RuntimeError as error:
        raise UnsupportedError(
            f"torch cannot read the weights of {where} on {ctx.engine}: "
            f"{str(error).splitlines()[0]}") from error
    w, bias_clause, operands = _weight_and_bias(ctx, node, shape, weight, bias, "weight",
                                                "bias")
    transposed = isinstance(module, _DYNAMIC_CONV_TRANSPOSES)
    if transposed:
        if module.padding_mode != "zeros":
            raise UnsupportedError(f"{where} has padding_mode={module.padding_mode!r}; "
                                   "transposed convolutions pad with zeros only")
        attrs = (f"strides = {int_list(module.stride)} "
                 f"padding = {int_list(module.padding)} "
                 f"output_padding = {int_list(module.output_padding)} "
                 f"dilations = {int_list(module.dilation)} groups = {module.groups}")
    else:
        padding = conv_padding(module.padding, module.kernel_size, module.dilation, where)
        attrs = (f"strides = {int_list(module.stride)} padding = {int_list(padding)} "
                 f"dilations = {int_list(module.dilation)} groups = {module.groups}")
        if module.padding_mode != "zeros":
            attrs += f" padding_mode = {module.padding_mode}"
    if reduce_range and ctx.engine in _REDUCE_RANGE_ENGINES:
        attrs += " reduce_range"
    op = "qnn.dynamic_conv_transpose" if transposed else "qnn.dynamic_conv"
    result = shaped(ctx.output_info(node).shape, "f32")
    ctx.define(node, f"{op} {x}, {w}{bias_clause} {attrs} : "
                     f"({', '.join(operands)}) -> {result}")


# ---------------------------------------------------------------------------
# Recurrent cells
# ---------------------------------------------------------------------------


class Cell:
    """Emission helpers for one cell call on [B, I] inputs, hidden size H."""

    def __init__(self, ctx: Importer, node: Node, batch: int, hidden: int) -> None:
        self.ctx, self.node, self.batch, self.hidden = ctx, node, batch, hidden
        self.type = shaped([batch, hidden], "f32")

    def line(self, suffix: str, op: str) -> str:
        return _line(self.ctx, self.node, suffix, op)

    def linear(self, x: str, shape: Sequence[int], weight: torch.Tensor,
               bias: Optional[torch.Tensor], name: str) -> str:
        return self.line(name, _dynamic_linear_op(self.ctx, self.node, x, shape, weight,
                                                  bias, name))

    def packed_linear(self, x: str, shape: Sequence[int], packed, name: str) -> str:
        weight, bias = torch.ops.quantized.linear_unpack(packed)
        return self.linear(x, shape, weight, bias, name)

    def lstm_step(self, ih: str, hh: str, c: str) -> tuple:
        """ATen's LSTMCell from the two Linears' [B, 4H] results: (hy, cy)."""
        gates = self.binary("arith.addf", hh, ih, chunks=4)
        i = self.sigmoid(self.chunk(gates, 4, 0), 4)
        f = self.sigmoid(self.chunk(gates, 4, 1), 4)
        g = self.tanh(self.chunk(gates, 4, 2))
        o = self.sigmoid(self.chunk(gates, 4, 3), 4)
        cy = self.binary("arith.addf", self.binary("arith.mulf", f, c),
                         self.binary("arith.mulf", i, g))
        return self.binary("arith.mulf", o, self.tanh(cy)), cy

    def gru_step(self, ih: str, hh: str, h: str) -> str:
        """ATen's GRUCell from the two Linears' [B, 3H] results: hy."""
        r = self.sigmoid(self.binary("arith.addf", self.chunk(hh, 3, 0),
                                     self.chunk(ih, 3, 0)), 3)
        z = self.sigmoid(self.binary("arith.addf", self.chunk(hh, 3, 1),
                                     self.chunk(ih, 3, 1)), 3)
        n = self.tanh(self.binary("arith.addf", self.chunk(ih, 3, 2),
                                  self.binary("arith.mulf", self.chunk(hh, 3, 2), r)))
        return self.binary("arith.addf",
                           self.binary("arith.mulf", self.binary("arith.subf", h, n), z), n)

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


#: How a cell computes its Linears: (cell, "ih" or "hh", x, x's shape) ->
#: the [B, k * H] result.
CellLinear = Callable[[Cell, str, str, Sequence[int]], str]


def _packed_linears(module) -> CellLinear:
    """A dynamic cell's: its packed qint8 weights and biases, dynamic_linear."""
    def linear(cell: Cell, which: str, x: str, shape: Sequence[int]) -> str:
        return cell.packed_linear(x, shape, getattr(module, f"_packed_weight_{which}"),
                                  f"weight_{which}")
    return linear


def _cell_operands(ctx: Importer, node: Node) -> tuple:
    """The input [B, I] and the hidden state argument of a cell call."""
    value = ctx.arg(node, 0, "input")
    info = ctx.info(value)
    if info is None or len(info.shape) != 2:
        shape = None if info is None else list(info.shape)
        raise UnsupportedError(f"the input of {ctx.where(node)} has shape {shape}; qnn "
                               "imports batched [B, input_size] cell inputs")
    return float_input(ctx, node, value), list(info.shape), ctx.arg(node, 1, "hx")


def _check_packed(ctx: Importer, node: Node, module) -> None:
    for packed in (module._packed_weight_ih, module._packed_weight_hh):
        weight, _ = torch.ops.quantized.linear_unpack(packed)
        if weight.dtype != torch.qint8:
            raise UnsupportedError(f"{ctx.where(node)} has {weight.dtype} weights; qnn "
                                   "imports qint8 dynamic weights")


def _state(ctx: Importer, node: Node, cell: Cell, value: Optional[Node], what: str) -> str:
    """A hidden (or cell) state: the given [B, H] float tensor, or zeros."""
    if value is None:
        return cell.zeros()
    x = float_input(ctx, node, value, what)
    shape = list(ctx.info(value).shape)
    if shape != [cell.batch, cell.hidden]:
        raise UnsupportedError(f"{what} of {ctx.where(node)} has shape {shape}; qnn "
                               f"imports [{cell.batch}, {cell.hidden}] states")
    return x


def emit_lstm_cell(ctx: Importer, node: Node, module, linear: CellLinear) -> None:
    """ATen's LSTMCell: gates = linear_hh(h) + linear_ih(x), chunked into
    i, f, g, o; cy = f * c + i * g, hy = o * tanh(cy)."""
    x, shape, hx = _cell_operands(ctx, node)
    cell = Cell(ctx, node, shape[0], module.hidden_size)
    if hx is not None and not (isinstance(hx, (tuple, list)) and len(hx) == 2):
        raise UnsupportedError(f"the state of {ctx.where(node)} must be a tuple (h, c) "
                               "of tensors")
    h = _state(ctx, node, cell, hx[0] if hx else None, "the hidden state")
    c = _state(ctx, node, cell, hx[1] if hx else None, "the cell state")
    hh = linear(cell, "hh", h, [cell.batch, cell.hidden])
    ih = linear(cell, "ih", x, shape)
    ctx.define_pieces(node, list(cell.lstm_step(ih, hh, c)))


def emit_gru_cell(ctx: Importer, node: Node, module, linear: CellLinear) -> None:
    """ATen's GRUCell: r = sigmoid(hh_r + ih_r), z = sigmoid(hh_z + ih_z),
    n = tanh(ih_n + hh_n * r), hy = (h - n) * z + n."""
    x, shape, hx = _cell_operands(ctx, node)
    cell = Cell(ctx, node, shape[0], module.hidden_size)
    h = _state(ctx, node, cell, hx, "the hidden state")
    ih = linear(cell, "ih", x, shape)
    hh = linear(cell, "hh", h, [cell.batch, cell.hidden])
    ctx.alias(node, cell.gru_step(ih, hh, h))


def emit_rnn_cell(ctx: Importer, node: Node, module, linear: CellLinear) -> None:
    """ATen's RNN cells: tanh or relu of linear_hh(h) + linear_ih(x)."""
    x, shape, hx = _cell_operands(ctx, node)
    cell = Cell(ctx, node, shape[0], module.hidden_size)
    h = _state(ctx, node, cell, hx, "the hidden state")
    hh = linear(cell, "hh", h, [cell.batch, cell.hidden])
    ih = linear(cell, "ih", x, shape)
    pre = cell.binary("arith.addf", hh, ih)
    if module.nonlinearity == "tanh":
        ctx.alias(node, cell.tanh(pre))
    elif module.nonlinearity == "relu":
        ctx.alias(node, cell.binary("arith.maximumf", pre, cell.zeros()))
    else:
        raise UnsupportedError(f"{ctx.where(node)} has nonlinearity "
                               f"{module.nonlinearity!r}")


@module_handler(nnqd.LSTMCell, nnqd.GRUCell, nnqd.RNNCell)
def dynamic_cell(ctx: Importer, node: Node) -> None:
    module = ctx.submodule(node)
    _check_packed(ctx, node, module)
    emit = {nnqd.LSTMCell: emit_lstm_cell, nnqd.GRUCell: emit_gru_cell,
            nnqd.RNNCell: emit_rnn_cell}[type(module)]
    emit(ctx, node, module, _packed_linears(module))


# ---------------------------------------------------------------------------
# Recurrent layers
# ---------------------------------------------------------------------------


def _transpose01(cell: Cell, x: str, shape: Sequence[int]) -> str:
    """[a, b, c] -> [b, a, c] (batch_first's transposes)."""
    out = [shape[1], shape[0], shape[2]]
    empty = cell.line("empty", f"tensor.empty() : {shaped(out, 'f32')}")
    return cell.line("transposed", f"linalg.transpose ins({x} : {shaped(shape, 'f32')}) "
                                   f"outs({empty} : {shaped(out, 'f32')}) "
                                   "permutation = [1, 0, 2]")


def _layer_state(ctx: Importer, node: Node, cell: Cell, value: Optional[Node],
                 layers: int, what: str) -> Optional[str]:
    """An initial state [layers, B, H] given to the module, or None (zeros)."""
    if value is None:
        return None
    x = float_input(ctx, node, value, what)
    shape = list(ctx.info(value).shape)
    if shape != [layers, cell.batch, cell.hidden]:
        raise UnsupportedError(f"{what} of {ctx.where(node)} has shape {shape}; the module "
                               f"takes [{layers}, {cell.batch}, {cell.hidden}]")
    return x


def _state_slice(cell: Cell, states: Optional[str], layers: int, index: int) -> str:
    """State `index` of [layers, B, H] states, or zeros."""
    if states is None:
        return cell.zeros()
    full = shaped([layers, cell.batch, cell.hidden], "f32")
    return cell.line("state", f"tensor.extract_slice {states}[{index}, 0, 0] "
                              f"[1, {cell.batch}, {cell.hidden}] [1, 1, 1] : {full} to "
                              f"{cell.type}")


def _stack(cell: Cell, values: Sequence[str]) -> str:
    """[B, H] values stacked into [n, B, H]."""
    one = shaped([1, cell.batch, cell.hidden], "f32")
    expanded = [cell.line("expanded", f"tensor.expand_shape {v} [[0, 1], [2]] output_shape "
                                      f"[1, {cell.batch}, {cell.hidden}] : {cell.type} "
                                      f"into {one}") for v in values]
    if len(expanded) == 1:
        return expanded[0]
    stacked = shaped([len(values), cell.batch, cell.hidden], "f32")
    return cell.line("stacked", f"tensor.concat dim(0) {', '.join(expanded)} : "
                                f"({', '.join([one] * len(values))}) -> {stacked}")


#: How a recurrent layer computes its Linears: (cell, "ih" or "hh", the
#: layer's suffix "l0", "l1_reverse"..., x, x's shape) -> [..., k * H].
LayerLinear = Callable[[Cell, str, str, str, Sequence[int]], str]


@module_handler(nnqd.LSTM, nnqd.GRU)
def recurrent(ctx: Importer, node: Node) -> None:
    module = ctx.submodule(node)
    if module.dtype != torch.qint8:
        raise UnsupportedError(f"{ctx.where(node)} has {module.dtype} weights; qnn "
                               "imports qint8 dynamic weights")
    weights = module._weight_bias()

    def linear(cell: Cell, which: str, suffix: str, x: str, shape: Sequence[int]) -> str:
        return cell.linear(x, shape, weights["weight"][f"weight_{which}_{suffix}"],
                           weights["bias"].get(f"bias_{which}_{suffix}"),
                           f"{which}_{suffix}")
    emit_recurrent(ctx, node, module, isinstance(module, nnqd.LSTM), linear)


def emit_recurrent(ctx: Importer, node: Node, module, lstm: bool,
                   linear: LayerLinear) -> None:
    """torch.quantized_lstm / quantized_gru (ATen's _lstm_impl): per layer
    and direction, linear_ih over the whole [T, B, I] sequence (one choice
    of parameters), then an scf.for over the steps whose body is the cell
    with that step's input part (`linear_hh` choosing its parameters from
    each step's h); the reverse direction walks the steps backwards and
    writes its outputs where they came from; directions concatenate along
    the features, layers feed each other (dropout is training-only)."""
    where = ctx.where(node)
    value = ctx.arg(node, 0, "input")
    info = ctx.info(value)
    if info is None or len(info.shape) != 3:
        shape = None if info is None else list(info.shape)
        raise UnsupportedError(f"the input of {where} has shape {shape}; qnn imports "
                               "batched 3-D sequences")
    x = float_input(ctx, node, value)
    shape = list(info.shape)
    steps, batch = (shape[1], shape[0]) if module.batch_first else (shape[0], shape[1])
    hidden, layers = module.hidden_size, module.num_layers
    directions = 2 if module.bidirectional else 1
    cell = Cell(ctx, node, batch, hidden)
    hx = ctx.arg(node, 1, "hx")
    if lstm and hx is not None and not (isinstance(hx, (tuple, list)) and len(hx) == 2):
        raise UnsupportedError(f"the state of {where} must be a tuple (h_0, c_0)")
    total = layers * directions
    h0 = _layer_state(ctx, node, cell, (hx[0] if lstm else hx) if hx is not None else None,
                      total, "the initial hidden state")
    c0 = (_layer_state(ctx, node, cell, hx[1] if hx is not None else None, total,
                       "the initial cell state") if lstm else None)
    if module.batch_first:
        x = _transpose01(cell, x, shape)
    chunks = 4 if lstm else 3
    index = lambda v: cell.line("c", f"arith.constant {v} : index")  # noqa: E731
    zero, one, count, last = index(0), index(1), index(steps), index(steps - 1)
    layer_in, width = x, shape[2]
    finals_h: List[str] = []
    finals_c: List[str] = []
    for layer in range(layers):
        outputs = []
        for direction in range(directions):
            suffix = f"l{layer}" + ("_reverse" if direction else "")
            ih = linear(cell, "ih", suffix, layer_in, [steps, batch, width])
            k = layer * directions + direction
            h_init = _state_slice(cell, h0, total, k)
            c_init = _state_slice(cell, c0, total, k) if lstm else None
            seq = shaped([steps, batch, hidden], "f32")
            out_init = cell.line("outputs", f"tensor.empty() : {seq}")
            t, h, c, out = (ctx.fresh(node, s) for s in ("t", "h", "c", "out"))
            loop = ctx.fresh(node, "loop")
            carried = [(h, h_init, cell.type)] + ([(c, c_init, cell.type)] if lstm else []) \
                + [(out, out_init, seq)]
            ctx.line(f"{loop}:{len(carried)} = scf.for {t} = {zero} to {count} step {one} "
                     f"iter_args({', '.join(f'{a} = {b}' for a, b, _ in carried)}) -> "
                     f"({', '.join(ty for _, _, ty in carried)}) {{")
            step = cell.line("step", f"arith.subi {last}, {t} : index") if direction else t
            gates = shaped([batch, chunks * hidden], "f32")
            ih_t = cell.line("ih_t", f"tensor.extract_slice {ih}[{step}, 0, 0] "
                                     f"[1, {batch}, {chunks * hidden}] [1, 1, 1] : "
                                     f"{shaped([steps, batch, chunks * hidden], 'f32')} to "
                                     f"{gates}")
            hh = linear(cell, "hh", suffix, h, [batch, hidden])
            if lstm:
                hy, cy = cell.lstm_step(ih_t, hh, c)
            else:
                hy = cell.gru_step(ih_t, hh, h)
            written = cell.line("written", f"tensor.insert_slice {hy} into {out}[{step}, 0, 0] "
                                           f"[1, {batch}, {hidden}] [1, 1, 1] : {cell.type} "
                                           f"into {seq}")
            yielded = [hy] + ([cy] if lstm else []) + [written]
            ctx.line(f"scf.yield {', '.join(yielded)} : "
                     f"{', '.join(ty for _, _, ty in carried)}")
            ctx.line("}")
            finals_h.append(f"{loop}#0")
            if lstm:
                finals_c.append(f"{loop}#1")
            outputs.append(f"{loop}#{len(carried) - 1}")
        width = directions * hidden
        if directions == 1:
            layer_in = outputs[0]
        else:
            layer_in = cell.line("bidirectional", f"tensor.concat dim(2) {outputs[0]}, "
                                                  f"{outputs[1]} : ({seq}, {seq}) -> "
                                                  f"{shaped([steps, batch, width], 'f32')}")
    output = layer_in
    if module.batch_first:
        output = _transpose01(cell, output, [steps, batch, width])
    h_n = _stack(cell, finals_h)
    ctx.define_pieces(node, [output, [h_n, _stack(cell, finals_c)] if lstm else h_n])


# ---------------------------------------------------------------------------
# Float layers between dynamic ones
# ---------------------------------------------------------------------------


@module_handler(nn.Embedding)
def float_embedding(ctx: Importer, node: Node) -> None:
    """A float nn.Embedding (quantize_dynamic leaves it, as in the word
    language model): a gather of float rows, qnn.embedding over a float
    table, with its run-time index checks."""
    module = ctx.submodule(node)
    if module.max_norm is not None:
        raise UnsupportedError(f"{ctx.where(node)} has max_norm, which renormalizes its "
                               "table in place")
    weight = module.weight.detach().float().contiguous()
    rows, dim = weight.shape
    table = ctx.emit_constant(f"{node.name}.weight", weight, TensorInfo.of(weight))
    emit_embedding(ctx, node, Table(table, shaped((rows, dim), "f32"), "", [], rows, dim))
