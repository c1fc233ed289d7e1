"""Pooling: max pooling (qnn.max_pool), average pooling (qnn.avg_pool),
adaptive average pooling (qnn.adaptive_avg_pool) and torch.mean
(qnn.mean) of quantized tensors.

Torch's averaging kernels round differently on channels-last tensors (what
a quantized conv returns); the op records the layout torch computed on
(`channels_last`), read off the tensor's strides in torch's run
(docs/numerics/pooling.md).
"""

from __future__ import annotations

from typing import Any, List, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.fx.node import Node

from .graph import Importer
from .registry import function_handler, method_handler, module_handler
from .types import TensorInfo, UnsupportedError, int_list, tensor_type


def _pair(value: Any, n: int) -> List[int]:
    if isinstance(value, (list, tuple)):
        if len(value) == 1:
            return [int(value[0])] * n
        return [int(v) for v in value]
    return [int(value)] * n


def _is_channels_last(ctx: Importer, node: Node, x_node: Any, info: TensorInfo) -> bool:
    """Whether torch saw `x_node` as a channels-last tensor (its ATen
    channels-last kernels run then)."""
    if len(info.shape) != 4 or x_node not in ctx.strides:
        return False
    probe = torch.empty_strided(info.shape, ctx.strides[x_node])
    return probe.is_contiguous(memory_format=torch.channels_last)


def _pool_input(ctx: Importer, node: Node) -> Tuple[str, TensorInfo, Any]:
    x, info = ctx.activation_input(node)
    return x, info, ctx.arg(node, 0, "input")


# ---------------------------------------------------------------------------
# Max pooling
# ---------------------------------------------------------------------------


def _max_pool(ctx: Importer, node: Node, spatial: int, kernel: Any, stride: Any,
              padding: Any, dilation: Any, ceil_mode: bool, return_indices: bool) -> None:
    x, info, _ = _pool_input(ctx, node)
    if return_indices:
        raise UnsupportedError(f"{ctx.where(node)} returns indices; torch's quantized "
                               "max pooling does not")
    if len(info.shape) != spatial + 2:
        raise UnsupportedError(f"{ctx.where(node)} needs an input of rank {spatial + 2} "
                               f"(N, C, {spatial} spatial), got shape {list(info.shape)}")
    kernel = _pair(kernel, spatial)
    stride = _pair(stride if stride not in (None, [], ()) else kernel, spatial)
    ctx.define(node, f"qnn.max_pool {x} kernel = {int_list(kernel)} strides = "
                     f"{int_list(stride)} padding = {int_list(_pair(padding, spatial))} "
                     f"dilations = {int_list(_pair(dilation, spatial))} ceil_mode = "
                     f"{str(bool(ceil_mode)).lower()} : {tensor_type(info, 'the input')} -> "
                     f"{ctx.output_type(node)}")


@module_handler(nn.MaxPool1d, nn.MaxPool2d)
def max_pool_module(ctx: Importer, node: Node) -> None:
    m = ctx.submodule(node)
    spatial = 1 if isinstance(m, nn.MaxPool1d) else 2
    _max_pool(ctx, node, spatial, m.kernel_size, m.stride, m.padding, m.dilation,
              m.ceil_mode, m.return_indices)


@function_handler(F.max_pool1d, F.max_pool2d, torch.max_pool1d, torch.max_pool2d)
def max_pool_function(ctx: Importer, node: Node) -> None:
    spatial = 1 if node.target in (F.max_pool1d, torch.max_pool1d) else 2
    c = lambda i, k, d=None: ctx.constant(node, ctx.arg(node, i, k, d))  # noqa: E731
    _max_pool(ctx, node, spatial, c(1, "kernel_size"), c(2, "stride"), c(3, "padding", 0),
              c(4, "dilation", 1), c(5, "ceil_mode", False), c(6, "return_indices", False))


# ---------------------------------------------------------------------------
# Average pooling
# ---------------------------------------------------------------------------


