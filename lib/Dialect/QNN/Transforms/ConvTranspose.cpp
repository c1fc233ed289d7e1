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

/// The quantized type of the conv's weight: per tensor unchanged; per
/// channel along axis 0 with the scale of output channel `o` of each group
/// repeated for every group.
quant::QuantizedType convWeightElementType(quant::QuantizedType type,
                                           int64_t groups) {
  auto perAxis = dyn_cast<quant::UniformQuantizedPerAxisType>(type);
  if (!perAxis)
    return type;
  SmallVector<double> scales;
  SmallVector<int64_t> zeroPoints;
  for (int64_t g = 0; g < groups; ++g) {
    llvm::append_range(scales, perAxis.getScales());
    llvm::append_range(zeroPoints, perAxis.getZeroPoints());
  }
  return quant::UniformQuantizedPerAxisType::get(
      perAxis.getFlags(), perAxis.getStorageType(), perAxis.getExpressedType(),
      scales, zeroPoints, /*quantizedDimension=*/0, perAxis.getStorageTypeMin(),
      perAxis.getStorageTypeMax());
}

/// The weight `C_in x C_out/g x kernel...` as the conv's
/// `C_out x C_in/g x kernel...`, flipped: element (g * C_out/g + o, c, k...)
/// is (g * C_in/g + c, o, K - 1 - k...). Constants are rearranged at
/// compile time (the conv lowering reads constant weights); any other
/// weight by a linalg.generic on its storage.
Value buildConvWeight(PatternRewriter &rewriter, Location loc, Value weight,
                      int64_t groups) {
  auto type = cast<RankedTensorType>(weight.getType());
  auto element = cast<quant::QuantizedType>(type.getElementType());
  Type storage = element.getStorageType();
  ArrayRef<int64_t> kernel = type.getShape().drop_front(2);
  int64_t inPerGroup = type.getDimSize(0) / groups;
  int64_t outPerGroup = type.getDimSize(1);
  int64_t numSpatial = kernel.size();
  SmallVector<int64_t> shape = {groups * outPerGroup, inPerGroup};
  llvm::append_range(shape, kernel);
  auto resultType =
      RankedTensorType::get(shape, convWeightElementType(element, groups));
  auto storageType = RankedTensorType::get(shape, storage);

  Value codes;
  if (std::optional<DenseIntElementsAttr> values = getConstantStorage(weight)) {
    SmallVector<APInt> source(values->getValues<APInt>());
    SmallVector<APInt> result;
    result.reserve(source.size());
    int64_t kernelSize = ShapedType::getNumElements(kernel);
    for (int64_t o = 0; o < groups * outPerGroup; ++o) {
      int64_t g = o / outPerGroup, oInGroup = o % outPerGroup;
      for (int64_t c = 0; c < inPerGroup; ++c) {
        int64_t row = (g * inPerGroup + c) * outPerGroup + oInGroup;
        // Flipping every spatial dimension reverses the kernel's
        // row-major order.
        for (int64_t k = 0; k < kernelSize; ++k)
          result.push_back(source[row * kernelSize + kernelSize - 1 - k]);
      }
    }
    codes = arith::ConstantOp::create(
        rewriter, loc, DenseIntElementsAttr::get(storageType, result));
  } else {
    // (g, o, c, k...) <- (g, c, o, K - 1 - k...) on the weight split into
    // groups, then collapsed back.
    MLIRContext *ctx = rewriter.getContext();
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
    SmallVector<ReassociationIndices> merge = {{0, 1}, {2}};
    for (int64_t i = 0; i < numSpatial; ++i)
      merge.push_back({3 + i});
    codes = tensor::CollapseShapeOp::create(rewriter, loc, storageType, codes,
                                            merge);
  }
  return quant::StorageCastOp::create(rewriter, loc, resultType, codes);
}

/// The input spread out: `stride - 1` zero points between elements,
/// `dilation * (kernel - 1) - padding` around them (cropping where the
/// padding is larger) and `output_padding` more at the end.
Value buildSpreadInput(PatternRewriter &rewriter, Location loc,
                       ConvTransposeOp op) {
  auto type = cast<RankedTensorType>(op.getInput().getType());
  auto weightType = cast<RankedTensorType>(op.getWeight().getType());
  auto element = cast<quant::QuantizedType>(type.getElementType());
  Type storage = element.getStorageType();
  int64_t rank = type.getRank();
  QuantParams params = *QuantParams::get(element);

  // The whole spread input, before cropping the padding.
  SmallVector<int64_t> full(type.getShape().take_front(2));
  SmallVector<int64_t> offsets(rank, 0), strides(rank, 1);
  SmallVector<int64_t> cropOffsets(rank, 0), cropped(full);
  bool crop = false;
  for (int64_t i = 0; i + 2 < rank; ++i) {
    int64_t border = op.getDilations()[i] * (weightType.getDimSize(2 + i) - 1);
    int64_t pad = op.getPadding()[i];
    int64_t size = (type.getDimSize(2 + i) - 1) * op.getStrides()[i] + 1 +
                   2 * border + op.getOutputPadding()[i];
    strides[2 + i] = op.getStrides()[i];
    cropped.push_back(size - 2 * pad);
    if (pad <= border) {
      // Never cropped in this dimension: build it at its final size.
      offsets[2 + i] = border - pad;
      full.push_back(size - 2 * pad);
    } else {
      crop = true;
      offsets[2 + i] = border;
      cropOffsets[2 + i] = pad;
      full.push_back(size);
    }
  }
  Value codes = quant::StorageCastOp::create(rewriter, loc, type.clone(storage),
                                             op.getInput());
  Value zeroPoint = arith::ConstantOp::create(
      rewriter, loc,
      rewriter.getIntegerAttr(storage, APInt(storage.getIntOrFloatBitWidth(),
                                             params.zeroPoint(), true, true)));
  Value spread = tensor::SplatOp::create(
      rewriter, loc, RankedTensorType::get(full, storage), zeroPoint);
  spread = tensor::InsertSliceOp::create(
      rewriter, loc, codes, spread, ValueRange{}, ValueRange{}, ValueRange{},
      offsets, type.getShape(), strides);
  if (crop)
    spread = tensor::ExtractSliceOp::create(
        rewriter, loc, RankedTensorType::get(cropped, storage), spread,
        ValueRange{}, ValueRange{}, ValueRange{}, cropOffsets, cropped,
        SmallVector<int64_t>(rank, 1));
  return quant::StorageCastOp::create(
      rewriter, loc, RankedTensorType::get(cropped, element), spread);
}

struct ConvTransposeAsConv : OpRewritePattern<ConvTransposeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ConvTransposeOp op,
                                PatternRewriter &rewriter) const override {
    for (Type type :
         {op.getInput().getType(), op.getWeight().getType(), op.getType()})
      if (!cast<RankedTensorType>(type).hasStaticShape())
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

struct QNNConvTransposeToConvPass
    : qnn::impl::QNNConvTransposeToConvPassBase<QNNConvTransposeToConvPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateQNNConvTransposeToConvPatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};
} // namespace

void mlir::qnn::populateQNNConvTransposeToConvPatterns(
    RewritePatternSet &patterns) {
  patterns.add<ConvTransposeAsConv>(patterns.getContext());
}
