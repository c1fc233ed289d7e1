//===- QNNElementwiseOps.td - add, activations -*- tablegen -*-===//
//
// Included by QNNOps.td; one file per op family.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_DIALECT_QNN_IR_QNNELEMENTWISEOPS_TD
#define QNN_DIALECT_QNN_IR_QNNELEMENTWISEOPS_TD

def QNN_AddOp : QNN_Op<"add", [Pure, Commutative]> {
  let summary = "Quantized elementwise addition (torch.ops.quantized.add)";
  let description = [{
    Adds two quantized tensors of the same shape, each with its own
    quantization parameters, and requantizes to the result type with the
    engine's quantized add. The optional `post_op` is a clamp that keeps
    the quantization (`relu`: `add_relu`).

    ```mlir
    %s = qnn.add %a, %b post_op = relu
        : tensor<4x!quant.uniform<u8:f32, 0.1:3>>,
          tensor<4x!quant.uniform<u8:f32, 0.2:0>>
        -> tensor<4x!quant.uniform<u8:f32, 0.3:1>>
    ```
  }];
  let arguments = (ins QNN_QuantizedTensor:$lhs, QNN_QuantizedTensor:$rhs,
                   OptionalAttr<QNN_ActivationAttr>:$post_op);
  let results = (outs QNN_QuantizedTensor:$result);
  let assemblyFormat = [{
    $lhs `,` $rhs (`post_op` `=` custom<Activation>($post_op)^)? attr-dict
    `:` type($lhs) `,` type($rhs) `->` type($result)
  }];
  let hasVerifier = 1;
}

def QNN_ActivationOp : QNN_Op<"activation", [Pure]> {
  let summary = "A quantized activation of qnn's activation table";
  let description = [{
    Applies an activation (`relu`, `relu6`, `hardtanh`, `leaky_relu`,
    `elu`, `sigmoid`, `tanh`, `hardsigmoid`, `hardswish`, `prelu`; the
    table in `Activations.h` says what each computes) to a quantized
    tensor: what PyTorch's quantized module or function computes, bit for
    bit, under the module's `qnn.numerics`. The output quantization is the
    result type's.

    Where the input and result types are equal and the activation is a
    clamp (relu, relu6, hardtanh), this is an integer clamp of the codes
    and works for any storage width (qint32 relu). Otherwise the input must
    have 8-bit storage and each code maps through a 256-entry table computed
    at compile time with PyTorch's formula for the engine.

    `prelu` takes a quantized `weight`: one value, or one per channel
    (dimension 1 of the input).

    ```mlir
    %r = qnn.activation relu %x : tensor<4x!quant.uniform<u8:f32, 0.1:3>>
        -> tensor<4x!quant.uniform<u8:f32, 0.1:3>>
    %l = qnn.activation leaky_relu(negative_slope = 0.2) %x
        : tensor<4x!quant.uniform<u8:f32, 0.1:3>>
        -> tensor<4x!quant.uniform<u8:f32, 0.05:100>>
    ```
  }];
  let arguments = (ins QNN_ActivationAttr:$activation,
                   QNN_QuantizedTensor:$input,
                   Optional<QNN_QuantizedTensor>:$weight);
  let results = (outs QNN_QuantizedTensor:$result);
  let assemblyFormat = [{
    custom<Activation>($activation) $input (`weight` `(` $weight^ `)`)?
    attr-dict `:` type($input) (`,` type($weight)^)? `->` type($result)
  }];
  let hasVerifier = 1;
  let hasCanonicalizer = 1;
}

#endif // QNN_DIALECT_QNN_IR_QNNELEMENTWISEOPS_TD
