//===- Requantize.h - the engines' requantization epilogues -----*- C++ -*-===//
//
// Builders shared by the Linear and Conv lowerings: the per-output-channel
// constants of each engine and the elementwise epilogue that turns an int32
// accumulator into the output's storage integers.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_LIB_CONVERSION_QNNTOLINALG_REQUANTIZE_H
#define QNN_LIB_CONVERSION_QNNTOLINALG_REQUANTIZE_H

#include "qnn/Dialect/QNN/IR/QNNOps.h"
#include "qnn/Dialect/QNN/Utils/QuantUtils.h"

#include "mlir/IR/Builders.h"

namespace mlir::qnn {

/// What the epilogue of one Linear or Conv needs to know.
struct EpilogueSpec {
  const EngineInfo *engine = nullptr;
  /// onednn applies the input zero-point compensation in int32 for Conv and
  /// in float for Linear.
  bool isConv = false;
  /// The fused activation. relu clamps at the zero point; leaky_relu and
  /// tanh (LinearLeakyReLU, LinearTanh: modules newer than PyTorch 1.13)
  /// apply to the float value just before rounding, tanh on the real value
  /// (the output scale times it).
  PostOp postOp = PostOp::none;
  float negativeSlope = 0.0f;
  QuantParams input, weight, output;
  /// Number of products summed into one accumulator (K).
  int64_t reductionSize = 0;
  /// Shape of the per-channel tensors: `{N}` for Linear, `{G, O/G}` for Conv.
  SmallVector<int64_t> channelShape;
  /// Positions of the channel dimensions in the accumulator.
  SmallVector<int64_t> channelDims;
  /// Positions of the accumulator dimensions the input sums are indexed by
  /// (every dimension but the output channel within its group).
  SmallVector<int64_t> inputSumDims;
  /// Storage type of the result (i8 for quint8/qint8).
  Type storageType;
  /// Result dimension r is accumulator dimension resultPermutation[r]
  /// (empty: the accumulator's layout), so a layout change costs nothing.
  SmallVector<int64_t> resultPermutation;
};

/// True when some weight zero point is not 0, so the accumulator needs the
/// `-zw * sum(x)` correction and the caller must provide input sums.
bool needsInputSums(const EpilogueSpec &spec);

/// Requantizes `acc` (int32, the plain sum of the stored x times the stored
/// w, both extended by their signedness) to the output storage type.
/// `bias` is the optional f32 bias of `channelShape`, `weightSums` the int32
/// sums of the stored weights per channel (`channelShape`), `inputSums` the
/// int32 sums of the stored inputs under each accumulator (only when
/// needsInputSums).
Value buildEpilogue(OpBuilder &b, Location loc, const EpilogueSpec &spec,
                    Value acc, Value bias, Value weightSums, Value inputSums);

/// The engine's quantized add of two same-shape storage tensors, with an
/// optional relu, to the storage type of `output`.
Value buildQuantizedAdd(OpBuilder &b, Location loc, const EngineInfo &engine,
                        Value lhs, const QuantParams &lhsParams, Value rhs,
                        const QuantParams &rhsParams, const QuantParams &output,
                        Type storageType, bool relu);

/// The quantization parameters of a quantized tensor type.
inline QuantParams paramsOf(Type type) {
  return *QuantParams::get(getQuantizedElementType(type));
}

/// The storage integer type of a quantized tensor type.
inline Type storageOf(Type type) {
  return getQuantizedElementType(type).getStorageType();
}

/// Extends a storage integer to i32 by its signedness.
Value extendStorage(OpBuilder &b, Location loc, Value value, bool isSigned);

} // namespace mlir::qnn

#endif // QNN_LIB_CONVERSION_QNNTOLINALG_REQUANTIZE_H
