//===- PropagateLayout.cpp - channels-last activations across a model -----===//
//
// Moves the NCHW <-> NHWC transposes the contraction lowering leaves at
// each conv's edges towards the function results, where inverse pairs
// cancel: between two convs an activation stays channels-last. In three
// phases, each a greedy rewrite to a fixed point:
//
//  1. An elementwise generic with a permuted output map (an epilogue that
//     writes NCHW from an NHWC accumulator) computes in its loop order and
//     is followed by a linalg.transpose to the old result.
//  2. Transposes sink: through elementwise generics whose operands are
//     transposed alike (or broadcast), through tensor.pad and
//     tensor.collapse_shape, and into each other (composed; an identity
//     vanishes).
//  3. A transpose that is still there (at the model's edges) becomes the
//     runtime's 8-bit transpose kernel if it swaps two groups of dimensions
//     (NCHW <-> NHWC), else folds back into the output map of the
//     elementwise generic that produces it, if that is its only use, so the
//     IR never has more copies than before the pass.
//
// linalg.transpose(%x) {permutation = p} has result dimension i equal to
// dimension p[i] of %x throughout.
//
//===----------------------------------------------------------------------===//

#include "qnn/Transforms/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Utils/Utils.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include <numeric>

namespace mlir::qnn {
#define GEN_PASS_DEF_QNNPROPAGATELAYOUTPASS
#include "qnn/Transforms/Passes.h.inc"
} // namespace mlir::qnn

using namespace mlir;

namespace {

/// A generic this pass may re-index: every loop parallel, one result, a
/// body that neither reads its init nor asks for indices, static shapes,
/// and no runtime kernel mark.
bool isElementwise(linalg::GenericOp op) {
  if (op.getLibraryCallAttr() || op.getNumDpsInits() != 1 ||
      op.getNumParallelLoops() != op.getNumLoops() ||
      op.payloadUsesValueFromOperand(op.getDpsInitOperand(0)) ||
      !op.getBody()->getOps<linalg::IndexOp>().empty())
    return false;
  auto type = dyn_cast<RankedTensorType>(op.getResult(0).getType());
  return type && type.hasStaticShape() &&
         llvm::all_of(op.getIndexingMapsArray(), [](AffineMap map) {
           return map.isProjectedPermutation();
         });
}

/// `values` permuted: result[i] = values[permutation[i]].
template <typename T>
SmallVector<T> permute(ArrayRef<T> values, ArrayRef<int64_t> permutation) {
  SmallVector<T> result;
  for (int64_t p : permutation)
    result.push_back(values[p]);
  return result;
}

SmallVector<int64_t> inverse(ArrayRef<int64_t> permutation) {
  SmallVector<int64_t> result(permutation.size());
  for (auto [i, p] : llvm::enumerate(permutation))
    result[p] = i;
  return result;
}

bool isIdentity(ArrayRef<int64_t> permutation) {
  for (auto [i, p] : llvm::enumerate(permutation))
    if (static_cast<int64_t>(i) != p)
      return false;
  return true;
}

/// A copy of `op` with new inputs, input maps, output map and result type
/// (same body).
Value cloneGeneric(PatternRewriter &rewriter, linalg::GenericOp op,
                   ValueRange inputs, ArrayRef<AffineMap> inputMaps,
                   AffineMap outputMap, RankedTensorType resultType) {
  Value init =
      tensor::EmptyOp::create(rewriter, op.getLoc(), resultType.getShape(),
                              resultType.getElementType());
  SmallVector<AffineMap> maps(inputMaps);
  maps.push_back(outputMap);
  auto generic = linalg::GenericOp::create(
      rewriter, op.getLoc(), TypeRange{resultType}, inputs, ValueRange{init},
      maps, op.getIteratorTypesArray());
  rewriter.inlineRegionBefore(op.getRegion(), generic.getRegion(),
                              generic.getRegion().begin());
  return generic.getResult(0);
}

Value transpose(PatternRewriter &rewriter, Location loc, Value source,
                ArrayRef<int64_t> permutation) {
  auto type = cast<RankedTensorType>(source.getType());
  Value init = tensor::EmptyOp::create(rewriter, loc,
                                       permute(type.getShape(), permutation),
                                       type.getElementType());
  return linalg::TransposeOp::create(rewriter, loc, source, init, permutation)
      ->getResult(0);
}

/// Phase 1: generic(out map = permutation p of the loops) ->
/// transpose(generic(out map = identity), p).
struct SplitPermutedOutput : OpRewritePattern<linalg::GenericOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(linalg::GenericOp op,
                                PatternRewriter &rewriter) const override {
    if (!isElementwise(op))
      return failure();
    AffineMap outputMap = op.getIndexingMapMatchingResult(op->getResult(0));
    if (!outputMap.isPermutation() || outputMap.isIdentity())
      return failure();
    SmallVector<int64_t> permutation;
    for (AffineExpr e : outputMap.getResults())
      permutation.push_back(cast<AffineDimExpr>(e).getPosition());
    auto type = cast<RankedTensorType>(op.getResult(0).getType());
    // The loops' extents: dimension permutation[i] has extent shape[i].
    SmallVector<int64_t> loopShape(type.getRank());
    for (auto [i, p] : llvm::enumerate(permutation))
      loopShape[p] = type.getDimSize(i);
    auto loopType = RankedTensorType::get(loopShape, type.getElementType());
    SmallVector<AffineMap> inputMaps;
    for (OpOperand *input : op.getDpsInputOperands())
      inputMaps.push_back(op.getMatchingIndexingMap(input));
    Value computed =
        cloneGeneric(rewriter, op, op.getDpsInputs(), inputMaps,
                     rewriter.getMultiDimIdentityMap(type.getRank()), loopType);
    rewriter.replaceOp(op,
                       transpose(rewriter, op.getLoc(), computed, permutation));
    return success();
  }
};

