//===- Dynamic.cpp - dynamic quantization to linalg -----------------------===//
//
// qnn.choose_qparams as PyTorch's ChooseQuantizationParams in scalar arith
// over the tensor's range (a linalg reduction), qnn.quantize_dynamic /
// qnn.dequantize_dynamic as elementwise generics reading the run-time
// parameters, and qnn.dynamic_linear as the engine computes
// quantized::linear_dynamic: the input quantized with its chosen
// parameters, qnn.int_matmul (whose strategy picks the runtime's GEMM),
// the zero-point corrections and the engine's float epilogue
// (docs/numerics/dynamic.md).
//
//===----------------------------------------------------------------------===//

#include "Contraction.h"
#include "IntegerSums.h"
#include "Requantize.h"
#include "qnn/Conversion/QNNToLinalg/QNNToLinalg.h"
#include "qnn/Dialect/QNN/Utils/CastBuilders.h"
#include "qnn/Dialect/QNN/Utils/Padding.h"
#include "qnn/Dialect/QNN/Utils/QuantUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace mlir::qnn;

namespace {

Value f32Constant(OpBuilder &b, Location loc, float v) {
  return arith::ConstantOp::create(b, loc, b.getF32FloatAttr(v));
}
Value f64Constant(OpBuilder &b, Location loc, double v) {
  return arith::ConstantOp::create(b, loc, b.getF64FloatAttr(v));
}

/// `min(min(x), 0)` and `max(max(x), 0)` of an f32 tensor as scalars: one
/// reduction over its elements starting at 0 (NaN propagates, as in
/// torch.aminmax), which the runtime computes with vector min/max
/// (`qnn_range_f32`; the generic's body stays the definition).
std::pair<Value, Value> buildRangeWithZero(OpBuilder &b, Location loc,
                                           Value x) {
  auto type = cast<RankedTensorType>(x.getType());
  if (type.getRank() != 1) {
    ReassociationIndices all;
    for (int64_t d = 0; d < type.getRank(); ++d)
      all.push_back(d);
    x = tensor::CollapseShapeOp::create(
        b, loc, RankedTensorType::get({type.getNumElements()}, b.getF32Type()),
        x,
        type.getRank() ? SmallVector<ReassociationIndices>{all}
                       : SmallVector<ReassociationIndices>{});
  }
  auto scalarType = RankedTensorType::get({}, b.getF32Type());
  Value init =
      linalg::FillOp::create(b, loc, ValueRange{f32Constant(b, loc, 0.0f)},
                             ValueRange{tensor::EmptyOp::create(
                                 b, loc, ArrayRef<int64_t>{}, b.getF32Type())})
          .getResult(0);
  MLIRContext *ctx = b.getContext();
  AffineMap all = AffineMap::getMultiDimIdentityMap(1, ctx);
  AffineMap none = AffineMap::get(1, 0, {}, ctx);
  auto reduce = linalg::GenericOp::create(
      b, loc, TypeRange{scalarType, scalarType}, ValueRange{x},
      ValueRange{init, init}, SmallVector<AffineMap>{all, none, none},
      SmallVector<utils::IteratorType>{utils::IteratorType::reduction},
      [](OpBuilder &nb, Location nloc, ValueRange args) {
        linalg::YieldOp::create(
            nb, nloc,
            ValueRange{arith::MinimumFOp::create(nb, nloc, args[1], args[0]),
                       arith::MaximumFOp::create(nb, nloc, args[2], args[0])});
      });
  reduce->setAttr("library_call", b.getStringAttr("qnn_range_f32"));
  auto extract = [&](Value v) -> Value {
    return tensor::ExtractOp::create(b, loc, v, ValueRange{});
  };
  return {extract(reduce.getResult(0)), extract(reduce.getResult(1))};
}

/// A run-time scale (f64) and zero point (i32).
struct DynamicParams {
  Value scale, zeroPoint;
};

/// PyTorch's ChooseQuantizationParams(min, max, qmin, qmax) on f32 scalars
/// that already include 0 (QuantUtils.h of ATen, preserve_sparsity and
/// force_scale_power_of_two off), step by step.
DynamicParams buildChooseQParams(OpBuilder &b, Location loc, Value mn, Value mx,
                                 int64_t qmin, int64_t qmax) {
  using arith::CmpFPredicate;
  Type f32 = b.getF32Type(), f64 = b.getF64Type();
  auto ext = [&](Value v) -> Value {
    return arith::ExtFOp::create(b, loc, f64, v);
  };
  auto select = [&](Value c, Value t, Value f) -> Value {
    return arith::SelectOp::create(b, loc, c, t, f);
  };
  auto cmp = [&](CmpFPredicate p, Value l, Value r) -> Value {
    return arith::CmpFOp::create(b, loc, p, l, r);
  };
  double levels = static_cast<double>(qmax - qmin);
  // scale = (d)(max - min) / (qmax - qmin); 0.1 where f32(scale) is 0 or
  // its f32 reciprocal infinite.
  Value scale = arith::DivFOp::create(
      b, loc, arith::SubFOp::create(b, loc, ext(mx), ext(mn)),
      f64Constant(b, loc, levels));
  Value scale32 = arith::TruncFOp::create(b, loc, f32, scale);
  Value reciprocal =
      arith::DivFOp::create(b, loc, f32Constant(b, loc, 1.0f), scale32);
  Value degenerate = arith::OrIOp::create(
      b, loc, cmp(CmpFPredicate::OEQ, scale32, f32Constant(b, loc, 0.0f)),
      cmp(CmpFPredicate::OEQ, math::AbsFOp::create(b, loc, reciprocal),
          f32Constant(b, loc, std::numeric_limits<float>::infinity())));
  scale = select(degenerate, f64Constant(b, loc, 0.1), scale);

  // Scales below the fp16 threshold become it, stretching the range: max
  // (min) from the threshold where the other end is 0, else both ends by
  // f32(threshold / f32(scale)).
  const float threshold = 6.1e-5f;
  Value small = cmp(CmpFPredicate::OLT, scale,
                    f64Constant(b, loc, static_cast<double>(threshold)));
  Value zero = f32Constant(b, loc, 0.0f);
  Value minIsZero = cmp(CmpFPredicate::OEQ, mn, zero);
  Value maxIsZero = cmp(CmpFPredicate::OEQ, mx, zero);
  Value amplifier =
      arith::DivFOp::create(b, loc, f32Constant(b, loc, threshold),
                            arith::TruncFOp::create(b, loc, f32, scale));
  Value span = f32Constant(b, loc, threshold * static_cast<float>(levels));
  Value negSpan = f32Constant(b, loc, -threshold * static_cast<float>(levels));
  Value smallMin = select(
      minIsZero, mn,
      select(maxIsZero, negSpan, arith::MulFOp::create(b, loc, mn, amplifier)));
  Value smallMax = select(
      minIsZero, span,
      select(maxIsZero, mx, arith::MulFOp::create(b, loc, mx, amplifier)));
  mn = select(small, smallMin, mn);
  mx = select(small, smallMax, mx);
  scale =
      select(small, f64Constant(b, loc, static_cast<double>(threshold)), scale);

  // The zero point from the end with the smaller "error" |qm| - |m / s|,
  // clamped, rounded half to even.
  Value minOverScale = arith::DivFOp::create(b, loc, ext(mn), scale);
  Value maxOverScale = arith::DivFOp::create(b, loc, ext(mx), scale);
  Value qminF = f64Constant(b, loc, static_cast<double>(qmin));
  Value qmaxF = f64Constant(b, loc, static_cast<double>(qmax));
  Value fromMin = arith::SubFOp::create(b, loc, qminF, minOverScale);
  Value fromMax = arith::SubFOp::create(b, loc, qmaxF, maxOverScale);
  Value minError = arith::SubFOp::create(
      b, loc, f64Constant(b, loc, std::abs(static_cast<double>(qmin))),
      math::AbsFOp::create(b, loc, minOverScale));
  Value maxError = arith::SubFOp::create(
      b, loc, f64Constant(b, loc, std::abs(static_cast<double>(qmax))),
      math::AbsFOp::create(b, loc, maxOverScale));
  Value initial =
      select(cmp(CmpFPredicate::OLT, minError, maxError), fromMin, fromMax);
  Value rounded = math::RoundEvenOp::create(b, loc, initial);
  Value nudged =
      select(cmp(CmpFPredicate::OLT, initial, qminF), qminF,
             select(cmp(CmpFPredicate::OGT, initial, qmaxF), qmaxF, rounded));
  Value zeroPoint = arith::FPToSIOp::create(b, loc, b.getI32Type(), nudged);
  return {scale, zeroPoint};
}

struct ChooseQParamsToLinalg : OpConversionPattern<ChooseQParamsOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ChooseQParamsOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto [mn, mx] =
        buildRangeWithZero(rewriter, op.getLoc(), adaptor.getInput());
    DynamicParams params = buildChooseQParams(rewriter, op.getLoc(), mn, mx,
                                              op.getQmin(), op.getQmax());
    rewriter.replaceOp(op, {params.scale, params.zeroPoint});
    return success();
  }
};

