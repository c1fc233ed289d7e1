//===- Norm.cpp - qnn normalizations to linalg ----------------------------===//
//
// docs/numerics/norms.md: torch folds batch normalization into one
// multiplier and offset per channel, then computes on the codes.
//
//===----------------------------------------------------------------------===//

#include "Requantize.h"
#include "qnn/Conversion/QNNToLinalg/QNNToLinalg.h"
#include "qnn/Dialect/QNN/Utils/QuantUtils.h"
#include "qnn/Dialect/QNN/Utils/Reshape.h"

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
  int64_t channels =
      cast<RankedTensorType>(op.getInput().getType()).getDimSize(1);
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
        Value sigma = math::SqrtOp::create(
            nb, l, arith::AddFOp::create(nb, l, v, c32(eps)));
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
/// The affine step of a normalization on its [M, N] view: `weight` and
/// `bias` (either may be null) read at `map(row, column)`; `perChannel`
/// multiplies the factor into the weight first (group norm), else the
/// normalized value by the weight (layer norm).
struct NormAffine {
  Value weight, bias;
  AffineMap map;
  bool perChannel = false;
};

/// torch's quantized_normalize_kernel on the [M, N] view `codes` (one group
/// per row): from the exact sums of the codes
///   ms = f32(f32(sum) / f32(N)), mean = f32(ms - f32(zp_x)),
///   var = max(f32(f32(sumsq) / f32(N)) - f32(ms * ms), 0),
///   k = f32(s_x / sqrt((d) f32(f32(var * s_x) * s_x) + eps)),
/// then, with x = f32(q - zp_x),
///   layer norm: y = f32(f32(f32(f32(x - mean) * k) * gamma) + beta)
///   group norm: y = f32(f32(f32(x - mean) * f32(k * gamma)) + beta)
/// and q' = clamp(rint(f32(y * f32(1 / s_y))) + zp_y)
/// (docs/numerics/norms.md).
Value buildNormalize(OpBuilder &rewriter, Location loc, Value codes,
                     const QuantParams &in, const QuantParams &out,
                     Type storage, double eps, const NormAffine &affine) {
  MLIRContext *ctx = rewriter.getContext();
  auto type = cast<RankedTensorType>(codes.getType());
  int64_t m = type.getDimSize(0), n = type.getDimSize(1);
  Type i64 = rewriter.getI64Type(), f32 = rewriter.getF32Type(),
       f64 = rewriter.getF64Type();
  auto d = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
  AffineMap rowsCols = rewriter.getMultiDimIdentityMap(2);
  AffineMap rowsOnly = AffineMap::get(2, 0, {d(0)}, ctx);
  auto zeros = [&]() {
    Value zero =
        arith::ConstantOp::create(rewriter, loc, rewriter.getI64IntegerAttr(0));
    return linalg::FillOp::create(
               rewriter, loc, ValueRange{zero},
               ValueRange{tensor::EmptyOp::create(rewriter, loc, {m}, i64)})
        .getResult(0);
  };
  bool isSigned = in.isSigned;
  // The exact sums of the codes and of their squares, per row.
  auto sums = linalg::GenericOp::create(
      rewriter, loc,
      TypeRange{RankedTensorType::get({m}, i64),
                RankedTensorType::get({m}, i64)},
      ValueRange{codes}, ValueRange{zeros(), zeros()},
      SmallVector<AffineMap>{rowsCols, rowsOnly, rowsOnly},
      SmallVector<utils::IteratorType>{utils::IteratorType::parallel,
                                       utils::IteratorType::reduction},
      [&](OpBuilder &b, Location l, ValueRange args) {
        Value x = arith::ExtSIOp::create(
            b, l, i64, extendStorage(b, l, args[0], isSigned));
        Value sum = arith::AddIOp::create(b, l, args[1], x);
        Value sumSq = arith::AddIOp::create(b, l, args[2],
                                            arith::MulIOp::create(b, l, x, x));
        linalg::YieldOp::create(b, l, ValueRange{sum, sumSq});
      });

  // Per row: the mean and the factor k, as torch rounds them.
  float sx = static_cast<float>(in.scale());
  AffineMap row = rewriter.getMultiDimIdentityMap(1);
  auto stats = linalg::GenericOp::create(
      rewriter, loc,
      TypeRange{RankedTensorType::get({m}, f32),
                RankedTensorType::get({m}, f32)},
      ValueRange{sums.getResult(0), sums.getResult(1)},
      ValueRange{tensor::EmptyOp::create(rewriter, loc, {m}, f32),
                 tensor::EmptyOp::create(rewriter, loc, {m}, f32)},
      SmallVector<AffineMap>(4, row),
      SmallVector<utils::IteratorType>{utils::IteratorType::parallel},
      [&](OpBuilder &b, Location l, ValueRange args) {
        auto c32 = [&](float v) -> Value {
          return arith::ConstantOp::create(b, l, b.getF32FloatAttr(v));
        };
        Value count = c32(static_cast<float>(n));
        Value ms = arith::DivFOp::create(
            b, l, arith::SIToFPOp::create(b, l, f32, args[0]), count);
        Value mean = arith::SubFOp::create(
            b, l, ms, c32(static_cast<float>(in.zeroPoint())));
        Value meanSq = arith::DivFOp::create(
            b, l, arith::SIToFPOp::create(b, l, f32, args[1]), count);
        Value var = arith::MaximumFOp::create(
            b, l,
            arith::SubFOp::create(b, l, meanSq,
                                  arith::MulFOp::create(b, l, ms, ms)),
            c32(0.0f));
        Value scaledVar = arith::MulFOp::create(
            b, l, arith::MulFOp::create(b, l, var, c32(sx)), c32(sx));
        Value root = math::SqrtOp::create(
            b, l,
            arith::AddFOp::create(
                b, l, arith::ExtFOp::create(b, l, f64, scaledVar),
                arith::ConstantOp::create(b, l, b.getF64FloatAttr(eps))));
        Value k = arith::TruncFOp::create(
            b, l, f32,
            arith::DivFOp::create(
                b, l, arith::ConstantOp::create(b, l, b.getF64FloatAttr(sx)),
                root));
        linalg::YieldOp::create(b, l, ValueRange{mean, k});
      });

  SmallVector<Value> inputs = {codes, stats.getResult(0), stats.getResult(1)};
  SmallVector<AffineMap> maps = {rowsCols, rowsOnly, rowsOnly};
  for (Value parameter : {affine.weight, affine.bias})
    if (parameter) {
      inputs.push_back(parameter);
      maps.push_back(affine.map);
    }
  bool hasWeight = static_cast<bool>(affine.weight);
  bool hasBias = static_cast<bool>(affine.bias);
  bool perChannel = affine.perChannel;
  float inverse = reciprocalScale(out.scale());
  return buildElementwise(
      rewriter, loc, {m, n}, storage, inputs, maps,
      [&](OpBuilder &b, Location l, ValueRange args) -> Value {
        auto c32 = [&](float v) -> Value {
          return arith::ConstantOp::create(b, l, b.getF32FloatAttr(v));
        };
        Value centered = arith::SubIOp::create(
            b, l, extendStorage(b, l, args[0], isSigned),
            arith::ConstantOp::create(b, l,
                                      b.getI32IntegerAttr(in.zeroPoint())));
        Value x = arith::SubFOp::create(
            b, l, arith::SIToFPOp::create(b, l, b.getF32Type(), centered),
            args[1]);
        Value k = args[2];
        unsigned next = 3;
        Value y;
        if (hasWeight && perChannel) {
          y = arith::MulFOp::create(
              b, l, x, arith::MulFOp::create(b, l, k, args[next++]));
        } else {
          y = arith::MulFOp::create(b, l, x, k);
          if (hasWeight)
            y = arith::MulFOp::create(b, l, y, args[next++]);
        }
        if (hasBias)
          y = arith::AddFOp::create(b, l, y, args[next++]);
        Value q = math::RoundEvenOp::create(
            b, l, arith::MulFOp::create(b, l, y, c32(inverse)));
        q = arith::AddFOp::create(b, l, q,
                                  c32(static_cast<float>(out.zeroPoint())));
        return saturateToStorage(b, l, q, static_cast<float>(out.qmin),
                                 static_cast<float>(out.qmax), storage);
      });
}

