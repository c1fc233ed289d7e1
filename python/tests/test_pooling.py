"""Bit-exact tests of pooling against PyTorch: max pooling (1-d, 2-d),
avg_pool2d, adaptive_avg_pool2d and torch.mean, as modules and functions,
quint8 and qint8, contiguous and channels-last inputs (torch's kernels round
averages differently on each; docs/numerics/pooling.md), on the seed's
test_pool_api configuration and on randomized geometries (fixed seeds).

Not compared, because torch itself is wrong there (qnn computes the
correct result):
- QNNPACK's max pooling with dilation > 1 and padding (its indirection
  buffer clamps out-of-bounds taps to the border);
- any ATen channels-last kernel on an (N, C, 1, 1) input with a larger
  output (torch writes the NHWC result into NCHW strides);
- max_pool1d of a non-contiguous view (the flatten of a channels-last
  tensor): torch's result is not even the identity for kernel 1.
torch.mean of a channels-last tensor or over non-trailing dims (a float32
cascade sum) is refused by qnn with a message, which is tested.
"""

from __future__ import annotations

import random
from typing import Any, Callable, Dict, List

import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F

import qnn
from harness import compile_and_check


class Fn(nn.Module):
    def __init__(self, function: Callable[[torch.Tensor], torch.Tensor]) -> None:
        super().__init__()
        self.function = function

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.function(x)


def _input(shape, dtype, scale, zero_point, channels_last, seed) -> torch.Tensor:
    g = torch.Generator().manual_seed(seed)
    low, high = (0, 255) if dtype == torch.quint8 else (-128, 127)
    codes = torch.randint(low, high + 1, shape, generator=g)
    storage = torch.uint8 if dtype == torch.quint8 else torch.int8
    x = torch._make_per_tensor_quantized_tensor(codes.to(storage), scale, zero_point)
    if channels_last:
        x = x.contiguous(memory_format=torch.channels_last)
    return x


def _torch_result(model: nn.Module, x: torch.Tensor) -> torch.Tensor:
    try:
        return model(x)
    except (RuntimeError, NotImplementedError) as refusal:
        pytest.skip(f"torch refuses: {str(refusal).splitlines()[0]}")


def test_seed_pool_api(engine, qnn_compile):
    """test_pool_api: MaxPool2d(kernel_size=2) of a 10x10x10x3 quint8."""
    g = torch.Generator().manual_seed(0)
    x = torch.quantize_per_tensor(torch.randn(10, 10, 10, 3, generator=g), 1.0 / 255, 128,
                                  torch.quint8)
    model = torch.ao.nn.quantized.MaxPool2d(kernel_size=2, stride=None, padding=0, dilation=1)
    compile_and_check(qnn_compile, model, [x], engine)


