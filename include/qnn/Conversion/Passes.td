//===- Passes.td - qnn conversion passes -------------------*- tablegen -*-===//

#ifndef QNN_CONVERSION_PASSES_TD
#define QNN_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertQNNToLinalgPass : Pass<"convert-qnn-to-linalg", "ModuleOp"> {
  let summary = "Lower qnn ops to integer linalg with the engine's requantization";
  let description = [{
    Input: a module with qnn ops (fused or decomposed) and a
    `qnn.numerics` attribute naming the engine whose arithmetic to
    reproduce (ops whose lowering is engine-independent, such as the casts
    and clamps, lower without it).

    Output: no quant ops and no quantized types, and no qnn ops but the
    integer contractions. Quantized tensors become tensors of their
    storage integers (function signatures included; unsigned storage stays
    signless `i8` and is zero-extended where it is read). `qnn.linear` and
    `qnn.conv` become the engine's int32 sums (`qnn.int_matmul`,
    `qnn.int_conv`, with its pairing rule) with the zero-point corrections,
    followed by an elementwise requantization epilogue implementing the
    engine's formulas (per-channel weights, bias, post-ops, the added input
    of conv-add, every padding mode). `qnn.add` uses the engine's add
    formula; quantize, dequantize and requantize use PyTorch's rounding;
    relu and relu6 are integer clamps. The float computations of the
    reference form are left as they are (arith and linalg on f32 tensors).
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::func::FuncDialect",
    "::mlir::linalg::LinalgDialect", "::mlir::math::MathDialect",
    "::mlir::scf::SCFDialect", "::mlir::tensor::TensorDialect"
  ];
}

def QNNSelectContractionStrategyPass
    : Pass<"qnn-select-contraction-strategy", "ModuleOp"> {
  let summary = "Choose how each integer contraction is computed on the target";
  let description = [{
    Sets the `strategy` of every `qnn.int_matmul` (`runtime_gemm` when the
    weight is a constant the runtime's micro-kernel takes, else `generic`)
    and `qnn.int_conv` (`im2col_gemm` for one group and such a weight, else
    `direct`) that has none; a strategy already set is kept.
  }];
}

def QNNLowerIntegerContractionsPass
    : Pass<"qnn-lower-integer-contractions", "ModuleOp"> {
  let summary = "Build qnn.int_matmul / qnn.int_conv by their strategies";
  let description = [{
    Lowers each integer contraction by its `strategy` (selected as
    --qnn-select-contraction-strategy does when absent): the runtime's GEMM
    as a `linalg.generic` tagged with its `library_call` on a weight packed
    at compile time into the runtime's layout (im2col of the channels-last
    input for a conv), or a `linalg.generic` contraction; saturating pairs
    as the engine forms them. Tags and counts the runtime calls for
    --qnn-library-calls.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::linalg::LinalgDialect",
    "::mlir::tensor::TensorDialect"
  ];
}

#endif // QNN_CONVERSION_PASSES_TD
