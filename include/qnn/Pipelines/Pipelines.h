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
  PassOptions::Option<bool> vectorize{
      *this, "vectorize",
      llvm::cl::desc("Tile and vectorize linalg ops before bufferization"),
      llvm::cl::init(true)};
  PassOptions::Option<int64_t> vectorWidth{
      *this, "vector-width",
      llvm::cl::desc("Vector width in bits for tiling (0: from the host)"),
      llvm::cl::init(0)};
};

/// qnn (fused or decomposed) -> integer linalg -> (tiled, vectorized) ->
/// bufferized with results as out-parameters -> LLVM dialect.
void buildQNNLowerToLLVMPipeline(OpPassManager &pm,
                                 const QNNLowerToLLVMOptions &options);

/// Registers --qnn-lower-to-llvm.
void registerQNNPipelines();

} // namespace qnn
} // namespace mlir

#endif // QNN_PIPELINES_PIPELINES_H
