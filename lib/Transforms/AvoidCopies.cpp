//===- AvoidCopies.cpp - tensor IR that bufferizes without copies ---------===//
//
// Two shapes of tensor IR that one-shot bufferization can only implement
// with a copy, rewritten into ones it implements in place:
//
// - a zero fill shared by several accumulators (CSE merges identical
//   fills): each accumulator is written in place, so each but one would
//   get a copy of the filled buffer. Each gets its own fill instead (a
//   memset, where the copy reads as much as it writes).
// - a padded result: `tensor.pad` of a linalg op's result is a new buffer
//   and a copy of the result into its interior. The op writes into the
//   interior of the filled padded buffer instead (extract_slice as its
//   init, insert_slice of its result), which bufferizes to a subview.
//
//===----------------------------------------------------------------------===//

#include "qnn/Transforms/Passes.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/Matchers.h"

namespace mlir::qnn {
#define GEN_PASS_DEF_QNNAVOIDCOPIESPASS
#include "qnn/Transforms/Passes.h.inc"
} // namespace mlir::qnn

using namespace mlir;

/// Each DPS init use of `fill` but the first gets its own copy of the fill
/// (and of its tensor.empty).
static void unshareFill(linalg::FillOp fill) {
  if (!fill.hasPureTensorSemantics() || fill->getResult(0).hasOneUse())
    return;
  SmallVector<OpOperand *> inits;
  for (OpOperand &use : fill->getResult(0).getUses()) {
    auto user = dyn_cast<DestinationStyleOpInterface>(use.getOwner());
    if (user && user.isDpsInit(&use))
      inits.push_back(&use);
  }
  // The original keeps the first init (uses are listed latest first) and
  // every other use.
  llvm::stable_sort(inits, [](OpOperand *a, OpOperand *b) {
    Operation *x = a->getOwner(), *y = b->getOwner();
    return x->getBlock() == y->getBlock() && x->isBeforeInBlock(y);
  });
  for (OpOperand *use : llvm::drop_begin(inits)) {
    OpBuilder b(use->getOwner());
    IRMapping mapping;
    if (auto empty = fill.getOutputs()[0].getDefiningOp<tensor::EmptyOp>())
      mapping.map(empty.getResult(), b.clone(*empty)->getResult(0));
    Operation *copy = b.clone(*fill, mapping);
    use->set(copy->getResult(0));
  }
}

/// `pad` of a linalg op's result, the op writing a tensor.empty: the op now
/// writes into the interior of the filled padded tensor. Other uses of the
/// result (a residual add) read it there; bufferization copies only if one
/// of them writes in place.
static void padInPlace(tensor::PadOp pad) {
  RankedTensorType paddedType = pad.getResultType();
  auto result = dyn_cast<OpResult>(pad.getSource());
  Attribute padValue;
  if (!paddedType.hasStaticShape() || !result ||
      !pad.getConstantPaddingValue() ||
      !matchPattern(pad.getConstantPaddingValue(), m_Constant(&padValue)) ||
      ShapedType::isDynamicShape(pad.getStaticLow()))
    return;
  auto producer = dyn_cast<linalg::LinalgOp>(result.getOwner());
  // Runtime kernels are left writing their own buffers: their output is
  // the contraction's accumulator, which the epilogue reads.
  if (!producer || !producer.hasPureTensorSemantics() ||
      producer->getBlock() != pad->getBlock() ||
      producer->hasAttr("library_call"))
    return;
  OpOperand *init = producer.getDpsInitOperand(result.getResultNumber());
  if (!init->get().getDefiningOp<tensor::EmptyOp>())
    return;

  Location loc = pad.getLoc();
  auto sourceType = cast<RankedTensorType>(result.getType());
  OpBuilder b(producer);
  Value padded =
      linalg::FillOp::create(
          b, loc,
          arith::ConstantOp::create(b, loc, cast<TypedAttr>(padValue))
              .getResult(),
          tensor::EmptyOp::create(b, loc, paddedType.getShape(),
                                  paddedType.getElementType())
              .getResult())
          .getResult(0);
  SmallVector<OpFoldResult> offsets =
      getAsIndexOpFoldResult(b.getContext(), pad.getStaticLow());
  SmallVector<OpFoldResult> sizes =
      getAsIndexOpFoldResult(b.getContext(), sourceType.getShape());
  SmallVector<OpFoldResult> strides(sourceType.getRank(), b.getIndexAttr(1));
  Value interior = tensor::ExtractSliceOp::create(b, loc, sourceType, padded,
                                                  offsets, sizes, strides);
  init->set(interior);
  b.setInsertionPoint(pad);
  Value inserted = tensor::InsertSliceOp::create(b, loc, result, padded,
                                                 offsets, sizes, strides);
  pad.getResult().replaceAllUsesWith(inserted);
  pad.erase();
}

namespace {
struct QNNAvoidCopiesPass
    : qnn::impl::QNNAvoidCopiesPassBase<QNNAvoidCopiesPass> {
  void runOnOperation() override {
    SmallVector<linalg::FillOp> fills;
    SmallVector<tensor::PadOp> pads;
    getOperation().walk([&](Operation *op) {
      if (auto fill = dyn_cast<linalg::FillOp>(op))
        fills.push_back(fill);
      else if (auto pad = dyn_cast<tensor::PadOp>(op))
        pads.push_back(pad);
    });
    for (linalg::FillOp fill : fills)
      unshareFill(fill);
    for (tensor::PadOp pad : pads)
      padInPlace(pad);
  }
};
} // namespace
