#!/usr/bin/python3
"""Reference (numpy) for PyTorch 1.13 quantized cat / add / mul / scalar ops / upsample-nearest /
channel shuffle / shape ops / dropout, both engines.  Formulas: docs/numerics/arithmetic.md.
main() compares against torch on random seeded cases and prints mismatch counts.
Run: /usr/bin/python3 arithmetic_ref.py [iters]
"""
import os, random, sys, time
import numpy as np

f32 = np.float32
CAP = os.environ.get('ATEN_CPU_CAPABILITY', 'avx2').lower()
QVEC = {'avx2': 32, 'avx512': 64}.get(CAP, 32)       # Vectorized<quint8/qint8>::size()
QRANGE = {'quint8': (0, 255), 'qint8': (-128, 127)}
GRAIN = 32768


def fmaf(a, b, c):
    """single-rounding a*b+c (a*b exact in double for f32 x small-int operands)"""
    return (np.float64(a) * np.float64(b) + np.float64(c)).astype(f32)


def f32exp(x):
    return int((np.array(x, dtype=f32).view(np.uint32) >> 23) & 0xFF) - 127


# ----------------------------------------------------------------------------- TensorIterator model
def ti_layout(shape, strides_list):
    """TensorIterator reorder_dimensions + coalesce_dimensions for an elementwise op.
    strides_list: element strides of [output, input1, ...] (0 for broadcast dims). Fastest dim first."""
    nd = len(shape)
    if nd == 0:
        return [1], [[0] for _ in strides_list]

    def should_swap(d0, d1):
        for st in strides_list:
            a, b = st[d0], st[d1]
            if a == 0 or b == 0:
                continue
            if a < b:
                return -1
            if a > b:
                return 1
            if shape[d0] > shape[d1]:
                return 1
        return 0
    perm = list(reversed(range(nd)))
    for i in range(1, nd):
        d1 = i
        for d0 in range(i - 1, -1, -1):
            c = should_swap(perm[d0], perm[d1])
            if c > 0:
                perm[d0], perm[d1] = perm[d1], perm[d0]; d1 = d0
            elif c < 0:
                break
    sh = [shape[p] for p in perm]; S = [[st[p] for p in perm] for st in strides_list]
    pd = 0
    for d in range(1, nd):
        if sh[pd] == 1 or sh[d] == 1 or all(sh[pd] * s[pd] == s[d] for s in S):
            if sh[pd] == 1:
                for s in S:
                    s[pd] = s[d]
            sh[pd] *= sh[d]
        else:
            pd += 1
            if pd != d:
                for s in S:
                    s[pd] = s[d]
                sh[pd] = sh[d]
    return sh[:pd + 1], [s[:pd + 1] for s in S]


