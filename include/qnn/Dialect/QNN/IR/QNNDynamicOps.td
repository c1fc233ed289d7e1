//===- QNNDynamicOps.td - dynamic quantization -------------*- tablegen -*-===//
//
// Included by QNNOps.td; one file per op family. PyTorch's dynamic
// quantization chooses an activation's scale and zero point at run time from
// its range; those are SSA values here, and the codes they quantize to have
// the `!quant.any<storage:f32>` type: quantized storage whose parameters the
// type does not carry (docs/RationaleQNN.md, "Dynamic quantization").
//
//===----------------------------------------------------------------------===//

#ifndef QNN_DIALECT_QNN_IR_QNNDYNAMICOPS_TD
#define QNN_DIALECT_QNN_IR_QNNDYNAMICOPS_TD

def QNN_AnyQuantizedType : Type<
    CPred<"::llvm::isa<::mlir::quant::AnyQuantizedType>($_self)">,
    "quantized type without parameters (!quant.any)">;
def QNN_DynamicCodesTensor : RankedTensorOf<[QNN_AnyQuantizedType]>;

def QNN_ChooseQParamsOp : QNN_Op<"choose_qparams", [Pure]> {
  let summary = "Choose a float tensor's scale and zero point at run time";
  let description = [{
    PyTorch's `ChooseQuantizationParams(min(x), max(x), qmin, qmax)`, which
    quantize_dynamic's modules call on each input, exactly:

    - the range is extended to hold 0: `min = min(min(x), 0)`, `max =
      max(max(x), 0)` (an empty tensor has range [0, 0]);
    - `scale = (d)(max - min) / (qmax - qmin)`, replaced by 0.1 where
      `f32(scale)` is 0 or its f32 reciprocal infinite; scales below
      6.1e-5 become 6.1e-5 and stretch the range with them;
    - the zero point from the end whose "error" `|qm| - |m / scale|` is
      smaller: `qmin - min / scale` or `qmax - max / scale`, clamped to
      [qmin, qmax] and rounded half to even.

    The scale stays in double precision, as PyTorch keeps it: each engine
    rounds it its own way (`f32(1 / f32(scale))` for quantize_per_tensor,
    `f32((d)1 / scale)` for oneDNN).

    ```mlir
    %scale, %zp = qnn.choose_qparams %x range = [0, 255] : tensor<4x8xf32>
    ```
  }];
  let arguments = (ins QNN_F32Tensor:$input, I64Attr:$qmin, I64Attr:$qmax);
  let results = (outs F64:$scale, I32:$zero_point);
  let assemblyFormat = [{
    $input `range` `=` `[` $qmin `,` $qmax `]` attr-dict `:` type($input)
  }];
  let hasVerifier = 1;
}

def QNN_QuantizeDynamicOp : QNN_Op<"quantize_dynamic", [Pure]> {
  let summary = "Quantize a float tensor with run-time parameters";
  let description = [{
    `torch.quantize_per_tensor(x, scale, zero_point, dtype)` with the scale
    and zero point as operands (from `qnn.choose_qparams`):

    `q = clamp(zp + rint(x * f32(1 / f32(scale))), qmin, qmax)`

    the bounds those of the result's `!quant.any` storage type (custom ones
    included: `!quant.any<u8<0:127>:f32>`).

    ```mlir
    %q = qnn.quantize_dynamic %x, %scale, %zp
        : tensor<4x8xf32> -> tensor<4x8x!quant.any<u8:f32>>
    ```
  }];
  let arguments = (ins QNN_F32Tensor:$input, F64:$scale, I32:$zero_point);
  let results = (outs QNN_DynamicCodesTensor:$result);
  let assemblyFormat = [{
    $input `,` $scale `,` $zero_point attr-dict `:` type($input) `->`
    type($result)
  }];
  let hasVerifier = 1;
}

def QNN_DequantizeDynamicOp : QNN_Op<"dequantize_dynamic", [Pure]> {
  let summary = "Dequantize codes with run-time parameters";
  let description = [{
    `x = f32(scale) * f32(q - zp)`, as qnn.dequantize with the parameters
    as operands.

    ```mlir
    %x = qnn.dequantize_dynamic %q, %scale, %zp
        : tensor<4x8x!quant.any<u8:f32>> -> tensor<4x8xf32>
    ```
  }];
  let arguments = (ins QNN_DynamicCodesTensor:$input, F64:$scale,
                   I32:$zero_point);
  let results = (outs QNN_F32Tensor:$result);
  let assemblyFormat = [{
    $input `,` $scale `,` $zero_point attr-dict `:` type($input) `->`
    type($result)
  }];
  let hasVerifier = 1;
}

