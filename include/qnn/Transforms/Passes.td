//===- Passes.td - qnn code generation passes --------------*- tablegen -*-===//

#ifndef QNN_TRANSFORMS_PASSES_TD
#define QNN_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def QNNMemRefCopyToLinalgPass : Pass<"qnn-memref-copy-to-linalg"> {
  let summary = "Rewrite memref.copy as linalg.copy";
  let description = [{
    Input: bufferized IR. Output: the same with every `memref.copy`
    replaced by a `linalg.copy`, which lowers to loops (and vectorizes)
    instead of calling the `memrefCopy` runtime function for strided
    memrefs: compiled models then depend on nothing but libc.
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect"];
}

#endif // QNN_TRANSFORMS_PASSES_TD
