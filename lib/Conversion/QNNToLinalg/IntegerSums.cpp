//===- IntegerSums.cpp - the engines' integer sums of Linear and Conv ----===//

#include "IntegerSums.h"
#include "Requantize.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/IndexingUtils.h"

using namespace mlir;

namespace mlir::qnn {

Value buildZeroAccumulator(OpBuilder &b, Location loc,
                           ArrayRef<int64_t> shape) {
  Value zero = arith::ConstantOp::create(b, loc, b.getI32IntegerAttr(0));
  Value empty = tensor::EmptyOp::create(b, loc, shape, b.getI32Type());
  return linalg::FillOp::create(b, loc, ValueRange{zero}, ValueRange{empty})
      .getResult(0);
}

Value buildIntegerSum(OpBuilder &b, Location loc, ArrayRef<int64_t> shape,
                      ArrayRef<Value> inputs, ArrayRef<bool> inputSigned,
                      ArrayRef<AffineMap> inputMaps, AffineMap outputMap,
                      ArrayRef<utils::IteratorType> iterators, Value window,
                      AffineMap windowMap) {
  SmallVector<Value> operands(inputs);
  SmallVector<AffineMap> maps(inputMaps);
  if (window) {
    operands.push_back(window);
    maps.push_back(windowMap);
  }
  maps.push_back(outputMap);
  SmallVector<bool> isSigned(inputSigned);
  size_t numSummed = inputs.size();
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{RankedTensorType::get(shape, b.getI32Type())}, operands,
      ValueRange{buildZeroAccumulator(b, loc, shape)}, maps, iterators,
      [&](OpBuilder &nb, Location nloc, ValueRange args) {
        Value term = extendStorage(nb, nloc, args[0], isSigned[0]);
        for (size_t i = 1; i < numSummed; ++i)
          term = arith::MulIOp::create(
              nb, nloc, term, extendStorage(nb, nloc, args[i], isSigned[i]));
        linalg::YieldOp::create(
            nb, nloc,
            ValueRange{arith::AddIOp::create(nb, nloc, args.back(), term)});
      });
  return generic.getResult(0);
}

Value buildWeightSums(OpBuilder &b, Location loc, Value originalWeight,
                      Value weight, bool isSigned,
                      ArrayRef<int64_t> channelShape) {
  auto type = cast<RankedTensorType>(weight.getType());
  int64_t channels = type.getDimSize(0);
  if (std::optional<DenseIntElementsAttr> values =
          getConstantStorage(originalWeight)) {
    int64_t perChannel = type.getNumElements() / channels;
    SmallVector<int32_t> sums(channels, 0);
    int64_t i = 0;
    for (const APInt &v : values->getValues<APInt>()) {
      int64_t value = isSigned ? v.getSExtValue() : v.getZExtValue();
      sums[i / perChannel] += static_cast<int32_t>(value);
      ++i;
    }
    auto sumType = RankedTensorType::get(channelShape, b.getI32Type());
    return arith::ConstantOp::create(
        b, loc, DenseElementsAttr::get(sumType, ArrayRef<int32_t>(sums)));
  }
  // Reduce every dimension but the first, then reshape to channelShape.
  int64_t rank = type.getRank();
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::reduction);
  iterators[0] = utils::IteratorType::parallel;
  Value sums = buildIntegerSum(
      b, loc, {channels}, {weight}, {isSigned},
      {b.getMultiDimIdentityMap(rank)},
      AffineMap::get(rank, 0, b.getAffineDimExpr(0), b.getContext()),
      iterators);
  if (channelShape.size() == 1)
    return sums;
  return tensor::ExpandShapeOp::create(
      b, loc, RankedTensorType::get(channelShape, b.getI32Type()), sums,
      SmallVector<ReassociationIndices>{{0, 1}});
}

Value buildRowSums(OpBuilder &b, Location loc, Value a) {
  MLIRContext *ctx = b.getContext();
  int64_t m = cast<RankedTensorType>(a.getType()).getDimSize(0);
  return buildIntegerSum(
      b, loc, {m}, {a}, {false}, {b.getMultiDimIdentityMap(2)},
      AffineMap::get(2, 0, getAffineDimExpr(0, ctx), ctx),
      {utils::IteratorType::parallel, utils::IteratorType::reduction});
}

