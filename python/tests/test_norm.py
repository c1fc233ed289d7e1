"""Normalizations, bit-exact against torch on both engines.

nnq.BatchNorm2d/3d and nniq.BNReLU2d/3d become `qnn.batch_norm`; torch folds
the statistics into a multiplier and offset per channel and computes on the
codes (docs/numerics/norms.md). Cases: the seed's configurations (its
test_batch_norm2d/3d and the state_dict round trips of
test_batch_norm2d/3d_serialization), random shapes, channel counts across
ATen's vector and scalar channel loops, statistics, eps and qparams with
fixed seeds, quint8 and qint8. (torch refuses a quantized batch norm without
weight, "Weight must be provided", so there is no affine=False case.)
"""

from __future__ import annotations

from typing import Tuple

import numpy as np
import pytest
import torch
import torch.nn as nn
import torch.nn.intrinsic.quantized as nniq
import torch.nn.quantized as nnq

import qnn
from harness import check_bitexact, convert_and_reload, input_sets

_CLASSES = {(2, False): nnq.BatchNorm2d, (2, True): nniq.BNReLU2d,
            (3, False): nnq.BatchNorm3d, (3, True): nniq.BNReLU3d}


def _check(qnn_compile, model: nn.Module, x: torch.Tensor, engine: str) -> None:
    model.eval()
    check_bitexact(qnn_compile(model, x), model, input_sets(model, [x], engine), engine)


@pytest.mark.parametrize("dims", [2, 3])
def test_seed_batch_norm(dims, engine, qnn_compile):
    """The seed's test_batch_norm2d/3d: default statistics, scale 1 codes,
    and torch's result equals quantize(float batch norm) there."""
    shape = (2, 4, 6, 8) if dims == 2 else (2, 4, 6, 8, 10)
    x = torch.randn(shape)
    qx = torch.quantize_per_tensor(x, 1.0, 0, torch.quint8)
    model = nn.Sequential(_CLASSES[(dims, False)](4))
    _check(qnn_compile, model, qx, engine)


def _random_codes(rng: np.random.Generator, shape: Tuple[int, ...], lo: int,
                  hi: int) -> torch.Tensor:
    """Full-range codes of [lo, hi] with a random input quantization."""
    codes = torch.tensor(rng.integers(lo, hi + 1, size=shape),
                         dtype=torch.int8 if lo else torch.uint8)
    return torch._make_per_tensor_quantized_tensor(codes, float(rng.uniform(0.01, 0.1)),
                                                   int(rng.integers(lo, hi + 1)))


def _random_case(seed: int) -> Tuple[nn.Module, torch.Tensor]:
    rng = np.random.default_rng(seed)
    dims, relu = 2 + seed % 2, seed % 3 == 0
    channels = int(rng.choice([1, 3, 7, 8, 13, 31, 32, 33, 45, 64]))
    m = _CLASSES[(dims, relu)](channels, eps=float(rng.choice([1e-5, 1e-3, 0.1])))
    m.weight.data = torch.tensor(rng.normal(1, 0.5, channels), dtype=torch.float)
    m.bias.data = torch.tensor(rng.normal(0, 0.5, channels), dtype=torch.float)
    m.running_mean.data = torch.tensor(rng.normal(0, 1, channels), dtype=torch.float)
    m.running_var.data = torch.tensor(rng.uniform(0.1, 3, channels), dtype=torch.float)
    dtype = torch.qint8 if seed % 5 == 4 else torch.quint8
    lo, hi = (-128, 127) if dtype == torch.qint8 else (0, 255)
    m.scale = torch.tensor(float(rng.uniform(0.01, 0.1)))
    m.zero_point = torch.tensor(int(rng.integers(lo, hi + 1)))
    shape = (2, channels, 5, 4) if dims == 2 else (1, channels, 3, 4, 2)
    x = _random_codes(rng, shape, lo, hi)
    return nn.Sequential(m), x


@pytest.mark.parametrize("seed", range(20))
def test_random_batch_norm(seed, engine, qnn_compile):
    model, x = _random_case(seed)
    _check(qnn_compile, model, x, engine)


@pytest.mark.parametrize("dims", [2, 3])
def test_seed_batch_norm_serialization(dims, engine, qnn_compile):
    """The seed's test_batch_norm2d/3d_serialization: a second conversion
    given the first one's state_dict compiles to what the first computes."""
    shape = (2, 4, 6, 8) if dims == 2 else (2, 4, 6, 8, 1)
    data1, data2 = torch.randn(shape), torch.randn(shape)
    norm = nn.BatchNorm2d if dims == 2 else nn.BatchNorm3d

    def get_model() -> nn.Module:
        return nn.Sequential(torch.ao.quantization.QuantStub(), norm(4),
                             torch.ao.quantization.DeQuantStub()).eval()

    mq1, mq2 = convert_and_reload(get_model, data1)
    assert "batch_norm" in qnn.from_torch(mq2, data2)
    assert torch.equal(qnn_compile(mq2, data2)(data2), mq1(data2))


# ---------------------------------------------------------------------------
# LayerNorm
# ---------------------------------------------------------------------------


