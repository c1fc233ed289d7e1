//===- Padding.h - convolution padding modes and groups ---------*- C++ -*-===//
//
// Helpers shared by the reference form (float) and the integer lowering
// (storage integers) of convolutions: PyTorch's padding modes and the
// reshape that splits channels into groups.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_DIALECT_QNN_UTILS_PADDING_H
#define QNN_DIALECT_QNN_UTILS_PADDING_H

#include "qnn/Dialect/QNN/IR/QNNOps.h"

#include "mlir/Dialect/Utils/ReshapeOpsUtils.h"
#include "mlir/IR/Builders.h"

namespace mlir::qnn {

/// A slice [offset, offset + size) of a padded dimension.
struct PaddingPiece {
  int64_t offset, size;
  bool operator==(const PaddingPiece &o) const {
    return offset == o.offset && size == o.size;
  }
};

/// The slices of a dimension that are concatenated before (`left`) and after
/// (`right`) it to pad it.
struct PaddingPieces {
  SmallVector<PaddingPiece> left, right;
};

/// The pieces that pad a dimension of size `n` by `p` on each side in a
/// non-zero mode (reflect, replicate, circular).
PaddingPieces getPaddingPieces(PaddingMode mode, int64_t n, int64_t p);

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

#endif // QNN_DIALECT_QNN_UTILS_PADDING_H
