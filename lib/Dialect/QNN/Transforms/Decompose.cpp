//===- Decompose.cpp - qnn ops into dequantize / float op / quantize -----===//

#include "ReferenceForm.h"
#include "qnn/Dialect/QNN/IR/QNNOps.h"
#include "qnn/Dialect/QNN/Transforms/Passes.h"
#include "qnn/Dialect/QNN/Utils/QuantUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::qnn {
#define GEN_PASS_DEF_QNNDECOMPOSEPASS
#include "qnn/Dialect/QNN/Transforms/Passes.h.inc"
} // namespace mlir::qnn

using namespace mlir;
using namespace mlir::qnn;
using reference::Activation;

/// The float tensor type a quantized tensor dequantizes to.
static RankedTensorType getExpressedTensorType(Type quantizedTensorType) {
  auto type = cast<RankedTensorType>(quantizedTensorType);
  return type.clone(getQuantizedElementType(type).getExpressedType());
}

static Value dequantize(OpBuilder &b, Location loc, Value q) {
  return DequantizeOp::create(b, loc, getExpressedTensorType(q.getType()), q);
}

static LogicalResult requireStaticShapes(PatternRewriter &rewriter,
                                         Operation *op) {
  for (Type type : llvm::concat<Type>(op->getOperandTypes(),
                                      op->getResultTypes()))
    if (!cast<RankedTensorType>(type).hasStaticShape())
      return rewriter.notifyMatchFailure(op, "dynamic shapes");
  return success();
}

namespace {
struct DecomposeLinear : OpRewritePattern<LinearOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(LinearOp op,
                                PatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(rewriter, op)))
      return failure();
    Location loc = op.getLoc();
    Value x = dequantize(rewriter, loc, op.getInput());
    Value w = dequantize(rewriter, loc, op.getWeight());
    Value y = reference::buildLinear(rewriter, loc, x, w, op.getBias());
    std::optional<float> slope;
    if (auto attr = op.getNegativeSlopeAttr())
      slope = attr.getValueAsDouble();
    y = reference::buildActivation(
        rewriter, loc, y, reference::toActivation(op.getPostOp(), slope));
    rewriter.replaceOpWithNewOp<QuantizeOp>(op, op.getType(), y);
    return success();
  }
};

struct DecomposeConv : OpRewritePattern<ConvOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ConvOp op,
                                PatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(rewriter, op)))
      return failure();
    Location loc = op.getLoc();
    reference::ConvGeometry geometry;
    geometry.strides.assign(op.getStrides().begin(), op.getStrides().end());
    geometry.padding.assign(op.getPadding().begin(), op.getPadding().end());
    geometry.dilations.assign(op.getDilations().begin(),
                              op.getDilations().end());
    geometry.groups = op.getGroups();
    geometry.paddingMode = op.getPaddingMode();
    Value x = dequantize(rewriter, loc, op.getInput());
    Value w = dequantize(rewriter, loc, op.getWeight());
    Value y = reference::buildConv(rewriter, loc, x, w, op.getBias(), geometry);
    if (Value addend = op.getAddend())
      y = arith::AddFOp::create(rewriter, loc, y,
                                dequantize(rewriter, loc, addend));
    y = reference::buildActivation(
        rewriter, loc, y, reference::toActivation(op.getPostOp(), {}));
    rewriter.replaceOpWithNewOp<QuantizeOp>(op, op.getType(), y);
    return success();
  }
};

struct DecomposeAdd : OpRewritePattern<AddOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(AddOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value y = arith::AddFOp::create(rewriter, loc,
                                    dequantize(rewriter, loc, op.getLhs()),
                                    dequantize(rewriter, loc, op.getRhs()));
    y = reference::buildActivation(
        rewriter, loc, y, reference::toActivation(op.getPostOp(), {}));
    rewriter.replaceOpWithNewOp<QuantizeOp>(op, op.getType(), y);
    return success();
  }
};

/// relu / relu6 keep their quantization parameters: quantizing the float
/// clamp back to the input type is exactly the integer clamp.
template <typename OpTy, Activation::Kind kind>
struct DecomposeClamp : OpRewritePattern<OpTy> {
  using OpRewritePattern<OpTy>::OpRewritePattern;
  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value y = reference::buildActivation(
        rewriter, loc, dequantize(rewriter, loc, op.getInput()), {kind});
    rewriter.replaceOpWithNewOp<QuantizeOp>(op, op.getType(), y);
    return success();
  }
};

