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
  EXPECT_EQ(quantizeValue(std::numeric_limits<float>::quiet_NaN(), 0.1, 3, 0,
                          255),
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
