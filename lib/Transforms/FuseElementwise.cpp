//===- FuseElementwise.cpp - elementwise fusion that keeps kernel calls ---===//
//
// MLIR's --linalg-fuse-elementwise-ops, except that a linalg op marked for
// a runtime kernel (a `library_call`) is never rewritten: fusing its
// producer into it, folding a splat operand into its body or expanding it
// around a reshape would build a new op without the mark, and the kernel
// call would silently become compiled loops.
//
//===----------------------------------------------------------------------===//

#include "qnn/Transforms/Passes.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tensor/Transforms/Transforms.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::qnn {
#define GEN_PASS_DEF_QNNFUSEELEMENTWISEPASS
#include "qnn/Transforms/Passes.h.inc"
} // namespace mlir::qnn

using namespace mlir;

/// Whether `op` is marked for a runtime kernel.
static bool isKernelCall(Operation *op) {
  auto generic = dyn_cast_if_present<linalg::GenericOp>(op);
  return generic && generic.getLibraryCallAttr();
}

/// Fuses a single-use producer into its consumer unless either is a kernel
/// call.
static bool shouldFuse(OpOperand *fusedOperand) {
  Operation *producer = fusedOperand->get().getDefiningOp();
  return producer && producer->hasOneUse() && !isKernelCall(producer) &&
         !isKernelCall(fusedOperand->getOwner());
}

namespace {
/// linalg's elementwise producer-consumer fusion, controlled by shouldFuse.
struct FuseElementwiseOps : OpRewritePattern<linalg::GenericOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(linalg::GenericOp op,
                                PatternRewriter &rewriter) const override {
    for (OpOperand &operand : op->getOpOperands()) {
      if (!linalg::areElementwiseOpsFusable(&operand) || !shouldFuse(&operand))
        continue;
      Operation *producer = operand.get().getDefiningOp();
      FailureOr<linalg::ElementwiseOpFusionResult> fused =
          linalg::fuseElementwiseOps(rewriter, &operand);
      if (failed(fused))
        return rewriter.notifyMatchFailure(op, "fusion failed");
      for (auto [original, replacement] : fused->replacements)
        rewriter.replaceUsesWithIf(original, replacement, [&](OpOperand &use) {
          return use.getOwner() != producer;
        });
      rewriter.eraseOp(op);
      return success();
    }
    return failure();
  }
};

/// An init operand whose value the body never reads is only a shape: it
/// becomes a tensor.empty, so that bufferization does not write the result
/// into it (--convert-elementwise-to-linalg uses an input, which may be a
/// function argument, as the init). As upstream's RemoveOutsDependency.
struct InitsFromEmpty : OpRewritePattern<linalg::GenericOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(linalg::GenericOp op,
                                PatternRewriter &rewriter) const override {
    bool changed = false;
    rewriter.setInsertionPoint(op);
    for (OpOperand &init : op.getDpsInitsMutable()) {
      Value value = init.get();
      if (op.payloadUsesValueFromOperand(&init) ||
          value.getDefiningOp<tensor::EmptyOp>())
        continue;
      auto type = dyn_cast<RankedTensorType>(value.getType());
      if (!type)
        continue;
      SmallVector<OpFoldResult> sizes =
          tensor::getMixedSizes(rewriter, op.getLoc(), value);
      Value empty = tensor::EmptyOp::create(rewriter, op.getLoc(), sizes,
                                            type.getElementType());
      rewriter.modifyOpInPlace(op, [&] { init.set(empty); });
      changed = true;
    }
    return success(changed);
  }
};

struct QNNFuseElementwisePass
    : qnn::impl::QNNFuseElementwisePassBase<QNNFuseElementwisePass> {
  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    RewritePatternSet patterns(ctx);
    patterns.add<FuseElementwiseOps, InitsFromEmpty>(ctx);
    linalg::populateFoldReshapeOpsByExpansionPatterns(patterns, shouldFuse);
    tensor::populateBubbleUpExpandShapePatterns(patterns);
    affine::AffineApplyOp::getCanonicalizationPatterns(patterns, ctx);
    linalg::GenericOp::getCanonicalizationPatterns(patterns, ctx);
    tensor::ExpandShapeOp::getCanonicalizationPatterns(patterns, ctx);
    tensor::CollapseShapeOp::getCanonicalizationPatterns(patterns, ctx);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