struct DecomposeRequantize : OpRewritePattern<RequantizeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(RequantizeOp op,
                                PatternRewriter &rewriter) const override {
    rewriter.replaceOpWithNewOp<QuantizeOp>(
        op, op.getType(), dequantize(rewriter, op.getLoc(), op.getInput()));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Expanding quantize / dequantize
//===----------------------------------------------------------------------===//

/// A float tensor of `shape` holding one value per element: a splat per
/// tensor, a per-axis constant broadcast along the other dimensions.
Value buildParamTensor(OpBuilder &b, Location loc, RankedTensorType shapeType,
                       const QuantParams &params, ArrayRef<float> values) {
  auto type = shapeType.clone(b.getF32Type());
  if (params.isPerTensor())
    return reference::buildSplat(b, loc, type, values[0]);
  int64_t axis = *params.axis;
  auto vecType = RankedTensorType::get(
      {static_cast<int64_t>(values.size())}, b.getF32Type());
  Value vec = arith::ConstantOp::create(
      b, loc, DenseElementsAttr::get(vecType, values));
  SmallVector<int64_t> dims;
  for (int64_t d = 0; d < type.getRank(); ++d)
    if (d != axis)
      dims.push_back(d);
  Value empty = tensor::EmptyOp::create(b, loc, type.getShape(),
                                        b.getF32Type());
  return linalg::BroadcastOp::create(b, loc, vec, empty, dims).getResult()[0];
}

SmallVector<float> reciprocalScales(const QuantParams &params) {
  return llvm::map_to_vector(params.scales, reciprocalScale);
}
SmallVector<float> floatScales(const QuantParams &params) {
  return llvm::map_to_vector(params.scales,
                             [](double s) { return static_cast<float>(s); });
}
SmallVector<float> floatZeroPoints(const QuantParams &params) {
  return llvm::map_to_vector(params.zeroPoints, [](int64_t z) {
    return static_cast<float>(z);
  });
}

/// q = clamp(zp + roundeven(x * f32(1/s)), qmin, qmax), then stored in the
/// storage integer type and cast to the quantized type.
struct ExpandQuantize : OpRewritePattern<QuantizeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(QuantizeOp op,
                                PatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(rewriter, op)))
      return failure();
    Location loc = op.getLoc();
    auto resultType = cast<RankedTensorType>(op.getType());
    auto qtype = getQuantizedElementType(resultType);
    QuantParams params = *QuantParams::get(qtype);
    auto floatType = resultType.clone(rewriter.getF32Type());

    Value scaled = arith::MulFOp::create(
        rewriter, loc, op.getInput(),
        buildParamTensor(rewriter, loc, resultType, params,
                         reciprocalScales(params)));
    Value rounded = math::RoundEvenOp::create(rewriter, loc, scaled);
    Value shifted = arith::AddFOp::create(
        rewriter, loc, rounded,
        buildParamTensor(rewriter, loc, resultType, params,
                         floatZeroPoints(params)));
    // maxnumf/minnumf send NaN to qmin, like the scalar reference.
    Value clamped = arith::MinNumFOp::create(
        rewriter, loc,
        arith::MaxNumFOp::create(
            rewriter, loc, shifted,
            reference::buildSplat(rewriter, loc, floatType, params.qmin)),
        reference::buildSplat(rewriter, loc, floatType, params.qmax));
    auto i32Type = resultType.clone(rewriter.getI32Type());
    Value asInt = arith::FPToSIOp::create(rewriter, loc, i32Type, clamped);
    auto storageType = resultType.clone(qtype.getStorageType());
    Value stored = asInt;
    if (qtype.getStorageTypeIntegralWidth() < 32)
      stored = arith::TruncIOp::create(rewriter, loc, storageType, asInt);
    rewriter.replaceOpWithNewOp<quant::StorageCastOp>(op, resultType, stored);
    return success();
  }
};

/// x = f32(s) * f32(q - zp).
struct ExpandDequantize : OpRewritePattern<DequantizeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(DequantizeOp op,
                                PatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(rewriter, op)))
      return failure();
    Location loc = op.getLoc();
    auto inputType = cast<RankedTensorType>(op.getInput().getType());
    auto qtype = getQuantizedElementType(inputType);
    QuantParams params = *QuantParams::get(qtype);
    auto storageType = inputType.clone(qtype.getStorageType());
    Value stored =
        quant::StorageCastOp::create(rewriter, loc, storageType, op.getInput());
    auto i32Type = inputType.clone(rewriter.getI32Type());
    Value wide = stored;
    if (qtype.getStorageTypeIntegralWidth() < 32)
      wide = params.isSigned
                 ? arith::ExtSIOp::create(rewriter, loc, i32Type, stored)
                       .getResult()
                 : arith::ExtUIOp::create(rewriter, loc, i32Type, stored)
                       .getResult();
    // q - zp is exact in f32 for storage widths up to 16 bits; subtracting
    // in float keeps per-axis zero points a broadcast float tensor.
    auto floatType = cast<RankedTensorType>(op.getType());
    Value asFloat = arith::SIToFPOp::create(rewriter, loc, floatType, wide);
    Value centered = arith::SubFOp::create(
        rewriter, loc, asFloat,
        buildParamTensor(rewriter, loc, inputType, params,
                         floatZeroPoints(params)));
    rewriter.replaceOpWithNewOp<arith::MulFOp>(
        op, centered,
        buildParamTensor(rewriter, loc, inputType, params,
                         floatScales(params)));
    return success();
  }
};

struct QNNDecomposePass
    : qnn::impl::QNNDecomposePassBase<QNNDecomposePass> {
  using QNNDecomposePassBase::QNNDecomposePassBase;
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateQNNDecomposePatterns(patterns);
    if (expandCasts)
      populateQNNExpandCastsPatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace

void mlir::qnn::populateQNNDecomposePatterns(RewritePatternSet &patterns) {
  patterns.add<DecomposeLinear, DecomposeConv, DecomposeAdd,
               DecomposeClamp<ReluOp, Activation::Kind::Relu>,
               DecomposeClamp<Relu6Op, Activation::Kind::Relu6>,
               DecomposeRequantize>(patterns.getContext());
}

void mlir::qnn::populateQNNExpandCastsPatterns(RewritePatternSet &patterns) {
  patterns.add<ExpandQuantize, ExpandDequantize>(patterns.getContext());
}
