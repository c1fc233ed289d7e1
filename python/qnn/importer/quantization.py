"""Quantize and dequantize: nnq.Quantize/DeQuantize (eager mode), and FX
graph mode's `torch.quantize_per_tensor` and `dequantize` calls."""

from __future__ import annotations

import torch
import torch.nn.quantized as nnq
from torch.fx.node import Node

from .graph import Importer
from .registry import function_handler, method_handler, module_handler
from .types import tensor_type


@module_handler(nnq.Quantize)
@function_handler(torch.quantize_per_tensor)
def quantize(ctx: Importer, node: Node) -> None:
    # The recorded result carries the scale, zero point and dtype, whether
    # they came from the module or from FX's get_attr arguments.
    x, info = ctx.input(node)
    x_type = tensor_type(info, f"the input of {ctx.where(node)}")
    ctx.define(node, f"qnn.quantize {x} : {x_type} -> {ctx.output_type(node)}")


@module_handler(nnq.DeQuantize)
@function_handler(torch.dequantize)
@method_handler("dequantize")
def dequantize(ctx: Importer, node: Node) -> None:
    x, info = ctx.quantized_input(node)
    x_type = tensor_type(info, f"the input of {ctx.where(node)}")
    ctx.define(node, f"qnn.dequantize {x} : {x_type} -> {ctx.output_type(node)}")
