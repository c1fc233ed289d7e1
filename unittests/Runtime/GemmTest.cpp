//===- GemmTest.cpp - the runtime's GEMM kernels agree exactly ------------===//
//
// Every kernel the CPU supports must give the same int32 results as the
// plain triple loop, on shapes that exercise every edge (M, N, K tails, the
// AMX block sizes, K not a multiple of 4).
//
//===----------------------------------------------------------------------===//

#include "qnn/Runtime/Gemm.h"
#include "qnn/Runtime/Threads.h"

#include "../../runtime/test/GemmReference.h"

#include "gtest/gtest.h"

#include <algorithm>
#include <cstdlib>
#include <random>
#include <string>
#include <tuple>
#include <vector>

namespace {

using qnn::runtime::test::referenceGemm;

std::vector<int32_t> reference(int64_t m, int64_t n, int64_t k,
                               const std::vector<uint8_t> &a,
                               const std::vector<int8_t> &b,
                               const std::vector<int32_t> &c0) {
  return referenceGemm(m, n, k, a, b, c0, /*saturatingPairs=*/false);
}

/// PyTorch's onednn without VNNI: pairs k = 2j, 2j + 1 summed into a
/// saturated int16.
std::vector<int32_t> referenceSat16(int64_t m, int64_t n, int64_t k,
                                    const std::vector<uint8_t> &a,
                                    const std::vector<int8_t> &b,
                                    const std::vector<int32_t> &c0) {
  return referenceGemm(m, n, k, a, b, c0, /*saturatingPairs=*/true);
}

class GemmTest
    : public ::testing::TestWithParam<std::tuple<int64_t, int64_t, int64_t>> {};

TEST_P(GemmTest, MatchesReference) {
  auto [m, n, k] = GetParam();
  std::mt19937 rng(static_cast<unsigned>(m * 10007 + n * 101 + k));
  std::uniform_int_distribution<int> u8(0, 255), s8(-128, 127);
  std::vector<uint8_t> a(m * k);
  std::vector<int8_t> b(n * k);
  std::vector<int32_t> c(m * n);
  for (auto &v : a)
    v = static_cast<uint8_t>(u8(rng));
  for (auto &v : b)
    v = static_cast<int8_t>(s8(rng));
  for (auto &v : c)
    v = s8(rng) * 1000; // C is accumulated into, not overwritten
  std::vector<int8_t> packed(((n + 15) / 16) * ((k + 3) / 4) * 64);
  qnn_pack_b_s8(n, k, b.data(), k, packed.data());
  std::vector<int32_t> expected = reference(m, n, k, a, b, c);
  qnn_gemm_u8s8s32(m, n, k, a.data(), k, packed.data(), c.data(), n);
  EXPECT_EQ(c, expected) << "isa " << qnn_gemm_isa();
}

INSTANTIATE_TEST_SUITE_P(
    Shapes, GemmTest,
    ::testing::Values(std::make_tuple(1, 1, 1), std::make_tuple(1, 16, 64),
                      std::make_tuple(3, 5, 7), std::make_tuple(13, 17, 30),
                      std::make_tuple(32, 32, 64), std::make_tuple(33, 33, 65),
                      std::make_tuple(64, 96, 1024),
                      std::make_tuple(47, 64, 576), std::make_tuple(31, 31, 63),
                      std::make_tuple(100, 40, 200),
                      std::make_tuple(1, 1024, 1024)));

TEST_P(GemmTest, Sat16MatchesReference) {
  auto [m, n, k] = GetParam();
  std::mt19937 rng(static_cast<unsigned>(m * 7 + n * 11 + k * 13));
  // Full ranges: many pairs saturate.
  std::uniform_int_distribution<int> u8(0, 255), s8(-128, 127);
  std::vector<uint8_t> a(m * k);
  std::vector<int8_t> b(n * k);
  std::vector<int32_t> c(m * n, 0);
  for (auto &v : a)
    v = static_cast<uint8_t>(u8(rng));
  for (auto &v : b)
    v = static_cast<int8_t>(s8(rng));
  std::vector<int8_t> packed(((n + 15) / 16) * ((k + 3) / 4) * 64);
  qnn_pack_b_s8(n, k, b.data(), k, packed.data());
  std::vector<int32_t> expected = referenceSat16(m, n, k, a, b, c);
  qnn_gemm_u8s8s32_sat16(m, n, k, a.data(), k, packed.data(), c.data(), n);
  EXPECT_EQ(c, expected);
}

/// Split over threads (row or column panels, with tails), both arithmetics
/// stay equal to the references at every thread count.
using Shape = std::tuple<int64_t, int64_t, int64_t>;
class GemmThreadsTest
    : public ::testing::TestWithParam<std::tuple<int, Shape>> {};

TEST_P(GemmThreadsTest, MatchesReference) {
  auto [threads, shape] = GetParam();
  auto [m, n, k] = shape;
  std::mt19937 rng(static_cast<unsigned>(threads + m * 3 + n * 5 + k * 7));
  std::uniform_int_distribution<int> u8(0, 255), s8(-128, 127);
  std::vector<uint8_t> a(m * k);
  std::vector<int8_t> b(n * k);
  std::vector<int32_t> c0(m * n);
  for (auto &v : a)
    v = static_cast<uint8_t>(u8(rng));
  for (auto &v : b)
    v = static_cast<int8_t>(s8(rng));
  for (auto &v : c0)
    v = s8(rng) * 1000;
  std::vector<int8_t> packed(((n + 15) / 16) * ((k + 3) / 4) * 64);
  qnn_pack_b_s8(n, k, b.data(), k, packed.data());
  int saved = qnn_get_num_threads();
  qnn_set_num_threads(threads);
  ASSERT_EQ(qnn_get_num_threads(), threads);
  std::vector<int32_t> c = c0, sat = c0;
  qnn_gemm_u8s8s32(m, n, k, a.data(), k, packed.data(), c.data(), n);
  qnn_gemm_u8s8s32_sat16(m, n, k, a.data(), k, packed.data(), sat.data(), n);
  qnn_set_num_threads(saved);
  EXPECT_EQ(c, reference(m, n, k, a, b, c0)) << "isa " << qnn_gemm_isa();
  EXPECT_EQ(sat, referenceSat16(m, n, k, a, b, c0));
}

std::string
threadsTestName(const ::testing::TestParamInfo<std::tuple<int, Shape>> &info) {
  int threads = std::get<0>(info.param);
  const Shape &shape = std::get<1>(info.param);
  return std::to_string(threads) + "threads_" +
         std::to_string(std::get<0>(shape)) + "x" +
         std::to_string(std::get<1>(shape)) + "x" +
         std::to_string(std::get<2>(shape));
}

INSTANTIATE_TEST_SUITE_P(
    Shapes, GemmThreadsTest,
    ::testing::Combine(::testing::Values(1, 2, 3, 7),
                       ::testing::Values(Shape(67, 100, 300),
                                         Shape(1, 1000, 1100),
                                         Shape(300, 33, 160),
                                         Shape(9, 530, 257),
                                         Shape(17, 64, 1024))),
    threadsTestName);

TEST(GemmIsa, ReportsOne) {
  std::string isa = qnn_gemm_isa();
  EXPECT_TRUE(isa == "amx" || isa == "avx512vnni" || isa == "avx2" ||
              isa == "portable");
}

} // namespace