/// qnn.layer_norm: rows are the leading dimensions, the affine per column.
struct LayerNormToLinalg : OpConversionPattern<LayerNormOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(LayerNormOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto inType = cast<RankedTensorType>(op.getInput().getType());
    auto outType = cast<RankedTensorType>(op.getType());
    if (!inType.hasStaticShape() || !outType.hasStaticShape())
      return rewriter.notifyMatchFailure(op, "dynamic shapes");
    Location loc = op.getLoc();
    int64_t n = 1;
    for (int64_t d : inType.getShape().take_back(op.getNormalizedRank()))
      n *= d;
    int64_t m = inType.getNumElements() / n;
    NormAffine affine;
    if (Value weight = adaptor.getWeight())
      affine.weight = buildReshape(rewriter, loc, weight, {n});
    if (Value bias = adaptor.getBias())
      affine.bias = buildReshape(rewriter, loc, bias, {n});
    affine.map =
        AffineMap::get(2, 0, getAffineDimExpr(1, getContext()), getContext());
    Value result = buildNormalize(
        rewriter, loc, buildReshape(rewriter, loc, adaptor.getInput(), {m, n}),
        paramsOf(inType), paramsOf(outType), storageOf(outType),
        op.getEps().convertToDouble(), affine);
    rewriter.replaceOp(op,
                       buildReshape(rewriter, loc, result, outType.getShape()));
    return success();
  }
};

