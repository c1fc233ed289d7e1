"""The bit-exact harness: runs a torch model and its compiled qnn form on
the example inputs and on random inputs of the same types, and compares
them exactly (see test_bitexact's docstring for the input kinds and the
oneDNN saturation bound)."""

from __future__ import annotations

import functools
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

import pytest
import torch
import torch.ao.nn.quantized
import torch.nn as nn
import torch.nn.quantized as nnq

import qnn
from qnn.importer.graph import copy_tensor

#: Seeds of the further inputs, and the kind of each.
INPUT_KINDS = ["uniform", "uniform", "extremes", "min", "max"]

_QRANGE = {torch.quint8: (0, 255), torch.qint8: (-128, 127),
           torch.qint32: (-2 ** 31, 2 ** 31 - 1)}

#: Quantized modules whose integer dot products oneDNN computes with
#: vpmaddubsw on CPUs without VNNI (nniq.LinearReLU and the ConvReLUs are
#: subclasses).
_CONTRACTIONS = (nnq.Linear, nnq.Conv1d, nnq.Conv2d, nnq.Conv3d)

#: The largest int16 sum of two adjacent u8 x s8 products that vpmaddubsw
#: does not saturate.
_INT16_MAX = 32767


@functools.lru_cache(maxsize=None)
def cpu_has_vnni() -> bool:
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            flags = {flag for line in cpuinfo if line.startswith("flags")
                     for flag in line.split(":", 1)[1].split()}
    except OSError:
        return False
    return bool(flags & {"avx512_vnni", "avx_vnni"})


def torch_saturates(engine: str) -> bool:
    """Whether torch's `engine` may saturate int16 pair sums (onednn on an
    x86 CPU without VNNI)."""
    return engine == "onednn" and not cpu_has_vnni()


# ---------------------------------------------------------------------------
# Running torch
# ---------------------------------------------------------------------------


def _clone(inputs: Sequence[torch.Tensor]) -> List[torch.Tensor]:
    """Copies in the inputs' memory formats (torch's kernels depend on it)."""
    return [copy_tensor(x) for x in inputs]


def _contiguous_input(module: nn.Module, args: Tuple[Any, ...]) -> Tuple[Any, ...]:
    return (args[0].contiguous(),) + tuple(args[1:])


def run_torch(model: nn.Module, inputs: Sequence[torch.Tensor]) -> Any:
    """The torch model on copies of `inputs` (in-place modules), with the
    inputs of nnq.ReLU6 made contiguous: torch's qnnpack ReLU6 misplaces the
    elements of channels-last inputs (see test_qnnpack_relu6_channels_last)."""
    handles = [m.register_forward_pre_hook(_contiguous_input) for m in model.modules()
               if isinstance(m, nnq.ReLU6)]
    try:
        with torch.no_grad():
            return model(*_clone(inputs))
    finally:
        for handle in handles:
            handle.remove()


def _max_weight_code(module: nn.Module) -> int:
    return int(module.weight().int_repr().to(torch.int32).abs().max())


def saturation_risks(model: nn.Module, inputs: Sequence[torch.Tensor]) -> Tuple[Any, List[str]]:
    """Runs the torch model; returns its outputs and, for every quantized
    Linear/Conv whose input could make vpmaddubsw saturate, a description."""
    risks: List[str] = []
    weight_codes: Dict[int, int] = {}

    def check(module: nn.Module, args: Tuple[Any, ...]) -> None:
        x = args[0]
        if not (isinstance(x, torch.Tensor) and x.is_quantized and x.dtype == torch.quint8):
            return
        if id(module) not in weight_codes:
            weight_codes[id(module)] = _max_weight_code(module)
        x_max, w_max = int(x.int_repr().max()), weight_codes[id(module)]
        if 2 * x_max * w_max > _INT16_MAX:
            risks.append(f"{type(module).__name__}: input code {x_max}, weight code {w_max}")

    handles = [m.register_forward_pre_hook(check) for m in model.modules()
               if isinstance(m, _CONTRACTIONS)]
    try:
        outputs = run_torch(model, inputs)
    finally:
        for handle in handles:
            handle.remove()
    return outputs, risks


