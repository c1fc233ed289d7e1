"""Activations: modules, functions and methods that apply an entry of qnn's
activation table (`qnn.activation`)."""

from __future__ import annotations

import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.nn.quantized as nnq
from torch.fx.node import Node

from .graph import Importer
from .registry import function_handler, method_handler, module_handler
from .types import tensor_type


def _is_inplace(ctx: Importer, node: Node) -> bool:
    if node.op == "call_module":
        return bool(getattr(ctx.submodule(node), "inplace", False))
    if node.op == "call_method":
        return node.target.endswith("_")
    return bool(ctx.arg(node, 1, "inplace", False)) if node.target is F.relu else False


#: Clamps work on codes of any width (qint32 relu); the other activations
#: are tables of 8-bit codes.
CLAMP_DTYPES = (torch.quint8, torch.qint8, torch.qint32)


def emit_activation(ctx: Importer, node: Node, activation: str,
                    dtypes=(torch.quint8, torch.qint8)) -> None:
    """`qnn.activation <activation>` of the node's input, to the recorded
    result type."""
    x, info = ctx.activation_input(node, dtypes)
    if _is_inplace(ctx, node):
        ctx.check_inplace(node)
    x_type = tensor_type(info, "the input")
    ctx.define(node, f"qnn.activation {activation} {x} : {x_type} -> "
                     f"{ctx.output_type(node)}")


@module_handler(nn.ReLU)
@function_handler(torch.relu, F.relu)
@method_handler("relu")
def relu(ctx: Importer, node: Node) -> None:
    emit_activation(ctx, node, "relu", CLAMP_DTYPES)


@module_handler(nnq.ReLU6)
def relu6(ctx: Importer, node: Node) -> None:
    emit_activation(ctx, node, "relu6", CLAMP_DTYPES)
