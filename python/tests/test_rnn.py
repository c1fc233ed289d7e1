"""Dynamically quantized LSTM and GRU (nnqd.LSTM, nnqd.GRU), bit-exact
against torch on both engines: layers, directions, batch_first, initial
states given or zero, outputs and final states.

Each layer and direction is ATen's _lstm_impl / _gru_impl: linear_ih over
the whole sequence (one choice of input parameters), then an scf.for over
the steps whose body is the cell (test_cells.py) with that step's part of
it, linear_hh choosing its parameters from each step's h
(docs/numerics/dynamic.md).
"""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn as nn

from harness import assert_same


class _LSTM(nn.Module):
    def __init__(self, lstm: nn.Module, with_state: bool) -> None:
        super().__init__()
        self.lstm, self.with_state = lstm, with_state

    def forward(self, x, h0, c0):
        out, (h, c) = self.lstm(x, (h0, c0)) if self.with_state else self.lstm(x)
        return out, h, c


class _GRU(nn.Module):
    def __init__(self, gru: nn.Module, with_state: bool) -> None:
        super().__init__()
        self.gru, self.with_state = gru, with_state

    def forward(self, x, h0):
        out, h = self.gru(x, h0) if self.with_state else self.gru(x)
        return out, h


def _quantized(kind: str, input_size: int, hidden: int, layers: int, bidirectional: bool,
               batch_first: bool, seed: int) -> nn.Module:
    torch.manual_seed(seed)
    cls = nn.LSTM if kind == "lstm" else nn.GRU
    model = nn.Sequential(cls(input_size, hidden, num_layers=layers,
                              bidirectional=bidirectional, batch_first=batch_first)).eval()
    return torch.ao.quantization.quantize_dynamic(model, {cls}, dtype=torch.qint8)[0]


def _tensor(rng, *shape, scale=1.0):
    return torch.from_numpy((rng.standard_normal(shape) * scale).astype(np.float32))


#: (layers, bidirectional, batch_first, initial state given), as the seed's
#: test_lstm_api / test_gru_api vary them.
_CONFIGS = [(1, False, False, False), (1, True, False, True), (2, False, True, True),
            (2, True, True, False), (3, False, False, True)]


@pytest.mark.parametrize("config", _CONFIGS, ids=lambda c: "-".join(map(str, c)))
@pytest.mark.parametrize("kind", ["lstm", "gru"])
def test_recurrent(kind, config, engine, qnn_compile):
    layers, bidirectional, batch_first, given = config
    steps, batch, input_size, hidden = 5, 3, 7, 20
    module = _quantized(kind, input_size, hidden, layers, bidirectional, batch_first,
                        seed=layers + 2 * bidirectional)
    model = _LSTM(module, given) if kind == "lstm" else _GRU(module, given)
    states = layers * (2 if bidirectional else 1)
    rng = np.random.default_rng(layers)

    def inputs(scale):
        x = _tensor(rng, *((batch, steps) if batch_first else (steps, batch)), input_size,
                    scale=scale)
        h0, c0 = _tensor(rng, states, batch, hidden), _tensor(rng, states, batch, hidden)
        return (x, h0, c0) if kind == "lstm" else (x, h0)

    compiled = qnn_compile(model, *inputs(1.0))
    for scale in (1.0, 3.0, 0.05):
        args = inputs(scale)
        assert_same(compiled(*args), model(*args), f"{kind} {config} {engine} scale {scale}")


class _WordLanguageModel(nn.Module):
    """PyTorch's word_language_model example (RNNModel, LSTM): embedding,
    dropout, a 2-layer LSTM, dropout, the Linear decoder."""

    def __init__(self, tokens: int, embed: int, hidden: int, layers: int) -> None:
        super().__init__()
        self.drop = nn.Dropout(0.2)
        self.encoder = nn.Embedding(tokens, embed)
        self.rnn = nn.LSTM(embed, hidden, layers, dropout=0.2)
        self.decoder = nn.Linear(hidden, tokens)

    def forward(self, tokens, h0, c0):
        emb = self.drop(self.encoder(tokens))
        output, (h, c) = self.rnn(emb, (h0, c0))
        decoded = self.decoder(self.drop(output))
        return decoded.view(-1, decoded.shape[-1]), h, c


def test_word_language_model(engine, qnn_compile):
    """quantize_dynamic on the word language model: bit-exact output and
    final states, tokens given at run time."""
    torch.manual_seed(0)
    model = _WordLanguageModel(tokens=50, embed=16, hidden=24, layers=2).eval()
    quantized = torch.ao.quantization.quantize_dynamic(model, {nn.LSTM, nn.Linear},
                                                        dtype=torch.qint8)
    rng = np.random.default_rng(0)
    def inputs():
        tokens = torch.from_numpy(rng.integers(0, 50, (6, 4)))
        return tokens, _tensor(rng, 2, 4, 24), _tensor(rng, 2, 4, 24)
    compiled = qnn_compile(quantized, *inputs())
    for _ in range(3):
        args = inputs()
        assert_same(compiled(*args), quantized(*args), f"word language model, {engine}")


def test_wrong_inputs_are_errors(engine, qnn_compile):
    """An LSTM given a wrong feature size, wrong state shapes or a non-float
    input: clear errors from the compiled callable, no compilation left
    behind (other batch sizes and lengths are fine: test_shapes)."""
    module = _quantized("lstm", 7, 20, 1, False, False, seed=0)
    model = _LSTM(module, True)
    rng = np.random.default_rng(0)
    x, h0, c0 = _tensor(rng, 5, 3, 7), _tensor(rng, 1, 3, 20), _tensor(rng, 1, 3, 20)
    compiled = qnn_compile(model, x, h0, c0)
    cases = [
        ((_tensor(rng, 5, 3, 8), h0, c0), "input.size\\(-1\\) must be equal to input_size"),
        ((x, _tensor(rng, 1, 3, 21), c0), "Expected hidden\\[0\\] size"),
        ((x, h0, _tensor(rng, 2, 3, 20)), "Expected hidden\\[1\\] size"),
        ((x.double(), h0, c0), "must be torch.float32"),
        ((torch.quantize_per_tensor(x, 0.1, 0, torch.quint8), h0, c0), "must be"),
    ]
    for args, message in cases:
        with pytest.raises(ValueError, match=message):
            compiled(*args)
    assert compiled.variants == 0
    assert_same(compiled(x, h0, c0), model(x, h0, c0), "after the errors")