def quantize_params(model: nn.Module, inputs: Sequence[torch.Tensor]) -> Dict[int, nn.Module]:
    """For each float input that an nnq.Quantize reads directly, that module
    (by input index)."""
    found: Dict[int, nn.Module] = {}
    if all(x.is_quantized for x in inputs):
        return found
    # Float inputs are passed as they are (for their identity): no supported
    # in-place module can read a float tensor. Quantized ones are copied.
    inputs = [x if not x.is_quantized else x.clone() for x in inputs]

    def record(module: nn.Module, args: Tuple[Any, ...]) -> None:
        for i, x in enumerate(inputs):
            if args[0] is x:
                found.setdefault(i, module)

    handles = [m.register_forward_pre_hook(record) for m in model.modules()
               if isinstance(m, nnq.Quantize)]
    try:
        with torch.no_grad():
            model(*inputs)
    finally:
        for handle in handles:
            handle.remove()
    return found


# ---------------------------------------------------------------------------
# Random inputs
# ---------------------------------------------------------------------------


def _codes(kind: str, shape: Sequence[int], low: int, high: int,
           g: torch.Generator) -> torch.Tensor:
    """int64 codes in [low, high] of the given kind."""
    if kind == "min":
        return torch.full(tuple(shape), low, dtype=torch.long)
    if kind == "max":
        return torch.full(tuple(shape), high, dtype=torch.long)
    if kind == "extremes":
        pick = torch.randint(0, 2, tuple(shape), generator=g).bool()
        return torch.where(pick, torch.tensor(high), torch.tensor(low))
    if high - low < 2 ** 40:
        return torch.randint(low, high + 1, tuple(shape), generator=g)
    raise AssertionError("code range too large")


def _code_range(low: int, high: int, zero_point: int, width: Optional[int]) -> Tuple[int, int]:
    """[low, high] narrowed to at most `width` codes either side of the zero
    point (or of the nearest code to it)."""
    if width is None:
        return low, high
    center = min(max(zero_point, low), high)
    return max(low, center - width), min(high, center + width)


def _like_layout(x: torch.Tensor, example: torch.Tensor) -> torch.Tensor:
    """`x` in `example`'s memory format (channels-last or contiguous)."""
    if example.dim() == 4 and not example.is_contiguous() and \
            example.is_contiguous(memory_format=torch.channels_last):
        return x.contiguous(memory_format=torch.channels_last)
    return x


def random_input(example: torch.Tensor, quantize: Optional[nn.Module], kind: str,
                 g: torch.Generator, cap: Optional[int] = None,
                 width: Optional[int] = None) -> torch.Tensor:
    """A random input like `example`. Quantized inputs get codes of `kind`;
    float inputs read by the `quantize` module get values whose quantized
    codes are of `kind`: grid points, ties (half-way) and values in between,
    including codes up to 3 beyond the quantized range (clamped). `cap`
    bounds the codes, `width` their distance from the zero point."""
    shape = tuple(example.shape)
    if example.is_quantized:
        low, high = _QRANGE[example.dtype]
        if cap is not None:
            high = min(high, cap)
        low, high = _code_range(low, high, example.q_zero_point(), width)
        codes = _codes(kind, shape, low, high, g)
        storage = {torch.quint8: torch.uint8, torch.qint8: torch.int8,
                   torch.qint32: torch.int32}[example.dtype]
        fresh = torch._make_per_tensor_quantized_tensor(
            codes.to(storage), example.q_scale(), example.q_zero_point())
        # In the example's memory format: torch's kernels depend on it.
        return _like_layout(fresh, example)
    assert example.dtype == torch.float32, example.dtype
    if quantize is None:
        spread = float(example.abs().max()) * 1.5 + 1.0
        return (torch.rand(shape, generator=g) * 2 - 1) * spread
    scale = float(quantize.scale)
    zero_point = int(quantize.zero_point)
    low, high = _QRANGE[quantize.dtype]
    if quantize.dtype == torch.qint32:
        # float32 cannot hold int32 codes exactly: stay where it can.
        low, high = max(low, zero_point - 2 ** 20), min(high, zero_point + 2 ** 20)
    if cap is None:
        low, high = low - 3, high + 3
    else:
        # A tie above code cap - 1 would round up to cap + 1 when cap is odd.
        high = min(high, cap - 1)
    low, high = _code_range(low, high, zero_point, width)
    codes = _codes(kind, shape, low, high, g)
    offsets = torch.tensor([0.0, 0.5, -0.5, 0.25, -0.4999, 0.4999])[
        torch.randint(0, 6, shape, generator=g)].double()
    if kind != "uniform":
        offsets.zero_()
    return ((codes - zero_point).double() + offsets).mul(scale).float()


