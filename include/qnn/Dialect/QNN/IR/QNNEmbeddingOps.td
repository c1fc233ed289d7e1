//===- QNNEmbeddingOps.td - embedding and embedding_bag -*- tablegen -*-===//
//
// Included by QNNOps.td; one file per op family.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_DIALECT_QNN_IR_QNNEMBEDDINGOPS_TD
#define QNN_DIALECT_QNN_IR_QNNEMBEDDINGOPS_TD

// Row-wise quantized tables (PyTorch's per_channel_affine_float_qparams):
// a float scale and a float offset per row, which `!quant.uniform` (integer
// zero points) cannot express. The table is therefore spelled as its codes
// and the two per-row parameters (docs/RationaleQNN.md, "Embedding tables").
def QNN_EmbeddingTable : 2DTensorOf<[I8, F32]>;
def QNN_RowParameters : 1DTensorOf<[F32, F16]>;
def QNN_IndexTensor : RankedTensorOf<[I32, I64]>;

def QNN_EmbeddingOp : QNN_Op<"embedding", [NoMemoryEffect]> {
  let summary = "Lookup in a table (nnq.Embedding, reference Embedding)";
  let description = [{
    `weight` is a table of `N` rows of `D` elements, either

    - quantized row-wise (nnq.Embedding): the codes (unsigned: 0..255 for
      8-bit tables, 0..15 for 4-bit ones, one code per element whatever the
      width) with `row_parameters` = scales and biases, one value per row
      (f32 for 8-bit tables, f16 for 4-bit ones: PyTorch's packed rows):

        result[i..., d] = fma(s, f32(weight[r, d]), b)  with r = indices[i...],
                                                       s = f32(scales[r]),
                                                       b = f32(biases[r])

      PyTorch's lookup bit for bit (`bias = -zero_point * scale`);
    - or float (the reference form: a dequantized table), without row
      parameters: `result[i..., d] = weight[r, d]`.

    The result has the shape of `indices` followed by `D`.
    An index outside [0, N) is a run-time error reported to the caller
    (runtime/include/qnn/Runtime/Status.h); the computation goes on reading
    row 0 instead, never out of bounds.

    ```mlir
    %y = qnn.embedding %codes, %indices row_parameters(%scales, %biases)
        : (tensor<10x12xi8>, tensor<2x3xi64>, tensor<10xf32>, tensor<10xf32>)
        -> tensor<2x3x12xf32>
    ```
  }];
  let arguments = (ins QNN_EmbeddingTable:$weight, QNN_IndexTensor:$indices,
                   Variadic<QNN_RowParameters>:$row_parameters);
  let results = (outs RankedTensorOf<[F32]>:$result);
  let assemblyFormat = [{
    $weight `,` $indices (`row_parameters` `(` $row_parameters^ `)`)?
    attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// The scales and biases of a quantized table (null for a float one).
    ::mlir::Value getScales() {
      return getRowParameters().empty() ? nullptr : getRowParameters()[0];
    }
    ::mlir::Value getBiases() {
      return getRowParameters().empty() ? nullptr : getRowParameters()[1];
    }
  }];
}

def QNN_EmbeddingBagOp : QNN_Op<"embedding_bag",
                                [NoMemoryEffect, AttrSizedOperandSegments]> {
  let summary = "Bags of rows of a table (nnq.EmbeddingBag, reference EmbeddingBag)";
  let description = [{
    The table is given as in `qnn.embedding`. `indices` (1-D, `L` entries)
    are split into bags by `offsets`: bag `j` holds the indices
    `[offsets[j], offsets[j + 1])`, the last one ending at `L`; with
    `include_last_offset` the last offset ends the last bag and there is one
    bag fewer than offsets. Indices equal to `padding_idx` are left out. Per
    row `r` at position `i`, with `w = per_sample_weights[i]` (1 without),
    `s = f32(w * f32(scales[r]))` and `b = f32(w * f32(biases[r]))`:

    - `sum`: `acc = fma(s, f32(q), acc + b)` from `acc = 0`, in index order
      (PyTorch's arithmetic bit for bit);
    - `mean`: the sum divided by the number of rows summed (PyTorch 1.13
      sums instead: qnn follows the float semantics, docs/numerics/
      embedding.md);
    - `max`: the largest `fma(s, f32(q), b)` (PyTorch 1.13 sums here too).

    A float table (the reference form, no row parameters) reduces as
    PyTorch's float EmbeddingBag does: `acc + row`, `fma(w, row, acc)` with
    per-sample weights, the mean as the sum over the count, the max.

    Per-sample weights go with `sum` only, as in PyTorch's float
    EmbeddingBag.

    An empty bag gives zeros. Offsets must start at 0, not decrease and not
    pass `L`, and every index must be in [0, N): anything else is a run-time
    error reported to the caller (runtime/include/qnn/Runtime/Status.h),
    with the computation clamped to valid positions meanwhile.

    ```mlir
    %y = qnn.embedding_bag %codes, %indices, %offsets
        row_parameters(%scales, %biases) mode = sum padding_idx = 0
        : (tensor<10x12xi8>, tensor<7xi64>, tensor<3xi64>, tensor<10xf32>,
           tensor<10xf32>) -> tensor<3x12xf32>
    ```
  }];
  let arguments = (ins QNN_EmbeddingTable:$weight,
                   1DTensorOf<[I32, I64]>:$indices,
                   1DTensorOf<[I32, I64]>:$offsets,
                   Variadic<QNN_RowParameters>:$row_parameters,
                   Optional<1DTensorOf<[F32]>>:$per_sample_weights,
                   QNN_BagModeAttr:$mode, UnitAttr:$include_last_offset,
                   OptionalAttr<I64Attr>:$padding_idx);
  let results = (outs 2DTensorOf<[F32]>:$result);
  let assemblyFormat = [{
    $weight `,` $indices `,` $offsets
    (`row_parameters` `(` $row_parameters^ `)`)?
    (`per_sample_weights` `(` $per_sample_weights^ `)`)?
    `mode` `=` $mode (`include_last_offset` $include_last_offset^)?
    (`padding_idx` `=` $padding_idx^)?
    attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// The scales and biases of a quantized table (null for a float one).
    ::mlir::Value getScales() {
      return getRowParameters().empty() ? nullptr : getRowParameters()[0];
    }
    ::mlir::Value getBiases() {
      return getRowParameters().empty() ? nullptr : getRowParameters()[1];
    }
  }];
}

#endif // QNN_DIALECT_QNN_IR_QNNEMBEDDINGOPS_TD
