//===- Passes.td - qnn dialect passes ----------------------*- tablegen -*-===//

#ifndef QNN_DIALECT_QNN_TRANSFORMS_PASSES_TD
#define QNN_DIALECT_QNN_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def QNNFusePass : Pass<"qnn-fuse"> {
  let summary = "Fuse quantized patterns into qnn ops";
  let description = [{
    Input: any IR with qnn ops, possibly in the decomposed reference form
    produced by `--qnn-decompose`.

    Output: the same computation with fused qnn ops:
    - `qnn.relu` of a single-use `qnn.conv` / `qnn.linear` without post-op
      becomes the op with `post_op = relu` (exact: the fused clamp and the
      separate clamp agree on every input);
    - `qnn.add` of a single-use `qnn.conv` (no added input, `post_op = none`)
      whose result type equals the add's result type becomes `qnn.conv`
      with the other operand as its added input and the add's post-op;
    - `qnn.quantize` of a float computation on `qnn.dequantize`d operands
      (the reference form) is lifted back to `qnn.linear`, `qnn.conv`,
      `qnn.add`, `qnn.relu`, `qnn.relu6` or `qnn.requantize`, keeping the
      result type and with it any custom qmin/qmax.

    Nothing is fused when an intermediate value has other users or when the
    quantization parameters of the pattern are inconsistent (e.g. a float
    relu requantized to a different scale is not a `qnn.relu`).
  }];
  let dependentDialects = ["::mlir::qnn::QNNDialect"];
}

def QNNDecomposePass : Pass<"qnn-decompose"> {
  let summary = "Rewrite quantized qnn ops into dequantize / float op / quantize";
  let description = [{
    Input: IR with qnn ops.

    Output: PyTorch's reference form. Every `qnn.linear`, `qnn.conv`,
    `qnn.add`, `qnn.relu`, `qnn.relu6` and `qnn.requantize` becomes
    `qnn.dequantize` of its quantized operands, the float computation in
    `linalg`, `tensor`, `arith` and `math`, and `qnn.quantize` to the op's
    result type (whose storage bounds are the explicit qmin/qmax). The
    float computation of a convolution is: padding (`tensor.pad` for zeros,
    `tensor.concat` of slices for reflect / replicate / circular), a
    grouped `linalg.generic` convolution, bias, added input, post-op.

    With `expand-casts`, `qnn.quantize` and `qnn.dequantize` are expanded
    too, into `arith`/`math` on the storage integers, with PyTorch's
    rounding: `clamp(zp + roundeven(x * f32(1/scale)), qmin, qmax)` and
    `f32(scale) * f32(q - zp)`. The result is free of quant types apart
    from the function boundary casts (`quant.scast`).
  }];
  let options = [
    Option<"expandCasts", "expand-casts", "bool", /*default=*/"false",
           "Also expand qnn.quantize / qnn.dequantize into arith and math">
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect", "::mlir::quant::QuantDialect",
    "::mlir::tensor::TensorDialect"
  ];
}

#endif // QNN_DIALECT_QNN_TRANSFORMS_PASSES_TD
