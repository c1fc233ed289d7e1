//===- Fuse.cpp - fusion of quantized patterns into qnn ops ---------------===//

#include "ReferenceForm.h"
#include "qnn/Dialect/QNN/IR/QNNOps.h"
#include "qnn/Dialect/QNN/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::qnn {
#define GEN_PASS_DEF_QNNFUSEPASS
#include "qnn/Dialect/QNN/Transforms/Passes.h.inc"
} // namespace mlir::qnn

using namespace mlir;
using namespace mlir::qnn;

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

/// The float value a quantize of a lifted pattern quantizes, split into a
/// trailing clamp that keeps the result's quantization, if any, and what it
/// is applied to (`body`). Only such clamps are applied in float by a fused
/// op: other activations are lifted on their own and fused afterwards.
struct QuantizedPostOp {
  Value body;
  ActivationAttr activation;
};
static std::optional<QuantizedPostOp> matchQuantizedPostOp(QuantizeOp op) {
  if (!op.getInput().hasOneUse())
    return std::nullopt;
  QuantizedPostOp result{op.getInput(), {}};
  if (auto match = reference::matchActivation(op.getInput())) {
    QuantParams params =
        *QuantParams::get(getQuantizedElementType(op.getType()));
    if (match->weight ||
        !getActivationClamp(*match->activation.getDef(),
                            match->activation.getParams(), params, params))
      return std::nullopt;
    result = {match->input, match->activation};
  }
  return result;
}

/// The quantized tensor `value` is the dequantization of, if any.
static Value getDequantized(Value value) {
  if (auto dq = value.getDefiningOp<DequantizeOp>())
    return dq.getInput();
  return {};
}

/// The element type of a quantized tensor value.
static Type elementOf(Value value) {
  return cast<RankedTensorType>(value.getType()).getElementType();
}

/// `intermediate` as the attribute of a fused op giving `result`: absent
/// when it is the result's own.
static TypeAttr intermediateAttr(Type intermediate, Type result) {
  return intermediate == result ? TypeAttr() : TypeAttr::get(intermediate);
}

namespace {
//===----------------------------------------------------------------------===//
// Fusion of quantized ops
//===----------------------------------------------------------------------===//

/// activation(linear/conv/add) -> the producer with that post-op, applied to
/// its requantized result exactly as the separate op was: the producer's
/// result type becomes its intermediate type. An add (or a conv with an
/// added input) takes only clamps that keep the quantization.
struct FusePostOp : OpRewritePattern<ActivationOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ActivationOp op,
                                PatternRewriter &rewriter) const override {
    Value input = op.getInput();
    Operation *producer = input.getDefiningOp();
    if (!isa_and_present<LinearOp, ConvOp, AddOp>(producer) ||
        !input.hasOneUse() || op.getWeight())
      return rewriter.notifyMatchFailure(op, "input is not a single-use "
                                             "linear, conv or add");
    if (producer->hasAttr("post_op"))
      return rewriter.notifyMatchFailure(op, "producer has a post-op");
    if (op.getScalarRangesAttr() && !op.getScalarRangesAttr().empty())
      return rewriter.notifyMatchFailure(
          op, "torch computes some elements with its scalar loop");
    Type resultElement = op.getType().getElementType();
    Operation *fused = rewriter.clone(*producer);
    fused->getResult(0).setType(op.getType());
    fused->setAttr("post_op", op.getActivation());
    // A linear or conv without an added input now requantizes to what was
    // its result type. An add (also that of a conv) gives the activation's
    // input type, which is then the result's (a clamp).
    auto conv = dyn_cast<ConvOp>(producer);
    if (isa<LinearOp>(producer) || (conv && !conv.getAddend())) {
      if (TypeAttr attr = intermediateAttr(elementOf(input), resultElement))
        fused->setAttr("intermediate", attr);
    }
    return replaceIfValid(rewriter, op, fused);
  }
};

/// add(conv(x), y) -> conv(x) add(y), with the add's post-op: the conv's
/// result type becomes its intermediate type, so the add is the one the
/// separate ops computed.
struct FuseConvAdd : OpRewritePattern<AddOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(AddOp op,
                                PatternRewriter &rewriter) const override {
    // The conv's add has no scalar lambda.
    if (op.getScalarRangesAttr() && !op.getScalarRangesAttr().empty())
      return rewriter.notifyMatchFailure(
          op, "torch computes some elements with its scalar lambda");
    for (auto [convSide, other] : {std::pair{op.getLhs(), op.getRhs()},
                                   std::pair{op.getRhs(), op.getLhs()}}) {
      auto conv = convSide.getDefiningOp<ConvOp>();
      if (!conv || !convSide.hasOneUse() || conv.getAddend() ||
          conv.getPostOpAttr() || conv.getIntermediateAttr())
        continue;
      auto fused = cast<ConvOp>(rewriter.clone(*conv));
      fused.getResult().setType(op.getType());
      fused.getAddendMutable().assign(other);
      fused.setPostOpAttr(op.getPostOpAttr());
      fused.setIntermediateAttr(
          intermediateAttr(elementOf(convSide), op.getType().getElementType()));
      return replaceIfValid(rewriter, op, fused);
    }
    return rewriter.notifyMatchFailure(op, "no single-use conv operand");
  }
};

