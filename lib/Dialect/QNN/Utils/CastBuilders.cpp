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

Value mlir::qnn::buildQuantize(OpBuilder &b, Location loc, Value x,
                               const QuantParams &params, Type storageType) {
  auto floatType = cast<RankedTensorType>(x.getType());
  SmallVector<float> inverse =
      llvm::map_to_vector(params.scales, reciprocalScale);
  SmallVector<float> zeroPoints = llvm::map_to_vector(
      params.zeroPoints, [](int64_t z) { return static_cast<float>(z); });

  // f32(zp + roundeven(x * f32(1/s))), as PyTorch computes it.
  Value scaled = arith::MulFOp::create(
      b, loc, x, buildParamTensor(b, loc, floatType, params, inverse));
  Value rounded = math::RoundEvenOp::create(b, loc, scaled);
  Value shifted = arith::AddFOp::create(
      b, loc, rounded, buildParamTensor(b, loc, floatType, params, zeroPoints));
  // PyTorch converts that to int64 with x86's cvttss2si, which gives the
  // most negative int64 for NaN and for anything outside the int64 range,
  // and then clamps to [qmin, qmax] in int64.
  auto i64Type = floatType.clone(b.getI64Type());
  Value inRange = arith::AndIOp::create(
      b, loc,
      arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGE, shifted,
                            splat(b, loc, floatType, -0x1p63f)),
      arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLT, shifted,
                            splat(b, loc, floatType, 0x1p63f)));
  Value safe = arith::SelectOp::create(b, loc, inRange, shifted,
                                       splat(b, loc, floatType, 0.0f));
  auto i64Splat = [&](int64_t v) -> Value {
    return arith::ConstantOp::create(
        b, loc, DenseElementsAttr::get(i64Type, b.getI64IntegerAttr(v)));
  };
  Value asInt = arith::SelectOp::create(
      b, loc, inRange, arith::FPToSIOp::create(b, loc, i64Type, safe),
      i64Splat(params.qmin));
  Value clamped = arith::MinSIOp::create(
      b, loc, arith::MaxSIOp::create(b, loc, asInt, i64Splat(params.qmin)),
      i64Splat(params.qmax));
  return arith::TruncIOp::create(b, loc, floatType.clone(storageType), clamped);
}

Value mlir::qnn::buildDequantize(OpBuilder &b, Location loc, Value q,
                                 const QuantParams &params) {
  auto storageType = cast<RankedTensorType>(q.getType());
  auto i32Type = storageType.clone(b.getI32Type());
  Value wide = q;
  if (params.storageWidth < 32)
    wide = params.isSigned
               ? arith::ExtSIOp::create(b, loc, i32Type, q).getResult()
               : arith::ExtUIOp::create(b, loc, i32Type, q).getResult();
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
