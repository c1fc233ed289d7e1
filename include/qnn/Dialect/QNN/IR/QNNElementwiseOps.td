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
    Adds two quantized tensors, each with its own quantization parameters,
    and requantizes to the result type with the engine's quantized add
    (docs/numerics/arithmetic.md: which of ATen's, QNNPACK's or XNNPACK's
    formulas applies depends on the engine, the dtype and whether the
    shapes are equal). The operands broadcast like NumPy arrays to the
    result's shape. The optional `post_op` is a clamp that keeps the
    quantization (`relu`: `add_relu`).

    ATen's add (the `onednn` numerics, and `qnnpack` where it broadcasts)
    dequantizes most elements with a fused multiply-add and the last ones
    of each inner loop with a plain product, which rounds differently:
    `scalar_ranges` and `memory_order` list the latter as qnn.activation's
    do (positions in the result's memory order). The importer records them
    from torch's layout; the other formulas ignore them.

    ```mlir
    %s = qnn.add %a, %b post_op = relu
        : tensor<4x!quant.uniform<u8:f32, 0.1:3>>,
          tensor<4x!quant.uniform<u8:f32, 0.2:0>>
        -> tensor<4x!quant.uniform<u8:f32, 0.3:1>>
    ```
  }];
  let arguments = (ins QNN_QuantizedTensor:$lhs, QNN_QuantizedTensor:$rhs,
                   OptionalAttr<QNN_ActivationAttr>:$post_op,
                   OptionalAttr<DenseI64ArrayAttr>:$scalar_ranges,
                   OptionalAttr<DenseI64ArrayAttr>:$memory_order);
  let results = (outs QNN_QuantizedTensor:$result);
  let assemblyFormat = [{
    $lhs `,` $rhs (`post_op` `=` custom<Activation>($post_op)^)? attr-dict
    `:` type($lhs) `,` type($rhs) `->` type($result)
  }];
  let builders = [
    OpBuilder<(ins "Type":$result, "Value":$lhs, "Value":$rhs,
                   CArg<"ActivationAttr", "{}">:$post_op), [{
      build($_builder, $_state, result, lhs, rhs, post_op,
            DenseI64ArrayAttr(), DenseI64ArrayAttr());
    }]>
  ];
  let hasVerifier = 1;
}

def QNN_MulOp : QNN_Op<"mul", [Pure, Commutative]> {
  let summary = "Quantized elementwise multiplication (torch.ops.quantized.mul)";
  let description = [{
    `y = clamp(rint(f32(f32((qa - za) * (qb - zb)) * M)) + zo)` with the
    operands broadcast like NumPy arrays to the result's shape, on both
    engines: `M = f32(f32(sa * sb) * f32(1 / so))` (ATen), or, where torch
    runs XNNPACK (qint8 with an output zero point below 127),
    `M = f32(f32(sa * sb) / so)`. The optional `post_op` is a clamp that
    keeps the quantization (`relu`: `mul_relu`).

    ```mlir
    %p = qnn.mul %a, %b : tensor<4x!quant.uniform<u8:f32, 0.1:3>>,
        tensor<1x!quant.uniform<u8:f32, 0.2>> -> tensor<4x!quant.uniform<u8:f32, 0.05:0>>
    ```
  }];
  let arguments = (ins QNN_QuantizedTensor:$lhs, QNN_QuantizedTensor:$rhs,
                   OptionalAttr<QNN_ActivationAttr>:$post_op,
                   OptionalAttr<DenseI64ArrayAttr>:$scalar_ranges,
                   OptionalAttr<DenseI64ArrayAttr>:$memory_order);
  let results = (outs QNN_QuantizedTensor:$result);
  let assemblyFormat = [{
    $lhs `,` $rhs (`post_op` `=` custom<Activation>($post_op)^)? attr-dict
    `:` type($lhs) `,` type($rhs) `->` type($result)
  }];
  let builders = [
    OpBuilder<(ins "Type":$result, "Value":$lhs, "Value":$rhs,
                   CArg<"ActivationAttr", "{}">:$post_op), [{
      build($_builder, $_state, result, lhs, rhs, post_op,
            DenseI64ArrayAttr(), DenseI64ArrayAttr());
    }]>
  ];
  let hasVerifier = 1;
}

class QNN_ScalarOp<string mnemonic> : QNN_Op<mnemonic, [Pure]> {
  let arguments = (ins QNN_QuantizedTensor:$input, F64Attr:$scalar,
                   OptionalAttr<QNN_ActivationAttr>:$post_op);
  let results = (outs QNN_QuantizedTensor:$result);
  let assemblyFormat = [{
    $input `,` $scalar (`post_op` `=` custom<Activation>($post_op)^)? attr-dict
    `:` type($input) `->` type($result)
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// The quantization PyTorch gives the result, from the input's and the
    /// scalar (docs/numerics/arithmetic.md).
    ::mlir::qnn::QuantParams getTorchResultParams();
  }];
}

