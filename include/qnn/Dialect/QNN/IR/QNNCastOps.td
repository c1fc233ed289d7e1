//===- QNNCastOps.td - quantize, dequantize, requantize -*- tablegen -*-===//
//
// Included by QNNOps.td; one file per op family.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_DIALECT_QNN_IR_QNNCASTOPS_TD
#define QNN_DIALECT_QNN_IR_QNNCASTOPS_TD

//===----------------------------------------------------------------------===//
// Quantize / dequantize / requantize
//===----------------------------------------------------------------------===//

class QNN_CastOp<string mnemonic, Type inTy, Type outTy, list<Trait> traits = []>
    : QNN_Op<mnemonic, !listconcat(traits, [Pure])> {
  let arguments = (ins inTy:$input);
  let results = (outs outTy:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
}

def QNN_QuantizeOp : QNN_CastOp<"quantize", QNN_FloatTensor, QNN_QuantizedTensor> {
  let summary = "Quantize a float tensor (PyTorch quantize_per_tensor/channel)";
  let description = [{
    Quantizes each element with the scale and zero point of the result type,
    rounding half to even and saturating to the storage bounds of the result
    type, which carry custom qmin/qmax:

    `q = clamp(zp + rint(x * f32(1 / scale)), qmin, qmax)`

    This is `quantized_decomposed.quantize_per_tensor(x, scale, zp, qmin,
    qmax, dtype)` (and `quantize_per_channel` for per-axis result types). It
    multiplies by the rounded reciprocal, as PyTorch does, rather than
    dividing.

    ```mlir
    %q = qnn.quantize %x : tensor<4xf32> -> tensor<4x!quant.uniform<u8:f32, 0.1:3>>
    %c = qnn.quantize %w : tensor<2x3xf32>
        -> tensor<2x3x!quant.uniform<i8<-127:127>:f32:0, {0.5, 0.25}>>
    ```
  }];
  let hasFolder = 1;
}

def QNN_DequantizeOp : QNN_CastOp<"dequantize", QNN_QuantizedTensor, QNN_FloatTensor> {
  let summary = "Dequantize a quantized tensor";
  let description = [{
    Converts each element back to float: `x = f32(scale) * f32(q - zp)`, per
    tensor or per channel.

    ```mlir
    %x = qnn.dequantize %q : tensor<4x!quant.uniform<u8:f32, 0.1:3>> -> tensor<4xf32>
    ```
  }];
}

def QNN_RequantizeOp : QNN_CastOp<"requantize", QNN_QuantizedTensor, QNN_QuantizedTensor> {
  let summary = "Change the quantization parameters of a tensor";
  let description = [{
    Equivalent to dequantizing with the input type and quantizing with the
    result type. Requantizing to the same type folds away.

    `fma_channels = k` dequantizes the first `k` entries of dimension 1 as
    `fma(s, q, f32(-z * s))` (one rounding) instead of `f32(s * f32(q -
    z))`: what torch's channels-last cat does with the channels its vector
    loops take (docs/numerics/arithmetic.md). Per-tensor input, rank 2 or
    more.

    ```mlir
    %r = qnn.requantize %q : tensor<4x!quant.uniform<u8:f32, 0.1:3>>
        -> tensor<4x!quant.uniform<u8:f32, 0.2:0>>
    %c = qnn.requantize %x {fma_channels = 32 : i64}
        : tensor<1x40x2x2x!quant.uniform<u8:f32, 0.1:3>>
        -> tensor<1x40x2x2x!quant.uniform<u8:f32, 0.2:0>>
    ```
  }];
  let arguments = (ins QNN_QuantizedTensor:$input,
                   OptionalAttr<I64Attr>:$fma_channels);
  let builders = [
    OpBuilder<(ins "Type":$result, "Value":$input), [{
      build($_builder, $_state, result, input, IntegerAttr());
    }]>
  ];
  let hasFolder = 1;
}

#endif // QNN_DIALECT_QNN_IR_QNNCASTOPS_TD
