//===- CastOps.cpp - quantize, dequantize, requantize ---------------------===//

#include "Verifiers.h"

#include "qnn/Dialect/QNN/Utils/QuantUtils.h"

#include "mlir/IR/PatternMatch.h"

using namespace mlir;
using namespace mlir::qnn;
using namespace mlir::qnn::detail;

//===----------------------------------------------------------------------===//
// QuantizeOp / DequantizeOp / RequantizeOp
//===----------------------------------------------------------------------===//

/// Shared by the three casts: same shape, float side matching the expressed
/// type of the quantized side.
static LogicalResult verifyCast(Operation *op, Type inputType,
                                Type resultType) {
  auto in = cast<RankedTensorType>(inputType);
  auto out = cast<RankedTensorType>(resultType);
  if (!shapesCompatible(in.getShape(), out.getShape()))
    return op->emitOpError()
           << "input shape " << formatShape(in.getShape())
           << " does not match result shape " << formatShape(out.getShape());
  for (auto [type, name] :
       {std::pair{inputType, "input"}, std::pair{resultType, "result"}}) {
    if (getQuantizedElementType(type)) {
      if (failed(verifyQuantizedTensor(op, type, name)))
        return failure();
    } else if (!cast<RankedTensorType>(type).getElementType().isF32()) {
      return op->emitOpError() << name << " float type must be f32, got "
                               << cast<RankedTensorType>(type).getElementType();
    }
  }
  return success();
}

LogicalResult QuantizeOp::verify() {
  return verifyCast(*this, getInput().getType(), getType());
}

OpFoldResult QuantizeOp::fold(FoldAdaptor) {
  // quantize(dequantize(x)) to the type of x is x.
  if (auto dq = getInput().getDefiningOp<DequantizeOp>())
    if (dq.getInput().getType() == getType())
      return dq.getInput();
  return {};
}

LogicalResult DequantizeOp::verify() {
  return verifyCast(*this, getInput().getType(), getType());
}

LogicalResult RequantizeOp::verify() {
  if (failed(verifyCast(*this, getInput().getType(), getType())))
    return failure();
  std::optional<int64_t> fma = getFmaChannels();
  if (!fma)
    return success();
  auto type = cast<RankedTensorType>(getInput().getType());
  if (!isa<quant::UniformQuantizedType>(type.getElementType()))
    return emitOpError("fma_channels needs an input quantized per tensor");
  if (type.getRank() < 2 || type.isDynamicDim(1))
    return emitOpError("fma_channels needs a static dimension 1");
  if (*fma < 0 || *fma > type.getDimSize(1))
    return emitOpError() << "fma_channels must be in [0, " << type.getDimSize(1)
                         << "], got " << *fma;
  return success();
}

OpFoldResult RequantizeOp::fold(FoldAdaptor) {
  if (getInput().getType() == getType())
    return getInput();
  return {};
}
