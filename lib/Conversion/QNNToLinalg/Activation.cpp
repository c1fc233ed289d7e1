//===- Activation.cpp - qnn.activation and post-ops to linalg -------------===//
//
// An activation on codes is either the integer clamp its table entry gives
// (between equal types, any storage width) or a lookup in a table of the
// images of every 8-bit code, computed here at compile time with the
// entry's formula for the engine (one table per channel for prelu).
//
//===----------------------------------------------------------------------===//

#include "Requantize.h"
#include "qnn/Conversion/QNNToLinalg/QNNToLinalg.h"
#include "qnn/Dialect/QNN/Utils/QuantUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"

using namespace mlir;
using namespace mlir::qnn;

/// A constant of the storage integer type `type` holding `value`.
static Value storageConstant(OpBuilder &b, Location loc, Type type,
                             int64_t value) {
  unsigned width = type.getIntOrFloatBitWidth();
  return arith::ConstantOp::create(
      b, loc,
      b.getIntegerAttr(type, APInt(width, static_cast<uint64_t>(value),
                                   /*isSigned=*/true, /*implicitTrunc=*/true)));
}

/// The table of an 8-bit input: entry i is the image of the code whose
/// storage bits are i, for each of `weights.size()` channels (one table
/// when there is no weight).
static Value buildTable(OpBuilder &b, Location loc, const EngineInfo &engine,
                        ActivationAttr act, const QuantParams &in,
                        const QuantParams &out, Type outStorage,
                        ArrayRef<float> weights) {
  const ActivationDef &def = *act.getDef();
  SmallVector<APInt> table;
  unsigned width = outStorage.getIntOrFloatBitWidth();
  for (float weight : weights) {
    ActivationContext context{engine, act.getParams(), in, out, weight};
    for (int64_t bits = 0; bits < 256; ++bits) {
      int64_t code = in.isSigned ? static_cast<int8_t>(bits) : bits;
      table.push_back(APInt(
          width, static_cast<uint64_t>(applyActivation(def, context, code)),
          /*isSigned=*/true, /*implicitTrunc=*/true));
    }
  }
  SmallVector<int64_t> shape;
  if (weights.size() > 1)
    shape.push_back(weights.size());
  shape.push_back(256);
  return arith::ConstantOp::create(
      b, loc,
      DenseElementsAttr::get(RankedTensorType::get(shape, outStorage), table));
}

FailureOr<Value> mlir::qnn::buildActivationOnCodes(
    OpBuilder &b, Location loc, const EngineInfo *engine, ActivationAttr act,
    const QuantParams &in, const QuantParams &out, Type outStorage, Value codes,
    ArrayRef<float> weights, function_ref<InFlightDiagnostic()> emitError) {
  auto type = cast<RankedTensorType>(codes.getType());
  const ActivationDef &def = *act.getDef();
  if (weights.size() <= 1) {
    if (auto clamp = getActivationClamp(def, act.getParams(), in, out)) {
      Value lo = storageConstant(b, loc, type.getElementType(), clamp->first);
      Value hi = storageConstant(b, loc, type.getElementType(), clamp->second);
      bool isSigned = in.isSigned;
      AffineMap identity = b.getMultiDimIdentityMap(type.getRank());
      return buildElementwise(
          b, loc, type.getShape(), outStorage, {codes}, {identity},
          [&](OpBuilder &nb, Location nloc, ValueRange args) -> Value {
            if (isSigned)
              return arith::MinSIOp::create(
                  nb, nloc, arith::MaxSIOp::create(nb, nloc, args[0], lo), hi);
            return arith::MinUIOp::create(
                nb, nloc, arith::MaxUIOp::create(nb, nloc, args[0], lo), hi);
          });
    }
  }
  if (!engine)
    return emitError() << def.name
                       << " depends on the engine's arithmetic: add a '"
                       << QNNDialect::getNumericsAttrName()
                       << "' attribute to the module";
  if (in.storageWidth != 8)
    return emitError() << def.name << " needs 8-bit input codes";
  SmallVector<float> channelWeights(weights);
  if (channelWeights.empty())
    channelWeights.push_back(0.0f);
  Value table =
      buildTable(b, loc, *engine, act, in, out, outStorage, channelWeights);
  bool perChannel = channelWeights.size() > 1;
  AffineMap identity = b.getMultiDimIdentityMap(type.getRank());
  return buildElementwise(
      b, loc, type.getShape(), outStorage, {codes}, {identity},
      [&](OpBuilder &nb, Location nloc, ValueRange args) -> Value {
        Value index = arith::IndexCastUIOp::create(
            nb, nloc, nb.getIndexType(),
            arith::ExtUIOp::create(nb, nloc, nb.getI32Type(), args[0]));
        SmallVector<Value> indices;
        if (perChannel)
          indices.push_back(linalg::IndexOp::create(nb, nloc, 1));
        indices.push_back(index);
        return tensor::ExtractOp::create(nb, nloc, table, indices);
      });
}

namespace {
/// The dequantized values of a constant quantized tensor (a constant cast
/// to its quantized type), if it is one.
std::optional<SmallVector<float>> getConstantDequantized(Value value) {
  auto cast = value.getDefiningOp<quant::StorageCastOp>();
  DenseIntElementsAttr stored;
  if (!cast || !matchPattern(cast.getInput(), m_Constant(&stored)))
    return std::nullopt;
  QuantParams params = paramsOf(value.getType());
  SmallVector<float> values;
  for (const APInt &v : stored.getValues<APInt>())
    values.push_back(
        dequantizeValue(params.isSigned ? v.getSExtValue() : v.getZExtValue(),
                        params.scale(), params.zeroPoint()));
  return values;
}

struct ActivationToLinalg : OpConversionPattern<ActivationOp> {
  ActivationToLinalg(const TypeConverter &converter, MLIRContext *ctx,
                     const EngineInfo *engine)
      : OpConversionPattern(converter, ctx), engine(engine) {}

  LogicalResult
  matchAndRewrite(ActivationOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = cast<RankedTensorType>(op.getType());
    if (!type.hasStaticShape())
      return rewriter.notifyMatchFailure(op, "dynamic shapes");
    SmallVector<float> weights;
    if (Value weight = op.getWeight()) {
      std::optional<SmallVector<float>> values = getConstantDequantized(weight);
      if (!values)
        return op.emitOpError()
               << op.getActivation().getName()
               << " needs a constant weight to build its tables";
      weights = *values;
      // One weight for all channels, or one table per channel.
      if (weights.size() > 1 && weights.size() != 1 &&
          (type.getRank() < 2 ||
           type.getDimSize(1) != static_cast<int64_t>(weights.size())))
        return op.emitOpError("weight does not match the channels");
    }
    FailureOr<Value> result = buildActivationOnCodes(
        rewriter, op.getLoc(), engine, op.getActivation(),
        paramsOf(op.getInput().getType()), paramsOf(type), storageOf(type),
        adaptor.getInput(), weights, [&] { return op.emitOpError(); });
    if (failed(result))
      return failure();
    rewriter.replaceOp(op, *result);
    return success();
  }

  const EngineInfo *engine;
};
} // namespace

void mlir::qnn::populateQNNActivationToLinalgPatterns(
    const TypeConverter &converter, RewritePatternSet &patterns,
    const EngineInfo *engine) {
  patterns.add<ActivationToLinalg>(converter, patterns.getContext(), engine);
}
