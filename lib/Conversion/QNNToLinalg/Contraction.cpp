//===- Contraction.cpp - qnn.linear and qnn.conv to integer contractions --===//
//
// The semantic half of the contraction lowering: both ops become the
// engine's int32 sums of the stored input times the stored weight
// (qnn.int_matmul / qnn.int_conv, with the engine's pairing rule as
// attributes), the sums that correct for zero points (IntegerSums.h) and
// the requantization epilogue (Requantize.h). How the integer contractions
// are computed on the target is the business of
// --qnn-select-contraction-strategy and --qnn-lower-integer-contractions
// (ContractionStrategy.h).
//
//===----------------------------------------------------------------------===//

#include "IntegerSums.h"
#include "Requantize.h"
#include "qnn/Conversion/QNNToLinalg/QNNToLinalg.h"
#include "qnn/Dialect/QNN/Utils/Padding.h"
#include "qnn/Dialect/QNN/Utils/QuantUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/IndexingUtils.h"

using namespace mlir;
using namespace mlir::qnn;

namespace {

//===----------------------------------------------------------------------===//
// Linear
//===----------------------------------------------------------------------===//

struct LinearToLinalg : EngineConversionPattern<LinearOp> {
  using EngineConversionPattern::EngineConversionPattern;

  LogicalResult
  matchAndRewrite(LinearOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto inputType = cast<RankedTensorType>(op.getInput().getType());
    auto weightType = cast<RankedTensorType>(op.getWeight().getType());
    if (!inputType.hasStaticShape() || !weightType.hasStaticShape())
      return rewriter.notifyMatchFailure(op, "dynamic shapes");

    EpilogueSpec spec;
    spec.engine = &engine;
    spec.input = paramsOf(inputType);
    spec.weight = paramsOf(weightType);
    // Requantized to the intermediate type; the post-op gives the result.
    Type contraction = op.getContractionElementType();
    spec.output = paramsOf(contraction);
    spec.storageType = storageOf(contraction);
    int64_t n = weightType.getDimSize(0), k = weightType.getDimSize(1);
    spec.reductionSize = k;
    spec.channelShape = {n};
    spec.channelDims = {1};
    spec.inputSumDims = {0};

    int64_t rank = inputType.getRank();
    Value x = adaptor.getInput();
    SmallVector<ReassociationIndices> batch;
    if (rank > 2) {
      ReassociationIndices outer;
      for (int64_t d = 0; d + 1 < rank; ++d)
        outer.push_back(d);
      batch = {outer, {rank - 1}};
      x = tensor::CollapseShapeOp::create(rewriter, loc, x, batch);
    }
    int64_t m = cast<RankedTensorType>(x.getType()).getDimSize(0);

    MLIRContext *ctx = rewriter.getContext();
    auto matmul = IntMatmulOp::create(
        rewriter, loc,
        TypeRange{RankedTensorType::get({m, n}, rewriter.getI32Type())},
        ValueRange{x, adaptor.getWeight()});
    matmul.setLhsSigned(spec.input.isSigned);
    matmul.setRhsSigned(spec.weight.isSigned);
    if (engine.saturatingPairs) {
      // Where the engine's pairing restarts (oneDNN's K-blocks).
      matmul.setSaturatingPairs(true);
      matmul.setPairRestarts(engine.getPairBlockPadding(k));
    }
    Value acc = matmul.getResult();
    using utils::IteratorType;
    Value weightSums =
        buildWeightSums(rewriter, loc, op.getWeight(), adaptor.getWeight(),
                        spec.weight.isSigned, spec.channelShape);
    Value inputSums;
    if (needsInputSums(spec))
      inputSums =
          buildIntegerSum(rewriter, loc, {m}, {x}, {spec.input.isSigned},
                          {rewriter.getMultiDimIdentityMap(2)},
                          AffineMap::get(2, 0, getAffineDimExpr(0, ctx), ctx),
                          {IteratorType::parallel, IteratorType::reduction});
    Value result = buildEpilogue(rewriter, loc, spec, acc, adaptor.getBias(),
                                 weightSums, inputSums);
    if (ActivationAttr postOp = op.getPostOpAttr()) {
      FailureOr<Value> activated = buildActivationOnCodes(
          rewriter, loc, &engine, postOp, spec.output, paramsOf(op.getType()),
          storageOf(op.getType()), result, nullptr,
          [&] { return op.emitOpError(); });
      if (failed(activated))
        return failure();
      result = *activated;
    }
    if (rank > 2)
      result = tensor::ExpandShapeOp::create(
          rewriter, loc, getTypeConverter()->convertType(op.getType()), result,
          batch);
    rewriter.replaceOp(op, result);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Conv
//===----------------------------------------------------------------------===//

struct ConvToLinalg : EngineConversionPattern<ConvOp> {
  using EngineConversionPattern::EngineConversionPattern;

  LogicalResult
  matchAndRewrite(ConvOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    auto inputType = cast<RankedTensorType>(op.getInput().getType());
    auto weightType = cast<RankedTensorType>(op.getWeight().getType());
    auto resultType = cast<RankedTensorType>(op.getType());
    if (!inputType.hasStaticShape() || !weightType.hasStaticShape() ||
        !resultType.hasStaticShape())
      return rewriter.notifyMatchFailure(op, "dynamic shapes");

    int64_t rank = inputType.getRank(), numSpatial = rank - 2;
    int64_t groups = op.getGroups();
    int64_t outChannels = weightType.getDimSize(0);
    int64_t inPerGroup = weightType.getDimSize(1);
    int64_t outPerGroup = outChannels / groups;
    int64_t batch = resultType.getDimSize(0);
    ArrayRef<int64_t> outShape = resultType.getShape().drop_front(2);

    // The accumulator is N x out... x G x O/G (qnn.int_conv's layout).
    EpilogueSpec spec;
    spec.engine = &engine;
    spec.isConv = true;
    spec.input = paramsOf(inputType);
    spec.weight = paramsOf(weightType);
    // Requantized to the intermediate type; the add and the post-op give
    // the result.
    Type contraction = op.getContractionElementType();
    spec.output = paramsOf(contraction);
    spec.storageType = storageOf(contraction);
    spec.reductionSize = weightType.getNumElements() / outChannels;
    spec.channelShape = {groups, outPerGroup};
    spec.channelDims = {1 + numSpatial, 2 + numSpatial};
    for (int64_t i = 0; i <= numSpatial + 1; ++i)
      spec.inputSumDims.push_back(i);
    // Requantized straight into N x G x O/G x out...
    spec.resultPermutation = {0, 1 + numSpatial, 2 + numSpatial};
    for (int64_t i = 0; i < numSpatial; ++i)
      spec.resultPermutation.push_back(1 + i);

    // The engine's pairing rule, and whether it skips zero padding (onednn
    // without VNNI: pad with code 0, add the skipped taps' term) rather
    // than summing the padding's zero points, which is the same with exact
    // sums and simpler.
    bool pairs = engine.pairsConvChannels(groups, inPerGroup, outPerGroup);
    std::optional<DenseIntElementsAttr> weightValues =
        getConstantStorage(op.getWeight());
    bool skipPadding =
        pairs && op.getPaddingMode() == PaddingMode::zeros &&
        spec.input.zeroPoint() != 0 &&
        llvm::any_of(op.getPadding(), [](int64_t p) { return p > 0; });
    if (skipPadding && !weightValues)
      return op.emitOpError()
             << "'" << engine.getName()
             << "' numerics needs a constant weight for a padded convolution "
                "whose channels it sums in saturating pairs";
    Type inputStorage = storageOf(inputType);
    auto padValue = IntegerAttr::get(
        inputStorage,
        APInt(inputStorage.getIntOrFloatBitWidth(),
              static_cast<uint64_t>(skipPadding ? 0 : spec.input.zeroPoint()),
              /*isSigned=*/true, /*implicitTrunc=*/true));
    Value padded = buildPadding(rewriter, loc, adaptor.getInput(),
                                op.getPadding(), op.getPaddingMode(), padValue);
    auto paddedType = cast<RankedTensorType>(padded.getType());

    SmallVector<int64_t> accShape = {batch};
    llvm::append_range(accShape, outShape);
    accShape.append({groups, outPerGroup});
    auto intConv = IntConvOp::create(
        rewriter, loc,
        TypeRange{RankedTensorType::get(accShape, rewriter.getI32Type())},
        ValueRange{padded, adaptor.getWeight()});
    intConv.setStrides(op.getStrides());
    intConv.setDilations(op.getDilations());
    intConv.setGroups(groups);
    intConv.setInputSigned(spec.input.isSigned);
    intConv.setWeightSigned(spec.weight.isSigned);
    intConv.setSaturatingPairs(pairs);
    Value acc = intConv.getResult();
    auto d = [&](int64_t i) { return getAffineDimExpr(i, ctx); };
    if (skipPadding) {
      // The term is indexed (out..., o) with o = g * O/G + o'.
      SmallVector<AffineExpr> termExprs;
      for (int64_t i = 0; i < numSpatial; ++i)
        termExprs.push_back(d(1 + i));
      termExprs.push_back(d(1 + numSpatial) * outPerGroup + d(2 + numSpatial));
      acc = addSkippedPaddingTerm(
          rewriter, loc, acc, AffineMap::get(rank + 1, 0, termExprs, ctx),
          outShape, *weightValues, weightType, paddedType, op.getStrides(),
          op.getDilations(), op.getPadding(), spec.input.zeroPoint());
    }

    Value weightSums =
        buildWeightSums(rewriter, loc, op.getWeight(), adaptor.getWeight(),
                        spec.weight.isSigned, spec.channelShape);
    Value inputSums;
    if (needsInputSums(spec))
      inputSums = buildWindowSums(rewriter, loc, spec, op, padded, accShape);
    Value bias = adaptor.getBias();
    if (bias)
      bias = tensor::ExpandShapeOp::create(
          rewriter, loc,
          RankedTensorType::get(spec.channelShape, rewriter.getF32Type()), bias,
          SmallVector<ReassociationIndices>{{0, 1}});
    Value result =
        buildEpilogue(rewriter, loc, spec, acc, bias, weightSums, inputSums);
    result = tensor::CollapseShapeOp::create(rewriter, loc, result,
                                             groupReassociation(rank, 1));

    QuantParams codes = spec.output;
    if (Value addend = adaptor.getAddend()) {
      codes = paramsOf(resultType);
      result =
          buildQuantizedAdd(rewriter, loc, engine, result, spec.output, addend,
                            paramsOf(op.getAddend().getType()), codes,
                            storageOf(resultType), resultType.getShape());
    }
    if (ActivationAttr postOp = op.getPostOpAttr()) {
      FailureOr<Value> activated = buildActivationOnCodes(
          rewriter, loc, &engine, postOp, codes, paramsOf(resultType),
          storageOf(resultType), result, nullptr,
          [&] { return op.emitOpError(); });
      if (failed(activated))
        return failure();
      result = *activated;
    }
    rewriter.replaceOp(op, result);
    return success();
  }

  /// The sums of the stored inputs under each accumulator (n, out..., g):
  /// over the group's channels and the kernel window of the padded input.
  static Value buildWindowSums(OpBuilder &b, Location loc,
                               const EpilogueSpec &spec, ConvOp op,
                               Value padded, ArrayRef<int64_t> accShape) {
    MLIRContext *ctx = b.getContext();
    auto weightType = cast<RankedTensorType>(op.getWeight().getType());
    auto paddedType = cast<RankedTensorType>(padded.getType());
    int64_t rank = paddedType.getRank(), numSpatial = rank - 2;
    int64_t groups = op.getGroups(), inPerGroup = weightType.getDimSize(1);
    SmallVector<int64_t> xgShape = {paddedType.getDimSize(0), groups,
                                    inPerGroup};
    for (int64_t i = 0; i < numSpatial; ++i)
      xgShape.push_back(paddedType.getDimSize(2 + i));
    Value xg = tensor::ExpandShapeOp::create(
        b, loc, RankedTensorType::get(xgShape, paddedType.getElementType()),
        padded, groupReassociation(rank, 1));
    // Loops n, out..., g, c, kernel...
    int64_t numLoops = 3 + 2 * numSpatial, c = 2 + numSpatial;
    auto d = [&](int64_t i) { return getAffineDimExpr(i, ctx); };
    SmallVector<AffineExpr> in = {d(0), d(1 + numSpatial), d(c)}, out = {d(0)},
                            window;
    SmallVector<int64_t> kernelShape;
    for (int64_t i = 0; i < numSpatial; ++i) {
      in.push_back(d(1 + i) * op.getStrides()[i] +
                   d(c + 1 + i) * op.getDilations()[i]);
      out.push_back(d(1 + i));
      window.push_back(d(c + 1 + i));
      kernelShape.push_back(weightType.getDimSize(2 + i));
    }
    out.push_back(d(1 + numSpatial));
    SmallVector<utils::IteratorType> iterators(2 + numSpatial,
                                               utils::IteratorType::parallel);
    iterators.append(1 + numSpatial, utils::IteratorType::reduction);
    Value windowShape =
        tensor::EmptyOp::create(b, loc, kernelShape, b.getI8Type());
    return buildIntegerSum(
        b, loc, accShape.drop_back(), {xg}, {spec.input.isSigned},
        {AffineMap::get(numLoops, 0, in, ctx)},
        AffineMap::get(numLoops, 0, out, ctx), iterators, windowShape,
        AffineMap::get(numLoops, 0, window, ctx));
  }
};
} // namespace

void mlir::qnn::populateQNNContractionToLinalgPatterns(
    const TypeConverter &converter, RewritePatternSet &patterns,
    const EngineInfo &engine) {
  patterns.add<LinearToLinalg, ConvToLinalg>(converter, patterns.getContext(),
                                             engine);
}
