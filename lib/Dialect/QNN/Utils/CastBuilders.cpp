//===- CastBuilders.cpp - quantize / dequantize as arith on tensors ------===//

#include "qnn/Dialect/QNN/Utils/CastBuilders.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace mlir::qnn;

static Value splat(OpBuilder &b, Location loc, RankedTensorType type,
                   float value) {
  return arith::ConstantOp::create(
      b, loc, DenseElementsAttr::get(type, b.getF32FloatAttr(value)));
}

Value mlir::qnn::buildParamTensor(OpBuilder &b, Location loc,
                                  RankedTensorType shapeType,
                                  const QuantParams &params,
                                  ArrayRef<float> values) {
  auto type = shapeType.clone(b.getF32Type());
  if (params.isPerTensor() || llvm::all_equal(values))
    return splat(b, loc, type, values[0]);
  int64_t axis = *params.axis;
  auto vecType = RankedTensorType::get({static_cast<int64_t>(values.size())},
                                       b.getF32Type());
  Value vec = arith::ConstantOp::create(
      b, loc, DenseElementsAttr::get(vecType, values));
  SmallVector<int64_t> dims;
  for (int64_t d = 0; d < type.getRank(); ++d)
    if (d != axis)
      dims.push_back(d);
  Value empty =
      tensor::EmptyOp::create(b, loc, type.getShape(), b.getF32Type());
  return linalg::BroadcastOp::create(b, loc, vec, empty, dims).getResult()[0];
}

/// A constant of `like`'s type: a splat for a tensor, else a scalar.
static Value constantLike(OpBuilder &b, Location loc, Type like,
                          TypedAttr value) {
  if (auto tensor = dyn_cast<RankedTensorType>(like))
    return arith::ConstantOp::create(b, loc,
                                     DenseElementsAttr::get(tensor, value));
  return arith::ConstantOp::create(b, loc, value);
}

/// The quantization formula on f32 values: tensors (every operand of one
/// shape) or scalars (inside a linalg body).
static Value quantizeValues(OpBuilder &b, Location loc, Value x, Value inverse,
                            Value zeroPoint, int64_t qmin, int64_t qmax,
                            Type storageType, bool zeroPointBeforeRounding) {
  Type floatType = x.getType();
  auto withElement = [&](Type element) -> Type {
    if (auto tensor = dyn_cast<RankedTensorType>(floatType))
      return tensor.clone(element);
    return element;
  };
  auto f32 = [&](float v) {
    return constantLike(b, loc, floatType, b.getF32FloatAttr(v));
  };
  // f32(zp + roundeven(x * f32(1/s))), as PyTorch computes it; oneDNN's
  // reorder rounds f32(x * f32(1/s) + zp) instead.
  Value scaled = arith::MulFOp::create(b, loc, x, inverse);
  Value shifted;
  if (zeroPointBeforeRounding)
    shifted = math::RoundEvenOp::create(
        b, loc, arith::AddFOp::create(b, loc, scaled, zeroPoint));
  else
    shifted = arith::AddFOp::create(
        b, loc, math::RoundEvenOp::create(b, loc, scaled), zeroPoint);
  // PyTorch converts that to int64 with x86's cvttss2si, which gives the
  // most negative int64 for NaN and for anything outside the int64 range,
  // and then clamps to [qmin, qmax] in int64.
  Type i64Type = withElement(b.getI64Type());
  Value inRange = arith::AndIOp::create(
      b, loc,
      arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGE, shifted,
                            f32(-0x1p63f)),
      arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLT, shifted,
                            f32(0x1p63f)));
  Value safe = arith::SelectOp::create(b, loc, inRange, shifted, f32(0.0f));
  auto i64 = [&](int64_t v) {
    return constantLike(b, loc, i64Type, b.getI64IntegerAttr(v));
  };
  Value asInt = arith::SelectOp::create(
      b, loc, inRange, arith::FPToSIOp::create(b, loc, i64Type, safe),
      i64(qmin));
  Value clamped = arith::MinSIOp::create(
      b, loc, arith::MaxSIOp::create(b, loc, asInt, i64(qmin)), i64(qmax));
  return arith::TruncIOp::create(b, loc, withElement(storageType), clamped);
}

Value mlir::qnn::buildQuantize(OpBuilder &b, Location loc, Value x,
                               Value inverse, Value zeroPoint, int64_t qmin,
                               int64_t qmax, Type storageType,
                               bool zeroPointBeforeRounding) {
  return quantizeValues(b, loc, x, inverse, zeroPoint, qmin, qmax, storageType,
                        zeroPointBeforeRounding);
}

/// One linalg.generic over `x`'s elements computing `body` of each, which
/// may capture scalars from above (run-time parameters, unsplatted).
static Value buildMap(OpBuilder &b, Location loc, Value x, Type element,
                      function_ref<Value(OpBuilder &, Location, Value)> body) {
  auto type = cast<RankedTensorType>(x.getType());
  int64_t rank = type.getRank();
  Value init = tensor::EmptyOp::create(b, loc, type.getShape(), element);
  AffineMap identity = b.getMultiDimIdentityMap(rank);
  return linalg::GenericOp::create(
             b, loc, TypeRange{type.clone(element)}, ValueRange{x},
             ValueRange{init}, SmallVector<AffineMap>{identity, identity},
             SmallVector<utils::IteratorType>(rank,
                                              utils::IteratorType::parallel),
             [&](OpBuilder &nb, Location nloc, ValueRange args) {
               linalg::YieldOp::create(nb, nloc, body(nb, nloc, args[0]));
             })
      .getResult(0);
}

