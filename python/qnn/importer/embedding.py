"""Embeddings: nnq.Embedding (`qnn.embedding`) and nnq.EmbeddingBag
(`qnn.embedding_bag`), 8-bit (quint8) and 4-bit (quint4x2) tables.

A table's rows are quantized with a float scale and zero point each
(per_channel_affine_float_qparams); torch computes with the packed row's
scale and `bias = -zero_point * scale` (f32 for 8-bit rows, f16 for 4-bit
ones), which is what the op takes, with one code per element
(docs/numerics/embedding.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, List, Optional, Tuple

import numpy as np
import torch
import torch.nn as nn
import torch.nn.quantized as nnq
from torch.fx.node import Node

from .graph import Importer
from .registry import module_handler
from .types import TensorInfo, UnsupportedError, shaped, tensor_type

_INDEX_DTYPES = {torch.int64: "i64", torch.int32: "i32"}


@dataclass
class Table:
    """A table operand of qnn.embedding(_bag): the table, its type, the
    ` row_parameters(...)` clause of a quantized one and their types."""
    value: str
    type: str
    clause: str
    parameter_types: List[str]
    rows: int
    dim: int


def _table(ctx: Importer, node: Node) -> Table:
    """Emits the codes, scales and biases of the module's table."""
    module = ctx.submodule(node)
    weight = module.weight()
    if weight.qscheme() != torch.per_channel_affine_float_qparams:
        raise UnsupportedError(f"the table of {ctx.where(node)} is quantized "
                               f"{weight.qscheme()}; qnn reads per_channel_affine_float_qparams")
    rows, dim = weight.shape
    if weight.dtype == torch.quint8:
        codes = weight.int_repr().numpy()
        half = False
    elif weight.dtype == torch.quint4x2:
        packed = weight.int_repr().numpy().reshape(rows, -1)
        codes = np.empty((rows, dim), dtype=np.uint8)
        codes[:, 0::2] = packed[:, :(dim + 1) // 2] & 0xF
        codes[:, 1::2] = packed[:, :dim // 2] >> 4
        half = True
    else:
        raise UnsupportedError(f"the table of {ctx.where(node)} is {weight.dtype}; qnn "
                               "reads quint8 and quint4x2 tables")
    # The packed row's parameters, as torch's prepack computes them.
    scales = weight.q_per_channel_scales().to(torch.float32)
    biases = weight.q_per_channel_zero_points().to(torch.float32) * scales * -1
    if half:
        scales, biases = scales.to(torch.float16), biases.to(torch.float16)
    element = "f16" if half else "f32"
    name = node.name
    values = []
    for suffix, array, mlir_type in (
            ("codes", codes, shaped((rows, dim), "i8")),
            ("scales", scales.numpy(), shaped((rows,), element)),
            ("biases", biases.numpy(), shaped((rows,), element))):
        literal = ctx.constants.literal(array, f"{name}.{suffix}", blob=suffix == "codes")
        ctx.line(f"%{name}.{suffix} = arith.constant {literal} : {mlir_type}")
        values.append(f"%{name}.{suffix}")
    types = [shaped((rows, dim), "i8"), shaped((rows,), element), shaped((rows,), element)]
    return Table(values[0], types[0], f" row_parameters({values[1]}, {values[2]})",
                 types[1:], rows, dim)


def _indices(ctx: Importer, node: Node, value: Any, what: str) -> Tuple[str, TensorInfo]:
    ssa, info = ctx.operand(node, value, what)
    if info.is_quantized or info.dtype not in _INDEX_DTYPES:
        raise UnsupportedError(f"{what} of {ctx.where(node)} is {info.describe()}; "
                               "indices and offsets are int64 or int32 tensors")
    return ssa, info


def _index_type(info: TensorInfo) -> str:
    return shaped(info.shape, _INDEX_DTYPES[info.dtype])


def _record_embedding(module: nn.Module, indices: torch.Tensor) -> torch.Tensor:
    """torch 1.13's nnq.Embedding looks a 4-bit table up as an 8-bit one
    (wrong shape and values; its dtype attribute stays quint8 after
    from_float): the recording run uses torch's 4-bit lookup there."""
    if module.weight().dtype == torch.quint4x2:
        return torch.ops.quantized.embedding_4bit(module._packed_params._packed_weight,
                                                  indices, pruned_weights=False)
    return module(indices)


def emit_embedding(ctx: Importer, node: Node, table: Table) -> None:
    """`qnn.embedding` of the node's indices in `table`."""
    indices, info = _indices(ctx, node, ctx.arg(node, 0, "indices"), "the indices")
    types = ", ".join([table.type, _index_type(info)] + table.parameter_types)
    result = shaped(tuple(info.shape) + (table.dim,), "f32")
    ctx.define(node, f"qnn.embedding {table.value}, {indices}{table.clause} : ({types}) "
                     f"-> {result}")


@module_handler(nnq.Embedding, record=_record_embedding)
def embedding(ctx: Importer, node: Node) -> None:
    emit_embedding(ctx, node, _table(ctx, node))


def _bag_argument(node: Node, index: int, name: str) -> Optional[Any]:
    if len(node.args) > index:
        return node.args[index]
    return node.kwargs.get(name)


@module_handler(nnq.EmbeddingBag)
def embedding_bag(ctx: Importer, node: Node) -> None:
    module = ctx.submodule(node)
    if _bag_argument(node, 3, "compressed_indices_mapping") is not None:
        raise UnsupportedError(f"{ctx.where(node)} is given compressed_indices_mapping; "
                               "qnn supports unpruned tables")
    emit_embedding_bag(ctx, node, _table(ctx, node), module.mode,
                       bool(module.include_last_offset), getattr(module, "padding_idx", None))


def emit_embedding_bag(ctx: Importer, node: Node, table: Table, mode: str,
                       include_last: bool, padding: Optional[int]) -> None:
    """`qnn.embedding_bag` of the node's indices, offsets and per-sample
    weights in `table`."""
    where = ctx.where(node)
    indices, info = _indices(ctx, node, ctx.arg(node, 0, "input"), "the indices")
    offsets_value = _bag_argument(node, 1, "offsets")
    rows, dim = table.rows, table.dim
    operand_types = [table.type]
    if len(info.shape) == 2:
        # A batch of bags of one length: torch's offsets arange(0, n, length).
        if offsets_value is not None:
            raise UnsupportedError(f"{where} has 2-D indices and offsets; torch "
                                   "takes offsets with 1-D indices only")
        bags, length = info.shape
        flat = ctx.fresh(node, "indices")
        ctx.line(f"{flat} = tensor.collapse_shape {indices} [[0, 1]] : "
                 f"{_index_type(info)} into {shaped((bags * length,), _INDEX_DTYPES[info.dtype])}")
        offsets = ctx.fresh(node, "offsets")
        starts = np.arange(0, bags * length, max(length, 1), dtype=np.int64)[:bags]
        if include_last:
            starts = np.append(starts, bags * length)
        ctx.line(f"{offsets} = arith.constant {ctx.constants.literal(starts, offsets, blob=False)}"
                 f" : {shaped(starts.shape, 'i64')}")
        operand_types += [shaped((bags * length,), _INDEX_DTYPES[info.dtype]),
                          shaped(starts.shape, "i64")]
        indices = flat
        num_offsets = len(starts)
    elif len(info.shape) == 1:
        if offsets_value is None:
            raise UnsupportedError(f"{where} has 1-D indices and no offsets")
        offsets, offsets_info = _indices(ctx, node, offsets_value, "the offsets")
        if len(offsets_info.shape) != 1:
            raise UnsupportedError(f"the offsets of {where} have shape "
                                   f"{list(offsets_info.shape)}; they must be 1-D")
        operand_types += [_index_type(info), _index_type(offsets_info)]
        num_offsets = offsets_info.shape[0]
    else:
        raise UnsupportedError(f"the indices of {where} have shape {list(info.shape)}; "
                               "torch takes 1-D or 2-D indices")
    operand_types += table.parameter_types
    clauses = table.clause
    weights_value = _bag_argument(node, 2, "per_sample_weights")
    if weights_value is not None:
        weights, weights_info = ctx.operand(node, weights_value, "the per_sample_weights")
        if weights_info.dtype != torch.float32 or weights_info.is_quantized:
            raise UnsupportedError(f"the per_sample_weights of {where} are "
                                   f"{weights_info.describe()}; qnn takes float32 weights")
        clauses += f" per_sample_weights({weights})"
        operand_types.append(tensor_type(weights_info, "the per_sample_weights"))
    if mode not in ("sum", "mean", "max"):
        raise UnsupportedError(f"{where} has mode {mode!r}")
    clauses += f" mode = {mode}"
    if include_last:
        clauses += " include_last_offset"
    if padding is not None:
        padding = int(padding) + (rows if int(padding) < 0 else 0)
        clauses += f" padding_idx = {padding}"
    bags = num_offsets - 1 if include_last else num_offsets
    result = shaped((bags, dim), "f32")
    ctx.define(node, f"qnn.embedding_bag {table.value}, {indices}, {offsets}{clauses} : "
                     f"({', '.join(operand_types)}) -> {result}")

