//===- LowerMemRefCopies.cpp - memref.copy as memcpy or linalg.copy -------===//
//
// A copy between contiguous memrefs stays a memref.copy (the LLVM lowering
// emits llvm.memcpy, inlined for the static sizes qnn has). A strided copy
// whose innermost dimensions are contiguous runs in both memrefs (the
// interior of a padded buffer, say) becomes loops over the outer
// dimensions, each iteration one memref.copy of a contiguous run. Any other
// copy becomes a linalg.copy, lowered to loops. No memref.copy is left that
// the LLVM lowering would turn into a call of the `memrefCopy` runtime
// function: compiled models depend on nothing but libc.
//
//===----------------------------------------------------------------------===//

#include "qnn/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/MemRef/Utils/MemRefUtils.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/BuiltinTypes.h"

namespace mlir::qnn {
#define GEN_PASS_DEF_QNNLOWERMEMREFCOPIESPASS
#include "qnn/Transforms/Passes.h.inc"
} // namespace mlir::qnn

using namespace mlir;

static bool isContiguous(MemRefType type) {
  return type.getLayout().isIdentity() ||
         (type.hasStaticShape() && type.getNumElements() > 0 &&
          memref::isStaticShapeAndContiguousRowMajor(type));
}

/// How many innermost dimensions of `type` form one contiguous run (0 when
/// the innermost stride is not 1 or a stride is dynamic).
static int64_t contiguousInnerDims(MemRefType type) {
  SmallVector<int64_t> strides;
  int64_t offset;
  if (!type.hasStaticShape() ||
      failed(type.getStridesAndOffset(strides, offset)))
    return 0;
  int64_t rank = type.getRank(), expected = 1, dims = 0;
  for (int64_t i = rank - 1; i >= 0; --i) {
    if (strides[i] != expected && type.getDimSize(i) != 1)
      break;
    expected *= type.getDimSize(i);
    ++dims;
  }
  return dims;
}

/// The copy as loops over its `outer` outer dimensions, each copying the
/// contiguous run of the inner ones.
static void buildRunCopies(OpBuilder &b, Location loc, Value source,
                           Value target, int64_t outer) {
  auto sourceType = cast<MemRefType>(source.getType());
  int64_t rank = sourceType.getRank();
  // The inner dimensions collapsed into one.
  SmallVector<ReassociationIndices> reassociation;
  for (int64_t i = 0; i < outer; ++i)
    reassociation.push_back({i});
  ReassociationIndices inner;
  for (int64_t i = outer; i < rank; ++i)
    inner.push_back(i);
  reassociation.push_back(inner);
  if (inner.size() > 1) {
    source = memref::CollapseShapeOp::create(b, loc, source, reassociation);
    target = memref::CollapseShapeOp::create(b, loc, target, reassociation);
  }
  int64_t run = cast<MemRefType>(source.getType()).getShape().back();

  // A loop per outer dimension of more than one element.
  SmallVector<OpFoldResult> offsets(outer + 1, b.getIndexAttr(0));
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  Value one = arith::ConstantIndexOp::create(b, loc, 1);
  SmallVector<Value> bounds;
  for (int64_t i = 0; i < outer; ++i)
    if (sourceType.getDimSize(i) != 1)
      bounds.push_back(
          arith::ConstantIndexOp::create(b, loc, sourceType.getDimSize(i)));
  OpBuilder::InsertionGuard guard(b);
  for (int64_t i = 0, loops = 0; i < outer; ++i) {
    if (sourceType.getDimSize(i) == 1)
      continue;
    auto loop = scf::ForOp::create(b, loc, zero, bounds[loops++], one);
    offsets[i] = loop.getInductionVar();
    b.setInsertionPoint(loop.getBody()->getTerminator());
  }
  SmallVector<OpFoldResult> sizes(outer, b.getIndexAttr(1));
  sizes.push_back(b.getIndexAttr(run));
  SmallVector<OpFoldResult> strides(outer + 1, b.getIndexAttr(1));
  auto runOf = [&](Value memref) -> Value {
    auto type = memref::SubViewOp::inferRankReducedResultType(
        {run}, cast<MemRefType>(memref.getType()), offsets, sizes, strides);
    return memref::SubViewOp::create(b, loc, type, memref, offsets, sizes,
                                     strides);
  };
  Value sourceRun = runOf(source);
  memref::CopyOp::create(b, loc, sourceRun, runOf(target));
}

namespace {
struct QNNLowerMemRefCopiesPass
    : qnn::impl::QNNLowerMemRefCopiesPassBase<QNNLowerMemRefCopiesPass> {
  void runOnOperation() override {
    SmallVector<memref::CopyOp> copies;
    getOperation()->walk([&](memref::CopyOp op) { copies.push_back(op); });
    for (memref::CopyOp op : copies) {
      auto sourceType = dyn_cast<MemRefType>(op.getSource().getType());
      auto targetType = dyn_cast<MemRefType>(op.getTarget().getType());
      if (!sourceType || !targetType)
        continue;
      if (isContiguous(sourceType) && isContiguous(targetType))
        continue;
      OpBuilder b(op);
      int64_t rank = sourceType.getRank();
      int64_t inner = std::min(contiguousInnerDims(sourceType),
                               contiguousInnerDims(targetType));
      if (inner > 0 && inner < rank)
        buildRunCopies(b, op.getLoc(), op.getSource(), op.getTarget(),
                       rank - inner);
      else
        linalg::CopyOp::create(b, op.getLoc(), op.getSource(), op.getTarget());
      op.erase();
    }
  }
};
} // namespace