/// transpose(transpose(x, p), q) -> transpose(x, p o q), or x.
struct ComposeTransposes : OpRewritePattern<linalg::TransposeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(linalg::TransposeOp op,
                                PatternRewriter &rewriter) const override {
    auto inner = op.getInput().getDefiningOp<linalg::TransposeOp>();
    if (!inner || !isa<RankedTensorType>(op.getInput().getType()))
      return failure();
    SmallVector<int64_t> composed =
        permute(inner.getPermutation(), op.getPermutation());
    if (isIdentity(composed)) {
      rewriter.replaceOp(op, inner.getInput());
      return success();
    }
    rewriter.replaceOp(
        op, transpose(rewriter, op.getLoc(), inner.getInput(), composed));
    return success();
  }
};

/// pad(transpose(x, p)) -> transpose(pad(x), p), for a pad by a value
/// that does not depend on the position.
struct SinkTransposeThroughPad : OpRewritePattern<tensor::PadOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(tensor::PadOp op,
                                PatternRewriter &rewriter) const override {
    auto producer = op.getSource().getDefiningOp<linalg::TransposeOp>();
    Value padding = op.getConstantPaddingValue();
    if (!producer || !padding || op.getNofold() ||
        !op.getResultType().hasStaticShape())
      return failure();
    ArrayRef<int64_t> permutation = producer.getPermutation();
    SmallVector<int64_t> inverted = inverse(permutation);
    SmallVector<OpFoldResult> low =
        permute(ArrayRef<OpFoldResult>(op.getMixedLowPad()), inverted);
    SmallVector<OpFoldResult> high =
        permute(ArrayRef<OpFoldResult>(op.getMixedHighPad()), inverted);
    auto type = op.getResultType();
    auto paddedType = RankedTensorType::get(permute(type.getShape(), inverted),
                                            type.getElementType());
    Value padded =
        tensor::PadOp::create(rewriter, op.getLoc(), paddedType,
                              producer.getInput(), low, high, padding);
    rewriter.replaceOp(op,
                       transpose(rewriter, op.getLoc(), padded, permutation));
    return success();
  }
};

