"""Upsampling: nearest-neighbour interpolation of quantized tensors
(`qnn.upsample_nearest`). Torch computes each output's source index in
float from the scale factor the user gave (or from the sizes), which the
op records (docs/numerics/arithmetic.md)."""

from __future__ import annotations

from typing import Any, Optional

import torch.nn as nn
import torch.nn.functional as F
from torch.fx.node import Node

from .graph import Importer
from .registry import function_handler, module_handler
from .types import UnsupportedError, format_float, tensor_type


def _upsample(ctx: Importer, node: Node, scale_factor: Any, mode: str,
              recompute_scale_factor: Optional[bool]) -> None:
    x, info = ctx.activation_input(node)
    spatial = len(info.shape) - 2
    if mode not in ("nearest", "nearest-exact"):
        raise UnsupportedError(f"{ctx.where(node)} uses mode {mode!r}; qnn supports "
                               "'nearest' and 'nearest-exact' on quantized tensors")
    if spatial not in (2, 3):
        raise UnsupportedError(f"{ctx.where(node)} needs a 4-d or 5-d input (torch has no "
                               f"quantized upsample_nearest1d), got shape {list(info.shape)}")
    attrs = []
    if scale_factor is not None and not recompute_scale_factor:
        factors = (list(scale_factor) if isinstance(scale_factor, (list, tuple))
                   else [scale_factor] * spatial)
        attrs.append("scales = array<f64: "
                     + ", ".join(format_float(float(f)) for f in factors) + ">")
    if mode == "nearest-exact":
        attrs.append("exact")
    attr_dict = f" {{{', '.join(attrs)}}}" if attrs else ""
    ctx.define(node, f"qnn.upsample_nearest {x}{attr_dict} : "
                     f"{tensor_type(info, 'the input')} -> {ctx.output_type(node)}")


@function_handler(F.interpolate, F.upsample, F.upsample_nearest)
def interpolate(ctx: Importer, node: Node) -> None:
    c = lambda i, k, d=None: ctx.constant(node, ctx.arg(node, i, k, d))  # noqa: E731
    mode = "nearest" if node.target is F.upsample_nearest else c(3, "mode", "nearest")
    recompute = None if node.target is F.upsample_nearest else c(5, "recompute_scale_factor")
    _upsample(ctx, node, c(2, "scale_factor"), mode, recompute)


@module_handler(nn.Upsample, nn.UpsamplingNearest2d)
def upsample_module(ctx: Importer, node: Node) -> None:
    m = ctx.submodule(node)
    _upsample(ctx, node, m.scale_factor, m.mode, getattr(m, "recompute_scale_factor", None))
