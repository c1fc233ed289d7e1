//===- Elementwise.cpp - qnn casts to linalg / arith ----------------------===//

#include "Requantize.h"
#include "qnn/Conversion/QNNToLinalg/QNNToLinalg.h"
#include "qnn/Dialect/QNN/Utils/CastBuilders.h"
#include "qnn/Dialect/QNN/Utils/QuantUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"

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

/// requantize with `fma_channels`: channels below it dequantize by fma,
/// the others by the plain product, then quantize as buildQuantize does.
Value buildChannelFmaRequantize(OpBuilder &b, RequantizeOp op,
                                RequantizeOp::Adaptor adaptor) {
  Location loc = op.getLoc();
  QuantParams in = paramsOf(op.getInput().getType());
  QuantParams out = paramsOf(op.getType());
  auto type = cast<RankedTensorType>(op.getType());
  float inverse = reciprocalScale(out.scale());
  int64_t fmaChannels = *op.getFmaChannels();
  return buildElementwise(
      b, loc, type.getShape(), storageOf(type), {adaptor.getInput()},
      {b.getMultiDimIdentityMap(type.getRank())},
      [&](OpBuilder &nb, Location l, ValueRange args) -> Value {
        auto c = [&](float v) -> Value {
          return arith::ConstantOp::create(nb, l, nb.getF32FloatAttr(v));
        };
        Value plainChannel = arith::CmpIOp::create(
            nb, l, arith::CmpIPredicate::uge, linalg::IndexOp::create(nb, l, 1),
            arith::ConstantIndexOp::create(nb, l, fmaChannels));
        Value x = buildCodeDequantize(nb, l, args[0], in, plainChannel);
        Value rounded = math::RoundEvenOp::create(
            nb, l, arith::MulFOp::create(nb, l, x, c(inverse)));
        Value shifted = arith::AddFOp::create(
            nb, l, rounded, c(static_cast<float>(out.zeroPoint())));
        return saturateToStorage(nb, l, shifted, static_cast<float>(out.qmin),
                                 static_cast<float>(out.qmax), storageOf(type));
      });
}

/// requantize = quantize(dequantize(x)), PyTorch's definition.
struct RequantizeToArith : OpConversionPattern<RequantizeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(RequantizeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStatic(op, rewriter)))
      return failure();
    if (op.getFmaChannels().value_or(0) > 0) {
      rewriter.replaceOp(op, buildChannelFmaRequantize(rewriter, op, adaptor));
      return success();
    }
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
