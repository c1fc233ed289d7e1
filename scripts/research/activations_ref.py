#!/usr/bin/python3
"""Reference arithmetic of PyTorch 1.13's quantized activations (qnn research script).

For given input/output qparams, every activation of an 8-bit quantized tensor is a function of
the input code *per kernel path*.  This module computes those functions with numpy (float32
steps written out one by one) and ctypes calls into glibc's libm and SLEEF; torch is only
needed by main(), which checks them against torch on both quantized engines:

  A. random cases: all 256 input codes, seeded random input/output qparams (40% of scales
     tie-heavy powers of two and simple fractions), every op, both kernel paths;
  B. tie-targeted cases: qparams built so that some code lands within a few ulps of a
     rounding tie, kept only if flipping one detail of the formula ("knob", see K below)
     changes the table; torch must equal the reference, and every flipped knob must break
     the tables built for it ("knockout"): the cases pin each detail;
  C. position dependence: tensors of many sizes and layouts, 1 and 2 threads, predicted with
     the vector/scalar split of torch's cpu_kernel_vec (vector_mask_unary);
  D. degenerate output scales (1e-12 .. 0) that overflow int32 in the quantize step;
  E. A-C again under ATEN_CPU_CAPABILITY=avx512 and =default (subprocesses).
It prints one table per section and ends with "TOTAL MISMATCHES: 0" (about 30-60 s).

Notation as in docs/numerics/activations.md: f32() rounds to binary32, rint rounds half to
even, fmaf has one rounding, (d) marks double.  Kernel paths of ATen:
  'vector'  the vectorised lambda (AVX2 and AVX512 compute the same)
  'scalar'  the scalar lambda: the last (n mod 2*Vec::size()) elements of every inner loop
            call (64 codes for 8-bit types on AVX2, 128 on AVX512; 16/32 for qint32),
            every element of loops without unit strides, every element of tiny tensors
  'default' the vectorised lambda when torch runs with ATEN_CPU_CAPABILITY=default
QNNPACK's table kernels (sigmoid, tanh, hardsigmoid, hardswish on quint8 with engine
'qnnpack') have one table whatever the position.

Entry points: relu_ref, clamp_ref, relu6_ref, leaky_relu_ref, elu_ref, celu_ref, sigmoid_ref,
hardswish_ref, tanh_ref, hardsigmoid_ref, prelu_ref (each returns (codes, out_scale, out_zp) and
raises TorchRefusal where torch refuses), act_codes(act, q, s, zp, dtype, engine, path, **params)
dispatching to them, and vector_mask_unary (which elements torch computes with the vector lambda).

Run: /usr/bin/python3 scripts/research/activations_ref.py [--quick] [--no-subprocess]
"""
import ctypes
import os
import subprocess
import sys
import time

import numpy as np

f32 = np.float32

# --------------------------------------------------------------------------------------
# native math: glibc (torch's scalar lambdas, QNNPACK's tables) and SLEEF (vector lambdas)
# --------------------------------------------------------------------------------------
_libm = ctypes.CDLL("libm.so.6")
_sleef = ctypes.CDLL("libsleef.so.3")
_F, _D = ctypes.c_float, ctypes.c_double


def _bind(lib, name, argt, rest):
    fn = getattr(lib, name)
    fn.argtypes, fn.restype = argt, rest
    return fn


_C = {
    "glibc_expf": _bind(_libm, "expf", [_F], _F),
    "glibc_expm1f": _bind(_libm, "expm1f", [_F], _F),
    "glibc_tanhf": _bind(_libm, "tanhf", [_F], _F),
    "glibc_exp": _bind(_libm, "exp", [_D], _D),
    "glibc_tanh": _bind(_libm, "tanh", [_D], _D),
    "fmaf": _bind(_libm, "fmaf", [_F, _F, _F], _F),
    # Sleef_*f1_u10purecfma are bit-identical to the Sleef_expf8_u10 / Sleef_expf16_u10 (and
    # tanhf, expm1f) that torch's AVX2 / AVX512 Vectorized<float> call: checked on all 2^32
    # floats.  The non-FMA Sleef_expf_u10 / *_purec variants are NOT identical.
    "sleef_expf": _bind(_sleef, "Sleef_expf1_u10purecfma", [_F], _F),
    "sleef_expm1f": _bind(_sleef, "Sleef_expm1f1_u10purecfma", [_F], _F),
    "sleef_tanhf": _bind(_sleef, "Sleef_tanhf1_u10purecfma", [_F], _F),
}


def _map(name, x):
    fn = _C[name]
    x = np.asarray(x, np.float32)
    return np.fromiter((fn(v) for v in x.ravel().tolist()), np.float32, x.size).reshape(x.shape)


def _map_d(name, x):
    fn = _C[name]
    x = np.asarray(x, np.float64)
    return np.fromiter((fn(v) for v in x.ravel().tolist()), np.float64, x.size).reshape(x.shape)


def fmaf(a, b, c):
    a, b, c = np.broadcast_arrays(np.asarray(a, np.float32), np.asarray(b, np.float32),
                                  np.asarray(c, np.float32))
    fn = _C["fmaf"]
    return np.fromiter((fn(x, y, z) for x, y, z in zip(a.ravel().tolist(), b.ravel().tolist(),
                                                       c.ravel().tolist())),
                       np.float32, a.size).reshape(a.shape)


# --------------------------------------------------------------------------------------
# Knobs: the details of the formulas.  The values below are what torch 1.13 does; main()
# flips each one to show that the tie-targeted cases detect it.
# --------------------------------------------------------------------------------------
K_DEFAULT = {
    "deq_vec": "fma",        # vector dequant: fmaf(s, q, f32(s*-zp))          (alt: mul)
    "deq_sc": "mul",         # scalar dequant: f32(s) * f32(q - zp)             (alt: fma)
    "fn_vec": "sleef",       # vector transcendental: SLEEF u10 (FMA variant)   (alt: glibc)
    "fn_sc": "glibc",        # scalar transcendental: glibc expf/tanhf          (alt: sleef)
    "inv_vec": "d",          # Sigmoid/Hardswish vector inverse f32(1.0/so (d)) (alt: f)
    "inv_vec_f": "f",        # LeakyReLU/ELU vector inverse 1.0f/f32(so)        (alt: d)
    "sig_sc": "double",      # scalar sigmoid f32(1.0/(1.0+(d)e)) in double     (alt: float)
    "sig_vec": "float",      # vector sigmoid 1/(1+e) in float                  (alt: double)
    "elu": "exp-1",          # ELU negative branch f32(exp(x)-1)                (alt: expm1)
    "hsw": "xc/6",           # hardswish f32(f32(x*c)/6)                        (alt: x*(c/6))
    "qnn_tanh": "double",    # QNNPACK tanh table uses double tanh()            (alt: float)
    "qnn_sig": "expf",       # QNNPACK sigmoid table uses glibc expf            (alt: exp (d))
    "qnn_fma": "no",         # QNNPACK tables: f32(f32(inv*h)+zo), no contraction (alt: yes)
    "leaky_qnn": "aten",     # LeakyReLU on qnnpack uses ATen, not QNNPACK's LUT (alt: lut)
    "deq_def": "mul",        # default-capability vector dequant f32(s)*f32(q-zp) (alt: fma)
    "inv_def": "f",          # default-capability vector inverse 1.0f/f32(so)   (alt: d)
    "sig_def": "float",      # default-capability vector sigmoid in float       (alt: double)
}
K_ALT = {"deq_vec": "mul", "deq_sc": "fma", "fn_vec": "glibc", "fn_sc": "sleef", "inv_vec": "f",
         "inv_vec_f": "d", "sig_sc": "float", "sig_vec": "double", "elu": "expm1",
         "hsw": "x(c/6)", "qnn_tanh": "float", "qnn_sig": "exp", "qnn_fma": "yes",
         "leaky_qnn": "lut", "deq_def": "fma", "inv_def": "d", "sig_def": "double"}
K = dict(K_DEFAULT)


def _fn(kind, x, path):
    """kind: 'expf', 'expm1f' or 'tanhf' in the implementation of the path."""
    lib = K["fn_vec"] if path == "vector" else K["fn_sc"]
    return _map(lib + "_" + kind, x)


# --------------------------------------------------------------------------------------
# dtypes, dequantize, quantize
# --------------------------------------------------------------------------------------
QRANGE = {"quint8": (0, 255), "qint8": (-128, 127), "qint32": (-2 ** 31, 2 ** 31 - 1)}
INT32_FLOAT_MAX = f32(2147483520.0)  # QuantizeAvx2/Avx512 clip before cvtps2dq


