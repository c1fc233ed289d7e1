//===- Amx.cpp - AMX int8 GEMM kernel
//---------------------------------------===//
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
