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
