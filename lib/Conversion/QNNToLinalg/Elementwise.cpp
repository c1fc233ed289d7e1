//===- Elementwise.cpp - qnn casts to linalg / arith ----------------------===//

#include "Requantize.h"
#include "qnn/Conversion/QNNToLinalg/QNNToLinalg.h"
#include "qnn/Dialect/QNN/Utils/CastBuilders.h"
#include "qnn/Dialect/QNN/Utils/QuantUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"

using namespace mlir;
using namespace mlir::qnn;

namespace {

LogicalResult requireStatic(Operation *op,
                            ConversionPatternRewriter &rewriter) {
  for (Type type :
       llvm::concat<Type>(op->getOperandTypes(), op->getResultTypes()))
    if (!cast<RankedTensorType>(type).hasStaticShape())
      return rewriter.notifyMatchFailure(op, "dynamic shapes");
  return success();
}

struct QuantizeToArith : OpConversionPattern<QuantizeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(QuantizeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStatic(op, rewriter)))
      return failure();
    rewriter.replaceOp(
        op, buildQuantize(rewriter, op.getLoc(), adaptor.getInput(),
                          paramsOf(op.getType()), storageOf(op.getType())));
    return success();
  }
};

struct DequantizeToArith : OpConversionPattern<DequantizeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(DequantizeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStatic(op, rewriter)))
      return failure();
    rewriter.replaceOp(op, buildDequantize(rewriter, op.getLoc(),
                                           adaptor.getInput(),
                                           paramsOf(op.getInput().getType())));
    return success();
  }
};

/// requantize = quantize(dequantize(x)), PyTorch's definition.
struct RequantizeToArith : OpConversionPattern<RequantizeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(RequantizeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStatic(op, rewriter)))
      return failure();
    Value x = buildDequantize(rewriter, op.getLoc(), adaptor.getInput(),
                              paramsOf(op.getInput().getType()));
    rewriter.replaceOp(op, buildQuantize(rewriter, op.getLoc(), x,
                                         paramsOf(op.getType()),
                                         storageOf(op.getType())));
    return success();
  }
};

} // namespace

void mlir::qnn::populateQNNElementwiseToLinalgPatterns(
    const TypeConverter &converter, RewritePatternSet &patterns) {
  patterns.add<QuantizeToArith, DequantizeToArith, RequantizeToArith>(
      converter, patterns.getContext());
}
