"""nnq.Embedding and nnq.EmbeddingBag, 8-bit and 4-bit, bit-exact against
torch on both engines (torch's embedding arithmetic is the same on both).

Where torch 1.13 is wrong qnn follows the float semantics, and the tests
below pin both: EmbeddingBag's `mode` is ignored by torch's kernels (mean
and max sum), nnq.Embedding.from_float of a 4-bit table looks it up as an
8-bit one, and nnq.EmbeddingBag has no padding_idx (qnn honours one set on
the module). Invalid indices and offsets raise qnn.InvalidInputError from
the compiled callable (docs/numerics/embedding.md).
"""

from __future__ import annotations

from typing import List, Sequence

import numpy as np
import pytest
import torch
import torch.ao.quantization as tq
import torch.nn as nn
import torch.nn.quantized as nnq

import qnn
from harness import Bag, WeightedBag

_DTYPES = [torch.quint8, torch.quint4x2]


def _table(rng: np.random.Generator, rows: int, dim: int, dtype: torch.dtype) -> torch.Tensor:
    """A table quantized as the seed's tests do: per-row float qparams from
    PerChannelMinMaxObserver."""
    weights = torch.from_numpy((rng.random((rows, dim)) * rng.uniform(0.5, 4)
                                + rng.uniform(-2, 1)).astype(np.float32))
    obs = tq.PerChannelMinMaxObserver(dtype=dtype, qscheme=torch.per_channel_affine_float_qparams,
                                      ch_axis=0)
    obs(weights)
    scales, zero_points = obs.calculate_qparams()
    return torch.quantize_per_channel(weights, scales, zero_points, axis=0, dtype=dtype)


def _offsets(lengths: Sequence[int], include_last: bool, dtype=torch.int64) -> torch.Tensor:
    starts = np.concatenate([[0], np.cumsum(lengths)])
    return torch.tensor(starts if include_last else starts[:-1], dtype=dtype)


def _bag_module(rng, rows, dim, dtype, mode="sum", include_last=False,
                weighted=False) -> nn.Module:
    m = nnq.EmbeddingBag(rows, dim, mode=mode, include_last_offset=include_last, dtype=dtype)
    m.set_weight(_table(rng, rows, dim, dtype))
    return (WeightedBag if weighted else Bag)(m).eval()


def _lookups(module: nn.Module, indices: torch.Tensor) -> torch.Tensor:
    """torch's exact per-row values: bags of one element."""
    return module.bag(indices, torch.arange(len(indices)))


@pytest.mark.parametrize("dtype", _DTYPES, ids=["8bit", "4bit"])
@pytest.mark.parametrize("seed", range(6))
def test_seed_embedding(seed, dtype, engine):
    """The seed's test_embedding_api: nnq.Embedding of each width."""
    rng = np.random.default_rng(seed)
    rows, dim = int(rng.integers(10, 51)), int(rng.choice(range(8, 52, 4)))
    indices = torch.from_numpy(rng.integers(0, rows, size=int(rng.integers(1, 60))))
    m = nnq.Embedding(rows, dim, dtype=dtype)
    m.set_weight(_table(rng, rows, dim, dtype))
    model = nn.Sequential(m).eval()
    compiled = qnn.compile(model, indices)
    for _ in range(3):
        assert torch.equal(compiled(indices), model(indices))
        indices = torch.from_numpy(rng.integers(0, rows, size=indices.shape))


@pytest.mark.parametrize("dtype", _DTYPES, ids=["8bit", "4bit"])
@pytest.mark.parametrize("seed", range(6))
def test_seed_embedding_bag(seed, dtype, engine):
    """The seed's test_embedding_bag_api: include_last_offset, mode sum,
    lengths 0 to 20 (empty bags included)."""
    rng = np.random.default_rng(100 + seed)
    rows, dim = int(rng.integers(10, 51)), int(rng.choice(range(8, 52, 4)))
    model = _bag_module(rng, rows, dim, dtype, include_last=True)
    lengths = rng.integers(0, 21, size=int(rng.integers(1, 6)))
    lengths[0] = max(lengths[0], 1)
    indices = torch.from_numpy(rng.integers(0, rows, size=int(lengths.sum())))
    offsets = _offsets(lengths, include_last=True)
    compiled = qnn.compile(model, indices, offsets)
    assert torch.equal(compiled(indices, offsets), model(indices, offsets))
    # Other bags of the same numbers of indices and offsets.
    for _ in range(3):
        lengths = rng.multinomial(len(indices), np.ones(len(offsets) - 1) / (len(offsets) - 1))
        offsets = _offsets(lengths, include_last=True)
        indices = torch.from_numpy(rng.integers(0, rows, size=len(indices)))
        assert torch.equal(compiled(indices, offsets), model(indices, offsets))