def all_codes(dtype):
    lo = QRANGE[dtype][0]
    return np.arange(lo, lo + 256, dtype=np.int64)


def dequant(q, s, zp, path):
    """ATen dequantisation (the kernels use f32(q_scale()))."""
    s = f32(s)
    q = np.asarray(q, np.int64)
    how = {"vector": K["deq_vec"], "scalar": K["deq_sc"], "default": K["deq_def"]}[path]
    if how == "fma":   # Vectorized<qX>::dequantize(scale, zp, scale_zp_premul): fmadd
        return fmaf(s, q.astype(np.float32), f32(s * f32(-zp)))
    return (s * (q - zp).astype(np.float32)).astype(np.float32)   # dequantize_val


def qnn_dequant(q, s, zp):
    """QNNPACK table builders: x = f32(s) * f32(i - zp)."""
    return (f32(s) * (np.asarray(q, np.int64) - zp).astype(np.float32)).astype(np.float32)


def inv_f(s):
    """1.0f / f32(s): quantize_val's inverse scale (inf for a zero or subnormal-tiny scale)."""
    with np.errstate(divide="ignore", over="ignore"):
        return f32(f32(1) / f32(s))


def inv_d(s):
    """f32(1.0 / s), s a double: the inverse some vector lambdas compute."""
    with np.errstate(divide="ignore", over="ignore"):
        return f32(np.float64(1.0) / np.float64(s))


def quant_vector(y, inv, zp, dtype):
    """Vectorized<quint8/qint8>::quantize (QuantizeAvx2 / QuantizeAvx512):
    t = minps(f32(y*inv), 2147483520) (NaN -> 2147483520, as minps returns its second operand);
    i = cvtps2dq(t) (rint; < -2^31 -> INT32_MIN); i = i + zp in int32 (wraps);
    saturate to the storage range."""
    lo, hi = QRANGE[dtype]
    with np.errstate(invalid="ignore", over="ignore"):
        t = (np.asarray(y, np.float32) * f32(inv)).astype(np.float32)
        t = np.where(t < INT32_FLOAT_MAX, t, INT32_FLOAT_MAX)
        r = np.rint(t.astype(np.float64))
    bad = ~(r >= -2.0 ** 31)
    i = np.where(bad, -2 ** 31, np.nan_to_num(r)).astype(np.int64) + int(zp)
    i = ((i + 2 ** 31) % 2 ** 32) - 2 ** 31
    return np.clip(i, lo, hi)


def quant_scalar(y, inv, zp, dtype):
    """quantize_val: v = f32(zp + rint(f32(y*inv))) (zero point added in float), (int64)v
    (NaN/out of range -> INT64_MIN), clamp.  Also what qint32 vector lambdas use."""
    lo, hi = QRANGE[dtype]
    with np.errstate(invalid="ignore", over="ignore"):
        t = (np.asarray(y, np.float32) * f32(inv)).astype(np.float32)
        v = (f32(zp) + np.rint(t)).astype(np.float32).astype(np.float64)
    bad = ~(np.abs(v) < 2.0 ** 63)
    i = np.where(bad, -2 ** 63, np.nan_to_num(v))
    return np.clip(i, lo, hi).astype(np.int64)


def quantize(y, os_, ozp, dtype, path, kind="d"):
    """Requantise the float results y of an ATen kernel.  The vector lambda multiplies by
    f32(1.0/so) computed in double from the double q_scale (kind 'd': Sigmoid, Hardswish,
    Tanh, Hardsigmoid) or by 1.0f/f32(so) (kind 'f': LeakyReLU, ELU, whose kernels first round
    so to float; f32(1.0/(double)f32(so)) equals 1.0f/f32(so) exactly).  The scalar lambda,
    qint32 and the default capability use quantize_val, i.e. 1.0f/f32(so)."""
    if path == "scalar" or dtype == "qint32":
        return quant_scalar(y, inv_f(os_), ozp, dtype)
    if path == "default":
        return quant_scalar(y, inv_d(os_) if K["inv_def"] == "d" else inv_f(os_), ozp, dtype)
    k = K["inv_vec"] if kind == "d" else K["inv_vec_f"]
    return quant_vector(y, inv_d(os_) if k == "d" else inv_f(os_), ozp, dtype)


def quantize_val_int(x, s, zp, dtype):
    """quantize_val(s, zp, f32(x)) of one value."""
    return int(quant_scalar(np.array([f32(x)]), inv_f(s), zp, dtype)[0])


def _table_round(v, lo=0, hi=255):
    """QNNPACK table entry: clamp in float to [lo, hi], then lrintf."""
    return np.rint(np.clip(v, f32(lo), f32(hi))).astype(np.int64)


def _qnn_affine(inv, h, zo):
    """f32(f32(inv * h) + zo) as QNNPACK's C code computes it (no FMA)."""
    if K["qnn_fma"] == "yes":
        return fmaf(inv, h, f32(zo))
    return ((f32(inv) * h).astype(np.float32) + f32(zo)).astype(np.float32)


class TorchRefusal(RuntimeError):
    """Raised by the reference where torch 1.13 raises."""


def _check_dtype(dtype):
    if dtype not in QRANGE:
        raise ValueError(dtype)


# --------------------------------------------------------------------------------------
# 8. ReLU, 1. clamp / hardtanh / ReLU6 (integer)
# --------------------------------------------------------------------------------------
def relu_ref(q, s, zp, dtype, engine="onednn"):
    """torch.relu / F.relu / nn.ReLU: max(q, zp); qparams unchanged (every dtype, engine)."""
    _check_dtype(dtype)
    return np.maximum(np.asarray(q, np.int64), zp), s, zp


def clamp_ref(q, s, zp, dtype, engine="onednn", min_val=None, max_val=None):
    """torch.clamp / F.hardtanh / F.relu6 / nnq.ReLU6 / quantized::clamp: integer clamp to
    lo = quantize_val(s, zp, f32(min)), hi = quantize_val(s, zp, f32(max)):
    min(max(q, lo), hi) (so hi wins when lo > hi).  qparams unchanged."""
    _check_dtype(dtype)
    if min_val is None and max_val is None:
        raise TorchRefusal("At least one of 'min' or 'max' must not be None")
    if engine == "qnnpack" and (min_val is None or max_val is None):
        raise TorchRefusal("Both min and max should be specified for quantized clamp!")
    y = np.asarray(q, np.int64)
    if engine == "qnnpack" and dtype == "quint8" and \
            quantize_val_int(min_val, s, zp, dtype) > quantize_val_int(max_val, s, zp, dtype):
        raise TorchRefusal("failed to create QNNPACK Clamp operator (range min must be below "
                           "range max)")
    if min_val is not None:
        y = np.maximum(y, quantize_val_int(min_val, s, zp, dtype))
    if max_val is not None:
        y = np.minimum(y, quantize_val_int(max_val, s, zp, dtype))
    return y, s, zp


def relu6_ref(q, s, zp, dtype, engine="onednn"):
    return clamp_ref(q, s, zp, dtype, engine, 0.0, 6.0)


# --------------------------------------------------------------------------------------
# pre-quantisation float results of the ATen kernels (the tie miner uses them)
# --------------------------------------------------------------------------------------
def _pre_leaky(q, s, zp, path, slope):
    d = dequant(q, s, zp, path)
    return np.where(d > 0, d, (d * f32(slope)).astype(np.float32))


def _pre_elu(q, s, zp, path, alpha, scale, input_scale):
    a, sc, isc = f32(alpha), f32(scale), f32(input_scale)
    d = dequant(q, s, zp, path)
    z = (d * isc).astype(np.float32)
    with np.errstate(over="ignore", invalid="ignore"):
        if K["elu"] == "expm1":
            e = _fn("expm1f", z, path)
        else:
            e = (_fn("expf", z, path) - f32(1)).astype(np.float32)
        n = (e * a).astype(np.float32)
        if path == "vector":   # blendv(neg, d, d > 0) * scale
            return (np.where(d > 0, d, n) * sc).astype(np.float32)
        # scalar/default: x >= 0 ? x*scale : (exp(x*is) - 1) * alpha * scale
        return np.where(d >= 0, (d * sc).astype(np.float32), (n * sc).astype(np.float32))


