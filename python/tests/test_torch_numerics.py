"""What PyTorch's onednn computes on x86 CPUs without VNNI.

There onednn multiplies u8 activations by s8 weights with vpmaddubsw: each
pair of adjacent products is summed into an int16 with saturation before
the int32 accumulation. These tests pin down which products are paired, so
that the rule is known exactly (docs/RationaleQNN.md): consecutive k for
Linear (k = 2j, 2j + 1), consecutive input channels at the same kernel
position for a single-group Conv (an odd channel count padded with a zero
channel). qnn itself computes the exact integer arithmetic; these tests are
about torch only and skip where torch does not saturate.
"""

import numpy as np
import pytest
import torch
import torch.nn.quantized as nnq

import qnn

pytestmark = pytest.mark.skipif(
    not qnn.torch_onednn_saturates(),
    reason="this CPU has VNNI: PyTorch's onednn does not saturate here")

SCALE = 4096.0  # output scale: the int32 accumulator divided by 4096


@pytest.fixture(autouse=True)
def onednn():
    previous = torch.backends.quantized.engine
    torch.backends.quantized.engine = "onednn"
    yield
    torch.backends.quantized.engine = previous


def _quantized(values, dtype):
    storage = torch.uint8 if dtype == torch.quint8 else torch.int8
    return torch._make_per_tensor_quantized_tensor(
        torch.tensor(values, dtype=storage), 1.0, 0)


def _read_accumulator(module, x_codes):
    """torch's int32 accumulator, read back through an output scale of 4096
    and zero point 128 (rounded: compared after the same rounding)."""
    module.scale, module.zero_point = SCALE, 128
    y = module(_quantized(x_codes, torch.quint8)).int_repr().numpy()
    return y.astype(np.int64) - 128


def _round(acc):
    return np.clip(np.rint(acc / SCALE), -128, 127)


def _saturating_pair_sum(products):
    """Sum over the last axis in int16-saturated pairs of adjacent
    elements (zero-padded to an even count), then exactly."""
    if products.shape[-1] % 2:
        pad = np.zeros(products.shape[:-1] + (1,), dtype=products.dtype)
        products = np.concatenate([products, pad], axis=-1)
    pairs = products.reshape(products.shape[:-1] + (-1, 2)).sum(-1)
    return np.clip(pairs, -32768, 32767).sum(-1)


@pytest.mark.parametrize("m, k, n", [(1, 64, 16), (4, 64, 16), (64, 256, 64),
                                     (1, 1024, 32), (7, 96, 24)])
def test_linear_pairs_consecutive_k(m, k, n):
    rng = np.random.default_rng(m * 1000 + k + n)
    w = rng.integers(-128, 128, size=(n, k))
    x = rng.integers(0, 256, size=(m, k))
    module = nnq.Linear(k, n, bias_=False)
    module.set_weight_bias(_quantized(w, torch.qint8), None)
    got = _read_accumulator(module, x)
    products = x[:, None, :] * w[None, :, :]
    assert np.array_equal(got, _round(_saturating_pair_sum(products)))
    # ... and the exact arithmetic would differ: torch really saturates.
    assert not np.array_equal(got, _round(products.sum(-1)))


@pytest.mark.parametrize("channels, out, size", [(4, 8, 6), (3, 8, 6),
                                                 (64, 16, 6)])
def test_conv_pairs_consecutive_input_channels(channels, out, size):
    rng = np.random.default_rng(channels * 100 + out)
    w = rng.integers(-128, 128, size=(out, channels, 3, 3))
    x = rng.integers(0, 256, size=(1, channels, size, size))
    module = nnq.Conv2d(channels, out, 3, bias=False)
    module.set_weight_bias(_quantized(w, torch.qint8), None)
    got = _read_accumulator(module, x)[0]
    o_size = size - 2
    patches = np.stack([x[0, :, i:i + 3, j:j + 3]
                        for i in range(o_size) for j in range(o_size)])
    # products[p, o, kh, kw, c]: channels last, so pairs are (c, c + 1).
    products = np.einsum("pckl,ockl->poklc", patches, w)
    acc = _saturating_pair_sum(products).sum(axis=(2, 3))
    expected = _round(acc).T.reshape(out, o_size, o_size)
    assert np.array_equal(got, expected)