struct QuantizeDynamicToLinalg : OpConversionPattern<QuantizeDynamicOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(QuantizeDynamicOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOp(
        op, buildQuantizeDynamic(
                rewriter, op.getLoc(), adaptor.getInput(), adaptor.getScale(),
                adaptor.getZeroPoint(),
                cast<quant::AnyQuantizedType>(op.getType().getElementType())));
    return success();
  }
};

struct DequantizeDynamicToLinalg : OpConversionPattern<DequantizeDynamicOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(DequantizeDynamicOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto element = cast<quant::AnyQuantizedType>(
        cast<RankedTensorType>(op.getInput().getType()).getElementType());
    rewriter.replaceOp(
        op, buildDequantizeDynamic(rewriter, op.getLoc(), adaptor.getInput(),
                                   adaptor.getScale(), adaptor.getZeroPoint(),
                                   element.isSigned()));
    return success();
  }
};

/// Engines that sum u8 x s8 products in saturating int16 pairs cannot
/// saturate with reduce_range's codes (2 * 127 * 128 < 2^15): the sums are
/// exact. qnn does not model the saturation of full-range dynamic inputs.
LogicalResult checkReduceRange(Operation *op, const EngineInfo &engine,
                               bool reduceRange, StringRef module) {
  if (!engine.saturatingPairs || reduceRange)
    return success();
  return op->emitOpError()
         << "'" << engine.getName()
         << "' numerics would sum the products of a full-range dynamic "
            "input in saturating int16 pairs, which qnn does not model: "
            "use reduce_range (as "
         << module << " does)";
}

