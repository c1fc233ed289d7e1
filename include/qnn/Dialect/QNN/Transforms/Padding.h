//===- Padding.h - conv helpers: padding modes, groups -----*- C++ -*-===//

#ifndef QNN_DIALECT_QNN_TRANSFORMS_PADDING_H
#define QNN_DIALECT_QNN_TRANSFORMS_PADDING_H

#include "qnn/Dialect/QNN/IR/QNNOps.h"

#include "mlir/Dialect/Utils/ReshapeOpsUtils.h"
#include "mlir/IR/Builders.h"

namespace mlir::qnn {

/// Pads the spatial dimensions (2, 3, ...) of an `N x C x spatial...` tensor
/// symmetrically by `padding`: `tensor.pad` with `zeroValue` for zeros mode,
/// `tensor.concat` of slices for reflect, replicate and circular. The
/// element type is free: float for the reference form, storage integers
/// (padding with the zero point) for the integer path.
Value buildPadding(OpBuilder &b, Location loc, Value x,
                   ArrayRef<int64_t> padding, PaddingMode mode,
                   TypedAttr zeroValue);

/// [[0], ..., [dim, dim + 1], [dim + 2], ...] over `rank` dimensions: the
/// reassociation that splits dimension `dim` into (groups, per group), for
/// the grouped convolutions of the reference form and the integer path.
SmallVector<ReassociationIndices> groupReassociation(int64_t rank, int64_t dim);

} // namespace mlir::qnn

#endif // QNN_DIALECT_QNN_TRANSFORMS_PADDING_H
