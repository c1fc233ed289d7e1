"""Shapes and identities: reshapes of quantized tensors, modules that are
the identity at inference, and the Python arithmetic on sizes that
`x.size(0)`-style code traces into."""

from __future__ import annotations

import operator

import torch
import torch.nn as nn
import torch.nn.quantized as nnq
from torch.fx.node import Node

from .graph import Importer
from .registry import function_handler, method_handler, module_handler
from .types import TensorInfo, UnsupportedError, int_list, reassociation, tensor_type


@module_handler(nn.Identity, nn.Dropout, nnq.Dropout, view=True)
def identity(ctx: Importer, node: Node) -> None:
    ctx.alias(node, ctx.input(node)[0])


@module_handler(nn.Flatten, nn.Unflatten, view=True)
@function_handler(torch.flatten, torch.reshape, view=True)
@method_handler("flatten", "reshape", "view", view=True)
def reshape(ctx: Importer, node: Node) -> None:
    """flatten/reshape/view: collapse or expand dimensions when the reshape
    is one, else `tensor.reshape`. Only the recorded shapes matter, so any
    way of spelling the target shape is accepted."""
    x, info = ctx.input(node)
    if info.shape == ctx.output_info(node).shape:
        ctx.alias(node, x)
        return
    _reshape_value(ctx, node, x, info)


#: Functions and methods that compute shapes (`x.size(0)`, `x.shape[1] * 2`).
#: Shapes are static, so their values are folded into the ops using them.
@function_handler(getattr, operator.add, operator.sub, operator.mul,
                  operator.floordiv, operator.neg)
@method_handler("size", "dim")
def shape_computation(ctx: Importer, node: Node) -> None:
    if ctx.infos[node] is not None:
        raise UnsupportedError(f"unsupported {ctx.where(node)} on tensors")


@function_handler(torch.squeeze, torch.unsqueeze, view=True)
@method_handler("squeeze", "unsqueeze", "contiguous", "clone", "detach", view=True)
def same_codes(ctx: Importer, node: Node) -> None:
    """Ops that keep every code in place: only the shape may change."""
    reshape(ctx, node)


@function_handler(torch.permute, torch.transpose, view=True)
@method_handler("permute", "transpose", view=True)
def permute(ctx: Importer, node: Node) -> None:
    x, info = ctx.input(node)
    rank = len(info.shape)
    if node.target in ("transpose", torch.transpose):
        a = ctx.constant(node, ctx.arg(node, 1, "dim0")) % rank
        b = ctx.constant(node, ctx.arg(node, 2, "dim1")) % rank
        order = list(range(rank))
        order[a], order[b] = order[b], order[a]
    else:
        dims = node.args[1:] if node.op == "call_method" else [ctx.arg(node, 1, "dims")]
        if len(dims) == 1 and isinstance(dims[0], (list, tuple)):
            dims = dims[0]
        order = [ctx.constant(node, d) % rank for d in dims]
    if order == list(range(rank)):
        ctx.alias(node, x)
        return
    if not info.per_tensor:
        raise UnsupportedError(f"{ctx.where(node)} permutes {info.describe()}; torch "
                               "permutes per-tensor quantized tensors only")
    ctx.define(node, f"qnn.permute {x} permutation = {int_list(order)} : "
                     f"{tensor_type(info, 'the input')} -> {ctx.output_type(node)}")


def _slice(ctx: Importer, node: Node, source: Node, offsets, sizes, strides) -> None:
    """`tensor.extract_slice` of `source`, reshaped to the node's shape."""
    x, info = ctx.operand(node, source)
    sliced = list(sizes)
    if sliced == list(info.shape):
        value = x
    else:
        value = ctx.fresh(node, "slice")
        slice_type = tensor_type(TensorInfo(tuple(sliced), info.dtype, info.qscheme, info.scales,
                                       info.zero_points, info.axis), "a slice")
        ctx.line(f"{value} = tensor.extract_slice {x}{int_list(offsets)} "
                 f"{int_list(sizes)} {int_list(strides)} : "
                 f"{tensor_type(info, 'the input')} to {slice_type}")
    out = ctx.output_info(node)
    if tuple(sliced) == out.shape:
        ctx.alias(node, value)
        return
    # Integer indices dropped dimensions, None added some: a reshape.
    src_info = TensorInfo(tuple(sliced), info.dtype, info.qscheme, info.scales,
                     info.zero_points, info.axis)
    _reshape_value(ctx, node, value, src_info)


def _reshape_value(ctx: Importer, node: Node, x: str, info) -> None:
    src, dst = info.shape, ctx.output_info(node).shape
    src_type = tensor_type(info, f"the input of {ctx.where(node)}")
    dst_type = ctx.output_type(node)
    if len(dst) < len(src) and (groups := reassociation(src, dst)) is not None:
        ctx.define(node, f"tensor.collapse_shape {x} {groups} : {src_type} into {dst_type}")
    elif len(dst) > len(src) and (groups := reassociation(dst, src)) is not None:
        ctx.define(node, f"tensor.expand_shape {x} {groups} output_shape "
                         f"{int_list(dst)} : {src_type} into {dst_type}")
    else:
        shape = f"%{node.name}.shape"
        shape_type = f"tensor<{len(dst)}xi64>"
        ctx.line(f"{shape} = arith.constant dense<{int_list(dst)}> : {shape_type}")
        ctx.define(node, f"tensor.reshape {x}({shape}) : ({src_type}, "
                         f"{shape_type}) -> {dst_type}")


