//===- QuantUtils.h - quantization parameter arithmetic ---------*- C++ -*-===//
//
// Helpers shared by the qnn verifiers, passes and lowering: reading the
// quantization parameters out of `quant` types and the scalar arithmetic of
// PyTorch's quantize/dequantize (see docs/RationaleQNN.md).
//
//===----------------------------------------------------------------------===//

#ifndef QNN_DIALECT_QNN_UTILS_QUANTUTILS_H
#define QNN_DIALECT_QNN_UTILS_QUANTUTILS_H

#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/BuiltinTypes.h"

#include <cstdint>
#include <optional>

namespace mlir::qnn {

/// Returns the quantized element type of `type` (a tensor or a scalar), or a
/// null type when it is not quantized.
quant::QuantizedType getQuantizedElementType(Type type);

/// The parameters of a uniform quantized type, per tensor or per axis. A
/// per-tensor type has one scale and one zero point and no axis.
struct QuantParams {
  SmallVector<double> scales;
  SmallVector<int64_t> zeroPoints;
  std::optional<int32_t> axis;
  int64_t qmin = 0;
  int64_t qmax = 0;
  unsigned storageWidth = 0;
  bool isSigned = false;

  bool isPerTensor() const { return !axis.has_value(); }
  /// Returns the scale / zero point for channel `c` (ignored per tensor).
  double scale(int64_t c = 0) const { return scales[axis ? c : 0]; }
  int64_t zeroPoint(int64_t c = 0) const { return zeroPoints[axis ? c : 0]; }

  /// Reads the parameters of a uniform (per-tensor or per-axis) type;
  /// returns std::nullopt for any other quantized type.
  static std::optional<QuantParams> get(quant::QuantizedType type);
};

/// `f32(1.0f / f32(scale))`: the reciprocal PyTorch multiplies by.
float reciprocalScale(double scale);

/// PyTorch's quantize: `clamp(zp + rint(x * f32(1 / scale)), qmin, qmax)`,
/// rounding half to even.
int64_t quantizeValue(float x, double scale, int64_t zeroPoint, int64_t qmin,
                      int64_t qmax);

/// PyTorch's dequantize: `f32(scale) * f32(q - zp)`.
float dequantizeValue(int64_t q, double scale, int64_t zeroPoint);

/// The upper clamp of quantized ReLU6: `quantize(6.0)` in the given type.
int64_t relu6Bound(const QuantParams &params);

} // namespace mlir::qnn

#endif // QNN_DIALECT_QNN_UTILS_QUANTUTILS_H
