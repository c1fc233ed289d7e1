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

#include "Contraction.h"
#include "IntegerSums.h"
#include "Requantize.h"
#include "qnn/Conversion/QNNToLinalg/QNNToLinalg.h"
#include "qnn/Dialect/QNN/Utils/ConvTranspose.h"
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

} // namespace

//===----------------------------------------------------------------------===//
// Conv and ConvTranspose
//===----------------------------------------------------------------------===//

/// The sums of the stored inputs under each accumulator (n, out..., g):
/// over the group's channels and the kernel window of the padded input.
static Value buildWindowSums(OpBuilder &b, Location loc,
                             const EpilogueSpec &spec,
                             const ConvContraction &conv,
                             ArrayRef<int64_t> accShape) {
  MLIRContext *ctx = b.getContext();
  auto paddedType = cast<RankedTensorType>(conv.input.getType());
  int64_t rank = paddedType.getRank(), numSpatial = rank - 2;
  int64_t groups = conv.groups, inPerGroup = conv.weightType.getDimSize(1);
  SmallVector<int64_t> xgShape = {paddedType.getDimSize(0), groups, inPerGroup};
  for (int64_t i = 0; i < numSpatial; ++i)
    xgShape.push_back(paddedType.getDimSize(2 + i));
  Value xg = tensor::ExpandShapeOp::create(
      b, loc, RankedTensorType::get(xgShape, paddedType.getElementType()),
      conv.input, groupReassociation(rank, 1));
  // Loops n, out..., g, c, kernel...
  int64_t numLoops = 3 + 2 * numSpatial, c = 2 + numSpatial;
  auto d = [&](int64_t i) { return getAffineDimExpr(i, ctx); };
  SmallVector<AffineExpr> in = {d(0), d(1 + numSpatial), d(c)}, out = {d(0)},
                          window;
  SmallVector<int64_t> kernelShape;
  for (int64_t i = 0; i < numSpatial; ++i) {
    in.push_back(d(1 + i) * conv.strides[i] + d(c + 1 + i) * conv.dilations[i]);
    out.push_back(d(1 + i));
    window.push_back(d(c + 1 + i));
    kernelShape.push_back(conv.weightType.getDimSize(2 + i));
  }
  out.push_back(d(1 + numSpatial));
  SmallVector<utils::IteratorType> iterators(2 + numSpatial,
                                             utils::IteratorType::parallel);
  iterators.append(1 + numSpatial, utils::IteratorType::reduction);
  Value windowShape =
      tensor::EmptyOp::create(b, loc, kernelShape, b.getI8Type());
  return buildIntegerSum(b, loc, accShape.drop_back(), {xg},
                         {spec.input.isSigned},
                         {AffineMap::get(numLoops, 0, in, ctx)},
                         AffineMap::get(numLoops, 0, out, ctx), iterators,
                         windowShape, AffineMap::get(numLoops, 0, window, ctx));
}

/// The bounds and signedness of quint8 codes with run-time parameters
/// (the scale and zero point are placeholders: EpilogueSpec::dynamicScale
/// has them).
static QuantParams dynamicCodeParams(MLIRContext *ctx) {
  return *QuantParams::get(quant::UniformQuantizedType::get(
      /*flags=*/0, IntegerType::get(ctx, 8), Float32Type::get(ctx),
      /*scale=*/1.0, /*zeroPoint=*/0, /*storageTypeMin=*/0,
      /*storageTypeMax=*/255));
}

