//===- Decompose.cpp - qnn ops into dequantize / float op / quantize -----===//

#include "ReferenceForm.h"
#include "qnn/Dialect/QNN/IR/QNNOps.h"
#include "qnn/Dialect/QNN/Transforms/Passes.h"
#include "qnn/Dialect/QNN/Utils/CastBuilders.h"
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
  for (Type type :
       llvm::concat<Type>(op->getOperandTypes(), op->getResultTypes()))
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
    y = reference::buildActivation(rewriter, loc, y,
                                   reference::toActivation(op.getPostOp(), {}));
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
    y = reference::buildActivation(rewriter, loc, y,
                                   reference::toActivation(op.getPostOp(), {}));
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

/// qnn.quantize as arith on the storage integers, cast to the quantized type.
struct ExpandQuantize : OpRewritePattern<QuantizeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(QuantizeOp op,
                                PatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(rewriter, op)))
      return failure();
    auto qtype = getQuantizedElementType(op.getType());
    Value stored =
        buildQuantize(rewriter, op.getLoc(), op.getInput(),
                      *QuantParams::get(qtype), qtype.getStorageType());
    rewriter.replaceOpWithNewOp<quant::StorageCastOp>(op, op.getType(), stored);
    return success();
  }
};

/// qnn.dequantize as arith on the storage integers.
struct ExpandDequantize : OpRewritePattern<DequantizeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(DequantizeOp op,
                                PatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(rewriter, op)))
      return failure();
    auto inputType = cast<RankedTensorType>(op.getInput().getType());
    auto qtype = getQuantizedElementType(inputType);
    Value stored = quant::StorageCastOp::create(
        rewriter, op.getLoc(), inputType.clone(qtype.getStorageType()),
        op.getInput());
    rewriter.replaceOp(op, buildDequantize(rewriter, op.getLoc(), stored,
                                           *QuantParams::get(qtype)));
    return success();
  }
};

struct QNNDecomposePass : qnn::impl::QNNDecomposePassBase<QNNDecomposePass> {
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
