"""Bit-exact tests of compiled qnn models against PyTorch.

Every model is compiled once with `qnn.compile` for the engine under test and
called on its example inputs and on further random inputs (fixed seeds) of the
same shapes and quantization parameters: uniform codes, only the extreme
codes, all-minimum and all-maximum codes; float inputs of a Quantize get
values on the quantization grid, exactly half-way between grid points (ties)
and beyond its range. The results must equal the torch model's exactly:
quantized outputs in dtype, scale, zero point and integer representation,
float outputs bit for bit. There is no tolerance anywhere except for the
decomposed (float reference) form, see `test_decomposed`.

The one exception is a known inexactness of PyTorch itself. On x86 CPUs
without VNNI (no `avx512_vnni` / `avx_vnni` flag in /proc/cpuinfo), oneDNN
multiplies u8 activations by s8 weights with vpmaddubsw, which adds adjacent
pairs of products into int16 with saturation: torch's onednn results are not
the exact integer arithmetic when two such products sum beyond 32767 (for
example codes 255 and 255 times weights 127 and 127). PyTorch warns about it
and recommends reduce_range (7-bit activations); qnn computes the exact sum.
So on such CPUs the inputs given to onednn models keep every quantized
Linear/Conv input small enough (max code * max |weight code| * 2 <= 32767,
checked on each call with hooks; direct quantized inputs use codes 0..127,
and inputs are drawn from narrower ranges until the check holds).
`test_onednn_saturation` demonstrates the difference. qnnpack is exact on all
x86 CPUs and always gets the full code range. (The example inputs are used
as they are; only SmallModel's are at risk by that conservative bound, and
they match.)

A second PyTorch bug is worked around: torch's qnnpack ReLU6 misplaces the
elements of a channels-last input (which a quantized Conv returns), so the
torch reference gives nnq.ReLU6 a contiguous copy of its input
(`run_torch`; `test_qnnpack_relu6_channels_last` demonstrates the bug).

Further tests: edge values of Quantize/DeQuantize, randomized Linear/Conv
configurations (shapes, geometry, scales, zero points, per-tensor and
per-channel weights, bias, ReLU, large accumulators, saturated outputs), the
decomposed form (within one quantization step of torch), that no torch
quantized kernel, module or quantize/dequantize function runs when a
compiled model is called, and the errors a compiled model raises on wrong
inputs.

Quantize and dequantize follow torch on x86 to the edges: qint32's whole
range, dequantize's wrapping int32 subtraction, and the lowest code for +inf
and values beyond the int64 range (x86's conversion, which torch relies on).
"""

from __future__ import annotations

import re
from typing import Any, Callable, Dict, List, Sequence, Tuple

import pytest
import torch
import torch.ao.nn.quantized
import torch.ao.nn.quantized.functional as nnqF
import torch.nn as nn
import torch.nn.intrinsic.quantized as nniq
import torch.nn.quantized as nnq

import configs
import qnn
from conftest import ENGINES

from harness import (_INT16_MAX, _QRANGE, INPUT_KINDS, _clone, assert_same, check_bitexact,
                     compile_and_check, cpu_has_vnni, input_sets, outputs_of, run_torch,
                     torch_saturates)

# ---------------------------------------------------------------------------
# 1. The configurations of `configs`
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("cfg", configs.LINEAR_CONFIGS,
                         ids=configs.config_ids(configs.LINEAR_CONFIGS))
def test_linear(cfg, engine, build, qnn_compile):
    model, inputs = build(configs.build_linear, cfg)
    compile_and_check(qnn_compile, model, inputs, engine)


@pytest.mark.parametrize("cfg", configs.CONV_CONFIGS,
                         ids=configs.config_ids(configs.CONV_CONFIGS))
def test_conv(cfg, engine, build, qnn_compile):
    model, inputs = build(configs.build_conv, cfg)
    compile_and_check(qnn_compile, model, inputs, engine)


@pytest.mark.parametrize("kind", configs.FLOAT_IO_CASES)
def test_float_io(kind, engine, build, qnn_compile):
    builder, cfg = configs.FLOAT_IO_CASES[kind]
    model, inputs = build(builder, cfg, float_io=True)
    compile_and_check(qnn_compile, model, inputs, engine)


@pytest.mark.parametrize("dequantize", [True, False], ids=["quant-dequant", "quant"])
@pytest.mark.parametrize("cfg", configs.QUANT_DEQUANT_CONFIGS,
                         ids=configs.config_ids(configs.QUANT_DEQUANT_CONFIGS))
