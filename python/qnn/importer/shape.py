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
from .types import UnsupportedError, int_list, reassociation, tensor_type


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
    src, dst = info.shape, ctx.output_info(node).shape
    if src == dst:
        ctx.alias(node, x)
        return
    src_type = tensor_type(info, f"the input of {ctx.where(node)}")
    dst_type = ctx.output_type(node)
    if len(dst) < len(src) and (groups := reassociation(src, dst)) is not None:
        ctx.define(node, f"tensor.collapse_shape {x} {groups} : {src_type} "
                         f"into {dst_type}")
    elif len(dst) > len(src) and (groups := reassociation(dst, src)) is not None:
        ctx.define(node, f"tensor.expand_shape {x} {groups} output_shape "
                         f"{int_list(dst)} : {src_type} into {dst_type}")
    else:
        shape = f"%{node.name}.shape"
        shape_type = f"tensor<{len(dst)}xi64>"
        ctx.line(f"{shape} = arith.constant dense<{int_list(dst)}> : {shape_type}")
        ctx.define(node, f"tensor.reshape {x}({shape}) : ({src_type}, "
                         f"{shape_type}) -> {dst_type}")


#: Functions and methods that compute shapes (`x.size(0)`, `x.shape[1] * 2`).
#: Shapes are static, so their values are folded into the ops using them.
@function_handler(getattr, operator.getitem, operator.add, operator.sub,
                  operator.mul, operator.floordiv, operator.neg)
@method_handler("size", "dim")
def shape_computation(ctx: Importer, node: Node) -> None:
    if ctx.infos[node] is not None:
        raise UnsupportedError(f"unsupported {ctx.where(node)} on tensors")
