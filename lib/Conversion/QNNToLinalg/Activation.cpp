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

#include "qnn/Dialect/QNN/IR/Activations.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/SymbolTable.h"

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

/// The tables of an 8-bit input: entry i is the image of the code whose
/// storage bits are i, per path (ATen's vector body, then its scalar loop
/// when `withScalarPath`) and per weight code (one table when there is no
/// weight). The shape is [paths,] [channels,] 256 without unit dimensions.
static Value buildTables(OpBuilder &b, Location loc, const EngineInfo &engine,
                         ActivationAttr act, const QuantParams &in,
                         const QuantParams &out, Type outStorage,
                         const ActivationWeights *weights,
                         bool withScalarPath) {
  const ActivationDef &def = *act.getDef();
  SmallVector<APInt> table;
  unsigned width = outStorage.getIntOrFloatBitWidth();
  static const int64_t kNoWeight[] = {0};
  ArrayRef<int64_t> weightCodes =
      weights ? ArrayRef<int64_t>(weights->codes) : ArrayRef(kNoWeight);
  SmallVector<bool, 2> paths = {false};
  if (withScalarPath)
    paths.push_back(true);
  for (bool scalarPath : paths) {
    for (int64_t weightCode : weightCodes) {
      ActivationContext context{engine, act.getParams(), in, out};
      context.scalarPath = scalarPath;
      if (weights) {
        context.weightCode = weightCode;
        context.weight = &weights->params;
      }
      for (int64_t bits = 0; bits < 256; ++bits) {
        int64_t code = in.isSigned ? static_cast<int8_t>(bits) : bits;
        table.push_back(APInt(
            width, static_cast<uint64_t>(applyActivation(def, context, code)),
            /*isSigned=*/true, /*implicitTrunc=*/true));
      }
    }
  }
  SmallVector<int64_t> shape;
  if (paths.size() > 1)
    shape.push_back(paths.size());
  if (weightCodes.size() > 1)
    shape.push_back(weightCodes.size());
  shape.push_back(256);
  return arith::ConstantOp::create(
      b, loc,
      DenseElementsAttr::get(RankedTensorType::get(shape, outStorage), table));
}

