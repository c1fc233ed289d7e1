"""float16 dynamic weights (quantize_dynamic with dtype=torch.float16).

torch 1.13 refuses them on both engines here (linear_prepack_fp16 exists
only for FBGEMM), so qnn defines them by their float semantics,
qnn.nn.Float16DynamicLinear: the weight saturated to the float16 range and
rounded to float16 once, the float32 linear. qnn.quantize_dynamic_float16
builds such models; they compile bit-exact against that module run by
torch (docs/numerics/dynamic.md, "float16 weights").
"""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn as nn

import qnn
import qnn.nn
from harness import assert_same


def test_torch_refuses_float16(engine):
    """What the float semantics stand in for: torch's own float16 dynamic
    Linear, refused on both engines. Should a torch run it, this test says
    so and qnn's module should be checked against it."""
    model = nn.Sequential(nn.Linear(4, 3)).eval()
    with pytest.raises(RuntimeError, match="linear_prepack_fp16 is currently not supported"):
        torch.ao.quantization.quantize_dynamic(model, {nn.Linear}, dtype=torch.float16)


def _weight(rng, shape) -> torch.Tensor:
    """Weights whose float16 rounding matters: many mantissa bits, values
    past the float16 range (saturated), float16 subnormals and values that
    flush below them."""
    w = rng.standard_normal(shape).astype(np.float32)
    flat = w.reshape(-1)
    flat[0] = 1e6
    flat[1] = -7e4
    flat[2] = 3e-6   # a float16 subnormal
    flat[3] = 1e-9   # rounds to 0
    flat[4] = 65519.0  # rounds to 65504 (below the half-way point to 65536)
    return torch.from_numpy(w)


def test_module_semantics():
    """The module's weight is the saturated float16 rounding, its result
    the float32 linear of it (so not the float Linear's)."""
    rng = np.random.default_rng(0)
    linear = nn.Linear(16, 8)
    with torch.no_grad():
        linear.weight.copy_(_weight(rng, (8, 16)))
    module = qnn.nn.Float16DynamicLinear.from_float(linear)
    w = module.weight
    assert w.dtype == torch.float16
    assert w.view(-1)[:5].float().tolist() == [65504.0, -65504.0, float(np.float16(3e-6)),
                                             0.0, 65504.0]
    x = torch.randn(3, 16)
    expected = torch.nn.functional.linear(x, linear.weight.clamp(-65504, 65504).half().float(),
                                          linear.bias)
    assert torch.equal(module(x), expected)
    assert not torch.equal(module(x), linear(x))


@pytest.mark.parametrize("shape", [(5, 16), (2, 3, 16), (1, 16)])
@pytest.mark.parametrize("bias", [True, False])
def test_float16_linear(shape, bias, engine, qnn_compile):
    rng = np.random.default_rng(len(shape) * 7 + bias)
    linear = nn.Linear(16, 9, bias=bias)
    with torch.no_grad():
        linear.weight.copy_(_weight(rng, (9, 16)))
    model = qnn.nn.Float16DynamicLinear.from_float(linear)
    inputs = [torch.from_numpy(rng.standard_normal(shape).astype(np.float32)) * s
              for s in (1.0, 1e-3, 50.0)]
    compiled = qnn_compile(model, inputs[0])
    for x in inputs:
        assert_same(compiled(x), model(x), f"{engine} float16 Linear {list(shape)}")


def test_quantize_dynamic_float16_mlp(engine, qnn_compile):
    """qnn.quantize_dynamic_float16 on an MLP (Linear-ReLU-Linear-ReLU-Linear)."""
    torch.manual_seed(4)
    mlp = nn.Sequential(nn.Linear(32, 64), nn.ReLU(), nn.Linear(64, 48), nn.ReLU(),
                        nn.Linear(48, 10)).eval()
    model = qnn.quantize_dynamic_float16(mlp)
    assert all(isinstance(model[i], qnn.nn.Float16DynamicLinear) for i in (0, 2, 4))
    assert isinstance(mlp[0], nn.Linear)  # the original is left as it is
    x = torch.randn(6, 32)
    assert_same(qnn_compile(model, x)(x), model(x), f"{engine} float16 MLP")