def _random_case(seed: int) -> Dict[str, Any]:
    rng = random.Random(seed)
    kind = ["max2d", "max1d", "avg", "adaptive", "mean"][seed % 5]
    k = rng.randint(1, 3)
    return dict(
        kind=kind, dtype=rng.choice([torch.quint8, torch.qint8]),
        shape=(rng.randint(1, 2), rng.choice([1, 3, 8, 9, 16, 17]), rng.randint(2, 9),
               rng.randint(2, 9)),
        # max_pool1d of a flattened channels-last tensor (a strided view):
        # torch's kernel reads it wrong (kernel 1 is not the identity).
        channels_last=rng.random() < 0.5 and kind != "max1d", k=k, s=rng.randint(1, 3), p=rng.randint(0, k // 2),
        d=rng.choice([1, 1, 2]), ceil=rng.random() < 0.3, cip=rng.random() < 0.5,
        div=rng.choice([None, None, 3]), out=(rng.randint(1, 5), rng.randint(1, 5)),
        zp_fraction=rng.random(), mean_dims=rng.choice([(2, 3), (3,), (1, 2, 3)]),
        keepdim=rng.random() < 0.5, module=rng.random() < 0.5)


def _model(c: Dict[str, Any]) -> nn.Module:
    k, s, p, d = c["k"], c["s"], c["p"], c["d"]
    if c["kind"] == "max2d":
        if c["module"]:
            return nn.MaxPool2d(k, s, p, d, ceil_mode=c["ceil"])
        return Fn(lambda x: F.max_pool2d(x, k, s, p, d, c["ceil"]))
    if c["kind"] == "max1d":
        if c["module"]:
            return nn.Sequential(nn.Flatten(2), nn.MaxPool1d(k, s, p, d, ceil_mode=c["ceil"]))
        return Fn(lambda x: F.max_pool1d(x.flatten(2), k, s, p, d, c["ceil"]))
    if c["kind"] == "avg":
        if c["module"]:
            return nn.AvgPool2d(k, s, p, c["ceil"], c["cip"], c["div"])
        return Fn(lambda x: F.avg_pool2d(x, k, s, p, c["ceil"], c["cip"], c["div"]))
    if c["kind"] == "adaptive":
        if c["module"]:
            return nn.AdaptiveAvgPool2d(c["out"])
        return Fn(lambda x: F.adaptive_avg_pool2d(x, c["out"]))
    dims, keepdim = c["mean_dims"], c["keepdim"]
    if c["module"]:
        return Fn(lambda x: x.mean(list(dims), keepdim))
    return Fn(lambda x: torch.mean(x, dims, keepdim=keepdim))


def _torch_is_wrong(c: Dict[str, Any], engine: str, x: torch.Tensor,
                    expected: torch.Tensor) -> str:
    spatial_in = x.shape[2] * x.shape[3]
    if c["kind"].startswith("max") and engine == "qnnpack" and c["d"] > 1 and c["p"] > 0:
        return "QNNPACK's max pooling clamps out-of-bounds dilated taps"
    if spatial_in == 1 and expected.dim() == 4 and expected.shape[2] * expected.shape[3] > 1:
        return "torch's channels-last kernels permute the output of an (N, C, 1, 1) input"
    return ""


CASES = list(range(60))


@pytest.mark.parametrize("seed", CASES)
def test_random(seed, engine, qnn_compile):
    c = _random_case(seed)
    low, high = (0, 255) if c["dtype"] == torch.quint8 else (-128, 127)
    zero_point = low + int(c["zp_fraction"] * (high - low))
    x = _input(c["shape"], c["dtype"], 0.05, zero_point, c["channels_last"], seed)
    model = _model(c)
    expected = _torch_result(model, x)
    if expected.numel() == 0:
        pytest.skip("torch returns an empty tensor")
    reason = _torch_is_wrong(c, engine, x, expected)
    if reason:
        pytest.skip(f"torch is wrong here: {reason}")
    if c["kind"] == "mean":
        rank = 4
        dims = sorted(d % rank for d in c["mean_dims"])
        qnnpack_global = (engine == "qnnpack" and c["dtype"] == torch.quint8
                          and list(c["mean_dims"]) == [2, 3])
        trailing_contiguous = x.is_contiguous() and dims == list(range(rank - len(dims), rank))
        if not (qnnpack_global or trailing_contiguous):
            with pytest.raises(qnn.UnsupportedError, match="float32 with a cascade"):
                qnn_compile(model, x)
            return
    compile_and_check(qnn_compile, model, [x], engine)


def test_cases_cover_every_path():
    """The random cases reach each kind, both layouts and both dtypes."""
    cases: List[Dict[str, Any]] = [_random_case(s) for s in CASES]
    for kind in ["max2d", "max1d", "avg", "adaptive", "mean"]:
        chosen = [c for c in cases if c["kind"] == kind]
        if kind != "max1d":
            assert {c["channels_last"] for c in chosen} == {True, False}, kind
        assert {c["dtype"] for c in chosen} == {torch.quint8, torch.qint8}, kind


UPSAMPLES = {
    "scale2": lambda x: F.interpolate(x, scale_factor=2, mode="nearest"),
    "scale1.7x1.1": lambda x: F.interpolate(x, scale_factor=(1.7, 1.1), mode="nearest"),
    "size": lambda x: F.interpolate(x, size=(5, 7), mode="nearest"),
    "exact": lambda x: F.interpolate(x, size=(7, 5), mode="nearest-exact"),
    "recompute": lambda x: F.interpolate(x, scale_factor=1.5, recompute_scale_factor=True),
    "nn.Upsample": nn.Upsample(scale_factor=3),
    "nn.UpsamplingNearest2d": nn.UpsamplingNearest2d(size=(6, 9)),
}


@pytest.mark.parametrize("channels_last", [False, True], ids=["nchw", "nhwc"])
@pytest.mark.parametrize("dtype", [torch.quint8, torch.qint8], ids=["quint8", "qint8"])
@pytest.mark.parametrize("name", UPSAMPLES)
def test_upsample_nearest(name, dtype, channels_last, engine, qnn_compile):
    """Upsampling copies codes from torch's float source indices (the
    quantized kernel has no per-dimension shortcut: 1.1 maps 4 columns to
    0, 0, 1, 2, where the float kernel keeps them)."""
    function = UPSAMPLES[name]
    model = function if isinstance(function, nn.Module) else Fn(function)
    x = _input((2, 3, 4, 4), dtype, 0.05, 3, channels_last, 7)
    _torch_result(model, x)
    compile_and_check(qnn_compile, model, [x], engine)
