//===- Requantize.cpp - the engines' requantization epilogues ------------===//
//
// The formulas are those of docs/numerics/contraction.md; docs/RationaleQNN.md
// says how they map to IR. Everything here is elementwise linalg.generic on
// tensors, so it fuses and vectorizes with its producers.
//
//===----------------------------------------------------------------------===//

#include "Requantize.h"

#include <algorithm>

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace mlir::qnn;

Value mlir::qnn::extendStorage(OpBuilder &b, Location loc, Value value,
                               bool isSigned) {
  Type i32 = b.getI32Type();
  if (value.getType() == i32)
    return value;
  if (isSigned)
    return arith::ExtSIOp::create(b, loc, i32, value);
  return arith::ExtUIOp::create(b, loc, i32, value);
}

Value mlir::qnn::buildCodeDequantize(OpBuilder &b, Location loc, Value code,
                                     const QuantParams &params,
                                     Value usePlain) {
  Type f32 = b.getF32Type();
  auto c = [&](float v) -> Value {
    return arith::ConstantOp::create(b, loc, b.getF32FloatAttr(v));
  };
  float s = static_cast<float>(params.scale());
  Value wide = extendStorage(b, loc, code, params.isSigned);
  Value fused = math::FmaOp::create(
      b, loc, c(s), arith::SIToFPOp::create(b, loc, f32, wide),
      c(static_cast<float>(-params.zeroPoint()) * s));
  if (!usePlain)
    return fused;
  Value centered = arith::SubIOp::create(
      b, loc, wide,
      arith::ConstantOp::create(b, loc,
                                b.getI32IntegerAttr(params.zeroPoint())));
  Value plain = arith::MulFOp::create(
      b, loc, c(s), arith::SIToFPOp::create(b, loc, f32, centered));
  return arith::SelectOp::create(b, loc, usePlain, plain, fused);
}

Value mlir::qnn::buildElementwise(
    OpBuilder &b, Location loc, ArrayRef<int64_t> loopShape, Type elementType,
    ArrayRef<Value> inputs, ArrayRef<AffineMap> inputMaps,
    function_ref<Value(OpBuilder &, Location, ValueRange)> body,
    ArrayRef<int64_t> permutation) {
  int64_t rank = loopShape.size();
  SmallVector<int64_t> order(permutation);
  if (order.empty())
    order = llvm::to_vector(llvm::seq<int64_t>(0, rank));
  SmallVector<int64_t> resultShape;
  SmallVector<AffineExpr> resultExprs;
  for (int64_t d : order) {
    resultShape.push_back(loopShape[d]);
    resultExprs.push_back(b.getAffineDimExpr(d));
  }
  SmallVector<AffineMap> maps(inputMaps);
  maps.push_back(AffineMap::get(rank, 0, resultExprs, b.getContext()));
  auto resultType = RankedTensorType::get(resultShape, elementType);
  Value init = tensor::EmptyOp::create(b, loc, resultShape, elementType);
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{resultType}, inputs, ValueRange{init}, maps, iterators,
      [&](OpBuilder &nb, Location nloc, ValueRange args) {
        linalg::YieldOp::create(nb, nloc, body(nb, nloc, args.drop_back()));
      });
  return generic.getResult(0);
}

Value mlir::qnn::saturateToStorage(OpBuilder &b, Location loc, Value value,
                                   float lo, float hi, Type storageType) {
  Value clamped = arith::MinNumFOp::create(
      b, loc,
      arith::MaxNumFOp::create(
          b, loc, value,
          arith::ConstantOp::create(b, loc, b.getF32FloatAttr(lo))),
      arith::ConstantOp::create(b, loc, b.getF32FloatAttr(hi)));
  Value asInt = arith::FPToSIOp::create(b, loc, b.getI32Type(), clamped);
  if (storageType.getIntOrFloatBitWidth() == 32)
    return asInt;
  return arith::TruncIOp::create(b, loc, storageType, asInt);
}

