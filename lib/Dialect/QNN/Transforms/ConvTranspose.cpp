//===- ConvTranspose.cpp - qnn.conv_transpose as the qnn.conv it equals ---===//
//
// A transposed convolution is a convolution with unit strides over its
// input spread out by the strides, with the weight transposed per group and
// flipped. The gaps and the border hold the input's zero point, so they
// add (zx - zx) * w = 0 to every sum, in any engine's integer arithmetic:
// this is how PyTorch's onednn and qnnpack compute nnq.ConvTransposeNd,
// bit for bit (scripts/research/conv_transpose_ref.py). Lowering and
// decomposition then treat it as the conv.
//
//===----------------------------------------------------------------------===//

#include "qnn/Dialect/QNN/Utils/ConvTranspose.h"
#include "qnn/Dialect/QNN/IR/QNNOps.h"
#include "qnn/Dialect/QNN/Transforms/Passes.h"
#include "qnn/Dialect/QNN/Utils/QuantUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::qnn {
#define GEN_PASS_DEF_QNNCONVTRANSPOSETOCONVPASS
#include "qnn/Dialect/QNN/Transforms/Passes.h.inc"
} // namespace mlir::qnn

using namespace mlir;
using namespace mlir::qnn;

namespace {

/// The weight as the conv's (getConvWeightType). Constants are rearranged
/// at compile time (the conv lowering reads constant weights); any other
/// weight by a linalg.generic on its storage.
Value buildConvWeight(PatternRewriter &rewriter, Location loc, Value weight,
                      int64_t groups) {
  auto type = cast<RankedTensorType>(weight.getType());
  RankedTensorType resultType = getConvWeightType(type, groups);
  Type storage =
      cast<quant::QuantizedType>(type.getElementType()).getStorageType();
  auto storageType = resultType.clone(storage);

  Value codes;
  if (std::optional<DenseIntElementsAttr> values = getConstantStorage(weight)) {
    codes = arith::ConstantOp::create(
        rewriter, loc, transposeConvWeight(*values, groups, storageType));
  } else {
    // (g, o, c, k...) <- (g, c, o, K - 1 - k...) on the weight split into
    // groups, then collapsed back.
    MLIRContext *ctx = rewriter.getContext();
    ArrayRef<int64_t> kernel = type.getShape().drop_front(2);
    int64_t inPerGroup = type.getDimSize(0) / groups;
    int64_t outPerGroup = type.getDimSize(1);
    int64_t numSpatial = kernel.size();
    int64_t numLoops = 3 + numSpatial;
    SmallVector<int64_t> splitShape = {groups, inPerGroup, outPerGroup};
    llvm::append_range(splitShape, kernel);
    SmallVector<ReassociationIndices> split = {{0, 1}, {2}};
    for (int64_t i = 0; i < numSpatial; ++i)
      split.push_back({3 + i});
    Value source = quant::StorageCastOp::create(rewriter, loc,
                                                type.clone(storage), weight);
    source = tensor::ExpandShapeOp::create(
        rewriter, loc, RankedTensorType::get(splitShape, storage), source,
        split);
    auto d = [&](int64_t i) { return getAffineDimExpr(i, ctx); };
    SmallVector<AffineExpr> in = {d(0), d(2), d(1)};
    for (int64_t i = 0; i < numSpatial; ++i)
      in.push_back(kernel[i] - 1 - d(3 + i));
    SmallVector<int64_t> groupedShape = {groups, outPerGroup, inPerGroup};
    llvm::append_range(groupedShape, kernel);
    Value init = tensor::EmptyOp::create(rewriter, loc, groupedShape, storage);
    codes =
        linalg::GenericOp::create(
            rewriter, loc, TypeRange{init.getType()}, ValueRange{source},
            ValueRange{init},
            SmallVector<AffineMap>{AffineMap::get(numLoops, 0, in, ctx),
                                   rewriter.getMultiDimIdentityMap(numLoops)},
            SmallVector<utils::IteratorType>(numLoops,
                                             utils::IteratorType::parallel),
            [](OpBuilder &b, Location nloc, ValueRange args) {
              linalg::YieldOp::create(b, nloc, args[0]);
            })
            .getResult(0);
    codes = tensor::CollapseShapeOp::create(rewriter, loc, storageType, codes,
                                            split);
  }
  return quant::StorageCastOp::create(rewriter, loc, resultType, codes);
}

/// The input spread out (getSpreadGeometry) with its zero point.
Value buildSpreadInput(PatternRewriter &rewriter, Location loc,
                       ConvTransposeOp op) {
  auto type = cast<RankedTensorType>(op.getInput().getType());
  auto element = cast<quant::QuantizedType>(type.getElementType());
  Type storage = element.getStorageType();
  SpreadGeometry geometry = getSpreadGeometry(op);
  Value codes = quant::StorageCastOp::create(rewriter, loc, type.clone(storage),
                                             op.getInput());
  auto zeroPoint = rewriter.getIntegerAttr(
      storage, APInt(storage.getIntOrFloatBitWidth(),
                     QuantParams::get(element)->zeroPoint(), true, true));
  Value spread = buildSpreadCodes(rewriter, loc, codes, geometry, zeroPoint);
  return quant::StorageCastOp::create(
      rewriter, loc, RankedTensorType::get(geometry.shape, element), spread);
}

/// Whether the transposed conv's input, weight and result are all static.
template <typename Op> bool hasStaticShapes(Op op) {
  return llvm::all_of(
      TypeRange{op.getInput().getType(), op.getWeight().getType(),
                op.getType()},
      [](Type type) { return cast<RankedTensorType>(type).hasStaticShape(); });
}

struct ConvTransposeAsConv : OpRewritePattern<ConvTransposeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ConvTransposeOp op,
                                PatternRewriter &rewriter) const override {
    if (!hasStaticShapes(op))
      return rewriter.notifyMatchFailure(op, "dynamic shapes");
    Location loc = op.getLoc();
    int64_t numSpatial = op.getNumSpatialDims();
    Value input = buildSpreadInput(rewriter, loc, op);
    Value weight =
        buildConvWeight(rewriter, loc, op.getWeight(), op.getGroups());
    SmallVector<int64_t> ones(numSpatial, 1), zeros(numSpatial, 0);
    rewriter.replaceOpWithNewOp<ConvOp>(
        op, op.getType(), input, weight, op.getBias(), /*addend=*/Value(), ones,
        zeros, op.getDilations(), op.getGroups(), PaddingMode::zeros,
        /*post_op=*/nullptr, /*intermediate=*/nullptr);
    return success();
  }
};