#: (cap, width) of the successive attempts at inputs that keep torch's
#: onednn from saturating: direct quantized inputs first get codes 0..127,
#: then all inputs get closer and closer to their zero point (which keeps
#: the inputs of later layers small too).
_NARROWING = [(None, None), (127, None)] + [(127, w) for w in (64, 32, 16, 8, 4, 2, 1)]


def input_sets(model: nn.Module, example_inputs: Sequence[torch.Tensor], engine: str,
               kinds: Sequence[str] = INPUT_KINDS) -> List[Tuple[torch.Tensor, ...]]:
    """The example inputs and one random set per kind (seeded by position).
    Where torch's onednn may saturate, each random set is drawn from narrower
    code ranges until no quantized Linear/Conv can saturate. The example
    inputs are kept as they are: only SmallModel's are at risk by the
    conservative bound (calibrated activations up to code 255 into weights
    with code -128), and torch's results on them are exact."""
    quantizers = quantize_params(model, example_inputs)
    sets = [tuple(example_inputs)]
    for seed, kind in enumerate(kinds):
        for cap, width in _NARROWING:
            g = torch.Generator().manual_seed(1000 + seed)
            inputs = tuple(random_input(x, quantizers.get(i), kind, g, cap, width)
                           for i, x in enumerate(example_inputs))
            if not torch_saturates(engine) or not saturation_risks(model, inputs)[1]:
                break
        else:
            pytest.fail(f"no {kind} inputs avoid oneDNN's int16 saturation: "
                        f"{saturation_risks(model, inputs)[1]}")
        sets.append(inputs)
    return sets


# ---------------------------------------------------------------------------
# Comparing
# ---------------------------------------------------------------------------


def _mismatch_report(actual: torch.Tensor, expected: torch.Tensor, limit: int = 5) -> str:
    differ = actual != expected
    positions = differ.nonzero().tolist()
    lines = [f"{len(positions)} of {actual.numel()} elements differ; first ones "
             "(position: qnn, torch):"]
    for position in positions[:limit]:
        index = tuple(position)
        lines.append(f"  {index}: {actual[index].item()!r}, {expected[index].item()!r}")
    return "\n".join(lines)


def assert_same_tensor(actual: Any, expected: torch.Tensor, what: str) -> None:
    assert isinstance(actual, torch.Tensor), f"{what}: qnn returned {type(actual)}"
    assert actual.dtype == expected.dtype, f"{what}: dtype {actual.dtype} != {expected.dtype}"
    assert actual.shape == expected.shape, f"{what}: shape {actual.shape} != {expected.shape}"
    if expected.is_quantized:
        assert actual.qscheme() == expected.qscheme()
        assert actual.q_scale() == expected.q_scale(), (
            f"{what}: scale {actual.q_scale()!r} != {expected.q_scale()!r}")
        assert actual.q_zero_point() == expected.q_zero_point(), (
            f"{what}: zero point {actual.q_zero_point()} != {expected.q_zero_point()}")
        a, e = actual.int_repr(), expected.int_repr()
        assert torch.equal(a, e), f"{what}: {_mismatch_report(a, e)}"
    elif expected.is_floating_point():
        # torch.equal, and also the sign of zeros and NaN where torch has NaN.
        nan = expected.isnan()
        assert torch.equal(actual.isnan(), nan), (
            f"{what}: NaN positions differ: {_mismatch_report(actual, expected)}")
        bits = {torch.float32: torch.int32, torch.float64: torch.int64}[expected.dtype]
        a = actual.masked_fill(nan, 0).contiguous().view(bits)
        e = expected.masked_fill(nan, 0).contiguous().view(bits)
        assert torch.equal(a, e), f"{what}: {_mismatch_report(actual, expected)}"
    else:
        assert torch.equal(actual, expected), f"{what}: {_mismatch_report(actual, expected)}"