bool mlir::qnn::needsInputSums(const EpilogueSpec &spec) {
  return llvm::any_of(spec.weight.zeroPoints, [](int64_t z) { return z != 0; });
}

namespace {
/// Per-output-channel values, expanded from a per-tensor value if needed.
template <typename T, typename Fn>
SmallVector<T> perChannel(const EpilogueSpec &spec, Fn fn) {
  int64_t n = 1;
  for (int64_t d : spec.channelShape)
    n *= d;
  SmallVector<T> values;
  for (int64_t c = 0; c < n; ++c)
    values.push_back(fn(spec.weight.scale(c), spec.weight.zeroPoint(c)));
  return values;
}

template <typename T>
Value channelConstant(OpBuilder &b, Location loc, const EpilogueSpec &spec,
                      Type elementType, ArrayRef<T> values) {
  auto type = RankedTensorType::get(spec.channelShape, elementType);
  return arith::ConstantOp::create(b, loc,
                                   DenseElementsAttr::get(type, values));
}

/// A projection of the accumulator's loops onto `dims`.
AffineMap projection(OpBuilder &b, int64_t rank, ArrayRef<int64_t> dims) {
  SmallVector<AffineExpr> exprs;
  for (int64_t d : dims)
    exprs.push_back(b.getAffineDimExpr(d));
  return AffineMap::get(rank, 0, exprs, b.getContext());
}

/// qnnpack: `sat_i32(rint(b * f32(1/f32(s_in * s_w))))` per channel.
Value quantizeBias(OpBuilder &b, Location loc, const EpilogueSpec &spec,
                   Value bias) {
  SmallVector<float> inverse = perChannel<float>(spec, [&](double sw, int64_t) {
    return qnnpackBiasInverseScale(spec.input.scale(), sw);
  });
  Value scaled = arith::MulFOp::create(
      b, loc, bias,
      channelConstant<float>(b, loc, spec, b.getF32Type(), inverse));
  Value rounded = math::RoundEvenOp::create(b, loc, scaled);
  auto splat = [&](Type type, Attribute value) -> Value {
    return arith::ConstantOp::create(
        b, loc,
        DenseElementsAttr::get(RankedTensorType::get(spec.channelShape, type),
                               value));
  };
  // Clamp in float to the int64-convertible range, then saturate in int64.
  Value bounded = arith::MinNumFOp::create(
      b, loc,
      arith::MaxNumFOp::create(
          b, loc, rounded, splat(b.getF32Type(), b.getF32FloatAttr(-0x1p62f))),
      splat(b.getF32Type(), b.getF32FloatAttr(0x1p62f)));
  auto i64Type = RankedTensorType::get(spec.channelShape, b.getI64Type());
  Value wide = arith::FPToSIOp::create(b, loc, i64Type, bounded);
  Value saturated = arith::MinSIOp::create(
      b, loc,
      arith::MaxSIOp::create(
          b, loc, wide, splat(b.getI64Type(), b.getI64IntegerAttr(INT32_MIN))),
      splat(b.getI64Type(), b.getI64IntegerAttr(INT32_MAX)));
  return arith::TruncIOp::create(
      b, loc, RankedTensorType::get(spec.channelShape, b.getI32Type()),
      saturated);
}
} // namespace

