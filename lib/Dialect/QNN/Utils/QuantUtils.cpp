//===- QuantUtils.cpp - quantization parameter arithmetic -----------------===//

#include "qnn/Dialect/QNN/Utils/QuantUtils.h"

#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/IR/BuiltinDialect.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/Operation.h"
#include "mlir/IR/TypeUtilities.h"

#include <algorithm>
#include <cmath>
#include <cstring>

using namespace mlir;
using namespace mlir::qnn;

quant::QuantizedType mlir::qnn::getQuantizedElementType(Type type) {
  return dyn_cast<quant::QuantizedType>(getElementTypeOrSelf(type));
}

std::optional<DenseIntElementsAttr> mlir::qnn::getConstantStorage(Value value) {
  if (auto cast = value.getDefiningOp<quant::StorageCastOp>())
    value = cast.getInput();
  Attribute attr;
  if (!matchPattern(value, m_Constant(&attr)))
    return std::nullopt;
  if (auto dense = dyn_cast<DenseIntElementsAttr>(attr))
    return dense;
  // A dense_resource blob of 8-bit codes, read at compile time.
  if (auto resource = dyn_cast<DenseI8ResourceElementsAttr>(attr))
    if (std::optional<ArrayRef<int8_t>> data = resource.tryGetAsArrayRef())
      return cast<DenseIntElementsAttr>(
          DenseElementsAttr::get(resource.getType(), *data));
  return std::nullopt;
}

std::optional<QuantParams> QuantParams::get(quant::QuantizedType type) {
  QuantParams params;
  if (auto perTensor = dyn_cast_if_present<quant::UniformQuantizedType>(type)) {
    params.scales.push_back(perTensor.getScale());
    params.zeroPoints.push_back(perTensor.getZeroPoint());
  } else if (auto perAxis =
                 dyn_cast_if_present<quant::UniformQuantizedPerAxisType>(
                     type)) {
    params.scales.assign(perAxis.getScales().begin(),
                         perAxis.getScales().end());
    params.zeroPoints.assign(perAxis.getZeroPoints().begin(),
                             perAxis.getZeroPoints().end());
    params.axis = perAxis.getQuantizedDimension();
  } else {
    return std::nullopt;
  }
  params.qmin = type.getStorageTypeMin();
  params.qmax = type.getStorageTypeMax();
  params.storageWidth = type.getStorageTypeIntegralWidth();
  params.isSigned = type.isSigned();
  return params;
}

quant::AnyQuantizedType mlir::qnn::getDynamicCodesType(MLIRContext *ctx) {
  return quant::AnyQuantizedType::get(/*flags=*/0, IntegerType::get(ctx, 8),
                                      Float32Type::get(ctx), 0, 255);
}

float mlir::qnn::reciprocalScale(double scale) {
  return 1.0f / static_cast<float>(scale);
}

int64_t mlir::qnn::quantizeValue(float x, double scale, int64_t zeroPoint,
                                 int64_t qmin, int64_t qmax) {
  // f32(zp + rint(x * f32(1/s))); std::nearbyint rounds half to even in the
  // default rounding mode.
  float shifted = static_cast<float>(zeroPoint) +
                  std::nearbyint(x * reciprocalScale(scale));
  // x86 converts NaN and values outside the int64 range to INT64_MIN, which
  // the clamp then sends to qmin: PyTorch's behaviour on x86.
  if (!(shifted >= -0x1p63f && shifted < 0x1p63f))
    return qmin;
  return std::clamp(static_cast<int64_t>(shifted), qmin, qmax);
}

float mlir::qnn::dequantizeValue(int64_t q, double scale, int64_t zeroPoint) {
  // q - zp in wrapping int32, as PyTorch computes it.
  auto centered = static_cast<int32_t>(static_cast<uint32_t>(q) -
                                       static_cast<uint32_t>(zeroPoint));
  return static_cast<float>(scale) * static_cast<float>(centered);
}

LogicalResult mlir::qnn::requireStaticShapes(Operation *op, StringRef what) {
  auto check = [&](Type type, StringRef kind, unsigned i) -> LogicalResult {
    auto shaped = dyn_cast<ShapedType>(type);
    if (!shaped || shaped.hasStaticShape())
      return success();
    return op->emitOpError()
           << what << " needs static shapes, but " << kind << " " << i
           << " has type " << type
           << " (import from PyTorch records the example inputs' shapes)";
  };
  for (auto [i, type] : llvm::enumerate(op->getOperandTypes()))
    if (failed(check(type, "operand", i)))
      return failure();
  for (auto [i, type] : llvm::enumerate(op->getResultTypes()))
    if (failed(check(type, "result", i)))
      return failure();
  return success();
}

int64_t mlir::qnn::relu6Bound(const QuantParams &params) {
  return quantizeValue(6.0f, params.scale(), params.zeroPoint(), params.qmin,
                       params.qmax);
}