struct DynamicLinearToLinalg : EngineConversionPattern<DynamicLinearOp> {
  using EngineConversionPattern::EngineConversionPattern;

  LogicalResult
  matchAndRewrite(DynamicLinearOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    if (failed(
            checkReduceRange(op, engine, op.getReduceRange(), "nnqd.Linear")))
      return failure();
    auto inputType = cast<RankedTensorType>(op.getInput().getType());
    auto weightType = cast<RankedTensorType>(op.getWeight().getType());
    QuantParams weight = paramsOf(weightType);
    int64_t n = weightType.getDimSize(0), k = weightType.getDimSize(1);

    // [..., K] as [M, K].
    Value x = adaptor.getInput();
    int64_t rank = inputType.getRank();
    SmallVector<ReassociationIndices> rows;
    if (rank == 1) {
      rows = {{0, 1}};
      x = tensor::ExpandShapeOp::create(
          rewriter, loc, RankedTensorType::get({1, k}, rewriter.getF32Type()),
          x, rows);
    } else if (rank > 2) {
      ReassociationIndices outer;
      for (int64_t d = 0; d + 1 < rank; ++d)
        outer.push_back(d);
      rows = {outer, {rank - 1}};
      x = tensor::CollapseShapeOp::create(rewriter, loc, x, rows);
    }
    int64_t m = cast<RankedTensorType>(x.getType()).getDimSize(0);

    // The input's parameters and codes (quint8).
    auto [mn, mx] = buildRangeWithZero(rewriter, loc, adaptor.getInput());
    DynamicParams params =
        buildChooseQParams(rewriter, loc, mn, mx, 0, op.getInputQMax());
    bool onednn = engine.dynamicLinear == DynamicFormula::OneDNNScaledBias;
    // The reciprocal of the scale: oneDNN's in double, rounded; else
    // torch.quantize_per_tensor's of the rounded scale.
    Type f32 = rewriter.getF32Type();
    Value inverse =
        onednn ? arith::TruncFOp::create(
                     rewriter, loc, f32,
                     arith::DivFOp::create(rewriter, loc,
                                           f64Constant(rewriter, loc, 1.0),
                                           params.scale))
                     .getResult()
               : arith::DivFOp::create(
                     rewriter, loc, f32Constant(rewriter, loc, 1.0f),
                     arith::TruncFOp::create(rewriter, loc, f32, params.scale))
                     .getResult();
    // oneDNN adds the zero point before rounding.
    Value codes =
        buildQuantizeWithInverse(rewriter, loc, x, inverse, params.zeroPoint, 0,
                                 255, rewriter.getI8Type(), onednn);

    // sum (x - zx)(w - zw) = sum x w - zx sum w - zw sum x + K zx zw.
    auto matmul = IntMatmulOp::create(
        rewriter, loc,
        TypeRange{RankedTensorType::get({m, n}, rewriter.getI32Type())},
        ValueRange{codes, adaptor.getWeight()});
    matmul.setRhsSigned(true);
    Value weightSums = buildWeightSums(rewriter, loc, op.getWeight(),
                                       adaptor.getWeight(), true, {n});
    bool weightZeroPoints =
        llvm::any_of(weight.zeroPoints, [](int64_t z) { return z != 0; });
    auto d = [&](int64_t i) { return getAffineDimExpr(i, ctx); };
    AffineMap mn2 = AffineMap::getMultiDimIdentityMap(2, ctx);
    AffineMap col = AffineMap::get(2, 0, d(1), ctx);
    AffineMap row = AffineMap::get(2, 0, d(0), ctx);
    SmallVector<Value> inputs = {matmul.getResult(), weightSums};
    SmallVector<AffineMap> maps = {mn2, col};

    // Per-channel constants: the weight scales (qnnpack) or their
    // reciprocals in double rounded to f32 (oneDNN's weight scales), the
    // zero points, the bias (0 without one).
    auto perChannel = [&](auto fn) {
      SmallVector<float> values;
      for (int64_t c = 0; c < n; ++c)
        values.push_back(fn(weight.scales.size() == 1 ? weight.scales[0]
                                                      : weight.scales[c]));
      return arith::ConstantOp::create(
          rewriter, loc,
          DenseElementsAttr::get(
              RankedTensorType::get({n}, rewriter.getF32Type()),
              ArrayRef<float>(values)));
    };
    inputs.push_back(
        onednn
            ? perChannel([](double s) { return static_cast<float>(1.0 / s); })
            : perChannel([](double s) { return static_cast<float>(s); }));
    maps.push_back(col);
    Value bias = adaptor.getBias();
    if (!bias)
      bias = arith::ConstantOp::create(
          rewriter, loc,
          DenseElementsAttr::get(
              RankedTensorType::get({n}, rewriter.getF32Type()), 0.0f));
    inputs.push_back(bias);
    maps.push_back(col);
    if (weightZeroPoints) {
      SmallVector<int32_t> zws;
      for (int64_t c = 0; c < n; ++c)
        zws.push_back(static_cast<int32_t>(weight.zeroPoints.size() == 1
                                               ? weight.zeroPoints[0]
                                               : weight.zeroPoints[c]));
      inputs.push_back(arith::ConstantOp::create(
          rewriter, loc,
          DenseElementsAttr::get(
              RankedTensorType::get({n}, rewriter.getI32Type()),
              ArrayRef<int32_t>(zws))));
      maps.push_back(col);
      inputs.push_back(buildRowSums(rewriter, loc, codes));
      maps.push_back(row);
    }
    Value zx = params.zeroPoint;
    Value scale32 = arith::TruncFOp::create(
        rewriter, loc, rewriter.getF32Type(), params.scale);
    Value result = buildElementwise(
        rewriter, loc, {m, n}, rewriter.getF32Type(), inputs, maps,
        [&](OpBuilder &b, Location l, ValueRange args) -> Value {
          // The exact int32 sum of (x - zx)(w - zw), wrapping.
          Value acc = arith::SubIOp::create(
              b, l, args[0], arith::MulIOp::create(b, l, zx, args[1]));
          if (weightZeroPoints) {
            Value zw = args[4];
            acc = arith::SubIOp::create(
                b, l, acc, arith::MulIOp::create(b, l, zw, args[5]));
            Value kzx = arith::MulIOp::create(
                b, l, zx,
                arith::ConstantOp::create(b, l, b.getI32IntegerAttr(k)));
            acc = arith::AddIOp::create(b, l, acc,
                                        arith::MulIOp::create(b, l, kzx, zw));
          }
          Value sum = arith::SIToFPOp::create(b, l, b.getF32Type(), acc);
          if (!onednn) {
            Value requant = arith::MulFOp::create(b, l, args[2], scale32);
            return arith::AddFOp::create(
                b, l, arith::MulFOp::create(b, l, sum, requant), args[3]);
          }
          Value bs = arith::MulFOp::create(b, l, inverse, args[2]);
          Value scaledBias = arith::MulFOp::create(b, l, args[3], bs);
          Value outScale =
              arith::DivFOp::create(b, l, f32Constant(b, l, 1.0f), bs);
          return arith::MulFOp::create(
              b, l, arith::AddFOp::create(b, l, sum, scaledBias), outScale);
        });
    if (rank != 2)
      result = tensor::ExpandShapeOp::create(rewriter, loc, op.getType(),
                                             result, rows);
    rewriter.replaceOp(op, result);
    return success();
  }
};
/// qnn.dynamic_conv as the engine's quantized::conv*d_dynamic: the input's
/// parameters chosen over its range, the input padded (zeros pad with 0.0,
/// which quantizes to the zero point; the other modes copy elements) and
/// quantized by torch.quantize_per_tensor, the engine's static conv
/// requantized to the input's own parameters, dequantized.
struct DynamicConvToLinalg : EngineConversionPattern<DynamicConvOp> {
  using EngineConversionPattern::EngineConversionPattern;

