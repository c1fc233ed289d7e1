#!/usr/bin/python3
"""torch 1.13's quantized layer_norm (nnq.LayerNorm), modelled in numpy and
compared with torch on random cases (quantized_normalize_kernel).

Per group of N elements (the normalized dims), with x the codes:
  ms   = f32(f32(sum x) / f32(N));  mean = f32(ms - zp_x)
  var  = max(f32(f32(f32(sum x^2) / f32(N)) - f32(ms * ms)), 0)
  k    = f32(s_x / sqrt_d(f64(f32(f32(var * s_x) * s_x)) + eps))
  t    = f32(f32((x - zp_x) - mean) * k)
  y    = f32(f32(t * gamma) + beta)        (vector body: separate mul, add)
       or fma(t, gamma, beta)               (a contracted scalar loop)
  q    = clamp(rint(f32(y * f32(1 / s_y))) + zp_y)
The vector body takes whole vectors of 32 codes of each group (AVX2), the
scalar loop the rest.
"""
import sys

import numpy as np
import torch
import torch.nn.quantized as nnq

f32 = np.float32


def model(codes, zx, sx, gamma, beta, eps, sy, zy, lo, hi, n, scalar, lanes=32):
    x = codes.reshape(-1, n).astype(np.int64)
    g, b = gamma.reshape(-1).astype(f32), beta.reshape(-1).astype(f32)
    out = np.empty_like(x)
    inv = f32(f32(1.0) / f32(sy))
    for i, row in enumerate(x):
        s, sq = row.sum(), (row * row).sum()
        ms = f32(f32(s) / f32(n))
        mean = f32(ms - f32(zx))
        var = max(f32(f32(f32(sq) / f32(n)) - f32(ms * ms)), f32(0))
        k = f32(np.float64(f32(sx)) / np.sqrt(np.float64(f32(f32(var * f32(sx)) * f32(sx))) + eps))
        t = (((row - zx).astype(f32) - mean).astype(f32) * k).astype(f32)
        vec = ((t * g).astype(f32) + b).astype(f32)
        if scalar == "fma":
            sca = (t.astype(np.float64) * g + b).astype(f32)
        else:
            sca = vec
        nv = n // lanes * lanes
        y = np.concatenate([vec[:nv], sca[nv:]])
        out[i] = np.clip(np.rint((y * inv).astype(f32)) + zy, lo, hi)
    return out.reshape(codes.shape)


def main():
    rng = np.random.default_rng(0)
    totals = {"mul-add": 0, "fma": 0}
    outputs = 0
    for case in range(200):
        shape = [(1, 4, 8), (2, 3, 37), (4, 70), (2, 5, 6), (3, 2, 64), (2, 3, 5, 7)][case % 6]
        nd = 1 + case % 2 if len(shape) > 2 else 1
        normalized = shape[-nd:]
        n = int(np.prod(normalized))
        dtype = torch.quint8 if case % 4 else torch.qint8
        lo, hi = (0, 255) if dtype == torch.quint8 else (-128, 127)
        sx, zx = float(rng.uniform(0.01, 0.1)), int(rng.integers(lo, hi + 1))
        sy, zy = float(rng.uniform(0.005, 0.05)), int(rng.integers(lo, hi + 1))
        gamma = torch.nn.Parameter(torch.tensor(rng.uniform(0.2, 2, normalized), dtype=torch.float))
        beta = torch.nn.Parameter(torch.tensor(rng.normal(0, 1, normalized), dtype=torch.float))
        eps = float(rng.choice([1e-5, 1e-3]))
        m = nnq.LayerNorm(list(normalized), gamma, beta, sy, zy, eps=eps)
        codes = rng.integers(lo, hi + 1, size=shape)
        qx = torch._make_per_tensor_quantized_tensor(
            torch.tensor(codes, dtype=torch.uint8 if lo == 0 else torch.int8), sx, zx)
        got = m(qx).int_repr().numpy().astype(np.int64)
        outputs += got.size
        for scalar in totals:
            totals[scalar] += int((model(codes, zx, sx, gamma.detach().numpy(), beta.detach().numpy(), eps, sy, zy,
                                         lo, hi, n, scalar) != got).sum())
    print(f"{outputs} outputs; mismatches per scalar formula: {totals}")
    return 0 if min(totals.values()) == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
