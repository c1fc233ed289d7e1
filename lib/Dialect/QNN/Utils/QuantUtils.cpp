//===- QuantUtils.cpp - quantization parameter arithmetic -----------------===//

#include "qnn/Dialect/QNN/Utils/QuantUtils.h"

#include "mlir/IR/TypeUtilities.h"

#include <algorithm>
#include <cmath>

using namespace mlir;
using namespace mlir::qnn;

quant::QuantizedType mlir::qnn::getQuantizedElementType(Type type) {
  return dyn_cast<quant::QuantizedType>(getElementTypeOrSelf(type));
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

float mlir::qnn::reciprocalScale(double scale) {
  return 1.0f / static_cast<float>(scale);
}

int64_t mlir::qnn::quantizeValue(float x, double scale, int64_t zeroPoint,
                                 int64_t qmin, int64_t qmax) {
  // std::nearbyint rounds half to even in the default rounding mode.
  float scaled = x * reciprocalScale(scale);
  double q = static_cast<double>(zeroPoint) + std::nearbyint(scaled);
  // x86 converts NaN to the most negative integer, which then saturates.
  if (std::isnan(q))
    return qmin;
  q = std::clamp(q, static_cast<double>(qmin), static_cast<double>(qmax));
  return static_cast<int64_t>(q);
}

float mlir::qnn::dequantizeValue(int64_t q, double scale, int64_t zeroPoint) {
  return static_cast<float>(scale) * static_cast<float>(q - zeroPoint);
}

int64_t mlir::qnn::relu6Bound(const QuantParams &params) {
  return quantizeValue(6.0f, params.scale(), params.zeroPoint(), params.qmin,
                       params.qmax);
}
