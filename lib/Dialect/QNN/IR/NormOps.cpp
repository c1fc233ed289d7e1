//===- NormOps.cpp - qnn normalization ops --------------------------------===//

#include "Verifiers.h"

#include "qnn/Dialect/QNN/Utils/QuantUtils.h"

using namespace mlir;
using namespace mlir::qnn;
using namespace mlir::qnn::detail;

/// Input and result of a normalization: per tensor, 8-bit, one shape and
/// storage type.
static LogicalResult verifyNormTypes(Operation *op, RankedTensorType input,
                                     RankedTensorType result) {
  if (failed(verifyActivationTensor(op, input, "input",
                                    /*contraction=*/false)) ||
      failed(verifyActivationTensor(op, result, "result",
                                    /*contraction=*/false)))
    return failure();
  if (!shapesCompatible(input.getShape(), result.getShape()))
    return op->emitOpError()
           << "result shape " << formatShape(result.getShape())
           << " differs from the input's " << formatShape(input.getShape());
  auto inQ = getQuantizedElementType(input);
  auto outQ = getQuantizedElementType(result);
  if (inQ.getStorageType() != outQ.getStorageType() ||
      inQ.isSigned() != outQ.isSigned())
    return op->emitOpError("result must have the input's storage type");
  return success();
}

static LogicalResult verifyEps(Operation *op, APFloat eps) {
  if (!(eps.convertToDouble() >= 0.0))
    return op->emitOpError()
           << "eps must be non-negative, got " << eps.convertToDouble();
  return success();
}

LogicalResult LayerNormOp::verify() {
  auto inputType = cast<RankedTensorType>(getInput().getType());
  if (failed(verifyNormTypes(*this, inputType,
                             cast<RankedTensorType>(getType()))) ||
      failed(verifyEps(*this, getEps())))
    return failure();
  int64_t rank = inputType.getRank(), normalized = getNormalizedRank();
  if (normalized < 1 || normalized > rank)
    return emitOpError() << "normalized_rank must be in [1, " << rank
                         << "], got " << normalized;
  ArrayRef<int64_t> shape = inputType.getShape().take_back(normalized);
  for (auto [value, name] :
       {std::pair{getWeight(), "weight"}, std::pair{getBias(), "bias"}}) {
    if (!value)
      continue;
    auto type = cast<RankedTensorType>(value.getType());
    if (!type.getElementType().isF32() ||
        !shapesCompatible(type.getShape(), shape) ||
        type.getRank() != normalized)
      return emitOpError() << name << " must be an f32 tensor of the "
                           << "normalized shape " << formatShape(shape)
                           << ", got " << type;
  }
  return success();
}

LogicalResult GroupNormOp::verify() {
  auto inputType = cast<RankedTensorType>(getInput().getType());
  if (failed(verifyNormTypes(*this, inputType,
                             cast<RankedTensorType>(getType()))) ||
      failed(verifyEps(*this, getEps())))
    return failure();
  if (inputType.getRank() < 2 || inputType.isDynamicDim(1))
    return emitOpError("input must have rank 2 or more (N, C, spatial...) "
                       "and a static channel count");
  int64_t channels = inputType.getDimSize(1), groups = getGroups();
  if (groups < 1 || channels % groups)
    return emitOpError() << "groups must divide the " << channels
                         << " channels, got " << groups;
  for (auto [value, name] :
       {std::pair{getWeight(), "weight"}, std::pair{getBias(), "bias"}}) {
    if (!value)
      continue;
    auto type = cast<RankedTensorType>(value.getType());
    if (!type.getElementType().isF32() || type.getRank() != 1 ||
        !shapesCompatible(type.getShape(), {channels}))
      return emitOpError() << name << " must be a tensor of " << channels
                           << " f32 values (one per channel), got " << type;
  }
  return success();
}

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
    return emitOpError() << "result shape "
                         << formatShape(resultType.getShape())
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
