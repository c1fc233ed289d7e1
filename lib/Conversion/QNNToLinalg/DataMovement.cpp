//===- DataMovement.cpp - qnn data movement ops to linalg -----------------===//
//
// Ops that only move codes: the same movement on the storage integers.
//
//===----------------------------------------------------------------------===//

#include "qnn/Conversion/QNNToLinalg/QNNToLinalg.h"
#include "qnn/Dialect/QNN/Utils/Windows.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace mlir::qnn;

namespace {
/// A gather of the codes: output [n, c, o...] is input [n, c, source(o)...].
struct UpsampleNearestToLinalg : OpConversionPattern<UpsampleNearestOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(UpsampleNearestOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto inType = cast<RankedTensorType>(op.getInput().getType());
    auto outType = cast<RankedTensorType>(op.getType());
    if (!inType.hasStaticShape() || !outType.hasStaticShape())
      return rewriter.notifyMatchFailure(op, "dynamic shapes");
    if (inType.getShape() == outType.getShape()) {
      rewriter.replaceOp(op, adaptor.getInput());
      return success();
    }
    rewriter.replaceOp(op, buildNearestGather(rewriter, op.getLoc(),
                                              adaptor.getInput(),
                                              outType.getShape(),
                                              op.getScales(), op.getExact()));
    return success();
  }
};

struct PermuteToLinalg : OpConversionPattern<PermuteOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(PermuteOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type =
        cast<RankedTensorType>(getTypeConverter()->convertType(op.getType()));
    Value init = tensor::EmptyOp::create(rewriter, op.getLoc(), type.getShape(),
                                         type.getElementType());
    rewriter.replaceOp(op, linalg::TransposeOp::create(rewriter, op.getLoc(),
                                                       adaptor.getInput(), init,
                                                       op.getPermutation())
                               .getResult());
    return success();
  }
};
} // namespace

void mlir::qnn::populateQNNDataMovementToLinalgPatterns(
    const TypeConverter &converter, RewritePatternSet &patterns) {
  patterns.add<PermuteToLinalg, UpsampleNearestToLinalg>(converter,
                                                         patterns.getContext());
}
