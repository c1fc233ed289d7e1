//===- Padding.h - padding modes, groups and window sizes -------*- C++ -*-===//
//
// Helpers shared by the reference form (float) and the integer lowering
// (storage integers) of convolutions and pooling: PyTorch's padding modes,
// the reshape that splits channels into groups, pooled sizes.
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

/// PyTorch's pooled size of one spatial dimension (pooling_output_shape):
/// floor((in + 2 * pad - dilation * (kernel - 1) - 1 + (ceil ? stride - 1 :
/// 0)) / stride) + 1, minus one in ceil mode when the last window would
/// start past the input and its left padding.
int64_t getPooledSize(int64_t in, int64_t kernel, int64_t stride, int64_t pad,
                      int64_t dilation, bool ceilMode);

/// Pads the spatial dimensions of an `N x C x spatial...` tensor for the
/// windows of a pooling whose result has `outShape`: by `padding` on the
/// left and on the right by what the last window needs (ceil mode can take
/// it past the symmetric padding), with `value`.
Value buildWindowPadding(OpBuilder &b, Location loc, Value input,
                         ArrayRef<int64_t> outShape, ArrayRef<int64_t> kernel,
                         ArrayRef<int64_t> strides, ArrayRef<int64_t> padding,
                         ArrayRef<int64_t> dilations, TypedAttr value);

/// A pooling reduction over a padded `N x C x spatial...` tensor: a
/// linalg.generic with loops n, c, out..., kernel... reading the input at
/// `out * stride + kernel * dilation`, a shape-only `tensor.empty` of the
/// kernel's shape for the kernel loops, and `init` (of the result's shape)
/// as accumulator, combined by `combine(acc, x)`.
Value buildWindowReduction(
    OpBuilder &b, Location loc, Value input, ArrayRef<int64_t> kernel,
    ArrayRef<int64_t> strides, ArrayRef<int64_t> dilations, Value init,
    function_ref<Value(OpBuilder &, Location, Value, Value)> combine);

/// [[0], ..., [dim, dim + 1], [dim + 2], ...] over `rank` dimensions: the
/// reassociation that splits dimension `dim` into (groups, per group), for
/// the grouped convolutions of the reference form and the integer path.
SmallVector<ReassociationIndices> groupReassociation(int64_t rank, int64_t dim);

} // namespace mlir::qnn

#endif // QNN_DIALECT_QNN_UTILS_PADDING_H
