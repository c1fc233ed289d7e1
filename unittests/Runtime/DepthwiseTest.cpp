//===- DepthwiseTest.cpp - the depthwise kernel against its definition ----===//
//
// Every ISA variant (QNN_ISA), both strides, kernel sizes, channel counts
// around the 32-channel blocks, padded (strided) views, accumulation into
// the output, several thread counts: equal to the plain loop nest.
//
//===----------------------------------------------------------------------===//

#include "qnn/Runtime/Depthwise.h"
#include "qnn/Runtime/Threads.h"

#include "gtest/gtest.h"

#include <random>
#include <tuple>
#include <vector>

namespace {

struct Case {
  int64_t batch, height, width, channels, kernel, stride;
  int threads;
};

class DepthwiseTest : public ::testing::TestWithParam<Case> {};

TEST_P(DepthwiseTest, MatchesDefinition) {
  Case t = GetParam();
  int64_t outH = (t.height - t.kernel) / t.stride + 1;
  int64_t outW = (t.width - t.kernel) / t.stride + 1;
  // The input is a view of a wider buffer: a row stride larger than its
  // width times channels.
  int64_t rowStride = (t.width + 3) * t.channels;
  std::mt19937 rng(static_cast<unsigned>(t.channels * 31 + t.kernel +
                                         t.stride * 7 + t.threads));
  std::uniform_int_distribution<int> u8(0, 255), s8(-128, 127);
  std::vector<uint8_t> x(t.batch * t.height * rowStride);
  std::vector<int8_t> w(t.kernel * t.kernel * t.channels);
  std::vector<int32_t> out(t.batch * outH * outW * t.channels);
  for (auto &v : x)
    v = static_cast<uint8_t>(u8(rng));
  for (auto &v : w)
    v = static_cast<int8_t>(s8(rng));
  for (auto &v : out)
    v = s8(rng) * 1000;
  std::vector<int32_t> expected = out;
  for (int64_t n = 0; n < t.batch; ++n)
    for (int64_t oh = 0; oh < outH; ++oh)
      for (int64_t ow = 0; ow < outW; ++ow)
        for (int64_t c = 0; c < t.channels; ++c) {
          int32_t sum = 0;
          for (int64_t kh = 0; kh < t.kernel; ++kh)
            for (int64_t kw = 0; kw < t.kernel; ++kw)
              sum += static_cast<int32_t>(
                         x[(n * t.height + oh * t.stride + kh) * rowStride +
                           (ow * t.stride + kw) * t.channels + c]) *
                     w[(kh * t.kernel + kw) * t.channels + c];
          expected[((n * outH + oh) * outW + ow) * t.channels + c] += sum;
        }
  qnn_memref4d_u8 xd{x.data(),
                     x.data(),
                     0,
                     {t.batch, t.height, t.width, t.channels},
                     {t.height * rowStride, rowStride, t.channels, 1}};
  qnn_memref3d_s8 wd{w.data(),
                     w.data(),
                     0,
                     {t.kernel, t.kernel, t.channels},
                     {t.kernel * t.channels, t.channels, 1}};
  qnn_memref5d_s32 od{
      out.data(),
      out.data(),
      0,
      {t.batch, outH, outW, t.channels, 1},
      {outH * outW * t.channels, outW * t.channels, t.channels, 1, 1}};
  int saved = qnn_get_num_threads();
  qnn_set_num_threads(t.threads);
  (t.stride == 1 ? _mlir_ciface_qnn_depthwise_u8s8s32_s1
                 : _mlir_ciface_qnn_depthwise_u8s8s32_s2)(&xd, &wd, &od);
  qnn_set_num_threads(saved);
  EXPECT_EQ(out, expected);
}

INSTANTIATE_TEST_SUITE_P(Shapes, DepthwiseTest,
                         ::testing::Values(Case{1, 5, 6, 1, 3, 1, 1},
                                           Case{1, 9, 9, 7, 3, 1, 2},
                                           Case{2, 10, 11, 32, 3, 1, 1},
                                           Case{1, 12, 9, 33, 3, 2, 3},
                                           Case{1, 16, 16, 96, 3, 1, 2},
                                           Case{1, 17, 15, 96, 3, 2, 2},
                                           Case{1, 11, 13, 64, 5, 1, 1},
                                           Case{1, 13, 13, 40, 5, 2, 2},
                                           Case{1, 58, 58, 144, 3, 1, 2},
                                           Case{1, 3, 3, 200, 3, 1, 1},
                                           Case{1, 114, 114, 32, 3, 1, 2}));

/// Channels that are not contiguous (a layout qnn never produces) take the
/// definition's loop, and still agree.
TEST(Depthwise, StridedChannels) {
  int64_t h = 6, w = 7, c = 5, k = 3, oh = h - k + 1, ow = w - k + 1;
  std::vector<uint8_t> x(h * w * c * 2);
  std::vector<int8_t> wt(k * k * c);
  std::vector<int32_t> out(oh * ow * c, 0), expected(oh * ow * c, 0);
  for (size_t i = 0; i < x.size(); ++i)
    x[i] = static_cast<uint8_t>(i * 37 + 11);
  for (size_t i = 0; i < wt.size(); ++i)
    wt[i] = static_cast<int8_t>(i * 53 - 100);
  for (int64_t i = 0; i < oh; ++i)
    for (int64_t j = 0; j < ow; ++j)
      for (int64_t ch = 0; ch < c; ++ch)
        for (int64_t a = 0; a < k; ++a)
          for (int64_t b = 0; b < k; ++b)
            expected[(i * ow + j) * c + ch] +=
                static_cast<int32_t>(
                    x[((i + a) * w + j + b) * c * 2 + ch * 2]) *
                wt[(a * k + b) * c + ch];
  qnn_memref4d_u8 xd{x.data(),
                     x.data(),
                     0,
                     {1, h, w, c},
                     {h * w * c * 2, w * c * 2, c * 2, 2}};
  qnn_memref3d_s8 wd{wt.data(), wt.data(), 0, {k, k, c}, {k * c, c, 1}};
  qnn_memref5d_s32 od{out.data(),
                      out.data(),
                      0,
                      {1, oh, ow, c, 1},
                      {oh * ow * c, ow * c, c, 1, 1}};
  _mlir_ciface_qnn_depthwise_u8s8s32_s1(&xd, &wd, &od);
  EXPECT_EQ(out, expected);
}

} // namespace