namespace {
/// The per-channel tensors of the epilogue (`channelShape`): the int32
/// terms added to the accumulator, the f32 scaled bias (onednn) and the f32
/// output multipliers.
struct ChannelTerms {
  Value added, scaledBias, multiplier;
};

/// The terms with the input's parameters known at compile time: constants
/// but for those of the bias and the weight sums.
ChannelTerms buildStaticChannelTerms(OpBuilder &b, Location loc,
                                     const EpilogueSpec &spec, Value bias,
                                     Value weightSums) {
  Type i32 = b.getI32Type(), f32 = b.getF32Type();
  int64_t zx = spec.input.zeroPoint();
  // -zx * sum(w), per channel, in wrapping int32.
  Value compensation = arith::MulIOp::create(
      b, loc, weightSums,
      arith::ConstantOp::create(
          b, loc,
          DenseElementsAttr::get(RankedTensorType::get(spec.channelShape, i32),
                                 b.getI32IntegerAttr(-zx))));
  ChannelTerms terms;
  if (spec.engine->requantize == RequantizeFormula::QnnpackFixedBias) {
    SmallVector<int32_t> zeroPointTerm =
        perChannel<int32_t>(spec, [&](double, int64_t zw) {
          return static_cast<int32_t>(
              static_cast<uint32_t>(spec.reductionSize * zx * zw));
        });
    terms.added = arith::AddIOp::create(
        b, loc, compensation,
        channelConstant<int32_t>(b, loc, spec, i32, zeroPointTerm));
    if (bias)
      terms.added = arith::AddIOp::create(b, loc, terms.added,
                                          quantizeBias(b, loc, spec, bias));
    SmallVector<float> multipliers =
        perChannel<float>(spec, [&](double sw, int64_t) {
          return qnnpackMultiplier(spec.input.scale(), sw, spec.output.scale());
        });
    terms.multiplier = channelConstant<float>(b, loc, spec, f32, multipliers);
    return terms;
  }
  bool perChannelWeight = !spec.weight.isPerTensor();
  SmallVector<float> biasScales, multipliers;
  for (const OneDNNScales &scales :
       perChannel<OneDNNScales>(spec, [&](double sw, int64_t) {
         return onednnScales(spec.input.scale(), sw, perChannelWeight,
                             spec.output.scale());
       })) {
    biasScales.push_back(scales.biasScale);
    multipliers.push_back(scales.multiplier);
  }
  terms.added = compensation;
  if (bias)
    terms.scaledBias = arith::MulFOp::create(
        b, loc, bias, channelConstant<float>(b, loc, spec, f32, biasScales));
  else
    terms.scaledBias = channelConstant<float>(
        b, loc, spec, f32, SmallVector<float>(biasScales.size(), 0.0f));
  terms.multiplier = channelConstant<float>(b, loc, spec, f32, multipliers);
  return terms;
}

/// The same terms with the input's scale and zero point (also the
/// output's) as run-time scalars: the formulas of qnnpackMultiplier,
/// qnnpackBiasInverseScale and onednnScales in arith, one linalg.generic
/// over the channels.
ChannelTerms buildDynamicChannelTerms(OpBuilder &b, Location loc,
                                      const EpilogueSpec &spec, Value bias,
                                      Value weightSums) {
  Type i32 = b.getI32Type(), i64 = b.getI64Type(), f32 = b.getF32Type(),
       f64 = b.getF64Type();
  Value s = spec.dynamicScale, zx = spec.dynamicZeroPoint;
  bool qnnpack = spec.engine->requantize == RequantizeFormula::QnnpackFixedBias;
  bool perChannelWeight = !spec.weight.isPerTensor();
  int64_t rank = spec.channelShape.size();
  AffineMap identity = b.getMultiDimIdentityMap(rank);
  // Inputs: the weight sums, the weight zero points, the weight scales (f64),
  // onednn's inverse weight scales (f32, a compile-time formula), the bias.
  SmallVector<Value> inputs = {
      weightSums,
      channelConstant<int32_t>(
          b, loc, spec, i32,
          perChannel<int32_t>(
              spec,
              [](double, int64_t zw) { return static_cast<int32_t>(zw); })),
      channelConstant<double>(
          b, loc, spec, f64,
          perChannel<double>(spec, [](double sw, int64_t) { return sw; })),
      channelConstant<float>(
          b, loc, spec, f32, perChannel<float>(spec, [&](double sw, int64_t) {
            return perChannelWeight ? 1.0f / static_cast<float>(sw)
                                    : static_cast<float>(1.0 / sw);
          }))};
  if (bias)
    inputs.push_back(bias);
  SmallVector<AffineMap> maps(inputs.size(), identity);
  auto channelType = [&](Type element) {
    return RankedTensorType::get(spec.channelShape, element);
  };
  SmallVector<Type> resultTypes = {channelType(i32), channelType(f32),
                                   channelType(f32)};
  SmallVector<Value> inits;
  for (Type type : resultTypes)
    inits.push_back(tensor::EmptyOp::create(
        b, loc, spec.channelShape, cast<ShapedType>(type).getElementType()));
  maps.append(resultTypes.size(), identity);
  int64_t k = spec.reductionSize;
  auto generic = linalg::GenericOp::create(
      b, loc, resultTypes, inputs, inits, maps,
      SmallVector<utils::IteratorType>(rank, utils::IteratorType::parallel),
      [&](OpBuilder &nb, Location l, ValueRange args) {
        auto f32c = [&](float v) -> Value {
          return arith::ConstantOp::create(nb, l, nb.getF32FloatAttr(v));
        };
        auto i32c = [&](int32_t v) -> Value {
          return arith::ConstantOp::create(nb, l, nb.getI32IntegerAttr(v));
        };
        Value ws = args[0], zw = args[1], sw = args[2], isw = args[3];
        // -zx * sum(w) in wrapping int32.
        Value added = arith::MulIOp::create(
            nb, l, ws, arith::SubIOp::create(nb, l, i32c(0), zx));
        Value scaledBias = f32c(0.0f), multiplier;
        Value s32 = arith::TruncFOp::create(nb, l, f32, s);
        if (qnnpack) {
          // + K * zx * zw, wrapping.
          added = arith::AddIOp::create(
              nb, l, added,
              arith::MulIOp::create(
                  nb, l, arith::MulIOp::create(nb, l, i32c(k), zx), zw));
          if (bias) {
            // sat_i32(rint(b * f32(1 / f32(s * sw)))).
            Value inverse = arith::DivFOp::create(
                nb, l, f32c(1.0f),
                arith::TruncFOp::create(nb, l, f32,
                                        arith::MulFOp::create(nb, l, s, sw)));
            Value rounded = math::RoundEvenOp::create(
                nb, l, arith::MulFOp::create(nb, l, args[4], inverse));
            Value bounded = arith::MinNumFOp::create(
                nb, l, arith::MaxNumFOp::create(nb, l, rounded, f32c(-0x1p62f)),
                f32c(0x1p62f));
            Value wide = arith::FPToSIOp::create(nb, l, i64, bounded);
            auto i64c = [&](int64_t v) -> Value {
              return arith::ConstantOp::create(nb, l, nb.getI64IntegerAttr(v));
            };
            Value saturated = arith::MinSIOp::create(
                nb, l, arith::MaxSIOp::create(nb, l, wide, i64c(INT32_MIN)),
                i64c(INT32_MAX));
            added = arith::AddIOp::create(
                nb, l, added, arith::TruncIOp::create(nb, l, i32, saturated));
          }
          // f32(f32(sw) * f32(s)) * f32(1 / f32(s_out)), s_out = s.
          Value product = arith::MulFOp::create(
              nb, l, arith::TruncFOp::create(nb, l, f32, sw), s32);
          multiplier = arith::MulFOp::create(
              nb, l, product, arith::DivFOp::create(nb, l, f32c(1.0f), s32));
        } else {
          // bs = f32(f32(1.0 / s) * isw); Md = f32(f32(1.0 / s_out) / bs).
          Value inverseInput = arith::TruncFOp::create(
              nb, l, f32,
              arith::DivFOp::create(
                  nb, l,
                  arith::ConstantOp::create(nb, l, nb.getF64FloatAttr(1.0)),
                  s));
          Value biasScale = arith::MulFOp::create(nb, l, inverseInput, isw);
          if (bias)
            scaledBias = arith::MulFOp::create(nb, l, args[4], biasScale);
          multiplier = arith::DivFOp::create(nb, l, inverseInput, biasScale);
        }
        linalg::YieldOp::create(nb, l,
                                ValueRange{added, scaledBias, multiplier});
      });
  return {generic.getResult(0), generic.getResult(1), generic.getResult(2)};
}
} // namespace