Value buildSat16Pair(OpBuilder &b, Location loc, Value x0, Value w0, Value x1,
                     Value w1) {
  auto product = [&](Value x, Value w) {
    return arith::MulIOp::create(b, loc, extendStorage(b, loc, x, false),
                                 extendStorage(b, loc, w, true));
  };
  auto c = [&](int64_t v) -> Value {
    return arith::ConstantOp::create(b, loc, b.getI32IntegerAttr(v));
  };
  Value pair = arith::AddIOp::create(b, loc, product(x0, w0), product(x1, w1));
  return arith::MinSIOp::create(
      b, loc, arith::MaxSIOp::create(b, loc, pair, c(-32768)), c(32767));
}

Value buildSat16PairSum(OpBuilder &b, Location loc, ArrayRef<int64_t> shape,
                        Value x, Value w, AffineMap xMap, AffineMap wMap,
                        AffineMap outMap,
                        ArrayRef<utils::IteratorType> iterators,
                        int64_t pairDim, int64_t pairedSize) {
  MLIRContext *ctx = b.getContext();
  unsigned numLoops = xMap.getNumDims();
  AffineExpr j = getAffineDimExpr(pairDim, ctx);
  auto channel = [&](AffineMap map, int64_t half) {
    return map.replace(j, j * 2 + half, numLoops, 0);
  };
  Value window =
      tensor::EmptyOp::create(b, loc, {pairedSize / 2}, b.getI8Type());
  SmallVector<AffineMap> maps = {channel(xMap, 0),
                                 channel(xMap, 1),
                                 channel(wMap, 0),
                                 channel(wMap, 1),
                                 AffineMap::get(numLoops, 0, j),
                                 outMap};
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{RankedTensorType::get(shape, b.getI32Type())},
      ValueRange{x, x, w, w, window},
      ValueRange{buildZeroAccumulator(b, loc, shape)}, maps, iterators,
      [&](OpBuilder &nb, Location nloc, ValueRange args) {
        linalg::YieldOp::create(
            nb, nloc,
            ValueRange{arith::AddIOp::create(
                nb, nloc, args[5],
                buildSat16Pair(nb, nloc, args[0], args[2], args[1], args[3]))});
      });
  return generic.getResult(0);
}

Value buildSat16PairGemm(
    OpBuilder &b, Location loc, Value a, Value weight, int64_t n,
    function_ref<SmallVector<AffineExpr>(AffineExpr, AffineExpr)> weightMap) {
  MLIRContext *ctx = b.getContext();
  auto aType = cast<RankedTensorType>(a.getType());
  int64_t m = aType.getDimSize(0), k = aType.getDimSize(1);
  if (k % 2) {
    Value zero = arith::ConstantOp::create(
        b, loc, b.getIntegerAttr(aType.getElementType(), 0));
    SmallVector<OpFoldResult> low = {b.getIndexAttr(0), b.getIndexAttr(0)};
    SmallVector<OpFoldResult> high = {b.getIndexAttr(0), b.getIndexAttr(1)};
    a = tensor::PadOp::create(b, loc, aType.clone({m, k + 1}), a, low, high,
                              zero);
    ++k;
  }
  AffineExpr dm = getAffineDimExpr(0, ctx), dn = getAffineDimExpr(1, ctx),
             dk = getAffineDimExpr(2, ctx);
  auto map = [&](ArrayRef<AffineExpr> exprs) {
    return AffineMap::get(3, 0, exprs, ctx);
  };
  using utils::IteratorType;
  return buildSat16PairSum(
      b, loc, {m, n}, a, weight, map({dm, dk}), map(weightMap(dn, dk)),
      map({dm, dn}),
      {IteratorType::parallel, IteratorType::parallel, IteratorType::reduction},
      /*pairDim=*/2, k);
}

SmallVector<int64_t> getPaddedColumns(int64_t k, ArrayRef<int64_t> positions) {
  SmallVector<int64_t> columns;
  const int64_t *next = positions.begin();
  for (int64_t c = 0; c < k; ++c) {
    if (next != positions.end() && *next == c) {
      columns.push_back(-1);
      ++next;
    }
    columns.push_back(c);
  }
  return columns;
}

