#!/usr/bin/python3
"""Reference (numpy) for PyTorch 1.13 quantized pooling and mean, both engines.

Input: integer codes + qparams + engine (+ layout facts torch dispatches on) -> output codes.
main() compares against torch on random seeded cases and prints mismatch counts.
Formulas and discussion: docs/numerics/pooling.md.  Run: /usr/bin/python3 pooling_ref.py [iters]
Assumes torch's default CPU dispatch on x86 (AVX2; ATEN_CPU_CAPABILITY=avx512/default also modelled).
"""
import os, random, sys, time
import numpy as np

f32 = np.float32
CAP = os.environ.get('ATEN_CPU_CAPABILITY', 'avx2').lower()   # torch 1.13 default on AVX-512 CPUs is avx2
QRANGE = {'quint8': (0, 255), 'qint8': (-128, 127)}


def pool_out(n, k, p, s, d, ceil):
    """ATen pooling_output_shape (floor division of the numerator, ceil-mode last-window rule)."""
    num = n + 2 * p - d * (k - 1) - 1 + (s - 1 if ceil else 0)
    o = num // s + 1
    if ceil and (o - 1) * s >= n + p:
        o -= 1
    return o


def nhwc_scramble(out):
    """ATen NHWC kernels on an (N,C,1,1) input write NHWC order into an NCHW-allocated output
    (suggest_memory_format() is Contiguous there): returned tensor = NHWC buffer read as NCHW."""
    return out.transpose(0, 2, 3, 1).reshape(out.shape)


# ----------------------------------------------------------------------------- MaxPool
def qnnpack_maxpool_used(engine, dtype, ceil, ndim):
    return engine == 'qnnpack' and dtype == 'quint8' and not ceil and ndim == 4


def maxpool2d_ref(q, k, s, p, d, ceil, engine, dtype, nhwc_path=False):
    """q: int array (N,C,H,W) or (C,H,W). Output qparams = input qparams.
    ATen: integer max over the in-bounds taps (empty window -> qmin).
    qnnpack (quint8, 4-D, ceil_mode=False): max over ALL k*k taps with each tap coordinate clamped
    into [0, H-1] x [0, W-1] (QNNPACK's indirection buffer)."""
    qmin = QRANGE[dtype][0]
    H, W = q.shape[-2:]
    oH = pool_out(H, k[0], p[0], s[0], d[0], ceil)
    oW = pool_out(W, k[1], p[1], s[1], d[1], ceil)
    qnn = qnnpack_maxpool_used(engine, dtype, ceil, q.ndim)
    out = np.full(q.shape[:-2] + (oH, oW), qmin, dtype=np.int64)
    for oy in range(oH):
        ys = [oy * s[0] - p[0] + j * d[0] for j in range(k[0])]
        ys = [min(max(y, 0), H - 1) for y in ys] if qnn else [y for y in ys if 0 <= y < H]
        for ox in range(oW):
            xs = [ox * s[1] - p[1] + j * d[1] for j in range(k[1])]
            xs = [min(max(x, 0), W - 1) for x in xs] if qnn else [x for x in xs if 0 <= x < W]
            for y in ys:
                for x in xs:
                    out[..., oy, ox] = np.maximum(out[..., oy, ox], q[..., y, x])
    if nhwc_path and not qnn and q.ndim == 4 and H == 1 and W == 1:
        out = nhwc_scramble(out)
    return out


def qnnpack_maxpool_suspect(H, W, k, s, p, d):
    """Outputs where QNNPACK's clamped tap set is larger than the true window: some tap is out of
    bounds AND the border row/column it is clamped to is not itself one of the window's taps.
    Exactly these outputs may differ from the true max (they do when the extra pixels are larger)."""
    oH = pool_out(H, k[0], p[0], s[0], d[0], False); oW = pool_out(W, k[1], p[1], s[1], d[1], False)
    def extra(o, n, kk, ss, pp, dd):
        taps = [o * ss - pp + j * dd for j in range(kk)]
        inb = set(t for t in taps if 0 <= t < n)
        return any(t < 0 for t in taps) and 0 not in inb or any(t >= n for t in taps) and n - 1 not in inb
    ey = [extra(o, H, k[0], s[0], p[0], d[0]) for o in range(oH)]
    ex = [extra(o, W, k[1], s[1], p[1], d[1]) for o in range(oW)]
    return np.array([[a or b for b in ex] for a in ey], dtype=bool)


