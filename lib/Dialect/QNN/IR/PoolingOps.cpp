//===- PoolingOps.cpp - qnn pooling ops -----------------------------------===//

#include "Verifiers.h"

#include "qnn/Dialect/QNN/Utils/Padding.h"
#include "qnn/Dialect/QNN/Utils/QuantUtils.h"

using namespace mlir;
using namespace mlir::qnn;
using namespace mlir::qnn::detail;

/// The checks of every pooling window: ranks, one entry per spatial
/// dimension, positive kernel/strides/dilations, padding within half the
/// kernel (PyTorch's rule), and the result shape PyTorch computes.
static LogicalResult verifyWindow(Operation *op, RankedTensorType input,
                                  RankedTensorType result,
                                  ArrayRef<int64_t> kernel,
                                  ArrayRef<int64_t> strides,
                                  ArrayRef<int64_t> padding,
                                  ArrayRef<int64_t> dilations, bool ceilMode) {
  int64_t rank = input.getRank();
  if (rank < 3 || rank > 5)
    return op->emitOpError() << "input must have rank 3, 4 or 5 (N, C, 1 to 3 "
                                "spatial dimensions), got rank "
                             << rank;
  int64_t numSpatial = rank - 2;
  for (auto [values, name] :
       {std::pair{kernel, "kernel"}, std::pair{strides, "strides"},
        std::pair{padding, "padding"}, std::pair{dilations, "dilations"}}) {
    if (static_cast<int64_t>(values.size()) != numSpatial)
      return op->emitOpError()
             << name << " must have " << numSpatial
             << " entries (one per spatial dimension), got " << values.size();
  }
  for (auto [values, name] :
       {std::pair{kernel, "kernel"}, std::pair{strides, "strides"},
        std::pair{dilations, "dilations"}})
    if (llvm::any_of(values, [](int64_t v) { return v < 1; }))
      return op->emitOpError()
             << name << " must be positive, got " << formatShape(values);
  SmallVector<int64_t> expected(input.getShape().take_front(2));
  for (int64_t i = 0; i < numSpatial; ++i) {
    if (padding[i] < 0 || 2 * padding[i] > kernel[i])
      return op->emitOpError()
             << "padding must be at most half the kernel, got padding "
             << padding[i] << " for kernel " << kernel[i]
             << " in spatial dimension " << i;
    int64_t in = input.getDimSize(2 + i);
    if (ShapedType::isDynamic(in)) {
      expected.push_back(ShapedType::kDynamic);
      continue;
    }
    int64_t size = getPooledSize(in, kernel[i], strides[i], padding[i],
                                 dilations[i], ceilMode);
    if (size < 1)
      return op->emitOpError()
             << "the window (kernel " << kernel[i] << ", dilation "
             << dilations[i] << ") does not fit the padded input size "
             << in + 2 * padding[i] << " in spatial dimension " << i;
    expected.push_back(size);
  }
  if (!shapesCompatible(result.getShape(), expected))
    return op->emitOpError()
           << "result shape " << formatShape(result.getShape())
           << " does not match expected " << formatShape(expected);
  return success();
}

//===----------------------------------------------------------------------===//
// MaxPoolOp
//===----------------------------------------------------------------------===//

LogicalResult MaxPoolOp::verify() {
  auto inputType = cast<RankedTensorType>(getInput().getType());
  auto resultType = cast<RankedTensorType>(getType());
  if (failed(verifyQuantizedTensor(*this, inputType, "input")) ||
      failed(verifyQuantizedTensor(*this, resultType, "result")))
    return failure();
  if (!QuantParams::get(getQuantizedElementType(inputType))->isPerTensor())
    return emitOpError("input must be quantized per tensor");
  if (inputType.getElementType() != resultType.getElementType())
    return emitOpError() << "result element type "
                         << resultType.getElementType()
                         << " must be the input's "
                         << inputType.getElementType();
  return verifyWindow(*this, inputType, resultType, getKernel(), getStrides(),
                      getPadding(), getDilations(), getCeilMode());
}

