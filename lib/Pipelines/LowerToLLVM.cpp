//===- LowerToLLVM.cpp - the --qnn-lower-to-llvm pipeline -----------------===//

#include "qnn/Conversion/Passes.h"
#include "qnn/Pipelines/Pipelines.h"
#include "qnn/Transforms/Passes.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

void mlir::qnn::buildQNNLowerToLLVMPipeline(
    OpPassManager &pm, const QNNLowerToLLVMOptions &options) {
  // qnn -> integer linalg on tensors: the semantic half (the engine's
  // integer contractions, corrections, requantization), then the target
  // half (how each contraction is computed).
  pm.addPass(createConvertQNNToLinalgPass());
  pm.addPass(createQNNSelectContractionStrategyPass());
  pm.addPass(createQNNLowerIntegerContractionsPass());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  pm.addNestedPass<func::FuncOp>(createConvertElementwiseToLinalgPass());
  // Activations channels-last from one contraction to the next.
  pm.addNestedPass<func::FuncOp>(createQNNPropagateLayoutPass());
  // Elementwise fusion that never rewrites an op marked for a runtime
  // kernel (upstream's would drop the mark).
  pm.addNestedPass<func::FuncOp>(createQNNFuseElementwisePass());
  pm.addPass(createCanonicalizerPass());

  // Tensors -> buffers. Results become caller-allocated out-parameters, so
  // a compiled function allocates nothing that outlives a call.
  // Each result its own buffer (a value returned twice is copied).
  pm.addNestedPass<func::FuncOp>(createQNNDistinctResultsPass());
  // Accumulators and padded results written in place, not copied.
  pm.addNestedPass<func::FuncOp>(createQNNAvoidCopiesPass());
  bufferization::OneShotBufferizePassOptions bufferizeOptions;
  bufferizeOptions.bufferizeFunctionBoundaries = true;
  bufferizeOptions.functionBoundaryTypeConversion =
      bufferization::LayoutMapOption::IdentityLayoutMap;
  // A recurrence's loop (scf.for over the steps of an LSTM) yields each
  // step's new state; the deallocation pipeline frees the previous one.
  bufferizeOptions.allowReturnAllocsFromLoops = true;
  pm.addPass(bufferization::createOneShotBufferizePass(bufferizeOptions));
  bufferization::BufferResultsToOutParamsPassOptions outParams;
  outParams.hoistStaticAllocs = true;
  outParams.modifyPublicFunctions = true;
  pm.addPass(bufferization::createBufferResultsToOutParamsPass(outParams));
  // CSE merges the two subviews of a padded buffer's interior (written in
  // place, then "inserted"), and the canonicalizer drops the self-copy.
  pm.addPass(createCSEPass());
  pm.addPass(createCanonicalizerPass());
  // A result that is a reshape of a buffer: computed in the out-parameter.
  pm.addNestedPass<func::FuncOp>(createQNNFoldResultCopiesPass());
  bufferization::BufferDeallocationPipelineOptions deallocOptions;
  bufferization::buildBufferDeallocationPipeline(pm, deallocOptions);

  // Micro-kernel calls, then loops -> LLVM.
  // Checks that every marked op arrived, then calls the runtime for them
  // (or, without library calls, leaves them to be compiled as loops).
  QNNLibraryCallsPassOptions callOptions;
  callOptions.emitCalls = options.libraryCalls;
  pm.addPass(createQNNLibraryCallsPass(callOptions));
  pm.addNestedPass<func::FuncOp>(createQNNLowerMemRefCopiesPass());
  pm.addNestedPass<func::FuncOp>(createConvertLinalgToLoopsPass());
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  pm.addPass(createSCFToControlFlowPass());
  pm.addPass(createConvertMathToLLVMPass());
  pm.addPass(createConvertMathToLibmPass());
  pm.addPass(createArithToLLVMConversionPass());
  // Buffers come from the runtime's allocator, which keeps freed blocks for
  // the next call (runtime/include/qnn/Runtime/Memory.h).
  FinalizeMemRefToLLVMConversionPassOptions memrefOptions;
  memrefOptions.useGenericFunctions = true;
  pm.addPass(createFinalizeMemRefToLLVMConversionPass(memrefOptions));
  pm.addPass(createConvertFuncToLLVMPass());
  pm.addPass(createConvertControlFlowToLLVMPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
  pm.addPass(createCanonicalizerPass());
}

void mlir::qnn::registerQNNPipelines() {
  PassPipelineRegistration<QNNLowerToLLVMOptions>(
      "qnn-lower-to-llvm",
      "Lower qnn to the LLVM dialect: integer linalg, bufferization "
      "(results as out-parameters), runtime micro-kernel calls, LLVM",
      buildQNNLowerToLLVMPipeline);
}
