//===- Avx512Vnni.cpp - AVX-512 VNNI int8 GEMM kernel
//-----------------------===//
//
// Compiled for its instruction set with target attributes, so the library
// builds with any x86-64 compiler flags; only called after CPUID (and, for
// AMX, the kernel) said it may run.
//
//===----------------------------------------------------------------------===//

#include "../../Kernels.h"
#include "qnn/Runtime/Gemm.h"

#include <algorithm>
#include <cstring>
#include <immintrin.h>
#include <vector>

namespace qnn::runtime {

//===----------------------------------------------------------------------===//
// AVX-512 VNNI: rows of C in registers, 32 columns at a time.
//===----------------------------------------------------------------------===//

#define QNN_AVX512 __attribute__((target("avx512f,avx512bw,avx512vnni")))

namespace {
template <int Rows, bool Two>
QNN_AVX512 void vnniKernel(const GemmArgs &g, int64_t m, int64_t n,
                           __mmask16 mask0, __mmask16 mask1, int64_t k0,
                           int64_t k1) {
  int64_t kBlocks = (g.k + QNN_PACK_K - 1) / QNN_PACK_K;
  const int8_t *b0 = g.b + (n / QNN_PACK_N) * kBlocks * 64;
  const int8_t *b1 = b0 + kBlocks * 64;
  __m512i acc[Rows][2];
  for (int r = 0; r < Rows; ++r) {
    int32_t *c = g.c + (m + r) * g.ldc + n;
    acc[r][0] = _mm512_maskz_loadu_epi32(mask0, c);
    acc[r][1] =
        Two ? _mm512_maskz_loadu_epi32(mask1, c + 16) : _mm512_setzero_si512();
  }
  const uint8_t *a = g.a + m * g.lda;
  int64_t kFull = k0 + (k1 - k0) / 4 * 4;
  for (int64_t k = k0; k < kFull; k += 4) {
    __m512i vb0 = _mm512_loadu_si512(b0 + k * 16);
    __m512i vb1 = Two ? _mm512_loadu_si512(b1 + k * 16) : vb0;
    for (int r = 0; r < Rows; ++r) {
      int32_t av;
      std::memcpy(&av, a + r * g.lda + k, 4);
      __m512i va = _mm512_set1_epi32(av);
      acc[r][0] = _mm512_dpbusd_epi32(acc[r][0], va, vb0);
      if (Two)
        acc[r][1] = _mm512_dpbusd_epi32(acc[r][1], va, vb1);
    }
  }
  if (kFull < k1) {
    __m512i vb0 = _mm512_loadu_si512(b0 + kFull * 16);
    __m512i vb1 = Two ? _mm512_loadu_si512(b1 + kFull * 16) : vb0;
    for (int r = 0; r < Rows; ++r) {
      __m512i va = _mm512_set1_epi32(loadA4(a + r * g.lda, kFull, k1));
      acc[r][0] = _mm512_dpbusd_epi32(acc[r][0], va, vb0);
      if (Two)
        acc[r][1] = _mm512_dpbusd_epi32(acc[r][1], va, vb1);
    }
  }
  for (int r = 0; r < Rows; ++r) {
    int32_t *c = g.c + (m + r) * g.ldc + n;
    _mm512_mask_storeu_epi32(c, mask0, acc[r][0]);
    if (Two)
      _mm512_mask_storeu_epi32(c + 16, mask1, acc[r][1]);
  }
}

template <bool Two>
QNN_AVX512 void vnniRows(const GemmArgs &g, int64_t m, int64_t rows, int64_t n,
                         __mmask16 mask0, __mmask16 mask1, int64_t k0,
                         int64_t k1) {
  switch (rows) {
#define QNN_ROWS(R)                                                            \
  case R:                                                                      \
    return vnniKernel<R, Two>(g, m, n, mask0, mask1, k0, k1);
    QNN_ROWS(1)
    QNN_ROWS(2)
    QNN_ROWS(3)
    QNN_ROWS(4)
    QNN_ROWS(5)
    QNN_ROWS(6)
    QNN_ROWS(7)
    QNN_ROWS(8)
    QNN_ROWS(9)
    QNN_ROWS(10)
    QNN_ROWS(11)
    QNN_ROWS(12)
#undef QNN_ROWS
  }
}

__mmask16 columnMask(int64_t count) {
  if (count <= 0)
    return 0;
  return count >= 16 ? 0xffff : static_cast<__mmask16>((1u << count) - 1);
}
} // namespace

QNN_AVX512 void gemmAvx512VnniBlock(const GemmArgs &g, int64_t m0, int64_t m1,
                                    int64_t n0, int64_t n1, int64_t k0,
                                    int64_t k1) {
  // Tiles of up to 8 rows x 32 columns: 16 accumulators. With 12 rows
  // (24 accumulators, 27 of the 32 zmm) GCC 12 keeps the tile on the stack
  // and the kernel runs at half the speed (measured on Zen 5: 8 rows ~300,
  // 12 rows ~130-160 G MAC/s at M=256, N=2048, K=512).
  constexpr int64_t maxRows = 8;
  for (int64_t n = n0; n < n1; n += 32) {
    int64_t cols = std::min<int64_t>(32, n1 - n);
    __mmask16 mask0 = columnMask(cols), mask1 = columnMask(cols - 16);
    for (int64_t m = m0; m < m1; m += maxRows) {
      int64_t rows = std::min(maxRows, m1 - m);
      if (cols > 16)
        vnniRows<true>(g, m, rows, n, mask0, mask1, k0, k1);
      else
        vnniRows<false>(g, m, rows, n, mask0, mask1, k0, k1);
    }
  }
}

void gemmAvx512Vnni(const GemmArgs &g) {
  gemmAvx512VnniBlock(g, 0, g.m, 0, g.n, 0, g.k);
}

} // namespace qnn::runtime