@pytest.mark.parametrize("seed", range(16))
def test_random_embedding_bag_sum(seed, engine):
    """Random tables, bag lengths (empty bags), include_last_offset,
    per-sample weights, int32 and int64 indices and offsets."""
    rng = np.random.default_rng(200 + seed)
    dtype = _DTYPES[seed % 2]
    rows, dim = int(rng.integers(2, 70)), int(rng.choice([2, 4, 6, 16, 34, 64]))
    include_last, weighted = seed % 3 == 0, seed % 4 >= 2
    index_dtype = torch.int32 if seed % 5 == 1 else torch.int64
    model = _bag_module(rng, rows, dim, dtype, include_last=include_last, weighted=weighted)
    lengths = rng.integers(0, 6, size=int(rng.integers(1, 9)))
    indices = torch.from_numpy(rng.integers(0, rows, size=max(int(lengths.sum()), 1))).to(index_dtype)
    lengths[-1] += len(indices) - int(lengths.sum())
    offsets = _offsets(lengths, include_last, index_dtype)
    args = [indices, offsets]
    if weighted:
        args.append(torch.from_numpy(rng.normal(size=len(indices)).astype(np.float32)))
    compiled = qnn.compile(model, *args)
    assert torch.equal(compiled(*args), model(*args))


def test_2d_indices(engine):
    """2-D indices are bags of one length (torch's offsets arange)."""
    rng = np.random.default_rng(7)
    m = nn.Sequential(_bag_module(rng, 20, 8, torch.quint8).bag).eval()
    indices = torch.from_numpy(rng.integers(0, 20, size=(4, 3)))
    assert torch.equal(qnn.compile(m, indices)(indices), m(indices))


def _bags(lengths: Sequence[int]) -> List[slice]:
    starts = np.concatenate([[0], np.cumsum(lengths)])
    return [slice(int(a), int(b)) for a, b in zip(starts[:-1], starts[1:])]


@pytest.mark.parametrize("dtype", _DTYPES, ids=["8bit", "4bit"])
def test_mean_and_max_follow_float_semantics(dtype):
    """torch 1.13's quantized kernels ignore `mode`: mean and max sum. qnn
    computes the mean as the sum divided by the bag's length and the max of
    the bag's rows (torch's own per-row values); empty bags give zeros."""
    rng = np.random.default_rng(11)
    lengths = [3, 0, 1, 5, 2]
    indices = torch.from_numpy(rng.integers(0, 30, size=sum(lengths)))
    offsets = _offsets(lengths, include_last=False)
    summed = _bag_module(np.random.default_rng(1), 30, 12, dtype)
    sums = summed(indices, offsets)
    rows = _lookups(summed, indices)
    for mode in ("mean", "max"):
        model = _bag_module(np.random.default_rng(1), 30, 12, dtype, mode=mode)
        assert torch.equal(model(indices, offsets), sums), f"torch's {mode} no longer sums"
        expected = torch.zeros_like(sums)
        for b, bag in enumerate(_bags(lengths)):
            if bag.stop > bag.start:
                expected[b] = (sums[b] / (bag.stop - bag.start) if mode == "mean"
                               else rows[bag].amax(0))
        assert torch.equal(qnn.compile(model, indices, offsets)(indices, offsets), expected)


