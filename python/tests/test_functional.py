"""Bit-exact tests of the functional arithmetic (qnn.importer.functional) and
of the shape ops (qnn.importer.shape) against PyTorch, on both engines.

Every case runs on example inputs whose codes step through the 8-bit range
(`_codes`: all 256 codes in tensors of 256 elements or more) and on the
harness's random inputs of the same types. Covered:

- `torch.ops.quantized` add, add_relu, mul, mul_relu and QFunctional's add,
  add_relu and mul, quint8 and qint8: same shapes, broadcasting either way
  ((2,3,4,5) with (1,3,1,5) and with (5,), rows of 64, a one-element
  operand, channels broadcast into a channels-last tensor), channels-last
  and mixed layouts. Which of ATen's, QNNPACK's and XNNPACK's kernels torch
  runs follows docs/numerics/arithmetic.md (`_add_kernel`; qint8 products
  with an output zero point below 127 are XNNPACK's on both engines:
  `test_mul_qint8_kernels` takes 3, -128 and ATen's 127).
- The scalar forms: quantized add_scalar(_relu), mul_scalar(_relu), the
  `add`/`add_relu`/`mul`/`mul_relu(q, float)` overloads and QFunctional's
  add_scalar/mul_scalar, with positive, negative and zero scalars, a scalar
  below half a step, and scalars that move the zero point out of range
  (the scale then widens); chains of them.
- cat: torch.cat and torch.concat (the first input's quantization),
  quantized.cat and QFunctional.cat (the given one; QFunctional's default
  1.0/0), with 2 and 3 inputs of different quantizations (inputs already in
  the result's are copied), along dims 0, 1, 2, 3, -1 and -2, contiguous
  and channels-last.
- Shape ops: permute/transpose (negative dims, varargs, the identity),
  squeeze/unsqueeze (negative dims), contiguous (also to channels-last),
  clone, detach, getitem (integers, negative indices, slices with steps,
  Ellipsis, None, bounds computed from `x.size()`), chunk/split into uneven
  pieces (split by sizes too, and the pieces concatenated back),
  nn.ChannelShuffle / torch.channel_shuffle / F.channel_shuffle with 2 and
  3 groups (torch takes 4-D quint8 only: `test_channel_shuffle_refusals`),
  flatten/reshape/view (nn.Flatten, nn.Unflatten, sizes from `x.size()`,
  reshapes that are no collapse or expand, reshapes of permuted and
  channels-last tensors). The models index chunk/split pieces or return
  the tuple itself (qnn then returns its pieces).
- Refusals. torch's XNNPACK add/mul hands a channels-last operand over in
  NHWC order and the other operand, where torch does not first make it
  channels-last, in NCHW order: it then misplaces elements, fails, or
  writes past its result (`_XNNPACK_LAYOUTS`, measured in subprocesses);
  qnn raises UnsupportedError for those operands. qnn's verifier refuses
  what torch refuses: QNNPACK's and XNNPACK's add scale ratios, XNNPACK's
  mul multiplier, operands of different dtypes.

Layouts: quantized `Tensor.clone()` returns a contiguous tensor, so the
harness's torch run (which clones the inputs) never sees a channels-last
input. `_check` therefore runs torch itself on channels-last inputs (the
example's, and the harness's random ones converted to the example's
layout) and compares with the harness's `assert_same`; contiguous cases go
through `compile_and_check`.

ATen's add computes the first `floor(n/64)*64` elements of each run of `n`
elements with unit strides (or one operand broadcast) by fma dequantize (the
vector lambda) and the rest by plain dequantize
(docs/numerics/arithmetic.md); the importer records the latter in the op's
`scalar_ranges`, so every BINARY_SHAPES case runs on every engine, and
`test_binary` checks the ranges appear exactly where `aten_vector` says.
`test_add_scalar_lambda` shows one element the two lambdas round apart.

torch's NHWC cat (every input 4-D channels-last, dim 1) requantizes the
first `C_i // 32 * 32` channels of each input by fma dequantize, then, if 8
or more channels remain, the next multiple of 8 of them too (its AVX2 loop
for "channels between 8 and 32"), and the rest by plain dequantize; a numpy
model of that matched all 137683 outputs of 300 random NHWC cats, and the
importer gives each such requantize its `fma_channels`. The NHWC cases
cover all three loops; `test_cat_nhwc_fma` shows one element the two
dequantizations round apart.
"""

from __future__ import annotations

import math
from typing import Callable, Dict, Sequence, Tuple

import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.nn.quantized as nnq

import qnn
from harness import assert_same, compile_and_check, input_sets
from qnn.importer.aten_loops import cpu_capability

_Q = torch.ops.quantized


# ---------------------------------------------------------------------------
# Models and inputs
# ---------------------------------------------------------------------------


class Fn(nn.Module):
    """A model applying a function to its input."""

    def __init__(self, function: Callable[..., torch.Tensor]) -> None:
        super().__init__()
        self.function = function

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.function(x)


