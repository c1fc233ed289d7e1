//===- InitAll.h - register every qnn dialect and pass ----------*- C++ -*-===//
//
// The one entry the tools use to register what qnn defines (as MLIR's
// InitAllDialects.h / InitAllPasses.h do upstream), so that qnn-opt and
// qnn-run always see the same dialects, passes and pipelines.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_INITALL_H
#define QNN_INITALL_H

#include "qnn/Conversion/Passes.h"
#include "qnn/Dialect/QNN/IR/QNNDialect.h"
#include "qnn/Dialect/QNN/Transforms/Passes.h"
#include "qnn/Pipelines/Pipelines.h"
#include "qnn/Transforms/Passes.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"

namespace mlir::qnn {

/// Every upstream dialect and extension, and the qnn dialect.
inline void registerAllDialects(DialectRegistry &registry) {
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  registry.insert<QNNDialect>();
}

/// Every upstream pass, and qnn's passes and pipelines.
inline void registerAllPasses() {
  mlir::registerAllPasses();
  registerQNNPasses();
  registerQNNConversionPasses();
  registerQNNTransformsPasses();
  registerQNNPipelines();
}

} // namespace mlir::qnn

#endif // QNN_INITALL_H
