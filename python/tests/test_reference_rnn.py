"""Reference recurrent cells (torch.ao.nn.quantized.reference LSTMCell,
GRUCell, RNNCell), the seed's test_rnn_cell: weights quantize-dequantized
with their qparams (custom qmin/qmax ranges included), float compute, bit-
exact against the torch reference module's float output. The float linears
are torch's addmm (netlib's sgemm sums in index order), the gates ATen's
float kernels as in the dynamic cells (qnn.float_activation)."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.ao.nn.quantized.reference as nnqr
import torch.nn as nn

from harness import assert_same


def _qparams(dtype=torch.qint8, per_channel: bool = False, rows: int = 0):
    if per_channel:
        return {"qscheme": torch.per_channel_affine, "dtype": dtype,
                # Observers' scales are f32 values: torch's per-channel
                # dequantize multiplies in double, equal to qnn's f32
                # product for them.
                "scale": (torch.rand(rows) * 0.02 + 0.005).double(),
                "zero_point": torch.zeros(rows, dtype=torch.long), "axis": 0}
    return {"qscheme": torch.per_tensor_affine, "dtype": dtype, "scale": 0.01,
            "zero_point": 0}


class _LSTMCell(nn.Module):
    def __init__(self, cell):
        super().__init__()
        self.cell = cell

    def forward(self, x, h, c):
        hy, cy = self.cell(x, (h, c))
        return hy, cy


class _Cell(nn.Module):
    def __init__(self, cell):
        super().__init__()
        self.cell = cell

    def forward(self, x, h):
        return self.cell(x, h)


_FLOAT = {"lstm": nn.LSTMCell, "gru": nn.GRUCell, "rnn_tanh": nn.RNNCell,
          "rnn_relu": nn.RNNCell}
_REFERENCE = {"lstm": nnqr.LSTMCell, "gru": nnqr.GRUCell, "rnn_tanh": nnqr.RNNCell,
              "rnn_relu": nnqr.RNNCell}


@pytest.mark.parametrize("per_channel", [False, True])
@pytest.mark.parametrize("kind", ["lstm", "gru", "rnn_tanh", "rnn_relu"])
def test_reference_cell(kind, per_channel, qnn_compile):
    torch.manual_seed(0)
    batch, input_size, hidden = 3, 10, 20
    extra = {"nonlinearity": "relu"} if kind == "rnn_relu" else {}
    float_cell = _FLOAT[kind](input_size, hidden, **extra)
    gates = {"lstm": 4, "gru": 3}.get(kind, 1) * hidden
    qparams = {"weight_ih": _qparams(per_channel=per_channel, rows=gates),
               "weight_hh": _qparams(per_channel=per_channel, rows=gates)}
    cell = _REFERENCE[kind].from_float(float_cell, qparams)
    model = _LSTMCell(cell) if kind == "lstm" else _Cell(cell)
    rng = np.random.default_rng(1)

    def inputs():
        t = [torch.from_numpy(rng.standard_normal(s).astype(np.float32))
             for s in ((batch, input_size), (batch, hidden), (batch, hidden))]
        return t if kind == "lstm" else t[:2]

    compiled = qnn_compile(model, *inputs())
    for _ in range(3):
        args = inputs()
        assert_same(compiled(*args), model(*args), f"reference {kind}")


class _LSTM(nn.Module):
    def __init__(self, lstm):
        super().__init__()
        self.lstm = lstm

    def forward(self, x, h0, c0):
        out, (h, c) = self.lstm(x, (h0, c0))
        return out, h, c


@pytest.mark.parametrize("layers,bidirectional,batch_first",
                         [(1, False, False), (2, True, False), (2, False, True)])
def test_reference_lstm(layers, bidirectional, batch_first, qnn_compile):
    """The reference LSTM (the seed's test_rnn; torch 1.13 has no reference
    GRU): the dynamic LSTM's recurrence with float linears on
    quantize-dequantized weights."""
    torch.manual_seed(layers)
    float_lstm = nn.LSTM(6, 10, num_layers=layers, bidirectional=bidirectional,
                         batch_first=batch_first)
    qparams = {name: _qparams() for name, _ in float_lstm.named_parameters()
               if "weight" in name}
    model = _LSTM(nnqr.LSTM.from_float(float_lstm, qparams))
    states = layers * (2 if bidirectional else 1)
    rng = np.random.default_rng(layers)

    def inputs():
        x = rng.standard_normal((3, 5, 6) if batch_first else (5, 3, 6))
        h, c = rng.standard_normal((states, 3, 10)), rng.standard_normal((states, 3, 10))
        return [torch.from_numpy(t.astype(np.float32)) for t in (x, h, c)]

    compiled = qnn_compile(model, *inputs())
    for _ in range(2):
        args = inputs()
        assert_same(compiled(*args), model(*args), f"reference LSTM {layers} {bidirectional}")
