#!/usr/bin/python3
"""torch 1.13's dynamic Linear (nnqd.Linear) formula by formula, on both
engines: numpy recomputes each output from the module's weights and the
input, and counts the outputs whose bits differ from torch's. Measured:
0 of 1410 on onednn and on qnnpack (docs/numerics/dynamic.md). The
alternatives onednn does *not* use (multiplying the sums by f32(s * sw) and
adding the bias, or by f32(1 / bs)) differ on 655 and 379 of them. Where the
zero point is added matters rarely (f32(x * inv + zp) rounding to a .5 that
x * inv was not): these cases never hit it, a 64 x 1024 input did (one code,
a row of the result); python/tests/test_dynamic.py constructs such inputs.
"""
import numpy as np
import torch
import torch.nn.quantized.dynamic as nnqd

f32 = np.float32


def choose_qparams(mn, mx, qmin, qmax):
    """ATen's ChooseQuantizationParams (QuantUtils.h), preserve_sparsity off."""
    mn = min(f32(mn), f32(0))
    mx = max(f32(mx), f32(0))
    scale = (float(mx) - float(mn)) / (qmax - qmin)
    if f32(scale) == 0 or np.isinf(f32(1) / f32(scale)):
        scale = 0.1
    threshold = float(f32(6.1e-5))
    if scale < threshold:
        old = f32(scale)
        scale = threshold
        if mn == 0:
            mx = f32(threshold * (qmax - qmin))
        elif mx == 0:
            mn = f32(-threshold * (qmax - qmin))
        else:
            amplifier = f32(f32(threshold) / old)
            mn, mx = f32(mn * amplifier), f32(mx * amplifier)
    from_min = qmin - float(mn) / scale
    from_max = qmax - float(mx) / scale
    error_min = abs(qmin) - abs(float(mn) / scale)
    error_max = abs(qmax) - abs(float(mx) / scale)
    z = from_min if error_min < error_max else from_max
    return scale, qmin if z < qmin else qmax if z > qmax else int(np.rint(z))


def reference(engine, x, w, b, variant="scaled_bias"):
    X = x.numpy().astype(f32).reshape(-1, x.shape[-1])
    wq = w.int_repr().numpy().astype(np.int64)
    n = wq.shape[0]
    if w.qscheme() == torch.per_tensor_affine:
        sw, zw = np.full(n, w.q_scale()), np.full(n, w.q_zero_point())
    else:
        sw, zw = w.q_per_channel_scales().numpy(), w.q_per_channel_zero_points().numpy()
    bias = b.numpy().astype(f32) if b is not None else np.zeros(n, f32)
    s, z = choose_qparams(X.min(), X.max(), 0, 255 if engine == "qnnpack" else 127)
    inverse = f32(f32(1) / f32(s)) if engine == "qnnpack" else f32(1.0 / s)
    product = (X * inverse).astype(f32)
    if engine == "qnnpack":  # torch.quantize_per_tensor: zp after rounding
        q = np.clip(np.rint(product) + z, 0, 255).astype(np.int64)
    else:  # oneDNN's reorder rounds f32(x * inv + zp)
        q = np.clip(np.rint((product + f32(z)).astype(f32)), 0, 255).astype(np.int64)
    acc = ((q - z) @ (wq - zw[:, None]).T).astype(f32)
    if engine == "qnnpack":
        y = (acc * (sw.astype(f32) * f32(s)).astype(f32)).astype(f32) + bias
    else:
        bs = (inverse * (1.0 / sw).astype(f32)).astype(f32)
        if variant == "scaled_bias":
            y = ((acc + (bias * bs).astype(f32)).astype(f32) * (f32(1) / bs)).astype(f32)
        elif variant == "bias_after":
            y = (acc * (f32(1) / bs)).astype(f32) + bias
        else:  # "float_scale"
            y = (acc * (f32(s) * sw.astype(f32)).astype(f32)).astype(f32) + bias
    return y.astype(f32).reshape(tuple(x.shape[:-1]) + (n,))


def cases(engine):
    g = torch.Generator().manual_seed(1)
    for i in range(60):
        k, n = (1, 3, 16, 33, 64)[i % 5], (1, 4, 7, 16)[i % 4]
        shape = ((5, k), (2, 3, k), (7, k), (1, k))[i % 4]
        kind = i % 6
        x = torch.randn(shape, generator=g) * (1, 10, 1e-3, 1e-6, 100, 1)[kind]
        if kind == 5:
            x = x.abs() + 0.5
        if i % 7 == 3:
            x = -x.abs()
        wf = torch.randn(n, k, generator=g) * 0.3
        if i % 2:
            scales = (wf.abs().amax(1) / 127 + 1e-4).double()
            w = torch.quantize_per_channel(wf, scales, torch.zeros(n, dtype=torch.long), 0,
                                           torch.qint8)
        else:
            w = torch.quantize_per_tensor(wf, float(wf.abs().max() / 127 + 1e-4), 0,
                                          torch.qint8)
        m = nnqd.Linear(k, n)
        m.set_weight_bias(w, torch.randn(n, generator=g) if i % 3 else None)
        yield m, x, w


for engine in ("onednn", "qnnpack"):
    torch.backends.quantized.engine = engine
    for variant in (("scaled_bias", "bias_after", "float_scale") if engine == "onednn"
                    else ("scaled_bias",)):
        differ = total = 0
        for m, x, w in cases(engine):
            y = m(x).numpy()
            r = reference(engine, x, w, m.bias(), variant)
            differ += int((y.view(np.int32) != r.view(np.int32)).sum())
            total += y.size
        print(f"{engine} {variant}: {differ} of {total} outputs differ")