def QNN_DynamicLinearOp : QNN_Op<"dynamic_linear", [Pure]> {
  let summary = "Dynamically quantized fully connected layer (nnqd.Linear)";
  let description = [{
    PyTorch's `quantized::linear_dynamic`: the float input `[..., K]` is
    quantized to quint8 with parameters chosen from its range at run time
    (`qnn.choose_qparams` over [0, 255], or [0, 127] with `reduce_range`),
    multiplied by the quantized weight `[N, K]` (qint8, per tensor or per
    output channel) in int32, and the sums are scaled back to float with the
    optional float bias `[N]` added. How the input is rounded and the sums
    scaled is the module's `qnn.numerics` engine's
    (docs/numerics/dynamic.md); the op's `reduce_range` is the range the
    engine really uses (qnnpack ignores the module's request).

    ```mlir
    %y = qnn.dynamic_linear %x, %w bias(%b) reduce_range
        : (tensor<4x8xf32>, tensor<16x8x!quant.uniform<i8:f32, 0.05>>,
           tensor<16xf32>) -> tensor<4x16xf32>
    ```
  }];
  let arguments = (ins QNN_F32Tensor:$input, QNN_QuantizedTensor:$weight,
                   Optional<QNN_F32Tensor>:$bias, UnitAttr:$reduce_range);
  let results = (outs QNN_F32Tensor:$result);
  let assemblyFormat = [{
    $input `,` $weight (`bias` `(` $bias^ `)`)? (`reduce_range` $reduce_range^)?
    attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// The range choose_qparams picks the input's parameters over.
    int64_t getInputQMax() { return getReduceRange() ? 127 : 255; }
  }];
}

def QNN_DynamicConvOp : QNN_Op<"dynamic_conv", [Pure]> {
  let summary = "Dynamically quantized 1-D/2-D/3-D convolution (nnqd.ConvNd)";
  let description = [{
    PyTorch's `quantized::conv{1,2,3}d_dynamic`: the float input
    `N x C x spatial...` is quantized to quint8 with parameters chosen from
    its range at run time (`qnn.choose_qparams` over [0, 255], or [0, 127]
    with `reduce_range`) by `torch.quantize_per_tensor`, convolved with the
    quantized weight `O x C/groups x kernel...` as the static `qnn.conv` of
    the module's `qnn.numerics` engine does, requantized to the input's own
    scale and zero point, and dequantized. The result is therefore a
    multiple of the input's scale, clamped to the input's range. Geometry
    attributes are `qnn.conv`'s; `reduce_range` is the range the engine
    really uses (qnnpack ignores the module's request).
    ```mlir
    %y = qnn.dynamic_conv %x, %w bias(%b) strides = [1, 1] padding = [0, 0]
        dilations = [1, 1] groups = 1 reduce_range
        : (tensor<1x3x8x8xf32>, tensor<4x3x3x3x!quant.uniform<i8:f32, 0.05>>,
           tensor<4xf32>) -> tensor<1x4x6x6xf32>
    ```
  }];
  let arguments = (ins QNN_F32Tensor:$input, QNN_QuantizedTensor:$weight,
                   Optional<QNN_F32Tensor>:$bias,
                   DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$padding,
                   DenseI64ArrayAttr:$dilations, I64Attr:$groups,
                   DefaultValuedAttr<QNN_PaddingModeAttr, "PaddingMode::zeros">:$padding_mode,
                   UnitAttr:$reduce_range);
  let results = (outs QNN_F32Tensor:$result);
  let assemblyFormat = [{
    $input `,` $weight (`bias` `(` $bias^ `)`)?
    `strides` `=` $strides `padding` `=` $padding `dilations` `=` $dilations
    `groups` `=` $groups (`padding_mode` `=` $padding_mode^)?
    (`reduce_range` $reduce_range^)?
    attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// Number of spatial dimensions (1, 2 or 3).
    int64_t getNumSpatialDims() {
      return ::llvm::cast<::mlir::RankedTensorType>(getInput().getType())
                 .getRank() - 2;
    }
    /// The range choose_qparams picks the input's parameters over.
    int64_t getInputQMax() { return getReduceRange() ? 127 : 255; }
  }];
}

def QNN_DynamicConvTransposeOp : QNN_Op<"dynamic_conv_transpose", [Pure]> {
  let summary = "Dynamically quantized transposed convolution (nnqd.ConvTransposeNd)";
  let description = [{
    PyTorch's `quantized::conv_transpose{1,2,3}d_dynamic`: `qnn.dynamic_conv`
    with `qnn.conv_transpose`'s geometry and weight layout
    (`C_in x C_out/groups x kernel...`). Since the chosen range holds 0 and
    0.0 quantizes to the zero point exactly, it is the `qnn.dynamic_conv`
    of the float input spread out with zeros (`--qnn-conv-transpose-to-conv`).
    ```mlir
    %y = qnn.dynamic_conv_transpose %x, %w strides = [2, 2] padding = [0, 0]
        output_padding = [0, 0] dilations = [1, 1] groups = 1 reduce_range
        : (tensor<1x4x5x5xf32>, tensor<4x6x3x3x!quant.uniform<i8:f32, 0.05>>)
        -> tensor<1x6x11x11xf32>
    ```
  }];
  let arguments = (ins QNN_F32Tensor:$input, QNN_QuantizedTensor:$weight,
                   Optional<QNN_F32Tensor>:$bias,
                   DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$padding,
                   DenseI64ArrayAttr:$output_padding,
                   DenseI64ArrayAttr:$dilations, I64Attr:$groups,
                   UnitAttr:$reduce_range);
  let results = (outs QNN_F32Tensor:$result);
  let assemblyFormat = [{
    $input `,` $weight (`bias` `(` $bias^ `)`)?
    `strides` `=` $strides `padding` `=` $padding
    `output_padding` `=` $output_padding `dilations` `=` $dilations
    `groups` `=` $groups (`reduce_range` $reduce_range^)?
    attr-dict `:` functional-type(operands, results)
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

#endif // QNN_DIALECT_QNN_IR_QNNDYNAMICOPS_TD
