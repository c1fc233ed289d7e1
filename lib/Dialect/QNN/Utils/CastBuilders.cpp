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

  Value scaled = arith::MulFOp::create(
      b, loc, x, buildParamTensor(b, loc, floatType, params, inverse));
  Value rounded = math::RoundEvenOp::create(b, loc, scaled);
  Value shifted = arith::AddFOp::create(
      b, loc, rounded, buildParamTensor(b, loc, floatType, params, zeroPoints));
  // maxnumf/minnumf send NaN to qmin, like the scalar reference.
  Value clamped = arith::MinNumFOp::create(
      b, loc,
      arith::MaxNumFOp::create(b, loc, shifted,
                               splat(b, loc, floatType, params.qmin)),
      splat(b, loc, floatType, params.qmax));
  Value asInt =
      arith::FPToSIOp::create(b, loc, floatType.clone(b.getI32Type()), clamped);
  if (storageType.getIntOrFloatBitWidth() == 32)
    return asInt;
  return arith::TruncIOp::create(b, loc, floatType.clone(storageType), asInt);
}

Value mlir::qnn::buildDequantize(OpBuilder &b, Location loc, Value q,
                                 const QuantParams &params) {
  auto storageType = cast<RankedTensorType>(q.getType());
  Value wide = q;
  if (params.storageWidth < 32) {
    auto i32Type = storageType.clone(b.getI32Type());
    wide = params.isSigned
               ? arith::ExtSIOp::create(b, loc, i32Type, q).getResult()
               : arith::ExtUIOp::create(b, loc, i32Type, q).getResult();
  }
  // q - zp is exact in f32 for storage widths up to 16 bits; subtracting in
  // float keeps per-axis zero points a broadcast float tensor.
  auto floatType = storageType.clone(b.getF32Type());
  Value asFloat = arith::SIToFPOp::create(b, loc, floatType, wide);
  SmallVector<float> zeroPoints = llvm::map_to_vector(
      params.zeroPoints, [](int64_t z) { return static_cast<float>(z); });
  SmallVector<float> scales = llvm::map_to_vector(
      params.scales, [](double s) { return static_cast<float>(s); });
  Value centered = arith::SubFOp::create(
      b, loc, asFloat, buildParamTensor(b, loc, floatType, params, zeroPoints));
  return arith::MulFOp::create(
      b, loc, centered, buildParamTensor(b, loc, floatType, params, scales));
}