def _pre_sigmoid(q, s, zp, path):
    d = dequant(q, s, zp, path)
    with np.errstate(over="ignore"):
        e = _fn("expf", -d, path)
    arith = {"vector": K["sig_vec"], "scalar": K["sig_sc"], "default": K["sig_def"]}[path]
    if arith == "double":
        return (1.0 / (1.0 + e.astype(np.float64))).astype(np.float32)
    return (f32(1) / (f32(1) + e).astype(np.float32)).astype(np.float32)


def _hsw(d):
    c = np.minimum(np.maximum((d + f32(3)).astype(np.float32), f32(0)), f32(6))
    if K["hsw"] == "x(c/6)":
        return (d * (c / f32(6)).astype(np.float32)).astype(np.float32)
    return ((d * c).astype(np.float32) / f32(6)).astype(np.float32)


def _hsig(d):
    c = np.minimum(np.maximum((d + f32(3)).astype(np.float32), f32(0)), f32(6))
    return (c / f32(6)).astype(np.float32)


def _pre_hardswish(q, s, zp, path):
    return _hsw(dequant(q, s, zp, path))


def _pre_tanh(q, s, zp, path):
    return _fn("tanhf", dequant(q, s, zp, path), path)


def _pre_hardsigmoid(q, s, zp, path):
    return _hsig(dequant(q, s, zp, path))


# --------------------------------------------------------------------------------------
# 2. LeakyReLU
# --------------------------------------------------------------------------------------
def leaky_relu_ref(q, s, zp, dtype, engine="onednn", negative_slope=0.01, out_scale=None,
                   out_zp=None, path="vector"):
    """ATen leaky_qrelu on both engines and all dtypes.  Output qparams: given
    (quantized::leaky_relu; nnq.LeakyReLU passes its float32 buffers, i.e. f32(scale)), or the
    input's (F.leaky_relu).  y = d > 0 ? d : f32(d * f32(slope));
    out = clamp(rint(f32(y * (1.0f/f32(so)))) + zo) on every path."""
    _check_dtype(dtype)
    if out_scale is None:
        out_scale, out_zp = s, zp
    q = np.asarray(q, np.int64)
    if engine == "qnnpack" and dtype == "quint8" and K["leaky_qnn"] == "lut":
        # QNNPACK's leaky-relu table (NOT what torch 1.13 uses; a knockout alternative)
        x = ((f32(s) / f32(out_scale)) * (q - zp).astype(np.float32)).astype(np.float32)
        y = np.where(x < 0, (x * f32(negative_slope)).astype(np.float32), x)
        y = np.clip(y, f32(-out_zp), f32(255 - out_zp))
        return np.rint(y).astype(np.int64) + out_zp, out_scale, out_zp
    y = _pre_leaky(q, s, zp, path, negative_slope)
    return quantize(y, out_scale, out_zp, dtype, path, "f"), out_scale, out_zp


# --------------------------------------------------------------------------------------
# 3. ELU / CELU
# --------------------------------------------------------------------------------------
def elu_ref(q, s, zp, dtype, engine="onednn", out_scale=1.0, out_zp=0, alpha=1.0, scale=1.0,
            input_scale=1.0, path="vector"):
    """quantized::elu (nnq.ELU, torch.ao.nn.quantized.functional.elu): ATen on both engines.
    vector: d = fmaf-dequant; n = f32(f32(Sleef_expf(f32(d*is)) - 1) * a);
            y = f32((d > 0 ? d : n) * sc);  out = rint(f32(y * (1.0f/f32(so)))) + zo, saturate
    scalar: d = f32(s)*f32(q-zp); y = d >= 0 ? f32(d*sc) : f32(f32(f32(expf(f32(d*is)) - 1)*a)*sc)
            with glibc expf;  out = quantize_val(so, zo, y)
    (a, sc, is = f32(alpha), f32(scale), f32(input_scale); 1.13 uses exp()-1, not expm1.)"""
    _check_dtype(dtype)
    y = _pre_elu(q, s, zp, path, alpha, scale, input_scale)
    return quantize(y, out_scale, out_zp, dtype, path, "f"), out_scale, out_zp


def celu_ref(q, s, zp, dtype, engine="onednn", out_scale=1.0, out_zp=0, alpha=1.0,
             path="vector"):
    """quantized::celu = elu(alpha, scale=1, input_scale=1.0/alpha (d))."""
    return elu_ref(q, s, zp, dtype, engine, out_scale, out_zp, alpha, 1.0, 1.0 / alpha, path)


# --------------------------------------------------------------------------------------
# 4. Sigmoid
# --------------------------------------------------------------------------------------
SIGMOID_FIXED = {"quint8": (0.00390625, 0), "qint8": (0.00390625, -128),
                 "qint32": (2.3283064365386963e-10, 0)}


def sigmoid_ref(q, s, zp, dtype, engine="onednn", out_scale=None, out_zp=None, path="vector"):
    """torch.sigmoid (out_scale None: fixed qparams SIGMOID_FIXED) and quantized::sigmoid /
    nnq.Sigmoid (given qparams).
    qnnpack + quint8: QNNPACK table (torch.sigmoid, or nnq.Sigmoid with f32(so) == 2^-8 and
      zo == 0; anything else is refused): t[i] = lrintf(clamp(f32(256 / f32(1 + expf(-x))),
      0, 255)), x = f32(s)*f32(i-zp), glibc expf
    else ATen:
      vector : d = fmaf-dequant; y = f32(1 / f32(1 + Sleef_expf(-d))); rint(f32(y*f32(1.0/so)))+zo
      scalar : d = f32(s)*f32(q-zp); y = f32(1.0 / (1.0 + (d) expf(-d))) (double); quantize_val
      default: d = f32(s)*f32(q-zp); y = f32(1 / f32(1 + expf(-d))) (float); quantize_val"""
    _check_dtype(dtype)
    if out_scale is None:
        out_scale, out_zp = SIGMOID_FIXED[dtype]
    q = np.asarray(q, np.int64)
    if engine == "qnnpack" and dtype == "quint8":
        if not (f32(out_scale) == f32(1.0 / 256) and out_zp == 0):
            raise TorchRefusal("failed to create QNNPACK sigmoid operator (only output scale "
                               "1/256 and output zero point 0 are supported)")
        x = qnn_dequant(q, s, zp)
        with np.errstate(over="ignore"):
            if K["qnn_sig"] == "exp":
                v = (256.0 / (1.0 + _map_d("glibc_exp", -x.astype(np.float64)))).astype(np.float32)
            else:
                e = _map("glibc_expf", -x)
                v = (f32(256) / (f32(1) + e).astype(np.float32)).astype(np.float32)
        return _table_round(v), out_scale, out_zp
    y = _pre_sigmoid(q, s, zp, path)
    return quantize(y, out_scale, out_zp, dtype, path, "d"), out_scale, out_zp


# --------------------------------------------------------------------------------------
# 5. Hardswish
# --------------------------------------------------------------------------------------
def hardswish_ref(q, s, zp, dtype, engine="onednn", out_scale=1.0, out_zp=0, path="vector"):
    """quantized::hardswish (nnq.Hardswish, torch.ao.nn.quantized.functional.hardswish).
    h(d) = f32(f32(d * min(max(f32(d+3), 0), 6)) / 6)
    qnnpack + quint8: QNNPACK table t[i] = lrintf(clamp(f32(f32((1.0f/f32(so)) * h(x)) + zo),
                      0, 255)), x = f32(s)*f32(i-zp)   (zero point added in float, no FMA)
    else ATen: vector rint(f32(h(fmaf-dequant) * f32(1.0/so))) + zo; scalar quantize_val(h(d))."""
    _check_dtype(dtype)
    q = np.asarray(q, np.int64)
    if engine == "qnnpack" and dtype == "quint8":
        if not (f32(out_scale) > 0 and np.isfinite(f32(out_scale)) and
                f32(out_scale) >= np.finfo(np.float32).tiny):
            raise TorchRefusal("failed to create QNNPACK Hardswish operator (output scale must "
                               "be finite and positive)")
        v = _qnn_affine(inv_f(out_scale), _hsw(qnn_dequant(q, s, zp)), out_zp)
        return _table_round(v), out_scale, out_zp
    y = _pre_hardswish(q, s, zp, path)
    return quantize(y, out_scale, out_zp, dtype, path, "d"), out_scale, out_zp


# --------------------------------------------------------------------------------------
# 6. Tanh, Hardsigmoid (fixed output qparams)
# --------------------------------------------------------------------------------------
TANH_FIXED = {"quint8": (0.0078125, 128), "qint8": (0.0078125, 0),
              "qint32": (4.656612873077393e-10, 0)}