/// collapse_shape(transpose(x, p)) -> transpose(collapse_shape(x), q) when
/// every collapsed group of the result reads consecutive dimensions of x in
/// order (the group dimension of a conv's NCHW result, say, merged into its
/// channels).
struct SinkTransposeThroughCollapse
    : OpRewritePattern<tensor::CollapseShapeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(tensor::CollapseShapeOp op,
                                PatternRewriter &rewriter) const override {
    auto producer = op.getSrc().getDefiningOp<linalg::TransposeOp>();
    if (!producer)
      return failure();
    ArrayRef<int64_t> permutation = producer.getPermutation();
    // Each result group as the run of x's dimensions it reads.
    SmallVector<std::pair<int64_t, int64_t>> runs; // (first, size)
    for (ArrayRef<int64_t> group : op.getReassociationIndices()) {
      int64_t first = permutation[group.front()];
      for (auto [k, dim] : llvm::enumerate(group))
        if (permutation[dim] != first + static_cast<int64_t>(k))
          return failure();
      runs.push_back({first, static_cast<int64_t>(group.size())});
    }
    SmallVector<int64_t> order(runs.size());
    std::iota(order.begin(), order.end(), 0);
    llvm::sort(order, [&](int64_t a, int64_t b) {
      return runs[a].first < runs[b].first;
    });
    SmallVector<ReassociationIndices> sourceGroups;
    SmallVector<int64_t> newPermutation(runs.size());
    for (auto [position, group] : llvm::enumerate(order)) {
      ReassociationIndices indices;
      for (int64_t k = 0; k < runs[group].second; ++k)
        indices.push_back(runs[group].first + k);
      sourceGroups.push_back(indices);
      newPermutation[group] = position;
    }
    Value collapsed = tensor::CollapseShapeOp::create(
        rewriter, op.getLoc(), producer.getInput(), sourceGroups);
    rewriter.replaceOp(
        op, transpose(rewriter, op.getLoc(), collapsed, newPermutation));
    return success();
  }
};

/// generic(transpose(x, p), broadcast b, ...) ->
/// transpose(generic(x, b re-indexed, ...), p): the generic iterates in
/// x's order. Every full-rank input must be a transpose by p read through
/// the identity; lower-rank inputs (per-channel vectors) are re-indexed.
struct SinkTransposeThroughElementwise : OpRewritePattern<linalg::GenericOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(linalg::GenericOp op,
                                PatternRewriter &rewriter) const override {
    if (!isElementwise(op) ||
        !op.getIndexingMapMatchingResult(op->getResult(0)).isIdentity())
      return failure();
    unsigned rank = op.getNumLoops();
    std::optional<SmallVector<int64_t>> permutation;
    for (OpOperand *input : op.getDpsInputOperands()) {
      AffineMap map = op.getMatchingIndexingMap(input);
      if (map.getNumResults() != rank)
        continue;
      auto producer = input->get().getDefiningOp<linalg::TransposeOp>();
      if (!producer || !map.isIdentity())
        return failure();
      SmallVector<int64_t> p(producer.getPermutation());
      if (permutation && *permutation != p)
        return failure();
      permutation = p;
    }
    if (!permutation)
      return failure();
    // Old loop d_i runs over dimension (*permutation)[i] of x: the new
    // loops are x's dimensions, d_i -> e_{p[i]}.
    SmallVector<AffineExpr> substitution;
    for (int64_t p : *permutation)
      substitution.push_back(rewriter.getAffineDimExpr(p));
    SmallVector<Value> inputs;
    SmallVector<AffineMap> maps;
    for (OpOperand *input : op.getDpsInputOperands()) {
      AffineMap map = op.getMatchingIndexingMap(input);
      if (map.getNumResults() == rank) {
        inputs.push_back(
            input->get().getDefiningOp<linalg::TransposeOp>().getInput());
        maps.push_back(rewriter.getMultiDimIdentityMap(rank));
        continue;
      }
      inputs.push_back(input->get());
      maps.push_back(map.replaceDimsAndSymbols(substitution, {}, rank, 0));
    }
    auto type = cast<RankedTensorType>(op.getResult(0).getType());
    auto sourceType = RankedTensorType::get(
        permute(type.getShape(), inverse(*permutation)), type.getElementType());
    Value computed =
        cloneGeneric(rewriter, op, inputs, maps,
                     rewriter.getMultiDimIdentityMap(rank), sourceType);
    rewriter.replaceOp(
        op, transpose(rewriter, op.getLoc(), computed, *permutation));
    return success();
  }
};

