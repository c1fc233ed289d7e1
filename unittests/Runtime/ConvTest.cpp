//===- ConvTest.cpp - the 3x3 conv kernel against its definition ----------===//
//
// Every ISA (QNN_ISA: AVX-512 VNNI reads the patches in place, the others
// through a per-row buffer), channel counts around the GEMM's tiles, widths
// around its 8-row tiles, batches, threads, accumulation into the output.
//
//===----------------------------------------------------------------------===//

#include "qnn/Runtime/Conv.h"
#include "qnn/Runtime/Gemm.h"
#include "qnn/Runtime/Threads.h"

#include "gtest/gtest.h"

#include <random>
#include <vector>

namespace {

struct Case {
  int64_t batch, height, width, in, out;
  int threads;
};

class ConvTest : public ::testing::TestWithParam<Case> {};

TEST_P(ConvTest, MatchesDefinition) {
  Case t = GetParam();
  int64_t oh = t.height - 2, ow = t.width - 2, k = 9 * t.in;
  std::mt19937 rng(static_cast<unsigned>(t.in * 7 + t.out * 3 + t.width));
  std::uniform_int_distribution<int> u8(0, 255), s8(-128, 127);
  std::vector<uint8_t> x(t.batch * t.height * t.width * t.in);
  std::vector<int8_t> w(t.out * k); // [o][kh][kw][c]
  std::vector<int32_t> out(t.batch * oh * ow * t.out);
  for (auto &v : x)
    v = static_cast<uint8_t>(u8(rng));
  for (auto &v : w)
    v = static_cast<int8_t>(s8(rng));
  for (auto &v : out)
    v = s8(rng) * 100;
  std::vector<int32_t> expected = out;
  for (int64_t n = 0; n < t.batch; ++n)
    for (int64_t i = 0; i < oh; ++i)
      for (int64_t j = 0; j < ow; ++j)
        for (int64_t o = 0; o < t.out; ++o) {
          int32_t sum = 0;
          for (int64_t kh = 0; kh < 3; ++kh)
            for (int64_t kw = 0; kw < 3; ++kw)
              for (int64_t c = 0; c < t.in; ++c)
                sum +=
                    static_cast<int32_t>(
                        x[((n * t.height + i + kh) * t.width + j + kw) * t.in +
                          c]) *
                    w[o * k + (kh * 3 + kw) * t.in + c];
          expected[((n * oh + i) * ow + j) * t.out + o] += sum;
        }
  std::vector<int8_t> packed(((t.out + 15) / 16) * ((k + 3) / 4) * 64);
  qnn_pack_b_s8(t.out, k, w.data(), k, packed.data());
  qnn_memref4d_u8 xd{x.data(),
                     x.data(),
                     0,
                     {t.batch, t.height, t.width, t.in},
                     {t.height * t.width * t.in, t.width * t.in, t.in, 1}};
  qnn_memref4d_s8 wd{packed.data(),
                     packed.data(),
                     0,
                     {(t.out + 15) / 16, (k + 3) / 4, 16, 4},
                     {((k + 3) / 4) * 64, 64, 4, 1}};
  qnn_memref4d_s32 od{out.data(),
                      out.data(),
                      0,
                      {t.batch, oh, ow, t.out},
                      {oh * ow * t.out, ow * t.out, t.out, 1}};
  int saved = qnn_get_num_threads();
  qnn_set_num_threads(t.threads);
  _mlir_ciface_qnn_conv2d_3x3s1_u8s8s32(&xd, &wd, &od);
  qnn_set_num_threads(saved);
  EXPECT_EQ(out, expected) << "isa " << qnn_gemm_isa();
}

INSTANTIATE_TEST_SUITE_P(
    Shapes, ConvTest,
    ::testing::Values(Case{1, 3, 3, 4, 1, 1}, Case{1, 10, 12, 8, 16, 1},
                      Case{2, 9, 19, 12, 33, 2}, Case{1, 16, 16, 64, 64, 2},
                      Case{1, 7, 11, 4, 100, 3}, Case{1, 18, 18, 32, 48, 1},
                      Case{1, 5, 58, 16, 8, 2}));

/// Channels that are not a multiple of 4 (the strategy never calls it
/// then) take the definition's loop, and still agree.
TEST(Conv, OddChannels) {
  int64_t h = 5, wd = 6, c = 3, o = 5, k = 27, oh = 3, ow = 4;
  std::vector<uint8_t> x(h * wd * c);
  std::vector<int8_t> w(o * k);
  for (size_t i = 0; i < x.size(); ++i)
    x[i] = static_cast<uint8_t>(i * 29 + 1);
  for (size_t i = 0; i < w.size(); ++i)
    w[i] = static_cast<int8_t>(i * 41 - 60);
  std::vector<int32_t> out(oh * ow * o, 0), expected(oh * ow * o, 0);
  for (int64_t i = 0; i < oh; ++i)
    for (int64_t j = 0; j < ow; ++j)
      for (int64_t oc = 0; oc < o; ++oc)
        for (int64_t kh = 0; kh < 3; ++kh)
          for (int64_t kw = 0; kw < 3; ++kw)
            for (int64_t ch = 0; ch < c; ++ch)
              expected[(i * ow + j) * o + oc] +=
                  static_cast<int32_t>(x[((i + kh) * wd + j + kw) * c + ch]) *
                  w[oc * k + (kh * 3 + kw) * c + ch];
  std::vector<int8_t> packed(1 * 7 * 64);
  qnn_pack_b_s8(o, k, w.data(), k, packed.data());
  qnn_memref4d_u8 xd{
      x.data(), x.data(), 0, {1, h, wd, c}, {h * wd * c, wd * c, c, 1}};
  qnn_memref4d_s8 wdsc{
      packed.data(), packed.data(), 0, {1, 7, 16, 4}, {7 * 64, 64, 4, 1}};
  qnn_memref4d_s32 od{
      out.data(), out.data(), 0, {1, oh, ow, o}, {oh * ow * o, ow * o, o, 1}};
  _mlir_ciface_qnn_conv2d_3x3s1_u8s8s32(&xd, &wdsc, &od);
  EXPECT_EQ(out, expected);
}

} // namespace
