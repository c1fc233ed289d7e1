//===- Reshape.cpp - reshapes through a flat view -------------------------===//

#include "qnn/Dialect/QNN/Utils/Reshape.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;

Value qnn::buildReshape(OpBuilder &b, Location loc, Value value,
                        ArrayRef<int64_t> shape) {
  auto type = cast<RankedTensorType>(value.getType());
  if (type.getShape() == shape)
    return value;
  auto all = [](int64_t rank) {
    return SmallVector<ReassociationIndices>{
        llvm::to_vector(llvm::seq<int64_t>(0, rank))};
  };
  if (type.getRank() != 1)
    value = tensor::CollapseShapeOp::create(b, loc, value, all(type.getRank()));
  if (shape.size() == 1)
    return value;
  return tensor::ExpandShapeOp::create(
      b, loc, RankedTensorType::get(shape, type.getElementType()), value,
      all(static_cast<int64_t>(shape.size())));
}
