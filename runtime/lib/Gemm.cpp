//===- Gemm.cpp - int8 GEMM: packing, kernel selection, thread split ------===//

#include "qnn/Runtime/Gemm.h"
#include "Kernels.h"
#include "Parallel.h"
#include "qnn/Runtime/Threads.h"

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

namespace {

Isa detect() {
  Isa best = Isa::Portable;
#if defined(__x86_64__)
  if (cpuHasAvx2())
    best = Isa::Avx2;
  if (cpuHasAvx512Vnni())
    best = Isa::Avx512Vnni;
  if (best == Isa::Avx512Vnni && cpuHasAmxInt8() && enableAmx())
    best = Isa::Amx;
#elif defined(__aarch64__)
  if (cpuHasNeonDot())
    best = Isa::NeonDot;
#endif
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
  case Isa::NeonDot:
    return "neondot";
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

namespace {

/// GEMMs of fewer multiply-adds run on the calling thread: waking a worker
/// costs about as much as the work.
constexpr int64_t kMinParallelMacs = int64_t(1) << 20;

/// Runs `kernel` on `g` split into one panel of C per thread: row panels of
/// whole 8-row tiles, or column panels of whole 32-column blocks (the widest
/// column step of the kernels; a multiple of the packing's 16, so a panel's
/// packed B starts at a block), whichever has more tiles to share. Each C
/// element is computed by the same instructions as unsplit.
void runSplit(const GemmArgs &g, void (*kernel)(const GemmArgs &)) {
  int threads = qnn_get_num_threads();
  if (threads <= 1 || g.m * g.n * g.k < kMinParallelMacs)
    return kernel(g);
  constexpr int64_t rowTile = 8, colTile = 32;
  int64_t rowTiles = (g.m + rowTile - 1) / rowTile;
  int64_t colTiles = (g.n + colTile - 1) / colTile;
  bool byRows = rowTiles >= colTiles;
  int64_t tiles = byRows ? rowTiles : colTiles;
  int64_t tasks = std::min<int64_t>(threads, tiles);
  if (tasks <= 1)
    return kernel(g);
  int64_t kBlocks = (g.k + QNN_PACK_K - 1) / QNN_PACK_K;
  parallelFor(tasks, [&](int64_t task) {
    int64_t first = tiles * task / tasks, last = tiles * (task + 1) / tasks;
    GemmArgs panel = g;
    if (byRows) {
      int64_t m0 = first * rowTile, m1 = std::min(g.m, last * rowTile);
      panel.m = m1 - m0;
      panel.a += m0 * g.lda;
      panel.c += m0 * g.ldc;
    } else {
      int64_t n0 = first * colTile, n1 = std::min(g.n, last * colTile);
      panel.n = n1 - n0;
      panel.b += (n0 / QNN_PACK_N) * kBlocks * QNN_PACK_N * QNN_PACK_K;
      panel.c += n0;
    }
    kernel(panel);
  });
}

} // namespace

void qnn_gemm_u8s8s32(int64_t m, int64_t n, int64_t k, const uint8_t *a,
                      int64_t lda, const int8_t *packed_b, int32_t *c,
                      int64_t ldc) {
  GemmArgs g{m, n, k, a, lda, packed_b, c, ldc};
  if (m <= 0 || n <= 0 || k <= 0)
    return;
  switch (selectedIsa()) {
#if defined(__x86_64__)
  case Isa::Amx:
    return runSplit(g, gemmAmx);
  case Isa::Avx512Vnni:
    return runSplit(g, gemmAvx512Vnni);
  case Isa::Avx2:
    return runSplit(g, gemmAvx2);
#elif defined(__aarch64__)
  case Isa::NeonDot:
    return runSplit(g, gemmNeonDot);
#endif
  default:
    return runSplit(g, gemmPortable);
  }
}

void qnn_gemm_u8s8s32_sat16(int64_t m, int64_t n, int64_t k, const uint8_t *a,
                            int64_t lda, const int8_t *packed_b, int32_t *c,
                            int64_t ldc) {
  GemmArgs g{m, n, k, a, lda, packed_b, c, ldc};
  if (m <= 0 || n <= 0 || k <= 0)
    return;
#if defined(__x86_64__)
  // Every x86 CPU with VNNI or AMX also has AVX2.
  if (selectedIsa() != Isa::Portable)
    return runSplit(g, gemmSat16Avx2);
#endif
  // onednn's saturating arithmetic is an x86 one: elsewhere (an x86 model
  // run on another CPU) the portable kernel computes it.
  runSplit(g, gemmSat16Portable);
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