def test_seed_layer_norm(engine, qnn_compile):
    """The seed's test_layer_norm: (1, 4, 8) over the last two dimensions,
    input 10/256:0, output 5/256:127, random affine."""
    x = (torch.randn(1, 4, 8) - 0.5) * 10
    qx = torch.quantize_per_tensor(x, 10.0 / 256, 0, torch.quint8)
    weight, bias = torch.rand(4, 8), torch.rand(4, 8)
    model = nn.Sequential(nnq.LayerNorm([4, 8], nn.Parameter(weight), nn.Parameter(bias),
                                        5.0 / 256, 127))
    _check(qnn_compile, model, qx, engine)


def _random_layer_norm(seed: int) -> Tuple[nn.Module, torch.Tensor]:
    rng = np.random.default_rng(100 + seed)
    shape = [(1, 4, 8), (2, 3, 37), (4, 70), (2, 5, 6), (3, 2, 64), (2, 3, 5, 7)][seed % 6]
    rank = 1 + seed % 2 if len(shape) > 2 else 1
    normalized = shape[-rank:]
    dtype = torch.quint8 if seed % 4 else torch.qint8
    lo, hi = (0, 255) if dtype == torch.quint8 else (-128, 127)
    weight = nn.Parameter(torch.tensor(rng.uniform(0.2, 2, normalized), dtype=torch.float))
    bias = nn.Parameter(torch.tensor(rng.normal(0, 1, normalized), dtype=torch.float))
    affine = seed % 5 != 3
    m = nnq.LayerNorm(list(normalized), weight if affine else None, bias if affine else None,
                      float(rng.uniform(0.005, 0.05)), int(rng.integers(lo, hi + 1)),
                      eps=float(rng.choice([1e-5, 1e-3])), elementwise_affine=affine)
    x = _random_codes(rng, shape, lo, hi)
    return nn.Sequential(m), x


@pytest.mark.parametrize("seed", range(18))
def test_random_layer_norm(seed, engine, qnn_compile):
    model, x = _random_layer_norm(seed)
    _check(qnn_compile, model, x, engine)


# ---------------------------------------------------------------------------
# GroupNorm and InstanceNorm (qnn.group_norm)
# ---------------------------------------------------------------------------


def test_seed_group_norm(engine, qnn_compile):
    """The seed's test_group_norm, including its module built with
    num_channels=2 for a 4-channel input: torch's kernel takes the channel
    count from the input, and so does the importer."""
    x = (torch.randn(1, 4, 8) - 0.5) * 10
    qx = torch.quantize_per_tensor(x, 10.0 / 256, 0, torch.quint8)
    weight, bias = nn.Parameter(torch.rand(4)), nn.Parameter(torch.rand(4))
    model = nn.Sequential(nnq.GroupNorm(2, 2, weight, bias, 5.0 / 256, 127))
    _check(qnn_compile, model, qx, engine)


@pytest.mark.parametrize("dims", [1, 2, 3])
def test_seed_instance_norm(dims, engine, qnn_compile):
    """The seed's test_instance_norm: (1, 4, 8) with trailing unit dims."""
    shape = (1, 4, 8) + (1,) * (dims - 1)
    x = (torch.randn(shape) - 0.5) * 10
    qx = torch.quantize_per_tensor(x, 10.0 / 256, 0, torch.quint8)
    cls = {1: nnq.InstanceNorm1d, 2: nnq.InstanceNorm2d, 3: nnq.InstanceNorm3d}[dims]
    model = nn.Sequential(cls(4, nn.Parameter(torch.rand(4)), nn.Parameter(torch.rand(4)),
                              5.0 / 256, 127))
    _check(qnn_compile, model, qx, engine)


def _random_group_norm(seed: int) -> Tuple[nn.Module, torch.Tensor]:
    rng = np.random.default_rng(300 + seed)
    shape = [(2, 6, 5, 4), (1, 8, 37), (3, 4, 2, 3, 5), (2, 12, 8, 8), (1, 6, 70)][seed % 5]
    channels = shape[1]
    dtype = torch.quint8 if seed % 4 else torch.qint8
    lo, hi = (0, 255) if dtype == torch.quint8 else (-128, 127)
    weight = nn.Parameter(torch.tensor(rng.uniform(0.2, 2, channels), dtype=torch.float))
    bias = nn.Parameter(torch.tensor(rng.normal(0, 1, channels), dtype=torch.float))
    scale, zero_point = float(rng.uniform(0.005, 0.05)), int(rng.integers(lo, hi + 1))
    eps = float(rng.choice([1e-5, 1e-3]))
    if seed % 2:
        groups = [g for g in (1, 2, 3, 4, 6) if channels % g == 0][seed % 3]
        m = nnq.GroupNorm(groups, channels, weight, bias, scale, zero_point, eps=eps)
    else:
        cls = {3: nnq.InstanceNorm1d, 4: nnq.InstanceNorm2d, 5: nnq.InstanceNorm3d}[len(shape)]
        m = cls(channels, weight, bias, scale, zero_point, eps=eps)
    x = _random_codes(rng, shape, lo, hi)
    return nn.Sequential(m), x


@pytest.mark.parametrize("seed", range(16))
def test_random_group_norm(seed, engine, qnn_compile):
    model, x = _random_group_norm(seed)
    _check(qnn_compile, model, x, engine)
