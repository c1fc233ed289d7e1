//===- KernelCalls.h - the runtime's GEMM micro-kernels -*- C++ -*-===//
//
// Contractions the runtime's micro-kernels compute: the weight packed at
// compile time into the runtime's layout (defined once, in
// runtime/include/qnn/Runtime/Gemm.h) and a linalg.generic tagged with the
// kernel's library_call, which the pipeline turns into the call.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_LIB_CONVERSION_QNNTOLINALG_KERNELCALLS_H
#define QNN_LIB_CONVERSION_QNNTOLINALG_KERNELCALLS_H

#include "mlir/IR/AffineExpr.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"

namespace mlir::qnn {

/// Packs a constant weight, given as `n` rows of `k` stored values (row r,
/// column c at `values[index(r, c)]`, zero where the index is negative),
/// into the runtime's layout (qnn_pack_b_s8's):
/// [ceil(n / QNN_PACK_N)][ceil(k / QNN_PACK_K)][QNN_PACK_N][QNN_PACK_K],
/// zero-padded.
DenseElementsAttr packWeight(OpBuilder &b, DenseIntElementsAttr values,
                             int64_t n, int64_t k,
                             function_ref<int64_t(int64_t, int64_t)> index);

/// The packed weight's indices for output channel n, reduction index k.
SmallVector<AffineExpr> packedWeightIndex(AffineExpr n, AffineExpr k);

/// acc[m, n] = sum_k extui(a[m, k]) * extsi(w[n, k]) with the weight packed
/// by packWeight (or its saturating-pair form with `sat16`): a
/// linalg.generic that the pipeline turns into a call to the runtime's GEMM
/// micro-kernel.
Value buildPackedGemm(OpBuilder &b, Location loc, Value a,
                      DenseElementsAttr packed, int64_t n, bool sat16);

/// Whether the micro-kernel path applies to 8-bit codes: unsigned input,
/// signed constant weight (whose codes it returns).
std::optional<DenseIntElementsAttr>
getKernelWeight(bool inputSigned, bool weightSigned, Value weight);

} // namespace mlir::qnn

#endif // QNN_LIB_CONVERSION_QNNTOLINALG_KERNELCALLS_H