Value mlir::qnn::buildConvContraction(OpBuilder &b, Location loc,
                                      const EngineInfo &engine,
                                      const ConvContraction &conv) {
  MLIRContext *ctx = b.getContext();
  int64_t rank = conv.inputType.getRank(), numSpatial = rank - 2;
  int64_t groups = conv.groups;
  int64_t outChannels = conv.weightType.getDimSize(0);
  int64_t outPerGroup = outChannels / groups;
  ArrayRef<int64_t> outShape = conv.resultType.getShape().drop_front(2);

  // The accumulator is N x out... x G x O/G (qnn.int_conv's layout).
  EpilogueSpec spec;
  spec.engine = &engine;
  spec.isConv = true;
  if (conv.dynamicScale) {
    // quint8 codes with the input's run-time parameters, also the output's.
    spec.input = spec.output = dynamicCodeParams(ctx);
    spec.storageType = b.getI8Type();
    spec.dynamicScale = conv.dynamicScale;
    spec.dynamicZeroPoint = conv.dynamicZeroPoint;
  } else {
    spec.input = paramsOf(conv.inputType);
    spec.output = paramsOf(conv.contraction);
    spec.storageType = storageOf(conv.contraction);
  }
  spec.weight = paramsOf(conv.weightType);
  spec.reductionSize = conv.weightType.getNumElements() / outChannels;
  spec.channelShape = {groups, outPerGroup};
  spec.channelDims = {1 + numSpatial, 2 + numSpatial};
  for (int64_t i = 0; i <= numSpatial + 1; ++i)
    spec.inputSumDims.push_back(i);
  // Requantized straight into N x G x O/G x out...
  spec.resultPermutation = {0, 1 + numSpatial, 2 + numSpatial};
  for (int64_t i = 0; i < numSpatial; ++i)
    spec.resultPermutation.push_back(1 + i);

  SmallVector<int64_t> accShape = {conv.resultType.getDimSize(0)};
  llvm::append_range(accShape, outShape);
  accShape.append({groups, outPerGroup});
  auto intConv = IntConvOp::create(
      b, loc, TypeRange{RankedTensorType::get(accShape, b.getI32Type())},
      ValueRange{conv.input, conv.weight});
  intConv.setStrides(conv.strides);
  intConv.setDilations(conv.dilations);
  intConv.setGroups(groups);
  intConv.setInputSigned(spec.input.isSigned);
  intConv.setWeightSigned(spec.weight.isSigned);
  intConv.setSaturatingPairs(conv.pairs);
  Value acc = intConv.getResult();
  if (conv.isSkipped) {
    // The term is indexed (out..., o) with o = g * O/G + o'.
    auto d = [&](int64_t i) { return getAffineDimExpr(i, ctx); };
    SmallVector<AffineExpr> termExprs;
    for (int64_t i = 0; i < numSpatial; ++i)
      termExprs.push_back(d(1 + i));
    termExprs.push_back(d(1 + numSpatial) * outPerGroup + d(2 + numSpatial));
    acc = addSkippedTapsTerm(
        b, loc, acc, AffineMap::get(rank + 1, 0, termExprs, ctx), outShape,
        *conv.weightValues, conv.weightType, conv.strides, conv.dilations,
        conv.isSkipped, spec.input.zeroPoint());
  }

  Value weightSums = buildWeightSums(b, loc, conv.originalWeight, conv.weight,
                                     spec.weight.isSigned, spec.channelShape);
  Value inputSums;
  if (needsInputSums(spec))
    inputSums = buildWindowSums(b, loc, spec, conv, accShape);
  Value bias = conv.bias;
  if (bias)
    bias = tensor::ExpandShapeOp::create(
        b, loc, RankedTensorType::get(spec.channelShape, b.getF32Type()), bias,
        SmallVector<ReassociationIndices>{{0, 1}});
  Value result = buildEpilogue(b, loc, spec, acc, bias, weightSums, inputSums);
  return tensor::CollapseShapeOp::create(b, loc, result,
                                         groupReassociation(rank, 1));
}

namespace {
/// The stored zero point of `type`'s input, or code 0 where the engine
/// skips the positions that hold it.
IntegerAttr getFillCode(RankedTensorType type, bool skipped) {
  Type storage = storageOf(type);
  return IntegerAttr::get(
      storage,
      APInt(storage.getIntOrFloatBitWidth(),
            static_cast<uint64_t>(skipped ? 0 : paramsOf(type).zeroPoint()),
            /*isSigned=*/true, /*implicitTrunc=*/true));
}

struct ConvToLinalg : EngineConversionPattern<ConvOp> {
  using EngineConversionPattern::EngineConversionPattern;