/// Phase 3, first: an 8-bit transpose that swaps two adjacent groups of
/// dimensions (NCHW <-> NHWC: the channels with the pixels) becomes the
/// runtime's batched transpose (qnn/Runtime/Transpose.h): collapsed to
/// B x R x C, a linalg.generic with `library_call = "qnn_transpose_8"`
/// writing B x C x R, expanded back. Not for constants (folded elsewhere
/// or tiny) or a swap with a unit side (a reshape).
struct TransposeToKernel : OpRewritePattern<linalg::TransposeOp> {
  TransposeToKernel(MLIRContext *ctx) : OpRewritePattern(ctx, /*benefit=*/2) {}
  LogicalResult matchAndRewrite(linalg::TransposeOp op,
                                PatternRewriter &rewriter) const override {
    auto type = dyn_cast<RankedTensorType>(op.getInput().getType());
    if (!type || !type.hasStaticShape() ||
        !type.getElementType().isInteger(8) ||
        matchPattern(op.getInput(), m_Constant()))
      return failure();
    ArrayRef<int64_t> perm = op.getPermutation();
    int64_t n = perm.size(), p = 0;
    while (p < n && perm[p] == p)
      ++p;
    if (p == n)
      return failure();
    // perm = [0 .. p-1, q .. n-1, p .. q-1].
    int64_t q = perm[p];
    for (int64_t k = 0; k < n - q; ++k)
      if (perm[p + k] != q + k)
        return failure();
    for (int64_t k = 0; k < q - p; ++k)
      if (perm[p + (n - q) + k] != p + k)
        return failure();
    ArrayRef<int64_t> shape = type.getShape();
    auto product = [&](int64_t from, int64_t to) {
      int64_t size = 1;
      for (int64_t i = from; i < to; ++i)
        size *= shape[i];
      return size;
    };
    int64_t batch = product(0, p), rows = product(p, q), cols = product(q, n);
    if (rows == 1 || cols == 1)
      return failure();
    Location loc = op.getLoc();
    auto groups = [](ArrayRef<int64_t> sizes) {
      SmallVector<ReassociationIndices> result;
      int64_t next = 0;
      for (int64_t size : sizes) {
        ReassociationIndices group;
        for (int64_t i = 0; i < size; ++i)
          group.push_back(next++);
        result.push_back(group);
      }
      return result;
    };
    // B x R x C, with a unit B when there are no batch dimensions: rank
    // n + 1 views of the source and the result with a leading unit.
    SmallVector<ReassociationIndices> leadingUnit = {{0, 1}};
    for (int64_t i = 1; i < n; ++i)
      leadingUnit.push_back({i + 1});
    SmallVector<int64_t> sourceGroups = {p == 0 ? 1 : p, q - p, n - q};
    Value source = op.getInput();
    if (p == 0)
      source = tensor::ExpandShapeOp::create(rewriter, loc,
                                             RankedTensorType::get(
                                                 [&] {
                                                   SmallVector<int64_t> s = {1};
                                                   llvm::append_range(s, shape);
                                                   return s;
                                                 }(),
                                                 type.getElementType()),
                                             source, leadingUnit);
    Value matrix = tensor::CollapseShapeOp::create(rewriter, loc, source,
                                                   groups(sourceGroups));
    MLIRContext *ctx = rewriter.getContext();
    AffineExpr b = rewriter.getAffineDimExpr(0),
               c = rewriter.getAffineDimExpr(1),
               r = rewriter.getAffineDimExpr(2);
    Value init = tensor::EmptyOp::create(rewriter, loc, {batch, cols, rows},
                                         type.getElementType());
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{init.getType()}, ValueRange{matrix},
        ValueRange{init},
        SmallVector<AffineMap>{AffineMap::get(3, 0, {b, r, c}, ctx),
                               rewriter.getMultiDimIdentityMap(3)},
        SmallVector<utils::IteratorType>(3, utils::IteratorType::parallel),
        [](OpBuilder &nb, Location nloc, ValueRange args) {
          linalg::YieldOp::create(nb, nloc, args[0]);
        });
    generic->setAttr("library_call", rewriter.getStringAttr("qnn_transpose_8"));
    auto resultType = cast<RankedTensorType>(op->getResult(0).getType());
    SmallVector<int64_t> resultGroups = {p, n - q, q - p};
    Value result = generic.getResult(0);
    if (p == 0) {
      SmallVector<int64_t> withUnit = {1};
      llvm::append_range(withUnit, resultType.getShape());
      result = tensor::ExpandShapeOp::create(
          rewriter, loc,
          RankedTensorType::get(withUnit, resultType.getElementType()), result,
          groups({1, n - q, q - p}));
      result = tensor::CollapseShapeOp::create(rewriter, loc, resultType,
                                               result, leadingUnit);
    } else {
      result = tensor::ExpandShapeOp::create(rewriter, loc, resultType, result,
                                             groups(resultGroups));
    }
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// Phase 3: transpose(generic(...) with identity output map, p), the
/// generic's only use -> generic(...) with output map p.
struct FoldTransposeIntoProducer : OpRewritePattern<linalg::TransposeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(linalg::TransposeOp op,
                                PatternRewriter &rewriter) const override {
    auto producer = op.getInput().getDefiningOp<linalg::GenericOp>();
    if (!producer || !producer->hasOneUse() || !isElementwise(producer) ||
        !producer.getIndexingMapMatchingResult(producer->getResult(0))
             .isIdentity())
      return failure();
    SmallVector<AffineExpr> results;
    for (int64_t p : op.getPermutation())
      results.push_back(rewriter.getAffineDimExpr(p));
    AffineMap outputMap = AffineMap::get(producer.getNumLoops(), 0, results,
                                         rewriter.getContext());
    SmallVector<AffineMap> inputMaps;
    for (OpOperand *input : producer.getDpsInputOperands())
      inputMaps.push_back(producer.getMatchingIndexingMap(input));
    rewriter.setInsertionPoint(op);
    rewriter.replaceOp(
        op, cloneGeneric(rewriter, producer, producer.getDpsInputs(), inputMaps,
                         outputMap,
                         cast<RankedTensorType>(op->getResult(0).getType())));
    rewriter.eraseOp(producer);
    return success();
  }
};

struct QNNPropagateLayoutPass
    : qnn::impl::QNNPropagateLayoutPassBase<QNNPropagateLayoutPass> {
  template <typename... Patterns> LogicalResult apply() {
    RewritePatternSet patterns(&getContext());
    patterns.add<Patterns...>(&getContext());
    return applyPatternsGreedily(getOperation(), std::move(patterns));
  }

  void runOnOperation() override {
    if (failed(apply<SplitPermutedOutput>()) ||
        failed(apply<ComposeTransposes, SinkTransposeThroughPad,
                     SinkTransposeThroughCollapse,
                     SinkTransposeThroughElementwise>()) ||
        failed(apply<TransposeToKernel, FoldTransposeIntoProducer,
                     ComposeTransposes>()))
      signalPassFailure();
  }
};

} // namespace
