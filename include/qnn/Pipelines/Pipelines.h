//===- Pipelines.h - qnn pass pipelines -------------------------*- C++ -*-===//
//
// Pipelines are C++ builders so that qnn-opt and qnn-run run the same
// passes: what the tests check is what runs.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_PIPELINES_PIPELINES_H
#define QNN_PIPELINES_PIPELINES_H

#include "mlir/Pass/PassOptions.h"

namespace mlir {
class OpPassManager;
namespace qnn {

struct QNNLowerToLLVMOptions
    : public PassPipelineOptions<QNNLowerToLLVMOptions> {
  PassOptions::Option<bool> libraryCalls{
      *this, "library-calls",
      llvm::cl::desc("Call the runtime's GEMM micro-kernels for the int8 "
                     "contractions that --convert-qnn-to-linalg marks (off: "
                     "compile them as loops, needing no runtime library)"),
      llvm::cl::init(true)};
};

/// qnn (fused or decomposed) -> integer linalg -> bufferized with results as
/// out-parameters -> runtime micro-kernel calls -> loops -> LLVM dialect.
/// Vectorization for the host happens in LLVM (qnn-run runs -O3 for the
/// host CPU, or the CPU and features given with --mcpu / --mattr).
void buildQNNLowerToLLVMPipeline(OpPassManager &pm,
                                 const QNNLowerToLLVMOptions &options);

/// Registers --qnn-lower-to-llvm.
void registerQNNPipelines();

} // namespace qnn
} // namespace mlir

#endif // QNN_PIPELINES_PIPELINES_H
