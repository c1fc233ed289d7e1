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
    `y = quantize(post_op(dequantize(x) @ dequantize(w)^T + b))`, computed by
    the integer arithmetic of the module's `qnn.numerics` engine.

    The input is `[..., K]` (rank 2 or more) and quantized per tensor; the
    weight is `[N, K]`, quantized per tensor or per output channel (axis 0);
    the optional bias is float `[N]`. The result type carries the output
    scale and zero point. `post_op` is `none` (nnq.Linear), `relu`
    (nniq.LinearReLU), `leaky_relu` with `negative_slope`
    (LinearLeakyReLU) or `tanh` (LinearTanh).

    ```mlir
    %y = qnn.linear %x, %w bias(%b) post_op = relu
        : (tensor<4x8x!quant.uniform<u8:f32, 0.1:3>>,
           tensor<16x8x!quant.uniform<i8:f32, 0.05>>, tensor<16xf32>)
        -> tensor<4x16x!quant.uniform<u8:f32, 0.2:0>>
    ```
  }];
  let arguments = (ins QNN_QuantizedTensor:$input, QNN_QuantizedTensor:$weight,
                   Optional<QNN_FloatTensor>:$bias,
                   DefaultValuedAttr<QNN_PostOpAttr, "PostOp::none">:$post_op,
                   OptionalAttr<F32Attr>:$negative_slope);
  let results = (outs QNN_QuantizedTensor:$result);
  let assemblyFormat = [{
    $input `,` $weight (`bias` `(` $bias^ `)`)?
    (`post_op` `=` $post_op^)? (`negative_slope` `=` $negative_slope^)?
    attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
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

    The optional `add` operand is a quantized tensor of the result's shape,
    dequantized and added to the convolution before the post-op: this is
    ConvAdd2d (`post_op = none`) and ConvAddReLU2d (`post_op = relu`).
    `post_op` is `none` or `relu` (nniq.ConvReLUNd).

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
                   DefaultValuedAttr<QNN_PostOpAttr, "PostOp::none">:$post_op);
  let results = (outs QNN_QuantizedTensor:$result);
  let assemblyFormat = [{
    $input `,` $weight (`bias` `(` $bias^ `)`)? (`add` `(` $addend^ `)`)?
    `strides` `=` $strides `padding` `=` $padding `dilations` `=` $dilations
    `groups` `=` $groups (`padding_mode` `=` $padding_mode^)?
    (`post_op` `=` $post_op^)? attr-dict `:` functional-type(operands, results)
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

def QNN_AddOp : QNN_Op<"add", [Pure, Commutative]> {
  let summary = "Quantized elementwise addition (torch.ops.quantized.add)";
  let description = [{
    Adds two quantized tensors of the same shape, each with its own
    quantization parameters, and requantizes to the result type. `post_op`
    is `none` or `relu` (`add_relu`).

    ```mlir
    %s = qnn.add %a, %b post_op = relu
        : tensor<4x!quant.uniform<u8:f32, 0.1:3>>,
          tensor<4x!quant.uniform<u8:f32, 0.2:0>>
        -> tensor<4x!quant.uniform<u8:f32, 0.3:1>>
    ```
  }];
  let arguments = (ins QNN_QuantizedTensor:$lhs, QNN_QuantizedTensor:$rhs,
                   DefaultValuedAttr<QNN_PostOpAttr, "PostOp::none">:$post_op);
  let results = (outs QNN_QuantizedTensor:$result);
  let assemblyFormat = [{
    $lhs `,` $rhs (`post_op` `=` $post_op^)? attr-dict `:` type($lhs) `,`
    type($rhs) `->` type($result)
  }];
  let hasVerifier = 1;
}

class QNN_ClampOp<string mnemonic> : QNN_Op<mnemonic, [Pure, SameOperandsAndResultType]> {
  let arguments = (ins QNN_QuantizedTensor:$input);
  let results = (outs QNN_QuantizedTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input)";
  let hasVerifier = 1;
  let hasCanonicalizer = 1;
}

def QNN_ReluOp : QNN_ClampOp<"relu"> {
  let summary = "Quantized ReLU: an integer clamp at the zero point";
  let description = [{
    `y = max(q, zp)`; the quantization parameters are unchanged.

    ```mlir
    %y = qnn.relu %x : tensor<4x!quant.uniform<u8:f32, 0.1:3>>
    ```
  }];
}

def QNN_Relu6Op : QNN_ClampOp<"relu6"> {
  let summary = "Quantized ReLU6 (nnq.ReLU6): an integer clamp";
  let description = [{
    `y = min(max(q, zp), quantize(6.0))`, with `quantize` as in `qnn.quantize`; the
    quantization parameters are unchanged.

    ```mlir
    %y = qnn.relu6 %x : tensor<4x!quant.uniform<u8:f32, 0.05:3>>
    ```
  }];
}

#endif // QNN_DIALECT_QNN_IR_QNNOPS_TD