FailureOr<Value> mlir::qnn::buildActivationOnCodes(
    OpBuilder &b, Location loc, const EngineInfo *engine, ActivationAttr act,
    const QuantParams &in, const QuantParams &out, Type outStorage, Value codes,
    const ActivationWeights *weights,
    function_ref<InFlightDiagnostic()> emitError, const ScalarTail *tail) {
  auto type = cast<RankedTensorType>(codes.getType());
  const ActivationDef &def = *act.getDef();
  if (!weights) {
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
  // The scalar loop's table matters only where it differs from the
  // vector body's.
  bool withScalarPath = tail && !tail->ranges.empty() && def.hasScalarPath &&
                        def.hasScalarPath(*engine, in);
  Value table = buildTables(b, loc, *engine, act, in, out, outStorage, weights,
                            withScalarPath);
  bool perChannel = weights && weights->codes.size() > 1;
  Value mask = withScalarPath
                   ? buildScalarTailMask(b, loc, type.getNumElements(), *tail)
                   : Value();
  AffineMap identity = b.getMultiDimIdentityMap(type.getRank());
  return buildElementwise(
      b, loc, type.getShape(), outStorage, {codes}, {identity},
      [&](OpBuilder &nb, Location nloc, ValueRange args) -> Value {
        Value index = arith::IndexCastUIOp::create(
            nb, nloc, nb.getIndexType(),
            arith::ExtUIOp::create(nb, nloc, nb.getI32Type(), args[0]));
        SmallVector<Value> indices;
        if (withScalarPath) {
          Value inTail =
              buildInScalarTail(nb, nloc, type.getShape(), *tail, mask);
          indices.push_back(arith::IndexCastUIOp::create(
              nb, nloc, nb.getIndexType(),
              arith::ExtUIOp::create(nb, nloc, nb.getI32Type(), inTail)));
        }
        if (perChannel)
          indices.push_back(linalg::IndexOp::create(nb, nloc, 1));
        indices.push_back(index);
        return tensor::ExtractOp::create(nb, nloc, table, indices);
      });
}

namespace {
/// The codes and quantization of a constant quantized tensor (a constant
/// cast to its quantized type), if it is one.
std::optional<ActivationWeights> getConstantCodes(Value value) {
  std::optional<DenseIntElementsAttr> stored = getConstantStorage(value);
  if (!stored || !isa<quant::QuantizedType>(getElementTypeOrSelf(value)))
    return std::nullopt;
  ActivationWeights weights{{}, paramsOf(value.getType())};
  for (const APInt &v : stored->getValues<APInt>())
    weights.codes.push_back(weights.params.isSigned ? v.getSExtValue()
                                                    : v.getZExtValue());
  return weights;
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
    std::optional<ActivationWeights> weights;
    if (Value weight = op.getWeight()) {
      weights = getConstantCodes(weight);
      if (!weights)
        return op.emitOpError()
               << op.getActivation().getName()
               << " needs a constant weight to build its tables";
      // One weight for all channels, or one table per channel.
      size_t count = weights->codes.size();
      if (count > 1 && (type.getRank() < 2 ||
                        type.getDimSize(1) != static_cast<int64_t>(count)))
        return op.emitOpError("weight does not match the channels");
    }
    std::optional<ScalarTail> tail = ScalarTail::get(
        op.getScalarRanges(), op.getMemoryOrder(), type.getRank());
    FailureOr<Value> result = buildActivationOnCodes(
        rewriter, op.getLoc(), engine, op.getActivation(),
        paramsOf(op.getInput().getType()), paramsOf(type), storageOf(type),
        adaptor.getInput(), weights ? &*weights : nullptr,
        [&] { return op.emitOpError(); }, tail ? &*tail : nullptr);
    if (failed(result))
      return failure();
    rewriter.replaceOp(op, *result);
    return success();
  }

  const EngineInfo *engine;
};
/// Declares `f32 name(f32)` in the module once; returns its name.
StringRef declareFloatFunction(OpBuilder &b, Operation *op, StringRef name) {
  auto module = op->getParentOfType<ModuleOp>();
  if (!SymbolTable::lookupSymbolIn(module, name)) {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(module.getBody());
    Type f32 = b.getF32Type();
    func::FuncOp::create(b, op->getLoc(), name, b.getFunctionType({f32}, {f32}))
        .setPrivate();
  }
  return name;
}

/// qnn.float_activation: per element, ATen's vector body (SLEEF's u10
/// functions where ATen's vectors use them) or, in the scalar ranges, its
/// scalar loop (glibc's), both called from the compiled code.
struct FloatActivationToLinalg : OpConversionPattern<FloatActivationOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(FloatActivationOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType type = op.getType();
    bool sigmoid = op.getKind() == FloatActivation::sigmoid;
    bool sleef = atenVectorsUseSleef();
    StringRef glibc = sigmoid ? "expf" : "tanhf";
    StringRef vector = sleef ? (sigmoid ? "Sleef_expf1_u10purecfma"
                                        : "Sleef_tanhf1_u10purecfma")
                             : glibc;
    declareFloatFunction(rewriter, op, vector);
    std::optional<ScalarTail> tail;
    if (sigmoid && vector != glibc)
      tail = ScalarTail::get(op.getScalarRanges(), op.getMemoryOrder(),
                             type.getRank());
    if (tail && tail->ranges.empty())
      tail.reset();
    if (tail)
      declareFloatFunction(rewriter, op, glibc);
    Value mask =
        tail ? buildScalarTailMask(rewriter, loc, type.getNumElements(), *tail)
             : Value();
    Type f32 = rewriter.getF32Type();
    // Without scalar ranges every element takes the vector body, which the
    // runtime computes for a whole 2-D view at a time (its library call;
    // the generic's body stays the exact per-element definition).
    Value input = adaptor.getInput();
    int64_t rank = type.getRank();
    bool libraryCall = sleef && !tail && rank >= 1;
    SmallVector<ReassociationIndices> rows;
    SmallVector<int64_t> shape(type.getShape());
    if (libraryCall && rank != 2) {
      if (rank == 1) {
        rows = {{0, 1}};
        shape = {1, type.getDimSize(0)};
        input = tensor::ExpandShapeOp::create(
            rewriter, loc, RankedTensorType::get(shape, f32), input, rows);
      } else {
        ReassociationIndices outer;
        for (int64_t d = 0; d + 1 < rank; ++d)
          outer.push_back(d);
        rows = {outer, {rank - 1}};
        shape = {type.getNumElements() / type.getDimSize(rank - 1),
                 type.getDimSize(rank - 1)};
        input = tensor::CollapseShapeOp::create(rewriter, loc, input, rows);
      }
    }
    Value result = buildElementwise(
        rewriter, loc, shape, f32, {input},
        {rewriter.getMultiDimIdentityMap(shape.size())},
        [&](OpBuilder &b, Location l, ValueRange args) -> Value {
          Value x = args[0];
          // sigmoid: 1 / (exp(0 - x) + 1), the vector body's order (the
          // scalar loop's 1 / (1 + exp(-x)) has the same value).
          Value arg = x;
          if (sigmoid)
            arg = arith::SubFOp::create(
                b, l, arith::ConstantOp::create(b, l, b.getF32FloatAttr(0.0f)),
                x);
          auto call = [&](OpBuilder &cb, Location cl, StringRef fn) -> Value {
            return func::CallOp::create(cb, cl, fn, TypeRange{f32},
                                        ValueRange{arg})
                .getResult(0);
          };
          Value value;
          if (tail) {
            Value inTail =
                buildInScalarTail(b, l, type.getShape(), *tail, mask);
            auto branch = [&](StringRef fn) {
              return [&, fn](OpBuilder &bb, Location bl) {
                scf::YieldOp::create(bb, bl, call(bb, bl, fn));
              };
            };
            value =
                scf::IfOp::create(b, l, inTail, branch(glibc), branch(vector))
                    .getResult(0);
          } else {
            value = call(b, l, vector);
          }
          if (!sigmoid)
            return value;
          Value one = arith::ConstantOp::create(b, l, b.getF32FloatAttr(1.0f));
          return arith::DivFOp::create(b, l, one,
                                       arith::AddFOp::create(b, l, value, one));
        });
    if (libraryCall) {
      result.getDefiningOp()->setAttr(
          "library_call",
          rewriter.getStringAttr(sigmoid ? "qnn_sigmoid_f32" : "qnn_tanh_f32"));
      if (rank != 2)
        result = rank == 1 ? tensor::CollapseShapeOp::create(rewriter, loc,
                                                             result, rows)
                                 .getResult()
                           : tensor::ExpandShapeOp::create(rewriter, loc, type,
                                                           result, rows)
                                 .getResult();
    }
    rewriter.replaceOp(op, result);
    return success();
  }
};
} // namespace

void mlir::qnn::populateQNNActivationToLinalgPatterns(
    const TypeConverter &converter, RewritePatternSet &patterns,
    const EngineInfo *engine) {
  patterns.add<ActivationToLinalg>(converter, patterns.getContext(), engine);
  patterns.add<FloatActivationToLinalg>(converter, patterns.getContext());
}
