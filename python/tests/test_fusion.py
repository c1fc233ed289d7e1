"""Fused forms keep the numerics of the chains they replace.

Modules newer than torch 1.13 (LinearLeakyReLU, LinearTanh, ConvAdd2d,
ConvAddReLU2d) reach qnn as 1.13 chains: a quantized Linear followed by an
activation, a quantized conv followed by a quantized add (and relu). The
importer emits the chain op by op; `--qnn-fuse` turns it into one op (a
linear or conv with a post-op, a conv with an added input) whose lowering
requantizes to the chain's intermediate type first. Each case here checks,
on both engines, that the fused IR is really fused (no separate activation
or add left) and that the chain as imported and the fused form both equal
torch's chain on the harness's input sets.
"""

from __future__ import annotations

import re
from typing import Callable, Dict, Tuple

import pytest
import torch
import torch.nn as nn
import torch.nn.quantized as nnq

import qnn
from harness import check_bitexact, input_sets
from qnn.runtime import _run, tool

_Q = torch.ops.quantized


def _linear(in_features: int, out_features: int, seed: int, scale: float,
            zero_point: int) -> nnq.Linear:
    g = torch.Generator().manual_seed(seed)
    m = nnq.Linear(in_features, out_features)
    w = torch.quantize_per_tensor(torch.randn(out_features, in_features, generator=g) * 0.3,
                                  0.01, 0, torch.qint8)
    m.set_weight_bias(w, torch.randn(out_features, generator=g))
    m.scale, m.zero_point = scale, zero_point
    return m


def _conv(in_channels: int, out_channels: int, seed: int, scale: float,
          zero_point: int) -> nnq.Conv2d:
    g = torch.Generator().manual_seed(seed)
    m = nnq.Conv2d(in_channels, out_channels, 3, padding=1)
    w = torch.quantize_per_tensor(
        torch.randn(out_channels, in_channels, 3, 3, generator=g) * 0.2, 0.01, 0, torch.qint8)
    m.set_weight_bias(w, torch.randn(out_channels, generator=g))
    m.scale, m.zero_point = scale, zero_point
    return m


class LinearThen(nn.Module):
    """LinearLeakyReLU / LinearTanh as torch 1.13 spells them."""

    def __init__(self, activation: Callable[[torch.Tensor], torch.Tensor],
                 module: nn.Module = None, out_features: int = 64) -> None:
        super().__init__()
        self.quant = nnq.Quantize(0.05, 64, torch.quint8)
        self.linear = _linear(24, out_features, 1, 0.2, 70)
        self.act = module
        self.function = activation
        self.dequant = nnq.DeQuantize()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = self.linear(self.quant(x))
        y = self.act(y) if self.act is not None else self.function(y)
        return self.dequant(y)


