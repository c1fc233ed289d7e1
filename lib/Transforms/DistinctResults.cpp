//===- DistinctResults.cpp - one value per function result ----------------===//

#include "qnn/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "llvm/ADT/DenseSet.h"

namespace mlir::qnn {
#define GEN_PASS_DEF_QNNDISTINCTRESULTSPASS
#include "qnn/Transforms/Passes.h.inc"
} // namespace mlir::qnn

using namespace mlir;

namespace {
struct QNNDistinctResultsPass
    : qnn::impl::QNNDistinctResultsPassBase<QNNDistinctResultsPass> {
  void runOnOperation() override {
    getOperation().walk([](func::ReturnOp ret) {
      OpBuilder b(ret);
      llvm::SmallDenseSet<Value> seen;
      for (OpOperand &operand : ret->getOpOperands()) {
        Value value = operand.get();
        auto type = dyn_cast<RankedTensorType>(value.getType());
        if (!type || seen.insert(value).second)
          continue;
        if (!type.hasStaticShape()) {
          ret.emitError() << "result #" << operand.getOperandNumber()
                          << " repeats a dynamically shaped result";
          continue;
        }
        Location loc = ret.getLoc();
        Value empty = tensor::EmptyOp::create(b, loc, type.getShape(),
                                              type.getElementType());
        operand.set(linalg::CopyOp::create(b, loc, value, empty).getResult(0));
      }
    });
  }
};
} // namespace
