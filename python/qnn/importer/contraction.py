"""Linear and Conv: nnq.Linear, nniq.LinearReLU, nnq.Conv1d/2d/3d,
nniq.ConvReLU1d/2d/3d and nnq.ConvTranspose1d/2d/3d."""

from __future__ import annotations

from typing import Any, List, Optional, Sequence, Tuple

import torch
import torch.nn as nn
import torch.nn.intrinsic.quantized as nniq
import torch.nn.quantized as nnq
from torch.fx.node import Node

from .graph import Importer
from .registry import module_handler
from .types import TensorInfo, UnsupportedError, int_list, shaped, tensor_type

__all__ = ["conv_padding"]

_CONVS = (nnq.Conv1d, nnq.Conv2d, nnq.Conv3d)
_CONV_RELUS = (nniq.ConvReLU1d, nniq.ConvReLU2d, nniq.ConvReLU3d)
_CONV_TRANSPOSES = (nnq.ConvTranspose1d, nnq.ConvTranspose2d, nnq.ConvTranspose3d)

#: Modules with a fused ReLU (`post_op = relu`).
_FUSED_RELU = (nniq.LinearReLU,) + _CONV_RELUS


def conv_padding(padding: Any, kernel_size: Sequence[int], dilation: Sequence[int],
                 what: str) -> List[int]:
    """Numeric symmetric padding of a convolution (PyTorch accepts 'valid' and
    'same' strings); `what` names the convolution in errors."""
    if not isinstance(padding, str):
        return [int(p) for p in padding]
    if padding == "valid":
        return [0] * len(kernel_size)
    if padding == "same":
        totals = [d * (k - 1) for k, d in zip(kernel_size, dilation)]
        if any(t % 2 for t in totals):
            raise UnsupportedError(
                f"{what} has padding='same' with an even kernel extent, which "
                "pads asymmetrically; qnn.conv pads symmetrically")
        return [t // 2 for t in totals]
    raise UnsupportedError(f"{what} has unknown padding {padding!r}")


def _weight_bias(ctx: Importer, node: Node) -> Tuple[torch.Tensor, Optional[torch.Tensor]]:
    """The weight and bias of a Linear/Conv, unpacked from its packed
    parameters (which some engines cannot do)."""
    try:
        return ctx.submodule(node)._weight_bias()
    except RuntimeError as error:
        raise UnsupportedError(
            f"torch cannot read the weights of {ctx.where(node)} on "
            f"{ctx.engine}: {str(error).splitlines()[0]}") from error


def _weight(ctx: Importer, node: Node, weight: torch.Tensor) -> Tuple[str, str]:
    """Emits a quantized weight constant; returns (SSA value, type)."""
    info = TensorInfo.of(weight)
    qtype = tensor_type(info, f"the weight of {ctx.where(node)}")
    return ctx.emit_constant(f"{node.name}.weight", weight, info), qtype


def _bias(ctx: Importer, node: Node, bias: Optional[torch.Tensor]) -> Tuple[str, List[str]]:
    """Emits the float bias constant, if any; returns the op's ` bias(%b)`
    clause and the operand types it adds."""
    if bias is None:
        return "", []
    if bias.dtype != torch.float32:
        raise UnsupportedError(f"the bias of {ctx.where(node)} is {bias.dtype}; "
                               "qnn supports float32 biases")
    value = ctx.emit_constant(f"{node.name}.bias", bias, TensorInfo.of(bias))
    return f" bias({value})", [shaped(bias.shape, "f32")]


def _contraction_input(ctx: Importer, node: Node) -> Tuple[str, TensorInfo]:
    # onednn's Linear and Conv refuse qint8 inputs; qnnpack runs them through
    # XNNPACK, whose requantization qnn does not reproduce yet.
    return ctx.activation_input(node, (torch.quint8,))


@module_handler(nnq.Linear, nniq.LinearReLU)
def linear(ctx: Importer, node: Node) -> None:
    module = ctx.submodule(node)
    x, info = _contraction_input(ctx, node)
    if len(info.shape) < 2:
        raise UnsupportedError(f"the input of {ctx.where(node)} has shape "
                               f"{list(info.shape)}; qnn.linear needs rank >= 2")
    weight, bias = _weight_bias(ctx, node)
    w, w_type = _weight(ctx, node, weight)
    bias_clause, bias_types = _bias(ctx, node, bias)
    post_op = " post_op = relu" if isinstance(module, _FUSED_RELU) else ""
    types = ", ".join([tensor_type(info, "the input")] + [w_type] + bias_types)
    ctx.define(node, f"qnn.linear {x}, {w}{bias_clause}{post_op} : "
                     f"({types}) -> {ctx.output_type(node)}")


@module_handler(*_CONVS, *_CONV_RELUS)
def conv(ctx: Importer, node: Node) -> None:
    module = ctx.submodule(node)
    where = ctx.where(node)
    x, info = _contraction_input(ctx, node)
    padding = conv_padding(module.padding, module.kernel_size, module.dilation, where)
    weight, bias = _weight_bias(ctx, node)
    w, w_type = _weight(ctx, node, weight)
    bias_clause, bias_types = _bias(ctx, node, bias)
    attrs = (f"strides = {int_list(module.stride)} padding = {int_list(padding)} "
             f"dilations = {int_list(module.dilation)} groups = {module.groups}")
    if module.padding_mode != "zeros":
        attrs += f" padding_mode = {module.padding_mode}"
    if isinstance(module, _FUSED_RELU):
        attrs += " post_op = relu"
    types = ", ".join([tensor_type(info, "the input")] + [w_type] + bias_types)
    ctx.define(node, f"qnn.conv {x}, {w}{bias_clause} {attrs} : "
                     f"({types}) -> {ctx.output_type(node)}")


def _record_conv_transpose(module: nn.Module, x: torch.Tensor) -> torch.Tensor:
    """torch 1.13's qnnpack ConvTranspose3d returns wrong shapes (or refuses
    to run) and cannot give its weights back: the recording run gives the
    float semantics' shape there, so that the import fails on the weights
    with a clear message rather than on torch's shapes."""
    if not (isinstance(module, nnq.ConvTranspose3d)
            and torch.backends.quantized.engine == "qnnpack"):
        return module(x)
    spatial = [(n - 1) * s - 2 * p + d * (k - 1) + extra + 1
               for n, s, p, d, k, extra in zip(x.shape[2:], module.stride, module.padding,
                                               module.dilation, module.kernel_size,
                                               module.output_padding)]
    shape = [x.shape[0], module.out_channels] + spatial
    zero_point = int(module.zero_point)
    return torch._make_per_tensor_quantized_tensor(
        torch.full(shape, zero_point, dtype=torch.uint8), float(module.scale), zero_point)


@module_handler(*_CONV_TRANSPOSES, record=_record_conv_transpose)
def conv_transpose(ctx: Importer, node: Node) -> None:
    module = ctx.submodule(node)
    where = ctx.where(node)
    x, info = _contraction_input(ctx, node)
    if module.padding_mode != "zeros":
        raise UnsupportedError(f"{where} has padding_mode={module.padding_mode!r}; "
                               "transposed convolutions pad with zeros only")
    weight, bias = _weight_bias(ctx, node)
    if weight.qscheme() in (torch.per_channel_affine, torch.per_channel_symmetric) \
            and weight.q_per_channel_axis() != 1:
        raise UnsupportedError(
            f"the weight of {where} is quantized per channel along axis "
            f"{weight.q_per_channel_axis()}; a transposed convolution's output "
            "channels are axis 1")
    w, w_type = _weight(ctx, node, weight)
    bias_clause, bias_types = _bias(ctx, node, bias)
    attrs = (f"strides = {int_list(module.stride)} padding = {int_list(module.padding)} "
             f"output_padding = {int_list(module.output_padding)} "
             f"dilations = {int_list(module.dilation)} groups = {module.groups}")
    types = ", ".join([tensor_type(info, "the input")] + [w_type] + bias_types)
    ctx.define(node, f"qnn.conv_transpose {x}, {w}{bias_clause} {attrs} : "
                     f"({types}) -> {ctx.output_type(node)}")
