//===- QNNNormOps.td - normalizations -*- tablegen -*-===//
//
// Included by QNNOps.td; one file per op family.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_DIALECT_QNN_IR_QNNNORMOPS_TD
#define QNN_DIALECT_QNN_IR_QNNNORMOPS_TD

def QNN_BatchNormOp : QNN_Op<"batch_norm", [Pure]> {
  let summary = "Inference batch normalization (BatchNorm2d/3d, BNReLU2d/3d)";
  let description = [{
    PyTorch's quantized `batch_norm2d` / `batch_norm3d` of an `N x C x H x
    W` (or `N x C x D x H x W`) tensor with the running statistics: per
    channel `c`, `y = (x - mean[c]) / sqrt(var[c] + eps) * weight[c] +
    bias[c]`, quantized to the result type. `weight`, `bias`, `mean` and
    `var` are f32 tensors of `C` entries; the optional `post_op` is `relu`
    (`BNReLU`).

    Torch folds the statistics and both scales into one multiplier and
    offset per channel, `alpha` and `beta` (computed in float and double,
    docs/numerics/norms.md), and computes `rint(fma(alpha, q - zp_in,
    beta)) + zp_out` on the codes, the same under every engine.

    ```mlir
    %y = qnn.batch_norm %x, %w, %b, %mean, %var eps = 1.0e-05
        : tensor<1x4x8x8x!quant.uniform<u8:f32, 0.1:3>>, tensor<4xf32>,
          tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
        -> tensor<1x4x8x8x!quant.uniform<u8:f32, 0.2:10>>
    ```
  }];
  let arguments = (ins QNN_QuantizedTensor:$input, QNN_FloatTensor:$weight,
                   QNN_FloatTensor:$bias, QNN_FloatTensor:$mean,
                   QNN_FloatTensor:$var, F64Attr:$eps,
                   OptionalAttr<QNN_ActivationAttr>:$post_op);
  let results = (outs QNN_QuantizedTensor:$result);
  let assemblyFormat = [{
    $input `,` $weight `,` $bias `,` $mean `,` $var `eps` `=` $eps
    (`post_op` `=` custom<Activation>($post_op)^)? attr-dict `:`
    type($input) `,` type($weight) `,` type($bias) `,` type($mean) `,`
    type($var) `->` type($result)
  }];
  let hasVerifier = 1;
}

#endif // QNN_DIALECT_QNN_IR_QNNNORMOPS_TD
