"""Reference modules (torch.ao.nn.quantized.reference) and FX reference
graphs (`convert_to_reference_fx`).

qnn imports them into its reference form (the weight quantized with the
module's qparams and dequantized, float linalg), which `--qnn-fuse` lifts
back into quantized ops between the graph's quantize and dequantize calls.
What is exact (docs/numerics/reference.md):
- a reference Linear's float output is torch's bit for bit (torch's netlib
  sgemm sums each output in index order, as the lowered linalg.matmul);
- a reference Conv's float sums are oneDNN's, in oneDNN's order: equal to
  torch where the sums are exact (dyadic inputs, weights and biases), and
  otherwise not, which test_reference_conv_order pins;
- the lifted model equals torch's lowered model (`convert_fx`) bit for bit,
  whatever the inputs;
- reference Embedding/EmbeddingBag lookups and bags are torch's float
  arithmetic bit for bit (the seed's test_sparse);
- a reference ConvTranspose, the conv it equals in float, where its sums
  are exact.
torch 1.13 has no `is_decomposed` / quantized_decomposed ops: custom
qmin/qmax reach qnn as quant storage bounds (lit fuse.mlir) only.
"""

from __future__ import annotations

import copy
import subprocess

import numpy as np
import pytest
import torch
import torch.ao.nn.quantized.reference as nnqr
import torch.nn as nn
from torch.ao.quantization import get_default_qconfig_mapping
from torch.ao.quantization.quantize_fx import convert_fx, convert_to_reference_fx, prepare_fx

import qnn
from harness import Bag, WeightedBag


def _qparams(rng: np.random.Generator, shape, per_channel: bool, dtype=torch.qint8,
             dyadic: bool = False):
    if per_channel:
        scales = (2.0 ** -rng.integers(5, 8, size=shape[0]) if dyadic
                  else rng.uniform(0.002, 0.03, size=shape[0]))
        zero_points = (np.zeros(shape[0], dtype=np.int64) if dtype == torch.qint8
                       else rng.integers(100, 156, size=shape[0]))
        return {"qscheme": torch.per_channel_affine, "dtype": dtype,
                "scale": torch.tensor(scales, dtype=torch.float),
                "zero_point": torch.tensor(zero_points, dtype=torch.int), "axis": 0}
    return {"qscheme": torch.per_tensor_affine, "dtype": dtype,
            "scale": 2.0 ** -6 if dyadic else float(rng.uniform(0.002, 0.03)),
            "zero_point": 0 if dtype == torch.qint8 else int(rng.integers(100, 156))}


def _quant_dequant(weight: torch.Tensor, qparams) -> torch.Tensor:
    """The seed's _quant_dequant_weight."""
    if qparams["qscheme"] == torch.per_channel_affine:
        q = torch.quantize_per_channel(weight, qparams["scale"], qparams["zero_point"],
                                       qparams["axis"], qparams["dtype"])
    else:
        q = torch.quantize_per_tensor(weight, qparams["scale"], qparams["zero_point"],
                                      qparams["dtype"])
    return q.dequantize()


@pytest.mark.parametrize("seed", range(12))
def test_reference_linear(seed):
    """Float in, float out, bit-exact: per tensor and per channel, qint8 and
    quint8 weights, with and without bias, inputs of rank 2 and 3."""
    rng = np.random.default_rng(seed)
    k, n = int(rng.integers(1, 300)), int(rng.integers(1, 40))
    shape = (int(rng.integers(1, 9)), k) if seed % 3 else (2, int(rng.integers(1, 5)), k)
    f = nn.Linear(k, n, bias=seed % 4 != 1)
    qparams = _qparams(rng, (n, k), per_channel=seed % 2 == 0,
                       dtype=torch.quint8 if seed % 5 == 3 else torch.qint8)
    ref = nnqr.Linear.from_float(f, qparams)
    model = nn.Sequential(ref).eval()
    x = torch.randn(shape)
    compiled = qnn.compile(model, x)
    for _ in range(3):
        assert torch.equal(compiled(x), model(x))
        x = torch.randn(shape)
    # The seed's check: the reference module is the float module on the
    # quantize-dequantized weight.
    f.weight = nn.Parameter(_quant_dequant(f.weight, qparams))
    assert torch.equal(compiled(x), f(x))


def _dyadic(shape, rng: np.random.Generator) -> torch.Tensor:
    return torch.tensor(rng.integers(-16, 17, size=shape) / 16, dtype=torch.float)


_CONV_CONFIGS = [  # dims, in, out, kernel, stride, padding, dilation, groups, size
    (1, 4, 6, 3, 2, 1, 1, 2, 10), (2, 3, 4, 3, 1, 0, 1, 1, 6), (2, 3, 4, 3, 1, 1, 1, 1, 8),
    (2, 8, 8, 3, 1, 1, 1, 8, 9), (2, 4, 6, 2, 2, 0, 2, 2, 7), (3, 2, 4, 3, 1, 1, 1, 1, 5),
]