def _avg_pool(ctx: Importer, node: Node, kernel: Any, stride: Any, padding: Any,
              ceil_mode: bool, count_include_pad: bool, divisor_override: Any) -> None:
    x, info, x_node = _pool_input(ctx, node)
    if len(info.shape) != 4:
        raise UnsupportedError(f"{ctx.where(node)} needs an N x C x H x W input, got shape "
                               f"{list(info.shape)}")
    kernel = _pair(kernel, 2)
    stride = _pair(stride if stride not in (None, [], ()) else kernel, 2)
    attrs = []
    if divisor_override is not None:
        attrs.append(f"divisor_override = {int(divisor_override)}")
    if _is_channels_last(ctx, node, x_node, info):
        attrs.append("channels_last")
    attr_dict = f" {{{', '.join(attrs)}}}" if attrs else ""
    ctx.define(node, f"qnn.avg_pool {x} kernel = {int_list(kernel)} strides = "
                     f"{int_list(stride)} padding = {int_list(_pair(padding, 2))} ceil_mode = "
                     f"{str(bool(ceil_mode)).lower()} count_include_pad = "
                     f"{str(bool(count_include_pad)).lower()}{attr_dict} : "
                     f"{tensor_type(info, 'the input')} -> {ctx.output_type(node)}")


@module_handler(nn.AvgPool2d)
def avg_pool_module(ctx: Importer, node: Node) -> None:
    m = ctx.submodule(node)
    _avg_pool(ctx, node, m.kernel_size, m.stride, m.padding, m.ceil_mode,
              m.count_include_pad, m.divisor_override)


@function_handler(F.avg_pool2d)
def avg_pool_function(ctx: Importer, node: Node) -> None:
    c = lambda i, k, d=None: ctx.constant(node, ctx.arg(node, i, k, d))  # noqa: E731
    _avg_pool(ctx, node, c(1, "kernel_size"), c(2, "stride"), c(3, "padding", 0),
              c(4, "ceil_mode", False), c(5, "count_include_pad", True),
              c(6, "divisor_override"))


def _adaptive_avg_pool(ctx: Importer, node: Node) -> None:
    x, info, x_node = _pool_input(ctx, node)
    if len(info.shape) != 4:
        raise UnsupportedError(f"{ctx.where(node)} needs an N x C x H x W input, got shape "
                               f"{list(info.shape)}")
    attr = " {channels_last}" if _is_channels_last(ctx, node, x_node, info) else ""
    ctx.define(node, f"qnn.adaptive_avg_pool {x}{attr} : {tensor_type(info, 'the input')} -> "
                     f"{ctx.output_type(node)}")


@module_handler(nn.AdaptiveAvgPool2d)
@function_handler(F.adaptive_avg_pool2d)
def adaptive_avg_pool(ctx: Importer, node: Node) -> None:
    # The output size is the recorded result's.
    _adaptive_avg_pool(ctx, node)


# ---------------------------------------------------------------------------
# Mean
# ---------------------------------------------------------------------------


@function_handler(torch.mean)
@method_handler("mean")
def mean(ctx: Importer, node: Node) -> None:
    x, info, x_node = _pool_input(ctx, node)
    rank = len(info.shape)
    spelled = ctx.constant(node, ctx.arg(node, 1, "dim"))
    if spelled is None:
        raise UnsupportedError(f"{ctx.where(node)} needs the dimensions to average")
    spelled = [int(d) for d in (spelled if isinstance(spelled, (list, tuple)) else [spelled])]
    dims = sorted(d % rank for d in spelled)
    qnnpack_global = (ctx.numerics == "qnnpack" and info.dtype == torch.quint8
                      and rank == 4)
    if qnnpack_global and dims == [2, 3] and spelled != [2, 3]:
        raise UnsupportedError(
            f"{ctx.where(node)} averages H and W spelled {spelled}: torch's qnnpack takes "
            "its global average pooling only for dim=[2, 3], and averages other spellings "
            "with ATen; write dim=[2, 3]")
    trailing = dims == list(range(rank - len(dims), rank))
    strides = ctx.strides.get(x_node)
    contiguous = strides is None or torch.empty_strided(info.shape, strides).is_contiguous()
    if not (qnnpack_global and spelled == [2, 3]) and not (trailing and contiguous):
        raise UnsupportedError(
            f"{ctx.where(node)} averages dims {spelled} of a "
            f"{'contiguous' if contiguous else 'non-contiguous (e.g. channels-last)'} tensor: "
            "torch dequantizes and sums those in float32 with a cascade qnn does not "
            "reproduce; qnn takes the trailing dims of a contiguous tensor (or dim=[2, 3] "
            "under qnnpack)")
    ctx.define(node, f"qnn.mean {x} dims = {int_list(dims)} : "
                     f"{tensor_type(info, 'the input')} -> {ctx.output_type(node)}")