Value insertZeroColumns(OpBuilder &b, Location loc, Value value,
                        ArrayRef<int64_t> positions) {
  if (positions.empty())
    return value;
  auto type = cast<RankedTensorType>(value.getType());
  int64_t m = type.getDimSize(0), k = type.getDimSize(1);
  Value zero = arith::ConstantOp::create(
      b, loc,
      DenseElementsAttr::get(type.clone({m, 1}),
                             b.getZeroAttr(type.getElementType())));
  SmallVector<Value> pieces;
  int64_t begin = 0;
  auto slice = [&](int64_t end) {
    if (end > begin)
      pieces.push_back(tensor::ExtractSliceOp::create(
          b, loc, value,
          ArrayRef<OpFoldResult>{b.getIndexAttr(0), b.getIndexAttr(begin)},
          ArrayRef<OpFoldResult>{b.getIndexAttr(m),
                                 b.getIndexAttr(end - begin)},
          ArrayRef<OpFoldResult>{b.getIndexAttr(1), b.getIndexAttr(1)}));
    begin = end;
  };
  for (int64_t position : positions) {
    slice(position);
    pieces.push_back(zero);
  }
  slice(k);
  return tensor::ConcatOp::create(b, loc, /*dim=*/1, pieces);
}

Value addSkippedTapsTerm(OpBuilder &b, Location loc, Value acc,
                         AffineMap termMap, ArrayRef<int64_t> outShape,
                         DenseIntElementsAttr weightValues,
                         RankedTensorType weightType, ArrayRef<int64_t> strides,
                         ArrayRef<int64_t> dilations,
                         function_ref<bool(int64_t, int64_t)> isSkipped,
                         int64_t zeroPoint) {
  auto accType = cast<RankedTensorType>(acc.getType());
  int64_t numSpatial = outShape.size();
  int64_t outChannels = weightType.getDimSize(0);
  int64_t channels = weightType.getDimSize(1);
  ArrayRef<int64_t> kernel = weightType.getShape().drop_front(2);
  int64_t kernelSize = computeProduct(kernel),
          outSize = computeProduct(outShape);
  // zx * the weight sums over the channels, per (o, kernel tap).
  SmallVector<int64_t> tapTerms(outChannels * kernelSize, 0);
  for (auto [i, w] : llvm::enumerate(weightValues.getValues<APInt>())) {
    int64_t o = i / (channels * kernelSize), t = i % kernelSize;
    tapTerms[o * kernelSize + t] += zeroPoint * w.getSExtValue();
  }
  SmallVector<int64_t> outStrides = computeStrides(outShape);
  SmallVector<int64_t> kernelStrides = computeStrides(kernel);
  SmallVector<int32_t> term(outSize * outChannels, 0);
  bool any = false;
  for (int64_t p = 0; p < outSize; ++p) {
    SmallVector<int64_t> out = delinearize(p, outStrides);
    for (int64_t t = 0; t < kernelSize; ++t) {
      SmallVector<int64_t> tap = delinearize(t, kernelStrides);
      bool skipped = false;
      for (int64_t i = 0; i < numSpatial && !skipped; ++i)
        skipped = isSkipped(i, out[i] * strides[i] + tap[i] * dilations[i]);
      if (!skipped)
        continue;
      any = true;
      for (int64_t o = 0; o < outChannels; ++o)
        term[p * outChannels + o] += tapTerms[o * kernelSize + t];
    }
  }
  if (!any)
    return acc;
  SmallVector<int64_t> termShape(outShape);
  termShape.push_back(outChannels);
  Value constant = arith::ConstantOp::create(
      b, loc,
      DenseElementsAttr::get(RankedTensorType::get(termShape, b.getI32Type()),
                             ArrayRef<int32_t>(term)));
  return buildElementwise(
      b, loc, accType.getShape(), b.getI32Type(), {acc, constant},
      {b.getMultiDimIdentityMap(accType.getRank()), termMap},
      [](OpBuilder &nb, Location nloc, ValueRange args) -> Value {
        return arith::AddIOp::create(nb, nloc, args[0], args[1]);
      });
}

} // namespace mlir::qnn
