//===- CastBuilders.h - quantize / dequantize as arith on tensors -*- C++
//-*-===//
//
// PyTorch's quantize and dequantize spelled out on tensors of storage
// integers, shared by --qnn-decompose=expand-casts and the conversion to
// linalg so that both implement one definition.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_DIALECT_QNN_UTILS_CASTBUILDERS_H
#define QNN_DIALECT_QNN_UTILS_CASTBUILDERS_H

#include "qnn/Dialect/QNN/Utils/QuantUtils.h"

#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/Builders.h"

namespace mlir::qnn {

/// A float tensor shaped like `shapeType` holding one value per element: a
/// splat per tensor, a per-axis vector broadcast along the other dimensions.
Value buildParamTensor(OpBuilder &b, Location loc, RankedTensorType shapeType,
                       const QuantParams &params, ArrayRef<float> values);

/// `clamp(zp + roundeven(x * f32(1/scale)), qmin, qmax)` of an f32 tensor,
/// as a tensor of the storage integer type (`storageType`, signless).
Value buildQuantize(OpBuilder &b, Location loc, Value x,
                    const QuantParams &params, Type storageType);

/// The same with the reciprocal scale and the zero point given as f32
/// tensors of `x`'s shape and the bounds as integers. With
/// `zeroPointBeforeRounding`, oneDNN's `rint(f32(x * f32(1/s) + zp))`.
Value buildQuantize(OpBuilder &b, Location loc, Value x, Value inverse,
                    Value zeroPoint, int64_t qmin, int64_t qmax,
                    Type storageType, bool zeroPointBeforeRounding = false);

/// `f32(scale) * f32(q - zp)` of a tensor of storage integers.
Value buildDequantize(OpBuilder &b, Location loc, Value q,
                      const QuantParams &params);

/// Quantize with run-time parameters: an f32 scalar reciprocal scale and an
/// i32 scalar zero point, read by one linalg.generic over `x` (no splatted
/// tensors, one pass).
Value buildQuantizeWithInverse(OpBuilder &b, Location loc, Value x,
                               Value inverse, Value zeroPoint, int64_t qmin,
                               int64_t qmax, Type storageType,
                               bool zeroPointBeforeRounding = false);

/// qnn.quantize_dynamic: torch.quantize_per_tensor with an f64 scale and an
/// i32 zero point (scalars) into `element`'s storage and bounds.
Value buildQuantizeDynamic(OpBuilder &b, Location loc, Value x, Value scale,
                           Value zeroPoint, quant::AnyQuantizedType element);

/// qnn.dequantize_dynamic: `f32(scale) * f32(q - zp)` with an f64 scale and
/// an i32 zero point (scalars), one linalg.generic.
Value buildDequantizeDynamic(OpBuilder &b, Location loc, Value q, Value scale,
                             Value zeroPoint, bool isSigned);

} // namespace mlir::qnn

#endif // QNN_DIALECT_QNN_UTILS_CASTBUILDERS_H