/// The checks of every average: a per-tensor quantized input of rank 4
/// (`rank` if given) and a result of the same element type.
static LogicalResult verifyAverage(Operation *op, RankedTensorType input,
                                   RankedTensorType result,
                                   std::optional<int64_t> rank = 4) {
  if (failed(verifyQuantizedTensor(op, input, "input")) ||
      failed(verifyQuantizedTensor(op, result, "result")))
    return failure();
  if (!QuantParams::get(getQuantizedElementType(input))->isPerTensor())
    return op->emitOpError("input must be quantized per tensor");
  if (input.getElementType() != result.getElementType())
    return op->emitOpError()
           << "result element type " << result.getElementType()
           << " must be the input's " << input.getElementType();
  if (rank && input.getRank() != *rank)
    return op->emitOpError() << "input must have rank 4 (N, C, H, W), got rank "
                             << input.getRank();
  return success();
}

/// Whether torch runs QNNPACK's average pooling on `type` under the op's
/// engine (qnnpack numerics, quint8, 8-bit).
static bool usesQnnpackPooling(Operation *op, RankedTensorType type) {
  const EngineInfo *engine = getEngine(op);
  QuantParams params = *QuantParams::get(getQuantizedElementType(type));
  return engine &&
         engine->usesQnnpackPooling(params.isSigned, params.storageWidth);
}

//===----------------------------------------------------------------------===//
// AvgPoolOp
//===----------------------------------------------------------------------===//

LogicalResult AvgPoolOp::verify() {
  auto inputType = cast<RankedTensorType>(getInput().getType());
  auto resultType = cast<RankedTensorType>(getType());
  if (failed(verifyAverage(*this, inputType, resultType)))
    return failure();
  SmallVector<int64_t> dilations(getKernel().size(), 1);
  if (failed(verifyWindow(*this, inputType, resultType, getKernel(),
                          getStrides(), getPadding(), dilations,
                          getCeilMode())))
    return failure();
  if (std::optional<int64_t> divisor = getDivisorOverride()) {
    if (*divisor == 0)
      return emitOpError("divisor_override must not be zero (torch: divisor "
                         "must be not zero)");
  }
  if (usesQnnpackPooling(*this, inputType) && !getCeilMode() &&
      llvm::all_of(getKernel(), [](int64_t k) { return k == 1; }))
    return emitOpError("under 'qnnpack' numerics a 1x1 kernel is refused for "
                       "quint8 (QNNPACK: 1x1 pooling is meaningless)");
  return success();
}

//===----------------------------------------------------------------------===//
// AdaptiveAvgPoolOp
//===----------------------------------------------------------------------===//

LogicalResult AdaptiveAvgPoolOp::verify() {
  auto inputType = cast<RankedTensorType>(getInput().getType());
  auto resultType = cast<RankedTensorType>(getType());
  if (failed(verifyAverage(*this, inputType, resultType)))
    return failure();
  if (resultType.getRank() != 4 ||
      !shapesCompatible(resultType.getShape().take_front(2),
                        inputType.getShape().take_front(2)))
    return emitOpError() << "result shape "
                         << formatShape(resultType.getShape())
                         << " must keep the input's N and C "
                         << formatShape(inputType.getShape().take_front(2));
  for (int64_t d : {2, 3})
    if (resultType.getDimSize(d) == 0 || inputType.getDimSize(d) == 0)
      return emitOpError("spatial sizes must be positive");
  return success();
}

//===----------------------------------------------------------------------===//
// MeanOp
//===----------------------------------------------------------------------===//

LogicalResult MeanOp::verify() {
  auto inputType = cast<RankedTensorType>(getInput().getType());
  auto resultType = cast<RankedTensorType>(getType());
  if (failed(verifyAverage(*this, inputType, resultType, std::nullopt)))
    return failure();
  int64_t rank = inputType.getRank();
  ArrayRef<int64_t> dims = getDims();
  if (dims.empty())
    return emitOpError("dims must not be empty");
  for (auto [i, d] : llvm::enumerate(dims))
    if (d != rank - static_cast<int64_t>(dims.size() - i))
      return emitOpError()
             << "dims must be the trailing dimensions in order (torch "
                "averages others in float32 with a cascade qnn does not "
                "model), got "
             << formatShape(dims) << " for rank " << rank;
  int64_t kept = rank - static_cast<int64_t>(dims.size());
  SmallVector<int64_t> dropped(inputType.getShape().take_front(kept));
  SmallVector<int64_t> keepdim(dropped);
  keepdim.append(dims.size(), 1);
  if (!shapesCompatible(resultType.getShape(), dropped) &&
      !shapesCompatible(resultType.getShape(), keepdim))
    return emitOpError() << "result shape "
                         << formatShape(resultType.getShape()) << " must be "
                         << formatShape(dropped) << " or "
                         << formatShape(keepdim) << " (keepdim)";
  return success();
}
