//===- FoldResultCopies.cpp - results computed in their out-parameters ----===//
//
// After buffer-results-to-out-params, a function whose result was a reshape
// of a buffer it allocated ends with `memref.copy %view, %out`: the result
// is computed into the allocation, then copied. Upstream hoists only results
// that are the allocation itself. Here the allocation is replaced by the
// same reshapes undone on the out-parameter, so the result is computed where
// the caller wants it and the copy goes.
//
//===----------------------------------------------------------------------===//

#include "qnn/Transforms/Passes.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"

namespace mlir::qnn {
#define GEN_PASS_DEF_QNNFOLDRESULTCOPIESPASS
#include "qnn/Transforms/Passes.h.inc"
} // namespace mlir::qnn

using namespace mlir;

/// The allocation `view` reshapes (through expand_shape / collapse_shape
/// only), with the reshapes from `view` back to it; null if none.
static memref::AllocOp findAllocation(Value view,
                                      SmallVectorImpl<Operation *> &reshapes) {
  while (Operation *def = view.getDefiningOp()) {
    if (auto alloc = dyn_cast<memref::AllocOp>(def))
      return alloc;
    if (!isa<memref::ExpandShapeOp, memref::CollapseShapeOp>(def))
      return nullptr;
    reshapes.push_back(def);
    view = def->getOperand(0);
  }
  return nullptr;
}

/// Whether every use of `value`, and of views of it, is before `point`
/// (ops in `point`'s block, or nested in one).
static bool usedOnlyBefore(Value value, Operation *point) {
  for (Operation *user : value.getUsers()) {
    Operation *inBlock = point->getBlock()->findAncestorOpInBlock(*user);
    if (!inBlock)
      return false;
    if (inBlock == point)
      continue;
    if (!inBlock->isBeforeInBlock(point))
      return false;
    if (isa<ViewLikeOpInterface>(user))
      for (Value result : user->getResults())
        if (!usedOnlyBefore(result, point))
          return false;
  }
  return true;
}

namespace {
struct QNNFoldResultCopiesPass
    : qnn::impl::QNNFoldResultCopiesPassBase<QNNFoldResultCopiesPass> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (func.isExternal())
      return;
    Block &entry = func.getBody().front();
    SmallVector<memref::CopyOp> copies;
    for (Operation &op : entry)
      if (auto copy = dyn_cast<memref::CopyOp>(op))
        copies.push_back(copy);
    for (memref::CopyOp copy : copies) {
      auto out = dyn_cast<BlockArgument>(copy.getTarget());
      auto outType = dyn_cast<MemRefType>(copy.getTarget().getType());
      if (!out || out.getOwner() != &entry || !out.hasOneUse() || !outType ||
          !outType.getLayout().isIdentity())
        continue;
      SmallVector<Operation *> reshapes;
      memref::AllocOp alloc = findAllocation(copy.getSource(), reshapes);
      if (!alloc || alloc->getBlock() != &entry ||
          !alloc.getType().getLayout().isIdentity() ||
          !usedOnlyBefore(alloc.getResult(), copy))
        continue;
      // The allocation as a view of the out-parameter: the reshapes undone,
      // from the copy's side.
      OpBuilder b = OpBuilder::atBlockBegin(&entry);
      Location loc = alloc.getLoc();
      Value view = out;
      for (Operation *reshape : reshapes) {
        if (auto expand = dyn_cast<memref::ExpandShapeOp>(reshape))
          view = memref::CollapseShapeOp::create(
              b, loc, view, expand.getReassociationIndices());
        else {
          auto collapse = cast<memref::CollapseShapeOp>(reshape);
          view = memref::ExpandShapeOp::create(
              b, loc, collapse.getSrcType().getShape(), view,
              collapse.getReassociationIndices());
        }
      }
      assert(view.getType() == alloc.getType() &&
             "reshapes of an identity memref undone on one of its shape");
      copy.erase();
      alloc.getResult().replaceAllUsesWith(view);
      alloc.erase();
    }
  }
};
} // namespace
