//===- Elementwise.cpp - qnn casts, add and clamps to linalg / arith ------===//

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

struct AddToLinalg : OpConversionPattern<AddOp> {
  AddToLinalg(const TypeConverter &converter, MLIRContext *ctx,
              const EngineInfo &engine)
      : OpConversionPattern(converter, ctx), engine(engine) {}
  LogicalResult
  matchAndRewrite(AddOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStatic(op, rewriter)))
      return failure();
    rewriter.replaceOp(
        op, buildQuantizedAdd(rewriter, op.getLoc(), engine, adaptor.getLhs(),
                              paramsOf(op.getLhs().getType()), adaptor.getRhs(),
                              paramsOf(op.getRhs().getType()),
                              paramsOf(op.getType()), storageOf(op.getType()),
                              op.getPostOp() == PostOp::relu));
    return success();
  }
  const EngineInfo &engine;
};

/// relu: max(q, zp); relu6: min(max(q, zp), quantize(6.0)), on the storage
/// integers compared by their signedness.
template <typename OpTy> struct ClampToArith : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    QuantParams params = paramsOf(op.getType());
    Value x = adaptor.getInput();
    auto type = cast<RankedTensorType>(x.getType());
    unsigned width = params.storageWidth;
    auto splat = [&](int64_t v) -> Value {
      return arith::ConstantOp::create(
          rewriter, loc,
          DenseElementsAttr::get(
              type, rewriter.getIntegerAttr(
                        type.getElementType(),
                        APInt(width, static_cast<uint64_t>(v),
                              /*isSigned=*/true, /*implicitTrunc=*/true))));
    };
    Value lower = splat(params.zeroPoint());
    Value y = params.isSigned
                  ? arith::MaxSIOp::create(rewriter, loc, x, lower).getResult()
                  : arith::MaxUIOp::create(rewriter, loc, x, lower).getResult();
    if constexpr (std::is_same_v<OpTy, Relu6Op>) {
      Value upper = splat(relu6Bound(params));
      y = params.isSigned
              ? arith::MinSIOp::create(rewriter, loc, y, upper).getResult()
              : arith::MinUIOp::create(rewriter, loc, y, upper).getResult();
    }
    rewriter.replaceOp(op, y);
    return success();
  }
};
} // namespace

void mlir::qnn::populateQNNElementwiseToLinalgPatterns(
    const TypeConverter &converter, RewritePatternSet &patterns,
    const EngineInfo &engine) {
  MLIRContext *ctx = patterns.getContext();
  patterns.add<QuantizeToArith, DequantizeToArith, RequantizeToArith,
               ClampToArith<ReluOp>, ClampToArith<Relu6Op>>(converter, ctx);
  patterns.add<AddToLinalg>(converter, ctx, engine);
}
