//===- QNNEnums.h - qnn enums (padding mode, numerics) ----------*- C++ -*-===//

#ifndef QNN_DIALECT_QNN_IR_QNNENUMS_H
#define QNN_DIALECT_QNN_IR_QNNENUMS_H

#include "mlir/IR/BuiltinAttributes.h"
#include "llvm/ADT/StringRef.h"

#include "qnn/Dialect/QNN/IR/QNNEnums.h.inc"

#endif // QNN_DIALECT_QNN_IR_QNNENUMS_H
