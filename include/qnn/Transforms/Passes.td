//===- Passes.td - qnn code generation passes --------------*- tablegen -*-===//

#ifndef QNN_TRANSFORMS_PASSES_TD
#define QNN_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def QNNLowerMemRefCopiesPass : Pass<"qnn-lower-memref-copies"> {
  let summary = "Lower memref.copy to memcpy of contiguous runs or linalg.copy";
  let description = [{
    Input: bufferized IR. Output: the same where every `memref.copy` either
    copies contiguous memrefs (which the LLVM lowering turns into
    `llvm.memcpy`, inlined for static sizes), or was rewritten: a strided
    copy whose innermost dimensions are contiguous runs in both memrefs
    (the interior of a padded buffer) into `scf.for` loops over the outer
    dimensions around a `memref.copy` of one run; any other into a
    `linalg.copy`, which lowers to loops. No copy is left for the LLVM
    lowering to turn into a call of the `memrefCopy` runtime function:
    compiled models depend on nothing but libc.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::linalg::LinalgDialect",
                           "::mlir::memref::MemRefDialect",
                           "::mlir::scf::SCFDialect"];
}

def QNNFoldResultCopiesPass : Pass<"qnn-fold-result-copies", "::mlir::func::FuncOp"> {
  let summary = "Compute results in their out-parameters instead of copying";
  let description = [{
    Input: a bufferized function after `buffer-results-to-out-params`,
    before the deallocation pipeline. A `memref.copy` from an allocation,
    or from expand_shape / collapse_shape views of it, into an
    out-parameter (a function argument with no other use) that is the last
    use of the allocation: the allocation is replaced by the out-parameter
    reshaped back to its shape, and the copy is erased. Upstream's
    `hoist-static-allocs` folds only results that are the allocation
    itself. Out-parameters are then written during the call, so they must
    not alias the inputs (qnn's callers allocate them fresh).
  }];
}

def QNNAvoidCopiesPass : Pass<"qnn-avoid-copies", "::mlir::func::FuncOp"> {
  let summary = "Rewrite tensor IR that would bufferize into copies";
  let description = [{
    Input: a function on tensors, before one-shot bufferization. Output:
    the same where (1) a `linalg.fill` that several ops take as their init
    (CSE merges the zero fills of accumulators) is cloned for each but the
    first, so that each writes its own buffer instead of a copy of one
    filled buffer; (2) a `tensor.pad` with a constant value of the result
    of a linalg op (not a runtime kernel call) whose init is a
    `tensor.empty` becomes a fill of the padded tensor, the op writing into
    its interior (`tensor.extract_slice` as the init) and a
    `tensor.insert_slice` of the result: the op then writes into the padded
    buffer in place instead of into a buffer copied there (other readers of
    the result, a residual add, read the interior).
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::linalg::LinalgDialect",
                           "::mlir::tensor::TensorDialect"];
}

def QNNDistinctResultsPass : Pass<"qnn-distinct-results", "::mlir::func::FuncOp"> {
  let summary = "Give each tensor result of a function its own value";
  let description = [{
    Input: a function on tensors. Output: the same where a value returned
    more than once is returned once and copied (`linalg.copy` into a
    `tensor.empty`) for each further position, so that bufferization gives
    each result its own buffer: results become distinct caller-allocated
    out-parameters (upstream's buffer-results-to-out-params cannot map one
    buffer to two out-parameters).
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect",
                           "::mlir::tensor::TensorDialect"];
}

def QNNPropagateLayoutPass : Pass<"qnn-propagate-layout", "::mlir::func::FuncOp"> {
  let summary = "Keep activations channels-last between contractions";
  let description = [{
    Input: linalg on tensors after --qnn-lower-integer-contractions. The
    contractions compute channels-last (a conv's GEMM rows are pixels, its
    columns channels) on tensors whose layout is torch's NCHW: each conv
    transposes its input to NHWC and its epilogue writes NCHW from NHWC
    accumulators, so between two convs an activation is copied
    NHWC -> NCHW -> NHWC with strided accesses, which cost more than a
    mobilenet's pointwise GEMMs.

    Output: the same computation with the transposes moved towards the
    function's results, where they cancel against each other. A
    permuted-output elementwise `linalg.generic` (an epilogue) computes in
    its loop order and is followed by a `linalg.transpose`; transposes
    sink through elementwise generics (all operands transposed alike, or
    broadcast), through `tensor.pad` and into each other (inverse pairs
    vanish). A transpose that is left (at the model's edges) becomes the
    runtime's 8-bit transpose kernel (`library_call = "qnn_transpose_8"`) if
    it swaps two groups of dimensions, else folds back into its producer's
    output map. Kernel calls (`library_call`) are never rewritten.
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect",
                           "::mlir::tensor::TensorDialect"];
}

def QNNFuseElementwisePass : Pass<"qnn-fuse-elementwise"> {
  let summary = "Fuse elementwise linalg ops, leaving runtime kernel calls alone";
  let description = [{
    Input: linalg on tensors. Output: elementwise producers fused into their
    single-use consumers, as `--linalg-fuse-elementwise-ops` does, except
    that no `linalg.generic` with a `library_call` (an int8 GEMM marked by
    --qnn-lower-integer-contractions for the runtime) is rewritten: upstream fusion
    would fuse a previous layer's epilogue into it, or fold a splat weight
    into its body, and drop the mark, turning the kernel call into loops.
    Epilogues still fuse with each other and with the ops after them.
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect",
                           "::mlir::affine::AffineDialect",
                           "::mlir::tensor::TensorDialect"];
}

def QNNLibraryCallsPass : Pass<"qnn-library-calls", "ModuleOp"> {
  let summary = "Call the runtime for linalg ops that carry a library_call";
  let description = [{
    Input: bufferized IR. Output: every linalg op with a `library_call`
    attribute (the int8 GEMM that --qnn-lower-integer-contractions marks for the
    runtime's micro-kernels) becomes a `func.call` of that function with
    each distinct memref the op reads or writes, in operand order (inputs
    its body never reads, such as shape-only window operands, are not
    passed), through MLIR's C interface (`_mlir_ciface_<name>` taking
    memref descriptors). Other linalg ops are left to be compiled.

    --qnn-lower-integer-contractions records how many ops it marked in the module's
    `qnn.runtime_calls` attribute; if fewer reach this pass, a pass in
    between dropped a mark and the pass fails rather than compiling the
    kernel as loops unnoticed. With `emit-calls=0` the marked ops stay to
    be compiled as loops and only the attribute is removed.
  }];
  let options = [
    Option<"emitCalls", "emit-calls", "bool", /*default=*/"true",
           "Replace the marked ops by calls (off: leave them to be compiled)">
  ];
  let dependentDialects = ["::mlir::func::FuncDialect",
                           "::mlir::memref::MemRefDialect"];
}

#endif // QNN_TRANSFORMS_PASSES_TD