def vector_mask(out_shape, strides_list, threads=2, vstep=None):
    """Which outputs cpu_kernel_vec computes with its vector lambda (others: scalar lambda).
    Returned in logical output order. Model: each 1-D inner-loop call of n elements runs the vector
    lambda on the first floor(n/vstep)*vstep elements (vstep = 2*Vectorized<q8>::size() = 64 on AVX2)
    if all strides are unit, or all unit but one input's 0; the rest scalar. Calls are rows of the
    coalesced iteration space, cut at parallel chunk boundaries (at::parallel_for, grain 32768,
    chunk = ceil(numel/threads) when numel >= 32768)."""
    vstep = vstep or 2 * QVEC
    sh, S = ti_layout(list(out_shape), [list(s) for s in strides_list])
    numel = int(np.prod(sh))
    byoff = np.zeros(int(np.prod(out_shape)), dtype=bool)
    if numel < GRAIN or threads == 1:
        chunks = [(0, numel)]
    else:
        nt = min(threads, -(-numel // GRAIN)); cs = -(-numel // nt)
        chunks = [(b, min(numel, b + cs)) for b in range(0, numel, cs)]
    n0 = sh[0]
    vec_ok = all(s[0] == 1 for s in S) or any(
        S[k][0] == 0 and all(S[j][0] == 1 for j in range(len(S)) if j != k) for k in range(1, len(S)))

    def out_off(lin):
        off = 0
        for d in range(len(sh)):
            off += (lin % sh[d]) * S[0][d]; lin //= sh[d]
        return off
    for b, e in chunks:
        lin = b
        while lin < e:
            size = min(n0 - lin % n0, e - lin)
            nvec = (size // vstep) * vstep if vec_ok else 0
            byoff[out_off(lin) + np.arange(nvec) * S[0][0]] = True
            lin += size
    ost = strides_list[0]
    offs = sum(np.ix_(*[np.arange(n) * s for n, s in zip(out_shape, ost)])) if len(out_shape) else 0
    return byoff[offs]


def dense_strides(shape, channels_last):
    if channels_last and len(shape) == 4:
        N, C, H, W = shape
        return [H * W * C, 1, W * C, C]
    st = []; a = 1
    for n in reversed(shape):
        st.append(a); a *= n
    return list(reversed(st))


def suggest_channels_last(sizes, strides):
    """c10 is_channels_last_strides_2d_s4 == Tensor.suggest_memory_format() is channels_last (4-D)."""
    if len(sizes) != 4 or strides[1] == 0:
        return False
    mn = 0
    for d in (1, 3, 2, 0):
        if sizes[d] == 0 or strides[d] < mn:
            return False
        if d == 0 and mn == strides[1]:
            return False
        mn = strides[d] * (sizes[d] if sizes[d] > 1 else 1)
    return True


def is_contiguous_as(sizes, strides, dense):
    return all(n == 1 or st == dn for n, st, dn in zip(sizes, strides, dense))


def xnnpack_binary(qa, a_strides, qb, b_strides, fn):
    """torch's xnnp_add / xnnp_mul wrapper: a's suggested memory format F; b made contiguous in F
    (a no-op when b already is, e.g. ambiguous (N,C,1,1) / C==1 shapes); each operand is handed to
    XNNPACK with the shape of ITS OWN suggested format (NHWC order if channels-last) and XNNPACK
    broadcasts those shapes numpy-style; the result buffer is the output in format F.
    Returns logical output codes, or raises ValueError where XNNPACK's setup fails."""
    a_cl = suggest_channels_last(list(qa.shape), list(a_strides))
    if qb.ndim == 4:
        dense = dense_strides(list(qb.shape), a_cl)
        bst = list(b_strides) if is_contiguous_as(list(qb.shape), list(b_strides), dense) else dense
        b_cl = suggest_channels_last(list(qb.shape), bst)
    else:
        b_cl = False
    A = qa.transpose(0, 2, 3, 1) if a_cl else qa
    B = qb.transpose(0, 2, 3, 1) if b_cl else qb
    try:
        R = fn(np.broadcast_to(A, np.broadcast_shapes(A.shape, B.shape)), np.broadcast_to(B, np.broadcast_shapes(A.shape, B.shape)))
    except ValueError:
        raise ValueError('xnn setup operator failed(2)')
    oshape = np.broadcast_shapes(qa.shape, qb.shape)
    if a_cl:
        return R.reshape(oshape[0], oshape[2], oshape[3], oshape[1]).transpose(0, 3, 1, 2)
    return R.reshape(oshape)


def bcast_strides(in_shape, in_strides, out_shape):
    k = len(out_shape) - len(in_shape)
    res = [0] * k
    for d, (n, s) in enumerate(zip(in_shape, in_strides)):
        res.append(0 if (n == 1 and out_shape[k + d] != 1) else s)
    return res


# ----------------------------------------------------------------------------- add / add_relu
def add_path(engine, dtype, a_shape, b_shape):
    if engine == 'qnnpack':
        if dtype == 'qint8':
            return 'xnnpack'
        if tuple(a_shape) == tuple(b_shape):
            return 'qnnpack'
    return 'aten'


def add_ref(qa, sa, za, qb, sb, zb, so, zo, dtype, engine, relu=False,
            a_strides=None, b_strides=None, out_channels_last=False, threads=2):
    """quantized::add / add_relu (QFunctional.add, .add_relu). Output qparams = (so, zo).
    qa/qb: codes in logical order, broadcastable. *_strides: the torch tensors' element strides (for
    the ATen path's vector/scalar split); out_channels_last: qa.suggest_memory_format() is channels_last."""
    qmin, qmax = QRANGE[dtype]
    path = add_path(engine, dtype, qa.shape, qb.shape)
    oshape = np.broadcast_shapes(qa.shape, qb.shape)
    A = np.broadcast_to(qa, oshape).astype(np.int64); B = np.broadcast_to(qb, oshape).astype(np.int64)
    if path == 'qnnpack':      # QNNPACK q8add: fixed point, round half away from zero
        ao = f32(f32(sa) / f32(so)); bo = f32(f32(sb) / f32(so))
        sh = 21 - f32exp(max(ao, bo))
        am = int(np.rint(f32(ao * f32(2.0 ** sh)))); bm = int(np.rint(f32(bo * f32(2.0 ** sh))))
        acc = am * A + bm * B - (am * za + bm * zb)
        r = np.where(acc >= 0, (acc + (1 << (sh - 1))) >> sh, -((-acc + (1 << (sh - 1))) >> sh)) + zo
        y = np.clip(r, qmin, qmax)
        return np.maximum(y, zo) if relu else y
    if path == 'xnnpack':      # XNNPACK qs8 add: fixed point (20-bit), round half up (toward +inf)
        ao = f32(f32(sa) / f32(so)); bo = f32(f32(sb) / f32(so))
        sh = 20 - f32exp(max(ao, bo))
        am = int(np.rint(f32(ao * f32(2.0 ** sh)))); bm = int(np.rint(f32(bo * f32(2.0 ** sh))))

        def fx(X, Y):
            acc = am * X.astype(np.int64) + bm * Y.astype(np.int64) - (am * za + bm * zb) + (1 << (sh - 1))
            y = np.clip((acc >> sh) + zo, qmin, qmax)
            return np.maximum(y, zo) if relu else y
        if qa.ndim == 4 and a_strides is not None:
            return xnnpack_binary(qa, a_strides, qb, b_strides or dense_strides(list(qb.shape), False), fx)
        return fx(A, B)
    # ATen qadd_kernel (onednn engine, and qnnpack quint8 with broadcasting)
    inv = f32(f32(1.0) / f32(so))
    cs = f32(f32(sa) * f32(A - za)) + f32(f32(sb) * f32(B - zb))
    if CAP == 'default':     # non-AVX Vectorized<q8>::dequantize is (q - zp) * s: same as scalar
        cv = cs.copy()
    else:                    # AVX2/AVX512: fmadd(s, q, s * -zp)
        cv = fmaf(f32(sa), f32(A), f32(f32(sa) * f32(-za))) + fmaf(f32(sb), f32(B), f32(f32(sb) * f32(-zb)))
    if relu:
        cv = np.maximum(cv, f32(0)); cs = np.maximum(cs, f32(0))
    yv = np.clip(np.rint(f32(cv * inv)) + zo, qmin, qmax)
    ys = np.clip(np.rint(f32(cs * inv)) + zo, qmin, qmax)
    if a_strides is None:
        a_strides = dense_strides(list(qa.shape), False)
    if b_strides is None:
        b_strides = dense_strides(list(qb.shape), False)
    ost = dense_strides(list(oshape), out_channels_last)
    m = vector_mask(list(oshape), [ost, bcast_strides(qa.shape, a_strides, oshape),
                                   bcast_strides(qb.shape, b_strides, oshape)], threads)
    return np.where(m, yv, ys).astype(np.int64)


# ----------------------------------------------------------------------------- mul / mul_relu
def mul_path(dtype, zo):
    return 'xnnpack' if (dtype == 'qint8' and zo < 127) else 'aten'     # both engines


def mul_ref(qa, sa, za, qb, sb, zb, so, zo, dtype, relu=False, a_strides=None, b_strides=None):
    """quantized::mul / mul_relu (QFunctional.mul). Same formula in vector and scalar code."""
    qmin, qmax = QRANGE[dtype]
    xnn = mul_path(dtype, zo) == 'xnnpack'
    if xnn:
        M = f32(f32(f32(sa) * f32(sb)) / f32(so))
    else:
        M = f32(f32(f32(sa) * f32(sb)) * f32(f32(1.0) / f32(so)))

    def fm(X, Y):
        p = (X.astype(np.int64) - za) * (Y.astype(np.int64) - zb)
        y = np.clip(np.rint(f32(f32(p) * M)) + zo, qmin, qmax)
        return np.maximum(y, zo) if relu else y
    if xnn and qa.ndim == 4 and a_strides is not None:
        return xnnpack_binary(qa, a_strides, qb, b_strides or dense_strides(list(qb.shape), False), fm)
    oshape = np.broadcast_shapes(qa.shape, qb.shape)
    return fm(np.broadcast_to(qa, oshape), np.broadcast_to(qb, oshape))


# ----------------------------------------------------------------------------- add_scalar / mul_scalar
def add_scalar_qparams(s, z, c, dtype):
    qmin, qmax = QRANGE[dtype]
    cq = int(np.rint(c / s))                     # (d), nearbyint
    if qmin > z - cq:
        return ((qmax - (z - cq)) / (qmax - qmin)) * s, qmin, cq
    if qmax < z - cq:
        return ((z - cq - qmin) / (qmax - qmin)) * s, qmax, cq
    return s, z - cq, cq


def add_scalar_ref(q, s, z, c, dtype, relu=False):
    """quantized::add_scalar(_relu) / QFunctional.add_scalar; returns (codes, out_scale, out_zp)"""
    qmin, qmax = QRANGE[dtype]
    sp, zp, cq = add_scalar_qparams(s, z, c, dtype)
    if zp == z - cq and sp == s:
        y = q.astype(np.int64)                       # codes unchanged, only qparams move
    else:
        M = f32(f32(s) * f32(f32(1.0) / f32(sp)))
        y = np.clip(np.rint(f32(f32(q.astype(np.int64) - z + cq) * M)) + zp, qmin, qmax)
    return (np.maximum(y, zp) if relu else y), sp, zp


def mul_scalar_ref(q, s, z, c, dtype, relu=False):
    qmin, qmax = QRANGE[dtype]
    q = q.astype(np.int64)
    if c > 0:
        y, sp, zp = q.copy(), c * s, z
    elif c == 0:
        y, sp, zp = np.zeros_like(q), 1.0, 0
    else:
        y, sp, zp = qmax + qmin - q, abs(c) * s, qmax - (z - qmin)
    return (np.maximum(y, zp) if relu else y), sp, zp


# ----------------------------------------------------------------------------- cat
def cat_ref(xs, dim, so, zo, dtype, relu=False, nhwc=False):
    """xs: list of (codes, scale, zp). quantized::cat(_relu) with output (so, zo); torch.cat uses
    so, zo = xs[0]'s qparams. nhwc: every input 4-D channels-last contiguous and dim == 1."""
    qmin, qmax = QRANGE[dtype]
    inv = f32(f32(1.0) / f32(so))
    parts = []
    for q, s, z in xs:
        q = q.astype(np.int64)
        if s == so and z == zo and not relu:
            parts.append(q); continue
        dp = f32(f32(s) * f32(q - z))
        if relu:
            dp = np.maximum(dp, f32(0))
        rp = np.clip(np.rint(f32(dp * inv)) + zo, qmin, qmax)
        if nhwc and CAP != 'default':
            dv = fmaf(f32(s), f32(q), f32(f32(s) * f32(-z)))
            if relu:
                dv = np.maximum(dv, f32(0))
            rv = np.clip(np.rint(f32(dv * inv)) + zo, qmin, qmax)
            C = q.shape[1]; cvec = C // QVEC * QVEC
            rp = np.where((np.arange(C) < cvec)[None, :, None, None], rv, rp)
        parts.append(rp)
    return np.concatenate(parts, axis=dim)


# ----------------------------------------------------------------------------- upsample nearest
def nearest_src(osz, isz, scale=None):
    """source index of quantized upsample_nearest: no shortcut for osz == isz (unlike float)"""
    sc = f32(1.0 / scale) if (scale is not None and scale > 0) else f32(f32(isz) / f32(osz))
    return np.minimum(np.floor(f32(np.arange(osz).astype(f32) * sc)).astype(np.int64), isz - 1)


def upsample_nearest_ref(q, out_size, scales=None, nhwc_ambiguous=False):
    """q: (N,C,*spatial). out_size: spatial output sizes (floor(in*scale) in double when scale given).
    scales: per-dim scale factors passed by F.interpolate(scale_factor=...) or None (size=...).
    nhwc_ambiguous: 4-D input with H=W=1 and C>1 (NHWC kernel, NCHW-allocated output)."""
    if tuple(out_size) == tuple(q.shape[2:]):
        return q.copy()                        # same size in every spatial dim: plain copy
    y = q
    for d, osz in enumerate(out_size):
        ax = 2 + d
        y = np.take(y, nearest_src(osz, q.shape[ax], None if scales is None else scales[d]), axis=ax)
    if nhwc_ambiguous and y.ndim == 4 and q.shape[1] > 1:
        y = y.transpose(0, 2, 3, 1).reshape(y.shape)
    return y


def channel_shuffle_ref(q, groups):
    N, C = q.shape[:2]
    return q.reshape((N, groups, C // groups) + q.shape[2:]).swapaxes(1, 2).reshape(q.shape)


# ============================================================================= torch comparison
def main():
    import re
    import torch
    import torch.nn.functional as F
    import torch.nn.quantized as nnq
    iters = int(sys.argv[1]) if len(sys.argv) > 1 else 600
    rng = random.Random(2024); torch.manual_seed(2024)
    if os.environ.get('REF_THREADS'):
        torch.set_num_threads(int(os.environ['REF_THREADS']))
    threads = torch.get_num_threads()
    stats, errs = {}, {}

    def rec(op, key, n, mism):
        a = stats.setdefault((op,) + key, [0, 0, 0]); a[0] += 1; a[1] += n; a[2] += mism

    def err(op, eng, dt, e):
        k = (op, eng, dt, re.sub(r'-?\d+(\.\d+)?(e-?\d+)?', '#', str(e).split('\n')[0])[:110])
        errs[k] = errs.get(k, 0) + 1

    def scale():
        return rng.choice([0.5, 0.125, 2.0 ** rng.randint(-8, 1), rng.uniform(1e-3, 1), rng.uniform(1e-3, 1), 0.1, 0.3])

    def make(dt, shape, cl, s=None, z=None):
        qmin, qmax = QRANGE[dt]
        r = rng.random()
        lo, hi = (qmin, qmin + 3) if r < 0.2 else ((qmax - 3, qmax) if r < 0.3 else (qmin, qmax))
        codes = torch.randint(lo, hi + 1, shape, dtype=torch.int32)
        s = scale() if s is None else s; z = rng.randint(qmin, qmax) if z is None else z
        t = torch._make_per_tensor_quantized_tensor(codes.to(torch.uint8 if dt == 'quint8' else torch.int8), s, z)
        if cl and len(shape) == 4:
            t = t.contiguous(memory_format=torch.channels_last)
        return t, s, z

    def codes(t):
        return t.int_repr().numpy().astype(np.int64)

    def is_cl(t):
        return t.dim() == 4 and t.is_contiguous(memory_format=torch.channels_last) and not t.is_contiguous()

    def rshape():
        if rng.random() < 0.15:
            return [rng.randint(1, 3), rng.choice([8, 64]), rng.randint(32, 64), 64]    # > grain: 2 chunks
        return [rng.randint(1, 3), rng.choice([1, 3, 8, 16, 33, 64]), rng.randint(1, 20), rng.randint(1, 20)]

    t0 = time.time()
    for it in range(iters):
        eng = rng.choice(['onednn', 'qnnpack']); torch.backends.quantized.engine = eng
        dt = rng.choice(['quint8', 'qint8']); qmin, qmax = QRANGE[dt]
        # ------------------------------------------------ add / add_relu (ops and QFunctional)
        sa = rshape(); sb = list(sa)
        if rng.random() < 0.4:
            for d in range(4):
                if rng.random() < 0.5:
                    sb[d] = 1
            if rng.random() < 0.5:
                sa, sb = sb, sa
        a, s1, z1 = make(dt, tuple(sa), rng.random() < 0.4)
        b, s2, z2 = make(dt, tuple(sb), rng.random() < 0.4)
        so, zo = scale(), rng.randint(qmin, qmax); relu = rng.random() < 0.3
        try:
            if rng.random() < 0.5:
                y = (torch.ops.quantized.add_relu if relu else torch.ops.quantized.add)(a, b, so, zo)
            else:
                f = nnq.QFunctional(); f.scale, f.zero_point = so, zo
                y = f.add_relu(a, b) if relu else f.add(a, b)
            assert y.q_scale() == so and y.q_zero_point() == zo
            ref = add_ref(codes(a), s1, z1, codes(b), s2, z2, so, zo, dt, eng, relu, list(a.stride()),
                          list(b.stride()), suggest_channels_last(list(a.shape), list(a.stride())), threads)
            rec('add' + ('_relu' if relu else ''), (eng, dt, add_path(eng, dt, sa, sb)), y.numel(), int((codes(y) != ref).sum()))
            if os.environ.get('REF_DEBUG') and (codes(y) != ref).any():
                print('DBG add', eng, dt, sa, sb, s1, z1, s2, z2, so, zo, relu, a.stride(), b.stride(), y.stride(), int((codes(y) != ref).sum()), np.unique(codes(y)-ref))
        except Exception as e:
            err('add', eng, dt, e)
        # ------------------------------------------------ mul / mul_relu
        a, s1, z1 = make(dt, tuple(sa), rng.random() < 0.4)
        b, s2, z2 = make(dt, tuple(sb), rng.random() < 0.4)
        so = rng.choice([scale(), s1 * s2 * rng.uniform(0.5, 4)]); zo = rng.choice([rng.randint(qmin, qmax), qmax])
        relu = rng.random() < 0.3
        try:
            if rng.random() < 0.5:
                y = (torch.ops.quantized.mul_relu if relu else torch.ops.quantized.mul)(a, b, so, zo)
            else:
                f = nnq.QFunctional(); f.scale, f.zero_point = so, zo     # QFunctional has no mul_relu
                y = torch.ops.quantized.mul_relu(a, b, so, zo) if relu else f.mul(a, b)
            assert y.q_scale() == so and y.q_zero_point() == zo
            ref = mul_ref(codes(a), s1, z1, codes(b), s2, z2, so, zo, dt, relu, list(a.stride()), list(b.stride()))
            rec('mul' + ('_relu' if relu else ''), (eng, dt, mul_path(dt, zo)), y.numel(), int((codes(y) != ref).sum()))
            if os.environ.get('REF_DEBUG') and (codes(y) != ref).any():
                print('DBG mul', eng, dt, sa, sb, s1, z1, s2, z2, so, zo, relu, a.stride(), b.stride(), y.stride(), int((codes(y) != ref).sum()), np.unique(codes(y)-ref))
        except Exception as e:
            err('mul', eng, dt, e)
        # ------------------------------------------------ add_scalar / mul_scalar
        x, s, z = make(dt, tuple(rshape()), rng.random() < 0.4)
        c = rng.choice([rng.uniform(-3, 3), rng.uniform(-300 * s, 300 * s), 0.0, float(rng.randint(-5, 5)),
                        s * rng.randint(-300, 300) + s / 2])
        relu = rng.random() < 0.3
        for name in ['add_scalar', 'mul_scalar']:
            try:
                if rng.random() < 0.5:
                    y = getattr(torch.ops.quantized, name + ('_relu' if relu else ''))(x, c)
                else:
                    y = getattr(nnq.QFunctional(), name)(x, c)
                    if relu:
                        continue
                fn = add_scalar_ref if name == 'add_scalar' else mul_scalar_ref
                ref, sp, zp = fn(codes(x), s, z, c, dt, relu)
                bad = int((codes(y) != ref).sum()) + (0 if (y.q_scale() == sp and y.q_zero_point() == zp) else 10 ** 6)
                rec(name + ('_relu' if relu else ''), (eng, dt, 'aten'), y.numel(), bad)
            except Exception as e:
                err(name, eng, dt, e)
        # ------------------------------------------------ cat (ops.cat, QFunctional.cat, torch.cat)
        N, H, W = rng.randint(1, 3), rng.randint(1, 7), rng.randint(1, 7)
        dim = rng.choice([1, 1, 1, 0, 2, 3, -1]); cl = rng.random() < 0.5
        xs = []
        for i in range(rng.randint(1, 3)):
            shp = [N, rng.choice([1, 3, 8, 31, 32, 33, 40, 64, 70]), H, W]
            if dim % 4 != 1:
                shp[1] = 8; shp[dim % 4] = rng.randint(1, 4)
            if xs and rng.random() < 0.3:
                xs.append(make(dt, tuple(shp), cl, xs[0][1], xs[0][2]))
            else:
                xs.append(make(dt, tuple(shp), cl))
        which = rng.choice(['ops', 'qf', 'torch']); relu = rng.random() < 0.3 and which == 'ops'
        so, zo = rng.choice([(scale(), rng.randint(qmin, qmax)), (xs[0][1], xs[0][2])])
        try:
            ts = [t for t, _, _ in xs]
            if which == 'ops':
                y = (torch.ops.quantized.cat_relu if relu else torch.ops.quantized.cat)(ts, dim, so, zo)
            elif which == 'qf':
                f = nnq.QFunctional(); f.scale, f.zero_point = so, zo; y = f.cat(ts, dim)
            else:
                y = torch.cat(ts, dim); so, zo = xs[0][1], xs[0][2]
            assert y.q_scale() == so and y.q_zero_point() == zo
            nh = all(t.dim() == 4 and t.is_contiguous(memory_format=torch.channels_last) for t in ts) and dim % 4 == 1
            ref = cat_ref([(codes(t), s, z) for t, s, z in xs], dim, so, zo, dt, relu, nh)
            rec('cat(%s)' % which, (eng, dt, 'nhwc' if nh else 'generic'), y.numel(), int((codes(y) != ref).sum()))
        except Exception as e:
            err('cat', eng, dt, e)
        # ------------------------------------------------ upsample nearest 2d / 3d
        is3d = rng.random() < 0.2
        shp = [rng.randint(1, 2), rng.choice([1, 3, 8, 33])] + [rng.randint(1, 9) for _ in range(3 if is3d else 2)]
        if not is3d and rng.random() < 0.1:
            shp[2] = shp[3] = 1
        x, s, z = make(dt, tuple(shp), rng.random() < 0.5)
        try:
            mode = rng.choice(['sf', 'size', 'module'])
            nsp = len(shp) - 2
            if mode == 'sf':
                sf = tuple(rng.choice([0.5, 0.7, 1.1, 1.3, 1.5, 1.7, 2.0, 2.5, 3.0]) for _ in range(nsp))
                y = F.interpolate(x, scale_factor=sf, mode='nearest'); scales = sf
            elif mode == 'size':
                y = F.interpolate(x, size=tuple(rng.randint(1, 20) for _ in range(nsp)), mode='nearest'); scales = None
            else:
                k = rng.choice([2, 3]); y = torch.nn.Upsample(scale_factor=k, mode='nearest')(x); scales = (float(k),) * nsp
            assert y.q_scale() == s and y.q_zero_point() == z
            amb = (not is3d) and shp[2] == 1 and shp[3] == 1
            ref = upsample_nearest_ref(codes(x), list(y.shape[2:]), scales, amb)
            rec('upsample_nearest%dd' % nsp, (eng, dt, mode), y.numel(), int((codes(y) != ref).sum()))
        except Exception as e:
            err('upsample', eng, dt, e)
        # ------------------------------------------------ channel shuffle, shape ops, dropout
        g = rng.choice([1, 2, 3, 4]); shp = (rng.randint(1, 2), g * rng.randint(1, 6), rng.randint(1, 5), rng.randint(1, 5))
        x, s, z = make(dt, shp, rng.random() < 0.5)
        try:
            y = torch.nn.ChannelShuffle(g)(x) if rng.random() < 0.5 else F.channel_shuffle(x, g)
            ok = y.q_scale() == s and y.q_zero_point() == z
            rec('channel_shuffle', (eng, dt, '-'), y.numel(), int((codes(y) != channel_shuffle_ref(codes(x), g)).sum()) + (0 if ok else 10 ** 6))
        except Exception as e:
            err('channel_shuffle', eng, dt, e)
        q = codes(x)
        shape_ops = {
            'reshape': (lambda t: t.reshape(t.shape[0], -1), lambda a: a.reshape(a.shape[0], -1)),
            'view': (lambda t: t.contiguous().view(-1), lambda a: a.reshape(-1)),
            'flatten': (lambda t: torch.flatten(t, 1), lambda a: a.reshape(a.shape[0], -1)),
            'permute': (lambda t: t.permute(0, 2, 3, 1), lambda a: a.transpose(0, 2, 3, 1)),
            'transpose': (lambda t: t.transpose(1, 3), lambda a: a.swapaxes(1, 3)),
            'contiguous': (lambda t: t.contiguous(), lambda a: a),
            'to_cl': (lambda t: t.contiguous(memory_format=torch.channels_last), lambda a: a),
            'squeeze': (lambda t: t.unsqueeze(0).squeeze(0), lambda a: a),
            'unsqueeze': (lambda t: t.unsqueeze(2), lambda a: a[:, :, None]),
            'chunk': (lambda t: torch.cat(list(torch.chunk(t, 2, 1)), 1), lambda a: a),
            'split': (lambda t: t.split(1, 1)[-1], lambda a: a[:, -1:]),
            'slice': (lambda t: t[:, :, ::2], lambda a: a[:, :, ::2]),
            'clone': (lambda t: t.clone(), lambda a: a),
            'dropout_eval': (lambda t: torch.nn.quantized.Dropout(0.5).eval()(t), lambda a: a),
            'dropout_train_module': (lambda t: torch.nn.quantized.Dropout(0.5).train()(t), lambda a: a),
            'F.dropout_eval': (lambda t: F.dropout(t, 0.5, training=False), lambda a: a),
        }
        for name, (tf, nf) in shape_ops.items():
            try:
                y = tf(x)
                ok = y.is_quantized and y.q_scale() == s and y.q_zero_point() == z
                rec('shape:' + name, (eng, dt, '-'), y.numel(), int((codes(y) != nf(q)).sum()) + (0 if ok else 10 ** 6))
            except Exception as e:
                err('shape:' + name, eng, dt, e)
    # per-channel quantized tensors through data movement ops
    pc = torch.quantize_per_channel(torch.randn(2, 4, 3, 3), torch.rand(4) + 0.01, torch.randint(0, 10, (4,)), 1, torch.quint8)
    for name, f, chk in [('pc.permute', lambda t: t.permute(0, 2, 3, 1), lambda y: y.q_per_channel_axis() == 3),
                         ('pc.reshape', lambda t: t.reshape(2, 4, 9), lambda y: y.q_per_channel_axis() == 1),
                         ('pc.contiguous_cl', lambda t: t.contiguous(memory_format=torch.channels_last), lambda y: y.q_per_channel_axis() == 1),
                         ('pc.transpose01', lambda t: t.transpose(0, 1), lambda y: y.q_per_channel_axis() == 0),
                         ('pc.flatten', lambda t: torch.flatten(t, 2), lambda y: y.q_per_channel_axis() == 1)]:
        try:
            y = f(pc); ok = chk(y) and torch.equal(y.q_per_channel_scales(), pc.q_per_channel_scales())
            rec(name, ('-', 'quint8', '-'), y.numel(), int((y.int_repr() != f(pc.int_repr())).sum()) + (0 if ok else 10 ** 6))
        except Exception as e:
            err(name, '-', 'quint8', e)
    print('cpu capability modelled:', CAP, ' threads:', threads, ' iterations:', iters, ' time %.1fs' % (time.time() - t0))
    print('%-26s %-8s %-7s %-8s %6s %10s %9s' % ('op', 'engine', 'dtype', 'path', 'cases', 'outputs', 'mismatch'))
    tot = 0
    for key, (c, n, m) in sorted(stats.items()):
        print('%-26s %-8s %-7s %-8s %6d %10d %9d' % (key + (c, n, m))); tot += m
    print('refusals seen (op, engine, dtype, message): count')
    for key, c in sorted(errs.items()):
        print('  ', key, c)
    print('TOTAL MISMATCHES:', tot)


if __name__ == '__main__':
    main()
