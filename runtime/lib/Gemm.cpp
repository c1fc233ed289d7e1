//===- Gemm.cpp - int8 GEMM: packing, dispatch, portable kernel -----------===//

#include "qnn/Runtime/Gemm.h"
#include "Kernels.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>

using namespace qnn::runtime;

void qnn_pack_b_s8(int64_t n, int64_t k, const int8_t *b, int64_t ldb,
                   int8_t *packed) {
  int64_t nb = (n + QNN_PACK_N - 1) / QNN_PACK_N;
  int64_t kb = (k + QNN_PACK_K - 1) / QNN_PACK_K;
  for (int64_t i = 0; i < nb; ++i)
    for (int64_t j = 0; j < kb; ++j)
      for (int64_t c = 0; c < QNN_PACK_N; ++c)
        for (int64_t t = 0; t < QNN_PACK_K; ++t) {
          int64_t row = i * QNN_PACK_N + c, col = j * QNN_PACK_K + t;
          *packed++ = (row < n && col < k) ? b[row * ldb + col] : 0;
        }
}

/// The portable kernel of both arithmetics: products of k = 2j, 2j + 1 are
/// summed in pairs, saturated to int16 for onednn-without-VNNI, then
/// accumulated in wrapping int32.
static void gemmPortablePairs(const GemmArgs &g, bool saturatePairs) {
  int64_t kb = (g.k + QNN_PACK_K - 1) / QNN_PACK_K;
  for (int64_t i = 0; i < g.m; ++i) {
    const uint8_t *a = g.a + i * g.lda;
    for (int64_t j = 0; j < g.n; ++j) {
      const int8_t *b = g.b + (j / QNN_PACK_N) * kb * 64 + (j % QNN_PACK_N) * 4;
      auto product = [&](int64_t p) {
        return static_cast<int32_t>(a[p]) * b[(p / 4) * 64 + p % 4];
      };
      uint32_t sum = 0;
      for (int64_t p = 0; p < g.k; p += 2) {
        int32_t pair = product(p) + (p + 1 < g.k ? product(p + 1) : 0);
        if (saturatePairs)
          pair = std::clamp(pair, -32768, 32767);
        sum += static_cast<uint32_t>(pair);
      }
      int32_t *c = g.c + i * g.ldc + j;
      *c = static_cast<int32_t>(static_cast<uint32_t>(*c) + sum);
    }
  }
}

void qnn::runtime::gemmPortable(const GemmArgs &g) {
  gemmPortablePairs(g, /*saturatePairs=*/false);
}

void qnn::runtime::gemmSat16Portable(const GemmArgs &g) {
  gemmPortablePairs(g, /*saturatePairs=*/true);
}

namespace {

Isa detect() {
  Isa best = Isa::Portable;
  if (cpuHasAvx2())
    best = Isa::Avx2;
  if (cpuHasAvx512Vnni())
    best = Isa::Avx512Vnni;
  if (best == Isa::Avx512Vnni && cpuHasAmxInt8() && enableAmx())
    best = Isa::Amx;
  if (const char *cap = std::getenv("QNN_ISA")) {
    if (!std::strcmp(cap, "portable"))
      best = Isa::Portable;
    else if (!std::strcmp(cap, "avx2") && best > Isa::Avx2)
      best = Isa::Avx2;
    else if (!std::strcmp(cap, "avx512vnni") && best == Isa::Amx)
      best = Isa::Avx512Vnni;
  }
  return best;
}

} // namespace

Isa qnn::runtime::selectedIsa() {
  static const Isa chosen = detect();
  return chosen;
}

const char *qnn_gemm_isa(void) {
  switch (selectedIsa()) {
  case Isa::Amx:
    return "amx";
  case Isa::Avx512Vnni:
    return "avx512vnni";
  case Isa::Avx2:
    return "avx2";
  case Isa::Portable:
    break;
  }
  return "portable";
}

void qnn_gemm_u8s8s32(int64_t m, int64_t n, int64_t k, const uint8_t *a,
                      int64_t lda, const int8_t *packed_b, int32_t *c,
                      int64_t ldc) {
  GemmArgs g{m, n, k, a, lda, packed_b, c, ldc};
  if (m <= 0 || n <= 0 || k <= 0)
    return;
  switch (selectedIsa()) {
  case Isa::Amx:
    return gemmAmx(g);
  case Isa::Avx512Vnni:
    return gemmAvx512Vnni(g);
  case Isa::Avx2:
    return gemmAvx2(g);
  case Isa::Portable:
    return gemmPortable(g);
  }
}

void qnn_gemm_u8s8s32_sat16(int64_t m, int64_t n, int64_t k, const uint8_t *a,
                            int64_t lda, const int8_t *packed_b, int32_t *c,
                            int64_t ldc) {
  GemmArgs g{m, n, k, a, lda, packed_b, c, ldc};
  if (m <= 0 || n <= 0 || k <= 0)
    return;
  // Every x86 CPU with VNNI or AMX also has AVX2.
  if (selectedIsa() != Isa::Portable)
    return gemmSat16Avx2(g);
  return gemmSat16Portable(g);
}

void _mlir_ciface_qnn_gemm_u8s8s32_sat16(struct qnn_memref2d_u8 *a,
                                         struct qnn_memref4d_s8 *b,
                                         struct qnn_memref2d_s32 *c) {
  qnn_gemm_u8s8s32_sat16(c->sizes[0], c->sizes[1], a->sizes[1],
                         a->aligned + a->offset, a->strides[0],
                         b->aligned + b->offset, c->aligned + c->offset,
                         c->strides[0]);
}

void _mlir_ciface_qnn_gemm_u8s8s32(struct qnn_memref2d_u8 *a,
                                   struct qnn_memref4d_s8 *b,
                                   struct qnn_memref2d_s32 *c) {
  qnn_gemm_u8s8s32(c->sizes[0], c->sizes[1], a->sizes[1],
                   a->aligned + a->offset, a->strides[0],
                   b->aligned + b->offset, c->aligned + c->offset,
                   c->strides[0]);
}
