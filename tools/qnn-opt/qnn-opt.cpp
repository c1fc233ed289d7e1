//===- qnn-opt.cpp - mlir-opt for the qnn dialect -------------------------===//

#include "qnn/InitAll.h"

#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::qnn::registerAllPasses();
  mlir::DialectRegistry registry;
  mlir::qnn::registerAllDialects(registry);
  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "qnn optimizer driver\n", registry));
}
