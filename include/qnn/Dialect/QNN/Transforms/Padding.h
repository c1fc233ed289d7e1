//===- Padding.h - PyTorch's convolution padding modes on tensors -*- C++
//-*-===//

#ifndef QNN_DIALECT_QNN_TRANSFORMS_PADDING_H
#define QNN_DIALECT_QNN_TRANSFORMS_PADDING_H

#include "qnn/Dialect/QNN/IR/QNNOps.h"

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

} // namespace mlir::qnn

#endif // QNN_DIALECT_QNN_TRANSFORMS_PADDING_H