def test_quant_dequant(cfg, dequantize, engine, qnn_compile):
    model, inputs = configs.build_quant_dequant(cfg, dequantize)
    compile_and_check(qnn_compile, model, inputs, engine)


def _edge_values(dtype: torch.dtype, scale: float, zero_point: int) -> torch.Tensor:
    """Floats whose quantization is well defined in torch (x / scale within
    int64): the ends of the quantized range and just beyond, ties, far
    beyond, -inf and NaN (both become the lowest code)."""
    low, high = _QRANGE[dtype]
    codes = [low - 1, low, low + 1, zero_point, high - 1, high, high + 1]
    values = [(c - zero_point + d) * scale for c in codes for d in (0.0, 0.5, -0.5, 0.49, -0.51)]
    if dtype == torch.qint32:
        # float32 neighbours of +-2**31 (in units of the scale)
        values += [m * scale for m in (2.0 ** 31 - 128, 2.0 ** 31 - 64, 2.0 ** 31, 2.0 ** 31 + 256,
                                       -2.0 ** 31 + 128, -2.0 ** 31, -2.0 ** 31 - 256,
                                       2.0 ** 24 + 1, 2.0 ** 24 + 3, 1e9 + 0.5)]
    values += [1e3, -1e3, 3e9, -3e9, 1e10, -1e10, 1e18 * scale, -1e18 * scale,
               -1e20, float("-inf"), float("nan")]
    return torch.tensor(values, dtype=torch.float32)


@pytest.mark.parametrize("dtype, scale, zero_point", [
    (torch.quint8, 0.1, 3), (torch.quint8, 1 / 3, 255), (torch.qint8, 1.0, 2),
    (torch.qint8, 0.02, -128),
    (torch.qint32, 1 / 3, 0),
    (torch.qint32, 0.5, 0),
], ids=["quint8", "quint8-zp255", "qint8", "qint8-zp-128", "qint32-inrange", "qint32"])
def test_quantize_edge_values(dtype, scale, zero_point, engine, qnn_compile):
    model = nn.Sequential(nnq.Quantize(scale, zero_point, dtype))
    x = _edge_values(dtype, scale, zero_point)
    if dtype == torch.qint32 and scale == 1 / 3:
        x = x[x.abs() < 2.0 ** 30 * scale]  # within the range: no saturation
    compiled = qnn_compile(model, x)
    check_bitexact(compiled, model, [(x,)], engine)


@pytest.mark.parametrize("dtype", [torch.quint8, torch.qint8])
def test_quantize_beyond_int64(dtype, engine, qnn_compile):
    """torch converts x / scale + zero point to int64 with x86's conversion,
    which gives INT64_MIN (so the lowest code) for +inf and anything at or
    beyond 2**63; qnn reproduces that."""
    model = nn.Sequential(nnq.Quantize(0.1, 3, dtype))
    x = torch.tensor([1e20, float("inf"), 1e30, 9.3e17])
    compiled = qnn_compile(model, x)
    check_bitexact(compiled, model, [(x,)], engine)


@pytest.mark.parametrize("dtype, scale, zero_point", [
    (torch.quint8, 0.1, 3), (torch.quint8, 7.5, 255), (torch.qint8, 1 / 3, -128),
    (torch.qint8, 0.02, 5), (torch.qint32, 0.5, 0), (torch.qint32, 1e-3, 0),
    (torch.qint32, 0.1, 3),
    (torch.qint32, 1e-3, -2 ** 31),
], ids=["quint8", "quint8-zp255", "qint8-zp-128", "qint8", "qint32", "qint32-small-scale",
        "qint32-zp3", "qint32-zp-min"])
def test_dequantize(dtype, scale, zero_point, engine, qnn_compile):
    """nnq.DeQuantize on quantized inputs over the whole code range (odd
    sizes: torch's vectorized loops have scalar tails)."""
    g = torch.Generator().manual_seed(5)
    low, high = _QRANGE[dtype]
    storage = {torch.quint8: torch.uint8, torch.qint8: torch.int8, torch.qint32: torch.int32}
    codes = torch.randint(low, high + 1, (3, 347), generator=g)
    codes[0, :2] = torch.tensor([low, high])
    x_q = torch._make_per_tensor_quantized_tensor(codes.to(storage[dtype]), scale, zero_point)
    model = nnq.DeQuantize()
    compile_and_check(qnn_compile, model, (x_q,), engine)


@pytest.mark.parametrize("cfg", configs.ACTIVATION_CONFIGS,
                         ids=configs.config_ids(configs.ACTIVATION_CONFIGS))
