//===- ContractionStrategy.h - how a Linear or Conv is computed -*- C++ -*-===//
//
// The step between the engine's integer arithmetic (IntegerSums.h) and the
// runtime's kernels (KernelCalls.h): for one qnn.linear or qnn.conv, which
// form of the contraction to build and whether a runtime kernel computes
// it. Every such decision of the contraction lowering is made here, from the
// engine's description and the op, so the patterns only follow a strategy.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_LIB_CONVERSION_QNNTOLINALG_CONTRACTIONSTRATEGY_H
#define QNN_LIB_CONVERSION_QNNTOLINALG_CONTRACTIONSTRATEGY_H

#include "Requantize.h"

#include "mlir/IR/BuiltinAttributes.h"

#include <optional>

namespace mlir::qnn {

/// How one qnn.linear is computed.
struct LinearStrategy {
  /// The constant weight the runtime's GEMM takes (packed at compile time);
  /// without it, a linalg.generic reads the weight as given.
  std::optional<DenseIntElementsAttr> kernelWeight;
  /// The engine sums products in saturating pairs (vpmaddubsw).
  bool saturatingPairs = false;
  /// Where zero columns go so that the pairs are the engine's
  /// (EngineInfo::getPairBlockPadding).
  SmallVector<int64_t> pairPadding;
};

LinearStrategy selectLinearStrategy(const EngineInfo &engine,
                                    const EpilogueSpec &spec, LinearOp op);

/// The form of a convolution's contraction.
enum class ConvForm {
  /// Single group, constant 8-bit weight: im2col of the channels-last input
  /// times the packed weight on the runtime's GEMM.
  Im2colGemm,
  /// A grouped linalg.generic over the padded input (any conv).
  Direct,
};

/// How one qnn.conv is computed.
struct ConvStrategy {
  ConvForm form = ConvForm::Direct;
  /// The constant weight (the im2col form and saturating pairs need it).
  std::optional<DenseIntElementsAttr> weightValues;
  /// The engine sums consecutive channels in saturating pairs.
  bool saturatingPairs = false;
  /// Non-empty: the engine skips this zero padding (pad with code 0 and
  /// add the skipped taps' term) instead of padding with the zero point.
  SmallVector<int64_t> skippedPadding;
};

/// The strategy for `op`, or an error on the op when the engine's arithmetic
/// cannot be reproduced for it.
FailureOr<ConvStrategy> selectConvStrategy(const EngineInfo &engine,
                                           const EpilogueSpec &spec, ConvOp op);

} // namespace mlir::qnn

#endif // QNN_LIB_CONVERSION_QNNTOLINALG_CONTRACTIONSTRATEGY_H
