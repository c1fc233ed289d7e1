//===- Activations.cpp - the dynamic modules' float kernels ---------------===//
//
// qnn.choose_qparams' range and ATen's sigmoid and tanh vector bodies: rows
// of 16-lane SLEEF calls where the runtime uses AVX-512 (Kernels.h's
// selectedIsa, also the GEMM's), 8-lane ones where it uses AVX2 and the CPU
// has FMA (the functions ATen's AVX2 kernels call), the 1-lane purecfma
// functions for the rest of a row and on other CPUs: SLEEF computes the
// same value in every lane width (ActivationsTest checks it).
//
//===----------------------------------------------------------------------===//

#include "qnn/Runtime/Activations.h"
#include "Kernels.h"

#include <algorithm>
#include <cmath>
#include <limits>

// sleef.h declares these only where the whole file is compiled for FMA and
// AVX; this file is not, so that it runs on any x86-64. (The compiled
// models' element-wise loops call the 1-lane functions too.)
extern "C" {
float Sleef_expf1_u10purecfma(float);
float Sleef_tanhf1_u10purecfma(float);
}
#if defined(__x86_64__)
#include <immintrin.h>

extern "C" {
__attribute__((target("avx2,fma"))) __m256 Sleef_expf8_u10avx2(__m256);
__attribute__((target("avx2,fma"))) __m256 Sleef_tanhf8_u10avx2(__m256);
__attribute__((target("avx512f"))) __m512 Sleef_expf16_u10avx512f(__m512);
__attribute__((target("avx512f"))) __m512 Sleef_tanhf16_u10avx512f(__m512);
}
#endif

namespace {
enum class Kind { Sigmoid, Tanh };

float scalar(Kind kind, float x) {
  if (kind == Kind::Tanh)
    return Sleef_tanhf1_u10purecfma(x);
  return 1.0f / (Sleef_expf1_u10purecfma(0.0f - x) + 1.0f);
}

#if defined(__x86_64__)
__attribute__((target("avx2,fma"))) void rowAvx2(Kind kind, const float *in,
                                                 float *out, int64_t n) {
  const __m256 one = _mm256_set1_ps(1.0f), zero = _mm256_setzero_ps();
  int64_t j = 0;
  for (; j + 8 <= n; j += 8) {
    __m256 x = _mm256_loadu_ps(in + j);
    __m256 y;
    if (kind == Kind::Tanh) {
      y = Sleef_tanhf8_u10avx2(x);
    } else {
      y = Sleef_expf8_u10avx2(_mm256_sub_ps(zero, x));
      y = _mm256_div_ps(one, _mm256_add_ps(y, one));
    }
    _mm256_storeu_ps(out + j, y);
  }
  for (; j < n; ++j)
    out[j] = scalar(kind, in[j]);
}

/// 16 lanes where the CPU has AVX-512 (the same values: ActivationsTest).
__attribute__((target("avx512f"))) void rowAvx512(Kind kind, const float *in,
                                                  float *out, int64_t n) {
  const __m512 one = _mm512_set1_ps(1.0f), zero = _mm512_setzero_ps();
  int64_t j = 0;
  for (; j + 16 <= n; j += 16) {
    __m512 x = _mm512_loadu_ps(in + j);
    __m512 y;
    if (kind == Kind::Tanh) {
      y = Sleef_tanhf16_u10avx512f(x);
    } else {
      y = Sleef_expf16_u10avx512f(_mm512_sub_ps(zero, x));
      y = _mm512_div_ps(one, _mm512_add_ps(y, one));
    }
    _mm512_storeu_ps(out + j, y);
  }
  rowAvx2(kind, in + j, out + j, n - j);
}

/// 16 lanes where the runtime uses AVX-512 (every CPU with VNNI has
/// AVX-512F), 8 where it uses AVX2 and the CPU has FMA, which SLEEF's AVX2
/// functions use too.
bool hasAvx512() { return qnn::runtime::selectedAvx512(); }

bool hasAvx2() {
  static const bool fma = __builtin_cpu_supports("fma");
  return qnn::runtime::selectedIsa() >= qnn::runtime::Isa::Avx2 && fma;
}
#endif

void apply(Kind kind, const qnn_memref2d_f32 *in, qnn_memref2d_f32 *out) {
  int64_t rows = in->sizes[0], cols = in->sizes[1];
  const float *src = in->aligned + in->offset;
  float *dst = out->aligned + out->offset;
  for (int64_t i = 0; i < rows; ++i) {
    const float *a = src + i * in->strides[0];
    float *b = dst + i * out->strides[0];
#if defined(__x86_64__)
    if (in->strides[1] == 1 && out->strides[1] == 1 && hasAvx2()) {
      if (hasAvx512())
        rowAvx512(kind, a, b, cols);
      else
        rowAvx2(kind, a, b, cols);
      continue;
    }
#endif
    for (int64_t j = 0; j < cols; ++j)
      b[j * out->strides[1]] = scalar(kind, a[j * in->strides[1]]);
  }
}
} // namespace

