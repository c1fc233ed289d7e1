//===- Padding.cpp - convolution padding modes and groups -----------------===//

#include "qnn/Dialect/QNN/Utils/Padding.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace mlir::qnn;

PaddingPieces qnn::getPaddingPieces(PaddingMode mode, int64_t n, int64_t p) {
  PaddingPieces pieces;
  switch (mode) {
  case PaddingMode::reflect:
    for (int64_t i = 0; i < p; ++i) {
      pieces.left.push_back({p - i, 1});
      pieces.right.push_back({n - 2 - i, 1});
    }
    break;
  case PaddingMode::replicate:
    for (int64_t i = 0; i < p; ++i) {
      pieces.left.push_back({0, 1});
      pieces.right.push_back({n - 1, 1});
    }
    break;
  case PaddingMode::circular:
    pieces.left.push_back({n - p, p});
    pieces.right.push_back({0, p});
    break;
  case PaddingMode::zeros:
    llvm_unreachable("zero padding is a tensor.pad");
  }
  return pieces;
}

Value qnn::buildPadding(OpBuilder &b, Location loc, Value x,
                        ArrayRef<int64_t> padding, PaddingMode mode,
                        TypedAttr zeroValue) {
  if (llvm::all_of(padding, [](int64_t p) { return p == 0; }))
    return x;
  auto type = cast<RankedTensorType>(x.getType());
  if (mode == PaddingMode::zeros) {
    SmallVector<OpFoldResult> pads = {b.getIndexAttr(0), b.getIndexAttr(0)};
    SmallVector<int64_t> shape(type.getShape());
    for (auto [i, p] : llvm::enumerate(padding)) {
      pads.push_back(b.getIndexAttr(p));
      shape[i + 2] += 2 * p;
    }
    Value zero = arith::ConstantOp::create(b, loc, zeroValue);
    return tensor::PadOp::create(b, loc, type.clone(shape), x, pads, pads,
                                 zero);
  }
  for (auto [i, p] : llvm::enumerate(padding)) {
    if (p == 0)
      continue;
    int64_t dim = i + 2;
    auto curType = cast<RankedTensorType>(x.getType());
    PaddingPieces pieces = getPaddingPieces(mode, curType.getDimSize(dim), p);
    auto slice = [&](PaddingPiece piece) -> Value {
      SmallVector<OpFoldResult> offsets(curType.getRank(), b.getIndexAttr(0));
      SmallVector<OpFoldResult> sizes,
          strides(curType.getRank(), b.getIndexAttr(1));
      for (int64_t d : curType.getShape())
        sizes.push_back(b.getIndexAttr(d));
      offsets[dim] = b.getIndexAttr(piece.offset);
      sizes[dim] = b.getIndexAttr(piece.size);
      return tensor::ExtractSliceOp::create(b, loc, x, offsets, sizes, strides);
    };
    SmallVector<Value> parts;
    for (PaddingPiece piece : pieces.left)
      parts.push_back(slice(piece));
    parts.push_back(x);
    for (PaddingPiece piece : pieces.right)
      parts.push_back(slice(piece));
    x = tensor::ConcatOp::create(b, loc, dim, parts);
  }
  return x;
}

SmallVector<ReassociationIndices> qnn::groupReassociation(int64_t rank,
                                                          int64_t channelDim) {
  SmallVector<ReassociationIndices> result;
  for (int64_t d = 0; d < rank; ++d) {
    if (d < channelDim)
      result.push_back({d});
    else if (d == channelDim)
      result.push_back({d, d + 1});
    else
      result.push_back({d + 1});
  }
  return result;
}
