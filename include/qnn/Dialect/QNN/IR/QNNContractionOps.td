//===- QNNContractionOps.td - linear and conv -*- tablegen -*-===//
//
// Included by QNNOps.td; one file per op family.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_DIALECT_QNN_IR_QNNCONTRACTIONOPS_TD
#define QNN_DIALECT_QNN_IR_QNNCONTRACTIONOPS_TD

def QNN_LinearOp : QNN_Op<"linear", [Pure]> {
  let summary = "Quantized fully connected layer (nnq.Linear and fusions)";
  let description = [{
    `y = quantize(dequantize(x) @ dequantize(w)^T + b)`, computed by the
    integer arithmetic of the module's `qnn.numerics` engine.

    The input is `[..., K]` (rank 2 or more) and quantized per tensor; the
    weight is `[N, K]`, quantized per tensor or per output channel (axis 0);
    the optional bias is float `[N]`.

    The optional `post_op` is an activation of qnn's table applied to the
    requantized result, exactly as a `qnn.activation` after the unfused
    op: the contraction is requantized to `intermediate` (by default the
    result type), then the activation maps it to the result type. With
    `post_op = relu` this is nniq.LinearReLU; `nnq.Linear` followed by
    `nnq.LeakyReLU` or a quantized `torch.tanh` (LinearLeakyReLU and
    LinearTanh of newer PyTorch) fuse into it with their intermediate
    quantization.

    ```mlir
    %y = qnn.linear %x, %w bias(%b) post_op = relu
        : (tensor<4x8x!quant.uniform<u8:f32, 0.1:3>>,
           tensor<16x8x!quant.uniform<i8:f32, 0.05>>, tensor<16xf32>)
        -> tensor<4x16x!quant.uniform<u8:f32, 0.2:0>>
    %t = qnn.linear %x, %w post_op = tanh
        intermediate(!quant.uniform<u8:f32, 0.05:128>)
        : (tensor<4x8x!quant.uniform<u8:f32, 0.1:3>>,
           tensor<16x8x!quant.uniform<i8:f32, 0.05>>)
        -> tensor<4x16x!quant.uniform<u8:f32, 0.0078125:128>>
    ```
  }];
  let arguments = (ins QNN_QuantizedTensor:$input, QNN_QuantizedTensor:$weight,
                   Optional<QNN_FloatTensor>:$bias,
                   OptionalAttr<QNN_ActivationAttr>:$post_op,
                   OptionalAttr<TypeAttr>:$intermediate);
  let results = (outs QNN_QuantizedTensor:$result);
  let assemblyFormat = [{
    $input `,` $weight (`bias` `(` $bias^ `)`)?
    (`post_op` `=` custom<Activation>($post_op)^)?
    (`intermediate` `(` $intermediate^ `)`)?
    attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// The element type the contraction is requantized to before the
    /// post-op: `intermediate` if given, else the result's.
    ::mlir::Type getContractionElementType();
  }];
}