/// qnn.group_norm: a row per (sample, group), the affine per channel, the
/// channel of row r, column j being (r mod G) * C/G + j floordiv S (S the
/// spatial size).
struct GroupNormToLinalg : OpConversionPattern<GroupNormOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(GroupNormOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto inType = cast<RankedTensorType>(op.getInput().getType());
    auto outType = cast<RankedTensorType>(op.getType());
    if (!inType.hasStaticShape() || !outType.hasStaticShape())
      return rewriter.notifyMatchFailure(op, "dynamic shapes");
    Location loc = op.getLoc();
    int64_t groups = op.getGroups(), channels = inType.getDimSize(1);
    int64_t spatial = inType.getNumElements() / inType.getDimSize(0) / channels;
    int64_t perGroup = channels / groups;
    int64_t m = inType.getDimSize(0) * groups, n = perGroup * spatial;
    MLIRContext *ctx = getContext();
    NormAffine affine;
    affine.weight = adaptor.getWeight();
    affine.bias = adaptor.getBias();
    affine.perChannel = true;
    affine.map = AffineMap::get(2, 0,
                                getAffineDimExpr(0, ctx) % groups * perGroup +
                                    getAffineDimExpr(1, ctx).floorDiv(spatial),
                                ctx);
    Value result = buildNormalize(
        rewriter, loc, buildReshape(rewriter, loc, adaptor.getInput(), {m, n}),
        paramsOf(inType), paramsOf(outType), storageOf(outType),
        op.getEps().convertToDouble(), affine);
    rewriter.replaceOp(op,
                       buildReshape(rewriter, loc, result, outType.getShape()));
    return success();
  }
};
} // namespace

void mlir::qnn::populateQNNNormToLinalgPatterns(const TypeConverter &converter,
                                                RewritePatternSet &patterns) {
  patterns.add<BatchNormToLinalg, LayerNormToLinalg, GroupNormToLinalg>(
      converter, patterns.getContext());
}