Value mlir::qnn::buildEpilogue(OpBuilder &b, Location loc,
                               const EpilogueSpec &spec, Value acc, Value bias,
                               Value weightSums, Value inputSums) {
  auto accType = cast<RankedTensorType>(acc.getType());
  int64_t rank = accType.getRank();
  ArrayRef<int64_t> loops = accType.getShape();
  Type i32 = b.getI32Type(), f32 = b.getF32Type();
  float qmin = static_cast<float>(spec.output.qmin);
  float qmax = static_cast<float>(spec.output.qmax);
  AffineMap identity = b.getMultiDimIdentityMap(rank);
  AffineMap channelMap = projection(b, rank, spec.channelDims);
  bool dynamic = static_cast<bool>(spec.dynamicScale);
  ChannelTerms terms =
      dynamic ? buildDynamicChannelTerms(b, loc, spec, bias, weightSums)
              : buildStaticChannelTerms(b, loc, spec, bias, weightSums);
  // The output zero point in f32: a constant, or the input's at run time.
  Value dynamicZeroPoint;
  if (dynamic)
    dynamicZeroPoint =
        arith::SIToFPOp::create(b, loc, f32, spec.dynamicZeroPoint);
  float staticZeroPoint =
      dynamic ? 0.0f : static_cast<float>(spec.output.zeroPoint());
  auto outputZeroPoint = [&](OpBuilder &nb, Location nloc) -> Value {
    if (dynamicZeroPoint)
      return dynamicZeroPoint;
    return arith::ConstantOp::create(nb, nloc,
                                     nb.getF32FloatAttr(staticZeroPoint));
  };

  if (spec.engine->requantize == RequantizeFormula::QnnpackFixedBias) {
    // acc + bq - zx*sum(w) + K*zx*zw [- zw*sum(x)], then
    // clamp(rint(f32(acc) * M) + zo).
    SmallVector<Value> inputs = {acc, terms.added, terms.multiplier};
    SmallVector<AffineMap> maps = {identity, channelMap, channelMap};
    bool withInputSums = needsInputSums(spec);
    if (withInputSums) {
      SmallVector<int32_t> zws = perChannel<int32_t>(
          spec, [](double, int64_t zw) { return static_cast<int32_t>(zw); });
      inputs.push_back(channelConstant<int32_t>(b, loc, spec, i32, zws));
      inputs.push_back(inputSums);
      maps.push_back(channelMap);
      maps.push_back(projection(b, rank, spec.inputSumDims));
    }
    return buildElementwise(
        b, loc, loops, spec.storageType, inputs, maps,
        [&](OpBuilder &nb, Location nloc, ValueRange args) {
          Value sum = arith::AddIOp::create(nb, nloc, args[0], args[1]);
          if (withInputSums)
            sum = arith::SubIOp::create(
                nb, nloc, sum,
                arith::MulIOp::create(nb, nloc, args[3], args[4]));
          Value scaled = arith::MulFOp::create(
              nb, nloc, arith::SIToFPOp::create(nb, nloc, f32, sum), args[2]);
          Value rounded = math::RoundEvenOp::create(nb, nloc, scaled);
          Value shifted = arith::AddFOp::create(nb, nloc, rounded,
                                                outputZeroPoint(nb, nloc));
          return saturateToStorage(nb, nloc, shifted, qmin, qmax,
                                   spec.storageType);
        },
        spec.resultPermutation);
  }

  // onednn: bias stays float, scaled by bs; the zero point is added in float
  // before rounding.
  SmallVector<Value> inputs = {acc, terms.added, terms.scaledBias,
                               terms.multiplier};
  SmallVector<AffineMap> maps = {identity, channelMap, channelMap, channelMap};
  bool isConv = spec.isConv;
  return buildElementwise(
      b, loc, loops, spec.storageType, inputs, maps,
      [&](OpBuilder &nb, Location nloc, ValueRange args) {
        Value t;
        if (isConv) {
          // t = f32(f32(acc + comp) + bA)
          Value sum = arith::AddIOp::create(nb, nloc, args[0], args[1]);
          t = arith::AddFOp::create(
              nb, nloc, arith::SIToFPOp::create(nb, nloc, f32, sum), args[2]);
        } else {
          // t = f32(f32(f32(acc) + bA) + f32(comp))
          Value withBias = arith::AddFOp::create(
              nb, nloc, arith::SIToFPOp::create(nb, nloc, f32, args[0]),
              args[2]);
          t = arith::AddFOp::create(
              nb, nloc, withBias,
              arith::SIToFPOp::create(nb, nloc, f32, args[1]));
        }
        Value v = arith::MulFOp::create(nb, nloc, t, args[3]);
        v = arith::AddFOp::create(nb, nloc, v, outputZeroPoint(nb, nloc));
        Value rounded = math::RoundEvenOp::create(nb, nloc, v);
        return saturateToStorage(nb, nloc, rounded, qmin, qmax,
                                 spec.storageType);
      },
      spec.resultPermutation);
}

