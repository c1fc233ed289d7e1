//===- KernelCalls.cpp - the runtime's GEMM micro-kernels ----------------===//
//
// The only place the compiler knows the runtime's kernels: their names, the
// packed weight layout (QNN_PACK_N x QNN_PACK_K tiles, from the runtime's
// own header) and which contractions they take.
//
//===----------------------------------------------------------------------===//

#include "KernelCalls.h"
#include "IntegerSums.h"
#include "qnn/Dialect/QNN/Utils/QuantUtils.h"

#include "qnn/Runtime/Gemm.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"

using namespace mlir;

namespace mlir::qnn {

namespace {
/// The runtime's GEMM entry points (runtime/include/qnn/Runtime/Gemm.h).
constexpr StringLiteral kGemmLibraryCall = "qnn_gemm_u8s8s32";
constexpr StringLiteral kSat16LibraryCall = "qnn_gemm_u8s8s32_sat16";
} // namespace

DenseElementsAttr packWeight(OpBuilder &b, DenseIntElementsAttr values,
                             int64_t n, int64_t k,
                             function_ref<int64_t(int64_t, int64_t)> index) {
  SmallVector<int8_t> stored;
  stored.reserve(values.getNumElements());
  for (const APInt &v : values.getValues<APInt>())
    stored.push_back(static_cast<int8_t>(v.getSExtValue()));
  constexpr int64_t tileN = QNN_PACK_N, tileK = QNN_PACK_K;
  int64_t nBlocks = (n + tileN - 1) / tileN, kBlocks = (k + tileK - 1) / tileK;
  SmallVector<int8_t> packed(nBlocks * kBlocks * tileN * tileK, 0);
  for (int64_t r = 0; r < n; ++r)
    for (int64_t c = 0; c < k; ++c)
      if (int64_t i = index(r, c); i >= 0)
        packed[(((r / tileN) * kBlocks + c / tileK) * tileN + r % tileN) *
                   tileK +
               c % tileK] = stored[i];
  auto type =
      RankedTensorType::get({nBlocks, kBlocks, tileN, tileK}, b.getI8Type());
  return DenseElementsAttr::get(type, ArrayRef<int8_t>(packed));
}

SmallVector<AffineExpr> packedWeightIndex(AffineExpr n, AffineExpr k) {
  return {n.floorDiv(QNN_PACK_N), k.floorDiv(QNN_PACK_K), n % QNN_PACK_N,
          k % QNN_PACK_K};
}

Value buildPackedGemm(OpBuilder &b, Location loc, Value a,
                      DenseElementsAttr packed, int64_t n, bool sat16) {
  if (sat16) {
    // The shape-only window and the repeated operands of the pair form are
    // not passed to the kernel.
    Value acc =
        buildSat16PairGemm(b, loc, a, arith::ConstantOp::create(b, loc, packed),
                           n, packedWeightIndex);
    acc.getDefiningOp()->setAttr("library_call",
                                 b.getStringAttr(kSat16LibraryCall));
    return acc;
  }
  MLIRContext *ctx = b.getContext();
  auto aType = cast<RankedTensorType>(a.getType());
  int64_t m = aType.getDimSize(0);
  AffineExpr dm = getAffineDimExpr(0, ctx), dn = getAffineDimExpr(1, ctx),
             dk = getAffineDimExpr(2, ctx);
  auto map = [&](ArrayRef<AffineExpr> exprs) {
    return AffineMap::get(3, 0, exprs, ctx);
  };
  Value weight = arith::ConstantOp::create(b, loc, packed);
  using utils::IteratorType;
  Value acc = buildIntegerSum(b, loc, {m, n}, {a, weight}, {false, true},
                              {map({dm, dk}), map(packedWeightIndex(dn, dk))},
                              map({dm, dn}),
                              {IteratorType::parallel, IteratorType::parallel,
                               IteratorType::reduction});
  acc.getDefiningOp()->setAttr("library_call",
                               b.getStringAttr(kGemmLibraryCall));
  return acc;
}

std::optional<DenseIntElementsAttr>
getKernelWeight(bool inputSigned, bool weightSigned, Value weight) {
  if (inputSigned || !weightSigned)
    return std::nullopt;
  return getConstantStorage(weight);
}

} // namespace mlir::qnn
