"""Dynamically quantized modules (torch.ao.quantization.quantize_dynamic):
nnqd.Linear and nniqd.LinearReLU.

The input stays float; `qnn.dynamic_linear` quantizes it on each call with
parameters chosen from its range, as the engine's quantized::linear_dynamic
does (docs/numerics/dynamic.md). The op's `reduce_range` is the range the
engine really uses: nnqd.Linear asks for it, onednn honours it and qnnpack
ignores it.
"""

from __future__ import annotations

import torch
import torch.nn.intrinsic.quantized.dynamic as nniqd
import torch.nn.quantized.dynamic as nnqd
from torch.fx.node import Node

from .graph import Importer
from .registry import module_handler
from .types import TensorInfo, UnsupportedError, shaped, tensor_type

#: Engines whose dynamic Linear honours reduce_range (qnnpack warns that it
#: ignores it).
_REDUCE_RANGE_ENGINES = ("onednn",)


def float_input(ctx: Importer, node: Node) -> str:
    """The float32 input of a dynamically quantized module."""
    x, info = ctx.input(node)
    if info.is_quantized or info.dtype != torch.float32:
        raise UnsupportedError(f"the input of {ctx.where(node)} is {info.describe()}; a "
                               "dynamically quantized module takes float32")
    return x


@module_handler(nnqd.Linear, nniqd.LinearReLU)
def dynamic_linear(ctx: Importer, node: Node) -> None:
    module = ctx.submodule(node)
    where = ctx.where(node)
    if module._packed_params.dtype != torch.qint8:
        raise UnsupportedError(f"{where} has {module._packed_params.dtype} weights; qnn "
                               "imports qint8 dynamic weights")
    x = float_input(ctx, node)
    weight, bias = module._weight_bias()
    info = TensorInfo.of(weight)
    w = ctx.emit_constant(f"{node.name}.weight", weight, info)
    operands = [shaped(ctx.info(ctx.arg(node, 0, "input")).shape, "f32"),
                tensor_type(info, f"the weight of {where}")]
    bias_clause = ""
    if bias is not None:
        b = ctx.emit_constant(f"{node.name}.bias", bias.detach().float().contiguous(),
                              TensorInfo.of(bias.detach().float()))
        bias_clause = f" bias({b})"
        operands.append(shaped(bias.shape, "f32"))
    # nnqd.Linear.forward passes reduce_range=True.
    reduce_range = " reduce_range" if ctx.engine in _REDUCE_RANGE_ENGINES else ""
    result = shaped(ctx.output_info(node).shape, "f32")
    op = (f"qnn.dynamic_linear {x}, {w}{bias_clause}{reduce_range} : "
          f"({', '.join(operands)}) -> {result}")
    if not isinstance(module, nniqd.LinearReLU):
        ctx.define(node, op)
        return
    y, zeros = ctx.fresh(node, "linear"), ctx.fresh(node, "zeros")
    ctx.line(f"{y} = {op}")
    ctx.line(f"{zeros} = arith.constant dense<0.0> : {result}")
    ctx.define(node, f"arith.maximumf {y}, {zeros} : {result}")