def test_padding_idx():
    """nnq.EmbeddingBag has no padding_idx in torch 1.13 (from_float drops
    nn.EmbeddingBag's); one set on the module is honoured as the float
    semantics say: its entries are left out of the sum and the mean's count."""
    rng = np.random.default_rng(5)
    lengths = [4, 2, 0, 3]
    indices = torch.from_numpy(rng.integers(0, 6, size=sum(lengths)))
    indices[[0, 4, 5]] = 2
    offsets = _offsets(lengths, include_last=False)
    for mode in ("sum", "mean"):
        model = _bag_module(np.random.default_rng(3), 6, 8, torch.quint8, mode=mode)
        model.bag.padding_idx = 2
        keep = indices != 2
        kept = [int(keep[bag].sum()) for bag in _bags(lengths)]
        sums = model(indices[keep], _offsets(kept, include_last=False))
        expected = torch.zeros_like(sums)
        for b, count in enumerate(kept):
            if count:
                expected[b] = sums[b] / count if mode == "mean" else sums[b]
        actual = qnn.compile(model, indices, offsets)(indices, offsets)
        assert torch.equal(actual, expected)


def test_4bit_embedding_from_float():
    """torch's nnq.Embedding.from_float with a 4-bit qconfig keeps dtype
    quint8 and looks the 4-bit table up as an 8-bit one (shape [n, 2] for
    dim 12); qnn looks it up as 4-bit, equal to torch's embedding_4bit."""
    f = nn.Embedding(10, 12)
    f.qconfig = tq.float_qparams_weight_only_qconfig_4bit
    m = nnq.Embedding.from_float(f)
    indices = torch.tensor([[1, 2, 3], [0, 9, 4]])
    assert m(indices).shape != (2, 3, 12), "torch's 4-bit from_float is fixed"
    expected = torch.ops.quantized.embedding_4bit(m._packed_params._packed_weight, indices,
                                                  pruned_weights=False)
    model = nn.Sequential(m).eval()
    assert torch.equal(qnn.compile(model, indices)(indices), expected)


@pytest.fixture(scope="module")
def bag_model():
    """A compiled bag of 5 indices in 3 bags over a 10-row table."""
    model = _bag_module(np.random.default_rng(0), 10, 4, torch.quint8)
    indices, offsets = torch.tensor([0, 1, 2, 3, 4]), torch.tensor([0, 2, 2])
    return model, qnn.compile(model, indices, offsets)


_BAD_INPUTS = [
    ([0, 1, 10, 3, 4], [0, 2, 2], "index 10 at position 2 is out of range \\[0, 10\\)"),
    ([0, 1, 2, 3, -1], [0, 2, 2], "index -1 at position 4 is out of range \\[0, 10\\)"),
    ([0, 1, 2, 3, 4], [1, 2, 2], "offsets\\[0\\] is 1, the first bag must start at 0"),
    ([0, 1, 2, 3, 4], [0, 3, 2], "offsets must be non-decreasing, offsets\\[2\\] = 2 is "
                                 "smaller than offsets\\[1\\] = 3"),
    ([0, 1, 2, 3, 4], [0, 2, 6], "offsets\\[2\\] = 6 is past the end of the 5 indices"),
]


@pytest.mark.parametrize("indices, offsets, message", _BAD_INPUTS)
def test_bad_bag_inputs(bag_model, indices, offsets, message):
    model, compiled = bag_model
    with pytest.raises(qnn.InvalidInputError, match=message):
        compiled(torch.tensor(indices), torch.tensor(offsets))
    # The error belongs to that call only.
    good = torch.tensor([0, 1, 2, 3, 4]), torch.tensor([0, 2, 2])
    assert torch.equal(compiled(*good), model(*good))


def test_bad_lookup_index():
    m = nnq.Embedding(10, 4)
    m.set_weight(_table(np.random.default_rng(0), 10, 4, torch.quint8))
    compiled = qnn.compile(nn.Sequential(m).eval(), torch.tensor([1, 2]))
    with pytest.raises(qnn.InvalidInputError, match="qnn.embedding: index 12 at position 1"):
        compiled(torch.tensor([1, 12]))


def test_saved_bag_model(bag_model, tmp_path):
    """A saved model keeps its checks."""
    model, compiled = bag_model
    compiled.save(tmp_path / "bag.qnn")
    loaded = qnn.load(tmp_path / "bag.qnn")
    good = torch.tensor([4, 3, 2, 1, 0]), torch.tensor([0, 1, 3])
    assert torch.equal(loaded(*good), model(*good))
    with pytest.raises(qnn.InvalidInputError, match="out of range"):
        loaded(torch.tensor([4, 3, 2, 1, 99]), torch.tensor([0, 1, 3]))

