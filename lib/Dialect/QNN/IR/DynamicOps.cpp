//===- DynamicOps.cpp - dynamic quantization verifiers --------------------===//

#include "Verifiers.h"

#include "mlir/Dialect/Quant/IR/QuantTypes.h"

using namespace mlir;
using namespace mlir::qnn;
using namespace mlir::qnn::detail;

//===----------------------------------------------------------------------===//
// choose_qparams, quantize_dynamic, dequantize_dynamic
//===----------------------------------------------------------------------===//

LogicalResult ChooseQParamsOp::verify() {
  auto qmin = static_cast<int64_t>(getQmin()),
       qmax = static_cast<int64_t>(getQmax());
  if (qmin >= qmax)
    return emitOpError() << "range [" << qmin << ", " << qmax
                         << "] must have qmin < qmax";
  if (qmin < INT32_MIN || qmax > INT32_MAX)
    return emitOpError() << "range [" << qmin << ", " << qmax
                         << "] must fit int32 zero points";
  return success();
}

/// The codes of quantize_dynamic / dequantize_dynamic: an integer storage
/// type expressed in f32, of the float tensor's shape.
static LogicalResult verifyDynamicCodes(Operation *op, RankedTensorType codes,
                                        RankedTensorType values) {
  auto element = cast<quant::AnyQuantizedType>(codes.getElementType());
  if (!element.getExpressedType() || !element.getExpressedType().isF32())
    return op->emitOpError()
           << "codes must be expressed in f32, got " << element;
  if (!shapesCompatible(codes.getShape(), values.getShape()) ||
      codes.getRank() != values.getRank())
    return op->emitOpError() << "codes shape " << formatShape(codes.getShape())
                             << " does not match the float shape "
                             << formatShape(values.getShape());
  return success();
}

LogicalResult QuantizeDynamicOp::verify() {
  return verifyDynamicCodes(*this, getType(),
                            cast<RankedTensorType>(getInput().getType()));
}

LogicalResult DequantizeDynamicOp::verify() {
  return verifyDynamicCodes(*this, cast<RankedTensorType>(getInput().getType()),
                            getType());
}

//===----------------------------------------------------------------------===//
// dynamic_linear
//===----------------------------------------------------------------------===//

LogicalResult DynamicLinearOp::verify() {
  auto inputType = cast<RankedTensorType>(getInput().getType());
  auto weightType = cast<RankedTensorType>(getWeight().getType());
  RankedTensorType resultType = getType();
  if (inputType.getRank() < 1)
    return emitOpError() << "input must have rank >= 1 ([..., in_features])";
  if (weightType.getRank() != 2)
    return emitOpError()
           << "weight must have rank 2 ([out_features, in_features]), got rank "
           << weightType.getRank();
  if (failed(verifyWeight(*this, weightType)))
    return failure();
  if (resultType.getRank() != inputType.getRank())
    return emitOpError() << "result must have the input's rank "
                         << inputType.getRank() << ", got "
                         << resultType.getRank();
  return verifyLinearShapes(*this, inputType, weightType, resultType,
                            getBias());
}

//===----------------------------------------------------------------------===//
// dynamic_conv, dynamic_conv_transpose
//===----------------------------------------------------------------------===//

LogicalResult DynamicConvOp::verify() {
  return verifyConvShapes(*this, cast<RankedTensorType>(getInput().getType()),
                          cast<RankedTensorType>(getWeight().getType()),
                          getType(), getStrides(), getPadding(), getDilations(),
                          getGroups(), getPaddingMode(), getBias());
}

LogicalResult DynamicConvTransposeOp::verify() {
  return verifyConvTransposeShapes(
      *this, cast<RankedTensorType>(getInput().getType()),
      cast<RankedTensorType>(getWeight().getType()), getType(), getStrides(),
      getPadding(), getOutputPadding(), getDilations(), getGroups(), getBias());
}
