//===- Passes.td - qnn dialect passes ----------------------*- tablegen -*-===//

#ifndef QNN_DIALECT_QNN_TRANSFORMS_PASSES_TD
#define QNN_DIALECT_QNN_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def QNNFusePass : Pass<"qnn-fuse"> {
  let summary = "Fuse quantized patterns into qnn ops";
  let description = [{
    Input: any IR with qnn ops, possibly in the decomposed reference form
    produced by `--qnn-decompose`.

    Output: the same computation with fused qnn ops, each exactly what the
    ops it replaces computed:
    - `qnn.activation` (any entry of the activation table but prelu) of a
      single-use `qnn.linear` / `qnn.conv` without post-op becomes the op's
      post-op; the producer's result type becomes the op's `intermediate`
      type, so the activation applies to the same requantized values. After
      an add only clamps that keep the quantization fuse (relu, relu6,
      hardtanh);
    - `qnn.add` of a single-use `qnn.conv` (no added input, no post-op)
      becomes `qnn.conv` with the other operand as its added input, the
      conv's result type as intermediate type and the add's post-op;
    - `qnn.quantize` of a float computation on `qnn.dequantize`d operands
      (the reference form) is lifted back to `qnn.linear`, `qnn.conv`,
      `qnn.add` (with a trailing clamp as post-op), `qnn.activation` (every
      entry of the table, recognised from the IR its builder makes) or
      `qnn.requantize`, keeping the result type and with it any custom
      qmin/qmax. A float activation other than a clamp applied to a linear
      or conv before any rounding is not lifted as a post-op: no PyTorch
      chain computes it.

    Nothing is fused when an intermediate value has other users or when the
    fused op would not verify (an engine restriction, say). The pass does
    not fold: folding (`x * 1.0` of a parameter equal to one) would change
    the reference form before it is recognised.
  }];
  let dependentDialects = [
    "::mlir::qnn::QNNDialect", "::mlir::arith::ArithDialect",
    "::mlir::math::MathDialect", "::mlir::linalg::LinalgDialect",
    "::mlir::tensor::TensorDialect"
  ];
}

def QNNDecomposePass : Pass<"qnn-decompose"> {
  let summary = "Rewrite quantized qnn ops into dequantize / float op / quantize";
  let description = [{
    Input: IR with qnn ops.

    Output: PyTorch's reference form. Every `qnn.linear`, `qnn.conv`
    (`qnn.conv_transpose` first becomes the conv it equals, as in
    `--qnn-conv-transpose-to-conv`),
    `qnn.add`, `qnn.mul`, the scalar ops, `qnn.activation`, the poolings,
    `qnn.mean`, `qnn.upsample_nearest`, `qnn.permute` and `qnn.requantize`
    (not `qnn.embedding`/`qnn.embedding_bag`: they take integer codes and
    float row parameters and return floats, their own reference form)
    becomes `qnn.dequantize` of its quantized operands, the float
    computation in `linalg`, `tensor`, `arith` and `math`, and
    `qnn.quantize` to the op's result type (whose storage bounds are the
    explicit qmin/qmax). What records an engine's rounding quirks rather
    than the op's meaning (`scalar_ranges`, `fma_channels`) has no place in
    the float form and does not come back from --qnn-fuse. The
    float computation of a convolution is: padding (`tensor.pad` for zeros,
    `tensor.concat` of slices for reflect / replicate / circular), a
    grouped `linalg.generic` convolution, bias, added input. An activation
    is its table entry's formula. A post-op that is a clamp between equal
    types applies to the float value before the final quantize; any other
    post-op applies, as in the unfused chain, to the value quantized to the
    op's intermediate type and dequantized again. No folding happens, so
    the form is the one --qnn-fuse recognises.

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

def QNNConvTransposeToConvPass : Pass<"qnn-conv-transpose-to-conv"> {
  let summary = "Rewrite qnn.conv_transpose into the qnn.conv it equals";
  let description = [{
    Input: IR with `qnn.conv_transpose` ops (static shapes).

    Output: each one replaced by a `qnn.conv` with unit strides, no
    padding and the same dilations and groups, over the input spread out
    on its storage integers (`quant.scast`, `tensor.splat` of the input's
    zero point, a strided `tensor.insert_slice`, a `tensor.extract_slice`
    where the padding crops) and the weight transposed per group and
    flipped (rearranged at compile time when it is a constant). The zero
    points in the gaps add nothing to the integer sums, so the conv is
    exactly what the engines compute. A `qnn.dynamic_conv_transpose`
    becomes the `qnn.dynamic_conv` of its float input spread out with 0.0,
    which quantizes to the zero point. `--convert-qnn-to-linalg` and
    `--qnn-decompose` apply the same rewrites.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::linalg::LinalgDialect",
    "::mlir::quant::QuantDialect", "::mlir::tensor::TensorDialect"
  ];
}

#endif // QNN_DIALECT_QNN_TRANSFORMS_PASSES_TD