  LogicalResult
  matchAndRewrite(DynamicConvOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    if (failed(
            checkReduceRange(op, engine, op.getReduceRange(), "nnqd.ConvNd")))
      return failure();
    auto [mn, mx] = buildRangeWithZero(rewriter, loc, adaptor.getInput());
    DynamicParams params =
        buildChooseQParams(rewriter, loc, mn, mx, 0, op.getInputQMax());
    Value padded =
        buildPadding(rewriter, loc, adaptor.getInput(), op.getPadding(),
                     op.getPaddingMode(), rewriter.getF32FloatAttr(0.0f));
    Value codes = buildQuantizeDynamic(rewriter, loc, padded, params.scale,
                                       params.zeroPoint,
                                       getDynamicCodesType(getContext()));

    ConvContraction conv;
    conv.inputType = cast<RankedTensorType>(op.getInput().getType());
    conv.resultType = op.getType();
    conv.input = codes;
    conv.weight = adaptor.getWeight();
    conv.originalWeight = op.getWeight();
    conv.weightType = cast<RankedTensorType>(op.getWeight().getType());
    conv.strides = op.getStrides();
    conv.dilations = op.getDilations();
    conv.groups = op.getGroups();
    conv.bias = adaptor.getBias();
    conv.dynamicScale = params.scale;
    conv.dynamicZeroPoint = params.zeroPoint;
    Value result = buildConvContraction(rewriter, loc, engine, conv);
    rewriter.replaceOp(
        op, buildDequantizeDynamic(rewriter, loc, result, params.scale,
                                   params.zeroPoint, /*isSigned=*/false));
    return success();
  }
};
} // namespace

void mlir::qnn::populateQNNDynamicToLinalgPatterns(
    const TypeConverter &converter, RewritePatternSet &patterns,
    const EngineInfo &engine) {
  patterns.add<ChooseQParamsToLinalg, QuantizeDynamicToLinalg,
               DequantizeDynamicToLinalg>(converter, patterns.getContext());
  patterns.add<DynamicLinearToLinalg, DynamicConvToLinalg>(
      converter, patterns.getContext(), engine);
}
