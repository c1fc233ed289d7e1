// RUN: qnn-opt %s --convert-qnn-to-linalg --qnn-lower-integer-contractions --canonicalize --split-input-file | FileCheck %s

// A grouped conv with 4 channels per group in and out: oneDNN's jit grouped
// kernel pairs consecutive channels of a group (c = 2j, 2j + 1) at each tap
// and saturates each pair to int16; it skips the zero padding like a
// single-group conv (code 0 padding, the term zx * 4 weights = 12 at the
// border positions, indexed by o = g * 4 + o').
// CHECK-DAG: #[[X0:.+]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d4 * 2, d3 + d5)>
// CHECK-DAG: #[[X1:.+]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d4 * 2 + 1, d3 + d5)>
// CHECK-DAG: #[[W0:.+]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d1, d2, d4 * 2, d5)>
// CHECK-DAG: #[[W1:.+]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d1, d2, d4 * 2 + 1, d5)>
// CHECK-DAG: #[[TERMMAP:.+]] = affine_map<(d0, d1, d2, d3) -> (d1, d2 * 4 + d3)>
// CHECK-LABEL: func.func @grouped_pairs
// CHECK-DAG: %[[ZERO:.+]] = arith.constant 0 : i8
// CHECK-DAG: %[[LO:.+]] = arith.constant -32768 : i32
// CHECK-DAG: %[[HI:.+]] = arith.constant 32767 : i32
// CHECK-DAG: %[[TERM:.+]] = arith.constant dense<{{\[\[}}12, 12, 12, 12, 12, 12, 12, 12], [0, 0, 0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0, 0], [12, 12, 12, 12, 12, 12, 12, 12]]> : tensor<4x8xi32>
// CHECK: tensor.yield %[[ZERO]] : i8
// CHECK: %[[ACC:.+]] = linalg.generic {indexing_maps = [#[[X0]], #[[X1]], #[[W0]], #[[W1]], {{.+}}]
// CHECK: arith.maxsi %{{.+}}, %[[LO]]
// CHECK: arith.minsi %{{.+}}, %[[HI]]
// CHECK: linalg.generic {indexing_maps = [#{{.+}}, #[[TERMMAP]], #{{.+}}]{{.+}} ins(%[[ACC]], %[[TERM]] :
module attributes {qnn.numerics = "onednn_no_vnni"} {
func.func @grouped_pairs(%x: tensor<1x8x4x!quant.uniform<u8:f32, 0.5:3>>) -> tensor<1x8x4x!quant.uniform<u8:f32, 0.25:10>> {
  %w = arith.constant dense<1> : tensor<8x4x3xi8>
  %wq = quant.scast %w : tensor<8x4x3xi8> to tensor<8x4x3x!quant.uniform<i8:f32, 0.5>>
  %y = qnn.conv %x, %wq strides = [1] padding = [1] dilations = [1] groups = 2 : (tensor<1x8x4x!quant.uniform<u8:f32, 0.5:3>>, tensor<8x4x3x!quant.uniform<i8:f32, 0.5>>) -> tensor<1x8x4x!quant.uniform<u8:f32, 0.25:10>>
  return %y : tensor<1x8x4x!quant.uniform<u8:f32, 0.25:10>>
}
}

// -----

// Any other grouped conv (here 6 input channels per group) runs in oneDNN's
// exact reference kernel: no saturation, padding with the zero point.
// CHECK-LABEL: func.func @grouped_exact
// CHECK-DAG: %[[ZP:.+]] = arith.constant 3 : i8
// CHECK-NOT: arith.minsi
// CHECK: tensor.yield %[[ZP]] : i8
// CHECK-NOT: arith.minsi
// CHECK: return
module attributes {qnn.numerics = "onednn_no_vnni"} {
func.func @grouped_exact(%x: tensor<1x12x4x!quant.uniform<u8:f32, 0.5:3>>) -> tensor<1x8x4x!quant.uniform<u8:f32, 0.25:10>> {
  %w = arith.constant dense<1> : tensor<8x6x3xi8>
  %wq = quant.scast %w : tensor<8x6x3xi8> to tensor<8x6x3x!quant.uniform<i8:f32, 0.5>>
  %y = qnn.conv %x, %wq strides = [1] padding = [1] dilations = [1] groups = 2 : (tensor<1x12x4x!quant.uniform<u8:f32, 0.5:3>>, tensor<8x6x3x!quant.uniform<i8:f32, 0.5>>) -> tensor<1x8x4x!quant.uniform<u8:f32, 0.25:10>>
  return %y : tensor<1x8x4x!quant.uniform<u8:f32, 0.25:10>>
}
}

