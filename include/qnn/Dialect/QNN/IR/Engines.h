//===- Engines.h - the numerics qnn reproduces, as data ---------*- C++ -*-===//
//
// Each value of the `qnn.numerics` module attribute names the integer
// arithmetic of one PyTorch quantized engine on one kind of CPU. Everything
// the verifier and the lowering need to know about it is one EngineInfo: the
// engine's restrictions, which requantization and add formulas it uses, and
// how it sums products. Code asks these questions; it never compares
// numerics names. The names themselves are the cases of the `Numerics` enum
// (QNNAttrs.td), the only list of them in C++.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_DIALECT_QNN_IR_ENGINES_H
#define QNN_DIALECT_QNN_IR_ENGINES_H

#include "qnn/Dialect/QNN/IR/QNNEnums.h"

#include "mlir/IR/Operation.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"

#include <optional>
#include <string>

namespace mlir::qnn {

/// How the int32 accumulator of Linear/Conv becomes output codes
/// (docs/numerics/contraction.md).
enum class RequantizeFormula {
  /// Bias quantized to int32 and added to the accumulator, one f32
  /// multiplier, zero point added after rounding.
  QnnpackFixedBias,
  /// Bias kept in float, scaled by the accumulator scale; zero point added
  /// in float before rounding; input zero-point compensation in int32 for
  /// Conv and in float for Linear.
  OneDNNFloatBias,
};

/// How a dynamically quantized Linear rounds its input and scales its int32
/// sums back to float (docs/numerics/dynamic.md).
enum class DynamicFormula {
  /// torch.quantize_per_tensor's `f32(1 / f32(s))`; `y = f32(acc *
  /// f32(f32(sw) * f32(s))) + b` (QNNPACK's dynamic fully connected).
  QnnpackScale,
  /// oneDNN: the reciprocal `f32((d)1 / s)`; `bs = f32(f32(1 / s) * f32((d)1
  /// / sw))`, `y = f32(f32(acc + f32(b * bs)) * f32(1 / bs))`.
  OneDNNScaledBias,
};

/// How two quantized tensors are added (docs/numerics/arithmetic.md).
enum class AddFormula {
  /// ATen's kernel: dequantize with fmaf, add, multiply by the inverse
  /// output scale, add the zero point after rounding.
  AtenFloat,
  /// QNNPACK's q8add: 2^(21 - e) fixed-point multipliers, a shift rounding
  /// half away from zero (same shapes only).
  QnnpackFixedPoint,
  /// XNNPACK's qs8 add: 2^(20 - e) multipliers, a shift rounding half up.
  XnnpackFixedPoint,
};

/// What a fixed-point add formula needs: the exponent its multipliers are
/// scaled to, its rounding, and the input/output scale ratios it accepts
/// (torch refuses the others). AtenFloat accepts any ratio.
struct AddFormulaInfo {
  int shiftBase;
  bool roundHalfUp;
  double minScaleRatio, maxScaleRatio;
};
const AddFormulaInfo &getAddFormulaInfo(AddFormula formula);

/// Where an engine with saturating pairs pairs its products
/// (docs/numerics/contraction.md): oneDNN's AVX2 int8 kernels.
struct PairingRule {
  /// Linear's pairs restart at the K-blocks of oneDNN's int8 GEMM: one
  /// block up to `singleBlockMaxK`, the halves [0, ceil(K / 2)) and
  /// [ceil(K / 2), K) below `2 * blockK`, else blocks of `blockK`.
  int64_t singleBlockMaxK, blockK;
  /// A grouped conv pairs consecutive channels of a group (oneDNN's jit
  /// grouped kernel) when its channels per group, in and out, are multiples
  /// of this; other grouped convs (depthwise ones included) sum exactly.
  int64_t groupedChannelMultiple;
};

/// One numerics: an engine's arithmetic on a kind of CPU.
struct EngineInfo {
  Numerics numerics;
  /// `torch.backends.quantized.engine` whose results this reproduces.
  llvm::StringLiteral torchEngine;
  /// One line for documentation and diagnostics.
  llvm::StringLiteral summary;
  /// The engine's weight prepacking refuses non-zero weight zero points.
  bool weightZeroPointMustBeZero;
  /// Products of u8 inputs and s8 weights are summed in adjacent pairs that
  /// saturate to int16 (vpmaddubsw) before the int32 accumulation, for
  /// Linear and single-group Conv.
  bool saturatingPairs;
  /// Linear and Conv accept qint8 inputs (and then return qint8); without
  /// it they take quint8 only.
  bool signedContractionInputs;
  RequantizeFormula requantize;
  DynamicFormula dynamicLinear;
  /// Sigmoid, tanh, hardsigmoid and hardswish of quint8 tensors use
  /// QNNPACK's own tables (else ATen's kernels).
  bool qnnpackActivations;
  /// Average pooling, adaptive average pooling and the mean over H and W
  /// of quint8 tensors use QNNPACK's kernels where it has them (else
  /// ATen's).
  bool qnnpackPooling;
  /// The add of two quint8 tensors of the same shape, of quint8 tensors
  /// that broadcast, and of qint8 tensors.
  AddFormula sameShapeAdd, broadcastAdd, signedAdd;
  /// With `saturatingPairs`: which products pair.
  PairingRule pairing;

  llvm::StringRef getName() const { return stringifyNumerics(numerics); }
  /// Whether torch runs QNNPACK's pooling kernels on codes of this kind
  /// (unsigned 8-bit).
  bool usesQnnpackPooling(bool isSigned, unsigned storageWidth) const {
    return qnnpackPooling && !isSigned && storageWidth == 8;
  }
  AddFormula getAddFormula(bool sameShape, bool isSigned) const {
    return isSigned ? signedAdd : sameShape ? sameShapeAdd : broadcastAdd;
  }
  /// Whether a conv with these channels sums its products in saturating
  /// pairs of consecutive input channels (else exactly).
  bool pairsConvChannels(int64_t groups, int64_t inPerGroup,
                         int64_t outPerGroup) const {
    int64_t multiple = pairing.groupedChannelMultiple;
    return saturatingPairs &&
           (groups == 1 || (multiple > 0 && inPerGroup % multiple == 0 &&
                            outPerGroup % multiple == 0));
  }
  /// Whether a transposed conv sums only the taps that read an input
  /// element, in saturating pairs of consecutive input channels of every
  /// group (oneDNN's AVX2 deconvolution); else it is the conv of its input
  /// spread with the zero point (docs/numerics/conv-transpose.md).
  bool pairsConvTransposeChannels() const { return saturatingPairs; }
  /// Where Linear's pairing restarts, as the indices of a reduction of size
  /// `k` before which a zero product is inserted so that pairing (2j, 2j +
  /// 1) throughout reproduces it: the end of each K-block of odd length but
  /// the last (whose unpaired product pairs with the final padding). Empty
  /// without saturating pairs.
  llvm::SmallVector<int64_t> getPairBlockPadding(int64_t k) const;
};

/// Every numerics, in the order of the `Numerics` enum.
llvm::ArrayRef<EngineInfo> getAllEngines();

/// The description of `numerics`.
const EngineInfo &getEngineInfo(Numerics numerics);

/// The engine named by the `qnn.numerics` attribute of the closest enclosing
/// module that has one, or null.
const EngineInfo *getEngine(Operation *op);

/// `"a", "b" or "c"`: the valid numerics names, for diagnostics.
std::string listNumericsNames();

} // namespace mlir::qnn

#endif // QNN_DIALECT_QNN_IR_ENGINES_H