def QNN_ConvOp : QNN_Op<"conv", [Pure, AttrSizedOperandSegments]> {
  let summary = "Quantized 1-D/2-D/3-D convolution (nnq.ConvNd and fusions)";
  let description = [{
    A quantized convolution in PyTorch's layouts: input `N x C x spatial...`,
    weight `O x C/groups x kernel...`, optional float bias `[O]`. The number
    of spatial dimensions (1, 2 or 3) follows from the ranks. `strides`,
    `padding` (symmetric, per spatial dimension) and `dilations` have one
    entry per spatial dimension; `padding_mode` is PyTorch's (`zeros`,
    `reflect`, `replicate`, `circular`).

    The convolution is requantized to `intermediate` (by default the result
    type). The optional `add` operand is then added to it with the engine's
    quantized add (`qnn.add`), giving the result type: ConvAdd2d, or a conv
    followed by `QFunctional.add`. `post_op` is an activation applied last,
    as a `qnn.activation` would be: nniq.ConvReLUNd (`relu`), ConvAddReLU2d
    (`add` and `relu`). After an add, the post-op must be a clamp that
    keeps the quantization (relu, relu6, hardtanh).

    ```mlir
    %y = qnn.conv %x, %w bias(%b) strides = [1, 1] padding = [1, 1]
        dilations = [1, 1] groups = 1 post_op = relu
        : (tensor<1x3x8x8x!quant.uniform<u8:f32, 0.1:3>>,
           tensor<4x3x3x3x!quant.uniform<i8:f32:0, {0.5, 0.25, 0.5, 0.125}>>,
           tensor<4xf32>) -> tensor<1x4x8x8x!quant.uniform<u8:f32, 0.2:0>>
    ```
  }];
  let arguments = (ins QNN_QuantizedTensor:$input, QNN_QuantizedTensor:$weight,
                   Optional<QNN_FloatTensor>:$bias,
                   Optional<QNN_QuantizedTensor>:$addend,
                   DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$padding,
                   DenseI64ArrayAttr:$dilations, I64Attr:$groups,
                   DefaultValuedAttr<QNN_PaddingModeAttr, "PaddingMode::zeros">:$padding_mode,
                   OptionalAttr<QNN_ActivationAttr>:$post_op,
                   OptionalAttr<TypeAttr>:$intermediate);
  let results = (outs QNN_QuantizedTensor:$result);
  let assemblyFormat = [{
    $input `,` $weight (`bias` `(` $bias^ `)`)? (`add` `(` $addend^ `)`)?
    `strides` `=` $strides `padding` `=` $padding `dilations` `=` $dilations
    `groups` `=` $groups (`padding_mode` `=` $padding_mode^)?
    (`post_op` `=` custom<Activation>($post_op)^)?
    (`intermediate` `(` $intermediate^ `)`)?
    attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// Number of spatial dimensions (1, 2 or 3).
    int64_t getNumSpatialDims() {
      return ::llvm::cast<::mlir::RankedTensorType>(getInput().getType())
                 .getRank() - 2;
    }
    /// The element type the convolution is requantized to before the add
    /// and the post-op: `intermediate` if given, else the result's.
    ::mlir::Type getContractionElementType();
  }];
}

def QNN_ConvTransposeOp : QNN_Op<"conv_transpose", [Pure]> {
  let summary = "Quantized transposed 1-D/2-D/3-D convolution (nnq.ConvTransposeNd)";
  let description = [{
    The gradient of `qnn.conv` with respect to its input, in PyTorch's
    layouts: input `N x C_in x spatial...`, weight
    `C_in x C_out/groups x kernel...`, optional float bias `[C_out]`. Each
    spatial size of the result is
    `(in - 1) * stride - 2 * padding + dilation * (kernel - 1) +
    output_padding + 1`; `output_padding` (smaller than the stride or the
    dilation) adds rows at the high end only.

    A per-channel weight is quantized along axis 1, the output channels of
    a group: with `groups > 1` output channel `g * C_out/groups + o` has the
    scale of `o`, which is what dequantizing the weight means. (torch's
    observers refuse per-channel transposed weights, its onednn refuses
    them and qnnpack reads scales past the end for `groups > 1`; see
    docs/numerics/conv-transpose.md.)

    Every engine computes it as its convolution of the input with the
    input's zero point inserted between elements (`stride - 1` per gap)
    and around them (`dilation * (kernel - 1) - padding`, plus
    `output_padding` at the end), with the weight transposed per group and
    flipped: that is how qnn lowers it (`--qnn-conv-transpose-to-conv`).

    ```mlir
    %y = qnn.conv_transpose %x, %w bias(%b) strides = [2, 2]
        padding = [1, 1] output_padding = [1, 1] dilations = [1, 1]
        groups = 1
        : (tensor<1x4x5x5x!quant.uniform<u8:f32, 0.1:3>>,
           tensor<4x6x3x3x!quant.uniform<i8:f32, 0.05>>, tensor<6xf32>)
        -> tensor<1x6x10x10x!quant.uniform<u8:f32, 0.2:0>>
    ```
  }];
  let arguments = (ins QNN_QuantizedTensor:$input, QNN_QuantizedTensor:$weight,
                   Optional<QNN_FloatTensor>:$bias,
                   DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$padding,
                   DenseI64ArrayAttr:$output_padding,
                   DenseI64ArrayAttr:$dilations, I64Attr:$groups);
  let results = (outs QNN_QuantizedTensor:$result);
  let assemblyFormat = [{
    $input `,` $weight (`bias` `(` $bias^ `)`)?
    `strides` `=` $strides `padding` `=` $padding
    `output_padding` `=` $output_padding `dilations` `=` $dilations
    `groups` `=` $groups attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// Number of spatial dimensions (1, 2 or 3).
    int64_t getNumSpatialDims() {
      return ::llvm::cast<::mlir::RankedTensorType>(getInput().getType())
                 .getRank() - 2;
    }
  }];
}

#endif // QNN_DIALECT_QNN_IR_QNNCONTRACTIONOPS_TD