Value mlir::qnn::buildQuantize(OpBuilder &b, Location loc, Value x,
                               const QuantParams &params, Type storageType) {
  auto floatType = cast<RankedTensorType>(x.getType());
  SmallVector<float> inverse =
      llvm::map_to_vector(params.scales, reciprocalScale);
  SmallVector<float> zeroPoints = llvm::map_to_vector(
      params.zeroPoints, [](int64_t z) { return static_cast<float>(z); });
  return buildQuantize(b, loc, x,
                       buildParamTensor(b, loc, floatType, params, inverse),
                       buildParamTensor(b, loc, floatType, params, zeroPoints),
                       params.qmin, params.qmax, storageType);
}

/// The storage integers `q` extended to i32 by their signedness.
static Value extendToI32(OpBuilder &b, Location loc, Value q, bool isSigned) {
  auto storageType = cast<RankedTensorType>(q.getType());
  if (storageType.getElementTypeBitWidth() >= 32)
    return q;
  auto i32Type = storageType.clone(b.getI32Type());
  return isSigned ? arith::ExtSIOp::create(b, loc, i32Type, q).getResult()
                  : arith::ExtUIOp::create(b, loc, i32Type, q).getResult();
}

Value mlir::qnn::buildDequantize(OpBuilder &b, Location loc, Value q,
                                 const QuantParams &params) {
  auto storageType = cast<RankedTensorType>(q.getType());
  auto i32Type = storageType.clone(b.getI32Type());
  Value wide = extendToI32(b, loc, q, params.isSigned);
  // f32(s) * f32(q - zp), the subtraction in wrapping int32 as in PyTorch.
  Value centered = wide;
  if (llvm::any_of(params.zeroPoints, [](int64_t z) { return z != 0; })) {
    SmallVector<int32_t> zeroPoints = llvm::map_to_vector(
        params.zeroPoints, [](int64_t z) { return static_cast<int32_t>(z); });
    Value zp;
    if (params.isPerTensor() || llvm::all_equal(zeroPoints)) {
      zp = arith::ConstantOp::create(
          b, loc,
          DenseElementsAttr::get(i32Type, b.getI32IntegerAttr(zeroPoints[0])));
    } else {
      auto vecType = RankedTensorType::get(
          {static_cast<int64_t>(zeroPoints.size())}, b.getI32Type());
      Value vec = arith::ConstantOp::create(
          b, loc, DenseElementsAttr::get(vecType, ArrayRef(zeroPoints)));
      SmallVector<int64_t> dims;
      for (int64_t d = 0; d < i32Type.getRank(); ++d)
        if (d != *params.axis)
          dims.push_back(d);
      Value empty =
          tensor::EmptyOp::create(b, loc, i32Type.getShape(), b.getI32Type());
      zp = linalg::BroadcastOp::create(b, loc, vec, empty, dims).getResult()[0];
    }
    centered = arith::SubIOp::create(b, loc, wide, zp);
  }
  auto floatType = storageType.clone(b.getF32Type());
  Value asFloat = arith::SIToFPOp::create(b, loc, floatType, centered);
  SmallVector<float> scales = llvm::map_to_vector(
      params.scales, [](double s) { return static_cast<float>(s); });
  return arith::MulFOp::create(
      b, loc, asFloat, buildParamTensor(b, loc, floatType, params, scales));
}

Value mlir::qnn::buildQuantizeWithInverse(OpBuilder &b, Location loc, Value x,
                                          Value inverse, Value zeroPoint,
                                          int64_t qmin, int64_t qmax,
                                          Type storageType,
                                          bool zeroPointBeforeRounding) {
  Value zp = arith::SIToFPOp::create(b, loc, b.getF32Type(), zeroPoint);
  return buildMap(
      b, loc, x, storageType, [&](OpBuilder &nb, Location nloc, Value element) {
        return quantizeValues(nb, nloc, element, inverse, zp, qmin, qmax,
                              storageType, zeroPointBeforeRounding);
      });
}

Value mlir::qnn::buildQuantizeDynamic(OpBuilder &b, Location loc, Value x,
                                      Value scale, Value zeroPoint,
                                      quant::AnyQuantizedType element) {
  // torch.quantize_per_tensor's f32(1 / f32(scale)).
  Value inverse = arith::DivFOp::create(
      b, loc, arith::ConstantOp::create(b, loc, b.getF32FloatAttr(1.0f)),
      arith::TruncFOp::create(b, loc, b.getF32Type(), scale));
  return buildQuantizeWithInverse(
      b, loc, x, inverse, zeroPoint, element.getStorageTypeMin(),
      element.getStorageTypeMax(), element.getStorageType());
}

Value mlir::qnn::buildDequantizeDynamic(OpBuilder &b, Location loc, Value q,
                                        Value scale, Value zeroPoint,
                                        bool isSigned) {
  // f32(s) * f32(q - zp), the subtraction in wrapping int32 as in PyTorch.
  Value scale32 = arith::TruncFOp::create(b, loc, b.getF32Type(), scale);
  return buildMap(
      b, loc, q, b.getF32Type(),
      [&](OpBuilder &nb, Location nloc, Value code) -> Value {
        Value wide = code;
        if (code.getType().getIntOrFloatBitWidth() < 32)
          wide = isSigned
                     ? arith::ExtSIOp::create(nb, nloc, nb.getI32Type(), code)
                           .getResult()
                     : arith::ExtUIOp::create(nb, nloc, nb.getI32Type(), code)
                           .getResult();
        Value centered = arith::SubIOp::create(nb, nloc, wide, zeroPoint);
        return arith::MulFOp::create(
            nb, nloc,
            arith::SIToFPOp::create(nb, nloc, nb.getF32Type(), centered),
            scale32);
      });
}
