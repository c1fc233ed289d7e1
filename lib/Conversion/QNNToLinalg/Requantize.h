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
#include "mlir/Transforms/DialectConversion.h"

namespace mlir::qnn {

/// What the epilogue of one Linear or Conv needs to know.
struct EpilogueSpec {
  const EngineInfo *engine = nullptr;
  /// onednn applies the input zero-point compensation in int32 for Conv and
  /// in float for Linear.
  bool isConv = false;
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
  /// The run-time parameters of a dynamically quantized input, which the
  /// output shares (qnn.dynamic_conv): an f64 scale and an i32 zero point.
  /// `input` and `output` then give only the storage's signedness and
  /// bounds; the constants that depend on the scale are computed at run
  /// time by the same formulas.
  Value dynamicScale, dynamicZeroPoint;
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

/// The elements PyTorch computes with ATen's scalar loop (qnn.activation's
/// `scalar_ranges`): `[begin, end)` pairs of positions in the memory order
/// `order` (dimensions from outermost to innermost).
struct ScalarTail {
  ArrayRef<int64_t> ranges;
  SmallVector<int64_t> order;

  /// The tail an op's `scalar_ranges` / `memory_order` attributes give a
  /// tensor of rank `rank` (row-major without an order), if any.
  static std::optional<ScalarTail> get(std::optional<ArrayRef<int64_t>> ranges,
                                       std::optional<ArrayRef<int64_t>> order,
                                       int64_t rank);
};

/// For a `tail` of many ranges, a constant i1 tensor over the positions (in
/// its memory order) of a tensor of `numElements`, true in the ranges, for
/// buildInScalarTail to read instead of comparing with every range; null
/// for a few ranges. Built before the linalg.generic that reads it.
Value buildScalarTailMask(OpBuilder &b, Location loc, int64_t numElements,
                          const ScalarTail &tail);

/// Inside a linalg.generic over `shape`: whether the current element is in
/// one of `tail`'s ranges (an i1), read from `mask` where there is one.
Value buildInScalarTail(OpBuilder &b, Location loc, ArrayRef<int64_t> shape,
                        const ScalarTail &tail, Value mask);

/// The engine's quantized add of two storage tensors broadcasting to
/// `resultShape`, to the storage type of `output`. Under ATen's formula the
/// elements of `tail` take its scalar lambda (plain dequantize).
Value buildQuantizedAdd(OpBuilder &b, Location loc, const EngineInfo &engine,
                        Value lhs, const QuantParams &lhsParams, Value rhs,
                        const QuantParams &rhsParams, const QuantParams &output,
                        Type storageType, ArrayRef<int64_t> resultShape,
                        const ScalarTail *tail = nullptr);

/// A conversion pattern that reproduces the arithmetic of `engine`.
template <typename Op>
struct EngineConversionPattern : OpConversionPattern<Op> {
  EngineConversionPattern(const TypeConverter &converter, MLIRContext *ctx,
                          const EngineInfo &engine)
      : OpConversionPattern<Op>(converter, ctx), engine(engine) {}

  const EngineInfo &engine;
};

/// An activation's weight (prelu): its codes, one for every channel or one
/// per channel of dimension 1, and their quantization.
struct ActivationWeights {
  SmallVector<int64_t> codes;
  QuantParams params;
};

/// `act` applied to a tensor of input codes (`in`), giving codes of `out`
/// in `outStorage`: the entry's integer clamp, or a lookup in the table of
/// the images of all 8-bit codes (one table per channel of dimension 1 when
/// `weights` has more than one code; a second table, of the scalar loop, for
/// the elements of `tail`). Tables need the engine; errors are reported
/// through `emitError`.
FailureOr<Value>
buildActivationOnCodes(OpBuilder &b, Location loc, const EngineInfo *engine,
                       ActivationAttr act, const QuantParams &in,
                       const QuantParams &out, Type outStorage, Value codes,
                       const ActivationWeights *weights,
                       function_ref<InFlightDiagnostic()> emitError,
                       const ScalarTail *tail = nullptr);

/// The quantization parameters of a quantized tensor type.
inline QuantParams paramsOf(Type type) {
  return *QuantParams::get(getQuantizedElementType(type));
}

/// The storage integer type of a quantized tensor type.
inline Type storageOf(Type type) {
  return getQuantizedElementType(type).getStorageType();
}

/// Builds a linalg.generic over the iteration space `loopShape` with the
/// given inputs (and their indexing maps), writing an `elementType` tensor
/// whose dimension r is loop `permutation[r]` (identity if empty).
Value buildElementwise(
    OpBuilder &b, Location loc, ArrayRef<int64_t> loopShape, Type elementType,
    ArrayRef<Value> inputs, ArrayRef<AffineMap> inputMaps,
    function_ref<Value(OpBuilder &, Location, ValueRange)> body,
    ArrayRef<int64_t> permutation = {});

/// `clamp(value, lo, hi)` of an f32 value, converted to the storage type.
Value saturateToStorage(OpBuilder &b, Location loc, Value value, float lo,
                        float hi, Type storageType);

/// A stored code dequantized as ATen's kernels do, inside a linalg body:
/// `fma(s, f32(q), f32(-z * s))` (their vector code) or, where `usePlain`
/// (an i1, may be null) holds, `f32(s * f32(q - z))` (their scalar loops).
Value buildCodeDequantize(OpBuilder &b, Location loc, Value code,
                          const QuantParams &params, Value usePlain);

/// Extends a storage integer to i32 by its signedness.
Value extendStorage(OpBuilder &b, Location loc, Value value, bool isSigned);

} // namespace mlir::qnn

#endif // QNN_LIB_CONVERSION_QNNTOLINALG_REQUANTIZE_H
