//===- QNNDialect.cpp - qnn dialect registration --------------------------===//

#include "qnn/Dialect/QNN/IR/QNNDialect.h"
#include "qnn/Dialect/QNN/IR/QNNOps.h"

#include "mlir/IR/BuiltinOps.h"

using namespace mlir;
using namespace mlir::qnn;

#include "qnn/Dialect/QNN/IR/QNNOpsDialect.cpp.inc"

void QNNDialect::initialize() {
  registerAttributes();
  addOperations<
#define GET_OP_LIST
#include "qnn/Dialect/QNN/IR/QNNOps.cpp.inc"
      >();
}

LogicalResult QNNDialect::verifyOperationAttribute(Operation *op,
                                                   NamedAttribute attr) {
  if (attr.getName() == getRuntimeCallAttrName()) {
    if (!isa<IntegerAttr>(attr.getValue()))
      return op->emitError()
             << "'" << getRuntimeCallAttrName() << "' must be an integer";
    return success();
  }
  if (attr.getName() == getRuntimeCallsAttrName()) {
    if (!isa<ModuleOp>(op) || !isa<IntegerAttr>(attr.getValue()))
      return op->emitError() << "'" << getRuntimeCallsAttrName()
                             << "' must be an integer on a builtin.module";
    return success();
  }
  if (attr.getName() != getNumericsAttrName())
    return op->emitError() << "unknown qnn attribute '"
                           << attr.getName().getValue() << "'";
  if (!isa<ModuleOp>(op))
    return op->emitError() << "'" << getNumericsAttrName()
                           << "' may only be attached to a builtin.module";
  auto value = dyn_cast<StringAttr>(attr.getValue());
  if (!value || !symbolizeNumerics(value.getValue()))
    return op->emitError() << "'" << getNumericsAttrName() << "' must be "
                           << listNumericsNames() << ", got "
                           << attr.getValue();
  return success();
}
