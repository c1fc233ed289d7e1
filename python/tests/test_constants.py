"""How the importer writes constants: large quantized weights as
dense_resource blobs (MLIR's resource format: a 4-byte little-endian
alignment, then the little-endian data), small constants and float biases
inline."""

from __future__ import annotations

import re

import numpy as np
import torch
import torch.nn as nn
import torch.nn.quantized as nnq

import qnn

_BLOB = re.compile(r'^\s*(\w+): "0x([0-9A-F]+)"', re.M)


def _linear(in_features: int, out_features: int, seed: int) -> nnq.Linear:
    g = torch.Generator().manual_seed(seed)
    module = nnq.Linear(in_features, out_features)
    weight = torch.quantize_per_tensor(torch.randn(out_features, in_features, generator=g) * 0.2,
                                       0.01, 0, torch.qint8)
    module.set_weight_bias(weight, torch.randn(out_features, generator=g))
    module.scale, module.zero_point = 0.05, 64
    return module


def _blobs(text: str) -> dict:
    assert text.count("{-#") == 1 and text.rstrip().endswith("#-}")
    return dict(_BLOB.findall(text.split("{-#", 1)[1]))


def test_weights_are_named_blobs_biases_inline(engine, qnn_opt):
    model = nn.Sequential(nnq.Quantize(0.02, 3, torch.quint8), _linear(32, 64, 0),
                          _linear(64, 64, 1), nnq.DeQuantize())
    text = qnn.from_torch(model, torch.rand(2, 32))
    blobs = _blobs(text)
    assert sorted(blobs) == ["_1_weight", "_2_weight"]
    for name, module in (("_1_weight", model[1]), ("_2_weight", model[2])):
        assert f"arith.constant dense_resource<{name}> : tensor<64x" in text
        data = bytes.fromhex(blobs[name])
        assert data[:4] == (1).to_bytes(4, "little")  # alignment of i8
        stored = module.weight().int_repr().numpy()
        assert np.array_equal(np.frombuffer(data[4:], np.int8).reshape(stored.shape), stored)
    # 256-byte f32 biases stay inline: the lowering folds their scaling.
    assert len(re.findall(r'arith\.constant dense<"0x[0-9A-F]{512}"> : tensor<64xf32>',
                          text)) == 2
    # qnn-opt reads the blobs and prints them back.
    assert sorted(_blobs(qnn_opt(text))) == sorted(blobs)


def test_small_weights_stay_inline(engine):
    # 4x4 int8 = 16 bytes: no resource section at all.
    text = qnn.from_torch(_linear(4, 4, 2), torch.quantize_per_tensor(
        torch.rand(1, 4), 0.02, 3, torch.quint8))
    assert "dense_resource" not in text and "{-#" not in text
    assert re.search(r'arith\.constant dense<"0x[0-9A-F]{32}"> : tensor<4x4xi8>', text)
