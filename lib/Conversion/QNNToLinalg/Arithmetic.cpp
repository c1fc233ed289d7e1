//===- Arithmetic.cpp - qnn.add, qnn.mul and the scalar ops to linalg -----===//
//
// The elementwise arithmetic of quantized tensors with each engine's
// formula (docs/numerics/arithmetic.md), on storage integers; operands
// broadcast through their indexing maps. Post-ops are clamps of the codes.
//
//===----------------------------------------------------------------------===//

#include "Requantize.h"
#include "qnn/Conversion/QNNToLinalg/QNNToLinalg.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Utils/IndexingUtils.h"

using namespace mlir;
using namespace mlir::qnn;

/// The indexing map reading an operand of `shape` broadcast to
/// `resultShape` (NumPy's rules: leading dimensions added, size-1
/// dimensions repeated).
static AffineMap broadcastMap(MLIRContext *ctx, ArrayRef<int64_t> shape,
                              ArrayRef<int64_t> resultShape) {
  int64_t rank = resultShape.size(), offset = rank - shape.size();
  SmallVector<AffineExpr> exprs;
  for (auto [i, size] : llvm::enumerate(shape)) {
    bool repeated = size == 1 && resultShape[offset + i] != 1;
    exprs.push_back(repeated ? getAffineConstantExpr(0, ctx)
                             : getAffineDimExpr(offset + i, ctx));
  }
  return AffineMap::get(rank, 0, exprs, ctx);
}

static ArrayRef<int64_t> shapeOf(Value value) {
  return cast<RankedTensorType>(value.getType()).getShape();
}

/// A binary elementwise op of `lhs` and `rhs` broadcast to `resultShape`.
static Value
buildBinary(OpBuilder &b, Location loc, Value lhs, Value rhs,
            ArrayRef<int64_t> resultShape, Type storageType,
            function_ref<Value(OpBuilder &, Location, ValueRange)> body) {
  MLIRContext *ctx = b.getContext();
  return buildElementwise(b, loc, resultShape, storageType, {lhs, rhs},
                          {broadcastMap(ctx, shapeOf(lhs), resultShape),
                           broadcastMap(ctx, shapeOf(rhs), resultShape)},
                          body);
}

