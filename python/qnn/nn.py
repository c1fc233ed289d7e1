"""Modules torch 1.13 cannot run that qnn defines by their float semantics.

`Float16DynamicLinear` is what `quantize_dynamic(..., dtype=torch.float16)`
builds where torch has FBGEMM (`nnqd.Linear` with float16 packed weights).
Here, torch 1.13 refuses it on both engines (`linear_prepack_fp16` exists
only for FBGEMM), so qnn defines it by the semantics FBGEMM's kernel
approximates: the weight saturated to the float16 range (as PyTorch's fp16
prepack does, with a warning) and rounded to float16 once, then the float32
linear `x @ w16^T + b`. The module computes exactly that in torch
(F.linear, which qnn's float linear matches bit for bit) and qnn compiles it
(docs/numerics/dynamic.md, "float16 weights").

`quantize_dynamic_float16(model)` replaces a model's `nn.Linear` modules
with it, as `quantize_dynamic(model, {nn.Linear}, dtype=torch.float16)`
would.
"""

from __future__ import annotations

import copy
from typing import Optional

import torch
import torch.nn as nn
import torch.nn.functional as F

__all__ = ["Float16DynamicLinear", "quantize_dynamic_float16"]

#: The largest finite float16.
FLOAT16_MAX = 65504.0


class Float16DynamicLinear(nn.Module):
    """A Linear with float16 weights computed in float32."""

    def __init__(self, weight: torch.Tensor, bias: Optional[torch.Tensor]) -> None:
        super().__init__()
        weight = weight.detach().to(torch.float32)
        if weight.dim() != 2:
            raise ValueError(f"a Linear's weight has rank 2, got shape {list(weight.shape)}")
        self.register_buffer("weight", weight.clamp(-FLOAT16_MAX, FLOAT16_MAX).half())
        self.register_buffer(
            "bias", None if bias is None else bias.detach().to(torch.float32).clone())
        self.out_features, self.in_features = weight.shape

    @classmethod
    def from_float(cls, linear: nn.Linear) -> "Float16DynamicLinear":
        return cls(linear.weight, linear.bias)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.linear(x, self.weight.float(), self.bias)

    def extra_repr(self) -> str:
        return (f"in_features={self.in_features}, out_features={self.out_features}, "
                f"bias={self.bias is not None}, dtype=torch.float16")


def quantize_dynamic_float16(model: nn.Module, inplace: bool = False) -> nn.Module:
    """`model` with every nn.Linear replaced by a Float16DynamicLinear."""
    if not inplace:
        model = copy.deepcopy(model)
    if type(model) is nn.Linear:
        return Float16DynamicLinear.from_float(model)
    for name, child in model.named_children():
        setattr(model, name, quantize_dynamic_float16(child, inplace=True))
    return model