// -----

// Linear with 256 < K < 768: oneDNN's GEMM splits K at h = ceil(261 / 2) =
// 131, odd, so the product at 130 stands alone and pairs restart at 131: a
// zero column inserted at 131 in the input (and in the packed weight, now
// ceil(262 / 4) = 66 groups of 4) makes pairs (2j, 2j + 1) right.
// CHECK-LABEL: func.func @linear_k_blocks
// CHECK-DAG: %[[Z:.+]] = arith.constant dense<0> : tensor<2x1xi8>
// CHECK: %[[A:.+]] = tensor.extract_slice %[[X:.+]][0, 0] [2, 131] [1, 1]
// CHECK: %[[B:.+]] = tensor.extract_slice %[[X]][0, 131] [2, 130] [1, 1]
// CHECK: %[[CAT:.+]] = tensor.concat dim(1) %[[A]], %[[Z]], %[[B]] : (tensor<2x131xi8>, tensor<2x1xi8>, tensor<2x130xi8>) -> tensor<2x262xi8>
// CHECK: linalg.generic {{.+}} library_call = "qnn_gemm_u8s8s32_sat16"} ins(%[[CAT]], %[[CAT]], %{{.+}}, %{{.+}}, %{{.+}} : tensor<2x262xi8>, tensor<2x262xi8>, tensor<1x66x16x4xi8>
// K = 260 splits at 130 (even: nothing inserted) and
// K = 800 into blocks of 384 (even).
// CHECK-LABEL: func.func @linear_k_even_blocks
// CHECK-NOT: tensor.concat
// CHECK: return
module attributes {qnn.numerics = "onednn_no_vnni"} {
func.func @linear_k_blocks(%x: tensor<2x261x!quant.uniform<u8:f32, 0.5:3>>) -> tensor<2x4x!quant.uniform<u8:f32, 0.25:10>> {
  %w = arith.constant dense<1> : tensor<4x261xi8>
  %wq = quant.scast %w : tensor<4x261xi8> to tensor<4x261x!quant.uniform<i8:f32, 0.5>>
  %y = qnn.linear %x, %wq : (tensor<2x261x!quant.uniform<u8:f32, 0.5:3>>, tensor<4x261x!quant.uniform<i8:f32, 0.5>>) -> tensor<2x4x!quant.uniform<u8:f32, 0.25:10>>
  return %y : tensor<2x4x!quant.uniform<u8:f32, 0.25:10>>
}
func.func @linear_k_even_blocks(%x: tensor<2x260x!quant.uniform<u8:f32, 0.5:3>>, %x2: tensor<2x800x!quant.uniform<u8:f32, 0.5:3>>) -> (tensor<2x4x!quant.uniform<u8:f32, 0.25:10>>, tensor<2x4x!quant.uniform<u8:f32, 0.25:10>>) {
  %w = arith.constant dense<1> : tensor<4x260xi8>
  %wq = quant.scast %w : tensor<4x260xi8> to tensor<4x260x!quant.uniform<i8:f32, 0.5>>
  %y = qnn.linear %x, %wq : (tensor<2x260x!quant.uniform<u8:f32, 0.5:3>>, tensor<4x260x!quant.uniform<i8:f32, 0.5>>) -> tensor<2x4x!quant.uniform<u8:f32, 0.25:10>>
  %w2 = arith.constant dense<1> : tensor<4x800xi8>
  %wq2 = quant.scast %w2 : tensor<4x800xi8> to tensor<4x800x!quant.uniform<i8:f32, 0.5>>
  %y2 = qnn.linear %x2, %wq2 : (tensor<2x800x!quant.uniform<u8:f32, 0.5:3>>, tensor<4x800x!quant.uniform<i8:f32, 0.5>>) -> tensor<2x4x!quant.uniform<u8:f32, 0.25:10>>
  return %y, %y2 : tensor<2x4x!quant.uniform<u8:f32, 0.25:10>>, tensor<2x4x!quant.uniform<u8:f32, 0.25:10>>
}
}