def test_activation(cfg, engine, qnn_compile):
    model, inputs = configs.build_activation(cfg)
    compile_and_check(qnn_compile, model, inputs, engine)


@pytest.mark.parametrize("function", [torch.relu, nn.functional.relu, lambda x: x.relu()],
                         ids=["torch.relu", "F.relu", "Tensor.relu"])
def test_relu_functions(function, engine, qnn_compile):
    class Model(nn.Module):
        def forward(self, x):
            return function(x)

    x_q = torch.quantize_per_tensor(torch.randn(3, 4, generator=torch.Generator().manual_seed(0)),
                                    0.1, 128, torch.quint8)
    compile_and_check(qnn_compile, Model(), (x_q,), engine)


@pytest.mark.parametrize("kind", configs.RESHAPE_KINDS)
def test_reshape(kind, engine, qnn_compile):
    model, inputs = configs.build_reshape(kind)
    compile_and_check(qnn_compile, model, inputs, engine)


@pytest.mark.parametrize("fuse", [True, False], ids=["fused", "unfused"])
def test_small_model(fuse, engine, build, qnn_compile):
    model, inputs = build(configs.build_small_model, fuse)
    compile_and_check(qnn_compile, model, inputs, engine)


def test_sequential(engine, build, qnn_compile):
    model, inputs = build(configs.build_sequential)
    compile_and_check(qnn_compile, model, inputs, engine)


def test_two_inputs_two_outputs(engine, build, qnn_compile):
    model, inputs = build(configs.build_two_inputs)
    compile_and_check(qnn_compile, model, inputs, engine)


# ---------------------------------------------------------------------------
# 2. Randomized Linear / Conv configurations
# ---------------------------------------------------------------------------


