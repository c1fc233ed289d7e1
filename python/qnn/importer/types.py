"""Tensor types of the imported IR: what a traced value is, as MLIR text."""

from __future__ import annotations

from dataclasses import dataclass
from typing import List, Optional, Sequence, Tuple

import numpy as np
import torch

__all__ = ["UnsupportedError", "TensorInfo", "format_float", "element_type",
           "shaped", "tensor_type", "storage_type", "int_list", "reassociation"]


class UnsupportedError(ValueError):
    """The model uses a module, function or tensor type qnn cannot import."""


#: Storage type of each PyTorch quantized dtype in `!quant.uniform`.
STORAGE = {torch.quint8: "u8", torch.qint8: "i8", torch.qint32: "i32"}

PER_TENSOR = (torch.per_tensor_affine, torch.per_tensor_symmetric)
PER_CHANNEL = (torch.per_channel_affine, torch.per_channel_symmetric)

#: Scales must be positive f32 values (the expressed type of `!quant.uniform`).
_F32_MIN_SCALE = float(np.finfo(np.float32).smallest_subnormal)
_F32_MAX = float(np.finfo(np.float32).max)


@dataclass(frozen=True)
class TensorInfo:
    """What the IR needs to know about a tensor value: its type."""

    shape: Tuple[int, ...]
    dtype: torch.dtype
    qscheme: Optional[torch.qscheme]  # None for a non-quantized tensor
    scales: Tuple[float, ...] = ()
    zero_points: Tuple[int, ...] = ()
    axis: Optional[int] = None  # quantization axis of a per-channel tensor

    @staticmethod
    def of(tensor: torch.Tensor) -> "TensorInfo":
        shape = tuple(tensor.shape)
        if not tensor.is_quantized:
            return TensorInfo(shape, tensor.dtype, None)
        qscheme = tensor.qscheme()
        if qscheme in PER_TENSOR:
            return TensorInfo(shape, tensor.dtype, qscheme,
                              (tensor.q_scale(),), (tensor.q_zero_point(),))
        if qscheme in PER_CHANNEL:
            return TensorInfo(
                shape, tensor.dtype, qscheme,
                tuple(tensor.q_per_channel_scales().tolist()),
                tuple(int(z) for z in tensor.q_per_channel_zero_points().tolist()),
                tensor.q_per_channel_axis())
        return TensorInfo(shape, tensor.dtype, qscheme)

    @property
    def is_quantized(self) -> bool:
        return self.qscheme is not None

    @property
    def per_tensor(self) -> bool:
        return self.is_quantized and self.axis is None

    def describe(self) -> str:
        """A short human-readable description for error messages."""
        if not self.is_quantized:
            return f"a {self.dtype} tensor"
        granularity = "per tensor" if self.axis is None else f"per channel (axis {self.axis})"
        return f"a {self.dtype} tensor quantized {granularity}"


def format_float(value: float) -> str:
    """`value` as an MLIR float literal that parses back to the same double.

    `repr` gives the shortest string that round-trips; MLIR additionally
    needs a '.' in the mantissa (`1e-05` would lex as an integer).
    """
    text = repr(float(value))
    if text in ("inf", "-inf", "nan"):
        raise UnsupportedError(f"{text} has no MLIR float literal here")
    mantissa, e, exponent = text.partition("e")
    if "." not in mantissa:
        mantissa += ".0"
    return mantissa + e + exponent


def element_type(info: TensorInfo, what: str) -> str:
    """The MLIR element type of `info`; `what` names the value in errors."""
    if not info.is_quantized:
        if info.dtype == torch.float32:
            return "f32"
        if info.dtype == torch.int64:
            return "i64"
        if info.dtype == torch.int32:
            return "i32"
        raise UnsupportedError(
            f"{what} is {info.describe()}; qnn supports float32, int64 and int32 "
            "(indices) and quantized (quint8, qint8, qint32) tensors")
    storage = STORAGE.get(info.dtype)
    if storage is None or info.qscheme not in PER_TENSOR + PER_CHANNEL:
        raise UnsupportedError(
            f"{what} is a {info.dtype} tensor with qscheme {info.qscheme}; qnn "
            "supports affine quint8/qint8/qint32 quantization per tensor or "
            "per channel")
    for scale in info.scales:
        if not _F32_MIN_SCALE <= scale <= _F32_MAX:
            raise UnsupportedError(f"{what} has scale {scale!r}; qnn's scales must be "
                                   "positive float32 values (the expressed type)")
    params = [f"{format_float(s)}:{z}" for s, z in zip(info.scales, info.zero_points)]
    if info.axis is None:
        return f"!quant.uniform<{storage}:f32, {params[0]}>"
    return f"!quant.uniform<{storage}:f32:{info.axis}, {{{', '.join(params)}}}>"


def shaped(shape: Sequence[int], element: str) -> str:
    """`tensor<AxBx...xelement>`."""
    return "tensor<" + "".join(f"{d}x" for d in shape) + element + ">"


def tensor_type(info: TensorInfo, what: str) -> str:
    return shaped(info.shape, element_type(info, what))


def storage_type(info: TensorInfo) -> str:
    """The integer tensor type holding the storage of quantized `info`."""
    return shaped(info.shape, "i" + STORAGE[info.dtype].lstrip("ui"))


def int_list(values: Sequence[int]) -> str:
    return "[" + ", ".join(str(int(v)) for v in values) + "]"


def reassociation(big: Sequence[int], small: Sequence[int]) -> Optional[List[List[int]]]:
    """Groups of consecutive dimensions of `big` whose products are the
    dimensions of `small` (the reassociation of a `tensor.collapse_shape` from
    `big` to `small`, or of a `tensor.expand_shape` from `small` to `big`).

    Returns None when the reshape is not a pure collapse/expand.
    """
    if not small:
        return [] if all(d == 1 for d in big) else None
    groups: List[List[int]] = []
    i = 0
    for size in small:
        if i == len(big):
            return None
        group, product = [i], big[i]
        i += 1
        while product < size and i < len(big):
            group.append(i)
            product *= big[i]
            i += 1
        if product != size:
            return None
        groups.append(group)
    # Trailing unit dimensions join the last group.
    for j in range(i, len(big)):
        if big[j] != 1:
            return None
        groups[-1].append(j)
    return groups
