"""qnn.float_activation against torch.sigmoid_ / torch.tanh_ bit for bit,
on dense tensors and on the strided gate views the recurrent cells apply
them to: ATen's vector body (SLEEF) and its scalar loop (glibc) round
differently, and `scalar_ranges` (from aten_loops.scalar_ranges) says which
elements took which."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from harness import assert_same
from qnn.importer import aten_loops


def _values(shape, seed: int) -> torch.Tensor:
    rng = np.random.default_rng(seed)
    x = (rng.standard_normal(shape) * rng.choice([0.5, 4.0, 30.0], shape)).astype(np.float32)
    flat = x.reshape(-1)
    flat[:6] = [0.0, -0.0, 88.0, -88.0, 104.0, -104.0][:flat.size]
    return torch.from_numpy(x)


@pytest.mark.parametrize("kind", ["sigmoid", "tanh"])
@pytest.mark.parametrize("width,chunks", [(20, 1), (37, 1), (7, 4), (33, 3), (64, 4)])
def test_float_activation(kind, width, chunks, qnn_compile):
    """The piece `index` of [5, chunks * width] values chunked along
    dimension 1, computed in place as the cells do."""
    batch = 5
    x = _values((batch, chunks * width), seed=width + chunks)
    for index in range(chunks):
        view = x.clone().unsafe_chunk(chunks, 1)[index]
        expected = getattr(view, kind + "_")().clone()
        ranges = aten_loops.scalar_ranges([batch, width], [chunks * width, 1],
                                          [[chunks * width, 1]], torch.float32)
        attr = f" scalar_ranges = [{', '.join(map(str, ranges))}]" \
            if ranges and kind == "sigmoid" else ""
        t = f"tensor<{batch}x{width}xf32>"
        text = (f"func.func @forward(%x: {t}) -> {t} {{\n"
                f"  %y = qnn.float_activation {kind} %x{attr} : {t}\n"
                f"  return %y : {t}\n}}\n")
        compiled = qnn_compile.mlir(text)
        piece = x.unsafe_chunk(chunks, 1)[index].contiguous()
        assert_same(compiled(piece), expected, f"{kind} piece {index} of {chunks}")


def _scalar_loop_differs(count: int) -> torch.Tensor:
    """`count` values whose sigmoid torch's scalar loop (a 1-element tensor)
    and vector body (a tensor of one vector step) round differently."""
    torch.manual_seed(0)
    step = aten_loops.vector_step(torch.float32)
    found = []
    while len(found) < count:
        x = torch.randn(1024) * 6
        vector = torch.cat([torch.sigmoid(c) for c in x.split(step)])
        scalar = torch.stack([torch.sigmoid(v.reshape(1))[0] for v in x[:256]])
        found += [float(v) for v, a, b in zip(x[:256], vector[:256], scalar) if a != b]
    return torch.tensor(found[:count])


def test_sigmoid_scalar_ranges_matter(qnn_compile):
    """Values where the two paths differ, put in the scalar tail: a dense
    4 x 37 tensor is one loop of 148 elements, whose last 148 % 16 = 4 take
    the scalar loop (AVX2's step of 16; AVX-512's 32 makes it 20). With its scalar ranges qnn equals torch, without them
    it does not, so the attribute is not decoration."""
    if aten_loops.vector_bytes() == 0:
        pytest.skip("ATen's default vectors: both paths are glibc's")
    x = _values((4, 37), seed=9)
    x.view(-1)[-4:] = _scalar_loop_differs(4)
    expected = torch.sigmoid(x)
    ranges = aten_loops.scalar_ranges([4, 37], [37, 1], [[37, 1]], torch.float32)
    assert len(ranges) == 2 and ranges[1] == 148 and ranges[0] <= 144
    t = "tensor<4x37xf32>"
    def compiled(attr):
        return qnn_compile.mlir(f"func.func @forward(%x: {t}) -> {t} {{\n"
                                f"  %y = qnn.float_activation sigmoid %x{attr} : {t}\n"
                                f"  return %y : {t}\n}}\n")(x)
    with_ranges = compiled(f" scalar_ranges = [{', '.join(map(str, ranges))}]")
    assert_same(with_ranges, expected, "sigmoid with its scalar ranges")
    without = compiled("")
    assert not torch.equal(without.view(torch.int32), expected.view(torch.int32))