HSIG_FIXED = {"quint8": (0.00390625, 0), "qint8": (0.00390625, -128),
              "qint32": (2.3283064365386963e-10, 0)}


def tanh_ref(q, s, zp, dtype, engine="onednn", path="vector"):
    """torch.tanh: output qparams fixed (TANH_FIXED).
    qnnpack + quint8: QNNPACK table t[i] = lrintf(clamp(f32(128 * tanh(x) (d) + 128), 0, 255)),
                      x = f32(s)*f32(i-zp), tanh of the double x (glibc tanh)
    else ATen: vector rint(f32(Sleef_tanhf(fmaf-dequant) * 128)) + zo;
               scalar quantize_val(tanhf(f32(s)*f32(q-zp))) with glibc tanhf."""
    _check_dtype(dtype)
    os_, ozp = TANH_FIXED[dtype]
    q = np.asarray(q, np.int64)
    if engine == "qnnpack" and dtype == "quint8":
        x = qnn_dequant(q, s, zp)
        if K["qnn_tanh"] == "float":
            v = _qnn_affine(f32(128), _map("glibc_tanhf", x), 128)
        else:
            v = (128.0 * _map_d("glibc_tanh", x.astype(np.float64)) + 128.0).astype(np.float32)
        return _table_round(v), os_, ozp
    y = _pre_tanh(q, s, zp, path)
    return quantize(y, os_, ozp, dtype, path, "d"), os_, ozp


def hardsigmoid_ref(q, s, zp, dtype, engine="onednn", path="vector"):
    """F.hardsigmoid (= torch.ao.nn.quantized.functional.hardsigmoid): fixed output qparams
    (HSIG_FIXED).  g(d) = f32(min(max(f32(d+3), 0), 6) / 6).
    qnnpack + quint8: QNNPACK table t[i] = lrintf(clamp(f32(256 * g(x)), 0, 255))
    else ATen: rint(f32(g(d) * 256)) + zo, d = fmaf-dequant (vector) or f32(s)*f32(q-zp) (scalar)."""
    _check_dtype(dtype)
    os_, ozp = HSIG_FIXED[dtype]
    q = np.asarray(q, np.int64)
    if engine == "qnnpack" and dtype == "quint8":
        v = _qnn_affine(f32(256), _hsig(qnn_dequant(q, s, zp)), 0)
        return _table_round(v), os_, ozp
    y = _pre_hardsigmoid(q, s, zp, path)
    return quantize(y, os_, ozp, dtype, path, "d"), os_, ozp


# --------------------------------------------------------------------------------------
# 7. PReLU
# --------------------------------------------------------------------------------------
def prelu_ref(q, s, zp, dtype, engine="onednn", w_codes=None, w_scale=1.0, w_zp=0,
              out_scale=1.0, out_zp=0, path="vector"):
    """quantized::prelu (nnq.PReLU): ATen on both engines, integer arithmetic and one float
    multiply; the same on every path.  q and w_codes broadcast (one weight, or one per channel
    along dim 1; the weight has the input's dtype and per-tensor qparams sw, zw).
      one = quantize_val(sw, zw, 1.0) - zw                     (the quantised slope "1")
      acc = (max(q,zp) - zp) * one + (min(q,zp) - zp) * (w - zw)                (int32)
      M   = f32(f32(f32(sx) * f32(sw)) * (1.0f / f32(so)))
      out = clamp(zo + rint(f32(f32(acc) * M)))"""
    _check_dtype(dtype)
    q = np.asarray(q, np.int64)
    w = np.asarray(w_codes, np.int64)
    one = quantize_val_int(1.0, w_scale, w_zp, dtype) - w_zp
    acc = (np.maximum(q, zp) - zp) * one + (np.minimum(q, zp) - zp) * (w - w_zp)
    m = f32(f32(f32(s) * f32(w_scale)) * inv_f(out_scale))
    t = (acc.astype(np.float32) * m).astype(np.float32)
    lo, hi = QRANGE[dtype]
    r = np.rint(np.minimum(t, INT32_FLOAT_MAX).astype(np.float64)) + out_zp
    return np.clip(r, lo, hi).astype(np.int64), out_scale, out_zp


def act_codes(act, q, s, zp, dtype, engine="onednn", path="vector", **p):
    """One entry point: act in relu, relu6, hardtanh/clamp (min_val/min, max_val/max),
    leaky_relu (negative_slope, out_scale=None, out_zp=None), elu (out_scale, out_zp, alpha,
    scale, input_scale), celu, sigmoid (out_scale=None, out_zp=None), hardswish (out_scale,
    out_zp), tanh, hardsigmoid, prelu (w_codes, w_scale, w_zp, out_scale, out_zp).
    path: 'vector' (alias 'vec'), 'scalar' or 'default'.  Returns (codes, out_scale, out_zp)."""
    path = "vector" if path == "vec" else path
    if act == "relu":
        return relu_ref(q, s, zp, dtype, engine)
    if act == "relu6":
        return relu6_ref(q, s, zp, dtype, engine)
    if act in ("hardtanh", "clamp"):
        return clamp_ref(q, s, zp, dtype, engine, p.get("min_val", p.get("min")),
                         p.get("max_val", p.get("max")))
    if act == "leaky_relu":
        return leaky_relu_ref(q, s, zp, dtype, engine, p.get("negative_slope", 0.01),
                              p.get("out_scale"), p.get("out_zp"), path)
    if act == "elu":
        return elu_ref(q, s, zp, dtype, engine, p["out_scale"], p["out_zp"], p.get("alpha", 1.0),
                       p.get("scale", 1.0), p.get("input_scale", 1.0), path)
    if act == "celu":
        return celu_ref(q, s, zp, dtype, engine, p["out_scale"], p["out_zp"], p.get("alpha", 1.0),
                        path)
    if act == "sigmoid":
        return sigmoid_ref(q, s, zp, dtype, engine, p.get("out_scale"), p.get("out_zp"), path)
    if act == "hardswish":
        return hardswish_ref(q, s, zp, dtype, engine, p["out_scale"], p["out_zp"], path)
    if act == "tanh":
        return tanh_ref(q, s, zp, dtype, engine, path)
    if act == "hardsigmoid":
        return hardsigmoid_ref(q, s, zp, dtype, engine, path)
    if act == "prelu":
        return prelu_ref(q, s, zp, dtype, engine, p["w_codes"], p["w_scale"], p["w_zp"],
                         p["out_scale"], p["out_zp"], path)
    raise ValueError(act)


# --------------------------------------------------------------------------------------
# where torch uses which lambda (unary ops)
# --------------------------------------------------------------------------------------
GRAIN = 32768


