//===- Pooling.cpp - qnn pooling ops to linalg ----------------------------===//

#include "Requantize.h"
#include "qnn/Conversion/QNNToLinalg/QNNToLinalg.h"
#include "qnn/Dialect/QNN/Utils/Padding.h"
#include "qnn/Dialect/QNN/Utils/Windows.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

#include <cmath>

using namespace mlir;
using namespace mlir::qnn;

//===----------------------------------------------------------------------===//
// Averages (docs/numerics/pooling.md)
//===----------------------------------------------------------------------===//

namespace {
/// The int32 sums of the codes over the windows `h` x `w`.
Value buildCodeSums(OpBuilder &b, Location loc, Value codes, bool isSigned,
                    const DimWindows &h, const DimWindows &w) {
  return buildWindowSums(b, loc, codes, h, w, b.getI32Type(),
                         [&](OpBuilder &nb, Location l, Value code) {
                           return extendStorage(nb, l, code, isSigned);
                         });
}

/// How torch's kernel turns a window's sum of codes into the output code.
enum class AverageFormula {
  /// ATen NCHW avg_pool2d: `rint(f32(f32(acc) * m) + f32(zp))`, m per window.
  ZeroPointInFloat,
  /// ATen channels-last, QNNPACK: `rint(f32(acc) * m) + zp`, m per window.
  ZeroPointAfter,
  /// ATen NCHW adaptive_avg_pool2d: `rint(f32(sum) * m)` of the raw codes.
  RawCodes,
};

/// A float constant tensor of the given shape.
Value floatTable(OpBuilder &b, Location loc, ArrayRef<int64_t> shape,
                 ArrayRef<float> values) {
  return arith::ConstantOp::create(
      b, loc,
      DenseElementsAttr::get(RankedTensorType::get(shape, b.getF32Type()),
                             values));
}

/// The output codes of the window sums `sums` (N x C x oH x oW): `acc` is
/// the sum less `count[oh, ow] * zp`, scaled by `multiplier[oh, ow]`
/// (`tailMultiplier` from channel `tailChannel` on).
Value buildAverageEpilogue(OpBuilder &b, Location loc, Value sums,
                           const QuantParams &params, Type storage,
                           AverageFormula formula, ArrayRef<int64_t> count,
                           ArrayRef<float> multiplier,
                           ArrayRef<float> tailMultiplier = {},
                           int64_t tailChannel = 0) {
  MLIRContext *ctx = b.getContext();
  auto type = cast<RankedTensorType>(sums.getType());
  SmallVector<int64_t> spatial(type.getShape().drop_front(2));
  Value counts = arith::ConstantOp::create(
      b, loc,
      DenseElementsAttr::get(
          RankedTensorType::get(spatial, b.getI32Type()),
          llvm::to_vector(llvm::map_range(count, [](int64_t v) {
            return APInt(32, static_cast<uint64_t>(v));
          }))));
  SmallVector<Value> inputs = {sums, counts,
                               floatTable(b, loc, spatial, multiplier)};
  bool hasTail = !tailMultiplier.empty();
  if (hasTail)
    inputs.push_back(floatTable(b, loc, spatial, tailMultiplier));
  auto d = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
  AffineMap identity = b.getMultiDimIdentityMap(4);
  AffineMap perPosition = AffineMap::get(4, 0, {d(2), d(3)}, ctx);
  SmallVector<AffineMap> maps = {identity, perPosition, perPosition};
  if (hasTail)
    maps.push_back(perPosition);
  int64_t zp = params.zeroPoint();
  return buildElementwise(
      b, loc, type.getShape(), storage, inputs, maps,
      [&](OpBuilder &nb, Location l, ValueRange args) -> Value {
        auto i32 = [&](int64_t v) {
          return arith::ConstantOp::create(nb, l, nb.getI32IntegerAttr(v))
              .getResult();
        };
        auto f32 = [&](float v) {
          return arith::ConstantOp::create(nb, l, nb.getF32FloatAttr(v))
              .getResult();
        };
        Value m = args[2];
        if (hasTail) {
          Value c = linalg::IndexOp::create(nb, l, 1);
          Value isTail = arith::CmpIOp::create(
              nb, l, arith::CmpIPredicate::uge, c,
              arith::ConstantIndexOp::create(nb, l, tailChannel));
          m = arith::SelectOp::create(nb, l, isTail, args[3], m);
        }
        Value acc = args[0];
        if (formula != AverageFormula::RawCodes)
          acc = arith::SubIOp::create(
              nb, l, acc, arith::MulIOp::create(nb, l, args[1], i32(zp)));
        Value scaled = arith::MulFOp::create(
            nb, l, arith::SIToFPOp::create(nb, l, nb.getF32Type(), acc), m);
        if (formula == AverageFormula::ZeroPointInFloat)
          scaled =
              arith::AddFOp::create(nb, l, scaled, f32(static_cast<float>(zp)));
        Value rounded = math::RoundEvenOp::create(nb, l, scaled);
        if (formula == AverageFormula::ZeroPointAfter)
          rounded = arith::AddFOp::create(nb, l, rounded,
                                          f32(static_cast<float>(zp)));
        return saturateToStorage(nb, l, rounded, params.qmin, params.qmax,
                                 storage);
      });
}

/// QNNPACK's average multiplier for `count` taps:
/// `f32(f32(s) / f32(f32(s) * f32(count)))`.
float qnnpackAverageScale(const QuantParams &params, int64_t count) {
  float s = static_cast<float>(params.scale());
  return s / (s * static_cast<float>(count));
}

struct AvgPoolToLinalg : EngineConversionPattern<AvgPoolOp> {
  using EngineConversionPattern::EngineConversionPattern;

