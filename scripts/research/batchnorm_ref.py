#!/usr/bin/python3
"""torch 1.13's quantized batch_norm2d/3d (nnq.BatchNorm2d/3d, nniq.BNReLU2d/3d),
modelled in numpy and compared with torch on random cases.

Model (aten/src/ATen/native/quantized/cpu/qbatch_norm.cpp and the kernel):
  inv_sigma = f32(1.0 / sqrt_f32(var + f32(eps)))          (the division in double)
  alpha = f32(f32(inv_sigma * w) * (s_in / s_out))          (the last product in double)
  beta  = f32(f32(b - f32(f32(mean * inv_sigma) * w)) / s_out)   (division in double)
  per pixel, channels-last: channels [0, V) take the vector body, the rest
  the scalar loop, where V = C // L * L, then + (C - V) // 8 * 8 if C - V >= 8
  (L = 32 under AVX2)
  vector: y = rint(fma(alpha, q - zp_in, beta)) + zp_out
  scalar: y = lrintf(<scalar formula>(alpha, q - zp_in, beta)) + zp_out
  then relu (max with zp_out) and clamp.
Prints the mismatch count of each candidate scalar formula.
"""
import sys

import numpy as np
import torch
import torch.nn.quantized as nnq
import torch.nn.intrinsic.quantized as nniq

f32 = np.float32


def fma(a, b, c):
    return (a.astype(np.float64) * b.astype(np.float64) + c.astype(np.float64)).astype(f32)


def params(w, b, mean, var, eps, s_in, s_out):
    inv_sigma = (1.0 / np.sqrt((var + f32(eps)).astype(f32)).astype(f32).astype(np.float64)).astype(f32)
    alpha = ((inv_sigma * w).astype(f32).astype(np.float64) * (s_in / s_out)).astype(f32)
    beta = ((b - ((mean * inv_sigma).astype(f32) * w).astype(f32)).astype(f32).astype(np.float64)
            / s_out).astype(f32)
    return alpha, beta


def vector_channels(c, lanes=32, floats=8):
    v = c // lanes * lanes
    if c - v >= floats and lanes == 32:
        v += (c - v) // floats * floats
    return v


def model(q, zin, zout, alpha, beta, relu, scalar, lo, hi, lanes):
    c = q.shape[1]
    shape = [1, c] + [1] * (q.ndim - 2)
    a, bb = alpha.reshape(shape), beta.reshape(shape)
    x = (q.astype(np.int64) - zin).astype(f32)
    vec = np.rint(fma(a, x, bb))
    if scalar == "mul-add":
        sca = np.rint(((a * x).astype(f32) + bb).astype(f32))
    else:
        sca = np.rint(fma(a, x, bb))
    v = vector_channels(c, lanes)
    ch = np.arange(c).reshape(shape)
    y = np.where(ch < v, vec, sca) + zout
    if relu:
        y = np.maximum(y, zout)
    return np.clip(y, lo, hi).astype(np.int64)


def main():
    lanes = 64 if "avx512" in torch.__config__.show().lower().split("cpu capability usage:")[-1][:10] else 32
    rng = np.random.default_rng(0)
    totals = {"mul-add": 0, "fma": 0}
    outputs = 0
    for case in range(300):
        dims = 2 + case % 2
        c = int(rng.choice([1, 3, 7, 8, 13, 16, 31, 32, 33, 40, 45, 64, 70]))
        relu = bool(case % 3 == 0)
        cls = {(2, False): nnq.BatchNorm2d, (2, True): nniq.BNReLU2d,
               (3, False): nnq.BatchNorm3d, (3, True): nniq.BNReLU3d}[(dims, relu)]
        m = cls(c, eps=float(rng.choice([1e-5, 1e-3, 0.1])))
        m.weight.data = torch.tensor(rng.normal(1, 0.5, c), dtype=torch.float)
        m.bias.data = torch.tensor(rng.normal(0, 0.5, c), dtype=torch.float)
        m.running_mean.data = torch.tensor(rng.normal(0, 1, c), dtype=torch.float)
        m.running_var.data = torch.tensor(rng.uniform(0.1, 3, c), dtype=torch.float)
        dtype = torch.quint8 if case % 5 else torch.qint8
        lo, hi = (0, 255) if dtype == torch.quint8 else (-128, 127)
        s_out, z_out = float(rng.uniform(0.01, 0.1)), int(rng.integers(lo, hi + 1))
        m.scale = torch.tensor(s_out)
        m.zero_point = torch.tensor(z_out)
        shape = (2, c, 5, 4) if dims == 2 else (1, c, 3, 4, 2)
        s_in, z_in = float(rng.uniform(0.01, 0.1)), int(rng.integers(lo, hi + 1))
        codes = rng.integers(lo, hi + 1, size=shape)
        qx = torch._make_per_tensor_quantized_tensor(
            torch.tensor(codes, dtype=torch.uint8 if lo == 0 else torch.int8), s_in, z_in)
        got = m(qx).int_repr().numpy().astype(np.int64)
        alpha, beta = params(m.weight.detach().numpy(), m.bias.detach().numpy(),
                             m.running_mean.numpy(), m.running_var.numpy(), m.eps, s_in,
                             float(m.scale))
        outputs += got.size
        for scalar in totals:
            totals[scalar] += int((model(codes, z_in, int(m.zero_point), alpha, beta, relu, scalar,
                                         lo, hi, lanes) != got).sum())
    print(f"lanes {lanes}, {outputs} outputs; mismatches per scalar formula: {totals}")
    return 0 if min(totals.values()) == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