Value mlir::qnn::buildQuantizedAdd(OpBuilder &b, Location loc,
                                   const EngineInfo &engine, Value lhs,
                                   const QuantParams &lhsParams, Value rhs,
                                   const QuantParams &rhsParams,
                                   const QuantParams &output, Type storageType,
                                   ArrayRef<int64_t> resultShape,
                                   const ScalarTail *tail) {
  float zo = static_cast<float>(output.zeroPoint());
  float qmin = static_cast<float>(output.qmin);
  float qmax = static_cast<float>(output.qmax);
  Type i32 = b.getI32Type();
  AddFormula formula =
      engine.getAddFormula(shapeOf(lhs) == shapeOf(rhs), lhsParams.isSigned);

  if (formula != AddFormula::AtenFloat) {
    const AddFormulaInfo &info = getAddFormulaInfo(formula);
    FixedPointAddParams p = fixedPointAddParams(
        lhsParams.scale(), lhsParams.zeroPoint(), rhsParams.scale(),
        rhsParams.zeroPoint(), output.scale(), info.shiftBase);
    bool halfUp = info.roundHalfUp;
    return buildBinary(
        b, loc, lhs, rhs, resultShape, storageType,
        [&](OpBuilder &nb, Location nloc, ValueRange args) -> Value {
          auto c = [&](int64_t v) -> Value {
            return arith::ConstantOp::create(nb, nloc, nb.getI32IntegerAttr(v));
          };
          Value a = extendStorage(nb, nloc, args[0], lhsParams.isSigned);
          Value bb = extendStorage(nb, nloc, args[1], rhsParams.isSigned);
          Value acc = arith::AddIOp::create(
              nb, nloc,
              arith::AddIOp::create(
                  nb, nloc, c(p.zeroPointProduct),
                  arith::MulIOp::create(nb, nloc, a, c(p.aMultiplier))),
              arith::MulIOp::create(nb, nloc, bb, c(p.bMultiplier)));
          Value shifted;
          if (halfUp) {
            // XNNPACK: (acc + 2^(shift - 1)) >> shift.
            shifted = arith::ShRSIOp::create(
                nb, nloc,
                arith::AddIOp::create(nb, nloc, acc,
                                      c(int64_t{1} << (p.shift - 1))),
                c(p.shift));
          } else {
            // QNNPACK: (acc >> shift) rounded half away from zero.
            int64_t mask = (int64_t{1} << p.shift) - 1;
            Value negative = arith::ExtUIOp::create(
                nb, nloc, i32,
                arith::CmpIOp::create(nb, nloc, arith::CmpIPredicate::slt, acc,
                                      c(0)));
            Value remainder = arith::SubIOp::create(
                nb, nloc, arith::AndIOp::create(nb, nloc, acc, c(mask)),
                negative);
            Value roundUp = arith::ExtUIOp::create(
                nb, nloc, i32,
                arith::CmpIOp::create(nb, nloc, arith::CmpIPredicate::sgt,
                                      remainder, c(mask >> 1)));
            shifted = arith::AddIOp::create(
                nb, nloc, arith::ShRSIOp::create(nb, nloc, acc, c(p.shift)),
                roundUp);
          }
          Value y =
              arith::AddIOp::create(nb, nloc, shifted, c(output.zeroPoint()));
          y = arith::MinSIOp::create(
              nb, nloc, arith::MaxSIOp::create(nb, nloc, y, c(output.qmin)),
              c(output.qmax));
          if (storageType.getIntOrFloatBitWidth() == 32)
            return y;
          return arith::TruncIOp::create(nb, nloc, storageType, y);
        });
  }

  // ATen: da = fma(sa, qa, f32(-za * sa)), likewise db;
  // y = clamp(rint((da + db) * f32(1/so)) + zo). The elements of its scalar
  // lambda (`tail`) dequantize as f32(sa * f32(qa - za)) instead
  // (docs/numerics/arithmetic.md).
  float inverse = reciprocalScale(output.scale());
  Value mask =
      tail ? buildScalarTailMask(b, loc, computeProduct(resultShape), *tail)
           : Value();
  return buildBinary(
      b, loc, lhs, rhs, resultShape, storageType,
      [&](OpBuilder &nb, Location nloc, ValueRange args) {
        auto c = [&](float v) -> Value {
          return arith::ConstantOp::create(nb, nloc, nb.getF32FloatAttr(v));
        };
        Value inTail =
            tail ? buildInScalarTail(nb, nloc, resultShape, *tail, mask)
                 : Value();
        Value sum = arith::AddFOp::create(
            nb, nloc, buildCodeDequantize(nb, nloc, args[0], lhsParams, inTail),
            buildCodeDequantize(nb, nloc, args[1], rhsParams, inTail));
        Value rounded = math::RoundEvenOp::create(
            nb, nloc, arith::MulFOp::create(nb, nloc, sum, c(inverse)));
        Value shifted = arith::AddFOp::create(nb, nloc, rounded, c(zo));
        return saturateToStorage(nb, nloc, shifted, qmin, qmax, storageType);
      });
}

