//===- Fuse.cpp - fusion of quantized patterns into qnn ops ---------------===//

#include "ReferenceForm.h"
#include "qnn/Dialect/QNN/IR/QNNOps.h"
#include "qnn/Dialect/QNN/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::qnn {
#define GEN_PASS_DEF_QNNFUSEPASS
#include "qnn/Dialect/QNN/Transforms/Passes.h.inc"
} // namespace mlir::qnn

using namespace mlir;
using namespace mlir::qnn;
using reference::Activation;

/// Replaces `root` by `fused` if the fused op verifies, and erases `fused`
/// otherwise: a pattern whose pieces cannot form a valid op (a weight with
/// the wrong storage, an engine restriction...) is left as it is.
static LogicalResult replaceIfValid(PatternRewriter &rewriter, Operation *root,
                                    Operation *fused) {
  bool valid;
  {
    ScopedDiagnosticHandler silence(root->getContext(),
                                    [](Diagnostic &) { return success(); });
    valid = succeeded(verify(fused, /*verifyRecursively=*/false));
  }
  if (!valid) {
    rewriter.eraseOp(fused);
    return rewriter.notifyMatchFailure(root, "fused op would be invalid");
  }
  rewriter.replaceOp(root, fused->getResults());
  return success();
}

/// The float value a quantize of a fused pattern quantizes, split into the
/// activation applied last and what it is applied to (`body`). Fails when
/// the float value has other users or the activation is no op's post-op.
struct QuantizedActivation {
  Value body;
  Activation activation;
  PostOp postOp;
};
static std::optional<QuantizedActivation> matchQuantizedPostOp(QuantizeOp op) {
  if (!op.getInput().hasOneUse())
    return std::nullopt;
  QuantizedActivation result;
  result.activation = reference::matchActivation(op.getInput(), result.body);
  std::optional<PostOp> postOp = reference::toPostOp(result.activation.kind);
  if (!postOp)
    return std::nullopt;
  result.postOp = *postOp;
  return result;
}

/// The quantized tensor `value` is the dequantization of, if any.
static Value getDequantized(Value value) {
  if (auto dq = value.getDefiningOp<DequantizeOp>())
    return dq.getInput();
  return {};
}

namespace {
//===----------------------------------------------------------------------===//
// Fusion of quantized ops
//===----------------------------------------------------------------------===//

/// relu(linear/conv) -> linear/conv with post_op = relu. Exact: clamping the
/// requantized value at the zero point equals clamping before requantizing.
struct FuseRelu : OpRewritePattern<ReluOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ReluOp op,
                                PatternRewriter &rewriter) const override {
    Value input = op.getInput();
    Operation *producer = input.getDefiningOp();
    if (!isa_and_present<LinearOp, ConvOp>(producer) || !input.hasOneUse())
      return rewriter.notifyMatchFailure(op, "input is not a single-use "
                                             "linear or conv");
    auto linear = dyn_cast<LinearOp>(producer);
    auto conv = dyn_cast<ConvOp>(producer);
    PostOp postOp = linear ? linear.getPostOp() : conv.getPostOp();
    if (postOp != PostOp::none)
      return rewriter.notifyMatchFailure(op, "producer has a post-op");
    rewriter.modifyOpInPlace(producer, [&] {
      if (linear)
        linear.setPostOp(PostOp::relu);
      else
        conv.setPostOp(PostOp::relu);
    });
    rewriter.replaceOp(op, input);
    return success();
  }
};

/// add(conv(x), y) -> conv(x) add(y), with the add's post-op. The conv's
/// output must already have the add's quantization parameters.
struct FuseConvAdd : OpRewritePattern<AddOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(AddOp op,
                                PatternRewriter &rewriter) const override {
    for (auto [convSide, other] : {std::pair{op.getLhs(), op.getRhs()},
                                   std::pair{op.getRhs(), op.getLhs()}}) {
      auto conv = convSide.getDefiningOp<ConvOp>();
      if (!conv || !convSide.hasOneUse() || conv.getAddend() ||
          conv.getPostOp() != PostOp::none || conv.getType() != op.getType())
        continue;
      rewriter.modifyOpInPlace(conv, [&] {
        conv.getAddendMutable().assign(other);
        conv.setPostOp(op.getPostOp());
      });
      rewriter.replaceOp(op, conv.getResult());
      return success();
    }
    return rewriter.notifyMatchFailure(
        op, "no single-use conv operand with the add's result type");
  }
};

//===----------------------------------------------------------------------===//
// Lifting of the reference form
//===----------------------------------------------------------------------===//

