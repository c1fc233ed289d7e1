//===- Contraction.cpp - qnn.linear and qnn.conv to integer linalg --------===//
//
// Both ops become the engine's int32 sums of the stored input times the
// stored weight (IntegerSums.h), in the form ContractionStrategy.h selects
// (im2col on the runtime's GEMM, KernelCalls.h, or a direct linalg.generic),
// the sums that correct for zero points, and the requantization epilogue of
// Requantize.h.
//
//===----------------------------------------------------------------------===//

#include "ContractionStrategy.h"
#include "IntegerSums.h"
#include "KernelCalls.h"
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
    AffineExpr dm = getAffineDimExpr(0, ctx), dn = getAffineDimExpr(1, ctx),
               dk = getAffineDimExpr(2, ctx);
    auto map = [&](ArrayRef<AffineExpr> exprs) {
      return AffineMap::get(3, 0, exprs, ctx);
    };
    using utils::IteratorType;
    Value acc;
    LinearStrategy strategy = selectLinearStrategy(engine, spec, op);
    // Where the engine's pairing restarts, a zero column in both operands.
    ArrayRef<int64_t> pairPadding = strategy.pairPadding;
    if (strategy.kernelWeight) {
      SmallVector<int64_t> columns = getPaddedColumns(k, pairPadding);
      acc = buildPackedGemm(
          rewriter, loc, insertZeroColumns(rewriter, loc, x, pairPadding),
          packWeight(rewriter, *strategy.kernelWeight, n, columns.size(),
                     [&](int64_t r, int64_t c) {
                       return columns[c] < 0 ? -1 : r * k + columns[c];
                     }),
          n, strategy.saturatingPairs);
    } else if (strategy.saturatingPairs) {
      acc = buildSat16PairGemm(
          rewriter, loc, insertZeroColumns(rewriter, loc, x, pairPadding),
          insertZeroColumns(rewriter, loc, adaptor.getWeight(), pairPadding), n,
          [](AffineExpr dn, AffineExpr dk) {
            return SmallVector<AffineExpr>{dn, dk};
          });
    } else {
      acc = buildIntegerSum(rewriter, loc, {m, n}, {x, adaptor.getWeight()},
                            {spec.input.isSigned, spec.weight.isSigned},
                            {map({dm, dk}), map({dn, dk})}, map({dm, dn}),
                            {IteratorType::parallel, IteratorType::parallel,
                             IteratorType::reduction});
    }
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

