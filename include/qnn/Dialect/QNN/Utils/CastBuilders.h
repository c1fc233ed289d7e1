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

/// `f32(scale) * f32(q - zp)` of a tensor of storage integers.
Value buildDequantize(OpBuilder &b, Location loc, Value q,
                      const QuantParams &params);

} // namespace mlir::qnn

#endif // QNN_DIALECT_QNN_UTILS_CASTBUILDERS_H
