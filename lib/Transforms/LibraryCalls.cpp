//===- LibraryCalls.cpp - linalg ops with a library_call to func.call -----===//

#include "qnn/Dialect/QNN/IR/QNNDialect.h"
#include "qnn/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/SymbolTable.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SetVector.h"

namespace mlir::qnn {
#define GEN_PASS_DEF_QNNLIBRARYCALLSPASS
#include "qnn/Transforms/Passes.h.inc"
} // namespace mlir::qnn

using namespace mlir;

/// The fully dynamic strided memref every call passes, so that one
/// declaration serves every shape.
static MemRefType dynamicMemRef(MemRefType type) {
  int64_t rank = type.getRank();
  SmallVector<int64_t> shape(rank, ShapedType::kDynamic);
  SmallVector<int64_t> strides(rank, ShapedType::kDynamic);
  auto layout =
      StridedLayoutAttr::get(type.getContext(), ShapedType::kDynamic, strides);
  return MemRefType::get(shape, type.getElementType(), layout,
                         type.getMemorySpace());
}

namespace {
struct QNNLibraryCallsPass
    : qnn::impl::QNNLibraryCallsPassBase<QNNLibraryCallsPass> {
  using QNNLibraryCallsPassBase::QNNLibraryCallsPassBase;
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SymbolTable symbols(module);
    SmallVector<linalg::LinalgOp> calls;
    module.walk([&](linalg::LinalgOp op) {
      if (op->hasAttr("library_call"))
        calls.push_back(op);
    });
    // Every op the conversion marked must be here, with its number.
    StringRef countName = qnn::QNNDialect::getRuntimeCallsAttrName();
    StringRef numberName = qnn::QNNDialect::getRuntimeCallAttrName();
    if (auto marked = module->getAttrOfType<IntegerAttr>(countName)) {
      module->removeAttr(countName);
      llvm::SmallDenseSet<int64_t> seen;
      for (linalg::LinalgOp op : calls)
        if (auto number = op->getAttrOfType<IntegerAttr>(numberName))
          seen.insert(number.getInt());
      if (static_cast<int64_t>(seen.size()) != marked.getInt()) {
        module.emitError()
            << marked.getInt()
            << " ops were marked for runtime kernel calls by "
               "--qnn-lower-integer-contractions but "
            << seen.size()
            << " reached --qnn-library-calls: a pass in between rewrote "
               "them without their marks, which would compile the kernels "
               "as loops";
        return signalPassFailure();
      }
    }
    for (linalg::LinalgOp op : calls)
      op->removeAttr(numberName);
    if (!emitCalls)
      return;
    for (linalg::LinalgOp op : calls) {
      if (!op.hasPureBufferSemantics()) {
        op->emitError("library calls need bufferized operands");
        return signalPassFailure();
      }
      auto name = op->getAttrOfType<StringAttr>("library_call");
      OpBuilder b(op);
      SmallVector<Value> operands;
      SmallVector<Type> types;
      // Each distinct memref the op reads or writes, in operand order:
      // inputs its body never reads (shape-only operands) are not passed.
      SetVector<Value> passed;
      for (OpOperand &operand : op->getOpOperands()) {
        bool shapeOnly = op.isDpsInput(&operand) &&
                         op.getMatchingBlockArgument(&operand).use_empty();
        if (!shapeOnly)
          passed.insert(operand.get());
      }
      for (Value operand : passed) {
        auto type = dynamicMemRef(cast<MemRefType>(operand.getType()));
        operands.push_back(
            memref::CastOp::create(b, op.getLoc(), type, operand));
        types.push_back(type);
      }
      auto fnType = b.getFunctionType(types, {});
      auto fn = symbols.lookup<func::FuncOp>(name);
      if (!fn) {
        OpBuilder top = OpBuilder::atBlockBegin(module.getBody());
        fn = func::FuncOp::create(top, op.getLoc(), name, fnType);
        fn.setPrivate();
        fn->setAttr(LLVM::LLVMDialect::getEmitCWrapperAttrName(),
                    UnitAttr::get(&getContext()));
        symbols.insert(fn);
      } else if (fn.getFunctionType() != fnType) {
        op->emitError() << "library call '" << name.getValue()
                        << "' used with different operand ranks or types";
        return signalPassFailure();
      }
      func::CallOp::create(b, op.getLoc(), fn, operands);
      op->erase();
    }
  }
};
} // namespace
