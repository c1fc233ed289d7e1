//===- QuantUtilsTest.cpp - tests of the qparams arithmetic ---------------===//

#include "qnn/Dialect/QNN/Utils/QuantUtils.h"

#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/IR/MLIRContext.h"

#include "gtest/gtest.h"

#include <cmath>
#include <limits>

using namespace mlir;
using namespace mlir::qnn;

namespace {

class QuantParamsTest : public ::testing::Test {
protected:
  QuantParamsTest() { ctx.loadDialect<quant::QuantDialect>(); }
  MLIRContext ctx;
};

TEST_F(QuantParamsTest, PerTensorUnsigned) {
  Builder b(&ctx);
  auto type = quant::UniformQuantizedType::get(
      /*flags=*/0, b.getIntegerType(8), b.getF32Type(), 0.1, 3, 0, 255);
  std::optional<QuantParams> p = QuantParams::get(type);
  ASSERT_TRUE(p);
  EXPECT_TRUE(p->isPerTensor());
  EXPECT_FALSE(p->isSigned);
  EXPECT_EQ(p->storageWidth, 8u);
  EXPECT_EQ(p->qmin, 0);
  EXPECT_EQ(p->qmax, 255);
  EXPECT_DOUBLE_EQ(p->scale(7), 0.1);
  EXPECT_EQ(p->zeroPoint(7), 3);
}

TEST_F(QuantParamsTest, PerAxisCustomRange) {
  Builder b(&ctx);
  auto type = quant::UniformQuantizedPerAxisType::get(
      quant::QuantizationFlags::Signed, b.getIntegerType(8), b.getF32Type(),
      {0.5, 0.25}, {0, 1}, /*quantizedDimension=*/0, -127, 127);
  std::optional<QuantParams> p = QuantParams::get(type);
  ASSERT_TRUE(p);
  EXPECT_FALSE(p->isPerTensor());
  EXPECT_EQ(*p->axis, 0);
  EXPECT_TRUE(p->isSigned);
  EXPECT_EQ(p->qmin, -127);
  EXPECT_EQ(p->qmax, 127);
  EXPECT_DOUBLE_EQ(p->scale(1), 0.25);
  EXPECT_EQ(p->zeroPoint(1), 1);
}

TEST(QuantizeValueTest, RoundsHalfToEven) {
  // 0.5 and 2.5 are exact ties of x / 1.0; PyTorch's nearbyint gives 0, 2.
  EXPECT_EQ(quantizeValue(0.5f, 1.0, 0, -128, 127), 0);
  EXPECT_EQ(quantizeValue(1.5f, 1.0, 0, -128, 127), 2);
  EXPECT_EQ(quantizeValue(2.5f, 1.0, 0, -128, 127), 2);
  EXPECT_EQ(quantizeValue(-0.5f, 1.0, 0, -128, 127), 0);
  EXPECT_EQ(quantizeValue(-1.5f, 1.0, 0, -128, 127), -2);
}

TEST(QuantizeValueTest, AddsZeroPointAfterRounding) {
  // zp + rint(x/s): with zp = 3, 0.5 -> 3 (rint(0.5) = 0), not rint(3.5) = 4.
  EXPECT_EQ(quantizeValue(0.5f, 1.0, 3, 0, 255), 3);
}

TEST(QuantizeValueTest, MultipliesByRoundedReciprocal) {
  // For s = 0.1, x = f32(3.25) * (1 + 2^-23): x * f32(1/s) = 32.500004
  // rounds to 33, while x / s = 32.5 is a tie that rounds to 32.
  float x = std::nextafter(3.25f, 4.0f);
  ASSERT_NE(std::nearbyint(x * (1.0f / 0.1f)), std::nearbyint(x / 0.1f))
      << "the example no longer distinguishes the two formulas";
  EXPECT_EQ(quantizeValue(x, 0.1, 0, -128, 127), 33);
}

TEST(QuantizeValueTest, SaturatesToCustomBounds) {
  EXPECT_EQ(quantizeValue(1000.0f, 0.1, 0, -127, 127), 127);
  EXPECT_EQ(quantizeValue(-1000.0f, 0.1, 0, -127, 127), -127);
  EXPECT_EQ(quantizeValue(-1000.0f, 0.1, 3, 0, 255), 0);
  EXPECT_EQ(
      quantizeValue(std::numeric_limits<float>::quiet_NaN(), 0.1, 3, 0, 255),
      0);
}

TEST(DequantizeValueTest, ScaleTimesCentered) {
  EXPECT_FLOAT_EQ(dequantizeValue(13, 0.1, 3), 0.1f * 10.0f);
  EXPECT_EQ(dequantizeValue(3, 0.1, 3), 0.0f);
  // The scale is rounded to f32 before multiplying.
  EXPECT_EQ(dequantizeValue(7, 1.0 / 3.0, 0),
            static_cast<float>(1.0 / 3.0) * 7.0f);
}

TEST_F(QuantParamsTest, Relu6Bound) {
  QuantParams p;
  p.scales = {0.05};
  p.zeroPoints = {3};
  p.qmin = 0;
  p.qmax = 255;
  EXPECT_EQ(relu6Bound(p), 3 + 120);
  p.scales = {0.01}; // 6 / 0.01 = 600 saturates.
  EXPECT_EQ(relu6Bound(p), 255);
}

} // namespace