//===----------------------------------------------------------------------===//
// Lifting of the reference form
//===----------------------------------------------------------------------===//

/// quantize(clamp(linear(dequantize x, dequantize w) [+ b])) -> qnn.linear.
struct LiftLinear : OpRewritePattern<QuantizeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(QuantizeOp op,
                                PatternRewriter &rewriter) const override {
    std::optional<QuantizedPostOp> quantized = matchQuantizedPostOp(op);
    if (!quantized)
      return failure();
    std::optional<reference::LinearMatch> match =
        reference::matchLinear(quantized->body);
    if (!match)
      return failure();
    Value x = getDequantized(match->input), w = getDequantized(match->weight);
    if (!x || !w)
      return failure();
    auto linear =
        LinearOp::create(rewriter, op.getLoc(), op.getType(), x, w, match->bias,
                         quantized->activation, TypeAttr());
    return replaceIfValid(rewriter, op, linear);
  }
};

/// Whether dynamic codes are quint8's.
static bool isQuint8Codes(Type type) {
  return cast<RankedTensorType>(type).getElementType() ==
         getDynamicCodesType(type.getContext());
}

/// A dynamically quantized input: dequantize_dynamic(quantize_dynamic(x,
/// choose_qparams(x))) to quint8 codes. (Its other users, the slices of a
/// reflect padding, keep it; the ops are pure.)
struct DynamicInputMatch {
  Value input;
  ChooseQParamsOp choose;
  bool reduceRange;
};
static std::optional<DynamicInputMatch> matchDynamicInput(Value input) {
  auto dequantized = input.getDefiningOp<DequantizeDynamicOp>();
  if (!dequantized)
    return std::nullopt;
  auto quantized = dequantized.getInput().getDefiningOp<QuantizeDynamicOp>();
  if (!quantized)
    return std::nullopt;
  auto choose = quantized.getScale().getDefiningOp<ChooseQParamsOp>();
  if (!choose || quantized.getZeroPoint() != choose.getZeroPoint() ||
      dequantized.getScale() != choose.getScale() ||
      dequantized.getZeroPoint() != choose.getZeroPoint() ||
      choose.getInput() != quantized.getInput() || choose.getQmin() != 0 ||
      (choose.getQmax() != 127 && choose.getQmax() != 255))
    return std::nullopt;
  // The codes are quint8's, clamped to 0..255 whatever the range chosen.
  if (!isQuint8Codes(quantized.getType()))
    return std::nullopt;
  return DynamicInputMatch{quantized.getInput(), choose,
                           choose.getQmax() == 127};
}

/// The reference form of a dynamic Linear (DecomposeDynamicLinear's):
/// linear(dequantize_dynamic(quantize_dynamic(x, choose_qparams(x))),
/// dequantize w) [+ b], a 1-D input expanded to [1, K] and back.
struct DynamicLinearMatch {
  Value input, weight, bias;
  bool reduceRange;
};
static std::optional<DynamicLinearMatch> matchDynamicLinear(Value value) {
  bool oneDimensional = false;
  if (auto collapse = value.getDefiningOp<tensor::CollapseShapeOp>()) {
    if (collapse.getResultType().getRank() != 1 ||
        !collapse.getSrc().hasOneUse())
      return std::nullopt;
    value = collapse.getSrc();
    oneDimensional = true;
  }
  std::optional<reference::LinearMatch> linear = reference::matchLinear(value);
  if (!linear)
    return std::nullopt;
  Value input = linear->input;
  if (oneDimensional) {
    auto expand = input.getDefiningOp<tensor::ExpandShapeOp>();
    if (!expand || !input.hasOneUse() || expand.getSrcType().getRank() != 1)
      return std::nullopt;
    input = expand.getSrc();
  }
  std::optional<DynamicInputMatch> dynamic = matchDynamicInput(input);
  if (!dynamic)
    return std::nullopt;
  Value weight = getDequantized(linear->weight);
  if (!weight)
    return std::nullopt;
  return DynamicLinearMatch{dynamic->input, weight, linear->bias,
                            dynamic->reduceRange};
}