def vector_mask_unary(numel, contiguous, vstep, threads=1, row=None):
    """True where torch's cpu_kernel_vec uses the vector lambda, in the order the kernel walks
    a dense input/output (memory order).  contiguous=False (no unit inner stride, and the
    kernel does not copy its input) -> all scalar.  row: length of the inner loop when the
    iteration space does not coalesce to 1-D (e.g. x[..., 1:]).  vstep = 2*Vec::size():
    64 for 8-bit types under AVX2 and default, 128 under AVX512."""
    mask = np.zeros(numel, bool)
    if not contiguous:
        return mask
    if numel < GRAIN or threads == 1:
        chunks = [(0, numel)]
    else:
        nt = min(threads, -(-numel // GRAIN))
        cs = -(-numel // nt)
        chunks = [(b, min(numel, b + cs)) for b in range(0, numel, cs)]
    row = row or numel
    for b, e in chunks:
        p = b
        while p < e:
            n = min(row - p % row, e - p)
            mask[p:p + (n // vstep) * vstep] = True
            p += n
    return mask


# ======================================================================================
# comparison against torch
# ======================================================================================
TIE_SCALES = [0.5, 0.25, 0.125, 1 / 16, 1 / 32, 1 / 64, 1 / 128, 1 / 256, 1.0, 2.0, 0.75,
              0.375, 3 / 64, 0.1, 0.05, 0.02]


class _Harness:
    def __init__(self, seed, capability):
        import torch
        self.torch = torch
        self.rng = np.random.default_rng(seed)
        self.cap = capability          # 'avx2', 'avx512' or 'default'
        self.vpath = "default" if capability == "default" else "vector"
        self.total = {}
        self.fails = []
        self.knock = {}
        self.refused = 0
        self.TD = {"quint8": torch.uint8, "qint8": torch.int8, "qint32": torch.int32}

    # -- torch helpers --
    def mkq(self, codes, s, zp, dtype):
        return self.torch._make_per_tensor_quantized_tensor(
            self.torch.tensor(np.asarray(codes), dtype=self.TD[dtype]), s, zp)

    def run(self, fn, codes, s, zp, dtype, where):
        """torch's output code for every input code, each placed in the vector lambda
        ('vector': codes tiled to 1024 elements) or in the scalar lambda ('scalar': tensors
        of 15 elements)."""
        codes = np.asarray(codes)
        if where != "scalar":
            y = fn(self.mkq(np.tile(codes, 1024 // len(codes) if len(codes) <= 1024 else 1),
                            s, zp, dtype))
            return y.int_repr().numpy().astype(np.int64)[:len(codes)], y
        outs = []
        for i in range(0, len(codes), 15):
            y = fn(self.mkq(codes[i:i + 15], s, zp, dtype))
            outs.append(y.int_repr().numpy().astype(np.int64))
        return np.concatenate(outs), y

    def check(self, name, engine, got, ref, info):
        t = self.total.setdefault((name, engine), [0, 0, 0])
        bad = int((np.asarray(got) != np.asarray(ref)).sum())
        t[0] += 1
        t[1] += bad
        t[2] += np.asarray(got).size
        if bad and len(self.fails) < 40:
            g, r = np.asarray(got).ravel(), np.asarray(ref).ravel()
            idx = np.nonzero(g != r)[0][:4]
            self.fails.append((name, engine, info, idx.tolist(), g[idx].tolist(), r[idx].tolist()))
        return bad

    def qp_check(self, name, engine, y, s_ref, zp_ref):
        if not (y.q_scale() == float(s_ref) and y.q_zero_point() == zp_ref):
            self.fails.append((name, engine, "qparams", y.q_scale(), y.q_zero_point(), s_ref, zp_ref))

    # -- random qparams --
    def rscale(self, lo=1e-3, hi=0.2):
        r = self.rng.random()
        if r < 0.4:
            return float(self.rng.choice(TIE_SCALES))
        if r < 0.55:
            return float(f32(self.rng.uniform(lo, hi)))
        return float(np.exp(self.rng.uniform(np.log(lo), np.log(hi))))

    def rzp(self, dtype):
        if dtype == "qint32":
            return int(self.rng.integers(-1000, 1000))
        lo, hi = QRANGE[dtype]
        return int(self.rng.integers(lo, hi + 1))

    def codes_for(self, dtype):
        if dtype == "qint32":
            return np.sort(self.rng.integers(-5000, 5000, 256))
        return all_codes(dtype)

    # ----------------------------------------------------------------------------------
    # A. random cases
    # ----------------------------------------------------------------------------------
    def section_random(self, ncases, engines=("onednn", "qnnpack")):
        torch = self.torch
        import torch.nn.functional as F
        import torch.ao.nn.quantized as nnq
        import torch.ao.nn.quantized.functional as qF
        rng = self.rng
        for engine in engines:
            torch.backends.quantized.engine = engine
            for case in range(ncases):
                dtype = ["quint8", "qint8"][case % 2] if case % 10 != 9 else "qint32"
                s, zp = self.rscale(), self.rzp(dtype)
                os_, ozp = self.rscale(2e-3, 0.1), self.rzp(dtype)
                codes = self.codes_for(dtype)
                info = dict(dt=dtype, s=s, zp=zp, os=os_, ozp=ozp)
                paths = ((self.vpath, "vector"), ("scalar", "scalar"))
                for fn in (torch.relu, F.relu, torch.nn.ReLU()):
                    got, y = self.run(fn, codes, s, zp, dtype, "vector")
                    ref, rs, rz = relu_ref(codes, s, zp, dtype, engine)
                    self.check("relu", engine, got, ref, info)
                    self.qp_check("relu", engine, y, rs, rz)
                a = float(rng.choice([-1.0, 0.0, float(rng.uniform(-3, 1)), -0.5]))
                b = float(rng.choice([1.0, 6.0, float(rng.uniform(0.2, 4)), a + 0.37]))
                for fn, (lo, hi) in [(F.relu6, (0.0, 6.0)), (nnq.ReLU6(), (0.0, 6.0)),
                                     (lambda x: F.hardtanh(x, a, b), (a, b)),
                                     (lambda x: qF.hardtanh(x, a, b), (a, b)),
                                     (lambda x: torch.clamp(x, a, b), (a, b)),
                                     (lambda x: qF.clamp(x, a, b), (a, b)),
                                     (lambda x: torch.ops.quantized.clamp(x, a, b), (a, b))]:
                    self._check_or_refuse("clamp/hardtanh/relu6", engine, fn,
                                          lambda: clamp_ref(codes, s, zp, dtype, engine, lo, hi),
                                          codes, s, zp, dtype, dict(info, a=lo, b=hi))
                # one-sided clamps (qnnpack refuses them)
                self._check_or_refuse("clamp/hardtanh/relu6", engine, lambda x: torch.clamp(x, min=a),
                                      lambda: clamp_ref(codes, s, zp, dtype, engine, a, None),
                                      codes, s, zp, dtype, info)
                self._check_or_refuse("clamp/hardtanh/relu6", engine, lambda x: torch.clamp(x, max=b),
                                      lambda: clamp_ref(codes, s, zp, dtype, engine, None, b),
                                      codes, s, zp, dtype, info)
                slope = float(rng.choice([0.01, 0.1, 0.2, 0.5, 0.25, float(rng.uniform(0, 1)), 1.5,
                                          -0.1]))
                alpha = float(rng.choice([1.0, 0.5, 2.0, float(rng.uniform(0.1, 3))]))
                esc = float(rng.choice([1.0, 1.0, float(rng.uniform(0.5, 2))]))
                eis = float(rng.choice([1.0, 1.0, float(rng.uniform(0.5, 2))]))
                for rpath, where in paths:
                    mod = nnq.LeakyReLU(os_, ozp, slope)
                    got, y = self.run(mod, codes, s, zp, dtype, where)
                    ref, rs, rz = leaky_relu_ref(codes, s, zp, dtype, engine, slope,
                                                 float(mod.scale), ozp, rpath)
                    self.check("leaky_relu", engine, got, ref, dict(info, slope=slope))
                    self.qp_check("nnq.LeakyReLU", engine, y, rs, rz)
                    got, y = self.run(lambda x: F.leaky_relu(x, slope), codes, s, zp, dtype, where)
                    ref, rs, rz = leaky_relu_ref(codes, s, zp, dtype, engine, slope, None, None, rpath)
                    self.check("leaky_relu", engine, got, ref, dict(info, slope=slope))
                    self.qp_check("F.leaky_relu", engine, y, rs, rz)
                    got, y = self.run(lambda x: qF.leaky_relu(x, slope, scale=os_, zero_point=ozp),
                                      codes, s, zp, dtype, where)
                    ref, rs, rz = leaky_relu_ref(codes, s, zp, dtype, engine, slope, os_, ozp, rpath)
                    self.check("leaky_relu", engine, got, ref, dict(info, slope=slope))
                    self.qp_check("qF.leaky_relu", engine, y, rs, rz)
                    got, y = self.run(nnq.ELU(os_, ozp, alpha), codes, s, zp, dtype, where)
                    ref, rs, rz = elu_ref(codes, s, zp, dtype, engine, os_, ozp, alpha, 1.0, 1.0, rpath)
                    self.check("elu", engine, got, ref, dict(info, alpha=alpha))
                    self.qp_check("nnq.ELU", engine, y, rs, rz)
                    got, y = self.run(lambda x: torch.ops.quantized.elu(x, os_, ozp, alpha, esc, eis),
                                      codes, s, zp, dtype, where)
                    ref, rs, rz = elu_ref(codes, s, zp, dtype, engine, os_, ozp, alpha, esc, eis, rpath)
                    self.check("elu", engine, got, ref, dict(info, alpha=alpha, sc=esc, isc=eis))
                    got, y = self.run(lambda x: torch.ops.quantized.celu(x, os_, ozp, alpha),
                                      codes, s, zp, dtype, where)
                    ref, rs, rz = celu_ref(codes, s, zp, dtype, engine, os_, ozp, alpha, rpath)
                    self.check("elu", engine, got, ref, dict(info, alpha=alpha, celu=1))
                    got, y = self.run(torch.sigmoid, codes, s, zp, dtype, where)
                    ref, rs, rz = sigmoid_ref(codes, s, zp, dtype, engine, None, None, rpath)
                    self.check("sigmoid", engine, got, ref, info)
                    self.qp_check("torch.sigmoid", engine, y, rs, rz)
                    if not (engine == "qnnpack" and dtype == "quint8"):
                        got, y = self.run(nnq.Sigmoid(os_, ozp), codes, s, zp, dtype, where)
                        ref, rs, rz = sigmoid_ref(codes, s, zp, dtype, engine, os_, ozp, rpath)
                        self.check("sigmoid", engine, got, ref, info)
                        self.qp_check("nnq.Sigmoid", engine, y, rs, rz)
                    for fn in (nnq.Hardswish(os_, ozp), lambda x: qF.hardswish(x, os_, ozp)):
                        got, y = self.run(fn, codes, s, zp, dtype, where)
                        ref, rs, rz = hardswish_ref(codes, s, zp, dtype, engine, os_, ozp, rpath)
                        self.check("hardswish", engine, got, ref, info)
                        self.qp_check("hardswish", engine, y, rs, rz)
                    got, y = self.run(torch.tanh, codes, s, zp, dtype, where)
                    ref, rs, rz = tanh_ref(codes, s, zp, dtype, engine, rpath)
                    self.check("tanh", engine, got, ref, info)
                    self.qp_check("torch.tanh", engine, y, rs, rz)
                    for fn in (F.hardsigmoid, qF.hardsigmoid):
                        got, y = self.run(fn, codes, s, zp, dtype, where)
                        ref, rs, rz = hardsigmoid_ref(codes, s, zp, dtype, engine, rpath)
                        self.check("hardsigmoid", engine, got, ref, info)
                        self.qp_check("hardsigmoid", engine, y, rs, rz)
                if dtype != "qint32":
                    self._prelu_case(engine, dtype, codes, s, zp, os_, ozp, info)

    def _check_or_refuse(self, name, engine, fn, reffn, codes, s, zp, dtype, info):
        """Compare codes and qparams, or check that torch and the reference both refuse."""
        try:
            ref, rs, rz = reffn()
        except TorchRefusal:
            ref = None
        try:
            got, y = self.run(fn, codes, s, zp, dtype, "vector")
        except RuntimeError:
            got = None
        if (ref is None) != (got is None):
            self.fails.append((name, engine, "refusal differs", info, ref is None, got is None))
        elif ref is None:
            self.refused += 1
        else:
            self.check(name, engine, got, ref, info)
            self.qp_check(name, engine, y, rs, rz)

    def section_refusals(self):
        """Fixed refusal cases (both engines): torch and the reference must agree."""
        torch = self.torch
        import torch.ao.nn.quantized as nnq
        for engine in ("onednn", "qnnpack"):
            torch.backends.quantized.engine = engine
            for dtype in ("quint8", "qint8"):
                codes = all_codes(dtype)
                zp = 0 if dtype == "qint8" else 128
                for so, zo in ((0.003, 0), (1 / 256, 3), (1 / 256, 0), (1.0 / 256 * (1 + 1e-9), 0)):
                    self._check_or_refuse("refusals", engine, nnq.Sigmoid(so, zo),
                                          lambda: sigmoid_ref(codes, 0.05, zp, dtype, engine, so, zo),
                                          codes, 0.05, zp, dtype, (so, zo))
                for a, b in ((2.0, -1.0), (1.0, 1.0), (0.5, 0.49)):
                    self._check_or_refuse("refusals", engine, lambda x: torch.clamp(x, a, b),
                                          lambda: clamp_ref(codes, 0.1, zp, dtype, engine, a, b),
                                          codes, 0.1, zp, dtype, (a, b))
                self._check_or_refuse("refusals", engine,
                                      lambda x: torch.ops.quantized.hardswish(x, 0.0, 5),
                                      lambda: hardswish_ref(codes, 0.1, zp, dtype, engine, 0.0, 5),
                                      codes, 0.1, zp, dtype, "hardswish so=0")

    def _prelu_case(self, engine, dtype, codes, s, zp, os_, ozp, info):
        torch = self.torch
        import torch.ao.nn.quantized as nnq
        ws, wzp, nch = self.rscale(1e-3, 0.05), self.rzp(dtype), 4
        wc = self.rng.integers(QRANGE[dtype][0], QRANGE[dtype][1] + 1, nch)
        qw = self.mkq(wc, ws, wzp, dtype)
        for xs in (np.tile(codes, 4).reshape(1, nch, 16, 16), codes[:60].reshape(1, nch, 15)):
            x = self.mkq(xs, s, zp, dtype)
            wshape = (1, nch) + (1,) * (xs.ndim - 2)
            y = torch.ops.quantized.prelu(x, qw, os_, ozp)
            ref = prelu_ref(xs, s, zp, dtype, engine, wc.reshape(wshape), ws, wzp, os_, ozp)[0]
            self.check("prelu", engine, y.int_repr().numpy(), ref, info)
            y = torch.ops.quantized.prelu(x, self.mkq(wc[:1], ws, wzp, dtype), os_, ozp)
            ref = prelu_ref(xs, s, zp, dtype, engine, wc[:1], ws, wzp, os_, ozp)[0]
            self.check("prelu", engine, y.int_repr().numpy(), ref, info)
            if dtype == "quint8":   # nnq.PReLU's weight is quint8 (qint8 inputs are refused)
                m = nnq.PReLU(os_, ozp, nch)
                m.set_weight(qw)
                ref = prelu_ref(xs, s, zp, dtype, engine, wc.reshape(wshape), ws, wzp, os_, ozp)[0]
                self.check("prelu", engine, m(x).int_repr().numpy(), ref, info)

    # ----------------------------------------------------------------------------------
    # B. tie-targeted cases and knockouts
    # ----------------------------------------------------------------------------------
    def _ops(self, engine, dtype):
        """Per op: (name, torch-fn factory, ref(p, path) -> table, knobs per placement, kind,
        extra).  kind 'free': the case picks the output qparams from the pre-quantisation
        value (extra = pre(p, path)); 'fixed': fixed output qparams, the case picks the input
        scale with the inverse function (extra = (function name, out scale, out zp))."""
        torch = self.torch
        import torch.nn.functional as F
        qnn = engine == "qnnpack" and dtype == "quint8"
        qk = ["leaky_qnn"] if qnn else []
        ops = [
            ("leaky_relu",
             lambda p: (lambda x: torch.ops.quantized.leaky_relu(x, p["slope"], False, p["os"], p["ozp"])),
             lambda p, path: leaky_relu_ref(p["codes"], p["s"], p["zp"], dtype, engine, p["slope"],
                                            p["os"], p["ozp"], path)[0],
             {"vector": ["deq_vec", "inv_vec_f"] + qk, "scalar": ["deq_sc"] + qk}, "free",
             lambda p, path: _pre_leaky(p["codes"], p["s"], p["zp"], path, p["slope"])),
            ("elu",
             lambda p: (lambda x: torch.ops.quantized.elu(x, p["os"], p["ozp"], p["alpha"], p["esc"], p["eis"])),
             lambda p, path: elu_ref(p["codes"], p["s"], p["zp"], dtype, engine, p["os"], p["ozp"],
                                     p["alpha"], p["esc"], p["eis"], path)[0],
             {"vector": ["deq_vec", "fn_vec", "inv_vec_f", "elu"],
              "scalar": ["deq_sc", "fn_sc", "elu"]}, "free",
             lambda p, path: _pre_elu(p["codes"], p["s"], p["zp"], path, p["alpha"], p["esc"], p["eis"])),
        ]
        if not qnn:
            ops.append(("sigmoid",
                        lambda p: (lambda x: torch.ops.quantized.sigmoid(x, p["os"], p["ozp"])),
                        lambda p, path: sigmoid_ref(p["codes"], p["s"], p["zp"], dtype, engine,
                                                    p["os"], p["ozp"], path)[0],
                        {"vector": ["deq_vec", "fn_vec", "inv_vec", "sig_vec"],
                         "scalar": ["deq_sc", "fn_sc", "sig_sc"]}, "free",
                        lambda p, path: _pre_sigmoid(p["codes"], p["s"], p["zp"], path)))
        ops.append(("hardswish",
                    lambda p: (lambda x: torch.ops.quantized.hardswish(x, p["os"], p["ozp"])),
                    lambda p, path: hardswish_ref(p["codes"], p["s"], p["zp"], dtype, engine,
                                                  p["os"], p["ozp"], path)[0],
                    {"vector": ["qnn_fma", "hsw"], "scalar": []} if qnn else
                    {"vector": ["deq_vec", "inv_vec", "hsw"], "scalar": ["deq_sc", "hsw"]}, "free",
                    (lambda p, path: _hsw(qnn_dequant(p["codes"], p["s"], p["zp"]))) if qnn else
                    (lambda p, path: _pre_hardswish(p["codes"], p["s"], p["zp"], path))))
        ops.append(("sigmoid_fixed", lambda p: torch.sigmoid,
                    lambda p, path: sigmoid_ref(p["codes"], p["s"], p["zp"], dtype, engine, None,
                                                None, path)[0],
                    {"vector": ["qnn_sig"], "scalar": []} if qnn else
                    {"vector": ["deq_vec", "fn_vec", "sig_vec"], "scalar": ["deq_sc", "fn_sc", "sig_sc"]},
                    "fixed", ("sigmoid",) + SIGMOID_FIXED[dtype]))
        ops.append(("tanh", lambda p: torch.tanh,
                    lambda p, path: tanh_ref(p["codes"], p["s"], p["zp"], dtype, engine, path)[0],
                    {"vector": ["qnn_tanh"], "scalar": []} if qnn else
                    {"vector": ["deq_vec", "fn_vec"], "scalar": ["deq_sc", "fn_sc"]},
                    "fixed", ("tanh",) + TANH_FIXED[dtype]))
        ops.append(("hardsigmoid", lambda p: F.hardsigmoid,
                    lambda p, path: hardsigmoid_ref(p["codes"], p["s"], p["zp"], dtype, engine, path)[0],
                    {"vector": [], "scalar": []} if qnn else
                    {"vector": ["deq_vec"], "scalar": ["deq_sc"]},
                    "fixed", ("hardsigmoid",) + HSIG_FIXED[dtype]))
        return ops

    def _flip(self, knob, fn, *a):
        if knob is None:
            return fn(*a)
        K[knob] = K_ALT[knob]
        try:
            return fn(*a)
        except Exception:
            return None
        finally:
            K[knob] = K_DEFAULT[knob]

    def _rand_params(self, dtype):
        rng = self.rng
        lo, hi = QRANGE[dtype]
        return dict(codes=all_codes(dtype), s=self.rscale(), zp=int(rng.integers(lo + 20, hi - 20)),
                    slope=float(rng.choice([0.01, 0.1, 0.3, rng.uniform(0, 1)])),
                    alpha=float(rng.choice([1.0, rng.uniform(0.2, 2)])),
                    esc=float(rng.choice([1.0, rng.uniform(0.5, 2)])),
                    eis=float(rng.choice([1.0, rng.uniform(0.5, 2)])))

    def _make_tie_case(self, kind, extra, dtype, path, knob=None):
        """Qparams that put one code c next to a rounding tie; returns (p, c) or None.
        With a knob that changes the float result, c is a code where it does and the tie is
        put between the two results."""
        rng = self.rng
        lo, hi = QRANGE[dtype]
        p = self._rand_params(dtype)
        ulp = 2.0 ** -23 * float(rng.integers(-3, 4))
        if kind == "free":
            sub = dict(p, codes=rng.integers(lo, hi + 1, 24))
            y0 = extra(sub, path)
            y1 = self._flip(knob, extra, sub, path) if knob else y0
            if y1 is None:
                return None
            diff = np.nonzero((y0 != y1) & np.isfinite(y0) & (np.abs(y0) > 1e-6))[0]
            if len(diff):
                i = int(rng.choice(diff))
                y, ulp = (float(y0[i]) + float(y1[i])) / 2, 0.0
            else:
                i = int(rng.integers(0, 24))
                y = float(y0[i])
                if not np.isfinite(y) or abs(y) < 1e-6:
                    return None
            c = int(sub["codes"][i])
            k = int(rng.integers(1, 100))
            ozp = int(rng.integers(lo, hi + 1))
            if not lo <= ozp + (k if y > 0 else -k - 1) <= hi:
                return None
            p["os"], p["ozp"] = abs(y) / (k + 0.5) * (1 + ulp), ozp
            return p, c
        fname, os_, ozp = extra
        t = (int(rng.integers(lo, hi)) + 0.5 - ozp) * os_     # float value at a tie
        if fname == "tanh":
            d = np.arctanh(t) if -1 < t < 1 else None
        elif not 0 < t < 1:
            d = None
        else:
            d = np.log(t / (1 - t)) if fname == "sigmoid" else 6 * t - 3
        c = int(rng.integers(lo, hi + 1))
        m = c - p["zp"]
        if d is None or m == 0 or d == 0 or d / m <= 0:
            return None
        p["s"] = d / m * (1 + ulp)
        return p, c

    def section_targeted(self, per_knob, engines=("onednn", "qnnpack"), max_tries=150):
        """For every op, placement and knob: tie cases where flipping the knob changes the
        table; torch must equal the reference, and the flipped reference must not."""
        torch = self.torch
        self.knock = {}
        ntargeted = 0
        for engine in engines:
            torch.backends.quantized.engine = engine
            for dtype in ("quint8", "qint8"):
                codes = all_codes(dtype)
                qnn = engine == "qnnpack" and dtype == "quint8"
                for name, mkfn, ref, knobs, kind, extra in self._ops(engine, dtype):
                    table_op = qnn and name in ("hardswish", "sigmoid_fixed", "tanh", "hardsigmoid")
                    for where in (["vector"] if table_op else ["vector", "scalar"]):
                        rpath = self.vpath if where == "vector" else "scalar"
                        kns = knobs[where]
                        if self.cap == "default" and where == "vector":
                            kns = [] if table_op else (
                                ["deq_def", "inv_def"] + (["fn_sc"] if name in (
                                    "elu", "sigmoid", "sigmoid_fixed", "tanh") else []) +
                                (["sig_def"] if name.startswith("sigmoid") else []))
                        for knob in kns + [None]:
                            kept = 0
                            for _ in range(max_tries):
                                if kept >= per_knob:
                                    break
                                pc = self._make_tie_case(kind, extra, dtype, rpath, knob)
                                if pc is None:
                                    continue
                                p, c = pc
                                if knob is not None:   # screen on the one code first
                                    one = dict(p, codes=np.array([c]))
                                    a, b = ref(one, rpath), self._flip(knob, ref, one, rpath)
                                    if b is not None and (a == b).all():
                                        continue
                                base = ref(p, rpath)
                                alt = self._flip(knob, ref, p, rpath) if knob else base
                                if knob is not None and alt is not None and (alt == base).all():
                                    continue
                                kept += 1
                                ntargeted += 1
                                got, _ = self.run(mkfn(p), codes, p["s"], p["zp"], dtype, where)
                                self.check(name + "*", engine, got, base,
                                           dict({k: v for k, v in p.items() if k != "codes"},
                                                dt=dtype, where=where, knob=knob))
                                if knob is not None:
                                    kk = self.knock.setdefault((knob, name, where), [0, 0])
                                    kk[1] += 1
                                    kk[0] += int(alt is None or (alt != got).any())
        return ntargeted

    # ----------------------------------------------------------------------------------
    # C. position dependence
    # ----------------------------------------------------------------------------------
    def section_positions(self, vstep):
        """Sizes/layouts/threads: torch output == where(vector_mask, vector table, scalar table)."""
        torch = self.torch
        import torch.nn.functional as F
        torch.backends.quantized.engine = "onednn"
        results = []
        cands = []   # (name, dtype, torch fn, p, vector table, scalar table, copies-to-contiguous)
        for dtype in ("quint8", "qint8"):
            for name, mkfn, ref, knobs, kind, extra in self._ops("onednn", dtype):
                for _ in range(600):
                    pc = self._make_tie_case(kind, extra, dtype, self.vpath)
                    if pc is None:
                        continue
                    p = pc[0]
                    tv, ts = ref(p, self.vpath), ref(p, "scalar")
                    if (tv != ts).any():
                        cands.append((name, dtype, mkfn(p), p, tv, ts, name == "leaky_relu"))
                        break
            # F.leaky_relu keeps the input qparams: search a case where the paths differ
            for _ in range(3000):
                s = float(np.exp(self.rng.uniform(np.log(1e-3), np.log(0.2))))
                zp = self.rzp(dtype)
                slope = float(self.rng.choice([0.1, 0.3, 0.7]))
                c = all_codes(dtype)
                tv = leaky_relu_ref(c, s, zp, dtype, "onednn", slope, None, None, self.vpath)[0]
                ts = leaky_relu_ref(c, s, zp, dtype, "onednn", slope, None, None, "scalar")[0]
                if (tv != ts).any():
                    cands.append(("F.leaky_relu", dtype, lambda x, sl=slope: F.leaky_relu(x, sl),
                                  dict(s=s, zp=zp), tv, ts, True))
                    break
        shapes = [(1,), (7,), (31,), (33,), (63,), (64,), (65,), (100,), (127,), (128,), (129,),
                  (257,), (1000,), (3, 5, 7), (2, 8, 9, 13), (4, 3, 16, 33), (70001,),
                  (1, 16, 64, 40)]
        for threads in (1, 2):
            torch.set_num_threads(threads)
            for name, dtype, fn, p, tv, ts, copies in cands:
                lo = QRANGE[dtype][0]
                diff_codes = np.nonzero(tv != ts)[0] + lo
                for shape in shapes:
                    numel = int(np.prod(shape))
                    codes = self.rng.integers(lo, lo + 256, numel)
                    codes[self.rng.random(numel) < 0.5] = self.rng.choice(diff_codes)
                    layouts = ["contig"]
                    if len(shape) == 4:
                        layouts.append("channels_last")
                    if len(shape) >= 2:
                        layouts += ["transposed", "sliced"]
                    for lay in layouts:
                        x = self.mkq(codes.reshape(shape), p["s"], p["zp"], dtype)
                        if lay == "channels_last":
                            x = x.contiguous(memory_format=torch.channels_last)
                        elif lay == "transposed":
                            x = x.transpose(-1, -2)
                        elif lay == "sliced":
                            x = x[..., 1:]
                        got = fn(x).int_repr().numpy()
                        xin = x.int_repr().numpy()
                        vref, sref = tv[xin - lo], ts[xin - lo]
                        n = xin.size
                        if lay == "channels_last" and name == "elu":
                            # quantized::elu allocates a contiguous output for a channels-last
                            # input: the inner loop then has no unit input stride
                            mask = np.zeros(xin.shape, bool)
                        elif lay in ("contig", "channels_last") or copies:
                            # memory order of the dense tensor the kernel iterates over
                            dense = x if lay in ("contig", "channels_last") else x.contiguous()
                            offs = np.indices(xin.shape).reshape(xin.ndim, -1).T @ \
                                np.array(dense.stride(), np.int64)
                            mask = vector_mask_unary(n, True, vstep, threads)[offs].reshape(xin.shape)
                        elif lay == "sliced":   # rows of shape[-1] unit-stride elements
                            mask = vector_mask_unary(n, True, vstep, threads,
                                                     row=xin.shape[-1]).reshape(xin.shape)
                        else:                   # transposed: no unit inner stride
                            mask = np.zeros(xin.shape, bool)
                        ref = np.where(mask, vref, sref)
                        bad = self.check("positions:" + name, "onednn", got, ref,
                                         dict(shape=shape, lay=lay, threads=threads, dt=dtype))
                        results.append((name, dtype, shape, lay, threads, bad,
                                        int((got != vref).sum()), int((got != sref).sum())))
        torch.set_num_threads(1)
        return results

    # ----------------------------------------------------------------------------------
    # D. degenerate output qparams (int32 clip and wrap-around of the vector quantize)
    # ----------------------------------------------------------------------------------
    def section_degenerate(self):
        torch = self.torch
        torch.backends.quantized.engine = "onednn"
        n = 0
        for dtype in ("quint8", "qint8"):
            codes = all_codes(dtype)
            lo, hi = QRANGE[dtype]
            for os_ in (1e-12, 1e-30, 1e-40, 0.0):
                for ozp in (lo, lo + 3, (lo + hi) // 2, hi - 5, hi):
                    s = float(self.rng.choice([0.1, 1000.0, 0.003]))
                    zp = self.rzp(dtype)
                    for rpath, where in ((self.vpath, "vector"), ("scalar", "scalar")):
                        if os_ > 0:
                            got, _ = self.run(lambda x: torch.ops.quantized.leaky_relu(
                                x, 0.5, False, os_, ozp), codes, s, zp, dtype, where)
                            self.check("degenerate", "onednn", got, leaky_relu_ref(
                                codes, s, zp, dtype, "onednn", 0.5, os_, ozp, rpath)[0], (os_, ozp))
                            got, _ = self.run(lambda x: torch.ops.quantized.sigmoid(x, os_, ozp),
                                              codes, s, zp, dtype, where)
                            self.check("degenerate", "onednn", got, sigmoid_ref(
                                codes, s, zp, dtype, "onednn", os_, ozp, rpath)[0], (os_, ozp))
                        got, _ = self.run(lambda x: torch.ops.quantized.hardswish(x, os_, ozp),
                                          codes, s, zp, dtype, where)
                        self.check("degenerate", "onednn", got, hardswish_ref(
                            codes, s, zp, dtype, "onednn", os_, ozp, rpath)[0], (os_, ozp))
                        n += 1
        return n

    def report(self, title):
        print(f"== {title}")
        print("  op                          engine   tables   mismatching codes / codes")
        allbad = 0
        for (nm, eng), (n, bad, cnt) in sorted(self.total.items()):
            print(f"  {nm:28s}{eng:8s}{n:7d}   {bad:8d} / {cnt}")
            allbad += bad
        for f in self.fails[:40]:
            print("  FAIL", f)
        return allbad + len(self.fails)

    def report_knockouts(self):
        print("  knockout: flipping one knob must break the tables targeted at it")
        print("  knob        op              where    tables broken / tables")
        unpinned = 0
        for (k, op, where), (broken, cnt) in sorted(self.knock.items()):
            print(f"  {k:11s} {op:15s} {where:8s} {broken:4d} / {cnt}")
            if broken == 0:
                unpinned += 1
                print("  UNPINNED")
        return unpinned


def _capability_child(cap, ncases):
    h = _Harness(1234 + len(cap), cap)
    h.section_random(ncases)
    n = h.section_targeted(2, max_tries=60)
    pos = h.section_positions(128 if cap == "avx512" else 64)
    dep = sum(1 for r in pos if r[6] and r[7])
    bad = h.report(f"E. ATEN_CPU_CAPABILITY={cap}: random ({ncases} cases/engine) + {n} targeted "
                   f"+ {len(pos)} position tests ({dep} mixing vector and scalar results)")
    bad += h.report_knockouts()
    print(f"CHILD_RESULT {bad}")
    return bad


def main(argv):
    quick = "--quick" in argv
    if "--child" in argv:
        cap = argv[argv.index("--child") + 1]
        return 1 if _capability_child(cap, 10 if quick else 25) else 0
    import torch
    cap = os.environ.get("ATEN_CPU_CAPABILITY", "avx2").lower()
    cfg = [l for l in torch.__config__.show().splitlines() if "CPU capability" in l]
    print("torch", torch.__version__, "|", cfg[0].strip() if cfg else "?", "| threads",
          torch.get_num_threads())
    t0 = time.time()
    bad = 0
    h = _Harness(20240613, cap)
    h.section_random(40 if quick else 120)
    h.section_refusals()
    bad += h.report(f"A. random cases (all 256 codes per table) and refusals "
                    f"({h.refused} cases refused by torch and by the reference)")
    h.total, h.fails = {}, []
    n = h.section_targeted(2 if quick else 5)
    bad += h.report(f"B. {n} tie-targeted tables (torch must equal the reference)")
    bad += h.report_knockouts()
    h.total, h.fails = {}, []
    vstep = 128 if cap == "avx512" else 64
    pos = h.section_positions(vstep)
    dep = sum(1 for r in pos if r[6] and r[7])
    bad += h.report(f"C. {len(pos)} position tests (vstep {vstep}); {dep} of them mix vector and "
                    f"scalar results within one tensor")
    h.total, h.fails = {}, []
    n = h.section_degenerate()
    bad += h.report(f"D. degenerate output scales (1e-12 .. 0): {n} case/path pairs")
    if "--no-subprocess" not in argv:
        for child_cap in ("avx512", "default"):
            env = dict(os.environ, ATEN_CPU_CAPABILITY=child_cap)
            args = [sys.executable, os.path.abspath(__file__), "--child", child_cap] + \
                (["--quick"] if quick else [])
            out = subprocess.run(args, env=env, capture_output=True, text=True)
            sys.stdout.write(out.stdout)
            if "CHILD_RESULT 0" not in out.stdout:
                bad += 1
                sys.stdout.write(out.stderr[-2000:])
    print(f"TOTAL MISMATCHES: {bad}   ({time.time() - t0:.1f} s)")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