def _random_cases() -> List[Any]:
    cases = []
    for e, engine in enumerate(ENGINES):
        base = 100 * (e + 1)
        linear = [configs.random_linear_config(base + i, engine) for i in range(20)]
        # Large accumulators: K = 1000 and 2048, per tensor and per channel.
        linear += [configs.random_linear_config(base + 20, engine, in_features=2048,
                                                batch_shape=(4,), per_channel=False),
                   configs.random_linear_config(base + 21, engine, in_features=2048,
                                                batch_shape=(3,), per_channel=True),
                   configs.random_linear_config(base + 22, engine, in_features=1000,
                                                output="clip")]
        conv = [configs.random_conv_config(base + 50 + i, engine) for i in range(20)]
        # Large accumulators: 128 input channels x 4x4 kernel = K 2048.
        conv += [configs.random_conv_config(base + 70, engine, dims=2, groups=1,
                                            in_channels_per_group=128, out_channels_per_group=3,
                                            kernel_size=(4, 4), dilation=(1, 1), stride=(2, 2),
                                            padding=(1, 1), input_size=(6, 6),
                                            padding_mode="zeros")]
        # Depthwise 3x3 and 5x5 (qnnpack has dedicated kernels for them).
        conv += [configs.random_conv_config(base + 71 + i, engine, dims=2, groups=8,
                                            in_channels_per_group=1, out_channels_per_group=1,
                                            kernel_size=(k, k), dilation=(1, 1),
                                            stride=(s, s), padding=(k // 2, k // 2),
                                            input_size=(9, 7), padding_mode="zeros")
                 for i, (k, s) in enumerate([(3, 1), (3, 2), (5, 1)])]
        cases += [pytest.param(engine, cfg, id=f"{engine}-{configs.random_config_id(cfg)}")
                  for cfg in linear + conv]
    return cases


def build_random(cfg: configs.Config, engine: str) -> configs.Built:
    builder = configs.build_random_linear if cfg["kind"] == "linear" else configs.build_random_conv
    try:
        return builder(cfg, x_max_code=127 if torch_saturates(engine) else 255)
    except configs.TorchRefuses as refusal:
        pytest.skip(str(refusal))


@pytest.mark.parametrize("engine, cfg", _random_cases(), indirect=["engine"])
def test_random(engine, cfg, qnn_compile):
    model, inputs = build_random(cfg, engine)
    compile_and_check(qnn_compile, model, inputs, engine)
    if cfg["output"] == "clip":
        # The output range covers part of the float results only: outputs
        # saturate (at both ends where the float results allow it: the zero
        # point must stay in 0..255).
        codes = run_torch(model, inputs).int_repr()
        assert int(codes.min()) == 0 or int(codes.max()) == 255


def test_saturated_outputs(engine, qnn_compile):
    """Outputs at both ends of the range: a Linear and a Conv whose output
    range covers the middle 40% of their float results, which contains 0
    (input zero point in the middle of the codes, no bias or ReLU)."""
    for cfg in [configs.random_linear_config(1, engine, relu=False, use_bias=False,
                                             in_features=64, out_features=16,
                                             batch_shape=(8,), x_zero_point=64,
                                             output="clip"),
                configs.random_conv_config(2, engine, dims=2, relu=False, use_bias=False,
                                           groups=1, in_channels_per_group=4,
                                           out_channels_per_group=4, input_size=(6, 6),
                                           kernel_size=(3, 3), stride=(1, 1), padding=(1, 1),
                                           dilation=(1, 1), padding_mode="zeros",
                                           x_zero_point=64, output="clip")]:
        model, inputs = build_random(cfg, engine)
        codes = run_torch(model, inputs).int_repr()
        assert int(codes.min()) == 0 and int(codes.max()) == 255, cfg
        compile_and_check(qnn_compile, model, inputs, engine)


def test_random_cases_vary(engine):
    """The randomized cases vary what they should, and several have
    saturating ('clip') outputs."""
    cases = [p.values[1] for p in _random_cases() if p.values[0] == engine]
    assert sum(c["output"] == "clip" for c in cases) >= 5
    assert {True, False} <= {c["per_channel"] for c in cases}
    assert {True, False} <= {c["use_bias"] for c in cases}
    assert {True, False} <= {c["relu"] for c in cases}
    convs = [c for c in cases if c["kind"] == "conv"]
    assert {c["dims"] for c in convs} >= ({1, 2, 3} if engine == "onednn" else {1, 2})
    assert any(c["groups"] > 1 for c in convs)
    assert any(max(c["dilation"]) > 1 for c in convs)
    assert any(max(c["stride"]) > 1 for c in convs)
    assert any(c["padding_mode"] == "reflect" for c in convs)
    if engine == "qnnpack":
        assert any(z != 0 for c in cases for z in c["w_zero_points"])


# ---------------------------------------------------------------------------
# The oneDNN saturation without VNNI
# ---------------------------------------------------------------------------


def test_onednn_saturation(engine, qnn_compile):
    """x codes 255 times weight codes 127: each pair of products is
    2 * 255 * 127 = 64770, beyond int16. qnn computes the exact sum; torch's
    onednn without VNNI saturates each pair to 32767; qnnpack is exact."""
    k, x_scale, w_scale, y_scale = 64, 0.1, 0.01, 100.0
    module = nnq.Linear(k, 4)
    module.set_weight_bias(torch._make_per_tensor_quantized_tensor(
        torch.full((4, k), 127, dtype=torch.int8), w_scale, 0), None)
    module.scale, module.zero_point = y_scale, 0
    x_q = torch._make_per_tensor_quantized_tensor(
        torch.full((2, k), 255, dtype=torch.uint8), x_scale, 0)
    exact = round(255 * 127 * k * x_scale * w_scale / y_scale)  # 20.7 -> 21
    saturated = round(_INT16_MAX * (k // 2) * x_scale * w_scale / y_scale)  # 10.5 -> 10
    assert (exact, saturated) == (21, 10)
    compiled = qnn_compile(module, x_q)
    assert compiled(x_q).int_repr().unique().tolist() == [exact]
    torch_codes = module(x_q).int_repr().unique().tolist()
    if engine == "qnnpack":
        assert torch_codes == [exact]
    elif cpu_has_vnni():
        pytest.skip("this CPU has VNNI: torch's onednn computes the exact sum "
                    f"({torch_codes}), there is no saturation to demonstrate")
    else:
        assert torch_codes == [saturated]


def test_qnnpack_relu6_channels_last(engine, qnn_compile):
    """torch's ReLU6 on qnnpack (quantized hardtanh -> qnnpack_clamp) clamps a
    channels-last input in memory order but writes a contiguous output, so
    the elements come out misplaced: a PyTorch bug, hit by Conv -> ReLU6 (a
    quantized Conv returns a channels-last tensor). qnn computes the
    elementwise clamp; torch on the same values in contiguous layout agrees.
    (`run_torch` gives nnq.ReLU6 contiguous inputs for that reason.)"""
    g = torch.Generator().manual_seed(0)
    codes = torch.randint(0, 20, (2, 6, 4, 4), generator=g, dtype=torch.uint8)
    x = torch._make_per_tensor_quantized_tensor(codes, 5.0, 4)
    channels_last = x.contiguous(memory_format=torch.channels_last)
    assert not channels_last.is_contiguous()
    module = nnq.ReLU6()
    compiled = qnn_compile(module, x)
    clamped = codes.clamp(4, 5)  # quantize(0) = 4, quantize(6) = 4 + round(1.2)
    assert torch.equal(compiled(x).int_repr(), clamped)
    assert torch.equal(compiled(channels_last).int_repr(), clamped)
    assert torch.equal(module(x).int_repr(), clamped)
    torch_channels_last = module(channels_last).int_repr()
    if engine == "qnnpack":
        assert not torch.equal(torch_channels_last, clamped)
        # The misplacement: the clamp of the channels-last memory order,
        # read back as contiguous.
        memory_order = codes.permute(0, 2, 3, 1).clamp(4, 5).reshape(codes.shape)
        assert torch.equal(torch_channels_last, memory_order)
    else:
        assert torch.equal(torch_channels_last, clamped)


# ---------------------------------------------------------------------------
# 3. The decomposed (float reference) form
# ---------------------------------------------------------------------------

#: A representative subset: seed Linear/Conv configurations, whole models,
#: and random configurations including K = 2048.
DECOMPOSED_CASES = {
    "linear-relu-per-channel": lambda: configs.build_linear(configs.find(
        configs.LINEAR_CONFIGS, module="LinearReLU", batch_size=5, in_features=32,
        out_features=8, use_bias=True, per_channel=True)),
    "linear-per-tensor": lambda: configs.build_linear(configs.find(
        configs.LINEAR_CONFIGS, module="Linear", batch_size=5, in_features=32, out_features=8,
        use_bias=True, per_channel=False, w_zero_point=_engine_zero_point(4))),
    "conv2d-reflect-float-io": lambda: configs.build_conv(
        configs.FLOAT_IO_CASES["Conv2d"][1], float_io=True),
    "conv1d-relu-extra": lambda: configs.build_conv(configs.CONV_EXTRA_CONFIGS[1]),
    "small-model": lambda: configs.build_small_model(True),
    "sequential": configs.build_sequential,
    "two-inputs": configs.build_two_inputs,
    "pooling-chain": configs.build_pooling_chain,
    "random-linear-2048": lambda: build_random(configs.random_linear_config(
        7, torch.backends.quantized.engine, in_features=2048, out_features=64,
        batch_shape=(8,), relu=False, output="fit"), torch.backends.quantized.engine),
    "random-conv2d": lambda: build_random(configs.random_conv_config(
        11, torch.backends.quantized.engine, dims=2, groups=2, in_channels_per_group=8,
        out_channels_per_group=4, kernel_size=(3, 3), dilation=(1, 1), stride=(1, 1),
        padding=(1, 1), input_size=(7, 7), padding_mode="zeros"),
        torch.backends.quantized.engine),
}


#: More input sets than elsewhere, for the statistics.
DECOMPOSED_INPUT_KINDS = INPUT_KINDS + ["uniform"] * 10


def _engine_zero_point(qnnpack_zero_point: int) -> int:
    return 0 if torch.backends.quantized.engine == "onednn" else qnnpack_zero_point


#: Bound on the fraction of a case's output elements (over all its input
#: sets) where the decomposed form differs from torch. Measured on an AMD EPYC
#: (AVX2, no VNNI), torch 1.13: 0 in 14 of the 18 cases; otherwise 3 of 832
#: (0.36%, two-inputs on onednn), 1 of 640 (0.16%, linear-relu-per-channel on
#: qnnpack) and 2 of 12544 (0.02%, random-conv2d on qnnpack); 9 of about
#: 55,000 overall. A difference needs a result within float32 rounding of
#: a rounding boundary, so it is rare; 2% leaves a 5x margin over the worst
#: case while still catching a systematic error (an off-by-one rounding mode
#: or zero point would move a large fraction of the outputs).
DECOMPOSED_MAX_MISMATCH_RATE = 0.02


def _output_steps(model: nn.Module, inputs: Sequence[torch.Tensor]) -> List[float]:
    """The quantization step of each output: its scale, or for a float
    output that a DeQuantize returns, the scale of that DeQuantize's input."""
    dequantized: Dict[int, float] = {}

    def record(module: nn.Module, args: Tuple[Any, ...], output: Any) -> None:
        dequantized[id(output)] = args[0].q_scale()

    handles = [m.register_forward_hook(record) for m in model.modules()
               if isinstance(m, nnq.DeQuantize)]
    try:
        with torch.no_grad():
            outputs = outputs_of(model(*_clone(inputs)))
        return [o.q_scale() if o.is_quantized else dequantized[id(o)] for o in outputs]
    finally:
        for handle in handles:
            handle.remove()


def decomposed_differences(actual: Any, expected: Any,
                           steps: Sequence[float]) -> Tuple[int, int, float]:
    """(differing elements, elements, largest difference in steps)."""
    differing = total = 0
    largest = 0.0
    for a, e, step in zip(outputs_of(actual), outputs_of(expected), steps):
        assert a.dtype == e.dtype and a.shape == e.shape
        if e.is_quantized:
            assert (a.q_scale(), a.q_zero_point()) == (e.q_scale(), e.q_zero_point())
            diff = (a.int_repr().long() - e.int_repr().long()).abs().double()
        else:
            diff = (a.double() - e.double()).abs() / step
        differing += int((diff != 0).sum())
        total += diff.numel()
        largest = max(largest, float(diff.max()))
    return differing, total, largest


@pytest.mark.parametrize("case", DECOMPOSED_CASES)
def test_decomposed(case, engine, build, qnn_compile):
    """The decomposed form is PyTorch's reference (dequantize, float op,
    quantize): not the engine's integer arithmetic, so not bit-exact. Every
    output is within one quantization step of torch's, and few differ; the
    integer path is exact on the same inputs."""
    model, inputs = build(DECOMPOSED_CASES[case])
    compiled = qnn_compile(model, *inputs)
    decomposed = qnn_compile(model, *inputs, decompose=True)
    sets = input_sets(model, inputs, engine, kinds=DECOMPOSED_INPUT_KINDS)
    check_bitexact(compiled, model, sets, engine)
    steps = _output_steps(model, inputs)
    differing = total = 0
    for n, x in enumerate(sets):
        d, t, largest = decomposed_differences(decomposed(*x), run_torch(model, x), steps)
        # float outputs: one step plus float32 rounding of the dequantized value
        assert largest <= 1.0 + 1e-5, (
            f"input set {n}: the decomposed form is {largest} steps from torch")
        differing += d
        total += t
    rate = differing / total
    print(f"{case} on {engine}: {differing} of {total} outputs differ ({rate:.2%})")
    assert rate <= DECOMPOSED_MAX_MISMATCH_RATE, (
        f"{differing} of {total} outputs ({rate:.2%}) of the decomposed form differ from torch")


# ---------------------------------------------------------------------------
# 4. No torch quantized code at run time
# ---------------------------------------------------------------------------


_QUANTIZED_PACKAGES = ("torch.ao.nn.quantized", "torch.ao.nn.intrinsic.quantized",
                       "torch.nn.quantized", "torch.nn.intrinsic.quantized")


def _quantized_module_classes() -> List[type]:
    """The module classes of torch's quantized packages (not the float
    modules they import, such as nn.ReLU)."""
    classes = set()
    for namespace in (nnq, nniq, torch.ao.nn.quantized):
        for value in vars(namespace).values():
            if (isinstance(value, type) and issubclass(value, nn.Module)
                    and value.__module__.startswith(_QUANTIZED_PACKAGES)):
                classes.add(value)
    return sorted(classes, key=lambda c: (c.__module__, c.__qualname__))


class _Forbidden:
    """Raises on any call, or on any attribute access (a namespace)."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        raise AssertionError(f"{self.name} was called at run time")

    def __getattr__(self, attribute: str) -> Any:
        raise AssertionError(f"{self.name}.{attribute} was used at run time")


def forbid_torch_quantized(patch: pytest.MonkeyPatch) -> None:
    """Makes torch's quantize/dequantize functions, int_repr, the forward of
    every quantized module class, the quantized functional API and the
    torch.ops.quantized namespace raise."""
    for name in ["quantize_per_tensor", "quantize_per_channel", "quantize_per_tensor_dynamic",
                 "dequantize", "fake_quantize_per_tensor_affine",
                 "fake_quantize_per_channel_affine"]:
        if hasattr(torch, name):
            patch.setattr(torch, name, _Forbidden(f"torch.{name}"))
    for name in ["dequantize", "int_repr"]:
        patch.setattr(torch.Tensor, name, _Forbidden(f"torch.Tensor.{name}"))
    for cls in _quantized_module_classes():
        patch.setattr(cls, "forward", _Forbidden(f"{cls.__qualname__}.forward"))
    for name, value in list(vars(nnqF).items()):
        if callable(value) and getattr(value, "__module__", None) == nnqF.__name__:
            patch.setattr(nnqF, name, _Forbidden(f"torch.ao.nn.quantized.functional.{name}"))
    patch.setattr(torch.ops, "quantized", _Forbidden("torch.ops.quantized"))


#: Profiler event names of torch's quantized kernels and quantize /
#: dequantize ops (C++ level).
_FORBIDDEN_EVENTS = re.compile(r"quantized::|quantize_per_|dequantize|int_repr|"
                               r"fake_quantize|_make_per_")


def profiled_ops(function: Callable[[], Any]) -> List[str]:
    with torch.autograd.profiler.profile() as profile:
        function()
    return sorted({event.name for event in profile.function_events})


NO_TORCH_CASES = {
    "small-model": lambda: configs.build_small_model(False),
    "sequential": configs.build_sequential,
    "two-inputs": configs.build_two_inputs,
    "conv3d-relu": lambda: configs.build_conv(configs.CONV_EXTRA_CONFIGS[-1]),
}


@pytest.mark.parametrize("case", NO_TORCH_CASES)
def test_no_torch_quantized_code_at_run_time(case, engine, build, qnn_compile, monkeypatch):
    model, inputs = build(NO_TORCH_CASES[case])
    compiled = qnn_compile(model, *inputs)
    sets = input_sets(model, inputs, engine, kinds=["uniform"])
    expected = [run_torch(model, x) for x in sets]
    # torch's own call runs its quantized kernels, which the profiler sees.
    assert any(_FORBIDDEN_EVENTS.search(n) for n in profiled_ops(lambda: run_torch(model, inputs)))
    actual = []
    with monkeypatch.context() as patch:
        forbid_torch_quantized(patch)
        with pytest.raises(AssertionError, match="at run time"):
            model(*_clone(inputs))  # the patches do catch torch's own path
        for x in sets:
            events = profiled_ops(lambda: actual.append(compiled(*x)))
            forbidden = [n for n in events if _FORBIDDEN_EVENTS.search(n)]
            assert not forbidden, f"torch ops run by the compiled model: {forbidden}"
    for n, (a, e) in enumerate(zip(actual, expected)):
        assert_same(a, e, f"input set {n}")


# ---------------------------------------------------------------------------
# 5. Wrong inputs
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def conv_model(qnn_compile):
    """A Conv1d (quantized input 2x6x8, 1.3:2) compiled from its MLIR, for
    that shape only (a model compiled from torch compiles other shapes when
    called with them: test_shapes.py), with its torch model."""
    previous = torch.backends.quantized.engine
    torch.backends.quantized.engine = "qnnpack"
    try:
        model, (x_q,) = configs.build_conv(configs.CONV_SEED_CONFIGS[0])
        return model, x_q, qnn_compile.mlir(qnn.from_torch(model, x_q))
    finally:
        torch.backends.quantized.engine = previous


@pytest.fixture(scope="module")
def two_input_model(qnn_compile):
    """A TwoInputs (float inputs 1x16 and 2x6x8) compiled from its MLIR, for
    those shapes only, with its torch model."""
    previous = torch.backends.quantized.engine
    torch.backends.quantized.engine = "qnnpack"
    try:
        model, inputs = configs.build_two_inputs()
        return model, inputs, qnn_compile.mlir(qnn.from_torch(model, *inputs))
    finally:
        torch.backends.quantized.engine = previous


def _requantized(x_q: torch.Tensor, scale: float, zero_point: int) -> torch.Tensor:
    return torch._make_per_tensor_quantized_tensor(x_q.int_repr(), scale, zero_point)


QUANTIZED_INPUT_ERRORS = {
    "no-inputs": (lambda x: (), TypeError, "the model takes 1 inputs, 0 were given"),
    "two-inputs": (lambda x: (x, x), TypeError, "the model takes 1 inputs, 2 were given"),
    "not-a-tensor": (lambda x: (x.int_repr().numpy(),), TypeError,
                     "input 0 must be a torch.Tensor"),
    "shape": (lambda x: (torch.quantize_per_tensor(torch.zeros(3, 6, 8), 1.3, 2,
                                                   torch.quint8),),
              ValueError, "input 0 has shape (3, 6, 8), the model was compiled for (2, 6, 8)"),
    "rank": (lambda x: (x[0],), ValueError,
             "input 0 has shape (6, 8), the model was compiled for (2, 6, 8)"),
    "float": (lambda x: (x.dequantize(),), ValueError,
              "input 0 must be torch.quint8, got torch.float32"),
    "uint8": (lambda x: (x.int_repr(),), ValueError,
              "input 0 must be torch.quint8, got torch.uint8"),
    "qint8": (lambda x: (torch.quantize_per_tensor(x.dequantize(), 1.3, 2, torch.qint8),),
              ValueError, "input 0 must be torch.quint8, got torch.qint8"),
    "scale": (lambda x: (_requantized(x, 1.4, 2),), ValueError,
              "input 0 is quantized with scale 1.4 and zero point 2, the model was compiled "
              "for 1.3 and 2"),
    "scale-ulp": (lambda x: (_requantized(x, 1.3000000000000003, 2),), ValueError,
                  "input 0 is quantized with scale 1.3000000000000003 and zero point 2"),
    "zero-point": (lambda x: (_requantized(x, 1.3, 3),), ValueError,
                   "input 0 is quantized with scale 1.3 and zero point 3, the model was "
                   "compiled for 1.3 and 2"),
}


@pytest.mark.parametrize("case", QUANTIZED_INPUT_ERRORS)
def test_wrong_quantized_input(case, conv_model):
    model, x_q, compiled = conv_model
    make, error, message = QUANTIZED_INPUT_ERRORS[case]
    with pytest.raises(error, match=re.escape(message)):
        compiled(*make(x_q))
    # The compiled model still works.
    assert_same(compiled(x_q), run_torch(model, [x_q]), "after the error")


def test_per_channel_input(conv_model):
    model, x_q, compiled = conv_model
    per_channel = torch.quantize_per_channel(
        x_q.dequantize(), torch.full((6,), 1.3, dtype=torch.double),
        torch.full((6,), 2, dtype=torch.long), 1, torch.quint8)
    with pytest.raises(ValueError, match=r"input 0 .*(per.channel|qscheme)"):
        compiled(per_channel)


FLOAT_INPUT_ERRORS = {
    "one-input": (lambda x, y: (x,), TypeError, "the model takes 2 inputs, 1 were given"),
    "three-inputs": (lambda x, y: (x, y, y), TypeError,
                     "the model takes 2 inputs, 3 were given"),
    "not-a-tensor": (lambda x, y: (x, y.tolist()), TypeError, "input 1 must be a torch.Tensor"),
    "shape": (lambda x, y: (x, y[:1]), ValueError,
              "input 1 has shape (1, 6, 8), the model was compiled for (2, 6, 8)"),
    "swapped": (lambda x, y: (y, x), ValueError,
                "input 0 has shape (2, 6, 8), the model was compiled for (1, 16)"),
    "float64": (lambda x, y: (x.double(), y), ValueError,
                "input 0 must be torch.float32, got torch.float64"),
    "quantized": (lambda x, y: (x, torch.quantize_per_tensor(y, 1.3, 2, torch.quint8)),
                  ValueError, "input 1 must be torch.float32, got torch.quint8"),
    "int": (lambda x, y: (x.int(), y), ValueError,
            "input 0 must be torch.float32, got torch.int32"),
}


@pytest.mark.parametrize("case", FLOAT_INPUT_ERRORS)
def test_wrong_float_input(case, two_input_model):
    model, (x, y), compiled = two_input_model
    make, error, message = FLOAT_INPUT_ERRORS[case]
    with pytest.raises(error, match=re.escape(message)):
        compiled(*make(x, y))
    assert_same(compiled(x, y), run_torch(model, [x, y]), "after the error")


def test_non_contiguous_inputs(engine, qnn_compile):
    """Inputs in another memory layout (channels-last, transposed views) give
    the same results as contiguous ones."""
    model, (x_q,) = configs.build_conv(configs.find(
        configs.CONV_SEED_CONFIGS, module="ConvReLU2d", padding_mode="zeros", use_bias=True,
        per_channel=True, w_zero_point=0))
    compiled = qnn_compile(model, x_q)
    channels_last = x_q.contiguous(memory_format=torch.channels_last)
    assert not channels_last.is_contiguous()
    assert_same(compiled(channels_last), run_torch(model, [x_q]), "channels-last input")

    linear, (x_q,) = configs.build_linear(configs.find(
        configs.LINEAR_CONFIGS, batch_size=5, in_features=16, per_channel=True))
    compiled = qnn_compile(linear, x_q)
    transposed = x_q.t().contiguous().t()
    assert not transposed.is_contiguous()
    assert_same(compiled(transposed), run_torch(linear, [x_q]), "transposed input")
