//===- ConvTranspose.cpp - the convolution a transposed conv equals -------===//

#include "qnn/Dialect/QNN/Utils/ConvTranspose.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/IndexingUtils.h"

using namespace mlir;
using namespace mlir::qnn;

bool SpreadGeometry::holdsInput(int64_t d, int64_t x) const {
  int64_t offset = x - first[d];
  return offset >= 0 && offset % strides[d] == 0 &&
         offset / strides[d] < inputSizes[d];
}

template <typename Op> static SpreadGeometry spreadGeometryOf(Op op) {
  auto type = cast<RankedTensorType>(op.getInput().getType());
  auto weightType = cast<RankedTensorType>(op.getWeight().getType());
  SpreadGeometry geometry;
  geometry.shape.assign(type.getShape().take_front(2));
  for (int64_t d = 0, e = op.getNumSpatialDims(); d < e; ++d) {
    int64_t border = op.getDilations()[d] * (weightType.getDimSize(2 + d) - 1);
    int64_t pad = op.getPadding()[d], stride = op.getStrides()[d];
    int64_t in = type.getDimSize(2 + d);
    geometry.shape.push_back((in - 1) * stride + 1 + 2 * border - 2 * pad +
                             op.getOutputPadding()[d]);
    geometry.first.push_back(border - pad);
    geometry.strides.push_back(stride);
    geometry.inputSizes.push_back(in);
  }
  return geometry;
}

SpreadGeometry qnn::getSpreadGeometry(ConvTransposeOp op) {
  return spreadGeometryOf(op);
}

SpreadGeometry qnn::getSpreadGeometry(DynamicConvTransposeOp op) {
  return spreadGeometryOf(op);
}

Value qnn::buildSpreadCodes(OpBuilder &b, Location loc, Value codes,
                            const SpreadGeometry &geometry, TypedAttr fill) {
  auto type = cast<RankedTensorType>(codes.getType());
  int64_t rank = type.getRank();
  // The codes are inserted into a spread input large enough to hold them
  // all, then the part the padding crops away (if any) is cut off.
  SmallVector<int64_t> full(geometry.shape), offsets(rank, 0), strides(rank, 1),
      cropOffsets(rank, 0);
  bool crop = false;
  for (int64_t d = 0; d + 2 < rank; ++d) {
    strides[2 + d] = geometry.strides[d];
    int64_t first = geometry.first[d];
    if (first >= 0) {
      offsets[2 + d] = first;
    } else {
      crop = true;
      cropOffsets[2 + d] = -first;
      full[2 + d] -= first;
    }
    // The input's last element, output padding and border beyond it.
    int64_t last =
        offsets[2 + d] + (type.getDimSize(2 + d) - 1) * strides[2 + d];
    if (last >= full[2 + d]) {
      crop = true;
      full[2 + d] = last + 1;
    }
  }
  Type element = type.getElementType();
  Value fillValue = arith::ConstantOp::create(b, loc, fill);
  Value spread = tensor::SplatOp::create(
      b, loc, RankedTensorType::get(full, element), fillValue);
  spread = tensor::InsertSliceOp::create(b, loc, codes, spread, ValueRange{},
                                         ValueRange{}, ValueRange{}, offsets,
                                         type.getShape(), strides);
  if (!crop)
    return spread;
  return tensor::ExtractSliceOp::create(
      b, loc, RankedTensorType::get(geometry.shape, element), spread,
      ValueRange{}, ValueRange{}, ValueRange{}, cropOffsets, geometry.shape,
      SmallVector<int64_t>(rank, 1));
}

quant::QuantizedType qnn::getConvWeightElementType(quant::QuantizedType type,
                                                   int64_t groups) {
  auto perAxis = dyn_cast<quant::UniformQuantizedPerAxisType>(type);
  if (!perAxis)
    return type;
  SmallVector<double> scales;
  SmallVector<int64_t> zeroPoints;
  for (int64_t g = 0; g < groups; ++g) {
    llvm::append_range(scales, perAxis.getScales());
    llvm::append_range(zeroPoints, perAxis.getZeroPoints());
  }
  return quant::UniformQuantizedPerAxisType::get(
      perAxis.getFlags(), perAxis.getStorageType(), perAxis.getExpressedType(),
      scales, zeroPoints, /*quantizedDimension=*/0, perAxis.getStorageTypeMin(),
      perAxis.getStorageTypeMax());
}

RankedTensorType qnn::getConvWeightType(RankedTensorType type, int64_t groups) {
  SmallVector<int64_t> shape = {groups * type.getDimSize(1),
                                type.getDimSize(0) / groups};
  llvm::append_range(shape, type.getShape().drop_front(2));
  return RankedTensorType::get(
      shape, getConvWeightElementType(
                 cast<quant::QuantizedType>(type.getElementType()), groups));
}

DenseIntElementsAttr qnn::transposeConvWeight(DenseIntElementsAttr values,
                                              int64_t groups,
                                              RankedTensorType type) {
  int64_t outChannels = type.getDimSize(0), inPerGroup = type.getDimSize(1);
  int64_t outPerGroup = outChannels / groups;
  int64_t kernelSize =
      ShapedType::getNumElements(type.getShape().drop_front(2));
  SmallVector<APInt> source(values.getValues<APInt>());
  SmallVector<APInt> result;
  result.reserve(source.size());
  for (int64_t o = 0; o < outChannels; ++o) {
    int64_t g = o / outPerGroup, oInGroup = o % outPerGroup;
    for (int64_t c = 0; c < inPerGroup; ++c) {
      int64_t row = (g * inPerGroup + c) * outPerGroup + oInGroup;
      // Flipping every spatial dimension reverses the kernel's row-major
      // order.
      for (int64_t k = 0; k < kernelSize; ++k)
        result.push_back(source[row * kernelSize + kernelSize - 1 - k]);
    }
  }
  return DenseIntElementsAttr::get(type, result);
}
