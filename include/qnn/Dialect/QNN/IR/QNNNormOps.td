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

def QNN_LayerNormOp : QNN_Op<"layer_norm", [Pure, AttrSizedOperandSegments]> {
  let summary = "Layer normalization over the trailing dimensions (LayerNorm)";
  let description = [{
    PyTorch's quantized `layer_norm`: each group of the input's last
    `normalized_rank` dimensions is normalized by its mean and (biased)
    variance, `y = (x - mean) / sqrt(var + eps) * weight + bias`, with the
    optional `weight` and `bias` (f32, the normalized shape; absent: 1 and
    0), and quantized to the result type. Torch computes the statistics from
    exact integer sums of the codes and the rest in float with one step in
    double (docs/numerics/norms.md); so does qnn.

    ```mlir
    %y = qnn.layer_norm %x weight(%w) bias(%b) normalized_rank = 1
        eps = 1.0e-05 : tensor<2x8x!quant.uniform<u8:f32, 0.1:3>>,
        tensor<8xf32>, tensor<8xf32> -> tensor<2x8x!quant.uniform<u8:f32, 0.05:128>>
    ```
  }];
  let arguments = (ins QNN_QuantizedTensor:$input,
                   Optional<QNN_FloatTensor>:$weight,
                   Optional<QNN_FloatTensor>:$bias, I64Attr:$normalized_rank,
                   F64Attr:$eps);
  let results = (outs QNN_QuantizedTensor:$result);
  let assemblyFormat = [{
    $input (`weight` `(` $weight^ `)`)? (`bias` `(` $bias^ `)`)?
    `normalized_rank` `=` $normalized_rank `eps` `=` $eps attr-dict `:`
    type($input) (`,` type($weight)^)? (`,` type($bias)^)? `->` type($result)
  }];
  let hasVerifier = 1;
}

def QNN_GroupNormOp : QNN_Op<"group_norm", [Pure, AttrSizedOperandSegments]> {
  let summary = "Group normalization (GroupNorm; InstanceNorm with one channel per group)";
  let description = [{
    PyTorch's quantized `group_norm` of an `N x C x spatial...` tensor: the
    channels are split into `groups` groups, each group of each sample is
    normalized by its mean and (biased) variance, then scaled and shifted
    per channel by the optional `weight` and `bias` (f32, `C` entries;
    absent: 1 and 0), and quantized to the result type. `nnq.InstanceNorm*`
    is the same with `groups = C`. The arithmetic is qnn.layer_norm's with
    the factor multiplied into the channel's weight first
    (docs/numerics/norms.md).

    ```mlir
    %y = qnn.group_norm %x weight(%w) bias(%b) groups = 2 eps = 1.0e-05
        : tensor<1x4x8x8x!quant.uniform<u8:f32, 0.1:3>>, tensor<4xf32>,
        tensor<4xf32> -> tensor<1x4x8x8x!quant.uniform<u8:f32, 0.05:128>>
    ```
  }];
  let arguments = (ins QNN_QuantizedTensor:$input,
                   Optional<QNN_FloatTensor>:$weight,
                   Optional<QNN_FloatTensor>:$bias, I64Attr:$groups,
                   F64Attr:$eps);
  let results = (outs QNN_QuantizedTensor:$result);
  let assemblyFormat = [{
    $input (`weight` `(` $weight^ `)`)? (`bias` `(` $bias^ `)`)?
    `groups` `=` $groups `eps` `=` $eps attr-dict `:`
    type($input) (`,` type($weight)^)? (`,` type($bias)^)? `->` type($result)
  }];
  let hasVerifier = 1;
}

#endif // QNN_DIALECT_QNN_IR_QNNNORMOPS_TD
