//===- Avx2.cpp - AVX2 int8 GEMM kernels (exact, saturating pairs)
//----------===//
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
// AVX2: no 8-bit dot product without saturation, so bytes are widened to
// int16 and multiplied pairwise with vpmaddwd (exact). A packed row of 4 k
// for 4 columns widens to 16 int16 whose int32 lanes alternate (k0, k1) and
// (k2, k3) per column; the broadcast A pattern matches, and the pairs are
// folded with one vphaddd per tile at the end.
//===----------------------------------------------------------------------===//

#define QNN_AVX2 __attribute__((target("avx2")))

namespace {
/// One tile of C: `Rows` rows from the int16-widened A (`a16`, row stride
/// `kPadded`), 8 columns starting at n.
template <int Rows>
QNN_AVX2 void avx2Kernel(const GemmArgs &g, const int16_t *a16, int64_t kPadded,
                         int64_t m, int64_t n, int cols) {
  int64_t kBlocks = kPadded / QNN_PACK_K;
  // Columns n..n+7 are one half of a packed 16-column block.
  const int8_t *b =
      g.b + (n / QNN_PACK_N) * kBlocks * 64 + (n % QNN_PACK_N) * 4;
  __m256i lo[Rows], hi[Rows];
  for (int r = 0; r < Rows; ++r)
    lo[r] = hi[r] = _mm256_setzero_si256();
  for (int64_t k = 0; k < kPadded; k += 4) {
    const int8_t *row = b + k * 16;
    __m256i b03 = _mm256_cvtepi8_epi16(
        _mm_loadu_si128(reinterpret_cast<const __m128i *>(row)));
    __m256i b47 = _mm256_cvtepi8_epi16(
        _mm_loadu_si128(reinterpret_cast<const __m128i *>(row + 16)));
    for (int r = 0; r < Rows; ++r) {
      int64_t pair;
      std::memcpy(&pair, a16 + r * kPadded + k, 8);
      __m256i va = _mm256_set1_epi64x(pair);
      lo[r] = _mm256_add_epi32(lo[r], _mm256_madd_epi16(b03, va));
      hi[r] = _mm256_add_epi32(hi[r], _mm256_madd_epi16(b47, va));
    }
  }
  const __m256i order = _mm256_setr_epi32(0, 1, 4, 5, 2, 3, 6, 7);
  __m256i mask = _mm256_cmpgt_epi32(_mm256_set1_epi32(cols),
                                    _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
  for (int r = 0; r < Rows; ++r) {
    __m256i sum =
        _mm256_permutevar8x32_epi32(_mm256_hadd_epi32(lo[r], hi[r]), order);
    int *c = reinterpret_cast<int *>(g.c + (m + r) * g.ldc + n);
    __m256i old = _mm256_maskload_epi32(c, mask);
    _mm256_maskstore_epi32(c, mask, _mm256_add_epi32(old, sum));
  }
}
} // namespace

QNN_AVX2 void gemmAvx2(const GemmArgs &g) {
  constexpr int64_t maxRows = 6, panel = 128;
  // A block of rows widened to int16, K padded with zeros to a multiple of
  // 4: small enough to stay in L1 while a panel of columns is computed.
  int64_t kPadded = (g.k + 3) / 4 * 4;
  std::vector<int16_t> a16(maxRows * kPadded, 0);
  // Column panels keep their packed weights in cache across all rows.
  for (int64_t n0 = 0; n0 < g.n; n0 += panel) {
    int64_t n1 = std::min(g.n, n0 + panel);
    for (int64_t m = 0; m < g.m; m += maxRows) {
      int64_t rows = std::min(maxRows, g.m - m);
      for (int64_t r = 0; r < rows; ++r)
        for (int64_t p = 0; p < g.k; ++p)
          a16[r * kPadded + p] = g.a[(m + r) * g.lda + p];
      const int16_t *a = a16.data();
      for (int64_t n = n0; n < n1; n += 8) {
        int cols = static_cast<int>(std::min<int64_t>(8, g.n - n));
        switch (rows) {
        case 1:
          avx2Kernel<1>(g, a, kPadded, m, n, cols);
          break;
        case 2:
          avx2Kernel<2>(g, a, kPadded, m, n, cols);
          break;
        case 3:
          avx2Kernel<3>(g, a, kPadded, m, n, cols);
          break;
        case 4:
          avx2Kernel<4>(g, a, kPadded, m, n, cols);
          break;
        case 5:
          avx2Kernel<5>(g, a, kPadded, m, n, cols);
          break;
        default:
          avx2Kernel<6>(g, a, kPadded, m, n, cols);
          break;
        }
      }
    }
  }
}

//===----------------------------------------------------------------------===//
// onednn without VNNI: vpmaddubsw sums the two u8 x s8 products of k = 2j,
// 2j + 1 into an int16 with saturation, vpmaddwd with ones adds the two
// pairs of a 4-k group exactly: PyTorch's arithmetic, bit for bit.
//===----------------------------------------------------------------------===//

namespace {
template <int Rows>
QNN_AVX2 void sat16Kernel(const GemmArgs &g, int64_t m, int64_t n, int cols) {
  int64_t kBlocks = (g.k + QNN_PACK_K - 1) / QNN_PACK_K;
  const int8_t *b =
      g.b + (n / QNN_PACK_N) * kBlocks * 64 + (n % QNN_PACK_N) * 4;
  const __m256i ones = _mm256_set1_epi16(1);
  __m256i acc[Rows];
  for (int r = 0; r < Rows; ++r)
    acc[r] = _mm256_setzero_si256();
  const uint8_t *a = g.a + m * g.lda;
  auto step = [&](int64_t k, auto loadA) QNN_AVX2 {
    __m256i vb =
        _mm256_loadu_si256(reinterpret_cast<const __m256i *>(b + k * 16));
    for (int r = 0; r < Rows; ++r) {
      __m256i va = _mm256_set1_epi32(loadA(a + r * g.lda, k));
      acc[r] = _mm256_add_epi32(
          acc[r], _mm256_madd_epi16(_mm256_maddubs_epi16(va, vb), ones));
    }
  };
  int64_t kFull = g.k / 4 * 4;
  for (int64_t k = 0; k < kFull; k += 4)
    step(k, [](const uint8_t *row, int64_t k) {
      int32_t v;
      std::memcpy(&v, row + k, 4);
      return v;
    });
  if (kFull < g.k)
    step(kFull,
         [&](const uint8_t *row, int64_t k) { return loadA4(row, k, g.k); });
  __m256i mask = _mm256_cmpgt_epi32(_mm256_set1_epi32(cols),
                                    _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
  for (int r = 0; r < Rows; ++r) {
    int *c = reinterpret_cast<int *>(g.c + (m + r) * g.ldc + n);
    __m256i old = _mm256_maskload_epi32(c, mask);
    _mm256_maskstore_epi32(c, mask, _mm256_add_epi32(old, acc[r]));
  }
}
} // namespace

QNN_AVX2 void gemmSat16Avx2(const GemmArgs &g) {
  constexpr int64_t maxRows = 8, panel = 128;
  for (int64_t n0 = 0; n0 < g.n; n0 += panel) {
    int64_t n1 = std::min(g.n, n0 + panel);
    for (int64_t m = 0; m < g.m; m += maxRows) {
      int64_t rows = std::min(maxRows, g.m - m);
      for (int64_t n = n0; n < n1; n += 8) {
        int cols = static_cast<int>(std::min<int64_t>(8, g.n - n));
        switch (rows) {
        case 1:
          sat16Kernel<1>(g, m, n, cols);
          break;
        case 2:
          sat16Kernel<2>(g, m, n, cols);
          break;
        case 3:
          sat16Kernel<3>(g, m, n, cols);
          break;
        case 4:
          sat16Kernel<4>(g, m, n, cols);
          break;
        case 5:
          sat16Kernel<5>(g, m, n, cols);
          break;
        case 6:
          sat16Kernel<6>(g, m, n, cols);
          break;
        case 7:
          sat16Kernel<7>(g, m, n, cols);
          break;
        default:
          sat16Kernel<8>(g, m, n, cols);
          break;
        }
      }
    }
  }
}

} // namespace qnn::runtime