@function_handler(operator.getitem)
def getitem(ctx: Importer, node: Node) -> None:
    """Indexing: a piece of a chunk/split, a tensor slice (slices, integers,
    Ellipsis, None), or shape arithmetic (`x.shape[1]`)."""
    source, index = node.args[0], node.args[1]
    if source in ctx.pieces:
        # A piece of a tuple a handler defined piece by piece: a tensor, or
        # a nested tuple (an LSTM's (h_n, c_n)).
        piece = ctx.pieces[source][ctx.constant(node, index)]
        if isinstance(piece, (list, tuple)):
            ctx.define_pieces(node, piece)
        else:
            ctx.alias(node, piece)
        return
    if ctx.infos[node] is None:
        return  # a shape value, folded where used
    pieces = ctx.values.get(source) if isinstance(source, Node) else None
    if isinstance(pieces, (tuple, list)) and ctx.info(source) is None:
        # A piece of chunk/split: a slice of their input along their dim.
        tensor = ctx.arg(source, 0, "input")
        _, info = ctx.operand(node, tensor)
        dim = ctx.constant(node, ctx.arg(source, 2, "dim", 0)) % len(info.shape)
        i = ctx.constant(node, index) % len(pieces)
        offset = sum(p.shape[dim] for p in pieces[:i])
        offsets = [0] * len(info.shape)
        offsets[dim] = offset
        sizes = list(info.shape)
        sizes[dim] = pieces[i].shape[dim]
        _slice(ctx, node, tensor, offsets, sizes, [1] * len(info.shape))
        return
    _, info = ctx.operand(node, source)
    items = list(index) if isinstance(index, tuple) else [index]
    rank = len(info.shape)
    explicit = sum(1 for it in items if it is not None and it is not Ellipsis)
    offsets, sizes, strides = [], [], []
    dim = 0
    for item in items:
        if item is Ellipsis:
            for _ in range(rank - explicit):
                offsets.append(0); sizes.append(info.shape[dim]); strides.append(1); dim += 1
        elif item is None:
            continue
        elif isinstance(item, slice):
            # Bounds may be computed from sizes (`x[:, :x.size(1) // 2]`).
            bounds = [ctx.constant(node, b) for b in (item.start, item.stop, item.step)]
            if not all(b is None or (isinstance(b, int) and not isinstance(b, bool))
                       for b in bounds):
                raise UnsupportedError(f"{ctx.where(node)} slices with {item!r}; qnn "
                                       "imports integer slice bounds")
            start, stop, step = slice(*bounds).indices(info.shape[dim])
            if step <= 0:
                raise UnsupportedError(f"{ctx.where(node)} has a non-positive step")
            offsets.append(start)
            sizes.append(max(0, (stop - start + step - 1) // step))
            strides.append(step)
            dim += 1
        else:
            i = ctx.constant(node, item)
            if not isinstance(i, int):
                raise UnsupportedError(f"{ctx.where(node)} indexes with {item!r}; qnn "
                                       "imports slices, integers, Ellipsis and None")
            offsets.append(i % info.shape[dim]); sizes.append(1); strides.append(1)
            dim += 1
    while dim < rank:
        offsets.append(0); sizes.append(info.shape[dim]); strides.append(1); dim += 1
    _slice(ctx, node, source, offsets, sizes, strides)


@function_handler(torch.chunk, torch.split)
@method_handler("chunk", "split")
def chunk(ctx: Importer, node: Node) -> None:
    """The pieces are imported where they are indexed (getitem)."""
    for user in node.users:
        if user.target is not operator.getitem:
            raise UnsupportedError(f"the result of {ctx.where(node)} is used by "
                                   f"'{user.name}'; qnn imports its pieces by index")


@module_handler(nn.ChannelShuffle)
@function_handler(torch.channel_shuffle)  # also F.channel_shuffle
def channel_shuffle(ctx: Importer, node: Node) -> None:
    """`y[:, c] = x[:, (c % g) * (C / g) + c // g]`: the channels split into
    (g, C / g), the two swapped (qnn.permute), merged again."""
    x, info = ctx.activation_input(node, (torch.quint8,))
    if node.op == "call_module":
        groups = ctx.submodule(node).groups
    else:
        groups = ctx.constant(node, ctx.arg(node, 1, "groups"))
    shape = list(info.shape)
    if len(shape) < 3 or shape[1] % groups:
        raise UnsupportedError(f"{ctx.where(node)} shuffles {shape[1] if len(shape) > 1 else 0} "
                               f"channels in {groups} groups")
    split = [shape[0], groups, shape[1] // groups] + shape[2:]
    swapped = [shape[0], shape[1] // groups, groups] + shape[2:]
    element = tensor_type(info, "the input")[len("tensor<") + sum(len(f"{d}x") for d in shape):-1]
    in_type = tensor_type(info, "the input")
    split_type = "tensor<" + "".join(f"{d}x" for d in split) + element + ">"
    swapped_type = "tensor<" + "".join(f"{d}x" for d in swapped) + element + ">"
    groups_of = [[0], [1, 2]] + [[d + 1] for d in range(2, len(shape))]
    a, b = ctx.fresh(node, "split"), ctx.fresh(node, "swapped")
    ctx.line(f"{a} = tensor.expand_shape {x} {groups_of} output_shape {int_list(split)} : "
             f"{in_type} into {split_type}")
    order = [0, 2, 1] + list(range(3, len(split)))
    ctx.line(f"{b} = qnn.permute {a} permutation = {int_list(order)} : {split_type} -> "
             f"{swapped_type}")
    ctx.define(node, f"tensor.collapse_shape {b} {groups_of} : {swapped_type} into "
                     f"{ctx.output_type(node)}")
