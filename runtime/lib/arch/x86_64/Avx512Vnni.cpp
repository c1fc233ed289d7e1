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
#if defined(__GNUC__)
/// The K loop of a full 8 x 32 tile, in assembly: acc[r][j] += the `steps`
/// 4-byte groups of row r of A (rows `lda` apart from `a`) times the packed
/// weight's column blocks `b0`, `b1`. GCC 12 compiles the intrinsic loop
/// with two register copies and a stack spill around each vpdpbusd (it
/// treats the instruction as non-destructive), about a third of the peak.
QNN_AVX512 inline void vnniLoop8x32(__m512i acc[8][2], const uint8_t *a,
                                    int64_t lda, const int8_t *b0,
                                    const int8_t *b1, int64_t steps) {
  const uint8_t *a3 = a + 3 * lda;
  int64_t lda3 = 3 * lda;
  // zmm0-15: acc[r][j] as zmm(2r + j); zmm16, 17: the weight blocks;
  // zmm18, 19: broadcast A.
  asm volatile("vmovdqu64 0(%[acc]), %%zmm0\n\t"
               "vmovdqu64 64(%[acc]), %%zmm1\n\t"
               "vmovdqu64 128(%[acc]), %%zmm2\n\t"
               "vmovdqu64 192(%[acc]), %%zmm3\n\t"
               "vmovdqu64 256(%[acc]), %%zmm4\n\t"
               "vmovdqu64 320(%[acc]), %%zmm5\n\t"
               "vmovdqu64 384(%[acc]), %%zmm6\n\t"
               "vmovdqu64 448(%[acc]), %%zmm7\n\t"
               "vmovdqu64 512(%[acc]), %%zmm8\n\t"
               "vmovdqu64 576(%[acc]), %%zmm9\n\t"
               "vmovdqu64 640(%[acc]), %%zmm10\n\t"
               "vmovdqu64 704(%[acc]), %%zmm11\n\t"
               "vmovdqu64 768(%[acc]), %%zmm12\n\t"
               "vmovdqu64 832(%[acc]), %%zmm13\n\t"
               "vmovdqu64 896(%[acc]), %%zmm14\n\t"
               "vmovdqu64 960(%[acc]), %%zmm15\n\t"
               "1:\n\t"
               "vmovdqu64 (%[b0]), %%zmm16\n\t"
               "vmovdqu64 (%[b1]), %%zmm17\n\t"
               "vpbroadcastd (%[a]), %%zmm18\n\t"
               "vpbroadcastd (%[a],%[lda],1), %%zmm19\n\t"
               "vpdpbusd %%zmm16, %%zmm18, %%zmm0\n\t"
               "vpdpbusd %%zmm17, %%zmm18, %%zmm1\n\t"
               "vpbroadcastd (%[a],%[lda],2), %%zmm18\n\t"
               "vpdpbusd %%zmm16, %%zmm19, %%zmm2\n\t"
               "vpdpbusd %%zmm17, %%zmm19, %%zmm3\n\t"
               "vpbroadcastd (%[a3]), %%zmm19\n\t"
               "vpdpbusd %%zmm16, %%zmm18, %%zmm4\n\t"
               "vpdpbusd %%zmm17, %%zmm18, %%zmm5\n\t"
               "vpbroadcastd (%[a],%[lda],4), %%zmm18\n\t"
               "vpdpbusd %%zmm16, %%zmm19, %%zmm6\n\t"
               "vpdpbusd %%zmm17, %%zmm19, %%zmm7\n\t"
               "vpbroadcastd (%[a3],%[lda],2), %%zmm19\n\t"
               "vpdpbusd %%zmm16, %%zmm18, %%zmm8\n\t"
               "vpdpbusd %%zmm17, %%zmm18, %%zmm9\n\t"
               "vpbroadcastd (%[a3],%[lda3],1), %%zmm18\n\t"
               "vpdpbusd %%zmm16, %%zmm19, %%zmm10\n\t"
               "vpdpbusd %%zmm17, %%zmm19, %%zmm11\n\t"
               "vpbroadcastd (%[a3],%[lda],4), %%zmm19\n\t"
               "vpdpbusd %%zmm16, %%zmm18, %%zmm12\n\t"
               "vpdpbusd %%zmm17, %%zmm18, %%zmm13\n\t"
               "vpdpbusd %%zmm16, %%zmm19, %%zmm14\n\t"
               "vpdpbusd %%zmm17, %%zmm19, %%zmm15\n\t"
               "add $64, %[b0]\n\t"
               "add $64, %[b1]\n\t"
               "add $4, %[a]\n\t"
               "add $4, %[a3]\n\t"
               "dec %[steps]\n\t"
               "jnz 1b\n\t"
               "vmovdqu64 %%zmm0, 0(%[acc])\n\t"
               "vmovdqu64 %%zmm1, 64(%[acc])\n\t"
               "vmovdqu64 %%zmm2, 128(%[acc])\n\t"
               "vmovdqu64 %%zmm3, 192(%[acc])\n\t"
               "vmovdqu64 %%zmm4, 256(%[acc])\n\t"
               "vmovdqu64 %%zmm5, 320(%[acc])\n\t"
               "vmovdqu64 %%zmm6, 384(%[acc])\n\t"
               "vmovdqu64 %%zmm7, 448(%[acc])\n\t"
               "vmovdqu64 %%zmm8, 512(%[acc])\n\t"
               "vmovdqu64 %%zmm9, 576(%[acc])\n\t"
               "vmovdqu64 %%zmm10, 640(%[acc])\n\t"
               "vmovdqu64 %%zmm11, 704(%[acc])\n\t"
               "vmovdqu64 %%zmm12, 768(%[acc])\n\t"
               "vmovdqu64 %%zmm13, 832(%[acc])\n\t"
               "vmovdqu64 %%zmm14, 896(%[acc])\n\t"
               "vmovdqu64 %%zmm15, 960(%[acc])\n\t"
               : [a] "+r"(a), [a3] "+r"(a3), [b0] "+r"(b0), [b1] "+r"(b1),
                 [steps] "+r"(steps)
               : [acc] "r"(acc), [lda] "r"(lda), [lda3] "r"(lda3)
               : "cc", "memory", "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5",
                 "xmm6", "xmm7", "xmm8", "xmm9", "xmm10", "xmm11", "xmm12",
                 "xmm13", "xmm14", "xmm15", "xmm16", "xmm17", "xmm18", "xmm19");
}
#endif

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
  int64_t k = k0;
#if defined(__GNUC__)
  if constexpr (Rows == 8 && Two) {
    if (kFull > k0)
      vnniLoop8x32(acc, a + k0, g.lda, b0 + k0 * 16, b1 + k0 * 16,
                   (kFull - k0) / 4);
    k = kFull;
  }
#endif
  for (; k < kFull; k += 4) {
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
