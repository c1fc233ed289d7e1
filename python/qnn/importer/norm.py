"""Normalizations: nnq.BatchNorm2d/3d and nniq.BNReLU2d/3d (`qnn.batch_norm`),
nnq.LayerNorm (`qnn.layer_norm`), nnq.GroupNorm and nnq.InstanceNorm1d/2d/3d
(`qnn.group_norm`).

The modules' statistics, affine weights and biases become f32 constants;
the output quantization is the module's. torch computes the same arithmetic
under every engine (docs/numerics/norms.md).
"""

from __future__ import annotations

import torch
import torch.nn.intrinsic.quantized as nniq
import torch.nn.quantized as nnq
from torch.fx.node import Node

from .graph import Importer
from .registry import module_handler
from .types import TensorInfo, UnsupportedError, format_float, shaped, tensor_type

_BATCH_NORMS = {nnq.BatchNorm2d: 4, nnq.BatchNorm3d: 5, nniq.BNReLU2d: 4, nniq.BNReLU3d: 5}


@module_handler(*_BATCH_NORMS)
def batch_norm(ctx: Importer, node: Node) -> None:
    module = ctx.submodule(node)
    x, info = ctx.activation_input(node)
    rank = _BATCH_NORMS[type(module)]
    if len(info.shape) != rank:
        raise UnsupportedError(f"the input of {ctx.where(node)} has rank {len(info.shape)}; "
                               f"{type(module).__name__} takes rank {rank}")
    channels = info.shape[1]
    operands = []
    for name, tensor in (("weight", module.weight), ("bias", module.bias),
                         ("mean", module.running_mean), ("var", module.running_var)):
        if tensor is None:
            raise UnsupportedError(f"{ctx.where(node)} has no {name}; torch's quantized "
                                   "batch norm refuses that ('Weight must be provided')")
        tensor = tensor.detach().to(torch.float32).contiguous()
        operands.append(ctx.emit_constant(f"{node.name}.{name}", tensor, TensorInfo.of(tensor)))
    post_op = " post_op = relu" if isinstance(module, (nniq.BNReLU2d, nniq.BNReLU3d)) else ""
    vector = shaped((channels,), "f32")
    ctx.define(node, f"qnn.batch_norm {x}, {', '.join(operands)} eps = "
                     f"{format_float(float(module.eps))}{post_op} : "
                     f"{tensor_type(info, 'the input')}, {vector}, {vector}, {vector}, "
                     f"{vector} -> {ctx.output_type(node)}")


@module_handler(nnq.LayerNorm)
def layer_norm(ctx: Importer, node: Node) -> None:
    module = ctx.submodule(node)
    x, info = ctx.activation_input(node)
    normalized = tuple(int(d) for d in module.normalized_shape)
    if tuple(info.shape[len(info.shape) - len(normalized):]) != normalized:
        raise UnsupportedError(f"the input of {ctx.where(node)} has shape {list(info.shape)}, "
                               f"whose trailing dimensions are not {list(normalized)}")
    clauses, types = "", []
    for name, tensor in (("weight", module.weight), ("bias", module.bias)):
        if tensor is None:
            continue
        tensor = tensor.detach().to(torch.float32).contiguous()
        value = ctx.emit_constant(f"{node.name}.{name}", tensor, TensorInfo.of(tensor))
        clauses += f" {name}({value})"
        types.append(shaped(normalized, "f32"))
    type_list = ", ".join([tensor_type(info, "the input")] + types)
    ctx.define(node, f"qnn.layer_norm {x}{clauses} normalized_rank = {len(normalized)} "
                     f"eps = {format_float(float(module.eps))} : {type_list} -> "
                     f"{ctx.output_type(node)}")


_INSTANCE_NORMS = {nnq.InstanceNorm1d: 3, nnq.InstanceNorm2d: 4, nnq.InstanceNorm3d: 5}


@module_handler(nnq.GroupNorm, *_INSTANCE_NORMS)
def group_norm(ctx: Importer, node: Node) -> None:
    """nnq.GroupNorm, and nnq.InstanceNorm1d/2d/3d as a group norm with one
    channel per group (torch's quantized instance_norm is its group norm)."""
    module = ctx.submodule(node)
    x, info = ctx.activation_input(node)
    if len(info.shape) < 2:
        raise UnsupportedError(f"the input of {ctx.where(node)} has shape {list(info.shape)}; "
                               "a group norm needs N x C x ...")
    channels = info.shape[1]
    groups = channels if type(module) in _INSTANCE_NORMS else int(module.num_groups)
    clauses, types = "", []
    for name in ("weight", "bias"):
        tensor = getattr(module, name, None)
        if tensor is None:
            continue
        tensor = tensor.detach().to(torch.float32).contiguous()
        value = ctx.emit_constant(f"{node.name}.{name}", tensor, TensorInfo.of(tensor))
        clauses += f" {name}({value})"
        types.append(shaped((channels,), "f32"))
    type_list = ", ".join([tensor_type(info, "the input")] + types)
    ctx.define(node, f"qnn.group_norm {x}{clauses} groups = {groups} "
                     f"eps = {format_float(float(module.eps))} : {type_list} -> "
                     f"{ctx.output_type(node)}")
