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

def QNN_AvgPoolOp : QNN_Op<"avg_pool", [Pure]> {
  let summary = "Average pooling of a quantized tensor (AvgPool2d)";
  let description = [{
    PyTorch's `avg_pool2d` of an `N x C x H x W` tensor: `kernel`,
    `strides` and `padding` (symmetric, at most half the kernel) per
    spatial dimension, `ceil_mode`, `count_include_pad` and an optional
    `divisor_override`. The result keeps the input's quantization.

    The sum of the codes in the window, less the zero point once per
    in-bounds tap, is divided by `divisor_override`, else by the window
    clipped to the padded input (`count_include_pad`) or to the input, and
    rounded the way torch's kernel for the module's numerics rounds it
    (docs/numerics/pooling.md): ATen's NCHW kernel adds the zero point in
    float before rounding; its channels-last kernel (`channels_last`: torch
    computed on a channels-last tensor, as a quantized conv returns) after;
    QNNPACK's (qnnpack numerics, quint8, no `ceil_mode`) always divides by
    the kernel size.

    ```mlir
    %y = qnn.avg_pool %x kernel = [3, 3] strides = [2, 2] padding = [1, 1]
        ceil_mode = false count_include_pad = true
        : tensor<1x4x8x8x!quant.uniform<u8:f32, 0.1:3>>
        -> tensor<1x4x4x4x!quant.uniform<u8:f32, 0.1:3>>
    ```
  }];
  let arguments = (ins QNN_QuantizedTensor:$input, DenseI64ArrayAttr:$kernel,
                   DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$padding,
                   BoolAttr:$ceil_mode, BoolAttr:$count_include_pad,
                   OptionalAttr<I64Attr>:$divisor_override,
                   UnitAttr:$channels_last);
  let results = (outs QNN_QuantizedTensor:$result);
  let assemblyFormat = [{
    $input `kernel` `=` $kernel `strides` `=` $strides `padding` `=` $padding
    `ceil_mode` `=` $ceil_mode `count_include_pad` `=` $count_include_pad
    attr-dict `:` type($input) `->` type($result)
  }];
  let hasVerifier = 1;
}

def QNN_AdaptiveAvgPoolOp : QNN_Op<"adaptive_avg_pool", [Pure]> {
  let summary = "Adaptive average pooling (AdaptiveAvgPool2d)";
  let description = [{
    PyTorch's `adaptive_avg_pool2d` of an `N x C x H x W` tensor to the
    result's `oH x oW` (any size): output `o` of a dimension of size `n`
    averages the input from `floor(o * n / out)` to `ceil((o + 1) * n /
    out)`, computed as torch does in float. The result keeps the input's
    quantization; the rounding follows torch's kernel for the numerics and
    `channels_last` (docs/numerics/pooling.md): ATen's NCHW kernel averages
    the raw codes, its channels-last kernel the codes less the zero point,
    QNNPACK (qnnpack numerics, quint8, windows that tile the input) as
    its average pooling.

    ```mlir
    %y = qnn.adaptive_avg_pool %x : tensor<1x4x7x7x!quant.uniform<u8:f32, 0.1:3>>
        -> tensor<1x4x1x1x!quant.uniform<u8:f32, 0.1:3>>
    ```
  }];
  let arguments = (ins QNN_QuantizedTensor:$input, UnitAttr:$channels_last);
  let results = (outs QNN_QuantizedTensor:$result);
  let assemblyFormat = [{
    $input attr-dict `:` type($input) `->` type($result)
  }];
  let hasVerifier = 1;
}

def QNN_MeanOp : QNN_Op<"mean", [Pure]> {
  let summary = "The mean of a quantized tensor over its trailing dimensions";
  let description = [{
    PyTorch's `torch.mean(x, dims, keepdim)` of a contiguous quantized
    tensor over trailing `dims` (keepdim: the result keeps them as size 1).
    The result keeps the input's quantization. Torch rounds
    `f32(sum of codes) / f32(count)` to even (ATen), or, under qnnpack
    numerics for a quint8 `N x C x H x W` tensor and `dims = [2, 3]`, uses
    QNNPACK's global average pooling, which averages the codes less the
    zero point (docs/numerics/pooling.md). Torch averages other
    dimensions, or channels-last tensors, in float32 with a cascade
    summation that qnn does not model; the importer refuses those.

    ```mlir
    %y = qnn.mean %x dims = [2, 3] : tensor<1x4x7x7x!quant.uniform<u8:f32, 0.1:3>>
        -> tensor<1x4x!quant.uniform<u8:f32, 0.1:3>>
    ```
  }];
  let arguments = (ins QNN_QuantizedTensor:$input, DenseI64ArrayAttr:$dims);
  let results = (outs QNN_QuantizedTensor:$result);
  let assemblyFormat = [{
    $input `dims` `=` $dims attr-dict `:` type($input) `->` type($result)
  }];
  let hasVerifier = 1;
}

#endif // QNN_DIALECT_QNN_IR_QNNPOOLINGOPS_TD