namespace {

TEST(RequantizationTest, QnnpackMultiplierRoundsEachStepToF32) {
  // f32(f32(f32(s_w) * f32(s_in)) * f32(1 / f32(s_out))).
  double sIn = 0.1, sW = 0.03, sOut = 0.7;
  float expected = (static_cast<float>(sW) * static_cast<float>(sIn)) *
                   (1.0f / static_cast<float>(sOut));
  EXPECT_EQ(qnnpackMultiplier(sIn, sW, sOut), expected);
  EXPECT_EQ(qnnpackMultiplier(0.5, 0.5, 0.25), 1.0f);
}

TEST(RequantizationTest, QnnpackBiasScaleTakesTheProductInDouble) {
  double sIn = 0.1, sW = 0.03;
  EXPECT_EQ(qnnpackBiasInverseScale(sIn, sW),
            1.0f / static_cast<float>(sIn * sW));
  EXPECT_EQ(qnnpackBiasInverseScale(0.5, 0.5), 4.0f);
}

TEST(RequantizationTest, OneDNNScales) {
  // Per tensor: isw = f32(1.0 / s_w) in double; per channel 1.0f / f32(s_w).
  double sIn = 0.1, sW = 0.03, sOut = 0.7;
  float isi = static_cast<float>(1.0 / sIn);
  float bsTensor = isi * static_cast<float>(1.0 / sW);
  float bsChannel = isi * (1.0f / static_cast<float>(sW));
  OneDNNScales tensor = onednnScales(sIn, sW, /*perChannelWeight=*/false, sOut);
  OneDNNScales channel = onednnScales(sIn, sW, /*perChannelWeight=*/true, sOut);
  EXPECT_EQ(tensor.biasScale, bsTensor);
  EXPECT_EQ(channel.biasScale, bsChannel);
  EXPECT_EQ(tensor.multiplier, static_cast<float>(1.0 / sOut) / bsTensor);
  EXPECT_EQ(channel.multiplier, static_cast<float>(1.0 / sOut) / bsChannel);
  // The two definitions of isw do differ for some scales.
  bool differ = false;
  for (int i = 1; i < 1000 && !differ; ++i) {
    double s = i / 997.0;
    differ = onednnScales(0.1, s, false, 1.0).biasScale !=
             onednnScales(0.1, s, true, 1.0).biasScale;
  }
  EXPECT_TRUE(differ);
}

TEST(RequantizationTest, QnnpackAddParams) {
  // a/out = 0.5, b/out = 0.25: the larger ratio's exponent is -1, so the
  // shift is 22 and the multipliers are 0.5 * 2^22 and 0.25 * 2^22.
  FixedPointAddParams p = fixedPointAddParams(0.5, 3, 0.25, 5, 1.0, 21);
  EXPECT_EQ(p.shift, 22u);
  EXPECT_EQ(p.aMultiplier, 1 << 21);
  EXPECT_EQ(p.bMultiplier, 1 << 20);
  EXPECT_EQ(p.zeroPointProduct, -((1 << 21) * 3 + (1 << 20) * 5));
}

TEST(RequantizationTest, XnnpackAddParams) {
  // XNNPACK scales its multipliers one bit less: shift 21 for the same
  // ratios, multipliers 2^20 and 2^19.
  FixedPointAddParams p = fixedPointAddParams(0.5, -3, 0.25, 5, 1.0, 20);
  EXPECT_EQ(p.shift, 21u);
  EXPECT_EQ(p.aMultiplier, 1 << 20);
  EXPECT_EQ(p.bMultiplier, 1 << 19);
  EXPECT_EQ(p.zeroPointProduct, -((1 << 20) * -3 + (1 << 19) * 5));
}

TEST(RequantizationTest, QnnpackAddShiftRoundsHalfAwayFromZero) {
  EXPECT_EQ(qnnpackAddShift(5 << 3, 4), 3);     // 2.5 -> 3
  EXPECT_EQ(qnnpackAddShift(-(5 << 3), 4), -3); // -2.5 -> -3
  EXPECT_EQ(qnnpackAddShift(7 << 2, 4), 2);     // 1.75 -> 2
  EXPECT_EQ(qnnpackAddShift(-(7 << 2), 4), -2); // -1.75 -> -2
  EXPECT_EQ(qnnpackAddShift(5 << 2, 4), 1);     // 1.25 -> 1
  EXPECT_EQ(qnnpackAddShift(-(5 << 2), 4), -1); // -1.25 -> -1
}

} // namespace
