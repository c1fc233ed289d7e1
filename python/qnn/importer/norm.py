"""Normalizations: nnq.BatchNorm2d/3d and nniq.BNReLU2d/3d (`qnn.batch_norm`).

The module's running statistics, affine weight and bias become f32
constants; the output quantization is the module's. torch computes the same
arithmetic under every engine (docs/numerics/norms.md).
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
