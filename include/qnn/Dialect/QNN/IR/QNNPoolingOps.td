//===- QNNPoolingOps.td - pooling of quantized tensors -----*- tablegen -*-===//
//
// Included by QNNOps.td.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_DIALECT_QNN_IR_QNNPOOLINGOPS_TD
#define QNN_DIALECT_QNN_IR_QNNPOOLINGOPS_TD

def QNN_MaxPoolOp : QNN_Op<"max_pool", [Pure]> {
  let summary = "Max pooling of a quantized tensor (MaxPool1d/2d/3d)";
  let description = [{
    PyTorch's max pooling over the 1 to 3 spatial dimensions of an
    `N x C x spatial...` tensor: one entry of `kernel`, `strides`,
    `padding` (symmetric, at most half the kernel) and `dilations` per
    spatial dimension, and `ceil_mode`. Padding never wins: the maximum is
    over the window's elements inside the input. The result keeps the
    input's quantization, so this is the integer maximum of the codes,
    exact on both engines (qnnpack's own kernel is wrong for dilated,
    padded windows without ceil_mode; qnn follows the float semantics).

    ```mlir
    %y = qnn.max_pool %x kernel = [3, 3] strides = [2, 2] padding = [1, 1]
        dilations = [1, 1] ceil_mode = false
        : tensor<1x4x8x8x!quant.uniform<u8:f32, 0.1:3>>
        -> tensor<1x4x4x4x!quant.uniform<u8:f32, 0.1:3>>
    ```
  }];
  let arguments = (ins QNN_QuantizedTensor:$input, DenseI64ArrayAttr:$kernel,
                   DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$padding,
                   DenseI64ArrayAttr:$dilations, BoolAttr:$ceil_mode);
  let results = (outs QNN_QuantizedTensor:$result);
  let assemblyFormat = [{
    $input `kernel` `=` $kernel `strides` `=` $strides `padding` `=` $padding
    `dilations` `=` $dilations `ceil_mode` `=` $ceil_mode attr-dict `:`
    type($input) `->` type($result)
  }];
  let hasVerifier = 1;
}

#endif // QNN_DIALECT_QNN_IR_QNNPOOLINGOPS_TD
