//===- Padding.cpp - convolution padding modes and groups -----------------===//

#include "qnn/Dialect/QNN/Utils/Padding.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
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

int64_t qnn::getPooledSize(int64_t in, int64_t kernel, int64_t stride,
                           int64_t pad, int64_t dilation, bool ceilMode) {
  int64_t numerator =
      in + 2 * pad - dilation * (kernel - 1) - 1 + (ceilMode ? stride - 1 : 0);
  // Division rounding towards negative infinity (PyTorch's div_rtn).
  int64_t size = numerator / stride;
  if (numerator % stride != 0 && (numerator < 0) != (stride < 0))
    --size;
  ++size;
  if (ceilMode && (size - 1) * stride >= in + pad)
    --size;
  return size;
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

Value qnn::buildWindowReduction(
    OpBuilder &b, Location loc, Value input, ArrayRef<int64_t> kernel,
    ArrayRef<int64_t> strides, ArrayRef<int64_t> dilations, Value init,
    function_ref<Value(OpBuilder &, Location, Value, Value)> combine) {
  MLIRContext *ctx = b.getContext();
  int64_t numSpatial = kernel.size();
  int64_t numLoops = 2 + 2 * numSpatial;
  auto d = [&](int64_t i) { return getAffineDimExpr(i, ctx); };
  SmallVector<AffineExpr> in = {d(0), d(1)}, window, out = {d(0), d(1)};
  for (int64_t i = 0; i < numSpatial; ++i) {
    AffineExpr o = d(2 + i), k = d(2 + numSpatial + i);
    in.push_back(o * strides[i] + k * dilations[i]);
    window.push_back(k);
    out.push_back(o);
  }
  SmallVector<utils::IteratorType> iterators(2 + numSpatial,
                                             utils::IteratorType::parallel);
  iterators.append(numSpatial, utils::IteratorType::reduction);
  Value windowShape = tensor::EmptyOp::create(b, loc, kernel, b.getI8Type());
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{init.getType()}, ValueRange{input, windowShape},
      ValueRange{init},
      SmallVector<AffineMap>{AffineMap::get(numLoops, 0, in, ctx),
                             AffineMap::get(numLoops, 0, window, ctx),
                             AffineMap::get(numLoops, 0, out, ctx)},
      iterators, [&](OpBuilder &nb, Location nloc, ValueRange args) {
        linalg::YieldOp::create(nb, nloc, combine(nb, nloc, args[2], args[0]));
      });
  return generic.getResult(0);
}

Value qnn::buildWindowPadding(OpBuilder &b, Location loc, Value input,
                              ArrayRef<int64_t> outShape,
                              ArrayRef<int64_t> kernel,
                              ArrayRef<int64_t> strides,
                              ArrayRef<int64_t> padding,
                              ArrayRef<int64_t> dilations, TypedAttr value) {
  auto type = cast<RankedTensorType>(input.getType());
  int64_t numSpatial = kernel.size();
  SmallVector<OpFoldResult> low(2, b.getIndexAttr(0)), high = low;
  SmallVector<int64_t> shape(type.getShape().take_front(2));
  bool any = false;
  for (int64_t i = 0; i < numSpatial; ++i) {
    int64_t in = type.getDimSize(2 + i);
    int64_t needed =
        (outShape[2 + i] - 1) * strides[i] + dilations[i] * (kernel[i] - 1) + 1;
    int64_t right = std::max<int64_t>(needed - in - padding[i], 0);
    any |= padding[i] || right;
    low.push_back(b.getIndexAttr(padding[i]));
    high.push_back(b.getIndexAttr(right));
    shape.push_back(in + padding[i] + right);
  }
  if (!any)
    return input;
  Value pad = arith::ConstantOp::create(b, loc, value);
  return tensor::PadOp::create(b, loc, type.clone(shape), input, low, high,
                               pad);
}