float mlir::qnn::qnnpackMultiplier(double inputScale, double weightScale,
                                   double outputScale) {
  float product =
      static_cast<float>(weightScale) * static_cast<float>(inputScale);
  return product * reciprocalScale(outputScale);
}

float mlir::qnn::qnnpackBiasInverseScale(double inputScale,
                                         double weightScale) {
  return 1.0f / static_cast<float>(inputScale * weightScale);
}

OneDNNScales mlir::qnn::onednnScales(double inputScale, double weightScale,
                                     bool perChannelWeight,
                                     double outputScale) {
  float inverseInput = static_cast<float>(1.0 / inputScale);
  float inverseWeight = perChannelWeight
                            ? 1.0f / static_cast<float>(weightScale)
                            : static_cast<float>(1.0 / weightScale);
  float biasScale = inverseInput * inverseWeight;
  float multiplier = static_cast<float>(1.0 / outputScale) / biasScale;
  return {biasScale, multiplier};
}

FixedPointAddParams
mlir::qnn::fixedPointAddParams(double aScale, int64_t aZeroPoint, double bScale,
                               int64_t bZeroPoint, double outputScale,
                               int shiftBase) {
  float aOutputScale =
      static_cast<float>(aScale) / static_cast<float>(outputScale);
  float bOutputScale =
      static_cast<float>(bScale) / static_cast<float>(outputScale);
  float maxOutputScale = std::max(aOutputScale, bOutputScale);
  uint32_t bits;
  std::memcpy(&bits, &maxOutputScale, sizeof(bits));
  int32_t exponent = static_cast<int32_t>(bits >> 23) - 127;
  uint32_t shift = static_cast<uint32_t>(shiftBase - exponent);
  uint32_t multiplierBits = static_cast<uint32_t>(shiftBase - exponent + 127)
                            << 23;
  float scaleMultiplier;
  std::memcpy(&scaleMultiplier, &multiplierBits, sizeof(scaleMultiplier));
  auto aMultiplier = static_cast<uint32_t>(
      static_cast<int32_t>(std::lrintf(aOutputScale * scaleMultiplier)));
  auto bMultiplier = static_cast<uint32_t>(
      static_cast<int32_t>(std::lrintf(bOutputScale * scaleMultiplier)));
  // The zero point product wraps in uint32 as in QNNPACK.
  uint32_t product = aMultiplier * static_cast<uint32_t>(aZeroPoint) +
                     bMultiplier * static_cast<uint32_t>(bZeroPoint);
  return {static_cast<int32_t>(aMultiplier), static_cast<int32_t>(bMultiplier),
          static_cast<int32_t>(0u - product), shift};
}

bool mlir::qnn::usesXnnpackMul(const QuantParams &output) {
  return output.isSigned && output.storageWidth == 8 &&
         output.zeroPoint() < 127;
}

float mlir::qnn::mulMultiplier(double lhsScale, double rhsScale,
                               const QuantParams &output) {
  float product = static_cast<float>(lhsScale) * static_cast<float>(rhsScale);
  if (usesXnnpackMul(output))
    return product / static_cast<float>(output.scale());
  return product * reciprocalScale(output.scale());
}

int64_t mlir::qnn::addScalarShift(const QuantParams &input, double scalar) {
  return static_cast<int64_t>(std::nearbyint(scalar / input.scale()));
}

QuantParams mlir::qnn::addScalarResultParams(const QuantParams &input,
                                             double scalar) {
  QuantParams result = input;
  int64_t shifted = input.zeroPoint() - addScalarShift(input, scalar);
  double range = static_cast<double>(input.qmax - input.qmin);
  if (input.qmin > shifted) {
    result.scales = {(input.qmax - shifted) / range * input.scale()};
    result.zeroPoints = {input.qmin};
  } else if (input.qmax < shifted) {
    result.scales = {(shifted - input.qmin) / range * input.scale()};
    result.zeroPoints = {input.qmax};
  } else {
    result.zeroPoints = {shifted};
  }
  return result;
}

QuantParams mlir::qnn::mulScalarResultParams(const QuantParams &input,
                                             double scalar) {
  QuantParams result = input;
  if (scalar > 0) {
    result.scales = {scalar * input.scale()};
  } else if (scalar == 0) {
    result.scales = {1.0};
    result.zeroPoints = {0};
  } else {
    result.scales = {std::fabs(scalar) * input.scale()};
    result.zeroPoints = {input.qmax - (input.zeroPoint() - input.qmin)};
  }
  return result;
}

int32_t mlir::qnn::qnnpackAddShift(int32_t acc, uint32_t shift) {
  int32_t mask = static_cast<int32_t>((1u << shift) - 1);
  int32_t threshold = mask >> 1;
  int32_t remainder = (acc & mask) - (acc < 0 ? 1 : 0);
  return (acc >> shift) + (remainder > threshold ? 1 : 0);
}
