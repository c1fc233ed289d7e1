// RUN: qnn-opt %s --qnn-select-contraction-strategy --split-input-file | FileCheck %s --check-prefix=SELECT
// RUN: qnn-opt %s --qnn-lower-integer-contractions --split-input-file | FileCheck %s --check-prefix=LOWER
// RUN: qnn-opt %s --qnn-select-contraction-strategy --split-input-file | qnn-opt | FileCheck %s --check-prefix=SELECT

// The target half of the contraction lowering. A constant signed weight and
// an unsigned input take the runtime's GEMM, anything else a generic; an
// explicit strategy is kept and followed.

// SELECT-LABEL: func @matmul_constant
// SELECT: qnn.int_matmul %arg0, %{{.+}} {rhs_signed, strategy = "runtime_gemm"}
// LOWER-LABEL: func @matmul_constant
// LOWER: linalg.generic {{.+}} library_call = "qnn_gemm_u8s8s32"
// LOWER-SAME: qnn.runtime_call = 0
func.func @matmul_constant(%x: tensor<2x8xi8>) -> tensor<2x4xi32> {
  %w = arith.constant dense<1> : tensor<4x8xi8>
  %y = qnn.int_matmul %x, %w {rhs_signed} : (tensor<2x8xi8>, tensor<4x8xi8>) -> tensor<2x4xi32>
  return %y : tensor<2x4xi32>
}

// -----

// SELECT-LABEL: func @matmul_forced_generic
// SELECT: strategy = "generic"
// LOWER-LABEL: func @matmul_forced_generic
// LOWER-NOT: library_call
// LOWER: arith.muli
func.func @matmul_forced_generic(%x: tensor<2x8xi8>) -> tensor<2x4xi32> {
  %w = arith.constant dense<1> : tensor<4x8xi8>
  %y = qnn.int_matmul %x, %w {rhs_signed, strategy = "generic"} : (tensor<2x8xi8>, tensor<4x8xi8>) -> tensor<2x4xi32>
  return %y : tensor<2x4xi32>
}

// -----

// A weight operand, saturating pairs restarting at 3: a zero column goes in
// before column 3 of both operands, and the pairs are the generic's.
// SELECT-LABEL: func @matmul_pairs_operand
// SELECT: strategy = "generic"
// LOWER-LABEL: func @matmul_pairs_operand
// LOWER: tensor.concat dim(1)
// LOWER: tensor.concat dim(1)
// LOWER-NOT: library_call
// LOWER: arith.minsi
func.func @matmul_pairs_operand(%x: tensor<2x5xi8>, %w: tensor<4x5xi8>) -> tensor<2x4xi32> {
  %y = qnn.int_matmul %x, %w {rhs_signed, saturating_pairs, pair_restarts = array<i64: 3>} : (tensor<2x5xi8>, tensor<4x5xi8>) -> tensor<2x4xi32>
  return %y : tensor<2x4xi32>
}

// -----

// SELECT-LABEL: func @conv_one_group
// SELECT: strategy = "im2col_gemm"
// LOWER-LABEL: func @conv_one_group
// LOWER: linalg.transpose
// LOWER: library_call = "qnn_gemm_u8s8s32"
// LOWER: tensor.expand_shape %{{.+}} {{\[}}[0, 1, 2], [3, 4]] output_shape [1, 2, 2, 1, 3]
func.func @conv_one_group(%x: tensor<1x2x4x4xi8>) -> tensor<1x2x2x1x3xi32> {
  %w = arith.constant dense<1> : tensor<3x2x3x3xi8>
  %y = qnn.int_conv %x, %w strides = [1, 1] dilations = [1, 1] groups = 1 {weight_signed} : (tensor<1x2x4x4xi8>, tensor<3x2x3x3xi8>) -> tensor<1x2x2x1x3xi32>
  return %y : tensor<1x2x2x1x3xi32>
}

// -----

// Grouped: the direct form, writing N x out x groups x O/groups.
// SELECT-LABEL: func @conv_grouped
// SELECT: strategy = "direct"
// LOWER-DAG: #[[OUT:.+]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d3, d1, d2)>
// LOWER-LABEL: func @conv_grouped
// LOWER-NOT: library_call
// LOWER: linalg.generic {indexing_maps = [#{{.+}}, #{{.+}}, #[[OUT]]]
func.func @conv_grouped(%x: tensor<1x4x6xi8>) -> tensor<1x4x2x3xi32> {
  %w = arith.constant dense<1> : tensor<6x2x3xi8>
  %y = qnn.int_conv %x, %w strides = [1] dilations = [1] groups = 2 {weight_signed} : (tensor<1x4x6xi8>, tensor<6x2x3xi8>) -> tensor<1x4x2x3xi32>
  return %y : tensor<1x4x2x3xi32>
}

// -----

// Saturating pairs of a group with an odd channel count: the last channel
// pairs with a zero channel added to the input and the weight (3 + 1 = 4
// channels per group, two pairs).
// SELECT-LABEL: func @conv_grouped_odd_pairs
// SELECT: strategy = "direct"
// LOWER-LABEL: func @conv_grouped_odd_pairs
// LOWER: %[[X:.+]] = tensor.pad %{{.+}} low[0, 0, 0, 0] high[0, 0, 1, 0]
// LOWER: %[[W:.+]] = tensor.pad %{{.+}} low[0, 0, 0, 0] high[0, 0, 1, 0]
// LOWER: ins(%[[X]], %[[X]], %[[W]], %[[W]], %{{.+}} : tensor<1x2x4x6xi8>, tensor<1x2x4x6xi8>, tensor<2x1x4x3xi8>, tensor<2x1x4x3xi8>, tensor<2xi8>)
// LOWER: arith.minsi
func.func @conv_grouped_odd_pairs(%x: tensor<1x6x6xi8>) -> tensor<1x4x2x1xi32> {
  %w = arith.constant dense<1> : tensor<2x3x3xi8>
  %y = qnn.int_conv %x, %w strides = [1] dilations = [1] groups = 2 {weight_signed, saturating_pairs} : (tensor<1x6x6xi8>, tensor<2x3x3xi8>) -> tensor<1x4x2x1xi32>
  return %y : tensor<1x4x2x1xi32>
}