  LogicalResult
  matchAndRewrite(AvgPoolOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto inType = cast<RankedTensorType>(op.getInput().getType());
    auto outType = cast<RankedTensorType>(op.getType());
    if (!inType.hasStaticShape() || !outType.hasStaticShape())
      return rewriter.notifyMatchFailure(op, "dynamic shapes");
    QuantParams params = paramsOf(outType);
    ArrayRef<int64_t> k = op.getKernel(), s = op.getStrides(),
                      p = op.getPadding();
    DimWindows h = getPoolWindows(inType.getDimSize(2), outType.getDimSize(2),
                                  k[0], s[0], p[0]);
    DimWindows w = getPoolWindows(inType.getDimSize(3), outType.getDimSize(3),
                                  k[1], s[1], p[1]);
    bool qnnpack =
        engine.usesQnnpackPooling(params.isSigned, params.storageWidth) &&
        !op.getCeilMode();
    SmallVector<int64_t> count;
    SmallVector<float> multiplier, tail;
    bool tailDiffers = false;
    SmallVector<int64_t> divisors = getAverageDivisors(
        h, w, op.getCountIncludePad(), op.getDivisorOverride());
    for (size_t oh = 0; oh < h.start.size(); ++oh) {
      for (size_t ow = 0; ow < w.start.size(); ++ow) {
        count.push_back(h.length[oh] * w.length[ow]);
        if (qnnpack) {
          // QNNPACK reads padding as zp and divides by the kernel size.
          multiplier.push_back(qnnpackAverageScale(params, k[0] * k[1]));
          continue;
        }
        int64_t divisor = divisors[count.size() - 1];
        if (!op.getChannelsLast()) {
          multiplier.push_back(
              static_cast<float>(1.0 / static_cast<double>(divisor)));
          continue;
        }
        // Channels-last: the vectorized channels use 1/D, the rest
        // 1 / (1 / (1/D)) (equal below D = 2000).
        float m = 1.0f / static_cast<float>(divisor);
        multiplier.push_back(m);
        tail.push_back(1.0f / (1.0f / m));
        tailDiffers |= tail.back() != m;
      }
    }
    Value sums = buildCodeSums(rewriter, op.getLoc(), adaptor.getInput(),
                               params.isSigned, h, w);
    AverageFormula formula = qnnpack || op.getChannelsLast()
                                 ? AverageFormula::ZeroPointAfter
                                 : AverageFormula::ZeroPointInFloat;
    // ATen's AVX2 kernel vectorizes whole groups of 8 channels.
    int64_t vectorChannels = inType.getDimSize(1) / 8 * 8;
    Value result = buildAverageEpilogue(
        rewriter, op.getLoc(), sums, params, storageOf(outType), formula, count,
        multiplier, tailDiffers ? ArrayRef<float>(tail) : ArrayRef<float>(),
        vectorChannels);
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct AdaptiveAvgPoolToLinalg : EngineConversionPattern<AdaptiveAvgPoolOp> {
  using EngineConversionPattern::EngineConversionPattern;

  LogicalResult
  matchAndRewrite(AdaptiveAvgPoolOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto inType = cast<RankedTensorType>(op.getInput().getType());
    auto outType = cast<RankedTensorType>(op.getType());
    if (!inType.hasStaticShape() || !outType.hasStaticShape())
      return rewriter.notifyMatchFailure(op, "dynamic shapes");
    QuantParams params = paramsOf(outType);
    int64_t inH = inType.getDimSize(2), inW = inType.getDimSize(3);
    int64_t outH = outType.getDimSize(2), outW = outType.getDimSize(3);
    DimWindows h = getAdaptiveWindows(inH, outH);
    DimWindows w = getAdaptiveWindows(inW, outW);
    // QNNPACK's average pooling where the windows tile the input.
    bool qnnpack =
        engine.usesQnnpackPooling(params.isSigned, params.storageWidth) &&
        (inH != outH || inW != outW) && inH % outH == 0 && inW % outW == 0;
    SmallVector<int64_t> count;
    SmallVector<float> multiplier;
    for (size_t oh = 0; oh < h.start.size(); ++oh) {
      for (size_t ow = 0; ow < w.start.size(); ++ow) {
        int64_t kh = h.length[oh], kw = w.length[ow];
        count.push_back(kh * kw);
        if (qnnpack) {
          multiplier.push_back(qnnpackAverageScale(params, kh * kw));
        } else if (op.getChannelsLast()) {
          float m = 1.0f / static_cast<float>(kh * kw);
          multiplier.push_back(1.0f / (1.0f / m));
        } else {
          multiplier.push_back(1.0f / static_cast<float>(kh) /
                               static_cast<float>(kw));
        }
      }
    }
    Value sums = buildCodeSums(rewriter, op.getLoc(), adaptor.getInput(),
                               params.isSigned, h, w);
    AverageFormula formula = qnnpack || op.getChannelsLast()
                                 ? AverageFormula::ZeroPointAfter
                                 : AverageFormula::RawCodes;
    rewriter.replaceOp(op, buildAverageEpilogue(rewriter, op.getLoc(), sums,
                                                params, storageOf(outType),
                                                formula, count, multiplier));
    return success();
  }
};

struct MeanToLinalg : EngineConversionPattern<MeanOp> {
  using EngineConversionPattern::EngineConversionPattern;

  LogicalResult
  matchAndRewrite(MeanOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto inType = cast<RankedTensorType>(op.getInput().getType());
    auto outType = cast<RankedTensorType>(op.getType());
    if (!inType.hasStaticShape() || !outType.hasStaticShape())
      return rewriter.notifyMatchFailure(op, "dynamic shapes");
    Location loc = op.getLoc();
    QuantParams params = paramsOf(outType);
    int64_t rank = inType.getRank();
    int64_t kept = rank - static_cast<int64_t>(op.getDims().size());
    int64_t count = 1;
    for (int64_t d : op.getDims())
      count *= inType.getDimSize(d);
    // The int32 sums over the trailing dimensions.
    SmallVector<int64_t> keptShape(inType.getShape().take_front(kept));
    MLIRContext *ctx = rewriter.getContext();
    Value zero =
        arith::ConstantOp::create(rewriter, loc, rewriter.getI32IntegerAttr(0));
    Value init = linalg::FillOp::create(
                     rewriter, loc, ValueRange{zero},
                     ValueRange{tensor::EmptyOp::create(
                         rewriter, loc, keptShape, rewriter.getI32Type())})
                     .getResult(0);
    SmallVector<utils::IteratorType> iterators(kept,
                                               utils::IteratorType::parallel);
    iterators.append(rank - kept, utils::IteratorType::reduction);
    SmallVector<AffineExpr> outExprs;
    for (int64_t i = 0; i < kept; ++i)
      outExprs.push_back(getAffineDimExpr(i, ctx));
    bool isSigned = params.isSigned;
    Value sums =
        linalg::GenericOp::create(
            rewriter, loc, TypeRange{init.getType()},
            ValueRange{adaptor.getInput()}, ValueRange{init},
            SmallVector<AffineMap>{rewriter.getMultiDimIdentityMap(rank),
                                   AffineMap::get(rank, 0, outExprs, ctx)},
            iterators,
            [&](OpBuilder &b, Location l, ValueRange args) {
              Value wide = extendStorage(b, l, args[0], isSigned);
              linalg::YieldOp::create(
                  b, l, arith::AddIOp::create(b, l, args[1], wide).getResult());
            })
            .getResult(0);
    // QNNPACK's global average pooling (N x C x H x W over [2, 3]), else
    // ATen's `rint(f32(sum) / f32(count))` of the raw codes.
    bool qnnpack =
        engine.usesQnnpackPooling(params.isSigned, params.storageWidth) &&
        rank == 4 && kept == 2;
    float qnnpackScale = qnnpackAverageScale(params, count);
    int64_t zp = params.zeroPoint();
    Type storage = storageOf(outType);
    Value codes = buildElementwise(
        rewriter, loc, keptShape, storage, {sums},
        {rewriter.getMultiDimIdentityMap(kept)},
        [&](OpBuilder &b, Location l, ValueRange args) -> Value {
          auto f32 = [&](float v) {
            return arith::ConstantOp::create(b, l, b.getF32FloatAttr(v))
                .getResult();
          };
          Value sum = args[0];
          Value rounded;
          if (qnnpack) {
            Value acc = arith::SubIOp::create(
                b, l, sum,
                arith::ConstantOp::create(b, l,
                                          b.getI32IntegerAttr(count * zp)));
            Value scaled = arith::MulFOp::create(
                b, l, arith::SIToFPOp::create(b, l, b.getF32Type(), acc),
                f32(qnnpackScale));
            rounded = arith::AddFOp::create(
                b, l, math::RoundEvenOp::create(b, l, scaled),
                f32(static_cast<float>(zp)));
          } else {
            Value mean = arith::DivFOp::create(
                b, l, arith::SIToFPOp::create(b, l, b.getF32Type(), sum),
                f32(static_cast<float>(count)));
            rounded = math::RoundEvenOp::create(b, l, mean);
          }
          return saturateToStorage(b, l, rounded, params.qmin, params.qmax,
                                   storage);
        });
    // keepdim: the reduced dimensions come back as size 1.
    if (outType.getRank() != kept)
      codes = tensor::ExpandShapeOp::create(
          rewriter, loc, RankedTensorType::get(outType.getShape(), storage),
          codes, getKeepDimsReassociation(rank, kept));
    rewriter.replaceOp(op, codes);
    return success();
  }
};

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
  patterns.add<MaxPoolToLinalg>(converter, patterns.getContext());
  patterns.add<AvgPoolToLinalg, AdaptiveAvgPoolToLinalg, MeanToLinalg>(
      converter, patterns.getContext(), engine);
}
