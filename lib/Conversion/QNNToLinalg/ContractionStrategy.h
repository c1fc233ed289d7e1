//===- ContractionStrategy.h - how integer contractions are computed -*- C++
//-*-===//
//
// The target half of the contraction lowering. --convert-qnn-to-linalg
// leaves the engine's int32 sums as qnn.int_matmul / qnn.int_conv; here
// every target decision is made, from the op alone: which form computes it
// (the runtime's GEMM micro-kernel on a weight packed at compile time,
// KernelCalls.h, or a linalg.generic), recorded in the op's `strategy`
// attribute by --qnn-select-contraction-strategy, then built by
// --qnn-lower-integer-contractions. The sums are the same in every form.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_LIB_CONVERSION_QNNTOLINALG_CONTRACTIONSTRATEGY_H
#define QNN_LIB_CONVERSION_QNNTOLINALG_CONTRACTIONSTRATEGY_H

#include "qnn/Dialect/QNN/IR/QNNOps.h"

#include "llvm/ADT/StringRef.h"

namespace mlir::qnn {

/// "runtime_gemm" when the weight is a constant the micro-kernel takes
/// (unsigned input, signed weight), else "generic".
StringRef selectStrategy(IntMatmulOp op);

/// "im2col_gemm" for one group and a constant weight the micro-kernel takes,
/// else "direct".
StringRef selectStrategy(IntConvOp op);

} // namespace mlir::qnn

#endif // QNN_LIB_CONVERSION_QNNTOLINALG_CONTRACTIONSTRATEGY_H