/// Conv with one group as im2col + the runtime's GEMM: the padded input is
/// made channels-last, its patches gathered into A[N * out..., kernel... * C]
/// (channels innermost, contiguous), multiplied with the weight packed in the
/// same (kernel..., C) order, requantized channels-last and transposed back
/// to N x O x spatial.
Value buildIm2colConv(OpBuilder &b, Location loc, EpilogueSpec spec,
                      Value padded, DenseIntElementsAttr weightValues,
                      RankedTensorType weightType, RankedTensorType resultType,
                      ArrayRef<int64_t> strides, ArrayRef<int64_t> dilations,
                      bool saturatingPairs, ArrayRef<int64_t> skippedPadding,
                      Value bias, Value weightSums) {
  MLIRContext *ctx = b.getContext();
  auto paddedType = cast<RankedTensorType>(padded.getType());
  int64_t rank = paddedType.getRank(), numSpatial = rank - 2;
  int64_t batch = paddedType.getDimSize(0), channels = paddedType.getDimSize(1);
  int64_t weightChannels = channels;
  // onednn without VNNI pairs consecutive input channels: an odd count gets
  // a zero channel (zero weights), so pairs never straddle kernel positions.
  if (saturatingPairs && channels % 2) {
    SmallVector<OpFoldResult> low(rank, b.getIndexAttr(0)), high = low;
    high[1] = b.getIndexAttr(1);
    SmallVector<int64_t> shape(paddedType.getShape());
    shape[1] = ++channels;
    Value zero = arith::ConstantOp::create(
        b, loc, b.getIntegerAttr(paddedType.getElementType(), 0));
    padded = tensor::PadOp::create(b, loc, paddedType.clone(shape), padded, low,
                                   high, zero);
    paddedType = cast<RankedTensorType>(padded.getType());
  }
  int64_t outChannels = weightType.getDimSize(0);
  Type storage = paddedType.getElementType();

  // N x C x spatial -> N x spatial x C.
  SmallVector<int64_t> toLast = {0}, lastShape = {batch};
  for (int64_t i = 0; i < numSpatial; ++i) {
    toLast.push_back(2 + i);
    lastShape.push_back(paddedType.getDimSize(2 + i));
  }
  toLast.push_back(1);
  lastShape.push_back(channels);
  Value channelsLast =
      linalg::TransposeOp::create(
          b, loc, padded, tensor::EmptyOp::create(b, loc, lastShape, storage),
          toLast)
          .getResult()[0];

  // Patches: loops n, out..., kernel..., c. With unit dilation in the last
  // spatial dimension, its kernel taps and the channels are one contiguous
  // run of the channels-last input, copied by a single innermost loop j.
  bool mergeLast = dilations.back() == 1;
  int64_t kernelSize = 1;
  SmallVector<int64_t> kernelShape;
  for (int64_t i = 0; i < numSpatial; ++i) {
    kernelShape.push_back(weightType.getDimSize(2 + i));
    kernelSize *= weightType.getDimSize(2 + i);
  }
  Value source = channelsLast;
  if (mergeLast) {
    SmallVector<ReassociationIndices> lastWithChannels;
    for (int64_t i = 0; i < numSpatial; ++i)
      lastWithChannels.push_back({i});
    lastWithChannels.push_back({numSpatial, numSpatial + 1});
    source =
        tensor::CollapseShapeOp::create(b, loc, channelsLast, lastWithChannels);
  }
  int64_t numKernelLoops = mergeLast ? numSpatial - 1 : numSpatial;
  int64_t numLoops = 2 + numSpatial + numKernelLoops;
  auto d = [&](int64_t i) { return getAffineDimExpr(i, ctx); };
  AffineExpr inner = d(numLoops - 1);
  SmallVector<AffineExpr> in = {d(0)};
  SmallVector<int64_t> patchShape = {batch};
  for (int64_t i = 0; i < numSpatial; ++i) {
    AffineExpr out = d(1 + i) * strides[i];
    if (i < numKernelLoops)
      in.push_back(out + d(1 + numSpatial + i) * dilations[i]);
    else
      in.push_back(out * channels + inner);
    patchShape.push_back(resultType.getDimSize(2 + i));
  }
  patchShape.append(kernelShape.begin(), kernelShape.begin() + numKernelLoops);
  if (mergeLast) {
    patchShape.push_back(kernelShape.back() * channels);
  } else {
    patchShape.push_back(channels);
    in.push_back(inner);
  }
  SmallVector<utils::IteratorType> parallel(numLoops,
                                            utils::IteratorType::parallel);
  Value patches =
      linalg::GenericOp::create(
          b, loc, TypeRange{RankedTensorType::get(patchShape, storage)},
          ValueRange{source},
          ValueRange{tensor::EmptyOp::create(b, loc, patchShape, storage)},
          SmallVector<AffineMap>{AffineMap::get(numLoops, 0, in, ctx),
                                 b.getMultiDimIdentityMap(numLoops)},
          parallel,
          [](OpBuilder &nb, Location nloc, ValueRange args) {
            linalg::YieldOp::create(nb, nloc, args[0]);
          })
          .getResult(0);
  ReassociationIndices rows, cols;
  for (int64_t i = 0; i <= numSpatial; ++i)
    rows.push_back(i);
  for (int64_t i = numSpatial + 1; i < numLoops; ++i)
    cols.push_back(i);
  Value a = tensor::CollapseShapeOp::create(
      b, loc, patches, SmallVector<ReassociationIndices>{rows, cols});

  // The weight O x C x kernel... read in (kernel..., C) order.
  int64_t k = kernelSize * channels;
  DenseElementsAttr packed =
      packWeight(b, weightValues, outChannels, k, [&](int64_t o, int64_t col) {
        int64_t c = col % channels, kernel = col / channels;
        if (c >= weightChannels)
          return int64_t{-1};
        return (o * weightChannels + c) * kernelSize + kernel;
      });
  Value acc = buildPackedGemm(b, loc, a, packed, outChannels, saturatingPairs);

  // The accumulator channels-last: N x out... x O.
  SmallVector<int64_t> accShape(patchShape.begin(),
                                patchShape.begin() + 1 + numSpatial);
  SmallVector<int64_t> sumsShape = accShape;
  accShape.push_back(outChannels);
  SmallVector<ReassociationIndices> splitRows = {rows, {numSpatial + 1}};
  acc = tensor::ExpandShapeOp::create(
      b, loc, RankedTensorType::get(accShape, b.getI32Type()), acc, splitRows);
  if (!skippedPadding.empty())
    acc = addSkippedPaddingTerm(
        b, loc, acc, b.getMultiDimIdentityMap(numSpatial + 2).dropResult(0),
        resultType.getShape().drop_front(2), weightValues, weightType,
        paddedType, strides, dilations, skippedPadding, spec.input.zeroPoint());
  spec.channelShape = {outChannels};
  spec.channelDims = {numSpatial + 1};
  spec.inputSumDims.clear();
  for (int64_t i = 0; i <= numSpatial; ++i)
    spec.inputSumDims.push_back(i);
  Value inputSums;
  if (needsInputSums(spec))
    inputSums = tensor::ExpandShapeOp::create(
        b, loc, RankedTensorType::get(sumsShape, b.getI32Type()),
        buildRowSums(b, loc, a), SmallVector<ReassociationIndices>{rows});
  // Requantized straight into N x O x out...
  spec.resultPermutation = {0, numSpatial + 1};
  for (int64_t i = 0; i < numSpatial; ++i)
    spec.resultPermutation.push_back(1 + i);
  return buildEpilogue(b, loc, spec, acc, bias, weightSums, inputSums);
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
    if (!inputType.hasStaticShape() || !weightType.hasStaticShape() ||
        !resultType.hasStaticShape())
      return rewriter.notifyMatchFailure(op, "dynamic shapes");

    int64_t rank = inputType.getRank(), numSpatial = rank - 2;
    int64_t groups = op.getGroups();
    int64_t outChannels = weightType.getDimSize(0);
    int64_t outPerGroup = outChannels / groups;

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
    spec.channelDims = {1, 2};
    spec.inputSumDims = {0, 1};
    for (int64_t i = 0; i < numSpatial; ++i)
      spec.inputSumDims.push_back(3 + i);

    // Padding with the input's zero point contributes (zx - zx) * w = 0.
    Type inputStorage = storageOf(inputType);
    auto zeroPoint = IntegerAttr::get(
        inputStorage, APInt(inputStorage.getIntOrFloatBitWidth(),
                            static_cast<uint64_t>(spec.input.zeroPoint()),
                            /*isSigned=*/true, /*implicitTrunc=*/true));
    FailureOr<ConvStrategy> strategy = selectConvStrategy(engine, spec, op);
    if (failed(strategy))
      return failure();
    if (!strategy->skippedPadding.empty())
      zeroPoint = IntegerAttr::get(inputStorage, 0);
    Value padded =
        buildPadding(rewriter, loc, adaptor.getInput(), op.getPadding(),
                     op.getPaddingMode(), zeroPoint);
    Value result;
    if (strategy->form == ConvForm::Im2colGemm) {
      Value weightSums =
          buildWeightSums(rewriter, loc, op.getWeight(), adaptor.getWeight(),
                          spec.weight.isSigned, {outChannels});
      result = buildIm2colConv(
          rewriter, loc, spec, padded, *strategy->weightValues, weightType,
          resultType, op.getStrides(), op.getDilations(),
          strategy->saturatingPairs, strategy->skippedPadding,
          adaptor.getBias(), weightSums);
    } else {
      result = buildDirectConv(
          rewriter, loc, spec, op, adaptor, padded,
          strategy->saturatingPairs ? strategy->weightValues : std::nullopt,
          strategy->skippedPadding);
    }
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

  /// Any conv: a grouped linalg.generic contraction on the padded input.
  /// With `pairedWeight` (the constant weight of a conv the engine sums in
  /// saturating pairs), consecutive channels of a group pair at each tap,
  /// and `skippedPadding` is the zero padding the engine skips.
  Value buildDirectConv(OpBuilder &rewriter, Location loc,
                        const EpilogueSpec &spec, ConvOp op, OpAdaptor adaptor,
                        Value padded,
                        std::optional<DenseIntElementsAttr> pairedWeight,
                        ArrayRef<int64_t> skippedPadding) const {
    MLIRContext *ctx = rewriter.getContext();
    auto weightType = cast<RankedTensorType>(op.getWeight().getType());
    auto resultType = cast<RankedTensorType>(op.getType());
    int64_t rank = resultType.getRank(), numSpatial = rank - 2;
    int64_t groups = op.getGroups();
    int64_t batch = resultType.getDimSize(0);
    int64_t outChannels = weightType.getDimSize(0);
    int64_t inPerGroup = weightType.getDimSize(1);
    int64_t outPerGroup = outChannels / groups;
    Type inputStorage = storageOf(op.getInput().getType());
    auto paddedType = cast<RankedTensorType>(padded.getType());
    SmallVector<int64_t> xgShape = {batch, groups, inPerGroup};
    SmallVector<int64_t> wgShape = {groups, outPerGroup, inPerGroup};
    SmallVector<int64_t> accShape = {batch, groups, outPerGroup};
    SmallVector<int64_t> sumShape = {batch, groups};
    for (int64_t i = 0; i < numSpatial; ++i) {
      xgShape.push_back(paddedType.getDimSize(2 + i));
      wgShape.push_back(weightType.getDimSize(2 + i));
      accShape.push_back(resultType.getDimSize(2 + i));
      sumShape.push_back(resultType.getDimSize(2 + i));
    }
    Value xg = tensor::ExpandShapeOp::create(
        rewriter, loc, RankedTensorType::get(xgShape, inputStorage), padded,
        groupReassociation(rank, 1));
    Value wg = tensor::ExpandShapeOp::create(
        rewriter, loc, RankedTensorType::get(wgShape, storageOf(weightType)),
        adaptor.getWeight(), groupReassociation(rank, 0));

    // Loops: n, g, o, out spatial..., c, kernel spatial...
    int64_t numLoops = 4 + 2 * numSpatial, c = 3 + numSpatial;
    auto d = [&](int64_t i) { return getAffineDimExpr(i, ctx); };
    SmallVector<AffineExpr> in = {d(0), d(1), d(c)}, w = {d(1), d(2), d(c)},
                            out = {d(0), d(1), d(2)}, sum = {d(0), d(1)};
    for (int64_t i = 0; i < numSpatial; ++i) {
      in.push_back(d(3 + i) * op.getStrides()[i] +
                   d(c + 1 + i) * op.getDilations()[i]);
      w.push_back(d(c + 1 + i));
      out.push_back(d(3 + i));
      sum.push_back(d(3 + i));
    }
    auto map = [&](ArrayRef<AffineExpr> exprs) {
      return AffineMap::get(numLoops, 0, exprs, ctx);
    };
    SmallVector<utils::IteratorType> iterators(3 + numSpatial,
                                               utils::IteratorType::parallel);
    iterators.append(1 + numSpatial, utils::IteratorType::reduction);

    Value acc;
    if (pairedWeight) {
      acc = buildSat16PairSum(rewriter, loc, accShape, xg, wg, map(in), map(w),
                              map(out), iterators, c, inPerGroup);
      if (!skippedPadding.empty()) {
        // The term is indexed (out..., o) with o = g * outPerGroup + o'.
        SmallVector<AffineExpr> termExprs;
        for (int64_t i = 0; i < numSpatial; ++i)
          termExprs.push_back(d(3 + i));
        termExprs.push_back(d(1) * outPerGroup + d(2));
        acc = addSkippedPaddingTerm(
            rewriter, loc, acc,
            AffineMap::get(3 + numSpatial, 0, termExprs, ctx),
            resultType.getShape().drop_front(2), *pairedWeight, weightType,
            paddedType, op.getStrides(), op.getDilations(), skippedPadding,
            spec.input.zeroPoint());
      }
    } else {
      acc = buildIntegerSum(rewriter, loc, accShape, {xg, wg},
                            {spec.input.isSigned, spec.weight.isSigned},
                            {map(in), map(w)}, map(out), iterators);
    }
    Value weightSums =
        buildWeightSums(rewriter, loc, op.getWeight(), adaptor.getWeight(),
                        spec.weight.isSigned, spec.channelShape);
    Value inputSums;
    if (needsInputSums(spec)) {
      // The same loops without o: n, g, out spatial..., c, kernel...
      SmallVector<AffineExpr> replacements;
      for (int64_t i = 0; i < numLoops; ++i)
        replacements.push_back(i < 2 ? d(i) : i == 2 ? d(0) : d(i - 1));
      auto drop = [&](ArrayRef<AffineExpr> exprs) {
        return AffineMap::get(numLoops, 0, exprs, ctx)
            .replaceDimsAndSymbols(replacements, {}, numLoops - 1, 0);
      };
      SmallVector<utils::IteratorType> sumIterators(
          2 + numSpatial, utils::IteratorType::parallel);
      sumIterators.append(1 + numSpatial, utils::IteratorType::reduction);
      SmallVector<int64_t> kernelShape(wgShape.begin() + 3, wgShape.end());
      SmallVector<AffineExpr> kernelExprs(w.begin() + 3, w.end());
      Value window = tensor::EmptyOp::create(rewriter, loc, kernelShape,
                                             rewriter.getI8Type());
      inputSums = buildIntegerSum(rewriter, loc, sumShape, {xg},
                                  {spec.input.isSigned}, {drop(in)}, drop(sum),
                                  sumIterators, window, drop(kernelExprs));
    }
    Value bias = adaptor.getBias();
    if (bias)
      bias = tensor::ExpandShapeOp::create(
          rewriter, loc,
          RankedTensorType::get(spec.channelShape, rewriter.getF32Type()), bias,
          SmallVector<ReassociationIndices>{{0, 1}});
    Value result =
        buildEpilogue(rewriter, loc, spec, acc, bias, weightSums, inputSums);
    return tensor::CollapseShapeOp::create(rewriter, loc, result,
                                           groupReassociation(rank, 1));
  }
};
} // namespace

void mlir::qnn::populateQNNContractionToLinalgPatterns(
    const TypeConverter &converter, RewritePatternSet &patterns,
    const EngineInfo &engine) {
  patterns.add<LinearToLinalg, ConvToLinalg>(converter, patterns.getContext(),
                                             engine);
}