/// quantize(act(linear(dequantize x, dequantize w) [+ b])) -> qnn.linear.
struct LiftLinear : OpRewritePattern<QuantizeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(QuantizeOp op,
                                PatternRewriter &rewriter) const override {
    std::optional<QuantizedActivation> quantized = matchQuantizedPostOp(op);
    if (!quantized)
      return failure();
    std::optional<reference::LinearMatch> match =
        reference::matchLinear(quantized->body);
    if (!match)
      return failure();
    Value x = getDequantized(match->input), w = getDequantized(match->weight);
    if (!x || !w)
      return failure();
    FloatAttr slope;
    if (quantized->postOp == PostOp::leaky_relu)
      slope = rewriter.getF32FloatAttr(quantized->activation.negativeSlope);
    auto linear = LinearOp::create(rewriter, op.getLoc(), op.getType(), x, w,
                                   match->bias, quantized->postOp, slope);
    return replaceIfValid(rewriter, op, linear);
  }
};

/// quantize(act(conv(dequantize x, dequantize w) [+ b] [+ dequantize a]))
/// -> qnn.conv.
struct LiftConv : OpRewritePattern<QuantizeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(QuantizeOp op,
                                PatternRewriter &rewriter) const override {
    std::optional<QuantizedActivation> quantized = matchQuantizedPostOp(op);
    if (!quantized)
      return failure();
    Value body = quantized->body, addend;
    if (auto add = body.getDefiningOp<arith::AddFOp>()) {
      if (Value a = getDequantized(add.getRhs());
          a && add.getLhs().hasOneUse()) {
        addend = a;
        body = add.getLhs();
      }
    }
    std::optional<reference::ConvMatch> match = reference::matchConv(body);
    if (!match)
      return failure();
    Value x = getDequantized(match->input), w = getDequantized(match->weight);
    if (!x || !w)
      return failure();
    const reference::ConvGeometry &g = match->geometry;
    auto conv =
        ConvOp::create(rewriter, op.getLoc(), op.getType(), x, w, match->bias,
                       addend, g.strides, g.padding, g.dilations, g.groups,
                       g.paddingMode, quantized->postOp);
    return replaceIfValid(rewriter, op, conv);
  }
};

/// quantize(act(dequantize a + dequantize b)) -> qnn.add.
struct LiftAdd : OpRewritePattern<QuantizeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(QuantizeOp op,
                                PatternRewriter &rewriter) const override {
    std::optional<QuantizedActivation> quantized = matchQuantizedPostOp(op);
    if (!quantized || (quantized->postOp != PostOp::none &&
                       quantized->postOp != PostOp::relu))
      return failure();
    Value body = quantized->body;
    auto add = body.getDefiningOp<arith::AddFOp>();
    if (!add || !body.hasOneUse())
      return failure();
    Value a = getDequantized(add.getLhs()), b = getDequantized(add.getRhs());
    if (!a || !b)
      return failure();
    auto fused = AddOp::create(rewriter, op.getLoc(), op.getType(), a, b,
                               quantized->postOp);
    return replaceIfValid(rewriter, op, fused);
  }
};

/// quantize(relu/relu6(dequantize x)) to the type of x -> qnn.relu/relu6.
/// Requantizing to another type is not a clamp and is not lifted.
struct LiftClamp : OpRewritePattern<QuantizeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(QuantizeOp op,
                                PatternRewriter &rewriter) const override {
    if (!op.getInput().hasOneUse())
      return failure();
    Value body;
    Activation act = reference::matchActivation(op.getInput(), body,
                                                /*exclusiveInput=*/false);
    Value x = getDequantized(body);
    if (!x || x.getType() != op.getType())
      return failure();
    Operation *fused;
    if (act.kind == Activation::Kind::Relu)
      fused = ReluOp::create(rewriter, op.getLoc(), x);
    else if (act.kind == Activation::Kind::Relu6)
      fused = Relu6Op::create(rewriter, op.getLoc(), x);
    else
      return failure();
    return replaceIfValid(rewriter, op, fused);
  }
};

/// quantize(dequantize x) to another type -> qnn.requantize.
struct LiftRequantize : OpRewritePattern<QuantizeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(QuantizeOp op,
                                PatternRewriter &rewriter) const override {
    Value x = getDequantized(op.getInput());
    if (!x || x.getType() == op.getType())
      return failure();
    auto fused = RequantizeOp::create(rewriter, op.getLoc(), op.getType(), x);
    return replaceIfValid(rewriter, op, fused);
  }
};

struct QNNFusePass : qnn::impl::QNNFusePassBase<QNNFusePass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateQNNFusePatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace

void mlir::qnn::populateQNNFusePatterns(RewritePatternSet &patterns) {
  MLIRContext *ctx = patterns.getContext();
  patterns.add<FuseRelu, FuseConvAdd, LiftLinear, LiftConv, LiftAdd, LiftClamp,
               LiftRequantize>(ctx);
  ReluOp::getCanonicalizationPatterns(patterns, ctx);
  Relu6Op::getCanonicalizationPatterns(patterns, ctx);
}