/// `clamp(rint(f32(f32(p) * M)) + zo)` of the product `p = (qa - za) *
/// (qb - zb)` in int32.
static Value buildQuantizedMul(OpBuilder &b, Location loc, Value lhs,
                               const QuantParams &lhsParams, Value rhs,
                               const QuantParams &rhsParams,
                               const QuantParams &output, Type storageType,
                               ArrayRef<int64_t> resultShape) {
  float multiplier =
      mulMultiplier(lhsParams.scale(), rhsParams.scale(), output);
  return buildBinary(
      b, loc, lhs, rhs, resultShape, storageType,
      [&](OpBuilder &nb, Location nloc, ValueRange args) {
        auto ci = [&](int64_t v) -> Value {
          return arith::ConstantOp::create(nb, nloc, nb.getI32IntegerAttr(v));
        };
        auto cf = [&](float v) -> Value {
          return arith::ConstantOp::create(nb, nloc, nb.getF32FloatAttr(v));
        };
        Value a = arith::SubIOp::create(
            nb, nloc, extendStorage(nb, nloc, args[0], lhsParams.isSigned),
            ci(lhsParams.zeroPoint()));
        Value bb = arith::SubIOp::create(
            nb, nloc, extendStorage(nb, nloc, args[1], rhsParams.isSigned),
            ci(rhsParams.zeroPoint()));
        Value product = arith::SIToFPOp::create(
            nb, nloc, nb.getF32Type(), arith::MulIOp::create(nb, nloc, a, bb));
        Value rounded = math::RoundEvenOp::create(
            nb, nloc, arith::MulFOp::create(nb, nloc, product, cf(multiplier)));
        Value shifted = arith::AddFOp::create(
            nb, nloc, rounded, cf(static_cast<float>(output.zeroPoint())));
        return saturateToStorage(nb, nloc, shifted,
                                 static_cast<float>(output.qmin),
                                 static_cast<float>(output.qmax), storageType);
      });
}

/// The op's post-op (a clamp of the result's codes), if any.
static FailureOr<Value> applyPostOp(OpBuilder &b, Operation *op,
                                    ActivationAttr postOp,
                                    const EngineInfo *engine, Value codes) {
  if (!postOp)
    return codes;
  Type resultType = op->getResult(0).getType();
  QuantParams output = paramsOf(resultType);
  return buildActivationOnCodes(b, op->getLoc(), engine, postOp, output, output,
                                storageOf(resultType), codes, nullptr,
                                [&] { return op->emitOpError(); });
}

namespace {
struct AddToLinalg : EngineConversionPattern<AddOp> {
  using EngineConversionPattern::EngineConversionPattern;
  LogicalResult
  matchAndRewrite(AddOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    std::optional<ScalarTail> tail = ScalarTail::get(
        op.getScalarRanges(), op.getMemoryOrder(), op.getType().getRank());
    Value sum =
        buildQuantizedAdd(rewriter, op.getLoc(), engine, adaptor.getLhs(),
                          paramsOf(op.getLhs().getType()), adaptor.getRhs(),
                          paramsOf(op.getRhs().getType()),
                          paramsOf(op.getType()), storageOf(op.getType()),
                          op.getType().getShape(), tail ? &*tail : nullptr);
    FailureOr<Value> result =
        applyPostOp(rewriter, op, op.getPostOpAttr(), &engine, sum);
    if (failed(result))
      return failure();
    rewriter.replaceOp(op, *result);
    return success();
  }
};

struct MulToLinalg : EngineConversionPattern<MulOp> {
  using EngineConversionPattern::EngineConversionPattern;
  LogicalResult
  matchAndRewrite(MulOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Value product = buildQuantizedMul(
        rewriter, op.getLoc(), adaptor.getLhs(),
        paramsOf(op.getLhs().getType()), adaptor.getRhs(),
        paramsOf(op.getRhs().getType()), paramsOf(op.getType()),
        storageOf(op.getType()), op.getType().getShape());
    FailureOr<Value> result =
        applyPostOp(rewriter, op, op.getPostOpAttr(), &engine, product);
    if (failed(result))
      return failure();
    rewriter.replaceOp(op, *result);
    return success();
  }
};

/// add_scalar: the codes unchanged when only the zero point moves, else
/// requantized: `clamp(rint(f32(f32(q - z + cq) * M)) + z')` with
/// `M = f32(f32(s) * f32(1 / s'))`.
struct AddScalarToLinalg : OpConversionPattern<AddScalarOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(AddScalarOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    QuantParams in = paramsOf(op.getInput().getType());
    QuantParams out = paramsOf(op.getType());
    double scalar = op.getScalar().convertToDouble();
    int64_t shift = addScalarShift(in, scalar);
    Value codes = adaptor.getInput();
    if (out.scale() != in.scale()) {
      float multiplier =
          static_cast<float>(in.scale()) * reciprocalScale(out.scale());
      Type storage = storageOf(op.getType());
      auto type = cast<RankedTensorType>(codes.getType());
      codes = buildElementwise(
          rewriter, op.getLoc(), type.getShape(), storage, {codes},
          {rewriter.getMultiDimIdentityMap(type.getRank())},
          [&](OpBuilder &nb, Location nloc, ValueRange args) {
            auto cf = [&](float v) -> Value {
              return arith::ConstantOp::create(nb, nloc, nb.getF32FloatAttr(v));
            };
            Value centered = arith::AddIOp::create(
                nb, nloc, extendStorage(nb, nloc, args[0], in.isSigned),
                arith::ConstantOp::create(
                    nb, nloc, nb.getI32IntegerAttr(shift - in.zeroPoint())));
            Value scaled = arith::MulFOp::create(
                nb, nloc,
                arith::SIToFPOp::create(nb, nloc, nb.getF32Type(), centered),
                cf(multiplier));
            Value shifted = arith::AddFOp::create(
                nb, nloc, math::RoundEvenOp::create(nb, nloc, scaled),
                cf(static_cast<float>(out.zeroPoint())));
            return saturateToStorage(nb, nloc, shifted,
                                     static_cast<float>(out.qmin),
                                     static_cast<float>(out.qmax), storage);
          });
    }
    FailureOr<Value> result =
        applyPostOp(rewriter, op, op.getPostOpAttr(), nullptr, codes);
    if (failed(result))
      return failure();
    rewriter.replaceOp(op, *result);
    return success();
  }
};

