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
