//===- Portable.cpp - the int8 GEMM in plain C++, any CPU -----------------===//
//
// The fallback of every ISA and the definition the others are tested
// against (unittests/Runtime/GemmTest.cpp).
//
//===----------------------------------------------------------------------===//

#include "../Kernels.h"
#include "qnn/Runtime/Gemm.h"

#include <algorithm>

using namespace qnn::runtime;

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