class ConvAdd(nn.Module):
    """ConvAdd2d / ConvAddReLU2d: conv, then the quantized add of the conv's
    result and another input, with the add's own output quantization. The
    other input is another conv's result (a residual block's shortcut),
    channels-last like the first, or (`mixed`) a quantized float input in
    NCHW."""

    def __init__(self, relu: bool, conv_left: bool, mixed: bool = False) -> None:
        super().__init__()
        self.quant_x = nnq.Quantize(0.05, 64, torch.quint8)
        self.quant_y = nnq.Quantize(0.04, 100, torch.quint8)
        self.conv = _conv(3, 8, 2, 0.3, 60)
        self.shortcut = None if mixed else _conv(3, 8, 3, 0.2, 90)
        self.add = _Q.add_relu if relu else _Q.add
        self.conv_left = conv_left
        self.dequant = nnq.DeQuantize()

    def forward(self, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        c = self.conv(self.quant_x(x))
        y = self.quant_y(y)
        if self.shortcut is not None:
            y = self.shortcut(y)
        s = self.add(c, y, 0.25, 50) if self.conv_left else self.add(y, c, 0.25, 50)
        return self.dequant(s)


#: name -> (build, the fused op's signature in the --qnn-fuse'd IR, whether
#: torch computes the activation or add with ATen's scalar lambda on an
#: engine: there the chain must stay unfused). The Linear cases have 64 outputs per
#: row, so ATen computes every activation with its vector body; with 10
#: (`-scalar-tail`) it computes them all with its scalar loop, which a fused
#: post-op does not have: the chain stays as it is. Likewise the adds of two
#: channels-last convs (256 elements) take ATen's vector lambda throughout,
#: while a channels-last conv plus an NCHW input (`-mixed-layouts`) takes
#: the scalar one, which the conv's fused add does not have.
def _never(engine: str) -> bool:
    return False


def _always(engine: str) -> bool:
    return True


def _aten_add(engine: str) -> bool:
    """Same-shape quint8 adds are QNNPACK's under qnnpack."""
    return engine == "onednn"


CASES: Dict[str, Tuple[Callable[[], Tuple[nn.Module, Tuple[torch.Tensor, ...]]],
                        str, Callable[[str], bool]]] = {
    "LinearLeakyReLU-module": (
        lambda: (LinearThen(None, nnq.LeakyReLU(0.1, 40, 0.05)), (torch.randn(4, 24),)),
        r"qnn\.linear .* post_op = leaky_relu\(negative_slope = 5\.0+e-02\)", _never),
    "LinearLeakyReLU-function": (
        lambda: (LinearThen(lambda y: torch.nn.functional.leaky_relu(y, 0.2)),
                 (torch.randn(4, 24),)),
        r"qnn\.linear .* post_op = leaky_relu\(negative_slope = 2\.0+e-01\)", _never),
    "LinearLeakyReLU-scalar-tail": (
        lambda: (LinearThen(None, nnq.LeakyReLU(0.1, 40, 0.05), out_features=10),
                 (torch.randn(4, 24),)),
        r"qnn\.linear .* post_op = leaky_relu", _always),
    "LinearTanh": (
        lambda: (LinearThen(torch.tanh), (torch.randn(4, 24),)),
        r"qnn\.linear .* post_op = tanh", _never),
    "LinearHardswish": (
        lambda: (LinearThen(None, nnq.Hardswish(0.1, 30)), (torch.randn(4, 24),)),
        r"qnn\.linear .* post_op = hardswish", _never),
    "ConvAdd2d": (
        lambda: (ConvAdd(False, True), (torch.randn(2, 3, 4, 4), torch.randn(2, 3, 4, 4))),
        r"qnn\.conv .* add\(", _never),
    "ConvAddReLU2d": (
        lambda: (ConvAdd(True, True), (torch.randn(2, 3, 4, 4), torch.randn(2, 3, 4, 4))),
        r"qnn\.conv .* add\(.* post_op = relu", _never),
    "ConvAdd2d-conv-right": (
        lambda: (ConvAdd(False, False), (torch.randn(2, 3, 4, 4), torch.randn(2, 3, 4, 4))),
        r"qnn\.conv .* add\(", _never),
    "ConvAdd2d-mixed-layouts": (
        lambda: (ConvAdd(False, True, mixed=True),
                 (torch.randn(2, 3, 4, 4), torch.randn(2, 8, 4, 4))),
        r"qnn\.conv .* add\(", _aten_add),
}


def _fuse(ir: str) -> str:
    return _run([tool("qnn-opt"), "-", "--qnn-fuse"], stdin=ir)


@pytest.mark.parametrize("case", CASES)
def test_fused_equals_chain(case, engine, qnn_compile):
    build, fused_op, scalar_lambda = CASES[case]
    model, inputs = build()
    model.eval()
    ir = qnn.from_torch(model, *inputs)
    # Imported op by op: the activation (or add) is its own op.
    assert re.search(r"qnn\.(activation|add) ", ir), ir
    fused = _fuse(ir)
    assert ("scalar_ranges" in ir) == scalar_lambda(engine), ir
    if scalar_lambda(engine):
        assert re.search(r"qnn\.(activation|add) ", fused), fused
    else:
        assert re.search(fused_op, fused), fused
        assert not re.search(r"qnn\.(activation|add) ", fused), fused
    sets = input_sets(model, inputs, engine)
    for text in (ir, fused):
        check_bitexact(qnn_compile.mlir(text), model, sets, engine)
