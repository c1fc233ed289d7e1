//===- ContractionOps.cpp - qnn.linear and qnn.conv -----------------------===//

#include "Verifiers.h"

#include "qnn/Dialect/QNN/Utils/QuantUtils.h"

#include "mlir/IR/PatternMatch.h"

using namespace mlir;
using namespace mlir::qnn;
using namespace mlir::qnn::detail;

//===----------------------------------------------------------------------===//
// LinearOp
//===----------------------------------------------------------------------===//

LogicalResult LinearOp::verify() {
  auto inputType = cast<RankedTensorType>(getInput().getType());
  auto weightType = cast<RankedTensorType>(getWeight().getType());
  auto resultType = cast<RankedTensorType>(getType());
  if (inputType.getRank() < 2)
    return emitOpError() << "input must have rank >= 2 ([..., in_features]), "
                            "got rank "
                         << inputType.getRank();
  if (weightType.getRank() != 2)
    return emitOpError()
           << "weight must have rank 2 ([out_features, in_features]), got rank "
           << weightType.getRank();
  if (failed(verifyActivationTensor(*this, inputType, "input", true)) ||
      failed(verifyWeight(*this, weightType)) ||
      failed(verifyActivationTensor(*this, resultType, "result", true)))
    return failure();

  if (failed(verifyLinearShapes(*this, inputType, weightType, resultType,
                                getBias())))
    return failure();

  if (failed(verifyIntermediate(*this, getIntermediateAttr())))
    return failure();
  return verifyPostOp(*this, getPostOpAttr(), getContractionElementType(),
                      resultType.getElementType());
}

Type LinearOp::getContractionElementType() {
  if (TypeAttr intermediate = getIntermediateAttr())
    return intermediate.getValue();
  return getType().getElementType();
}

//===----------------------------------------------------------------------===//
// ConvOp
//===----------------------------------------------------------------------===//

LogicalResult mlir::qnn::detail::verifyConvAttributes(
    Operation *op, RankedTensorType inputType, RankedTensorType weightType,
    ArrayRef<std::pair<ArrayRef<int64_t>, StringRef>> lists,
    ArrayRef<int64_t> strides, ArrayRef<int64_t> padding,
    ArrayRef<int64_t> dilations) {
  int64_t rank = inputType.getRank();
  if (rank < 3 || rank > 5)
    return op->emitOpError() << "input must have rank 3, 4 or 5 (N, C, 1 to "
                                "3 spatial dimensions), got rank "
                             << rank;
  if (weightType.getRank() != rank)
    return op->emitOpError() << "weight rank " << weightType.getRank()
                             << " does not match input rank " << rank;
  int64_t numSpatial = rank - 2;
  for (auto [values, name] : lists)
    if (static_cast<int64_t>(values.size()) != numSpatial)
      return op->emitOpError()
             << name << " must have " << numSpatial
             << " entries (one per spatial dimension), got " << values.size();
  if (llvm::any_of(strides, [](int64_t s) { return s < 1; }))
    return op->emitOpError("strides must be positive");
  if (llvm::any_of(dilations, [](int64_t d) { return d < 1; }))
    return op->emitOpError("dilations must be positive");
  if (llvm::any_of(padding, [](int64_t p) { return p < 0; }))
    return op->emitOpError("padding must be non-negative");
  return success();
}

