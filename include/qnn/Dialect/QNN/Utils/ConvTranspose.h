//===- ConvTranspose.h - the convolution a transposed conv equals -*- C++
//-*-===//
//
// A transposed convolution is a convolution with unit strides over its
// input spread out by the strides, with the weight transposed per group and
// flipped. The geometry of the spread and the rearranged weight are shared
// by --qnn-conv-transpose-to-conv (which fills the gaps with the input's
// zero point) and the onednn-without-VNNI lowering (which skips them, as
// oneDNN's AVX2 deconvolution does).
//
//===----------------------------------------------------------------------===//

#ifndef QNN_DIALECT_QNN_UTILS_CONVTRANSPOSE_H
#define QNN_DIALECT_QNN_UTILS_CONVTRANSPOSE_H

#include "qnn/Dialect/QNN/IR/QNNOps.h"

#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"

namespace mlir::qnn {

/// Where a transposed conv's input elements go in the input of the conv it
/// equals: `stride - 1` positions between elements, `dilation * (kernel -
/// 1) - padding` around them (cropping where the padding is larger) and
/// `output_padding` more at the end. Every other position (a gap, the
/// border, the output padding) holds no input element.
struct SpreadGeometry {
  /// The spread input, N x C x spatial...
  SmallVector<int64_t> shape;
  /// Where element i of spatial dimension d lands: `first[d] + i *
  /// strides[d]` (negative where the padding crops it away).
  SmallVector<int64_t> first, strides, inputSizes;

  /// Whether position `x` of spatial dimension `d` holds an input element.
  bool holdsInput(int64_t d, int64_t x) const;
};

SpreadGeometry getSpreadGeometry(ConvTransposeOp op);
SpreadGeometry getSpreadGeometry(DynamicConvTransposeOp op);

/// The codes `N x C x in...` spread out as `geometry` says, every other
/// position `fill`.
Value buildSpreadCodes(OpBuilder &b, Location loc, Value codes,
                       const SpreadGeometry &geometry, TypedAttr fill);

/// The quantized type of the conv's weight elements: per tensor unchanged;
/// per channel along axis 0 with the scale of output channel `o` of each
/// group repeated for every group.
quant::QuantizedType getConvWeightElementType(quant::QuantizedType type,
                                              int64_t groups);

/// The conv's weight type, `C_out x C_in/g x kernel...`, of a transposed
/// conv's weight `type` (`C_in x C_out/g x kernel...`).
RankedTensorType getConvWeightType(RankedTensorType type, int64_t groups);

/// The codes of a transposed conv's weight `C_in x C_out/g x kernel...` as
/// the conv's, flipped: element (g * C_out/g + o, c, k...) is (g * C_in/g +
/// c, o, K - 1 - k...). `type` is the result's (storage elements).
DenseIntElementsAttr transposeConvWeight(DenseIntElementsAttr values,
                                         int64_t groups, RankedTensorType type);

} // namespace mlir::qnn

#endif // QNN_DIALECT_QNN_UTILS_CONVTRANSPOSE_H