def _reference_conv(config, rng, per_channel: bool):
    dims, cin, cout, k, stride, pad, dil, groups, _ = config
    f = getattr(nn, f"Conv{dims}d")(cin, cout, k, stride=stride, padding=pad, dilation=dil,
                                    groups=groups)
    f.bias.data = _dyadic(f.bias.shape, rng)
    qparams = _qparams(rng, tuple(f.weight.shape), per_channel, dyadic=True)
    return f, qparams, nn.Sequential(getattr(nnqr, f"Conv{dims}d").from_float(f, qparams)).eval()


@pytest.mark.parametrize("per_channel", [False, True])
@pytest.mark.parametrize("config", _CONV_CONFIGS, ids=lambda c: "-".join(map(str, c)))
def test_reference_conv_exact_sums(config, per_channel):
    """Dyadic inputs, weight scales and biases make every float sum exact:
    qnn's reference conv equals torch's in any summation order."""
    rng = np.random.default_rng(sum(config))
    f, qparams, model = _reference_conv(config, rng, per_channel)
    x = _dyadic((2, config[1]) + (config[-1],) * config[0], rng)
    compiled = qnn.compile(model, x)
    assert torch.equal(compiled(x), model(x))
    f.weight = nn.Parameter(_quant_dequant(f.weight, qparams))
    assert torch.equal(compiled(x), f(x))


def test_reference_conv_order():
    """With general float inputs, torch's float conv (oneDNN) sums in its own
    order, and the outputs differ in the last bits: what qnn does not
    reproduce. If this starts to pass torch changed its float conv."""
    rng = np.random.default_rng(0)
    _, _, model = _reference_conv(_CONV_CONFIGS[2], rng, False)
    x = torch.randn(2, 3, 8, 8)
    actual, expected = qnn.compile(model, x)(x), model(x)
    assert not torch.equal(actual, expected)