/// The reference form of a dynamic Linear -> qnn.dynamic_linear, at the
/// last op of the form (`RootOp`): never a part of a larger match.
template <typename RootOp> struct LiftDynamicLinear : OpRewritePattern<RootOp> {
  using OpRewritePattern<RootOp>::OpRewritePattern;
  LogicalResult matchAndRewrite(RootOp root,
                                PatternRewriter &rewriter) const override {
    Value value = root->getResult(0);
    std::optional<DynamicLinearMatch> match = matchDynamicLinear(value);
    if (!match)
      return failure();
    if (value.hasOneUse()) {
      Operation *user = *value.getUsers().begin();
      if (user->getNumResults() == 1 && matchDynamicLinear(user->getResult(0)))
        return rewriter.notifyMatchFailure(root, "part of a larger match");
    }
    auto fused = DynamicLinearOp::create(
        rewriter, root.getLoc(), value.getType(), match->input, match->weight,
        match->bias, match->reduceRange);
    return replaceIfValid(rewriter, root, fused);
  }
};

/// The reference form of a dynamic conv (DecomposeDynamicConv's): the conv
/// of the dynamically quantized input and the dequantized weight [+ b],
/// quantized and dequantized with the input's parameters ->
/// qnn.dynamic_conv.
struct LiftDynamicConv : OpRewritePattern<DequantizeDynamicOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(DequantizeDynamicOp op,
                                PatternRewriter &rewriter) const override {
    auto quantized = op.getInput().getDefiningOp<QuantizeDynamicOp>();
    if (!quantized || !op.getInput().hasOneUse() ||
        !isQuint8Codes(quantized.getType()) ||
        !quantized.getInput().hasOneUse())
      return failure();
    std::optional<reference::ConvMatch> match =
        reference::matchConv(quantized.getInput());
    if (!match)
      return failure();
    std::optional<DynamicInputMatch> input = matchDynamicInput(match->input);
    Value w = getDequantized(match->weight);
    if (!input || !w)
      return failure();
    Value s = input->choose.getScale(), z = input->choose.getZeroPoint();
    if (quantized.getScale() != s || quantized.getZeroPoint() != z ||
        op.getScale() != s || op.getZeroPoint() != z)
      return failure();
    const reference::ConvGeometry &g = match->geometry;
    auto conv =
        DynamicConvOp::create(rewriter, op.getLoc(), op.getType(), input->input,
                              w, match->bias, g.strides, g.padding, g.dilations,
                              g.groups, g.paddingMode, input->reduceRange);
    return replaceIfValid(rewriter, op, conv);
  }
};

/// quantize(clamp(conv(dequantize x, dequantize w) [+ b] [+ dequantize a]))
/// -> qnn.conv.
struct LiftConv : OpRewritePattern<QuantizeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(QuantizeOp op,
                                PatternRewriter &rewriter) const override {
    std::optional<QuantizedPostOp> quantized = matchQuantizedPostOp(op);
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
                       g.paddingMode, quantized->activation, TypeAttr());
    return replaceIfValid(rewriter, op, conv);
  }
};

/// quantize(clamp(dequantize a + dequantize b)) -> qnn.add, and likewise
/// mulf -> qnn.mul, the operands possibly broadcast.
template <typename FloatOp, typename OpTy>
struct LiftBinary : OpRewritePattern<QuantizeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(QuantizeOp op,
                                PatternRewriter &rewriter) const override {
    std::optional<QuantizedPostOp> quantized = matchQuantizedPostOp(op);
    if (!quantized)
      return failure();
    Value body = quantized->body;
    auto binary = body.getDefiningOp<FloatOp>();
    if (!binary || !body.hasOneUse())
      return failure();
    Value a = getDequantized(reference::matchBroadcastTo(binary.getLhs()));
    Value b = getDequantized(reference::matchBroadcastTo(binary.getRhs()));
    if (!a || !b)
      return failure();
    auto fused = OpTy::create(rewriter, op.getLoc(), op.getType(), a, b,
                              quantized->activation);
    return replaceIfValid(rewriter, op, fused);
  }
};

/// quantize(clamp(dequantize x * splat c)) -> qnn.mul_scalar, and addf ->
/// qnn.add_scalar (when the result type is the one PyTorch chooses).
template <typename FloatOp, typename OpTy>
struct LiftScalar : OpRewritePattern<QuantizeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(QuantizeOp op,
                                PatternRewriter &rewriter) const override {
    std::optional<QuantizedPostOp> quantized = matchQuantizedPostOp(op);
    if (!quantized)
      return failure();
    Value body = quantized->body;
    auto binary = body.getDefiningOp<FloatOp>();
    if (!binary || !body.hasOneUse())
      return failure();
    DenseElementsAttr splat;
    Value x = getDequantized(binary.getLhs());
    if (!x || !matchPattern(binary.getRhs(), m_Constant(&splat)) ||
        !splat.isSplat() || !isa<FloatType>(splat.getElementType()))
      return failure();
    double scalar = splat.getSplatValue<APFloat>().convertToDouble();
    auto fused =
        OpTy::create(rewriter, op.getLoc(), op.getType(), x,
                     rewriter.getF64FloatAttr(scalar), quantized->activation);
    return replaceIfValid(rewriter, op, fused);
  }
};

