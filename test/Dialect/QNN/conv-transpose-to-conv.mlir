// RUN: qnn-opt %s --qnn-conv-transpose-to-conv | FileCheck %s

// CHECK: #[[FLIP_MAP:.+]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d2, d1, -d3 + 1, -d4 + 1)>

// A transposed conv becomes a unit-stride, unpadded qnn.conv over the input
// spread out with its zero point, with the weight transposed per group and
// flipped.

// Constant weight, per channel, two groups: the rows are rearranged at
// compile time and the scales of a group's output channels repeat per
// group. Padding 1 is within the kernel's border 2, so the spread input is
// built at its final size: 1 + (3 - 1) * 2 + 1 + 2 - 2 * 1 + 1 = 8.
// CHECK-LABEL: func @constant_per_channel
// CHECK-DAG:  %[[W:.+]] = arith.constant dense<{{\[\[\[}}3, 2, 1], [9, 8, 7]], {{\[\[}}6, 5, 4], [12, 11, 10]], {{\[\[}}15, 14, 13], [21, 20, 19]], {{\[\[}}18, 17, 16], [24, 23, 22]]]> : tensor<4x2x3xi8>
// CHECK-DAG:  %[[ZP:.+]] = arith.constant dense<7> : tensor<1x4x8xi8>
// CHECK:      %[[CODES:.+]] = quant.scast %arg0 : tensor<1x4x3x!quant.uniform<u8:f32, 1.000000e-01:7>> to tensor<1x4x3xi8>
// CHECK:      %[[SPREAD:.+]] = tensor.insert_slice %[[CODES]] into %[[ZP]][0, 0, 1] [1, 4, 3] [1, 1, 2]
// CHECK:      %[[X:.+]] = quant.scast %[[SPREAD]] : tensor<1x4x8xi8> to tensor<1x4x8x!quant.uniform<u8:f32, 1.000000e-01:7>>
// CHECK:      %[[QW:.+]] = quant.scast %[[W]] : tensor<4x2x3xi8> to tensor<4x2x3x!quant.uniform<i8:f32:0, {5.000000e-01,2.500000e-01,5.000000e-01,2.500000e-01}>>
// CHECK:      qnn.conv %[[X]], %[[QW]] strides = [1] padding = [0] dilations = [1] groups = 2
// CHECK-NOT:  qnn.conv_transpose
func.func @constant_per_channel(%x: tensor<1x4x3x!quant.uniform<u8:f32, 0.1:7>>) -> tensor<1x4x6x!quant.uniform<u8:f32, 0.2>> {
  %c = arith.constant dense<[[[1, 2, 3], [4, 5, 6]], [[7, 8, 9], [10, 11, 12]], [[13, 14, 15], [16, 17, 18]], [[19, 20, 21], [22, 23, 24]]]> : tensor<4x2x3xi8>
  %w = quant.scast %c : tensor<4x2x3xi8> to tensor<4x2x3x!quant.uniform<i8:f32:1, {0.5, 0.25}>>
  %y = qnn.conv_transpose %x, %w strides = [2] padding = [1] output_padding = [1] dilations = [1] groups = 2 : (tensor<1x4x3x!quant.uniform<u8:f32, 0.1:7>>, tensor<4x2x3x!quant.uniform<i8:f32:1, {0.5, 0.25}>>) -> tensor<1x4x6x!quant.uniform<u8:f32, 0.2>>
  return %y : tensor<1x4x6x!quant.uniform<u8:f32, 0.2>>
}

// A weight operand is rearranged by a linalg.generic reading (g, c, o,
// K - 1 - k); padding 2 exceeds the border 1 of the first dimension, so the
// spread input is cropped there: element i lands at 2i - 1, the first one
// cropped away.
// CHECK-LABEL: func @operand_weight_crop
// CHECK:      %[[SPREAD:.+]] = tensor.insert_slice %{{.+}} into %{{.+}}[0, 0, 0, 1] [1, 2, 4, 4] [1, 1, 2, 1] : tensor<1x2x4x4xi8> into tensor<1x2x7x6xi8>
// CHECK:      %[[CROPPED:.+]] = tensor.extract_slice %[[SPREAD]][0, 0, 1, 0] [1, 2, 5, 6] [1, 1, 1, 1] : tensor<1x2x7x6xi8> to tensor<1x2x5x6xi8>
// CHECK:      %[[X:.+]] = quant.scast %[[CROPPED]]
// CHECK:      linalg.generic {indexing_maps = [#[[FLIP_MAP]], #{{.+}}]
// CHECK:      %[[W:.+]] = tensor.collapse_shape %{{.+}} {{\[\[}}0, 1], [2], [3], [4]] : tensor<1x3x2x2x2xi8> into tensor<3x2x2x2xi8>
// CHECK:      %[[QW:.+]] = quant.scast %[[W]]
// CHECK:      qnn.conv %[[X]], %[[QW]] strides = [1, 1] padding = [0, 0] dilations = [1, 1] groups = 1
func.func @operand_weight_crop(%x: tensor<1x2x4x4x!quant.uniform<u8:f32, 0.1:7>>, %w: tensor<2x3x2x2x!quant.uniform<i8:f32, 0.5>>) -> tensor<1x3x4x5x!quant.uniform<u8:f32, 0.2>> {
  %y = qnn.conv_transpose %x, %w strides = [2, 1] padding = [2, 0] output_padding = [0, 0] dilations = [1, 1] groups = 1 : (tensor<1x2x4x4x!quant.uniform<u8:f32, 0.1:7>>, tensor<2x3x2x2x!quant.uniform<i8:f32, 0.5>>) -> tensor<1x3x4x5x!quant.uniform<u8:f32, 0.2>>
  return %y : tensor<1x3x4x5x!quant.uniform<u8:f32, 0.2>>
}