LogicalResult mlir::qnn::detail::verifyConvShapes(
    Operation *op, RankedTensorType inputType, RankedTensorType weightType,
    RankedTensorType resultType, ArrayRef<int64_t> strides,
    ArrayRef<int64_t> padding, ArrayRef<int64_t> dilations, int64_t groups,
    PaddingMode mode, Value bias) {
  if (failed(verifyConvAttributes(op, inputType, weightType,
                                  {{strides, "strides"},
                                   {padding, "padding"},
                                   {dilations, "dilations"}},
                                  strides, padding, dilations)) ||
      failed(verifyWeight(op, weightType, /*channelAxis=*/0)))
    return failure();
  int64_t numSpatial = inputType.getRank() - 2;
  if (groups < 1)
    return op->emitOpError() << "groups must be positive, got " << groups;
  int64_t inChannels = inputType.getDimSize(1);
  int64_t outChannels = weightType.getDimSize(0);
  if (!ShapedType::isDynamic(inChannels) && inChannels % groups != 0)
    return op->emitOpError()
           << "input channels (" << inChannels
           << ") are not divisible by groups (" << groups << ")";
  if (!ShapedType::isDynamic(outChannels) && outChannels % groups != 0)
    return op->emitOpError()
           << "output channels (" << outChannels
           << ") are not divisible by groups (" << groups << ")";
  int64_t weightInChannels = weightType.getDimSize(1);
  if (!ShapedType::isDynamic(inChannels) &&
      !ShapedType::isDynamic(weightInChannels) &&
      weightInChannels * groups != inChannels)
    return op->emitOpError()
           << "weight expects " << weightInChannels << " input channels per "
           << "group (" << groups << " groups) but the input has "
           << inChannels;

  SmallVector<int64_t> expected = {inputType.getDimSize(0), outChannels};
  for (int64_t i = 0; i < numSpatial; ++i) {
    int64_t in = inputType.getDimSize(i + 2);
    int64_t kernel = weightType.getDimSize(i + 2);
    int64_t pad = padding[i];
    if (!ShapedType::isDynamic(in) &&
        ((mode == PaddingMode::reflect && pad >= in) ||
         (mode == PaddingMode::circular && pad > in)))
      return op->emitOpError() << stringifyPaddingMode(mode) << " padding "
                               << pad << " is too large for input size " << in
                               << " in spatial dimension " << i;
    if (ShapedType::isDynamic(in) || ShapedType::isDynamic(kernel)) {
      expected.push_back(ShapedType::kDynamic);
      continue;
    }
    int64_t span = dilations[i] * (kernel - 1) + 1;
    if (in + 2 * pad < span)
      return op->emitOpError()
             << "kernel extent " << span << " exceeds padded input size "
             << in + 2 * pad << " in spatial dimension " << i;
    expected.push_back((in + 2 * pad - span) / strides[i] + 1);
  }
  if (!shapesCompatible(resultType.getShape(), expected))
    return op->emitOpError()
           << "result shape " << formatShape(resultType.getShape())
           << " does not match expected " << formatShape(expected);
  return verifyBias(op, bias, outChannels);
}

LogicalResult ConvOp::verify() {
  auto inputType = cast<RankedTensorType>(getInput().getType());
  auto weightType = cast<RankedTensorType>(getWeight().getType());
  auto resultType = cast<RankedTensorType>(getType());
  if (failed(verifyConvShapes(*this, inputType, weightType, resultType,
                              getStrides(), getPadding(), getDilations(),
                              getGroups(), getPaddingMode(), getBias())) ||
      failed(verifyActivationTensor(*this, inputType, "input", true)) ||
      failed(verifyActivationTensor(*this, resultType, "result", true)))
    return failure();
  if (Value addend = getAddend()) {
    auto addendType = cast<RankedTensorType>(addend.getType());
    if (failed(verifyActivationTensor(*this, addendType, "added input", false)))
      return failure();
    if (!shapesCompatible(addendType.getShape(), resultType.getShape()))
      return emitOpError() << "added input shape "
                           << formatShape(addendType.getShape())
                           << " does not match result shape "
                           << formatShape(resultType.getShape());
  }
  if (failed(verifyIntermediate(*this, getIntermediateAttr())))
    return failure();
  Type contraction = resultType.clone(getContractionElementType());
  if (Value addend = getAddend()) {
    // The conv is requantized to the intermediate type, then added to the
    // addend by the engine's add.
    if (failed(
            verifyAddScales(*this, contraction, addend.getType(), resultType)))
      return failure();
    return verifyPostOp(*this, getPostOpAttr(), resultType.getElementType(),
                        resultType.getElementType(), "an add");
  }
  return verifyPostOp(*this, getPostOpAttr(), getContractionElementType(),
                      resultType.getElementType());
}

