//===- GemmCheck.cpp - the runtime's GEMM against the triple loop ---------===//
//
// unittests/Runtime/GemmTest.cpp without GoogleTest, for a runtime
// cross-compiled to a CPU the build machine is not (scripts/test-aarch64.sh
// runs it under qemu): every kernel the CPU has, both arithmetics, several
// thread counts, shapes with every tail. Prints each failure; exits 1 if
// any.
//
//===----------------------------------------------------------------------===//

#include "qnn/Runtime/Gemm.h"
#include "qnn/Runtime/Threads.h"

#include "GemmReference.h"

#include <algorithm>
#include <cstdio>
#include <random>
#include <vector>

namespace {

int check(int threads, int64_t m, int64_t n, int64_t k, bool saturating) {
  std::mt19937 rng(static_cast<unsigned>(m * 131 + n * 17 + k * 3 + threads));
  std::uniform_int_distribution<int> u8(0, 255), s8(-128, 127);
  std::vector<uint8_t> a(m * k);
  std::vector<int8_t> b(n * k);
  std::vector<int32_t> c(m * n);
  for (auto &v : a)
    v = static_cast<uint8_t>(u8(rng));
  for (auto &v : b)
    v = static_cast<int8_t>(s8(rng));
  for (auto &v : c)
    v = s8(rng) * 1000;
  std::vector<int32_t> expected =
      qnn::runtime::test::referenceGemm(m, n, k, a, b, c, saturating);
  std::vector<int8_t> packed(((n + 15) / 16) * ((k + 3) / 4) * 64);
  qnn_pack_b_s8(n, k, b.data(), k, packed.data());
  qnn_set_num_threads(threads);
  (saturating ? qnn_gemm_u8s8s32_sat16 : qnn_gemm_u8s8s32)(
      m, n, k, a.data(), k, packed.data(), c.data(), n);
  if (c == expected)
    return 0;
  std::printf("FAIL: %s M=%lld N=%lld K=%lld, %d threads (kernel %s)\n",
              saturating ? "sat16" : "exact", (long long)m, (long long)n,
              (long long)k, threads, qnn_gemm_isa());
  return 1;
}

} // namespace

int main() {
  const int64_t shapes[][3] = {{1, 1, 1},      {1, 16, 64},     {3, 5, 7},
                               {13, 17, 30},   {32, 32, 64},    {33, 33, 65},
                               {64, 96, 1024}, {47, 64, 576},   {31, 31, 63},
                               {100, 40, 200}, {1, 1024, 1024}, {67, 100, 300},
                               {5, 530, 257},  {300, 33, 160}};
  int failures = 0, checks = 0;
  for (int threads : {1, 2, 3})
    for (const auto &s : shapes)
      for (bool saturating : {false, true}) {
        failures += check(threads, s[0], s[1], s[2], saturating);
        ++checks;
      }
  std::printf("%d of %d GEMM checks passed (kernel %s)\n", checks - failures,
              checks, qnn_gemm_isa());
  return failures ? 1 : 0;
}
