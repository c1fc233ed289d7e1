"""Which elements ATen's vectorized elementwise loops compute with their
scalar lambda.

ATen's quantized elementwise kernels (the activations, `quantized::add`)
run `cpu_kernel_vec`, whose vector and scalar lambdas round differently
(docs/numerics/activations.md, docs/numerics/arithmetic.md). Which lambda an
element gets depends on the layout, not on the values: TensorIterator
reorders the dimensions by stride and coalesces them, `at::parallel_for`
cuts the iteration space into one chunk per thread from `GRAIN_SIZE`
elements, and each call of the inner loop over `n` elements runs the vector
lambda on the first `n // step * step` of them (`step = 2 *
Vectorized::size()`) when every operand has unit stride there, or all but
one input, which has stride 0; otherwise the scalar lambda on all. The
result is given as `[begin, end)` pairs of positions in the output's memory
order (the `scalar_ranges` attribute of `qnn.activation` and `qnn.add`).
"""

from __future__ import annotations

import functools
import math
from typing import List, Sequence, Tuple

import torch

#: at::internal::GRAIN_SIZE: ATen splits a loop over threads from this size.
GRAIN_SIZE = 32768


@functools.lru_cache(maxsize=None)
def cpu_capability() -> str:
    """The vector ISA ATen's kernels use in this process (AVX2 by default on
    x86 even where AVX-512 exists; ATEN_CPU_CAPABILITY changes it)."""
    for line in torch.__config__.show().splitlines():
        if "CPU capability usage:" in line:
            return line.split(":", 1)[1].strip().upper()
    return "DEFAULT"


def vector_bytes() -> int:
    """The width of ATen's `Vectorized` in bytes (32 under AVX2, 64 under
    AVX-512), 0 with its default (non-AVX) vectors, whose dequantize is the
    scalar formula."""
    return {"AVX2": 32, "AVX512": 64}.get(cpu_capability(), 0)


def vector_step(dtype: torch.dtype) -> int:
    """Elements per step of the vector lambda (two vectors), 0 with ATen's
    default vectors."""
    return 2 * vector_bytes() // (4 if dtype in (torch.qint32, torch.float32) else 1)


def memory_order(shape: Sequence[int], strides: Sequence[int]) -> List[int]:
    """The dimensions from outermost to innermost in memory (unit
    dimensions, whose stride means nothing, outermost)."""
    return sorted(range(len(shape)), key=lambda d: (shape[d] != 1, -strides[d], d))


def broadcast_strides(shape: Sequence[int], strides: Sequence[int],
                      out_shape: Sequence[int]) -> Tuple[int, ...]:
    """The strides of a tensor of `shape` broadcast to `out_shape`: 0 along
    the dimensions it is broadcast in (and the leading ones it lacks)."""
    lead = len(out_shape) - len(shape)
    result = [0] * lead
    for size, stride, out in zip(shape, strides, out_shape[lead:]):
        result.append(stride if size == out else 0)
    return tuple(result)


def _iteration_layout(shape: Sequence[int], operands: Sequence[Sequence[int]]
                      ) -> Tuple[List[int], List[List[int]]]:
    """TensorIterator's reorder_dimensions and coalesce_dimensions:
    (sizes, strides per operand), fastest dimension first. `operands` are
    the element strides of [output, inputs...]."""
    rank = len(shape)
    if rank == 0:
        return [1], [[0] for _ in operands]

    def should_swap(d0: int, d1: int) -> int:
        for strides in operands:
            a, b = strides[d0], strides[d1]
            if a == 0 or b == 0:
                continue
            if a != b:
                return -1 if a < b else 1
            if shape[d0] > shape[d1]:
                return 1
        return 0

    perm = list(reversed(range(rank)))
    for i in range(1, rank):
        d1 = i
        for d0 in range(i - 1, -1, -1):
            comparison = should_swap(perm[d0], perm[d1])
            if comparison > 0:
                perm[d0], perm[d1] = perm[d1], perm[d0]
                d1 = d0
            elif comparison < 0:
                break
    sizes = [shape[p] for p in perm]
    strides = [[s[p] for p in perm] for s in operands]
    last = 0
    for d in range(1, rank):
        if sizes[last] == 1 or sizes[d] == 1 or all(
                sizes[last] * s[last] == s[d] for s in strides):
            if sizes[last] == 1:
                for s in strides:
                    s[last] = s[d]
            sizes[last] *= sizes[d]
        else:
            last += 1
            if last != d:
                for s in strides:
                    s[last] = s[d]
                sizes[last] = sizes[d]
    return sizes[:last + 1], [s[:last + 1] for s in strides]


def scalar_ranges(shape: Sequence[int], out_strides: Sequence[int],
                  in_strides: Sequence[Sequence[int]], dtype: torch.dtype) -> List[int]:
    """The positions, in the output's memory order, that ATen's loop over a
    freshly allocated (dense) output computes with its scalar lambda, as
    `[begin, end)` pairs. `in_strides` are the inputs' strides broadcast to
    `shape` (0 where broadcast)."""
    numel = math.prod(shape)
    if numel == 0:
        return []
    step = vector_step(dtype)
    if step == 0:
        return [0, numel]
    sizes, strides = _iteration_layout(shape, [out_strides, *in_strides])
    inner = [s[0] for s in strides]
    vectorized = all(s == 1 for s in inner) or any(
        inner[k] == 0 and all(s == 1 for j, s in enumerate(inner) if j != k)
        for k in range(1, len(inner)))
    if not vectorized:
        return [0, numel]
    threads = torch.get_num_threads()
    tasks = 1 if numel < GRAIN_SIZE else max(1, min(threads, -(-numel // GRAIN_SIZE)))
    chunk = -(-numel // tasks)
    row = sizes[0]
    ranges: List[int] = []
    # The output is dense and iterated in its memory order, so a position of
    # the iteration space is one of the output's memory.
    for begin in range(0, numel, chunk):
        end = min(numel, begin + chunk)
        position = begin
        while position < end:
            row_end = min(end, (position // row + 1) * row)
            tail = (row_end - position) % step
            if tail:
                if ranges and ranges[-1] == row_end - tail:
                    ranges[-1] = row_end
                else:
                    ranges += [row_end - tail, row_end]
            position = row_end
    return ranges


def scalar_range_attrs(shape: Sequence[int], out_strides: Sequence[int],
                       in_strides: Sequence[Sequence[int]], dtype: torch.dtype) -> str:
    """The `scalar_ranges` and `memory_order` attributes of an op torch
    computes with such a loop, as an attribute dictionary ('' if every
    element takes the vector lambda)."""
    ranges = scalar_ranges(shape, out_strides, in_strides, dtype)
    if not ranges:
        return ""
    attrs = [f"scalar_ranges = array<i64: {', '.join(map(str, ranges))}>"]
    order = memory_order(shape, out_strides)
    if order != list(range(len(shape))):
        attrs.append(f"memory_order = array<i64: {', '.join(map(str, order))}>")
    return " {" + ", ".join(attrs) + "}"