class _Mlp(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.l1, self.l2 = nn.Linear(12, 24), nn.Linear(24, 5)

    def forward(self, x):
        return self.l2(torch.relu(self.l1(x)))


class _Cnn(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.c1 = nn.Conv2d(3, 8, 3, padding=1)
        self.c2 = nn.Conv2d(8, 4, 3, stride=2, groups=2)
        self.fc = nn.Linear(4 * 3 * 3, 6)

    def forward(self, x):
        y = self.c2(torch.relu(self.c1(x)))
        return self.fc(torch.flatten(y, 1))


def _fuse(mlir: str) -> str:
    done = subprocess.run([str(qnn.runtime.tool("qnn-opt")), "-", "--qnn-fuse"], input=mlir,
                          capture_output=True, text=True, check=True)
    return done.stdout


@pytest.mark.parametrize("model_class, shape", [(_Mlp, (6, 12)), (_Cnn, (2, 3, 8, 8))],
                         ids=["mlp", "cnn"])
def test_fx_reference_graph(model_class, shape, engine):
    """convert_to_reference_fx: imported in the reference form; --qnn-fuse
    lifts every reference Linear/Conv (and relu) into qnn ops, and the
    lifted model equals torch's lowered model (convert_fx) bit for bit."""
    torch.manual_seed(1)
    model = model_class().eval()
    example = torch.randn(shape)
    prepared = prepare_fx(model, get_default_qconfig_mapping(engine), (example,))
    for _ in range(4):
        prepared(torch.randn(shape))
    reference = convert_to_reference_fx(copy.deepcopy(prepared))
    lowered = convert_fx(copy.deepcopy(prepared))
    mlir = qnn.from_torch(reference, example)
    assert "linalg.matmul" in mlir and "qnn.linear" not in mlir
    fused = _fuse(mlir)
    assert "linalg.matmul" not in fused and "linalg.generic" not in fused
    assert "qnn.linear" in fused
    assert ("qnn.conv" in fused) == (model_class is _Cnn)
    compiled_reference, compiled = qnn.compile_mlir(mlir), qnn.compile_mlir(fused)
    for _ in range(3):
        x = torch.randn(shape)
        assert torch.equal(compiled(x), lowered(x))
        if model_class is _Mlp:
            # All of its float arithmetic is torch's too.
            assert torch.equal(compiled_reference(x), reference(x))


def _embedding_qparams(rng: np.random.Generator, per_channel: bool):
    """The seed's test_sparse table qparams (positive scales: qnn's quant types
    take positive scales, the seed draws randn ones)."""
    if per_channel:
        return {"qscheme": torch.per_channel_affine, "dtype": torch.quint8,
                "scale": torch.tensor(rng.uniform(0.005, 0.05, size=10), dtype=torch.float),
                "zero_point": torch.tensor(rng.integers(0, 255, size=10), dtype=torch.int),
                "axis": 0}
    return {"qscheme": torch.per_tensor_affine, "dtype": torch.quint8, "scale": 2.0,
            "zero_point": 5}


@pytest.mark.parametrize("per_channel", [False, True])
def test_reference_embedding(per_channel):
    """The seed's test_sparse, Embedding: the lookup of the
    quantize-dequantized table, bit for bit."""
    rng = np.random.default_rng(1)
    f = nn.Embedding(10, 3)
    ref = nnqr.Embedding(10, 3, weight_qparams=_embedding_qparams(rng, per_channel))
    ref.weight = f.weight
    model = nn.Sequential(ref).eval()
    x = torch.tensor([[1, 2, 4, 5], [4, 3, 2, 9]])
    compiled = qnn.compile(model, x)
    assert torch.equal(compiled(x), model(x))
    f.weight = nn.Parameter(_quant_dequant(f.weight, _embedding_qparams(
        np.random.default_rng(1), per_channel)))
    assert torch.equal(compiled(x), f(x))
    with pytest.raises(qnn.InvalidInputError, match="index 10 at position 3"):
        compiled(torch.tensor([[1, 2, 4, 10], [4, 3, 2, 9]]))


@pytest.mark.parametrize("mode", ["sum", "mean", "max"])
@pytest.mark.parametrize("per_channel", [False, True])
def test_reference_embedding_bag(mode, per_channel):
    """The seed's test_sparse, EmbeddingBag, in every mode (torch's float
    EmbeddingBag: acc + row, the mean, the max), with an empty bag and
    padding_idx."""
    rng = np.random.default_rng(2)
    qparams = _embedding_qparams(rng, per_channel)
    ref = nnqr.EmbeddingBag(10, 3, mode=mode, padding_idx=4, weight_qparams=qparams)
    ref.weight = nn.Parameter(torch.randn(10, 3))
    indices = torch.tensor([1, 2, 4, 5, 4, 3, 2, 9])
    offsets = torch.tensor([0, 4, 4])
    model = Bag(ref).eval()
    compiled = qnn.compile(model, indices, offsets)
    for _ in range(3):
        assert torch.equal(compiled(indices, offsets), model(indices, offsets))
        indices = torch.from_numpy(rng.integers(0, 10, size=8))


@pytest.mark.parametrize("include_last", [False, True])
def test_reference_embedding_bag_weighted(include_last):
    """Per-sample weights: torch's float EmbeddingBag adds fma(w, row, acc)."""
    rng = np.random.default_rng(3)
    ref = nnqr.EmbeddingBag(10, 5, mode="sum", include_last_offset=include_last,
                            weight_qparams=_embedding_qparams(rng, True))
    ref.weight = nn.Parameter(torch.randn(10, 5))
    model = WeightedBag(ref).eval()
    indices = torch.from_numpy(rng.integers(0, 10, size=9))
    offsets = torch.tensor([0, 2, 2, 7] + ([9] if include_last else []))
    weights = torch.randn(9)
    compiled = qnn.compile(model, indices, offsets, weights)
    assert torch.equal(compiled(indices, offsets, weights), model(indices, offsets, weights))



_CONV_TRANSPOSE_CONFIGS = [  # dims, in, out, kernel, stride, padding, output_padding, dilation, groups, size
    (1, 4, 6, 3, 2, 1, 1, 1, 2, 6), (1, 2, 2, 3, 2, 3, 0, 1, 1, 5), (2, 3, 4, 3, 2, 1, 1, 1, 1, 4),
    (2, 4, 4, 2, 1, 0, 0, 2, 2, 5), (3, 2, 4, 3, 2, 1, 0, 1, 1, 3),
]


@pytest.mark.parametrize("per_channel", [False, True])
@pytest.mark.parametrize("config", _CONV_TRANSPOSE_CONFIGS, ids=lambda c: "-".join(map(str, c)))
def test_reference_conv_transpose_exact_sums(config, per_channel):
    """Reference ConvTranspose1d/2d/3d as the conv it equals, in float: equal
    to torch's where the sums are exact (dyadic inputs, weight scales and
    biases), including padding that crops past the kernel's border."""
    dims, cin, cout, k, stride, pad, opad, dil, groups, size = config
    rng = np.random.default_rng(sum(config))
    f = getattr(nn, f"ConvTranspose{dims}d")(cin, cout, k, stride=stride, padding=pad,
                                             output_padding=opad, dilation=dil, groups=groups)
    f.bias.data = _dyadic(f.bias.shape, rng)
    qparams = _qparams(rng, tuple(f.weight.shape), per_channel, dyadic=True)
    ref = getattr(nnqr, f"ConvTranspose{dims}d").from_float(f, qparams)
    model = nn.Sequential(ref).eval()
    x = _dyadic((2, cin) + (size,) * dims, rng)
    compiled = qnn.compile(model, x)
    assert torch.equal(compiled(x), model(x))
    f.weight = nn.Parameter(_quant_dequant(f.weight, qparams))
    assert torch.equal(compiled(x), f(x))