/// A dynamic transposed conv is the dynamic conv of its float input spread
/// out with 0.0: the chosen range holds 0, which quantizes to the zero
/// point exactly, and extending the input with zeros leaves the range as it
/// is. So the codes are those ConvTransposeAsConv's spread holds.
struct DynamicConvTransposeAsConv : OpRewritePattern<DynamicConvTransposeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(DynamicConvTransposeOp op,
                                PatternRewriter &rewriter) const override {
    if (!hasStaticShapes(op))
      return rewriter.notifyMatchFailure(op, "dynamic shapes");
    Location loc = op.getLoc();
    int64_t numSpatial = op.getNumSpatialDims();
    Value input =
        buildSpreadCodes(rewriter, loc, op.getInput(), getSpreadGeometry(op),
                         rewriter.getF32FloatAttr(0.0f));
    Value weight =
        buildConvWeight(rewriter, loc, op.getWeight(), op.getGroups());
    SmallVector<int64_t> ones(numSpatial, 1), zeros(numSpatial, 0);
    rewriter.replaceOpWithNewOp<DynamicConvOp>(
        op, op.getType(), input, weight, op.getBias(), ones, zeros,
        op.getDilations(), op.getGroups(), PaddingMode::zeros,
        op.getReduceRange());
    return success();
  }
};

struct QNNConvTransposeToConvPass
    : qnn::impl::QNNConvTransposeToConvPassBase<QNNConvTransposeToConvPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateQNNConvTransposeToConvPatterns(patterns);
    populateQNNDynamicConvTransposeToConvPatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};
} // namespace

void mlir::qnn::populateQNNConvTransposeToConvPatterns(
    RewritePatternSet &patterns) {
  patterns.add<ConvTransposeAsConv>(patterns.getContext());
}

void mlir::qnn::populateQNNDynamicConvTransposeToConvPatterns(
    RewritePatternSet &patterns) {
  patterns.add<DynamicConvTransposeAsConv>(patterns.getContext());
}