# ----------------------------------------------------------------------------- AvgPool2d
def qnnpack_avgpool_used(engine, dtype, ceil, ndim):
    return engine == 'qnnpack' and dtype == 'quint8' and not ceil and ndim == 4


def avgpool2d_ref(q, k, s, p, ceil, count_include_pad, divisor_override, scale, zp, engine, dtype,
                  nhwc_path, cap=CAP):
    """Output scale/zp = input's.  nhwc_path: torch takes its channels-last kernel, i.e. the input is
    4-D and is_contiguous(memory_format=torch.channels_last) (true for every (N,C,1,1) tensor too)."""
    qmin, qmax = QRANGE[dtype]
    H, W = q.shape[-2:]
    if qnnpack_avgpool_used(engine, dtype, ceil, q.ndim):
        # QNNPACK: padding taps read zp (contribute 0), divisor is always kH*kW;
        # count_include_pad and divisor_override are ignored.  fp32 requantization, round-half-even.
        oH = (H + 2 * p[0] - k[0]) // s[0] + 1; oW = (W + 2 * p[1] - k[1]) // s[1] + 1
        fs = f32(scale)
        sc = f32(fs / f32(fs * f32(k[0] * k[1])))
        qp = np.pad(q, ((0, 0), (0, 0), (p[0], p[0]), (p[1], p[1])), constant_values=zp)
        out = np.zeros(q.shape[:2] + (oH, oW), dtype=np.int64)
        for oy in range(oH):
            for ox in range(oW):
                acc = qp[:, :, oy*s[0]:oy*s[0]+k[0], ox*s[1]:ox*s[1]+k[1]].sum(axis=(-1, -2)) - k[0]*k[1]*zp
                out[:, :, oy, ox] = np.clip(np.rint(f32(acc.astype(f32) * sc)) + zp, 0, 255)
        return out
    oH = pool_out(H, k[0], p[0], s[0], 1, ceil); oW = pool_out(W, k[1], p[1], s[1], 1, ceil)
    C = q.shape[-3]
    vw = {'avx2': 8, 'avx512': 16}.get(cap, 0)      # int32 lanes of the channels-last vector body
    cvec = C // vw * vw if vw else 0
    out = np.zeros(q.shape[:-2] + (oH, oW), dtype=np.int64)
    for oy in range(oH):
        hs = oy * s[0] - p[0]; he = min(hs + k[0], H + p[0])
        for ox in range(oW):
            ws = ox * s[1] - p[1]; we = min(ws + k[1], W + p[1])
            pool = (he - hs) * (we - ws)                       # window clipped to the padded input
            h0, h1, w0, w1 = max(hs, 0), min(he, H), max(ws, 0), min(we, W)
            size = (h1 - h0) * (w1 - w0)                       # in-bounds taps
            acc = q[..., h0:h1, w0:w1].sum(axis=(-1, -2)) - size * zp
            D = divisor_override if divisor_override else (pool if count_include_pad else size)
            if not nhwc_path:
                m = f32(1.0 / D)                               # (d) then f32; s_in/s_out == 1.0
                v = np.rint(f32(f32(acc.astype(f32) * m) + f32(zp)))   # zp added in float before rint
            else:
                m = f32(f32(1.0) / f32(D))
                inv2 = f32(f32(1.0) / f32(f32(1.0) / m))       # scalar channels: quantize_val(1/m)
                v_vec = np.rint(f32(acc.astype(f32) * m)) + zp
                v_tail = np.rint(f32(acc.astype(f32) * inv2)) + zp
                v = np.where(np.arange(C) < cvec, v_vec, v_tail)
                if cap == 'avx512':
                    # torch 1.13 bug (AVX512 build only): QuantizeAvx512's 16-wide loop (used after its
                    # 64-wide loop) writes lanes 0..3,0..3 into lanes 8..15 of each 16-channel group.
                    src = np.arange(C)
                    for c0 in range(0, cvec, 128):
                        L = min(8, (C - c0) // 16) * 16
                        for g in range(c0 + L // 64 * 64, c0 + L, 16):
                            src[g + 8:g + 16] = g + np.array([0, 1, 2, 3, 0, 1, 2, 3])
                    v = v[..., src]
            out[..., oy, ox] = np.clip(v, qmin, qmax)
    if nhwc_path and q.ndim == 4 and H == 1 and W == 1:
        out = nhwc_scramble(out)
    return out


# ----------------------------------------------------------------------------- AdaptiveAvgPool2d
def adaptive_bounds(o, osz, isz):
    st = int(np.floor(f32(f32(o * isz) / f32(osz))))
    en = int(np.ceil(f32(f32((o + 1) * isz) / f32(osz))))
    return st, en


def qnnpack_adaptive_used(engine, dtype, H, W, oH, oW):
    return engine == 'qnnpack' and dtype == 'quint8' and (H, W) != (oH, oW) and H % oH == 0 and W % oW == 0


def adaptive_avgpool2d_ref(q, osz, scale, zp, engine, dtype, nhwc_path):
    qmin, qmax = QRANGE[dtype]
    H, W = q.shape[-2:]; oH, oW = osz
    if qnnpack_adaptive_used(engine, dtype, H, W, oH, oW):    # = qnnpack avg_pool2d, k = stride = in/out
        return avgpool2d_ref(q, (H // oH, W // oW), (H // oH, W // oW), (0, 0), False, False, None,
                             scale, zp, engine, dtype, True)
    out = np.zeros(q.shape[:-2] + (oH, oW), dtype=np.int64)
    for oy in range(oH):
        h0, h1 = adaptive_bounds(oy, oH, H)
        for ox in range(oW):
            w0, w1 = adaptive_bounds(ox, oW, W)
            kh, kw = h1 - h0, w1 - w0
            sq = q[..., h0:h1, w0:w1].sum(axis=(-1, -2))
            if not nhwc_path:
                r = f32(f32(f32(1.0) / f32(kh)) / f32(kw))        # kDr=f32(1.0/1); /kH; /kW in float
                out[..., oy, ox] = np.rint(f32(sq.astype(f32) * r))   # raw codes (zp included), no clamp
            else:
                m = f32(f32(1.0) / f32(kh * kw))
                inv = f32(f32(1.0) / f32(f32(1.0) / m))
                acc = sq - kh * kw * zp
                out[..., oy, ox] = np.clip(np.rint(f32(acc.astype(f32) * inv)) + zp, qmin, qmax)
    if nhwc_path and q.ndim == 4 and H == 1 and W == 1:
        out = nhwc_scramble(out)
    return out


# ----------------------------------------------------------------------------- torch float sum
def _ceil_log2(x):
    return 1 if x <= 2 else int(x - 1).bit_length()


def _multi_row_sum(rows):
    """ATen multi_row_sum, per column, float32 accumulation (acc_type<float, true> is float)."""
    size = rows.shape[0]
    lp = max(4, _ceil_log2(size) // 4); step = 1 << lp; mask = step - 1
    acc = np.zeros((4,) + rows.shape[1:], dtype=f32)
    i = 0
    while i + step <= size:
        for _ in range(step):
            acc[0] = acc[0] + rows[i]; i += 1
        for j in range(1, 4):
            acc[j] = acc[j] + acc[j - 1]; acc[j - 1] = 0
            if (i & (mask << (j * lp))) != 0:
                break
    while i < size:
        acc[0] = acc[0] + rows[i]; i += 1
    for j in range(1, 4):
        acc[0] = acc[0] + acc[j]
    return acc[0]


def _row_sum(rows):
    """ATen row_sum: 4 interleaved partial sums (ilp), each a multi_row_sum; leftovers into p0."""
    size = rows.shape[0]; n4 = size // 4
    if n4 > 0:
        p = _multi_row_sum(rows[:n4 * 4].reshape((n4, 4) + rows.shape[1:]))
        p = [p[k] for k in range(4)]
    else:
        p = [np.zeros(rows.shape[1:], f32) for _ in range(4)]
    for i in range(n4 * 4, size):
        p[0] = p[0] + rows[i]
    for k in range(1, 4):
        p[0] = p[0] + p[k]
    return p[0]


def _loop2d(x, off, s0, s1, n0, n1, out, ooff, os1, vec):
    m = x[off + np.arange(n0)[:, None] * s0 + np.arange(n1)[None, :] * s1]
    if s0 == 1 and n0 >= vec:                                   # vectorized_inner_sum
        nv = n0 // vec; res = np.zeros(n1, f32)
        for j in range(n1):
            lanes = _row_sum(m[:nv * vec, j].reshape(nv, vec))
            fa = f32(0)
            for kk in range(nv * vec, n0):
                fa = f32(fa + m[kk, j])
            for l in range(vec):
                fa = f32(fa + lanes[l])
            res[j] = fa
    elif s1 == 1 and n1 >= vec:                                 # vectorized_outer_sum
        res = np.zeros(n1, f32); j = 0
        while j + 4 * vec <= n1:
            res[j:j + 4 * vec] = _multi_row_sum(m[:, j:j + 4 * vec]); j += 4 * vec
        while j + vec <= n1:
            res[j:j + vec] = _row_sum(m[:, j:j + vec]); j += vec
        if j < n1:
            res[j:] = _row_sum(m[:, j:])
    elif s0 < s1:                                               # scalar_inner_sum
        res = _row_sum(m)
    else:                                                       # scalar_outer_sum
        res = np.zeros(n1, f32); j = 0
        while j + 3 < n1:
            res[j:j + 4] = _multi_row_sum(m[:, j:j + 4]); j += 4
        if j < n1:
            res[j:] = _row_sum(m[:, j:])
    oidx = ooff + np.arange(n1) * os1
    for j in range(n1):                                         # CastStoreAccumulate: out += value
        out[oidx[j]] = f32(out[oidx[j]] + res[j])


def torch_float_sum(flat, shape, strides, dims, vec=None):
    """torch 1.13 CPU float32 sum over dims, serial (TensorIterator reorder + coalesce, cascade_sum).
    flat: the tensor's storage as float32 (offset 0), strides in elements. Result: contiguous keepdim
    shape. Valid while torch does not split the reduction across threads (numel < 32768 or 1 thread)."""
    if vec is None:
        vec = {'avx2': 8, 'avx512': 16}.get(CAP, 8)   # 'default': Vectorized<float> is 8 wide too
    nd = len(shape); dims = sorted(d % nd for d in dims)
    oshape = [1 if d in dims else shape[d] for d in range(nd)]
    ost = [0] * nd; a = 1
    for d in reversed(range(nd)):
        if d not in dims:
            ost[d] = a; a *= oshape[d]
    ist = list(strides)

    def should_swap(d0, d1):
        for st, isout in ((ost, True), (ist, False)):
            x0, x1 = st[d0], st[d1]
            if isout and ((x0 == 0) != (x1 == 0)):
                return 1 if x1 == 0 else -1
            if x0 == 0 or x1 == 0:
                continue
            if x0 < x1:
                return -1
            if x0 > x1:
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
    sh = [shape[p] for p in perm]; S = [[ist[p] for p in perm], [ost[p] for p in perm]]
    pd = 0
    for d in range(1, nd):
        if sh[pd] == 1 or sh[d] == 1 or all(sh[pd] * st[pd] == st[d] for st in S):
            if sh[pd] == 1:
                for st in S:
                    st[pd] = st[d]
            sh[pd] *= sh[d]
        else:
            pd += 1
            if pd != d:
                for st in S:
                    st[pd] = st[d]
                sh[pd] = sh[d]
    n = pd + 1; sh = sh[:n]; si = S[0][:n]; so = S[1][:n]
    if n == 1:
        sh.append(1); si.append(0); so.append(0)
    out = np.zeros(int(np.prod(oshape)), f32)
    for idx in (np.ndindex(*sh[2:]) if n > 2 else [()]):
        io = sum(i * st for i, st in zip(idx, si[2:])); oo = sum(i * st for i, st in zip(idx, so[2:]))
        s0, s1, o0, o1, n0, n1 = si[0], si[1], so[0], so[1], sh[0], sh[1]
        if o0 != 0 and o1 == 0:
            s0, s1, o0, o1, n0, n1 = s1, s0, o1, o0, n1, n0
        if o0 != 0 and o1 != 0:
            ii = io + np.arange(n1)[:, None] * s1 + np.arange(n0)[None, :] * s0
            oi = oo + np.arange(n1)[:, None] * o1 + np.arange(n0)[None, :] * o0
            out[oi] = (out[oi] + flat[ii]).astype(f32)
            continue
        _loop2d(flat, io, s0, s1, n0, n1, out, oo, o1, vec)
    return out.reshape(oshape)


# ----------------------------------------------------------------------------- mean
def mean_path(engine, dtype, ndim, dims, contiguous):
    nd = sorted(d % ndim for d in dims)
    if engine == 'qnnpack' and dtype == 'quint8' and ndim == 4 and list(dims) == [2, 3]:
        return 'qnnpack'
    if contiguous and nd == list(range(ndim - len(nd), ndim)):
        return 'inner'
    return 'dequant'


def mean_ref(q, dims, keepdim, scale, zp, engine, dtype, strides=None, contiguous=True):
    """torch.mean(qx, dims, keepdim). Output scale/zp = input's. q: codes in logical (N,C,H,W) order;
    strides: the torch tensor's element strides (needed on the 'dequant' path)."""
    qmin, qmax = QRANGE[dtype]
    nd = tuple(sorted(d % q.ndim for d in dims))
    N = int(np.prod([q.shape[d] for d in nd]))
    path = mean_path(engine, dtype, q.ndim, dims, contiguous)
    sq = q.sum(axis=nd, keepdims=True)
    if path == 'qnnpack':     # QNNPACK global average pooling
        fs = f32(scale); sc = f32(fs / f32(fs * f32(N)))
        r = np.clip(np.rint(f32((sq - N * zp).astype(f32) * sc)) + zp, 0, 255)
    elif path == 'inner':     # qmean_inner_dim: raw codes summed (int), float divide, rint, no zp
        r = np.rint(f32(f32(sq) / f32(N)))
    else:                     # dequantize -> torch float mean (cascade sum / N) -> quantize_per_tensor
        fs = f32(scale)
        dq = (fs * (q - zp).astype(f32)).astype(f32)
        if strides is None:
            strides = [int(np.prod(q.shape[i + 1:])) for i in range(q.ndim)]
        size = 1 + sum((n - 1) * st for n, st in zip(q.shape, strides))
        flat = np.zeros(size, f32)
        flat[sum(np.ix_(*[np.arange(n) * st for n, st in zip(q.shape, strides)]))] = dq
        mean = f32(torch_float_sum(flat, q.shape, strides, nd) / f32(N))
        r = np.clip(np.rint(f32(mean * f32(f32(1.0) / fs))) + zp, qmin, qmax)
    if not keepdim:
        r = r.reshape([q.shape[d] for d in range(q.ndim) if d not in nd])
    return r.astype(np.int64)


# ============================================================================= torch comparison
def main():
    import torch
    import torch.nn.functional as F
    iters = int(sys.argv[1]) if len(sys.argv) > 1 else 2500
    rng = random.Random(12345); torch.manual_seed(12345)
    TD = {'quint8': torch.quint8, 'qint8': torch.qint8}
    stats = {}
    errs = {}

    def rec(op, key, n, mism):
        a = stats.setdefault((op,) + key, [0, 0, 0]); a[0] += 1; a[1] += n; a[2] += mism

    def err(op, eng, dt, e):
        import re
        msg = re.sub(r'-?\d+', '#', str(e).split('\n')[0])[:120]
        k = (op, eng, dt, msg); errs[k] = errs.get(k, 0) + 1

    def make(dt, shape, cl):
        qmin, qmax = QRANGE[dt]
        r = rng.random()
        if r < 0.3:
            codes = torch.randint(qmin, qmin + 4, shape, dtype=torch.int32)       # tie-heavy sums
        elif r < 0.4:
            codes = torch.randint(qmax - 3, qmax + 1, shape, dtype=torch.int32)
        else:
            codes = torch.randint(qmin, qmax + 1, shape, dtype=torch.int32)
        scale = rng.choice([0.5, 0.125, 2.0 ** rng.randint(-10, 3), rng.uniform(1e-3, 1), rng.uniform(1e-3, 1), 0.1])
        zp = rng.randint(qmin, qmax)
        qx = torch._make_per_tensor_quantized_tensor(
            codes.to(torch.uint8 if dt == 'quint8' else torch.int8), scale, zp)
        if cl:
            qx = qx.contiguous(memory_format=torch.channels_last)
        return qx, scale, zp

    def rand_shape():
        N = rng.choice([1, 1, 2, 3])
        C = rng.choice([1, 3, 5, 8, 9, 15, 16, 17, 24, 33, 64, 70])
        if rng.random() < 0.08:
            return N, C, 1, 1
        return N, C, rng.randint(1, 12), rng.randint(1, 12)

    t0 = time.time()
    susp_ok = [0, 0, 0]  # qnnpack maxpool: [cases with outputs != exact max, of them all inside predicted set, outputs]
    for it in range(iters):
        eng = rng.choice(['onednn', 'qnnpack']); torch.backends.quantized.engine = eng
        dt = rng.choice(['quint8', 'qint8'])
        # ---------------- maxpool
        N, C, H, W = rand_shape(); cl = rng.random() < 0.4
        qx, sc, zp = make(dt, (N, C, H, W), cl)
        k = (rng.randint(1, 5), rng.randint(1, 5)); s = (rng.randint(1, 4), rng.randint(1, 4))
        p = (rng.randint(0, k[0] // 2), rng.randint(0, k[1] // 2)); d = (rng.randint(1, 3), rng.randint(1, 3))
        ceil = rng.random() < 0.35
        inp = qx[0] if (N == 1 and rng.random() < 0.25) else qx
        one_d = rng.random() < 0.15
        try:
            if one_d:
                inp1 = inp[..., 0, :]
                y = F.max_pool1d(inp1, k[1], s[1], p[1], d[1], ceil)
                ref = maxpool2d_ref(inp1.int_repr().numpy()[..., None, :].astype(np.int64), (1, k[1]), (1, s[1]),
                                    (0, p[1]), (1, d[1]), ceil, eng, dt, False)[..., 0, :]
            else:
                y = F.max_pool2d(inp, k, s, p, d, ceil) if rng.random() < 0.5 else torch.nn.MaxPool2d(k, s, p, d, ceil_mode=ceil)(inp)
                nh = inp.dim() == 4 and inp.is_contiguous(memory_format=torch.channels_last)
                ref = maxpool2d_ref(inp.int_repr().numpy().astype(np.int64), k, s, p, d, ceil, eng, dt, nh)
            assert y.q_scale() == sc and y.q_zero_point() == zp and y.dtype == TD[dt]
            yi = y.int_repr().numpy()
            qnn = qnnpack_maxpool_used(eng, dt, ceil, inp.dim() + (1 if one_d else 0))
            rec('max_pool', (eng, dt, 'qnnpack-kernel' if qnn else 'aten'), yi.size, int((yi != ref).sum()))
            if qnn and not one_d:
                exact = maxpool2d_ref(inp.int_repr().numpy().astype(np.int64), k, s, p, d, ceil, 'onednn', dt)
                diff = yi != exact
                if diff.any():
                    sus = qnnpack_maxpool_suspect(H, W, k, s, p, d)
                    susp_ok[0] += 1; susp_ok[1] += int((diff & ~sus).sum() == 0); susp_ok[2] += int(diff.sum())
        except Exception as e:
            err('max_pool', eng, dt, e)
        # ---------------- avgpool
        N, C, H, W = rand_shape(); cl = rng.random() < 0.5
        qx, sc, zp = make(dt, (N, C, H, W), cl)
        k = (rng.randint(1, 5), rng.randint(1, 5)); s = (rng.randint(1, 4), rng.randint(1, 4))
        p = (rng.randint(0, k[0] // 2), rng.randint(0, k[1] // 2))
        ceil = rng.random() < 0.3; cip = rng.random() < 0.5
        divo = rng.choice([None, None, None, 1, 2, 3, 4, 7, 9])
        inp = qx[0] if (N == 1 and rng.random() < 0.2) else qx
        try:
            y = F.avg_pool2d(inp, k, s, p, ceil, cip, divo) if rng.random() < 0.5 else \
                torch.nn.AvgPool2d(k, s, p, ceil, cip, divo)(inp)
            nh = inp.dim() == 4 and inp.is_contiguous(memory_format=torch.channels_last)
            ref = avgpool2d_ref(inp.int_repr().numpy().astype(np.int64), k, s, p, ceil, cip, divo, sc, zp, eng, dt, nh)
            assert y.q_scale() == sc and y.q_zero_point() == zp
            yi = y.int_repr().numpy()
            path = 'qnnpack-kernel' if qnnpack_avgpool_used(eng, dt, ceil, inp.dim()) else ('aten-nhwc' if nh else 'aten-nchw')
            rec('avg_pool2d', (eng, dt, path), yi.size, int((yi != ref).sum()))
        except Exception as e:
            err('avg_pool2d', eng, dt, e)
        # ---------------- adaptive avgpool
        N, C, H, W = rand_shape(); cl = rng.random() < 0.5
        qx, sc, zp = make(dt, (N, C, H, W), cl)
        if rng.random() < 0.35:
            oH = rng.choice([v for v in range(1, H + 1) if H % v == 0]); oW = rng.choice([v for v in range(1, W + 1) if W % v == 0])
        else:
            oH, oW = rng.randint(1, H + 2), rng.randint(1, W + 2)
        inp = qx[0] if (N == 1 and rng.random() < 0.25) else qx
        try:
            y = F.adaptive_avg_pool2d(inp, (oH, oW)) if rng.random() < 0.5 else torch.nn.AdaptiveAvgPool2d((oH, oW))(inp)
            nh = inp.dim() == 4 and inp.is_contiguous(memory_format=torch.channels_last)
            ref = adaptive_avgpool2d_ref(inp.int_repr().numpy().astype(np.int64), (oH, oW), sc, zp, eng, dt, nh)
            assert y.q_scale() == sc and y.q_zero_point() == zp
            yi = y.int_repr().numpy()
            path = 'qnnpack-kernel' if qnnpack_adaptive_used(eng, dt, H, W, oH, oW) else ('aten-nhwc' if nh else 'aten-nchw')
            rec('adaptive_avg_pool2d', (eng, dt, path), yi.size, int((yi != ref).sum()))
        except Exception as e:
            err('adaptive_avg_pool2d', eng, dt, e)
        # ---------------- mean
        shape = (rng.randint(1, 3), rng.choice([1, 3, 8, 16, 33, 40]), rng.randint(1, 9), rng.randint(1, 12))
        cl = rng.random() < 0.4
        qx, sc, zp = make(dt, shape, cl)
        dims = rng.choice([(2, 3), (2, 3), (2, 3), (-2, -1), (3, 2), (3,), (1,), (1, 2, 3), (0,), (0, 2, 3), (1, 3)])
        kd = rng.random() < 0.5
        try:
            y = torch.mean(qx, dims, keepdim=kd)
            ref = mean_ref(qx.int_repr().numpy().astype(np.int64), dims, kd, sc, zp, eng, dt,
                           strides=qx.stride(), contiguous=qx.is_contiguous())
            assert y.q_scale() == sc and y.q_zero_point() == zp
            yi = y.int_repr().numpy()
            rec('mean', (eng, dt, mean_path(eng, dt, 4, dims, qx.is_contiguous())), yi.size, int((yi != ref).sum()))
        except Exception as e:
            err('mean', eng, dt, e)
    print('cpu capability modelled:', CAP, ' iterations:', iters, ' time %.1fs' % (time.time() - t0))
    print('%-22s %-8s %-7s %-15s %7s %9s %9s' % ('op', 'engine', 'dtype', 'path', 'cases', 'outputs', 'mismatch'))
    tot = 0
    for key, (c, n, m) in sorted(stats.items()):
        print('%-22s %-8s %-7s %-15s %7d %9d %9d' % (key + (c, n, m)))
        tot += m
    print('refusals seen (op, engine, dtype, message): count')
    for key, c in sorted(errs.items()):
        print('  ', key, c)
    print('qnnpack max_pool: %d outputs in %d cases differ from the exact max; cases with every difference'
          ' inside the predicted set: %d' % (susp_ok[2], susp_ok[0], susp_ok[1]))
    print('TOTAL MISMATCHES:', tot)


if __name__ == '__main__':
    main()