def outputs_of(result: Any) -> Tuple[torch.Tensor, ...]:
    return tuple(result) if isinstance(result, (tuple, list)) else (result,)


def assert_same(actual: Any, expected: Any, what: str) -> None:
    """qnn's result equals torch's exactly (tuples element-wise)."""
    expected_outputs = outputs_of(expected)
    actual_outputs = outputs_of(actual)
    assert isinstance(actual, tuple) == isinstance(expected, (tuple, list)), what
    assert len(actual_outputs) == len(expected_outputs), what
    for i, (a, e) in enumerate(zip(actual_outputs, expected_outputs)):
        assert_same_tensor(a, e, f"{what}, output {i}")


def _describe(inputs: Sequence[torch.Tensor]) -> str:
    parts = []
    for x in inputs:
        if x.is_quantized:
            codes = x.int_repr()
            parts.append(f"{x.dtype}{list(x.shape)} {x.q_scale()!r}:{x.q_zero_point()} "
                         f"codes {int(codes.min())}..{int(codes.max())}")
        else:
            parts.append(f"{x.dtype}{list(x.shape)} {float(x.min()):g}..{float(x.max()):g}")
    return ", ".join(parts)


def check_bitexact(compiled: qnn.CompiledModel, model: nn.Module,
                   sets: Sequence[Sequence[torch.Tensor]], engine: str) -> None:
    """The compiled model equals the torch model on every input set, leaves
    its inputs alone and returns fresh tensors on each call."""
    results = []
    for n, inputs in enumerate(sets):
        what = "example inputs" if n == 0 else f"random inputs {n} ({_describe(inputs)})"
        if torch_saturates(engine):
            # Only the example inputs can be at risk (input_sets).
            expected, risks = saturation_risks(model, inputs)
            if risks:
                what += f" (at risk of oneDNN's int16 saturation: {risks})"
        else:
            expected = run_torch(model, inputs)
        before = _clone(inputs)
        actual = compiled(*inputs)
        for i, (x, b) in enumerate(zip(inputs, before)):
            assert_same_tensor(x, b, f"{what}: input {i} after the call")
        assert_same(actual, expected, what)
        results.append((actual, expected))
    # Earlier results are not overwritten by later calls.
    for n, (actual, expected) in enumerate(results):
        assert_same(actual, expected, f"input set {n}, checked again after all calls")


def compile_and_check(qnn_compile: Callable[..., qnn.CompiledModel], model: nn.Module,
                      inputs: Sequence[torch.Tensor], engine: str) -> qnn.CompiledModel:
    compiled = qnn_compile(model, *inputs)
    check_bitexact(compiled, model, input_sets(model, inputs, engine), engine)
    return compiled


def convert_and_reload(get_model: Callable[[], nn.Module], calibration: torch.Tensor
                       ) -> Tuple[nn.Module, nn.Module]:
    """The seed's state_dict round trip (its `_test_*_serialization`): a model
    prepared, calibrated on `calibration` and converted, and a second one
    converted uncalibrated that loads the first one's state_dict."""
    m1 = get_model()
    m1.qconfig = torch.ao.quantization.default_qconfig
    mp1 = torch.ao.quantization.prepare(m1)
    mp1(calibration)
    mq1 = torch.ao.quantization.convert(mp1)
    m2 = get_model()
    m2.qconfig = torch.ao.quantization.default_qconfig
    mq2 = torch.ao.quantization.convert(torch.ao.quantization.prepare(m2))
    mq2.load_state_dict(mq1.state_dict())
    return mq1, mq2


class Bag(nn.Module):
    """An EmbeddingBag module called with indices and offsets (FX traces
    each forward argument as an input)."""

    def __init__(self, bag: nn.Module) -> None:
        super().__init__()
        self.bag = bag

    def forward(self, indices, offsets):
        return self.bag(indices, offsets)


class WeightedBag(Bag):
    """... and with per-sample weights."""

    def forward(self, indices, offsets, weights):
        return self.bag(indices, offsets, per_sample_weights=weights)
