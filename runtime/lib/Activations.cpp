//===- Activations.cpp - ATen's sigmoid and tanh vector bodies ------------===//
//
// Rows of 16-lane SLEEF calls where the CPU has AVX-512, 8-lane ones where it
// has AVX2 and FMA (the functions ATen's AVX2 kernels call), the 1-lane
// purecfma functions for the rest of a row and on other CPUs: SLEEF computes
// the same value in every lane width (ActivationsTest checks it).
//
//===----------------------------------------------------------------------===//

#include "qnn/Runtime/Activations.h"

#include <cstdlib>
#include <cstring>

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

bool hasAvx512() {
  static const bool avx512 = [] {
    const char *isa = std::getenv("QNN_ISA");
    if (isa &&
        (std::strcmp(isa, "portable") == 0 || std::strcmp(isa, "avx2") == 0))
      return false;
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("fma");
  }();
  return avx512;
}

bool hasAvx2() {
  static const bool avx2 = [] {
    // QNN_ISA=portable forces the fallbacks (as for the GEMM).
    const char *isa = std::getenv("QNN_ISA");
    if (isa && std::strcmp(isa, "portable") == 0)
      return false;
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  }();
  return avx2;
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

void _mlir_ciface_qnn_sigmoid_f32(qnn_memref2d_f32 *in, qnn_memref2d_f32 *out) {
  apply(Kind::Sigmoid, in, out);
}

void _mlir_ciface_qnn_tanh_f32(qnn_memref2d_f32 *in, qnn_memref2d_f32 *out) {
  apply(Kind::Tanh, in, out);
}
