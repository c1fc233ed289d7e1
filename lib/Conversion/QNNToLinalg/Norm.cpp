//===- Norm.cpp - qnn normalizations to linalg ----------------------------===//
//
// docs/numerics/norms.md: torch folds batch normalization into one
// multiplier and offset per channel, then computes on the codes.
//
//===----------------------------------------------------------------------===//

#include "Requantize.h"
#include "qnn/Conversion/QNNToLinalg/QNNToLinalg.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace mlir::qnn;

namespace {

/// torch's compute_fused_params, per channel, in its mix of float and
/// double:
///   inv = f32(1.0 / f64(sqrt_f32(var + f32(eps))))
///   alpha = f32(f64(f32(inv * w)) * (s_in / s_out))
///   beta = f32(f64(f32(b - f32(f32(mean * inv) * w))) / s_out)
/// as a linalg.generic over the channels with two results.
std::pair<Value, Value> buildFusedParams(OpBuilder &b, Location loc,
                                         BatchNormOp op, Value weight,
                                         Value bias, Value mean, Value var,
                                         double inputScale,
                                         double outputScale) {
  int64_t channels = cast<RankedTensorType>(op.getInput().getType())
                         .getDimSize(1);
  Type f32 = b.getF32Type(), f64 = b.getF64Type();
  auto type = RankedTensorType::get({channels}, f32);
  AffineMap identity = b.getMultiDimIdentityMap(1);
  float eps = static_cast<float>(op.getEps().convertToDouble());
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{type, type}, ValueRange{weight, bias, mean, var},
      ValueRange{tensor::EmptyOp::create(b, loc, {channels}, f32),
                 tensor::EmptyOp::create(b, loc, {channels}, f32)},
      SmallVector<AffineMap>(6, identity),
      SmallVector<utils::IteratorType>{utils::IteratorType::parallel},
      [&](OpBuilder &nb, Location l, ValueRange args) {
        auto c32 = [&](float v) -> Value {
          return arith::ConstantOp::create(nb, l, nb.getF32FloatAttr(v));
        };
        auto c64 = [&](double v) -> Value {
          return arith::ConstantOp::create(nb, l, nb.getF64FloatAttr(v));
        };
        auto wide = [&](Value v) -> Value {
          return arith::ExtFOp::create(nb, l, f64, v);
        };
        auto narrow = [&](Value v) -> Value {
          return arith::TruncFOp::create(nb, l, f32, v);
        };
        Value w = args[0], bb = args[1], m = args[2], v = args[3];
        Value sigma =
            math::SqrtOp::create(nb, l, arith::AddFOp::create(nb, l, v, c32(eps)));
        Value inv = narrow(arith::DivFOp::create(nb, l, c64(1.0), wide(sigma)));
        Value scaled = arith::MulFOp::create(nb, l, inv, w);
        Value alpha = narrow(arith::MulFOp::create(
            nb, l, wide(scaled), c64(inputScale / outputScale)));
        Value shift = arith::MulFOp::create(
            nb, l, arith::MulFOp::create(nb, l, m, inv), w);
        Value beta = narrow(arith::DivFOp::create(
            nb, l, wide(arith::SubFOp::create(nb, l, bb, shift)),
            c64(outputScale)));
        linalg::YieldOp::create(nb, l, ValueRange{alpha, beta});
      });
  return {generic.getResult(0), generic.getResult(1)};
}

/// y = clamp(rint(fma(alpha[c], f32(q - zp_in), beta[c])) + zp_out), relu
/// as max(y, zp_out): torch's kernel (its vector body; its scalar loop for
/// the last channels of a pixel is indistinguishable, docs/numerics/norms.md).
struct BatchNormToLinalg : OpConversionPattern<BatchNormOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(BatchNormOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto inType = cast<RankedTensorType>(op.getInput().getType());
    auto outType = cast<RankedTensorType>(op.getType());
    if (!inType.hasStaticShape() || !outType.hasStaticShape())
      return rewriter.notifyMatchFailure(op, "dynamic shapes");
    Location loc = op.getLoc();
    QuantParams in = paramsOf(inType), out = paramsOf(outType);
    auto [alpha, beta] = buildFusedParams(
        rewriter, loc, op, adaptor.getWeight(), adaptor.getBias(),
        adaptor.getMean(), adaptor.getVar(), in.scale(), out.scale());
    int64_t rank = inType.getRank();
    MLIRContext *ctx = rewriter.getContext();
    AffineMap identity = rewriter.getMultiDimIdentityMap(rank);
    AffineMap channel = AffineMap::get(rank, 0, getAffineDimExpr(1, ctx), ctx);
    bool relu = static_cast<bool>(op.getPostOpAttr());
    Type storage = storageOf(outType);
    Value result = buildElementwise(
        rewriter, loc, outType.getShape(), storage,
        {adaptor.getInput(), alpha, beta}, {identity, channel, channel},
        [&](OpBuilder &b, Location l, ValueRange args) -> Value {
          Value centered = arith::SubIOp::create(
              b, l, extendStorage(b, l, args[0], in.isSigned),
              arith::ConstantOp::create(b, l,
                                        b.getI32IntegerAttr(in.zeroPoint())));
          Value x = arith::SIToFPOp::create(b, l, b.getF32Type(), centered);
          Value y = math::RoundEvenOp::create(
              b, l, math::FmaOp::create(b, l, args[1], x, args[2]));
          Value zo = arith::ConstantOp::create(
              b, l, b.getF32FloatAttr(static_cast<float>(out.zeroPoint())));
          y = arith::AddFOp::create(b, l, y, zo);
          if (relu)
            y = arith::MaxNumFOp::create(b, l, y, zo);
          return saturateToStorage(b, l, y, static_cast<float>(out.qmin),
                                   static_cast<float>(out.qmax), storage);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};
} // namespace

void mlir::qnn::populateQNNNormToLinalgPatterns(const TypeConverter &converter,
                                                RewritePatternSet &patterns) {
  patterns.add<BatchNormToLinalg>(converter, patterns.getContext());
}
