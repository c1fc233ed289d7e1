"""Shapes that vary per call: a model compiled from torch for its example
inputs is compiled again, once, for each other input shape it is called with
(another batch size, another sequence length), bit-exact like the first.
Other dtypes, a wrong feature size and a loaded model (no torch model to
import again) are clear errors."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn as nn

import qnn
from harness import assert_same


def _static_cnn(engine: str) -> nn.Module:
    torch.manual_seed(0)
    model = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.ReLU(), nn.Flatten(),
                          nn.Linear(8 * 6 * 6, 10))
    wrapped = torch.ao.quantization.QuantWrapper(model).eval()
    wrapped.qconfig = torch.ao.quantization.get_default_qconfig(engine)
    prepared = torch.ao.quantization.prepare(wrapped)
    prepared(torch.randn(16, 3, 6, 6))
    return torch.ao.quantization.convert(prepared)


def test_static_batch_sizes(engine, qnn_compile):
    model = _static_cnn(engine)
    compiled = qnn_compile(model, torch.randn(1, 3, 6, 6))
    for batch in (3, 1, 3, 5):
        x = torch.randn(batch, 3, 6, 6)
        assert_same(compiled(x), model(x), f"{engine}, batch {batch}")
    assert compiled.variants == 2  # batch 3 and 5, each compiled once


def test_dynamic_lstm_sequence_lengths(engine, qnn_compile):
    torch.manual_seed(1)
    lstm = torch.ao.quantization.quantize_dynamic(
        nn.Sequential(nn.LSTM(6, 12, num_layers=2)).eval(), {nn.LSTM}, dtype=torch.qint8)

    class Model(nn.Module):
        def __init__(self):
            super().__init__()
            self.lstm = lstm[0]

        def forward(self, x):
            out, (h, c) = self.lstm(x)
            return out, h, c

    model = Model()
    rng = np.random.default_rng(0)
    compiled = qnn_compile(model, torch.from_numpy(rng.standard_normal((5, 2, 6)).astype(
        np.float32)))
    for steps, batch in ((7, 2), (5, 3), (1, 1), (7, 2)):
        x = torch.from_numpy(rng.standard_normal((steps, batch, 6)).astype(np.float32))
        assert_same(compiled(x), model(x), f"{engine}, T={steps} B={batch}")
    assert compiled.variants == 3


def test_wrong_inputs_are_errors(engine, qnn_compile):
    model = _static_cnn(engine)
    compiled = qnn_compile(model, torch.randn(1, 3, 6, 6))
    with pytest.raises(ValueError, match="cannot run on inputs of shapes"):
        compiled(torch.randn(1, 4, 6, 6))  # 4 channels: the conv takes 3
    with pytest.raises(ValueError, match="must be torch.float32"):
        compiled(torch.randn(2, 3, 6, 6, dtype=torch.float64))
    with pytest.raises(TypeError, match="takes 1 inputs"):
        compiled(torch.randn(1, 3, 6, 6), torch.randn(1))
    assert compiled.variants == 0


def test_loaded_model_keeps_its_shape(engine, qnn_compile, tmp_path):
    model = _static_cnn(engine)
    compiled = qnn_compile(model, torch.randn(2, 3, 6, 6))
    compiled.save(tmp_path / "model.qnn")
    loaded = qnn.load(tmp_path / "model.qnn")
    x = torch.randn(2, 3, 6, 6)
    assert_same(loaded(x), model(x), "loaded, its shape")
    with pytest.raises(ValueError, match="the model was compiled for"):
        loaded(torch.randn(3, 3, 6, 6))