class Fn2(Fn):
    """A model applying a function to its two inputs."""

    def forward(self, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        return self.function(x, y)


class Fn3(Fn):
    """A model applying a function to its three inputs."""

    def forward(self, x: torch.Tensor, y: torch.Tensor, z: torch.Tensor) -> torch.Tensor:
        return self.function(x, y, z)


class Functional(nn.Module):
    """A QFunctional method (with the module's scale and zero point) applied
    to the model's inputs: `f.<method>(x, y)`, `f.<method>(x, scalar)` or
    `f.cat([inputs], dim)`."""

    def __init__(self, method: str, scale: float, zero_point: int, *args) -> None:
        super().__init__()
        self.f = nnq.QFunctional()
        self.f.scale = scale
        self.f.zero_point = zero_point
        self.method = method
        self.args = args

    def forward(self, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        if self.method == "cat":
            return self.f.cat([x, y], *self.args)
        return getattr(self.f, self.method)(x, y)


class FunctionalScalar(Functional):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return getattr(self.f, self.method)(x, *self.args)


class FunctionalCat3(Functional):
    def forward(self, x: torch.Tensor, y: torch.Tensor, z: torch.Tensor) -> torch.Tensor:
        return self.f.cat([x, y, z], *self.args)


def _codes(shape: Sequence[int], dtype: torch.dtype, scale: float, zero_point: int,
           seed: int = 0, layout: str = "contiguous") -> torch.Tensor:
    """A quantized tensor whose codes step by 37, coprime to 256, through the
    8-bit range: each code once in every 256 elements (`seed` shifts the
    pattern, so that two operands differ)."""
    n = math.prod(shape)
    codes = ((torch.arange(n) * 37 + seed * 59) % 256).reshape(tuple(shape))
    if dtype == torch.qint8:
        codes = codes - 128
    storage = torch.uint8 if dtype == torch.quint8 else torch.int8
    x = torch._make_per_tensor_quantized_tensor(codes.to(storage), scale, zero_point)
    if layout == "channels_last":
        x = x.contiguous(memory_format=torch.channels_last)
    return x


def _torch_accepts(model: nn.Module, *inputs: torch.Tensor) -> None:
    try:
        with torch.no_grad():
            model(*inputs)
    except (RuntimeError, NotImplementedError) as refusal:
        pytest.skip(f"torch refuses: {str(refusal).splitlines()[0]}")


def _is_channels_last(x: torch.Tensor) -> bool:
    return (x.dim() == 4 and not x.is_contiguous()
            and x.is_contiguous(memory_format=torch.channels_last))


def _keep_layout(x: torch.Tensor) -> torch.Tensor:
    return x.clone(memory_format=torch.preserve_format)


def _check(qnn_compile, model: nn.Module, inputs: Sequence[torch.Tensor], engine: str) -> None:
    """compile_and_check, except that with a channels-last input torch runs
    on channels-last inputs: the examples, and the harness's random inputs
    converted to the examples' layouts (see the module docstring)."""
    if not any(_is_channels_last(x) for x in inputs):
        compile_and_check(qnn_compile, model, inputs, engine)
        return
    compiled = qnn_compile(model, *inputs)
    layouts = [_is_channels_last(x) for x in inputs]
    results = []
    for n, sample in enumerate(input_sets(model, inputs, engine)):
        sample = [x.contiguous(memory_format=torch.channels_last) if cl else x
                  for x, cl in zip(sample, layouts)]
        with torch.no_grad():
            expected = model(*[_keep_layout(x) for x in sample])
        before = [_keep_layout(x) for x in sample]
        actual = compiled(*sample)
        what = "example inputs" if n == 0 else f"random inputs {n}"
        for i, (x, b) in enumerate(zip(sample, before)):
            assert torch.equal(x.int_repr(), b.int_repr()), f"{what}: input {i} changed"
        assert_same(actual, expected, f"{what} (channels-last: {layouts})")
        results.append((actual, expected))
    for n, (actual, expected) in enumerate(results):
        assert_same(actual, expected, f"input set {n}, checked again after all calls")


# ---------------------------------------------------------------------------
# add / mul of two tensors
# ---------------------------------------------------------------------------

#: (scale, zero point) of the operands and of the result, per dtype.
_QPARAMS = {
    torch.quint8: ((0.03, 128), (0.045, 100), (0.06, 120)),
    torch.qint8: ((0.03, -5), (0.045, 10), (0.06, 3)),
}


def _add_kernel(engine: str, dtype: torch.dtype, a_shape, b_shape) -> str:
    """The kernel torch's quantized add runs (docs/numerics/arithmetic.md)."""
    if engine == "qnnpack":
        if dtype == torch.qint8:
            return "xnnpack"
        if tuple(a_shape) == tuple(b_shape):
            return "qnnpack"
    return "aten"


#: id -> (a shape, a layout, b shape, b layout, aten_vector): whether every
#: element of an ATen add takes the vector lambda (checked against
#: scripts/research/arithmetic_ref.py's vector_mask).
BINARY_SHAPES: Dict[str, Tuple[tuple, str, tuple, str, bool]] = {
    "same": ((2, 3, 4, 16), "contiguous", (2, 3, 4, 16), "contiguous", True),
    # 105 = 64 + 41: the last 41 elements take the scalar lambda.
    "same-105": ((1, 3, 5, 7), "contiguous", (1, 3, 5, 7), "contiguous", False),
    "nhwc": ((2, 3, 4, 16), "channels_last", (2, 3, 4, 16), "channels_last", True),
    # b's strides are not unit in the output's (a's) order: all scalar.
    "nhwc+nchw": ((2, 3, 4, 16), "channels_last", (2, 3, 4, 16), "contiguous", False),
    "nchw+nhwc": ((2, 3, 4, 16), "contiguous", (2, 3, 4, 16), "channels_last", False),
    "bcast-rows": ((2, 3, 4, 64), "contiguous", (1, 3, 1, 64), "contiguous", True),
    "bcast-vector": ((2, 3, 4, 64), "contiguous", (64,), "contiguous", True),
    "bcast-lhs": ((1, 3, 1, 64), "contiguous", (2, 3, 4, 64), "contiguous", True),
    "bcast-one": ((2, 3, 4, 16), "contiguous", (1,), "contiguous", True),
    # Rows of 5: all scalar.
    "bcast-5": ((2, 3, 4, 5), "contiguous", (1, 3, 1, 5), "contiguous", False),
    "bcast-5-vector": ((2, 3, 4, 5), "contiguous", (5,), "contiguous", False),
    # The channels broadcast into a channels-last tensor (an SE block): ATen's
    # kernels take it; torch's XNNPACK fails ("xnn setup operator failed(2)").
    "nhwc-bcast-c": ((2, 64, 3, 4), "channels_last", (1, 64, 1, 1), "contiguous", True),
    "nhwc-bcast-n": ((2, 8, 4, 8), "channels_last", (1, 8, 4, 8), "channels_last", True),
}

BINARY: Dict[str, Callable[[float, int], nn.Module]] = {
    "quantized.add": lambda s, z: Fn2(lambda a, b: _Q.add(a, b, s, z)),
    "quantized.add_relu": lambda s, z: Fn2(lambda a, b: _Q.add_relu(a, b, s, z)),
    "quantized.mul": lambda s, z: Fn2(lambda a, b: _Q.mul(a, b, s, z)),
    "quantized.mul_relu": lambda s, z: Fn2(lambda a, b: _Q.mul_relu(a, b, s, z)),
    "QFunctional.add": lambda s, z: Functional("add", s, z),
    "QFunctional.add_relu": lambda s, z: Functional("add_relu", s, z),
    "QFunctional.mul": lambda s, z: Functional("mul", s, z),
}

#: The relu forms and QFunctional's methods (which call the same ops) on a
#: few shapes; add and mul on all.
_FEW_SHAPES = {
    "quantized.add_relu": ("same", "same-105", "bcast-rows", "bcast-5", "nhwc"),
    "quantized.mul_relu": ("same-105", "bcast-5-vector", "nhwc+nchw"),
    "QFunctional.add": ("same", "bcast-5"),
    "QFunctional.add_relu": ("nhwc", "bcast-vector"),
    "QFunctional.mul": ("same", "bcast-5"),
}


def _binary_cases():
    for op in BINARY:
        for shape in _FEW_SHAPES.get(op, BINARY_SHAPES):
            yield op, shape


@pytest.mark.parametrize("dtype", [torch.quint8, torch.qint8], ids=["quint8", "qint8"])
@pytest.mark.parametrize("op,shapes", list(_binary_cases()))
def test_binary(op, shapes, dtype, engine, qnn_compile):
    a_shape, a_layout, b_shape, b_layout, aten_vector = BINARY_SHAPES[shapes]
    (sa, za), (sb, zb), (so, zo) = _QPARAMS[dtype]
    is_add = op.split(".")[1].startswith("add")
    a = _codes(a_shape, dtype, sa, za, 1, a_layout)
    b = _codes(b_shape, dtype, sb, zb, 2, b_layout)
    model = BINARY[op](so, zo)
    _torch_accepts(model, a, b)
    if is_add and _add_kernel(engine, dtype, a_shape, b_shape) == "aten" \
            and cpu_capability() == "AVX2":
        # The importer finds the elements of ATen's scalar lambda exactly
        # where arithmetic_ref.py's model has them.
        assert ("scalar_ranges" in qnn.from_torch(model, a, b)) == (not aten_vector)
    _check(qnn_compile, model, [a, b], engine)


@pytest.mark.parametrize("zero_point", [127, -128, 3], ids=lambda z: f"zo{z}")
@pytest.mark.parametrize("relu", [False, True], ids=["mul", "mul_relu"])
def test_mul_qint8_kernels(zero_point, relu, engine, qnn_compile):
    """qint8 products: ATen's multiplier (output zero point 127) and
    XNNPACK's division (below 127), on broadcasting operands with rows of 7."""
    a = _codes((2, 3, 4, 7), torch.qint8, 0.02, -3, 1)
    b = _codes((3, 1, 7), torch.qint8, 0.07, 4, 2)
    op = _Q.mul_relu if relu else _Q.mul
    model = Fn2(lambda x, y: op(x, y, 0.05, zero_point))
    _torch_accepts(model, a, b)
    _check(qnn_compile, model, [a, b], engine)


@pytest.mark.parametrize("dtype", [torch.quint8, torch.qint8], ids=["quint8", "qint8"])
def test_add_same_operand(dtype, engine, qnn_compile):
    """`add(x, x)` (one SSA value twice) and an add feeding a mul."""
    x = _codes((2, 4, 4, 8), dtype, 0.04, 7)
    model = Fn(lambda t: _Q.mul(_Q.add(t, t, 0.1, 2), t, 0.2, 1))
    _torch_accepts(model, x)
    _check(qnn_compile, model, [x], engine)


# ---------------------------------------------------------------------------
# Scalar forms
# ---------------------------------------------------------------------------

SCALAR_OPS: Dict[str, Callable[[float], nn.Module]] = {
    "quantized.add_scalar": lambda c: Fn(lambda x: _Q.add_scalar(x, c)),
    "quantized.add_scalar_relu": lambda c: Fn(lambda x: _Q.add_scalar_relu(x, c)),
    "quantized.add.Scalar": lambda c: Fn(lambda x: _Q.add(x, c)),
    "quantized.add_relu.Scalar": lambda c: Fn(lambda x: _Q.add_relu(x, c)),
    "QFunctional.add_scalar": lambda c: FunctionalScalar("add_scalar", 1.0, 0, c),
    "quantized.mul_scalar": lambda c: Fn(lambda x: _Q.mul_scalar(x, c)),
    "quantized.mul_scalar_relu": lambda c: Fn(lambda x: _Q.mul_scalar_relu(x, c)),
    "quantized.mul.Scalar": lambda c: Fn(lambda x: _Q.mul(x, c)),
    "quantized.mul_relu.Scalar": lambda c: Fn(lambda x: _Q.mul_relu(x, c)),
    "QFunctional.mul_scalar": lambda c: FunctionalScalar("mul_scalar", 1.0, 0, c),
}

#: With scale 0.03: 0.7 and -0.37 move the zero point within range, 9.0 and
#: -9.0 (300 codes) out of it (the scale widens); 0.01 rounds to 0 codes.
_ADD_SCALARS = [0.7, -0.37, 0.0, 9.0, 0.01, -9.0]
_MUL_SCALARS = [1.7, -0.6, 0.0, 0.25]


def _scalar_cases():
    for op in SCALAR_OPS:
        scalars = _ADD_SCALARS if ".add" in op else _MUL_SCALARS
        if op.endswith("_relu"):
            scalars = scalars[1::2]  # the relu forms: the negative ones and a few
        elif not op.endswith("_scalar"):
            scalars = scalars[::3]  # the overloads and QFunctional: a few
        for c in scalars:
            yield op, c


@pytest.mark.parametrize("dtype", [torch.quint8, torch.qint8], ids=["quint8", "qint8"])
@pytest.mark.parametrize("op,scalar", list(_scalar_cases()))
def test_scalar(op, scalar, dtype, engine, qnn_compile):
    x = _codes((1, 3, 5, 7), dtype, 0.03, 128 if dtype == torch.quint8 else 3)
    model = SCALAR_OPS[op](scalar)
    _torch_accepts(model, x)
    _check(qnn_compile, model, [x], engine)


@pytest.mark.parametrize("layout", ["contiguous", "channels_last"])
def test_scalar_chain(layout, engine, qnn_compile):
    """Scalar ops after one another (each result's quantization chosen by
    torch from the previous one's), on a channels-last input too."""
    x = _codes((2, 3, 4, 16), torch.quint8, 0.02, 200, layout=layout)
    model = Fn(lambda t: _Q.add_scalar_relu(_Q.mul_scalar(_Q.add_scalar(t, -1.3), -0.5), 0.2))
    _torch_accepts(model, x)
    _check(qnn_compile, model, [x], engine)


# ---------------------------------------------------------------------------
# cat
# ---------------------------------------------------------------------------

#: id -> (shapes, (scale, zero point offset from the dtype's base zero point)
#: of each input, layout, model(base zero point) of the inputs).
CATS: Dict[str, tuple] = {
    "torch.cat-dim1": ([(2, 3, 4, 5), (2, 5, 4, 5)], [(0.05, 0), (0.03, 17)], "contiguous",
                       lambda z: Fn2(lambda a, b: torch.cat([a, b], 1))),
    "torch.cat-dim0-3": ([(1, 3, 4), (2, 3, 4), (3, 3, 4)], [(0.05, 0), (0.1, -20), (0.02, 9)],
                         "contiguous", lambda z: Fn3(lambda a, b, c: torch.cat([a, b, c]))),
    "torch.cat-dim-1": ([(2, 3, 4, 5), (2, 3, 4, 2)], [(0.05, 0), (0.05, 0)], "contiguous",
                        lambda z: Fn2(lambda a, b: torch.cat((a, b), dim=-1))),
    "torch.concat-dim2": ([(2, 3, 4, 5), (2, 3, 1, 5)], [(0.05, 0), (0.07, 30)], "contiguous",
                          lambda z: Fn2(lambda a, b: torch.concat([a, b], 2))),
    # The second input is copied, the others requantized.
    "quantized.cat-dim1-3": ([(2, 3, 4, 5), (2, 2, 4, 5), (2, 4, 4, 5)],
                             [(0.05, 0), (0.04, 5), (0.2, -7)], "contiguous",
                             lambda z: Fn3(lambda a, b, c: _Q.cat([a, b, c], 1, 0.04, z + 5))),
    "quantized.cat-dim-2": ([(2, 3, 4, 5), (2, 3, 3, 5)], [(0.01, 0), (0.5, 40)], "contiguous",
                            lambda z: Fn2(lambda a, b: _Q.cat([a, b], -2, 0.03, z - 4))),
    "QFunctional.cat-default": ([(4, 5), (3, 5)], [(0.05, 0), (0.3, 1)], "contiguous",
                                lambda z: Functional("cat", 1.0, 0)),
    "QFunctional.cat-dim1": ([(4, 5), (4, 3)], [(0.05, 0), (0.3, 1)], "contiguous",
                             lambda z: Functional("cat", 0.04, z + 2, 1)),
    "QFunctional.cat-3": ([(2, 2, 3), (2, 2, 3), (2, 2, 1)], [(0.05, 0), (0.3, 1), (0.01, -2)],
                          "contiguous", lambda z: FunctionalCat3("cat", 0.04, z + 2, -1)),
    # torch's NHWC path: the copied input has 40 channels, the requantized
    # ones 7 (all scalar), 45 (32 + 8 by fma, 5 plain) and 16 (8 + 8 by fma).
    "nhwc-quantized.cat-dim1": ([(2, 40, 3, 3), (2, 7, 3, 3), (2, 45, 3, 3)],
                                [(0.04, 5), (0.05, 0), (0.02, -9)], "channels_last",
                                lambda z: Fn3(lambda a, b, c: _Q.cat([a, b, c], 1, 0.04, z + 5))),
    "nhwc-quantized.cat-dim1-16": ([(1, 16, 2, 3), (1, 33, 2, 3)], [(0.05, 0), (0.02, -9)],
                                   "channels_last",
                                   lambda z: Fn2(lambda a, b: _Q.cat([a, b], 1, 0.03, z + 1))),
    "nhwc-torch.cat-dim1": ([(2, 5, 3, 3), (2, 3, 3, 3)], [(0.05, 0), (0.03, 17)],
                            "channels_last", lambda z: Fn2(lambda a, b: torch.cat([a, b], 1))),
    # Not dim 1: torch's generic path (plain dequantize), any channel count.
    "nhwc-torch.cat-dim3": ([(2, 40, 3, 3), (2, 40, 3, 2)], [(0.05, 0), (0.03, 17)],
                            "channels_last", lambda z: Fn2(lambda a, b: torch.cat([a, b], 3))),
    "nhwc-quantized.cat-dim0": ([(1, 40, 3, 3), (2, 40, 3, 3)], [(0.05, 0), (0.03, 17)],
                                "channels_last",
                                lambda z: Fn2(lambda a, b: _Q.cat([a, b], 0, 0.07, z))),
}


@pytest.mark.parametrize("dtype", [torch.quint8, torch.qint8], ids=["quint8", "qint8"])
@pytest.mark.parametrize("case", CATS)
def test_cat(case, dtype, engine, qnn_compile):
    shapes, qparams, layout, make = CATS[case]
    base = 100 if dtype == torch.quint8 else 0
    inputs = [_codes(shape, dtype, s, base + z, i, layout)
              for i, (shape, (s, z)) in enumerate(zip(shapes, qparams))]
    model = make(base)
    _torch_accepts(model, *inputs)
    _check(qnn_compile, model, inputs, engine)


def test_cat_mixed_dtypes_refused():
    """torch refuses to concatenate quint8 with qint8."""
    a = _codes((2, 3), torch.quint8, 0.1, 0)
    b = _codes((2, 3), torch.qint8, 0.1, 0)
    with pytest.raises(RuntimeError, match="All dtypes must be the same"):
        torch.cat([a, b])


# ---------------------------------------------------------------------------
# Shape ops
# ---------------------------------------------------------------------------


def _view_by_size(x: torch.Tensor) -> torch.Tensor:
    return x.view(x.size(0), -1)


def _pieces(split: Callable[[torch.Tensor], Sequence[torch.Tensor]], n: int):
    """The `n` pieces of `split(x)`, indexed (the last one as -1): qnn
    imports chunk/split through the indexing of their results."""
    def function(x: torch.Tensor) -> Tuple[torch.Tensor, ...]:
        pieces = split(x)
        return tuple(pieces[i] for i in range(n - 1)) + (pieces[-1],)
    return function


def _chunk_swap(x: torch.Tensor) -> torch.Tensor:
    a, b = x.chunk(2, 1)
    return torch.cat([b, a], 1)


#: id -> (input shape, dtype, layout, function).
SHAPE_OPS: Dict[str, tuple] = {
    "Tensor.permute": ((2, 3, 4, 5), torch.quint8, "contiguous", lambda x: x.permute(0, 2, 3, 1)),
    "Tensor.permute-varargs-neg": ((2, 3, 4, 5), torch.qint8, "contiguous",
                                   lambda x: x.permute(-1, 0, -2, 1)),
    "torch.permute": ((2, 3, 4), torch.quint8, "contiguous",
                      lambda x: torch.permute(x, (2, 0, 1))),
    "Tensor.permute-identity": ((2, 3, 4), torch.qint8, "contiguous",
                                lambda x: x.permute(0, 1, 2)),
    "Tensor.permute-nhwc": ((2, 3, 4, 5), torch.quint8, "channels_last",
                            lambda x: x.permute(0, 2, 3, 1)),
    "Tensor.transpose": ((2, 3, 4, 5), torch.qint8, "contiguous", lambda x: x.transpose(1, 2)),
    "torch.transpose-neg": ((2, 3, 4, 5), torch.quint8, "contiguous",
                            lambda x: torch.transpose(x, -1, 0)),
    "Tensor.transpose-nhwc": ((2, 3, 4, 5), torch.qint8, "channels_last",
                              lambda x: x.transpose(-3, -1)),
    "Tensor.squeeze": ((2, 1, 4, 1), torch.quint8, "contiguous", lambda x: x.squeeze()),
    "torch.squeeze-neg": ((2, 1, 4, 1), torch.qint8, "contiguous", lambda x: torch.squeeze(x, -1)),
    "Tensor.squeeze-not-1": ((2, 1, 4, 1), torch.quint8, "contiguous", lambda x: x.squeeze(0)),
    "Tensor.unsqueeze": ((2, 3, 4), torch.qint8, "contiguous", lambda x: x.unsqueeze(1)),
    "torch.unsqueeze-neg": ((2, 3, 4), torch.quint8, "contiguous",
                            lambda x: torch.unsqueeze(x, -1)),
    "Tensor.unsqueeze-first": ((2, 3, 4), torch.qint8, "contiguous", lambda x: x.unsqueeze(-4)),
    "Tensor.contiguous": ((2, 3, 4, 5), torch.quint8, "channels_last", lambda x: x.contiguous()),
    "Tensor.contiguous-cl": ((2, 3, 4, 5), torch.qint8, "contiguous",
                             lambda x: x.contiguous(memory_format=torch.channels_last)),
    "Tensor.clone": ((2, 3, 4, 5), torch.quint8, "contiguous", lambda x: x.clone()),
    "Tensor.detach": ((2, 3, 4, 5), torch.qint8, "contiguous", lambda x: x.detach()),
    "getitem-slice": ((2, 7, 4, 5), torch.quint8, "contiguous", lambda x: x[:, 1:]),
    "getitem-steps": ((2, 7, 4, 5), torch.qint8, "contiguous", lambda x: x[:, -5:-1:2, ::3]),
    "getitem-ellipsis-step": ((2, 7, 4, 5), torch.quint8, "contiguous", lambda x: x[..., 1::2]),
    "getitem-int": ((2, 7, 4, 5), torch.qint8, "contiguous", lambda x: x[1]),
    "getitem-neg-int-none": ((2, 7, 4, 5), torch.quint8, "contiguous",
                             lambda x: x[-1, :, None, -2]),
    "getitem-none-ellipsis": ((2, 7, 4, 5), torch.qint8, "contiguous",
                              lambda x: x[None, ..., 2:4]),
    "getitem-nhwc": ((2, 7, 4, 5), torch.quint8, "channels_last", lambda x: x[:, 2:6, :, 1:]),
    "getitem-size-bounds": ((2, 7, 4, 5), torch.qint8, "contiguous",
                            lambda x: x[:, :x.shape[1] // 2, x.size(2) - 3:]),
    "torch.chunk-uneven": ((2, 7, 4, 5), torch.qint8, "contiguous",
                           _pieces(lambda x: torch.chunk(x, 3, dim=1), 3)),
    "Tensor.chunk-neg": ((2, 7, 4, 5), torch.quint8, "contiguous",
                         _pieces(lambda x: x.chunk(2, -1), 2)),
    # The tuple itself returned: qnn returns its pieces.
    "Tensor.chunk-returned": ((2, 6, 4), torch.quint8, "contiguous", lambda x: x.chunk(2, 1)),
    "torch.split-returned": ((2, 7, 3), torch.qint8, "contiguous",
                             lambda x: torch.split(x, [2, 5], 1)),
    "Tensor.chunk-cat": ((2, 6, 4, 5), torch.qint8, "contiguous", _chunk_swap),
    "torch.split-uneven": ((2, 7, 4, 5), torch.quint8, "contiguous",
                           _pieces(lambda x: torch.split(x, 3, 1), 3)),
    "Tensor.split-sizes": ((2, 7, 5, 5), torch.qint8, "contiguous",
                           _pieces(lambda x: x.split([1, 3, 1], dim=-2), 3)),
    "Tensor.split-nhwc": ((2, 7, 4, 5), torch.quint8, "channels_last",
                          _pieces(lambda x: x.split(4, 1), 2)),
    "Tensor.split-one-piece": ((2, 7, 4, 5), torch.qint8, "contiguous",
                               lambda x: x.split(8, 1)[0]),
    "torch.flatten": ((2, 3, 4, 5), torch.quint8, "contiguous", lambda x: torch.flatten(x, 1)),
    "Tensor.flatten-all": ((2, 3, 4, 5), torch.qint8, "contiguous", lambda x: x.flatten()),
    "torch.flatten-neg": ((2, 3, 4, 5), torch.quint8, "contiguous",
                          lambda x: torch.flatten(x, -3, -2)),
    "nn.Flatten": ((2, 3, 4, 5), torch.qint8, "channels_last", nn.Flatten()),
    "nn.Unflatten": ((2, 12, 5), torch.quint8, "contiguous", nn.Unflatten(1, (3, 4))),
    "Tensor.reshape-infer": ((2, 3, 4, 5), torch.qint8, "contiguous", lambda x: x.reshape(2, -1)),
    "torch.reshape-regroup": ((2, 3, 4, 5), torch.quint8, "contiguous",
                              lambda x: torch.reshape(x, (4, 3, 10))),
    "Tensor.reshape-expand": ((2, 3, 20), torch.qint8, "contiguous",
                              lambda x: x.reshape(1, 2, 3, 4, 5)),
    "Tensor.reshape-nhwc": ((2, 3, 4, 5), torch.quint8, "channels_last",
                            lambda x: x.reshape(6, 20)),
    "Tensor.reshape-permuted": ((2, 3, 4, 5), torch.qint8, "contiguous",
                                lambda x: x.permute(0, 2, 3, 1).reshape(8, 15)),
    "Tensor.view": ((2, 3, 4, 5), torch.quint8, "contiguous", lambda x: x.view(6, 4, 5)),
    "Tensor.view-size": ((2, 3, 4, 5), torch.qint8, "contiguous", _view_by_size),
    "Tensor.view-same": ((2, 3, 4, 5), torch.quint8, "contiguous", lambda x: x.view(2, 3, 4, 5)),
}


@pytest.mark.parametrize("case", SHAPE_OPS)
def test_shape_op(case, engine, qnn_compile):
    shape, dtype, layout, function = SHAPE_OPS[case]
    x = _codes(shape, dtype, 0.05, 9 if dtype == torch.quint8 else -2, layout=layout)
    model = function if isinstance(function, nn.Module) else Fn(function)
    _torch_accepts(model, x)
    _check(qnn_compile, model, [x], engine)


CHANNEL_SHUFFLES: Dict[str, tuple] = {
    "nn.ChannelShuffle-2": ((2, 6, 3, 4), "contiguous", nn.ChannelShuffle(2)),
    "nn.ChannelShuffle-3-nhwc": ((1, 12, 2, 5), "channels_last", nn.ChannelShuffle(3)),
    "torch.channel_shuffle-3": ((2, 9, 2, 3), "contiguous", lambda x: torch.channel_shuffle(x, 3)),
    "F.channel_shuffle-2-nhwc": ((1, 4, 3, 5), "channels_last", lambda x: F.channel_shuffle(x, 2)),
}


@pytest.mark.parametrize("case", CHANNEL_SHUFFLES)
def test_channel_shuffle(case, engine, qnn_compile):
    """quint8 only: torch refuses qint8 (test_channel_shuffle_refusals)."""
    shape, layout, function = CHANNEL_SHUFFLES[case]
    x = _codes(shape, torch.quint8, 0.05, 9, layout=layout)
    model = function if isinstance(function, nn.Module) else Fn(function)
    _torch_accepts(model, x)
    _check(qnn_compile, model, [x], engine)


@pytest.mark.parametrize("shape,dtype,message", [
    ((2, 6, 3, 4), torch.qint8, "works only on QUInt8 but got QInt8"),
    ((2, 9, 7), torch.quint8, "channel_shuffle expects 4D input"),
    ((1, 4, 3, 2, 2), torch.quint8, "channel_shuffle expects 4D input"),
], ids=["qint8", "3d", "5d"])
def test_channel_shuffle_refusals(shape, dtype, message, engine):
    """What torch's quantized channel shuffle refuses (so qnn never sees it)."""
    x = _codes(shape, dtype, 0.05, 0)
    with pytest.raises(RuntimeError, match=message):
        torch.channel_shuffle(x, 2 if shape[1] % 2 == 0 else 3)


# ---------------------------------------------------------------------------
# Refusals
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("op", ["add", "mul"])
def test_xnnpack_layout_refused(op, engine, qnn_compile):
    """torch's XNNPACK add (qint8, qnnpack engine) and mul (qint8, output
    zero point below 127, both engines) take a channels-last operand in
    NHWC order and one of shape (1,1,4,1), whose NCHW strides are
    channels-last ones too, in NCHW order: its result differs from the same
    op on contiguous operands. qnn refuses such operands. A (1,16,4,1)
    operand is made channels-last first, and torch is right."""
    if op == "add" and engine != "qnnpack":
        pytest.skip("torch's add runs ATen here, which handles layouts")
    a = _codes((1, 16, 4, 4), torch.qint8, 0.03, 3, 1, "channels_last")
    b = _codes((1, 1, 4, 1), torch.qint8, 0.045, 3, 2)
    function = getattr(_Q, op)
    model = Fn2(lambda x, y: function(x, y, 0.06, 3))
    assert not torch.equal(model(a, b).int_repr(), model(a.contiguous(), b).int_repr())
    with pytest.raises(qnn.UnsupportedError, match="XNNPACK.*layout quirk"):
        qnn.from_torch(model, a, b)
    b = _codes((1, 16, 4, 1), torch.qint8, 0.045, 3, 2)
    assert torch.equal(model(a, b).int_repr(), model(a.contiguous(), b).int_repr())
    _check(qnn_compile, model, [a, b], engine)


#: (a shape, a channels-last, b shape, b channels-last, whether torch's
#: XNNPACK kernels misplace elements or fail, whether torch can run it here:
#: the last one aborts or crashes, writing past its result). Measured with
#: torch 1.13.1 in subprocesses.
_XNNPACK_LAYOUTS = [
    ((1, 16, 4, 4), True, (1, 1, 4, 1), False, True, True),
    ((1, 16, 4, 4), True, (1, 1, 4, 1), True, True, True),  # b keeps NCHW order
    ((1, 16, 4, 4), False, (1, 16, 1, 1), True, False, True),
    ((2, 8, 3, 5), True, (2, 8, 3, 5), False, False, True),  # b is made channels-last
    ((2, 8, 3, 5), True, (1, 8, 1, 5), False, False, True),
    ((2, 8, 3, 5), True, (1, 8, 3, 1), True, False, True),
    ((2, 8, 3, 5), True, (1, 1, 1, 1), False, False, True),
    ((2, 8, 3, 5), True, (1, 8, 1, 1), True, True, True),  # setup fails
    ((2, 8, 3, 5), True, (1, 8, 1, 1), False, True, True),  # setup fails
    ((2, 8, 3, 5), True, (2, 1, 3, 5), False, True, True),  # setup fails
    ((2, 3, 1, 1), True, (2, 3, 1, 1), False, False, True),  # both keep NCHW strides
    ((2, 4, 1, 3), True, (1, 4, 1, 1), False, True, False),
]


@pytest.mark.parametrize("a_shape,a_cl,b_shape,b_cl,misplaced,runnable", _XNNPACK_LAYOUTS)
def test_xnnpack_misaligns(a_shape, a_cl, b_shape, b_cl, misplaced, runnable):
    """The importer's model of torch's XNNPACK layouts, on configurations
    measured in torch (and, where that is safe, checked again)."""
    from qnn.importer.functional import xnnpack_misaligns
    a = _codes(a_shape, torch.qint8, 0.03, 3, 1, "channels_last" if a_cl else "contiguous")
    b = _codes(b_shape, torch.qint8, 0.045, 3, 2, "channels_last" if b_cl else "contiguous")
    assert xnnpack_misaligns(a_shape, a.stride(), b_shape, b.stride()) == misplaced
    if not runnable:
        return
    previous = torch.backends.quantized.engine
    torch.backends.quantized.engine = "qnnpack"
    try:
        right = _Q.add(a.contiguous(), b.contiguous(), 0.06, 3).int_repr()
        try:
            same = torch.equal(_Q.add(a, b, 0.06, 3).int_repr(), right)
        except RuntimeError as refusal:
            assert "xnn setup operator failed(2)" in str(refusal)
            same = False
    finally:
        torch.backends.quantized.engine = previous
    assert same == (not misplaced)


def _binary_ir(op: str, numerics: str, storage: str, shapes, scales, zero_points) -> str:
    types = [f"tensor<{'x'.join(map(str, shape))}x!quant.uniform<{storage}:f32, {s!r}:{z}>>"
             for shape, s, z in zip(shapes, scales, zero_points)]
    return (f'module attributes {{qnn.numerics = "{numerics}"}} {{\n'
            f"  func.func @forward(%a: {types[0]}, %b: {types[1]}) -> {types[2]} {{\n"
            f"    %r = qnn.{op} %a, %b : {types[0]}, {types[1]} -> {types[2]}\n"
            f"    return %r : {types[2]}\n  }}\n}}\n")


#: id -> (engine, op, dtype, a shape, b shape, (sa, sb, so), torch's message,
#: qnn's message).
REFUSALS: Dict[str, tuple] = {
    "qnnpack-add-ratio-high": (
        "qnnpack", "add", torch.quint8, (2, 8), (2, 8), (2.56, 0.01, 0.01),
        "failed to create QNNPACK Add", r"\[2\*\*-14, 2\*\*8\), got 256"),
    "qnnpack-add-ratio-low": (
        "qnnpack", "add", torch.quint8, (2, 8), (2, 8), (0.01, 0.0001, 2.0),
        "failed to create QNNPACK Add", r"\[2\*\*-14, 2\*\*8\)"),
    "xnnpack-add-ratio-low": (
        "qnnpack", "add", torch.qint8, (2, 8), (8,), (0.01, 0.0005, 1.0),
        r"xnnp_add\(\): xnn create operator failed\(4\)", r"\[2\*\*-10, 2\*\*8\)"),
    "xnnpack-mul-multiplier": (
        "onednn", "mul", torch.qint8, (2, 8), (2, 8), (1.0, 1.0, 0.001),
        r"xnnp_mul\(\): xnn create operator failed\(4\)", r"\[2\*\*-16, 2\*\*8\)"),
}


@pytest.mark.parametrize("case", REFUSALS)
def test_refusal(case, qnn_compile):
    """Where torch refuses a configuration, qnn's verifier refuses it with
    the limit in its message."""
    engine, op, dtype, a_shape, b_shape, scales, torch_message, qnn_message = REFUSALS[case]
    if engine not in torch.backends.quantized.supported_engines:
        pytest.skip(f"this torch build has no {engine} engine")
    zero_point = 3
    a = _codes(a_shape, dtype, scales[0], zero_point, 1)
    b = _codes(b_shape, dtype, scales[1], zero_point, 2)
    previous = torch.backends.quantized.engine
    torch.backends.quantized.engine = engine
    try:
        with pytest.raises(RuntimeError, match=torch_message):
            getattr(_Q, op)(a, b, scales[2], zero_point)
    finally:
        torch.backends.quantized.engine = previous
    storage = "u8" if dtype == torch.quint8 else "i8"
    out_shape = tuple(torch.broadcast_shapes(a_shape, b_shape))
    ir = _binary_ir(op, engine, storage, [a_shape, b_shape, out_shape], scales,
                    [zero_point] * 3)
    with pytest.raises(RuntimeError, match=qnn_message):
        qnn_compile.mlir(ir)


def test_mixed_dtypes_refused(qnn_compile):
    """torch refuses to add quint8 to qint8; so does qnn's verifier."""
    a = _codes((4,), torch.quint8, 0.1, 3)
    b = _codes((4,), torch.qint8, 0.1, 3)
    with pytest.raises(RuntimeError, match="same data type"):
        _Q.add(a, b, 0.2, 3)
    ir = _binary_ir("add", "onednn", "u8", [(4,), (4,), (4,)], [0.1, 0.1, 0.2], [3, 3, 3])
    ir = ir.replace("%b: tensor<4x!quant.uniform<u8", "%b: tensor<4x!quant.uniform<i8", 1)
    ir = ir.replace(", tensor<4x!quant.uniform<u8:f32, 0.1:3>> ->",
                    ", tensor<4x!quant.uniform<i8:f32, 0.1:3>> ->", 1)
    with pytest.raises(RuntimeError, match="same storage type"):
        qnn_compile.mlir(ir)


# ---------------------------------------------------------------------------
# Crafted inputs for ATen's AVX2 kernels
# ---------------------------------------------------------------------------

_AVX2_ONLY = pytest.mark.skipif(cpu_capability() != "AVX2",
                                reason="the crafted inputs assume ATen's AVX2 kernels")


@_AVX2_ONLY
def test_add_scalar_lambda(engine, qnn_compile):
    """65 elements plus a broadcast one: torch computes element 64 with its
    scalar lambda, which rounds the codes (6, 188) here to 81 where the
    vector lambda gives 82 (found by search with arithmetic_ref.py); the
    importer records it in the add's scalar_ranges."""
    codes = torch.full((65,), 6, dtype=torch.uint8)
    a = torch._make_per_tensor_quantized_tensor(codes, 0.02000049129128456, 47)
    b = torch._make_per_tensor_quantized_tensor(
        torch.tensor([188], dtype=torch.uint8), 0.09541037678718567, 194)
    model = Fn2(lambda x, y: _Q.add(x, y, 0.0960332602262497, 96))
    expected = model(a, b).int_repr()
    assert expected[0] == 82 and expected[64] == 81
    assert torch.equal(qnn_compile(model, a, b)(a, b).int_repr(), expected)


@_AVX2_ONLY
def test_cat_nhwc_fma(engine, qnn_compile):
    """Code 239 of 0.0982...:233 requantized to 0.0104...:17: 74 by fma
    dequantize (torch's NHWC cat, channel 0 of 8), 73 by plain dequantize
    (its generic path); the importer gives the requantize fma_channels."""
    a = torch._make_per_tensor_quantized_tensor(
        torch.full((1, 8, 2, 2), 239, dtype=torch.uint8), 0.09827901422977448, 233
    ).contiguous(memory_format=torch.channels_last)
    b = _codes((1, 8, 2, 2), torch.quint8, 0.010436716489493847, 17, layout="channels_last")
    model = Fn2(lambda x, y: _Q.cat([x, y], 1, 0.010436716489493847, 17))
    expected = model(a, b).int_repr()
    assert expected[0, 0, 0, 0] == 74
    assert model(a.contiguous(), b.contiguous()).int_repr()[0, 0, 0, 0] == 73
    assert torch.equal(qnn_compile(model, a, b)(a, b).int_repr(), expected)