  LogicalResult
  matchAndRewrite(ConvOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto inputType = cast<RankedTensorType>(op.getInput().getType());
    auto weightType = cast<RankedTensorType>(op.getWeight().getType());
    auto resultType = cast<RankedTensorType>(op.getType());
    int64_t groups = op.getGroups();
    int64_t inPerGroup = weightType.getDimSize(1);
    int64_t outPerGroup = weightType.getDimSize(0) / groups;

    ConvContraction conv;
    conv.inputType = inputType;
    conv.resultType = resultType;
    // Requantized to the intermediate type; the add and the post-op give
    // the result.
    conv.contraction = op.getContractionElementType();
    conv.weight = adaptor.getWeight();
    conv.originalWeight = op.getWeight();
    conv.weightType = weightType;
    conv.strides = op.getStrides();
    conv.dilations = op.getDilations();
    conv.groups = groups;
    conv.bias = adaptor.getBias();
    // The engine's pairing rule, and whether it skips zero padding (onednn
    // without VNNI: pad with code 0, add the skipped taps' term) rather
    // than summing the padding's zero points, which is the same with exact
    // sums and simpler.
    conv.pairs = engine.pairsConvChannels(groups, inPerGroup, outPerGroup);
    conv.weightValues = getConstantStorage(op.getWeight());
    bool skipPadding =
        conv.pairs && op.getPaddingMode() == PaddingMode::zeros &&
        paramsOf(inputType).zeroPoint() != 0 &&
        llvm::any_of(op.getPadding(), [](int64_t p) { return p > 0; });
    if (skipPadding && !conv.weightValues)
      return op.emitOpError()
             << "'" << engine.getName()
             << "' numerics needs a constant weight for a padded convolution "
                "whose channels it sums in saturating pairs";
    conv.input =
        buildPadding(rewriter, loc, adaptor.getInput(), op.getPadding(),
                     op.getPaddingMode(), getFillCode(inputType, skipPadding));
    auto paddedType = cast<RankedTensorType>(conv.input.getType());
    ArrayRef<int64_t> padding = op.getPadding();
    auto isPadding = [&](int64_t d, int64_t x) {
      return x < padding[d] || x >= paddedType.getDimSize(2 + d) - padding[d];
    };
    if (skipPadding)
      conv.isSkipped = isPadding;
    Value result = buildConvContraction(rewriter, loc, engine, conv);

    QuantParams codes = paramsOf(conv.contraction);
    if (Value addend = adaptor.getAddend()) {
      QuantParams sums = codes;
      codes = paramsOf(resultType);
      result = buildQuantizedAdd(rewriter, loc, engine, result, sums, addend,
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
};

/// qnn.conv_transpose where the engine does not compute the conv of the
/// input spread with its zero point (--qnn-conv-transpose-to-conv lowers
/// the others): oneDNN's AVX2 deconvolution sums only the taps that read an
/// input element, in saturating pairs of consecutive channels of every
/// group (docs/numerics/conv-transpose.md). The conv over the input spread
/// with code 0 and the skipped taps' term computes exactly that.
struct ConvTransposeToLinalg : EngineConversionPattern<ConvTransposeOp> {
  using EngineConversionPattern::EngineConversionPattern;

  LogicalResult
  matchAndRewrite(ConvTransposeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto inputType = cast<RankedTensorType>(op.getInput().getType());
    std::optional<DenseIntElementsAttr> values =
        getConstantStorage(op.getWeight());
    if (!values)
      return op.emitOpError()
             << "'" << engine.getName()
             << "' numerics needs a constant weight for a transposed "
                "convolution (its skipped taps are summed at compile time)";
    RankedTensorType weightType = getConvWeightType(
        cast<RankedTensorType>(op.getWeight().getType()), op.getGroups());
    DenseIntElementsAttr weight = transposeConvWeight(
        *values, op.getGroups(), weightType.clone(storageOf(weightType)));
    SpreadGeometry geometry = getSpreadGeometry(op);
    int64_t numSpatial = op.getNumSpatialDims();
    SmallVector<int64_t> ones(numSpatial, 1);

    ConvContraction conv;
    conv.inputType = inputType;
    conv.resultType = cast<RankedTensorType>(op.getType());
    conv.contraction = conv.resultType.getElementType();
    conv.input = buildSpreadCodes(rewriter, loc, adaptor.getInput(), geometry,
                                  getFillCode(inputType, /*skipped=*/true));
    conv.weight = arith::ConstantOp::create(rewriter, loc, weight);
    conv.originalWeight = conv.weight;
    conv.weightType = weightType;
    conv.strides = ones;
    conv.dilations = op.getDilations();
    conv.groups = op.getGroups();
    conv.pairs = engine.pairsConvTransposeChannels();
    conv.weightValues = weight;
    auto isGap = [&](int64_t d, int64_t x) {
      return !geometry.holdsInput(d, x);
    };
    if (paramsOf(inputType).zeroPoint() != 0)
      conv.isSkipped = isGap;
    conv.bias = adaptor.getBias();
    rewriter.replaceOp(op, buildConvContraction(rewriter, loc, engine, conv));
    return success();
  }
};
} // namespace

void mlir::qnn::populateQNNContractionToLinalgPatterns(
    const TypeConverter &converter, RewritePatternSet &patterns,
    const EngineInfo &engine) {
  patterns.add<LinearToLinalg, ConvToLinalg, ConvTransposeToLinalg>(
      converter, patterns.getContext(), engine);
}