namespace {
/// arith.minimumf / maximumf on two floats.
float minimum(float a, float b) {
  if (std::isnan(a) || std::isnan(b))
    return std::numeric_limits<float>::quiet_NaN();
  if (a == b)
    return std::signbit(a) ? a : b;
  return a < b ? a : b;
}
float maximum(float a, float b) {
  if (std::isnan(a) || std::isnan(b))
    return std::numeric_limits<float>::quiet_NaN();
  if (a == b)
    return std::signbit(a) ? b : a;
  return a > b ? a : b;
}

#if defined(__x86_64__)
/// Settles what vector min/max differ on from minimum/maximum: any NaN
/// makes both NaN; a zero minimum is -0 if a -0 was seen, a zero maximum +0
/// if a +0 was. Then folds in the initial values and the `tail`. `mins` and
/// `maxs` are the vector accumulators' lanes.
void finishRange(bool nan, bool negativeZero, bool positiveZero, bool any,
                 const float *mins, const float *maxs, int lanes,
                 const float *tail, int64_t n, float &lo, float &hi) {
  if (nan) {
    lo = hi = std::numeric_limits<float>::quiet_NaN();
    return;
  }
  if (any) {
    float l = mins[0], h = maxs[0];
    for (int j = 1; j < lanes; ++j) {
      l = std::min(l, mins[j]);
      h = std::max(h, maxs[j]);
    }
    if (l == 0.0f)
      l = negativeZero ? -0.0f : 0.0f;
    if (h == 0.0f)
      h = positiveZero ? 0.0f : -0.0f;
    lo = minimum(lo, l);
    hi = maximum(hi, h);
  }
  for (int64_t i = 0; i < n; ++i) {
    lo = minimum(lo, tail[i]);
    hi = maximum(hi, tail[i]);
  }
}

/// The range of contiguous `x` with 16-lane min/max.
__attribute__((target("avx512f"))) void rangeAvx512(const float *x, int64_t n,
                                                    float &lo, float &hi) {
  __m512 vmin = _mm512_set1_ps(std::numeric_limits<float>::infinity());
  __m512 vmax = _mm512_set1_ps(-std::numeric_limits<float>::infinity());
  __mmask16 nan = 0, negativeZero = 0, positiveZero = 0;
  const __m512i signBit = _mm512_set1_epi32(static_cast<int32_t>(0x80000000u));
  const __m512i zeroBits = _mm512_setzero_si512();
  int64_t i = 0;
  for (; i + 16 <= n; i += 16) {
    __m512 v = _mm512_loadu_ps(x + i);
    __m512i bits = _mm512_castps_si512(v);
    vmin = _mm512_min_ps(vmin, v);
    vmax = _mm512_max_ps(vmax, v);
    nan |= _mm512_cmp_ps_mask(v, v, _CMP_UNORD_Q);
    negativeZero |= _mm512_cmpeq_epi32_mask(bits, signBit);
    positiveZero |= _mm512_cmpeq_epi32_mask(bits, zeroBits);
  }
  alignas(64) float mins[16], maxs[16];
  _mm512_store_ps(mins, vmin);
  _mm512_store_ps(maxs, vmax);
  finishRange(nan, negativeZero, positiveZero, i > 0, mins, maxs, 16, x + i,
              n - i, lo, hi);
}

/// The same with 8-lane AVX2 min/max.
__attribute__((target("avx2"))) void rangeAvx2(const float *x, int64_t n,
                                               float &lo, float &hi) {
  __m256 vmin = _mm256_set1_ps(std::numeric_limits<float>::infinity());
  __m256 vmax = _mm256_set1_ps(-std::numeric_limits<float>::infinity());
  __m256i nan = _mm256_setzero_si256(), negativeZero = nan, positiveZero = nan;
  const __m256i signBit = _mm256_set1_epi32(static_cast<int32_t>(0x80000000u));
  const __m256i zeroBits = _mm256_setzero_si256();
  int64_t i = 0;
  for (; i + 8 <= n; i += 8) {
    __m256 v = _mm256_loadu_ps(x + i);
    __m256i bits = _mm256_castps_si256(v);
    vmin = _mm256_min_ps(vmin, v);
    vmax = _mm256_max_ps(vmax, v);
    nan = _mm256_or_si256(
        nan, _mm256_castps_si256(_mm256_cmp_ps(v, v, _CMP_UNORD_Q)));
    negativeZero =
        _mm256_or_si256(negativeZero, _mm256_cmpeq_epi32(bits, signBit));
    positiveZero =
        _mm256_or_si256(positiveZero, _mm256_cmpeq_epi32(bits, zeroBits));
  }
  alignas(32) float mins[8], maxs[8];
  _mm256_store_ps(mins, vmin);
  _mm256_store_ps(maxs, vmax);
  finishRange(!_mm256_testz_si256(nan, nan),
              !_mm256_testz_si256(negativeZero, negativeZero),
              !_mm256_testz_si256(positiveZero, positiveZero), i > 0, mins,
              maxs, 8, x + i, n - i, lo, hi);
}
#endif
} // namespace

void _mlir_ciface_qnn_range_f32(qnn_memref1d_f32 *x, qnn_memref0d_f32 *min,
                                qnn_memref0d_f32 *max) {
  const float *data = x->aligned + x->offset;
  int64_t n = x->sizes[0], stride = x->strides[0];
  float &lo = min->aligned[min->offset], &hi = max->aligned[max->offset];
#if defined(__x86_64__)
  if (stride == 1 && hasAvx512()) {
    rangeAvx512(data, n, lo, hi);
    return;
  }
  if (stride == 1 && hasAvx2()) {
    rangeAvx2(data, n, lo, hi);
    return;
  }
#endif
  for (int64_t i = 0; i < n; ++i) {
    lo = minimum(lo, data[i * stride]);
    hi = maximum(hi, data[i * stride]);
  }
}

void _mlir_ciface_qnn_sigmoid_f32(qnn_memref2d_f32 *in, qnn_memref2d_f32 *out) {
  apply(Kind::Sigmoid, in, out);
}

void _mlir_ciface_qnn_tanh_f32(qnn_memref2d_f32 *in, qnn_memref2d_f32 *out) {
  apply(Kind::Tanh, in, out);
}