std::optional<ScalarTail>
ScalarTail::get(std::optional<ArrayRef<int64_t>> ranges,
                std::optional<ArrayRef<int64_t>> order, int64_t rank) {
  if (!ranges || ranges->empty())
    return std::nullopt;
  ScalarTail tail;
  tail.ranges = *ranges;
  if (order)
    tail.order.assign(order->begin(), order->end());
  else
    tail.order = llvm::to_vector(llvm::seq<int64_t>(0, rank));
  return tail;
}

/// Above this many ranges, a mask lookup replaces the comparisons with each.
static constexpr size_t kMaxComparedRanges = 4;

Value mlir::qnn::buildScalarTailMask(OpBuilder &b, Location loc,
                                     int64_t numElements,
                                     const ScalarTail &tail) {
  if (tail.ranges.size() / 2 <= kMaxComparedRanges)
    return {};
  SmallVector<bool> mask(numElements, false);
  for (size_t i = 0; i + 1 < tail.ranges.size(); i += 2)
    std::fill(mask.begin() + tail.ranges[i], mask.begin() + tail.ranges[i + 1],
              true);
  return arith::ConstantOp::create(
      b, loc,
      DenseElementsAttr::get(
          RankedTensorType::get({numElements}, b.getI1Type()),
          ArrayRef<bool>(mask)));
}

Value mlir::qnn::buildInScalarTail(OpBuilder &b, Location loc,
                                   ArrayRef<int64_t> shape,
                                   const ScalarTail &tail, Value mask) {
  auto constant = [&](int64_t v) {
    return arith::ConstantIndexOp::create(b, loc, v).getResult();
  };
  // The position in memory order: dimensions outermost first.
  Value position = constant(0);
  for (int64_t dim : tail.order) {
    Value index = linalg::IndexOp::create(b, loc, dim);
    position = arith::AddIOp::create(
        b, loc, arith::MulIOp::create(b, loc, position, constant(shape[dim])),
        index);
  }
  if (mask)
    return tensor::ExtractOp::create(b, loc, mask, ValueRange{position});
  Value inTail;
  for (size_t i = 0; i + 1 < tail.ranges.size(); i += 2) {
    Value atLeast = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::uge,
                                          position, constant(tail.ranges[i]));
    Value below = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult,
                                        position, constant(tail.ranges[i + 1]));
    Value inRange = arith::AndIOp::create(b, loc, atLeast, below);
    inTail = inTail ? arith::OrIOp::create(b, loc, inTail, inRange).getResult()
                    : inRange;
  }
  return inTail;
}