def QNN_AddScalarOp : QNN_ScalarOp<"add_scalar"> {
  let summary = "Add a float scalar (torch.ops.quantized.add_scalar)";
  let description = [{
    PyTorch's quantized add of a scalar `c`, which chooses the result's
    quantization itself: with `cq = rint(c / s)`, the codes stay and the
    zero point becomes `z - cq` when that is in range; otherwise the scale
    widens and the zero point is pinned to the range's end, and the codes
    are requantized. The result type must be the one PyTorch chooses (the
    verifier checks it). `post_op` is `relu` for `add_scalar_relu`.

    ```mlir
    %y = qnn.add_scalar %x, 0.5 : tensor<4x!quant.uniform<u8:f32, 0.1:3>>
        -> tensor<4x!quant.uniform<u8:f32, 0.1:0>>
    ```
  }];
}

def QNN_MulScalarOp : QNN_ScalarOp<"mul_scalar"> {
  let summary = "Multiply by a float scalar (torch.ops.quantized.mul_scalar)";
  let description = [{
    PyTorch's quantized multiplication by a scalar `c`, which chooses the
    result's quantization itself: for `c > 0` the codes stay and the scale
    becomes `c * s`; for `c = 0` every code is 0 with scale 1 and zero point
    0; for `c < 0` the codes are mirrored (`qmax + qmin - q`), the scale
    becomes `|c| * s` and the zero point `qmax - (z - qmin)`. The result
    type must be the one PyTorch chooses. `post_op` is `relu` for
    `mul_scalar_relu`.

    ```mlir
    %y = qnn.mul_scalar %x, 2.0 : tensor<4x!quant.uniform<u8:f32, 0.1:3>>
        -> tensor<4x!quant.uniform<u8:f32, 0.2:3>>
    ```
  }];
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

    PyTorch's ATen kernels compute most elements with a vector body and the
    last ones of each chunk with a scalar loop that rounds differently
    (docs/numerics/activations.md). `scalar_ranges` lists, as `[begin, end)`
    pairs of positions in the memory order of the tensor torch computed on,
    the elements that took the scalar loop; `memory_order` gives that order
    as the dimensions from outermost to innermost (default: row-major). The
    importer records both from torch's own run; without them every element
    takes the vector body's table.

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
                   Optional<QNN_QuantizedTensor>:$weight,
                   OptionalAttr<DenseI64ArrayAttr>:$scalar_ranges,
                   OptionalAttr<DenseI64ArrayAttr>:$memory_order);
  let results = (outs QNN_QuantizedTensor:$result);
  let assemblyFormat = [{
    custom<Activation>($activation) $input (`weight` `(` $weight^ `)`)?
    attr-dict `:` type($input) (`,` type($weight)^)? `->` type($result)
  }];
  let builders = [
    OpBuilder<(ins "Type":$result, "ActivationAttr":$activation,
                   "Value":$input, CArg<"Value", "{}">:$weight), [{
      build($_builder, $_state, result, activation, input, weight,
            DenseI64ArrayAttr(), DenseI64ArrayAttr());
    }]>
  ];
  let hasVerifier = 1;
  let hasCanonicalizer = 1;
}

def QNN_FloatActivationOp : QNN_Op<"float_activation",
    [Pure, SameOperandsAndResultType]> {
  let summary = "torch.sigmoid / torch.tanh of a float tensor, as ATen rounds";
  let description = [{
    The float kernels the recurrent cells apply to their gates, bit for bit:
    ATen's vector body (SLEEF's `expf`/`tanhf`, u10, on CPUs with FMA) and
    its scalar loop (glibc's) do not round alike.

    - `sigmoid`: `1 / (exp(0 - x) + 1)`. ATen's `cpu_kernel_vec` computes
      the last elements of each chunk with its scalar loop; `scalar_ranges`
      lists them as `[begin, end)` pairs of positions in the memory order of
      the tensor torch computed on (`memory_order`, dimensions from
      outermost to innermost; default row-major), as for qnn.activation.
    - `tanh`: VML's kernel, the vector body on every element (its tail
      loads a partial vector); `scalar_ranges` is not used.

    ```mlir
    %s = qnn.float_activation sigmoid %x scalar_ranges = [16, 20] : tensor<20xf32>
    %t = qnn.float_activation tanh %x : tensor<20xf32>
    ```
  }];
  let arguments = (ins QNN_FloatActivationAttr:$kind, QNN_F32Tensor:$input,
                   OptionalAttr<DenseI64ArrayAttr>:$scalar_ranges,
                   OptionalAttr<DenseI64ArrayAttr>:$memory_order);
  let results = (outs QNN_F32Tensor:$result);
  let assemblyFormat = [{
    $kind $input (`scalar_ranges` `=` $scalar_ranges^)?
    (`memory_order` `=` $memory_order^)? attr-dict `:` type($input)
  }];
  let hasVerifier = 1;
}

#endif // QNN_DIALECT_QNN_IR_QNNELEMENTWISEOPS_TD
