//===- NeonDot.cpp - AArch64 int8 GEMM kernel with sdot -------------------===//
//
// Armv8.2's dot product multiplies signed by signed (udot: unsigned by
// unsigned); the GEMM's A is unsigned. A byte a is a' + 128 with
// a' = a ^ 0x80 signed, so sum_k a * b = sum_k a' * b + 128 * sum_k b: sdot
// on a' and the packed weight, plus 128 times each column's sum (itself a
// sdot with ones). Wrapping int32 arithmetic, like every other kernel, so
// the result equals theirs bit for bit.
//
// A tile is 4 rows x 16 columns of C in 16 registers; each step reads 16 k
// of a row (one register) and the packed weight's 4 k-blocks of 16 columns
// (vdotq_laneq_s32 picks the row's k-block).
//
// Compiled with -march=armv8.2-a+dotprod (runtime/CMakeLists.txt); only
// called after cpuHasNeonDot().
//
//===----------------------------------------------------------------------===//

#include "../../Kernels.h"
#include "qnn/Runtime/Gemm.h"

#include <arm_neon.h>

#include <algorithm>

namespace {

using qnn::runtime::GemmArgs;
using qnn::runtime::loadA4;

/// Four bytes of A as signed (a ^ 0x80), zero-padded past `kEnd` (the
/// weight is zero there).
inline int32_t loadSigned4(const uint8_t *row, int64_t k, int64_t kEnd) {
  return loadA4(row, k, kEnd) ^ static_cast<int32_t>(0x80808080u);
}

template <int Rows>
void tile(const GemmArgs &g, int64_t m, int64_t n, int64_t kBlocks,
          const int32x4_t colSums[4]) {
  const int8_t *b = g.b + (n / QNN_PACK_N) * kBlocks * 64;
  int64_t cols = std::min<int64_t>(16, g.n - n);
  int32x4_t acc[Rows][4];
  for (int r = 0; r < Rows; ++r) {
    int32_t *c = g.c + (m + r) * g.ldc + n;
    int32_t row[16] = {};
    std::copy(c, c + cols, row);
    for (int j = 0; j < 4; ++j)
      acc[r][j] = vaddq_s32(vld1q_s32(row + 4 * j), colSums[j]);
  }
  const int8x16_t flip = vdupq_n_s8(static_cast<int8_t>(0x80));
  int64_t k = 0, kFull = g.k / 16 * 16;
  for (; k < kFull; k += 16, b += 4 * 64) {
    int8x16_t a[Rows];
    for (int r = 0; r < Rows; ++r)
      a[r] = veorq_s8(vreinterpretq_s8_u8(vld1q_u8(g.a + (m + r) * g.lda + k)),
                      flip);
#define QNN_STEP(LANE)                                                         \
  {                                                                            \
    int8x16_t w0 = vld1q_s8(b + LANE * 64), w1 = vld1q_s8(b + LANE * 64 + 16), \
              w2 = vld1q_s8(b + LANE * 64 + 32),                               \
              w3 = vld1q_s8(b + LANE * 64 + 48);                               \
    for (int r = 0; r < Rows; ++r) {                                           \
      acc[r][0] = vdotq_laneq_s32(acc[r][0], w0, a[r], LANE);                  \
      acc[r][1] = vdotq_laneq_s32(acc[r][1], w1, a[r], LANE);                  \
      acc[r][2] = vdotq_laneq_s32(acc[r][2], w2, a[r], LANE);                  \
      acc[r][3] = vdotq_laneq_s32(acc[r][3], w3, a[r], LANE);                  \
    }                                                                          \
  }
    QNN_STEP(0)
    QNN_STEP(1)
    QNN_STEP(2)
    QNN_STEP(3)
#undef QNN_STEP
  }
  // The last k, 4 at a time (zero-padded).
  for (; k < g.k; k += 4, b += 64) {
    int8x16_t w[4];
    for (int j = 0; j < 4; ++j)
      w[j] = vld1q_s8(b + 16 * j);
    for (int r = 0; r < Rows; ++r) {
      int8x16_t a = vreinterpretq_s8_s32(
          vdupq_n_s32(loadSigned4(g.a + (m + r) * g.lda, k, g.k)));
      for (int j = 0; j < 4; ++j)
        acc[r][j] = vdotq_s32(acc[r][j], w[j], a);
    }
  }
  for (int r = 0; r < Rows; ++r) {
    int32_t row[16];
    for (int j = 0; j < 4; ++j)
      vst1q_s32(row + 4 * j, acc[r][j]);
    std::copy(row, row + cols, g.c + (m + r) * g.ldc + n);
  }
}

} // namespace

void qnn::runtime::gemmNeonDot(const GemmArgs &g) {
  int64_t kBlocks = (g.k + QNN_PACK_K - 1) / QNN_PACK_K;
  const int8x16_t ones = vdupq_n_s8(1);
  for (int64_t n = 0; n < g.n; n += 16) {
    // 128 x the sums over k of these 16 columns of the weight.
    const int8_t *b = g.b + (n / QNN_PACK_N) * kBlocks * 64;
    int32x4_t colSums[4];
    for (int j = 0; j < 4; ++j) {
      int32x4_t sum = vdupq_n_s32(0);
      for (int64_t kb = 0; kb < kBlocks; ++kb)
        sum = vdotq_s32(sum, vld1q_s8(b + kb * 64 + 16 * j), ones);
      colSums[j] = vshlq_n_s32(sum, 7);
    }
    int64_t m = 0;
    for (; m + 4 <= g.m; m += 4)
      tile<4>(g, m, n, kBlocks, colSums);
    switch (g.m - m) {
    case 3:
      tile<3>(g, m, n, kBlocks, colSums);
      break;
    case 2:
      tile<2>(g, m, n, kBlocks, colSums);
      break;
    case 1:
      tile<1>(g, m, n, kBlocks, colSums);
      break;
    }
  }
}