# qnn's "onednn_no_vnni" numerics reproduces exactly that, saturation and
# all, on full-range activations.

def _full_range_input(shape, seed):
    g = torch.Generator().manual_seed(seed)
    return torch.quantize_per_tensor(torch.rand(shape, generator=g), 1.0 / 255,
                                     0, torch.quint8)


def _assert_same(compiled, module, x):
    expected, got = module(x), compiled(x)
    assert (expected.q_scale(), expected.q_zero_point()) == (
        got.q_scale(), got.q_zero_point())
    assert torch.equal(expected.int_repr(), got.int_repr()), (
        f"{(expected.int_repr() != got.int_repr()).sum().item()} of "
        f"{expected.numel()} outputs differ")


@pytest.mark.parametrize("m, k, n, relu", [(1, 64, 16, False), (5, 33, 20, True),
                                           (64, 1024, 256, False)])
def test_emulated_linear(m, k, n, relu):
    g = torch.Generator().manual_seed(k)
    cls = torch.nn.intrinsic.quantized.LinearReLU if relu else nnq.Linear
    module = cls(k, n)
    module.set_weight_bias(torch.quantize_per_tensor(
        torch.randn(n, k, generator=g), 4.0 / 127, 0, torch.qint8),
        torch.randn(n, generator=g))
    module.scale, module.zero_point = 0.5, 64
    x = _full_range_input((m, k), k)
    emulated = qnn.compile(module, x)  # the default here: onednn_no_vnni
    _assert_same(emulated, module, x)
    for seed in range(3):
        _assert_same(emulated, module, _full_range_input((m, k), seed))


@pytest.mark.parametrize("dims, channels, per_channel", [
    (2, 3, False), (2, 64, True), (1, 5, False), (3, 4, True)])
def test_emulated_conv(dims, channels, per_channel):
    g = torch.Generator().manual_seed(channels)
    cls = {1: nnq.Conv1d, 2: nnq.Conv2d, 3: nnq.Conv3d}[dims]
    module = cls(channels, 8, 3, padding=1)
    w = torch.randn((8, channels) + (3,) * dims, generator=g)
    if per_channel:
        qw = torch.quantize_per_channel(
            w, torch.full((8,), 4.0 / 127, dtype=torch.double),
            torch.zeros(8, dtype=torch.long), 0, torch.qint8)
    else:
        qw = torch.quantize_per_tensor(w, 4.0 / 127, 0, torch.qint8)
    module.set_weight_bias(qw, torch.randn(8, generator=g))
    module.scale, module.zero_point = 1.0, 64
    shape = (2, channels) + (6,) * dims
    x = _full_range_input(shape, 0)
    emulated = qnn.compile(module, x)  # the default here: onednn_no_vnni
    for seed in range(3):
        _assert_same(emulated, module, _full_range_input(shape, seed))


def test_the_default_is_the_emulation():
    """Where torch saturates, qnn's default numerics for onednn is the one
    reproducing it, so the comparisons above use the default."""
    assert qnn.default_numerics("onednn") == "onednn_no_vnni"
    module = nnq.Linear(4, 4)
    assert 'qnn.numerics = "onednn_no_vnni"' in qnn.from_torch(module, _full_range_input((1, 4), 0))


def test_numerics_must_belong_to_the_engine():
    previous = torch.backends.quantized.engine
    torch.backends.quantized.engine = "qnnpack"
    try:
        module = nnq.Linear(4, 4)
        x = _full_range_input((1, 4), 0)
        with pytest.raises(ValueError, match="not one of the qnnpack engine's"):
            qnn.from_torch(module, x, numerics="onednn_no_vnni")
    finally:
        torch.backends.quantized.engine = previous
