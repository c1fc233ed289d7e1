//===- QNNDataMovementOps.td - ops that move quantized values -*- tablegen -*-===//
//
// Included by QNNOps.td. These ops move codes around without computing:
// the result's quantization is the input's (a per-channel axis follows its
// dimension). Reshapes, slices and concatenation of quantized tensors are
// the tensor dialect's ops, which work on any element type.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_DIALECT_QNN_IR_QNNDATAMOVEMENTOPS_TD
#define QNN_DIALECT_QNN_IR_QNNDATAMOVEMENTOPS_TD

def QNN_PermuteOp : QNN_Op<"permute", [Pure]> {
  let summary = "Permute the dimensions of a quantized tensor";
  let description = [{
    `result` dimension `i` is `input` dimension `permutation[i]`
    (`torch.permute`, `Tensor.transpose`, the middle of a channel shuffle).
    The codes and quantization parameters are unchanged; a per-channel
    axis moves with its dimension.

    ```mlir
    %t = qnn.permute %x permutation = [0, 2, 1]
        : tensor<2x3x4x!quant.uniform<u8:f32, 0.1:3>>
        -> tensor<2x4x3x!quant.uniform<u8:f32, 0.1:3>>
    ```
  }];
  let arguments = (ins QNN_QuantizedTensor:$input,
                   DenseI64ArrayAttr:$permutation);
  let results = (outs QNN_QuantizedTensor:$result);
  let assemblyFormat = [{
    $input `permutation` `=` $permutation attr-dict `:` type($input) `->`
    type($result)
  }];
  let hasVerifier = 1;
  let hasFolder = 1;
  let hasCanonicalizer = 1;
}

def QNN_UpsampleNearestOp : QNN_Op<"upsample_nearest", [Pure]> {
  let summary = "Nearest-neighbour upsampling of a quantized tensor";
  let description = [{
    PyTorch's quantized `upsample_nearest2d`/`3d` (`F.interpolate` with
    mode `nearest` or `nearest-exact`, `nn.Upsample`) of an `N x C x
    spatial...` tensor to the result's spatial sizes. Codes are copied and
    the quantization is kept. Output `o` of a dimension of size `in` reads
    input `min(floor(f32(o * sc)), in - 1)` (`nearest-exact`: `(o + 0.5) *
    sc`), where `sc = f32(1 / scale)` when `scales` (the scale factors the
    user gave, one per spatial dimension) are present, else `f32(in) /
    f32(out)`; all-equal sizes copy (docs/numerics/arithmetic.md).

    ```mlir
    %y = qnn.upsample_nearest %x : tensor<1x4x3x3x!quant.uniform<u8:f32, 0.1:3>>
        -> tensor<1x4x6x6x!quant.uniform<u8:f32, 0.1:3>>
    ```
  }];
  let arguments = (ins QNN_QuantizedTensor:$input,
                   OptionalAttr<DenseF64ArrayAttr>:$scales,
                   UnitAttr:$exact);
  let results = (outs QNN_QuantizedTensor:$result);
  let assemblyFormat = [{
    $input attr-dict `:` type($input) `->` type($result)
  }];
  let hasVerifier = 1;
}

#endif // QNN_DIALECT_QNN_IR_QNNDATAMOVEMENTOPS_TD
