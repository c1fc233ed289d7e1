//===- ActivationsTest.cpp - the runtime's sigmoid and tanh ---------------===//
//
// The library calls must compute what the element-wise loops they replace
// compute: SLEEF's 1-lane purecfma functions, bit for bit, on every lane of
// a row, its remainder, strided rows and strided elements. The AVX2 rows
// run where the CPU has them; QNN_ISA=portable runs the fallback.
//
//===----------------------------------------------------------------------===//

#include "qnn/Runtime/Activations.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <vector>

extern "C" {
float Sleef_expf1_u10purecfma(float);
float Sleef_tanhf1_u10purecfma(float);
}

namespace {

uint32_t bitsOf(float x) {
  uint32_t bits;
  std::memcpy(&bits, &x, sizeof(bits));
  return bits;
}

/// Inputs over every binade the functions treat differently, and the
/// special values.
std::vector<float> inputs() {
  std::vector<float> xs = {0.0f,
                           -0.0f,
                           1.0f,
                           -1.0f,
                           88.7f,
                           -88.7f,
                           104.0f,
                           -104.0f,
                           9.0f,
                           -9.0f,
                           1e-30f,
                           -1e-30f,
                           std::numeric_limits<float>::infinity(),
                           -std::numeric_limits<float>::infinity(),
                           std::numeric_limits<float>::quiet_NaN(),
                           std::numeric_limits<float>::denorm_min()};
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> exponent(-30.0f, 8.0f);
  std::bernoulli_distribution negative(0.5);
  for (int i = 0; i < 200000; ++i) {
    float x = std::exp2(exponent(rng));
    xs.push_back(negative(rng) ? -x : x);
  }
  return xs;
}

using Call = void (*)(qnn_memref2d_f32 *, qnn_memref2d_f32 *);

/// Runs `call` on `xs` as `rows` rows of `cols` (row stride `rowStride`,
/// element stride `step`) and checks every element against `expected`.
void check(Call call, float (*expected)(float), const std::vector<float> &xs,
           int64_t cols, int64_t rowStride, int64_t step) {
  int64_t rows = static_cast<int64_t>(xs.size()) / (rowStride);
  std::vector<float> out(xs.size(), 0.0f);
  qnn_memref2d_f32 in = {const_cast<float *>(xs.data()),
                         const_cast<float *>(xs.data()),
                         0,
                         {rows, cols},
                         {rowStride, step}};
  qnn_memref2d_f32 result = {
      out.data(), out.data(), 0, {rows, cols}, {rowStride, step}};
  call(&in, &result);
  for (int64_t i = 0; i < rows; ++i)
    for (int64_t j = 0; j < cols; ++j) {
      int64_t at = i * rowStride + j * step;
      float want = expected(xs[at]);
      if (std::isnan(want)) {
        ASSERT_TRUE(std::isnan(out[at])) << "x = " << xs[at];
        continue;
      }
      ASSERT_EQ(bitsOf(out[at]), bitsOf(want))
          << "x = " << xs[at] << ": " << out[at] << " != " << want;
    }
}

float sigmoid(float x) {
  return 1.0f / (Sleef_expf1_u10purecfma(0.0f - x) + 1.0f);
}

TEST(Activations, SigmoidIsTheElementWiseVectorBody) {
  std::vector<float> xs = inputs();
  // Rows of 8 lanes and a remainder; rows with a gap (a slice of a wider
  // tensor); a strided element step (the scalar path).
  check(_mlir_ciface_qnn_sigmoid_f32, sigmoid, xs, 1003, 1003, 1);
  check(_mlir_ciface_qnn_sigmoid_f32, sigmoid, xs, 500, 512, 1);
  check(_mlir_ciface_qnn_sigmoid_f32, sigmoid, xs, 50, 100, 2);
}

TEST(Activations, TanhIsTheElementWiseVectorBody) {
  std::vector<float> xs = inputs();
  check(_mlir_ciface_qnn_tanh_f32, Sleef_tanhf1_u10purecfma, xs, 1003, 1003, 1);
  check(_mlir_ciface_qnn_tanh_f32, Sleef_tanhf1_u10purecfma, xs, 500, 512, 1);
  check(_mlir_ciface_qnn_tanh_f32, Sleef_tanhf1_u10purecfma, xs, 50, 100, 2);
}

} // namespace

namespace {

/// The reduction the library call replaces, element by element.
void sequentialRange(const std::vector<float> &xs, float &lo, float &hi) {
  for (float x : xs) {
    if (std::isnan(lo) || std::isnan(x))
      lo = std::numeric_limits<float>::quiet_NaN();
    else if (x < lo || (x == lo && std::signbit(x)))
      lo = x;
    if (std::isnan(hi) || std::isnan(x))
      hi = std::numeric_limits<float>::quiet_NaN();
    else if (x > hi || (x == hi && !std::signbit(x)))
      hi = x;
  }
}

void checkRange(std::vector<float> xs, float lo, float hi) {
  float wantLo = lo, wantHi = hi;
  sequentialRange(xs, wantLo, wantHi);
  qnn_memref1d_f32 in = {
      xs.data(), xs.data(), 0, {static_cast<int64_t>(xs.size())}, {1}};
  qnn_memref0d_f32 min = {&lo, &lo, 0}, max = {&hi, &hi, 0};
  _mlir_ciface_qnn_range_f32(&in, &min, &max);
  if (std::isnan(wantLo)) {
    EXPECT_TRUE(std::isnan(lo) && std::isnan(hi));
    return;
  }
  EXPECT_EQ(bitsOf(lo), bitsOf(wantLo)) << lo << " != " << wantLo;
  EXPECT_EQ(bitsOf(hi), bitsOf(wantHi)) << hi << " != " << wantHi;
}

TEST(Range, IsTheSequentialMinimumAndMaximum) {
  std::mt19937 rng(3);
  std::normal_distribution<float> normal;
  for (int n : {0, 1, 15, 16, 17, 100, 4096, 4099}) {
    std::vector<float> xs(n);
    for (float &x : xs)
      x = normal(rng);
    checkRange(xs, 0.0f, 0.0f);
    for (float &x : xs)
      x = std::fabs(x) + 1.0f;
    checkRange(xs, 0.0f, 0.0f);
    checkRange(xs, std::numeric_limits<float>::infinity(),
               -std::numeric_limits<float>::infinity());
  }
  // Signed zeros: -0 is below +0 in both the vector part and the tail.
  std::vector<float> zeros(40, 0.0f);
  zeros[3] = -0.0f;
  checkRange(zeros, std::numeric_limits<float>::infinity(),
             -std::numeric_limits<float>::infinity());
  zeros[3] = 0.0f;
  zeros[37] = -0.0f;
  checkRange(zeros, std::numeric_limits<float>::infinity(),
             -std::numeric_limits<float>::infinity());
  std::vector<float> negativeZeros(40, -0.0f);
  checkRange(negativeZeros, std::numeric_limits<float>::infinity(),
             -std::numeric_limits<float>::infinity());
  checkRange(negativeZeros, 0.0f, 0.0f);
  // NaN anywhere makes both NaN.
  for (int at : {0, 20, 39}) {
    std::vector<float> xs(40, 1.0f);
    xs[at] = std::numeric_limits<float>::quiet_NaN();
    checkRange(xs, 0.0f, 0.0f);
  }
}

} // namespace
