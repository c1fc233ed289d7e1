//===- QNNAttrs.h - qnn attributes ------------------------------*- C++ -*-===//

#ifndef QNN_DIALECT_QNN_IR_QNNATTRS_H
#define QNN_DIALECT_QNN_IR_QNNATTRS_H

#include "qnn/Dialect/QNN/IR/Activations.h"
#include "qnn/Dialect/QNN/IR/QNNEnums.h"

#include "mlir/IR/Attributes.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/OpImplementation.h"

#define GET_ATTRDEF_CLASSES
#include "qnn/Dialect/QNN/IR/QNNAttrs.h.inc"

#endif // QNN_DIALECT_QNN_IR_QNNATTRS_H