/// quantize(act(dequantize x)) -> qnn.activation, for any entry of the
/// activation table (prelu: with the broadcast dequantized weight).
struct LiftActivation : OpRewritePattern<QuantizeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(QuantizeOp op,
                                PatternRewriter &rewriter) const override {
    if (!op.getInput().hasOneUse())
      return failure();
    std::optional<reference::ActivationMatch> match =
        reference::matchActivation(op.getInput(), /*exclusiveInput=*/false);
    if (!match)
      return failure();
    Value x = getDequantized(match->input);
    if (!x)
      return failure();
    Value weight;
    if (match->weight) {
      auto broadcast = match->weight.getDefiningOp<linalg::BroadcastOp>();
      if (!broadcast)
        return failure();
      Value w = broadcast.getInput();
      if (auto collapse = w.getDefiningOp<tensor::CollapseShapeOp>())
        w = collapse.getSrc();
      weight = getDequantized(w);
      if (!weight)
        return failure();
    }
    auto fused = ActivationOp::create(rewriter, op.getLoc(), op.getType(),
                                      match->activation, x, weight);
    return replaceIfValid(rewriter, op, fused);
  }
};

/// quantize(max_pool(dequantize x)) to the type of x -> qnn.max_pool.
struct LiftMaxPool : OpRewritePattern<QuantizeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(QuantizeOp op,
                                PatternRewriter &rewriter) const override {
    if (!op.getInput().hasOneUse())
      return failure();
    std::optional<reference::PoolMatch> match =
        reference::matchMaxPool(op.getInput());
    if (!match)
      return failure();
    Value x = getDequantized(match->input);
    if (!x || elementOf(x) != op.getType().getElementType())
      return failure();
    const reference::PoolGeometry &g = match->geometry;
    auto fused =
        MaxPoolOp::create(rewriter, op.getLoc(), op.getType(), x, g.kernel,
                          g.strides, g.padding, g.dilations, g.ceilMode);
    return replaceIfValid(rewriter, op, fused);
  }
};

/// quantize(dequantize x) to the type of x -> x, and requantize to the same
/// type -> its input: the casts' folds, which the pass runs as patterns.
struct FoldCastPair : OpRewritePattern<QuantizeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(QuantizeOp op,
                                PatternRewriter &rewriter) const override {
    Value x = getDequantized(op.getInput());
    if (!x || x.getType() != op.getType())
      return failure();
    rewriter.replaceOp(op, x);
    return success();
  }
};
struct FoldSameTypeRequantize : OpRewritePattern<RequantizeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(RequantizeOp op,
                                PatternRewriter &rewriter) const override {
    if (op.getInput().getType() != op.getType())
      return failure();
    rewriter.replaceOp(op, op.getInput());
    return success();
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
    // No folding: it would simplify the reference form (x * 1.0 of a
    // parameter equal to 1) before the patterns recognise it. The folds
    // fusion needs are patterns (FoldCastPair).
    GreedyRewriteConfig config;
    config.enableFolding(false);
    if (failed(
            applyPatternsGreedily(getOperation(), std::move(patterns), config)))
      signalPassFailure();
  }
};
} // namespace

void mlir::qnn::populateQNNFusePatterns(RewritePatternSet &patterns) {
  MLIRContext *ctx = patterns.getContext();
  patterns.add<
      FusePostOp, FuseConvAdd, LiftLinear, LiftDynamicLinear<linalg::MatmulOp>,
      LiftDynamicLinear<arith::AddFOp>,
      LiftDynamicLinear<tensor::ExpandShapeOp>,
      LiftDynamicLinear<tensor::CollapseShapeOp>, LiftDynamicConv, LiftConv,
      LiftBinary<arith::AddFOp, AddOp>, LiftBinary<arith::MulFOp, MulOp>,
      LiftScalar<arith::AddFOp, AddScalarOp>,
      LiftScalar<arith::MulFOp, MulScalarOp>, LiftActivation, LiftMaxPool,
      LiftRequantize, FoldCastPair, FoldSameTypeRequantize>(ctx);
  ActivationOp::getCanonicalizationPatterns(patterns, ctx);
}
