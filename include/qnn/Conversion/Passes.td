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

    Output: no qnn or quant ops and no quantized types. Quantized tensors
    become tensors of their storage integers (function signatures
    included; unsigned storage stays signless `i8` and is zero-extended
    where it is read). `qnn.linear` and `qnn.conv` become `linalg.generic`
    contractions accumulating in int32 with the zero-point corrections,
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

#endif // QNN_CONVERSION_PASSES_TD
