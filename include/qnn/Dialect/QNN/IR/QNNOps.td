//===- QNNOps.td - qnn operations --------------------------*- tablegen -*-===//

#ifndef QNN_DIALECT_QNN_IR_QNNOPS_TD
#define QNN_DIALECT_QNN_IR_QNNOPS_TD

include "qnn/Dialect/QNN/IR/QNNDialect.td"
include "qnn/Dialect/QNN/IR/QNNAttrs.td"
include "mlir/Dialect/Quant/IR/QuantBase.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "mlir/IR/BuiltinAttributes.td"
include "mlir/Interfaces/InferTypeOpInterface.td"

//===----------------------------------------------------------------------===//
// Type constraints
//===----------------------------------------------------------------------===//

def QNN_QuantizedTensor : RankedTensorOf<[quant_QuantizedType]>;
def QNN_FloatTensor : RankedTensorOf<[AnyFloat]>;

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

    ```mlir
    %r = qnn.requantize %q : tensor<4x!quant.uniform<u8:f32, 0.1:3>>
        -> tensor<4x!quant.uniform<u8:f32, 0.2:0>>
    ```
  }];
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Compute ops
//===----------------------------------------------------------------------===//

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

#endif // QNN_DIALECT_QNN_IR_QNNOPS_TD
