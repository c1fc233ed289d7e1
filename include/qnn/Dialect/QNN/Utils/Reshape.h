//===- Reshape.h - reshapes through a flat view -----------------*- C++ -*-===//
//
// Normalizations compute on a [groups, size] view of their input whatever
// its rank; the reference form and the integer lowering reshape the same
// way.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_DIALECT_QNN_UTILS_RESHAPE_H
#define QNN_DIALECT_QNN_UTILS_RESHAPE_H

#include "mlir/IR/Builders.h"

namespace mlir::qnn {

/// `value` (any element type, static shape) reshaped to `shape` of the same
/// number of elements: collapsed to one dimension, then expanded; `value`
/// itself when the shapes are equal.
Value buildReshape(OpBuilder &b, Location loc, Value value,
                   ArrayRef<int64_t> shape);

} // namespace mlir::qnn

#endif // QNN_DIALECT_QNN_UTILS_RESHAPE_H
