"""Whole models: torchvision's quantizable architectures and FX graph mode.

Every architecture in `torchvision.models.quantization` is built with
random weights (no downloads), fused, calibrated on two random batches and
converted in eager mode; resnet18 and mobilenet_v2 also through
`prepare_fx`/`convert_fx`. The compiled model must equal torch's output bit
for bit, on both engines, at small input sizes (the smallest each
architecture takes; docs/research/fx-and-torchvision.md). The two resnext101
variants are slow and run only with QNN_SLOW_TESTS=1.
"""

from __future__ import annotations

import os
from typing import Tuple

import pytest
import torch
import torchvision
import torchvision.models.quantization as tvq
from torch.ao.quantization import get_default_qconfig, get_default_qconfig_mapping
from torch.ao.quantization import convert, prepare
from torch.ao.quantization.quantize_fx import convert_fx, prepare_fx

import qnn

#: name -> input size (googlenet needs 16, inception_v3 75; shufflenet's
#: x.mean([2, 3]) fails in torch's onednn below 40).
EAGER = {
    "resnet18": 32, "resnet50": 32, "mobilenet_v2": 32, "mobilenet_v3_large": 32,
    "googlenet": 32, "inception_v3": 80, "shufflenet_v2_x0_5": 64,
}
SLOW = {"resnext101_32x8d": 32, "resnext101_64x4d": 32}
FX = {"resnet18": 32, "mobilenet_v2": 32}


def _build_eager(name: str, engine: str, size: int) -> torch.nn.Module:
    kwargs = dict(weights=None, quantize=False)
    if name in ("googlenet", "inception_v3"):
        kwargs.update(aux_logits=False, init_weights=True)
    torch.manual_seed(0)
    model = getattr(tvq, name)(**kwargs).eval()
    model.fuse_model()
    model.qconfig = get_default_qconfig(engine)
    prepare(model, inplace=True)
    for _ in range(2):
        model(torch.randn(1, 3, size, size))
    return convert(model, inplace=True)


def _build_fx(name: str, engine: str, size: int) -> torch.nn.Module:
    torch.manual_seed(0)
    model = getattr(torchvision.models, name)(weights=None).eval()
    example = (torch.randn(1, 3, size, size),)
    prepared = prepare_fx(model, get_default_qconfig_mapping(engine), example)
    for _ in range(2):
        prepared(torch.randn(1, 3, size, size))
    return convert_fx(prepared)


def _inputs(size: int) -> Tuple[torch.Tensor, ...]:
    g = torch.Generator().manual_seed(size)
    return tuple(torch.randn(1, 3, size, size, generator=g) * scale for scale in (1.0, 3.0))


def _check(model: torch.nn.Module, size: int, qnn_compile) -> None:
    inputs = _inputs(size)
    compiled = qnn_compile(model, inputs[0])
    for n, x in enumerate(inputs):
        with torch.no_grad():
            expected = model(x)
        actual = compiled(x)
        differ = (actual != expected).sum().item()
        assert torch.equal(actual, expected), (
            f"input {n}: {differ} of {expected.numel()} outputs differ, "
            f"max {(actual - expected).abs().max().item()}")


def _skip_torch_refusal(name: str, engine: str) -> None:
    if name.startswith("shufflenet") and engine == "onednn":
        pytest.skip("shufflenet's x.mean([2, 3]) of a channels-last quantized tensor: "
                    "torch's onednn path sums in float32 with a cascade qnn does not "
                    "reproduce (qnn refuses it)")


@pytest.mark.parametrize("name", EAGER)
def test_torchvision_eager(name, engine, qnn_compile):
    _skip_torch_refusal(name, engine)
    size = EAGER[name]
    _check(_build_eager(name, engine, size), size, qnn_compile)


@pytest.mark.skipif(not os.environ.get("QNN_SLOW_TESTS"), reason="set QNN_SLOW_TESTS=1")
@pytest.mark.parametrize("name", SLOW)
def test_torchvision_eager_slow(name, engine, qnn_compile):
    size = SLOW[name]
    _check(_build_eager(name, engine, size), size, qnn_compile)


@pytest.mark.parametrize("name", FX)
def test_torchvision_fx(name, engine, qnn_compile):
    size = FX[name]
    _check(_build_fx(name, engine, size), size, qnn_compile)


def test_shufflenet_refusal_names_the_op(engine):
    """Where qnn cannot reproduce torch, the error names the op and place."""
    if engine != "onednn":
        pytest.skip("qnnpack takes its global average pooling")
    model = _build_eager("shufflenet_v2_x0_5", engine, 64)
    with pytest.raises(qnn.UnsupportedError, match="method Tensor.mean at 'mean'.*cascade"):
        qnn.from_torch(model, torch.randn(1, 3, 64, 64))