Type ConvOp::getContractionElementType() {
  if (TypeAttr intermediate = getIntermediateAttr())
    return intermediate.getValue();
  return getType().getElementType();
}

//===----------------------------------------------------------------------===//
// ConvTransposeOp
//===----------------------------------------------------------------------===//

LogicalResult mlir::qnn::detail::verifyConvTransposeShapes(
    Operation *op, RankedTensorType inputType, RankedTensorType weightType,
    RankedTensorType resultType, ArrayRef<int64_t> strides,
    ArrayRef<int64_t> padding, ArrayRef<int64_t> outputPadding,
    ArrayRef<int64_t> dilations, int64_t groups, Value bias) {
  if (failed(verifyConvAttributes(op, inputType, weightType,
                                  {{strides, "strides"},
                                   {padding, "padding"},
                                   {outputPadding, "output_padding"},
                                   {dilations, "dilations"}},
                                  strides, padding, dilations)) ||
      failed(verifyWeight(op, weightType, /*channelAxis=*/1)))
    return failure();
  int64_t numSpatial = inputType.getRank() - 2;
  for (int64_t i = 0; i < numSpatial; ++i) {
    int64_t extra = outputPadding[i];
    if (extra < 0 || (extra >= strides[i] && extra >= dilations[i]))
      return op->emitOpError()
             << "output_padding " << extra
             << " must be non-negative and smaller than the stride or the "
                "dilation in spatial dimension "
             << i;
  }

  if (groups < 1)
    return op->emitOpError() << "groups must be positive, got " << groups;
  int64_t inChannels = inputType.getDimSize(1);
  if (!ShapedType::isDynamic(inChannels) && inChannels % groups != 0)
    return op->emitOpError()
           << "input channels (" << inChannels
           << ") are not divisible by groups (" << groups << ")";
  if (!shapesCompatible({inChannels}, {weightType.getDimSize(0)}))
    return op->emitOpError()
           << "weight expects " << weightType.getDimSize(0)
           << " input channels but the input has " << inChannels;
  int64_t outChannels = ShapedType::isDynamic(weightType.getDimSize(1))
                            ? ShapedType::kDynamic
                            : weightType.getDimSize(1) * groups;

  SmallVector<int64_t> expected = {inputType.getDimSize(0), outChannels};
  for (int64_t i = 0; i < numSpatial; ++i) {
    int64_t in = inputType.getDimSize(i + 2);
    int64_t kernel = weightType.getDimSize(i + 2);
    if (ShapedType::isDynamic(in) || ShapedType::isDynamic(kernel)) {
      expected.push_back(ShapedType::kDynamic);
      continue;
    }
    int64_t size = (in - 1) * strides[i] - 2 * padding[i] +
                   dilations[i] * (kernel - 1) + outputPadding[i] + 1;
    if (size < 1)
      return op->emitOpError()
             << "padding " << padding[i]
             << " leaves no output in spatial dimension " << i;
    expected.push_back(size);
  }
  if (!shapesCompatible(resultType.getShape(), expected))
    return op->emitOpError()
           << "result shape " << formatShape(resultType.getShape())
           << " does not match expected " << formatShape(expected);
  return verifyBias(op, bias, outChannels);
}

LogicalResult ConvTransposeOp::verify() {
  auto inputType = cast<RankedTensorType>(getInput().getType());
  auto weightType = cast<RankedTensorType>(getWeight().getType());
  auto resultType = cast<RankedTensorType>(getType());
  if (failed(verifyConvTransposeShapes(
          *this, inputType, weightType, resultType, getStrides(), getPadding(),
          getOutputPadding(), getDilations(), getGroups(), getBias())))
    return failure();
  return success(
      succeeded(verifyActivationTensor(*this, inputType, "input", true)) &&
      succeeded(verifyActivationTensor(*this, resultType, "result", true)));
}
