//===- IntegerSums.h - the engines' integer sums of Linear and Conv -*- C++
//-*-===//
//
// The target-independent part of the contraction lowering: the int32 sums
// of stored inputs times stored weights as each engine forms them (exact, or
// in onednn-without-VNNI's saturating pairs with its pairing rule), the sums
// that correct for zero points, and the skipped-taps term. Which layout
// and kernel compute them is ContractionStrategy.h's business; the runtime's
// kernels are KernelCalls.h's.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_LIB_CONVERSION_QNNTOLINALG_INTEGERSUMS_H
#define QNN_LIB_CONVERSION_QNNTOLINALG_INTEGERSUMS_H

#include "mlir/Dialect/Utils/StructuredOpsUtils.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"

namespace mlir::qnn {

/// An int32 tensor of `shape` filled with 0: an accumulator.
Value buildZeroAccumulator(OpBuilder &b, Location loc, ArrayRef<int64_t> shape);

/// A reduction generic summing the product of the extended `inputs` into
/// an int32 tensor of `shape` (indexed by `outputMap`). `window`, if given,
/// is a shape-only operand (like a pooling window) that gives the bounds of
/// loops no other operand has alone; it is not read.
Value buildIntegerSum(OpBuilder &b, Location loc, ArrayRef<int64_t> shape,
                      ArrayRef<Value> inputs, ArrayRef<bool> inputSigned,
                      ArrayRef<AffineMap> inputMaps, AffineMap outputMap,
                      ArrayRef<utils::IteratorType> iterators,
                      Value window = {}, AffineMap windowMap = {});

/// Sums of the stored weights per output channel (the first dimension),
/// folded at compile time when the weight is a constant.
Value buildWeightSums(OpBuilder &b, Location loc, Value originalWeight,
                      Value weight, bool isSigned,
                      ArrayRef<int64_t> channelShape);

/// Row sums of an unsigned 8-bit matrix: the `sum(x)` of each accumulator.
Value buildRowSums(OpBuilder &b, Location loc, Value a);

/// sat16(x0 * w0 + x1 * w1) in int32, for u8 codes x and s8 weights w:
/// vpmaddubsw's saturating pair.
Value buildSat16Pair(OpBuilder &b, Location loc, Value x0, Value w0, Value x1,
                     Value w1);

/// A contraction like buildIntegerSum's of u8 `x` and s8 `w` whose loop
/// `pairDim` runs over an even `pairedSize` channels: the products of
/// channels 2j and 2j + 1 (at the same other indices) are added and
/// saturated to int16 before the int32 sum, as buildSat16PairGemm does for
/// a GEMM. `xMap`/`wMap` index the operands with loop `pairDim` as the
/// channel; it becomes the pair index j here.
Value buildSat16PairSum(OpBuilder &b, Location loc, ArrayRef<int64_t> shape,
                        Value x, Value w, AffineMap xMap, AffineMap wMap,
                        AffineMap outMap,
                        ArrayRef<utils::IteratorType> iterators,
                        int64_t pairDim, int64_t pairedSize);

/// onednn without VNNI (PyTorch on such x86 CPUs): acc[m, n] =
/// sum_j sat16(a[m, 2j] * w(n, 2j) + a[m, 2j + 1] * w(n, 2j + 1)), the
/// products u8 x s8. `weightMap(n, k)` gives the weight's indices, for the
/// packed layout or [N, K]; an odd K is padded with a zero column.
Value buildSat16PairGemm(
    OpBuilder &b, Location loc, Value a, Value weight, int64_t n,
    function_ref<SmallVector<AffineExpr>(AffineExpr, AffineExpr)> weightMap);

/// The column of an [M, K] matrix each column of its copy with a zero
/// column inserted before each of `positions` (ascending) comes from; -1
/// for the inserted ones.
SmallVector<int64_t> getPaddedColumns(int64_t k, ArrayRef<int64_t> positions);

/// `value` [M, K] with a zero column inserted before each of `positions`
/// (ascending): slices and zeros concatenated along K.
Value insertZeroColumns(OpBuilder &b, Location loc, Value value,
                        ArrayRef<int64_t> positions);

/// onednn without VNNI skips the taps that read zero padding, and a
/// transposed conv's the gaps of its spread input: they hold code 0, not
/// the input zero point, and `zx * sum(w)` is compensated over the other
/// taps only. With those positions holding code 0, the common epilogue's
/// `- zx * sum(w)` over all taps is made right by adding `zx` times the
/// weights of each output position's skipped taps: a compile-time constant
/// over (out..., O), read from the accumulator's loops through `termMap`
/// (it never depends on the batch index). `weightType` is the conv's, O x
/// C/groups x kernel...; `outShape` the result's spatial sizes;
/// `isSkipped(d, x)` whether position `x` of spatial dimension `d` of the
/// (padded) input is skipped.
Value addSkippedTapsTerm(OpBuilder &b, Location loc, Value acc,
                         AffineMap termMap, ArrayRef<int64_t> outShape,
                         DenseIntElementsAttr weightValues,
                         RankedTensorType weightType, ArrayRef<int64_t> strides,
                         ArrayRef<int64_t> dilations,
                         function_ref<bool(int64_t, int64_t)> isSkipped,
                         int64_t zeroPoint);

} // namespace mlir::qnn

#endif // QNN_LIB_CONVERSION_QNNTOLINALG_INTEGERSUMS_H
