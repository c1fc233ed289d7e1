//===- GemmReference.h - the GEMM's definition, for its tests ---*- C++ -*-===//
//
// Shared by unittests/Runtime/GemmTest.cpp and runtime/test/GemmCheck.cpp
// (the same checks without GoogleTest, for a cross-compiled runtime).
//
//===----------------------------------------------------------------------===//

#ifndef QNN_RUNTIME_TEST_GEMMREFERENCE_H
#define QNN_RUNTIME_TEST_GEMMREFERENCE_H

#include <algorithm>
#include <cstdint>
#include <vector>

namespace qnn::runtime::test {

/// c + a * b^T in int32, for a M x K (unsigned) and b N x K (signed), by
/// the triple loop; with `saturatingPairs`, the products of k = 2j, 2j + 1
/// are first summed into a saturated int16 (onednn without VNNI).
inline std::vector<int32_t> referenceGemm(int64_t m, int64_t n, int64_t k,
                                          const std::vector<uint8_t> &a,
                                          const std::vector<int8_t> &b,
                                          std::vector<int32_t> c,
                                          bool saturatingPairs) {
  for (int64_t i = 0; i < m; ++i)
    for (int64_t j = 0; j < n; ++j)
      for (int64_t p = 0; p < k; p += 2) {
        int32_t pair = static_cast<int32_t>(a[i * k + p]) * b[j * k + p];
        if (p + 1 < k)
          pair += static_cast<int32_t>(a[i * k + p + 1]) * b[j * k + p + 1];
        c[i * n + j] +=
            saturatingPairs ? std::clamp(pair, -32768, 32767) : pair;
      }
  return c;
}

} // namespace qnn::runtime::test

#endif // QNN_RUNTIME_TEST_GEMMREFERENCE_H
