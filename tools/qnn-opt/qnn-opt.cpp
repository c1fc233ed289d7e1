//===- qnn-opt.cpp - mlir-opt for the qnn dialect -------------------------===//

#include "qnn/Conversion/Passes.h"
#include "qnn/Dialect/QNN/IR/QNNDialect.h"
#include "qnn/Dialect/QNN/Transforms/Passes.h"
#include "qnn/Pipelines/Pipelines.h"
#include "qnn/Transforms/Passes.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::registerAllPasses();
  mlir::qnn::registerQNNPasses();
  mlir::qnn::registerQNNConversionPasses();
  mlir::qnn::registerQNNTransformsPasses();
  mlir::qnn::registerQNNPipelines();

  mlir::DialectRegistry registry;
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  registry.insert<mlir::qnn::QNNDialect>();

  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "qnn optimizer driver\n", registry));
}
