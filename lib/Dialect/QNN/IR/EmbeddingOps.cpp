//===- EmbeddingOps.cpp - qnn.embedding and qnn.embedding_bag -------------===//

#include "Verifiers.h"

using namespace mlir;
using namespace mlir::qnn;
using namespace mlir::qnn::detail;

/// The table: codes `N x D` with scales and biases `N` of one float type,
/// or float rows without them.
static LogicalResult verifyTable(Operation *op, Value weight,
                                 ValueRange rowParameters) {
  auto weightType = cast<RankedTensorType>(weight.getType());
  bool codes = weightType.getElementType().isInteger(8);
  if (codes != (rowParameters.size() == 2) ||
      (!codes && !rowParameters.empty()))
    return op->emitOpError()
           << "a table of " << weightType.getElementType()
           << (codes ? " codes needs row_parameters (scales, biases)"
                     : " rows takes no row_parameters")
           << ", got " << rowParameters.size();
  if (!codes)
    return success();
  Value scales = rowParameters[0], biases = rowParameters[1];
  auto scalesType = cast<RankedTensorType>(scales.getType());
  if (scalesType != biases.getType())
    return op->emitOpError() << "scales " << scalesType << " and biases "
                             << biases.getType() << " must have one type";
  if (!shapesCompatible(scalesType.getShape(), {weightType.getDimSize(0)}))
    return op->emitOpError()
           << "scales and biases must have one entry per row of the "
           << formatShape(weightType.getShape()) << " table, got "
           << formatShape(scalesType.getShape());
  return success();
}

LogicalResult EmbeddingOp::verify() {
  if (failed(verifyTable(*this, getWeight(), getRowParameters())))
    return failure();
  auto weightType = cast<RankedTensorType>(getWeight().getType());
  SmallVector<int64_t> expected(getIndices().getType().getShape());
  expected.push_back(weightType.getDimSize(1));
  if (!shapesCompatible(getType().getShape(), expected))
    return emitOpError() << "result shape " << formatShape(getType().getShape())
                         << " does not match expected "
                         << formatShape(expected);
  return success();
}

LogicalResult EmbeddingBagOp::verify() {
  if (failed(verifyTable(*this, getWeight(), getRowParameters())))
    return failure();
  auto weightType = cast<RankedTensorType>(getWeight().getType());
  int64_t numIndices = getIndices().getType().getDimSize(0);
  if (Value weights = getPerSampleWeights()) {
    // As PyTorch's float EmbeddingBag.
    if (getMode() != BagMode::sum)
      return emitOpError("per_sample_weights are only supported with mode "
                         "sum");
    auto weightsType = cast<RankedTensorType>(weights.getType());
    if (!shapesCompatible(weightsType.getShape(), {numIndices}))
      return emitOpError() << "per_sample_weights must have one entry per "
                              "index ("
                           << numIndices << "), got "
                           << formatShape(weightsType.getShape());
  }
  if (std::optional<int64_t> padding = getPaddingIdx()) {
    int64_t rows = weightType.getDimSize(0);
    if (*padding < 0 || (!ShapedType::isDynamic(rows) && *padding >= rows))
      return emitOpError() << "padding_idx " << *padding
                           << " is not a row of the table (" << rows
                           << " rows)";
  }
  int64_t numOffsets = getOffsets().getType().getDimSize(0);
  int64_t bags = numOffsets;
  if (getIncludeLastOffset() && !ShapedType::isDynamic(numOffsets)) {
    if (numOffsets < 1)
      return emitOpError("include_last_offset needs at least one offset");
    bags = numOffsets - 1;
  }
  SmallVector<int64_t> expected = {bags, weightType.getDimSize(1)};
  if (!shapesCompatible(getType().getShape(), expected))
    return emitOpError() << "result shape " << formatShape(getType().getShape())
                         << " does not match expected "
                         << formatShape(expected);
  return success();
}
