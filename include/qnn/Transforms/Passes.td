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

def QNNLibraryCallsPass : Pass<"qnn-library-calls", "ModuleOp"> {
  let summary = "Call the runtime for linalg ops that carry a library_call";
  let description = [{
    Input: bufferized IR. Output: every linalg op with a `library_call`
    attribute (the int8 GEMM that --convert-qnn-to-linalg marks for the
    runtime's micro-kernels) becomes a `func.call` of that function with
    each distinct memref the op reads or writes, in operand order (inputs
    its body never reads, such as shape-only window operands, are not
    passed), through MLIR's C interface (`_mlir_ciface_<name>` taking
    memref descriptors). Other linalg ops are left to be compiled.
  }];
  let dependentDialects = ["::mlir::func::FuncDialect",
                           "::mlir::memref::MemRefDialect"];
}

#endif // QNN_TRANSFORMS_PASSES_TD
