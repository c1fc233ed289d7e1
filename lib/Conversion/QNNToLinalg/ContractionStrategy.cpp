//===- ContractionStrategy.cpp - how a Linear or Conv is computed ---------===//

#include "ContractionStrategy.h"
#include "KernelCalls.h"

using namespace mlir;
using namespace mlir::qnn;

LinearStrategy mlir::qnn::selectLinearStrategy(const EngineInfo &engine,
                                               const EpilogueSpec &spec,
                                               LinearOp op) {
  LinearStrategy strategy;
  strategy.kernelWeight = getKernelWeight(spec, op.getWeight());
  strategy.saturatingPairs = engine.saturatingPairs;
  strategy.pairPadding = engine.getPairBlockPadding(
      cast<RankedTensorType>(op.getWeight().getType()).getDimSize(1));
  return strategy;
}

FailureOr<ConvStrategy> mlir::qnn::selectConvStrategy(const EngineInfo &engine,
                                                      const EpilogueSpec &spec,
                                                      ConvOp op) {
  auto weightType = cast<RankedTensorType>(op.getWeight().getType());
  int64_t groups = op.getGroups();
  ConvStrategy strategy;
  strategy.weightValues = getKernelWeight(spec, op.getWeight());
  strategy.saturatingPairs = engine.pairsConvChannels(
      groups, weightType.getDimSize(1), weightType.getDimSize(0) / groups);
  if (strategy.saturatingPairs && !strategy.weightValues)
    return op.emitOpError()
           << "'" << engine.getName()
           << "' numerics needs a constant 8-bit weight for a convolution "
              "whose channels it sums in saturating pairs";
  strategy.form = strategy.weightValues && groups == 1 ? ConvForm::Im2colGemm
                                                       : ConvForm::Direct;
  // onednn without VNNI skips zero-padded taps (addSkippedPaddingTerm); with
  // exact sums, padding with the zero point is the same and simpler.
  if (strategy.saturatingPairs && op.getPaddingMode() == PaddingMode::zeros &&
      spec.input.zeroPoint() != 0 &&
      llvm::any_of(op.getPadding(), [](int64_t p) { return p > 0; }))
    strategy.skippedPadding.assign(op.getPadding().begin(),
                                   op.getPadding().end());
  return strategy;
}
