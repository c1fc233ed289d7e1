//===- QNNIntegerOps.td - integer contractions -*- tablegen -*-===//
//
// Included by QNNOps.td. The ops between the two halves of the contraction
// lowering: --convert-qnn-to-linalg rewrites qnn.linear / qnn.conv into one
// of these (the engine's int32 sums of the stored codes) plus the zero-point
// corrections and the requantization; --qnn-select-contraction-strategy
// picks how each is computed on the target and
// --qnn-lower-integer-contractions builds that (docs/Lowering.md).
//
//===----------------------------------------------------------------------===//

#ifndef QNN_DIALECT_QNN_IR_QNNINTEGEROPS_TD
#define QNN_DIALECT_QNN_IR_QNNINTEGEROPS_TD

def QNN_IntMatmulOp : QNN_Op<"int_matmul", [Pure]> {
  let summary = "The engine's int32 sums of a matrix of codes times a weight";
  let description = [{
    `result[m, n] = sum_k ext(lhs[m, k]) * ext(rhs[n, k])` in wrapping int32,
    the 8-bit codes extended as signed or unsigned by `lhs_signed` /
    `rhs_signed`. With `saturating_pairs` (onednn without VNNI) the
    products of k = 2j and 2j + 1 are first added and saturated to int16
    (vpmaddubsw), the pairs counted from 0 again before each position of
    `pair_restarts` (oneDNN's K-blocks; an odd run pairs its last product
    with zero).

    `strategy` records how the op is computed on the target
    (`"runtime_gemm"`: the runtime's micro-kernel on a weight packed at
    compile time, which needs a constant weight; `"generic"`: a
    linalg.generic), set by --qnn-select-contraction-strategy; the sums are
    the same either way.
  }];
  let arguments = (ins 2DTensorOf<[I8]>:$lhs, 2DTensorOf<[I8]>:$rhs,
                   UnitAttr:$lhs_signed, UnitAttr:$rhs_signed,
                   UnitAttr:$saturating_pairs,
                   DefaultValuedAttr<DenseI64ArrayAttr, "{}">:$pair_restarts,
                   OptionalAttr<StrAttr>:$strategy);
  let results = (outs 2DTensorOf<[I32]>:$result);
  let assemblyFormat = [{
    $lhs `,` $rhs attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def QNN_IntConvOp : QNN_Op<"int_conv", [Pure]> {
  let summary = "The engine's int32 sums of a convolution of codes";
  let description = [{
    A convolution of the (already padded) codes `input`
    `N x C x spatial...` with `weight` `O x C/groups x kernel...` in
    wrapping int32, the codes extended as `input_signed` / `weight_signed`
    say, without padding. The result is channels-last and split by group:
    `N x out... x groups x O/groups`, the layout the requantization reads
    best. With `saturating_pairs` the products of consecutive input
    channels 2j, 2j + 1 of a group at the same tap are added and saturated
    to int16 first (an odd channel count pairs the last with zero).

    `strategy`: `"im2col_gemm"` (one group, constant weight: patches of
    the channels-last input on the runtime's GEMM), `"depthwise"` (one
    input and one output channel per group: a linalg.generic over the
    channels-last input with the channels innermost) or `"direct"` (a
    grouped linalg.generic), set by --qnn-select-contraction-strategy.
  }];
  let arguments = (ins RankedTensorOf<[I8]>:$input, RankedTensorOf<[I8]>:$weight,
                   DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$dilations,
                   I64Attr:$groups, UnitAttr:$input_signed,
                   UnitAttr:$weight_signed, UnitAttr:$saturating_pairs,
                   OptionalAttr<StrAttr>:$strategy);
  let results = (outs RankedTensorOf<[I32]>:$result);
  let assemblyFormat = [{
    $input `,` $weight `strides` `=` $strides `dilations` `=` $dilations
    `groups` `=` $groups attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

#endif // QNN_DIALECT_QNN_IR_QNNINTEGEROPS_TD
