//===- DataMovementOps.cpp - qnn.permute ----------------------------------===//

#include "Verifiers.h"

#include "qnn/Dialect/QNN/Utils/QuantUtils.h"

#include "mlir/IR/PatternMatch.h"
#include "llvm/ADT/SmallBitVector.h"

using namespace mlir;
using namespace mlir::qnn;
using namespace mlir::qnn::detail;

//===----------------------------------------------------------------------===//
// PermuteOp
//===----------------------------------------------------------------------===//

LogicalResult PermuteOp::verify() {
  auto inputType = cast<RankedTensorType>(getInput().getType());
  auto resultType = cast<RankedTensorType>(getType());
  if (failed(verifyQuantizedTensor(*this, inputType, "input")) ||
      failed(verifyQuantizedTensor(*this, resultType, "result")))
    return failure();
  ArrayRef<int64_t> permutation = getPermutation();
  int64_t rank = inputType.getRank();
  llvm::SmallBitVector seen(rank);
  for (int64_t d : permutation) {
    if (d < 0 || d >= rank || seen.test(d))
      return emitOpError() << "permutation " << formatShape(permutation)
                           << " is not a permutation of the " << rank
                           << " input dimensions";
    seen.set(d);
  }
  if (static_cast<int64_t>(permutation.size()) != rank)
    return emitOpError() << "permutation " << formatShape(permutation)
                         << " is not a permutation of the " << rank
                         << " input dimensions";
  SmallVector<int64_t> expected;
  for (int64_t d : permutation)
    expected.push_back(inputType.getDimSize(d));
  if (!shapesCompatible(resultType.getShape(), expected))
    return emitOpError() << "result shape "
                         << formatShape(resultType.getShape())
                         << " does not match the permuted input shape "
                         << formatShape(expected);
  // The same parameters, with a per-channel axis moved to its new place.
  auto in = getQuantizedElementType(inputType);
  auto out = getQuantizedElementType(resultType);
  QuantParams inParams = *QuantParams::get(in);
  QuantParams outParams = *QuantParams::get(out);
  std::optional<int32_t> movedAxis;
  if (inParams.axis)
    movedAxis = static_cast<int32_t>(llvm::find(permutation, *inParams.axis) -
                                     permutation.begin());
  if (inParams.scales != outParams.scales ||
      inParams.zeroPoints != outParams.zeroPoints ||
      inParams.qmin != outParams.qmin || inParams.qmax != outParams.qmax ||
      in.getStorageType() != out.getStorageType() ||
      in.isSigned() != out.isSigned() || outParams.axis != movedAxis)
    return emitOpError() << "result element type " << out
                         << " must be the input's " << in
                         << (inParams.axis ? " with its axis permuted" : "");
  return success();
}

OpFoldResult PermuteOp::fold(FoldAdaptor) {
  if (llvm::equal(getPermutation(),
                  llvm::seq<int64_t>(0, getPermutation().size())))
    return getInput();
  return {};
}

namespace {
/// permute(permute(x, p), q) = permute(x, p o q).
struct ComposePermutes : OpRewritePattern<PermuteOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(PermuteOp op,
                                PatternRewriter &rewriter) const override {
    auto inner = op.getInput().getDefiningOp<PermuteOp>();
    if (!inner)
      return failure();
    SmallVector<int64_t> composed;
    for (int64_t d : op.getPermutation())
      composed.push_back(inner.getPermutation()[d]);
    rewriter.replaceOpWithNewOp<PermuteOp>(op, op.getType(), inner.getInput(),
                                           composed);
    return success();
  }
};
} // namespace

void PermuteOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                            MLIRContext *context) {
  results.add<ComposePermutes>(context);
}

//===----------------------------------------------------------------------===//
// UpsampleNearestOp
//===----------------------------------------------------------------------===//

LogicalResult UpsampleNearestOp::verify() {
  auto inputType = cast<RankedTensorType>(getInput().getType());
  auto resultType = cast<RankedTensorType>(getType());
  if (inputType.getElementType() != resultType.getElementType())
    return emitOpError() << "result element type "
                         << resultType.getElementType()
                         << " must be the input's "
                         << inputType.getElementType();
  int64_t rank = inputType.getRank();
  if (rank != 4 && rank != 5)
    return emitOpError() << "input must have rank 4 or 5 (N, C, 2 or 3 "
                            "spatial dimensions; torch has no quantized "
                            "upsample_nearest1d), got rank "
                         << rank;
  if (resultType.getRank() != rank ||
      !shapesCompatible(resultType.getShape().take_front(2),
                        inputType.getShape().take_front(2)))
    return emitOpError() << "result shape "
                         << formatShape(resultType.getShape())
                         << " must keep the input's N and C "
                         << formatShape(inputType.getShape().take_front(2));
  for (int64_t d = 2; d < rank; ++d)
    if (resultType.getDimSize(d) == 0 || inputType.getDimSize(d) == 0)
      return emitOpError("spatial sizes must be positive");
  if (std::optional<ArrayRef<double>> scales = getScales()) {
    if (static_cast<int64_t>(scales->size()) != rank - 2)
      return emitOpError() << "scales must have " << rank - 2
                           << " entries (one per spatial dimension)";
    if (llvm::any_of(*scales, [](double s) { return !(s > 0); }))
      return emitOpError("scales must be positive");
  }
  return success();
}
