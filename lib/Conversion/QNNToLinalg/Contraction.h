//===- Contraction.h - convolutions of stored codes -------------*- C++ -*-===//
//
// The integer convolution and requantization shared by the lowerings of
// qnn.conv, qnn.conv_transpose (where the engine skips the gaps of the
// spread input) and qnn.dynamic_conv.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_LIB_CONVERSION_QNNTOLINALG_CONTRACTION_H
#define QNN_LIB_CONVERSION_QNNTOLINALG_CONTRACTION_H

#include "qnn/Dialect/QNN/IR/Engines.h"

#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"

#include <optional>

namespace mlir::qnn {

/// A convolution of stored codes, lowered to qnn.int_conv and requantized:
/// qnn.conv's, the one a qnn.conv_transpose equals (over its spread input)
/// where the engine skips the spread's gaps, or qnn.dynamic_conv's.
struct ConvContraction {
  /// The input and result types (quantized; f32 for a dynamic conv) and the
  /// type requantized to (null for a dynamic conv).
  RankedTensorType inputType, resultType;
  Type contraction;
  /// The stored input codes, padded (or spread): N x C x spatial...
  Value input;
  /// The stored weight codes, O x C/groups x kernel..., their quantized
  /// type, and the value whose constant codes give its sums at compile time.
  Value weight, originalWeight;
  RankedTensorType weightType;
  ArrayRef<int64_t> strides, dilations;
  int64_t groups = 1;
  /// The engine's saturating pairs of consecutive channels of a group.
  bool pairs = false;
  /// With a weight known at compile time: whether position `x` of spatial
  /// dimension `d` of `input` is a tap the engine skips (code 0 there, the
  /// zero point compensated over the other taps only).
  function_ref<bool(int64_t, int64_t)> isSkipped;
  std::optional<DenseIntElementsAttr> weightValues;
  /// The f32 bias per output channel, or null.
  Value bias;
  /// A dynamic conv's run-time input parameters (f64 scale, i32 zero
  /// point), which its quint8 result codes share; null otherwise.
  Value dynamicScale, dynamicZeroPoint;
};

/// The convolution's codes (of `conv.contraction`, or quint8 with the
/// input's parameters for a dynamic conv), N x O x out...
Value buildConvContraction(OpBuilder &b, Location loc, const EngineInfo &engine,
                           const ConvContraction &conv);

} // namespace mlir::qnn

#endif // QNN_LIB_CONVERSION_QNNTOLINALG_CONTRACTION_H
