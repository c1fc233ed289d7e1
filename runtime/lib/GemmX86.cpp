//===- GemmX86.cpp - AVX-512 VNNI and AMX int8 GEMM kernels ---------------===//
//
// Each kernel is compiled for its instruction set with target attributes, so
// the library builds with any x86-64 compiler flags and only runs a kernel
// after CPUID (and, for AMX, the kernel) said it may.
//
//===----------------------------------------------------------------------===//

#include "Kernels.h"
#include "qnn/Runtime/Gemm.h"

#include <algorithm>
#include <cstring>
#include <vector>

#if defined(__x86_64__)
#include <cpuid.h>
#include <immintrin.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace qnn::runtime {

namespace {
uint64_t xcr0() {
  uint32_t eax, edx;
  __asm__ volatile("xgetbv" : "=a"(eax), "=d"(edx) : "c"(0));
  return (static_cast<uint64_t>(edx) << 32) | eax;
}

bool osSupportsXsave() {
  unsigned eax, ebx, ecx, edx;
  if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx))
    return false;
  return ecx & (1u << 27);
}

bool leaf7(unsigned &ebx, unsigned &ecx, unsigned &edx) {
  unsigned eax;
  return __get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx);
}
} // namespace

bool cpuHasAvx512Vnni() {
  unsigned ebx, ecx, edx;
  if (!osSupportsXsave() || !leaf7(ebx, ecx, edx))
    return false;
  bool avx512 = (ebx & (1u << 16)) && (ebx & (1u << 30)) && (ecx & (1u << 11));
  // The OS saves the opmask and all ZMM state.
  return avx512 && (xcr0() & 0xe6) == 0xe6;
}

bool cpuHasAvx2() {
  unsigned ebx, ecx, edx;
  if (!osSupportsXsave() || !leaf7(ebx, ecx, edx))
    return false;
  return (ebx & (1u << 5)) && (xcr0() & 0x6) == 0x6;
}

bool cpuHasAmxInt8() {
  unsigned ebx, ecx, edx;
  if (!osSupportsXsave() || !leaf7(ebx, ecx, edx))
    return false;
  return (edx & (1u << 24)) && (edx & (1u << 25));
}

bool enableAmx() {
  constexpr long archReqXcompPerm = 0x1023, xfeatureXtiledata = 18;
  if (syscall(SYS_arch_prctl, archReqXcompPerm, xfeatureXtiledata) != 0)
    return false;
  return (xcr0() & (3u << 17)) == (3u << 17);
}

//===----------------------------------------------------------------------===//
// AVX-512 VNNI: rows of C in registers, 32 columns at a time.
//===----------------------------------------------------------------------===//

#define QNN_AVX512 __attribute__((target("avx512f,avx512bw,avx512vnni")))

namespace {
/// Four bytes of A at k..k+3, zero beyond `kEnd` (never read past it).
inline int32_t loadA4(const uint8_t *row, int64_t k, int64_t kEnd) {
  int32_t v = 0;
  if (k + 4 <= kEnd)
    std::memcpy(&v, row + k, 4);
  else
    std::memcpy(&v, row + k, kEnd - k);
  return v;
}

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

//===----------------------------------------------------------------------===//
// AMX: 32x32 blocks of C in four tiles, K in steps of 64; the edges (M or N
// not a multiple of 32, K not a multiple of 64) go to the VNNI kernel,
// which accumulates into the same C.
//===----------------------------------------------------------------------===//

#define QNN_AMX __attribute__((target("amx-tile,amx-int8,avx512f")))

namespace {
struct alignas(64) TileConfig {
  uint8_t palette = 1;
  uint8_t startRow = 0;
  uint8_t reserved[14] = {};
  uint16_t colsb[16] = {};
  uint8_t rows[16] = {};
};

QNN_AMX void amxBlocks(const GemmArgs &g, int64_t m32, int64_t n32,
                       int64_t k64) {
  TileConfig config;
  for (int t = 0; t < 8; ++t) {
    config.rows[t] = 16;
    config.colsb[t] = 64;
  }
  _tile_loadconfig(&config);
  int64_t kBlocks = (g.k + QNN_PACK_K - 1) / QNN_PACK_K;
  int64_t strideC = g.ldc * 4;
  for (int64_t n = 0; n < n32; n += 32) {
    const int8_t *b0 = g.b + (n / QNN_PACK_N) * kBlocks * 64;
    const int8_t *b1 = b0 + kBlocks * 64;
    for (int64_t m = 0; m < m32; m += 32) {
      int32_t *c = g.c + m * g.ldc + n;
      _tile_loadd(0, c, strideC);
      _tile_loadd(1, c + 16, strideC);
      _tile_loadd(2, c + 16 * g.ldc, strideC);
      _tile_loadd(3, c + 16 * g.ldc + 16, strideC);
      const uint8_t *a = g.a + m * g.lda;
      for (int64_t k = 0; k < k64; k += 64) {
        _tile_loadd(4, a + k, g.lda);
        _tile_loadd(5, a + 16 * g.lda + k, g.lda);
        _tile_loadd(6, b0 + k * 16, 64);
        _tile_loadd(7, b1 + k * 16, 64);
        _tile_dpbusd(0, 4, 6);
        _tile_dpbusd(1, 4, 7);
        _tile_dpbusd(2, 5, 6);
        _tile_dpbusd(3, 5, 7);
      }
      _tile_stored(0, c, strideC);
      _tile_stored(1, c + 16, strideC);
      _tile_stored(2, c + 16 * g.ldc, strideC);
      _tile_stored(3, c + 16 * g.ldc + 16, strideC);
    }
  }
  _tile_release();
}
} // namespace

void gemmAmx(const GemmArgs &g) {
  int64_t m32 = g.m / 32 * 32, n32 = g.n / 32 * 32, k64 = g.k / 64 * 64;
  if (m32 == 0 || n32 == 0 || k64 == 0)
    return gemmAvx512Vnni(g);
  amxBlocks(g, m32, n32, k64);
  if (k64 < g.k)
    gemmAvx512VnniBlock(g, 0, m32, 0, n32, k64, g.k);
  if (n32 < g.n)
    gemmAvx512VnniBlock(g, 0, m32, n32, g.n, 0, g.k);
  if (m32 < g.m)
    gemmAvx512VnniBlock(g, m32, g.m, 0, g.n, 0, g.k);
}

} // namespace qnn::runtime

#else // not x86-64: only the portable kernel exists.

namespace qnn::runtime {
bool cpuHasAvx512Vnni() { return false; }
bool cpuHasAvx2() {
  unsigned ebx, ecx, edx;
  if (!osSupportsXsave() || !leaf7(ebx, ecx, edx))
    return false;
  return (ebx & (1u << 5)) && (xcr0() & 0x6) == 0x6;
}

bool cpuHasAmxInt8() { return false; }
bool enableAmx() { return false; }
void gemmAvx512Vnni(const GemmArgs &g) { gemmPortable(g); }
void gemmAvx512VnniBlock(const GemmArgs &, int64_t, int64_t, int64_t, int64_t,
                         int64_t, int64_t) {}
void gemmAmx(const GemmArgs &g) { gemmPortable(g); }
bool cpuHasAvx2() { return false; }
void gemmAvx2(const GemmArgs &g) { gemmPortable(g); }
void gemmSat16Avx2(const GemmArgs &g) { gemmSat16Portable(g); }
} // namespace qnn::runtime

#endif