/// mul_scalar: the codes unchanged (c > 0), zeros (c = 0) or mirrored,
/// `qmax + qmin - q` (c < 0).
struct MulScalarToLinalg : OpConversionPattern<MulScalarOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(MulScalarOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    QuantParams in = paramsOf(op.getInput().getType());
    double scalar = op.getScalar().convertToDouble();
    Value codes = adaptor.getInput();
    if (scalar <= 0) {
      auto type = cast<RankedTensorType>(codes.getType());
      Type storage = type.getElementType();
      codes = buildElementwise(
          rewriter, op.getLoc(), type.getShape(), storage, {codes},
          {rewriter.getMultiDimIdentityMap(type.getRank())},
          [&](OpBuilder &nb, Location nloc, ValueRange args) -> Value {
            unsigned width = storage.getIntOrFloatBitWidth();
            auto c = [&](int64_t v) -> Value {
              return arith::ConstantOp::create(
                  nb, nloc,
                  nb.getIntegerAttr(storage,
                                    APInt(width, static_cast<uint64_t>(v),
                                          /*isSigned=*/true,
                                          /*implicitTrunc=*/true)));
            };
            if (scalar == 0)
              return c(0);
            return arith::SubIOp::create(nb, nloc, c(in.qmax + in.qmin),
                                         args[0]);
          });
    }
    FailureOr<Value> result =
        applyPostOp(rewriter, op, op.getPostOpAttr(), nullptr, codes);
    if (failed(result))
      return failure();
    rewriter.replaceOp(op, *result);
    return success();
  }
};
} // namespace

void mlir::qnn::populateQNNArithmeticToLinalgPatterns(
    const TypeConverter &converter, RewritePatternSet &patterns,
    const EngineInfo &engine) {
  MLIRContext *ctx = patterns.getContext();
  patterns.add<AddToLinalg, MulToLinalg>(converter, ctx, engine);
  patterns.add<AddScalarToLinalg, MulScalarToLinalg>(converter, ctx);
}
