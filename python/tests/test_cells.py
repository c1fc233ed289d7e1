"""Dynamically quantized recurrent cells (nnqd.LSTMCell, GRUCell, RNNCell
with tanh and relu), bit-exact against torch on both engines.

A cell is two dynamic Linears (its input and its hidden state, each with its
packed bias) and ATen's float gate arithmetic; sigmoid and tanh round as
ATen's kernels do (SLEEF's vector bodies, glibc's scalar loop on the last
elements of each row of a gate's strided view: hidden sizes that are not
multiples of 16 exercise it), the rest is exact f32 arithmetic in torch's
order (docs/numerics/dynamic.md).
"""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn as nn
import torch.nn.quantized.dynamic as nnqd

from harness import assert_same


class _LSTMCell(nn.Module):
    def __init__(self, cell: nn.Module, with_state: bool) -> None:
        super().__init__()
        self.cell, self.with_state = cell, with_state

    def forward(self, x, h, c):
        hy, cy = self.cell(x, (h, c)) if self.with_state else self.cell(x)
        return hy, cy


class _Cell(nn.Module):
    def __init__(self, cell: nn.Module, with_state: bool) -> None:
        super().__init__()
        self.cell, self.with_state = cell, with_state

    def forward(self, x, h):
        return self.cell(x, h) if self.with_state else self.cell(x)


def _cell(kind: str, input_size: int, hidden: int, bias: bool, seed: int) -> nn.Module:
    torch.manual_seed(seed)
    float_cell = {"lstm": nn.LSTMCell, "gru": nn.GRUCell, "rnn_tanh": nn.RNNCell,
                  "rnn_relu": nn.RNNCell}[kind]
    extra = {"nonlinearity": "relu"} if kind == "rnn_relu" else {}
    model = nn.Sequential(float_cell(input_size, hidden, bias=bias, **extra)).eval()
    quantized = torch.ao.quantization.quantize_dynamic(
        model, {nn.LSTMCell, nn.GRUCell, nn.RNNCell}, dtype=torch.qint8)
    assert isinstance(quantized[0], (nnqd.LSTMCell, nnqd.GRUCell, nnqd.RNNCell))
    return quantized[0]


def _inputs(batch: int, input_size: int, hidden: int, seed: int, scale: float = 1.0):
    rng = np.random.default_rng(seed)
    def t(*shape):
        return torch.from_numpy((rng.standard_normal(shape) * scale).astype(np.float32))
    return t(batch, input_size), t(batch, hidden), t(batch, hidden)


#: (batch, input size, hidden size): the seed's test_cell_api sizes, hidden
#: sizes with and without a scalar tail.
_SHAPES = [(2, 5, 7), (3, 10, 20), (1, 16, 32), (4, 33, 17), (8, 64, 48)]


@pytest.mark.parametrize("shape", _SHAPES, ids=lambda s: "x".join(map(str, s)))
@pytest.mark.parametrize("kind", ["lstm", "gru", "rnn_tanh", "rnn_relu"])
def test_cell(kind, shape, engine, qnn_compile):
    batch, input_size, hidden = shape
    cell = _cell(kind, input_size, hidden, bias=True, seed=batch + hidden)
    model = _LSTMCell(cell, True) if kind == "lstm" else _Cell(cell, True)
    x, h, c = _inputs(batch, input_size, hidden, seed=hidden)
    inputs = (x, h, c) if kind == "lstm" else (x, h)
    compiled = qnn_compile(model, *inputs)
    for n, scale in enumerate((1.0, 4.0, 0.01)):
        x, h, c = _inputs(batch, input_size, hidden, seed=100 + n, scale=scale)
        inputs = (x, h, c) if kind == "lstm" else (x, h)
        assert_same(compiled(*inputs), model(*inputs), f"{kind} {engine} scale {scale}")


@pytest.mark.parametrize("kind", ["lstm", "gru", "rnn_tanh"])
def test_cell_zero_state_no_bias(kind, engine, qnn_compile):
    """No state given (zeros, whose parameters are the degenerate 0.1 / 0
    choice) and no biases."""
    # quantize_dynamic asserts a bias; the modules take bias=False.
    torch.manual_seed(3)
    cls = {"lstm": nnqd.LSTMCell, "gru": nnqd.GRUCell, "rnn_tanh": nnqd.RNNCell}[kind]
    cell = cls(6, 9, bias=False)
    model = _LSTMCell(cell, False) if kind == "lstm" else _Cell(cell, False)
    x, h, c = _inputs(3, 6, 9, seed=4)
    inputs = (x, h, c) if kind == "lstm" else (x, h)
    assert_same(qnn_compile(model, *inputs)(*inputs), model(*inputs), f"{kind} {engine}")


@pytest.mark.parametrize("kind", ["lstm", "gru"])
def test_cell_split_over_threads(kind, engine, qnn_compile):
    """Gates of 37 x 900 = 33300 elements: with 2 threads ATen splits its
    sigmoid loop into two chunks of 16650, the cut inside row 18, so that
    row has two scalar tails (aten_loops.scalar_ranges)."""
    previous = torch.get_num_threads()
    torch.set_num_threads(2)
    try:
        cell = _cell(kind, 12, 900, bias=True, seed=37)
        model = _LSTMCell(cell, True) if kind == "lstm" else _Cell(cell, True)
        x, h, c = _inputs(37, 12, 900, seed=5)
        inputs = (x, h, c) if kind == "lstm" else (x, h)
        assert_same(qnn_compile(model, *inputs)(*inputs), model(*inputs),
                    f"{kind} {engine}, 2 threads")
    finally:
        torch.set_num_threads(previous)
