//===- NormOps.cpp - qnn normalization ops --------------------------------===//

#include "Verifiers.h"

#include "qnn/Dialect/QNN/Utils/QuantUtils.h"

using namespace mlir;
using namespace mlir::qnn;
using namespace mlir::qnn::detail;

LogicalResult BatchNormOp::verify() {
  auto inputType = cast<RankedTensorType>(getInput().getType());
  auto resultType = cast<RankedTensorType>(getType());
  int64_t rank = inputType.getRank();
  if (rank != 4 && rank != 5)
    return emitOpError() << "input must have rank 4 or 5 (N, C and 2 or 3 "
                            "spatial dimensions, as torch's quantized "
                            "batch_norm2d/3d), got rank "
                         << rank;
  if (failed(verifyActivationTensor(*this, inputType, "input",
                                    /*contraction=*/false)) ||
      failed(verifyActivationTensor(*this, resultType, "result",
                                    /*contraction=*/false)))
    return failure();
  if (!shapesCompatible(inputType.getShape(), resultType.getShape()))
    return emitOpError() << "result shape " << formatShape(resultType.getShape())
                         << " differs from the input's "
                         << formatShape(inputType.getShape());
  auto inQ = getQuantizedElementType(inputType);
  auto outQ = getQuantizedElementType(resultType);
  if (inQ.getStorageType() != outQ.getStorageType() ||
      inQ.isSigned() != outQ.isSigned())
    return emitOpError("result must have the input's storage type");
  int64_t channels = inputType.getDimSize(1);
  for (auto [value, name] :
       {std::pair{getWeight(), "weight"}, std::pair{getBias(), "bias"},
        std::pair{getMean(), "mean"}, std::pair{getVar(), "var"}}) {
    auto type = cast<RankedTensorType>(value.getType());
    if (!type.getElementType().isF32() || type.getRank() != 1 ||
        !shapesCompatible(type.getShape(), {channels}))
      return emitOpError() << name << " must be a tensor of " << channels
                           << " f32 values (one per channel), got " << type;
  }
  if (!(getEps().convertToDouble() >= 0.0))
    return emitOpError() << "eps must be non-negative, got "
                         << getEps().convertToDouble();
  if (ActivationAttr postOp = getPostOpAttr())
    if (postOp.getName() != "relu")
      return emitOpError() << "post_op must be relu (BNReLU), got "
                           << postOp.getName();
  return success();
}
