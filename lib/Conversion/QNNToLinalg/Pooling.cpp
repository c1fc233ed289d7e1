//===- Pooling.cpp - qnn pooling ops to linalg ----------------------------===//

#include "Requantize.h"
#include "qnn/Conversion/QNNToLinalg/QNNToLinalg.h"
#include "qnn/Dialect/QNN/Utils/Padding.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace mlir::qnn;

namespace {
/// The integer maximum of the codes, padding with the lowest code.
struct MaxPoolToLinalg : OpConversionPattern<MaxPoolOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(MaxPoolOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    QuantParams params = paramsOf(op.getType());
    Type storage = storageOf(op.getType());
    auto resultType =
        cast<RankedTensorType>(getTypeConverter()->convertType(op.getType()));
    unsigned width = storage.getIntOrFloatBitWidth();
    auto lowest = rewriter.getIntegerAttr(
        storage, APInt(width, static_cast<uint64_t>(params.qmin),
                       /*isSigned=*/true, /*implicitTrunc=*/true));
    Value padded = buildWindowPadding(rewriter, loc, adaptor.getInput(),
                                      resultType.getShape(), op.getKernel(),
                                      op.getStrides(), op.getPadding(),
                                      op.getDilations(), lowest);
    Value init =
        linalg::FillOp::create(
            rewriter, loc,
            ValueRange{arith::ConstantOp::create(rewriter, loc, lowest)},
            ValueRange{tensor::EmptyOp::create(rewriter, loc,
                                               resultType.getShape(), storage)})
            .getResult(0);
    bool isSigned = params.isSigned;
    Value result = buildWindowReduction(
        rewriter, loc, padded, op.getKernel(), op.getStrides(),
        op.getDilations(), init,
        [&](OpBuilder &b, Location l, Value acc, Value x) -> Value {
          if (isSigned)
            return arith::MaxSIOp::create(b, l, acc, x);
          return arith::MaxUIOp::create(b, l, acc, x);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};
} // namespace

void mlir::qnn::populateQNNPoolingToLinalgPatterns(
    const TypeConverter &converter, RewritePatternSet &patterns,
    const EngineInfo &engine) {
  (void)engine;
  patterns.add<MaxPoolToLinalg>(converter, patterns.getContext());
}
