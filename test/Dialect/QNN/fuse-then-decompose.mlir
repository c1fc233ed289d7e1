// RUN: qnn-opt %s --qnn-fuse --qnn-decompose | FileCheck %s
// RUN: qnn-opt %s --qnn-fuse --qnn-decompose --qnn-fuse | FileCheck %s --check-prefix=FUSED

// A small unfused model (conv, relu, add, linear, relu) is fused, then
// decomposed: the reference form has one quantize per fused op, i.e. the
// intermediate requantizations of the unfused model are gone. Fusing that
// reference form again gives the fused ops.

!x = tensor<1x2x4x4x!quant.uniform<u8:f32, 0.1:3>>
!w = tensor<2x2x3x3x!quant.uniform<i8:f32, 0.5>>
!y = tensor<1x2x4x4x!quant.uniform<u8:f32, 0.2:5>>

// CHECK-LABEL: func @model
// CHECK-SAME: (%[[X:.+]]: tensor<{{.+}}>, %[[W:.+]]: tensor<{{.+}}>, %[[S:.+]]: tensor<{{.+}}>, %[[LW:.+]]: tensor<{{.+}}>)
// CHECK: %[[XF:.+]] = qnn.dequantize %[[X]]
// CHECK: %[[WF:.+]] = qnn.dequantize %[[W]]
// CHECK: tensor.pad %[[XF]] low[0, 0, 1, 1] high[0, 0, 1, 1]
// CHECK: linalg.generic
// CHECK: %[[CONV:.+]] = tensor.collapse_shape
// CHECK: %[[SF:.+]] = qnn.dequantize %[[S]]
// CHECK: %[[SUM:.+]] = arith.addf %[[CONV]], %[[SF]]
// CHECK: %[[RELU:.+]] = arith.maximumf %[[SUM]]
// CHECK: %[[Q1:.+]] = qnn.quantize %[[RELU]] : tensor<1x2x4x4xf32> -> tensor<1x2x4x4x!quant.uniform<u8:f32, 2.000000e-01:5>>
// CHECK-NOT: qnn.quantize
// CHECK: %[[FLAT:.+]] = qnn.dequantize %{{.+}} : tensor<1x32x{{.+}}> -> tensor<1x32xf32>
// CHECK: linalg.matmul ins(%[[FLAT]],
// CHECK: %[[R2:.+]] = arith.maximumf
// CHECK: %[[Q2:.+]] = qnn.quantize %[[R2]] : tensor<1x10xf32> -> tensor<1x10x!quant.uniform<u8:f32, 1.000000e-01>>
// CHECK: return %[[Q2]]

// FUSED-LABEL: func @model
// FUSED: %[[C:.+]] = qnn.conv %{{.+}}, %{{.+}} add(%{{.+}}) strides = [1, 1] padding = [1, 1] dilations = [1, 1] groups = 1 post_op = relu
// FUSED: %[[F:.+]] = tensor.collapse_shape %[[C]]
// FUSED: %[[L:.+]] = qnn.linear %[[F]], %{{.+}} post_op = relu
// FUSED: return %[[L]]
func.func @model(%x: !x, %w: !w, %skip: !y, %lw: tensor<10x32x!quant.uniform<i8:f32, 0.05>>) -> tensor<1x10x!quant.uniform<u8:f32, 0.1>> {
  %c = qnn.conv %x, %w strides = [1, 1] padding = [1, 1] dilations = [1, 1] groups = 1 : (!x, !w) -> !y
  %s = qnn.add %c, %skip post_op = relu : !y, !y -> !y
  %f = tensor.collapse_shape %s [[0], [1, 2, 3]] : !y into tensor<1x32x!quant.uniform<u8:f32, 0.2:5>>
  %l = qnn.linear %f, %lw : (tensor<1x32x!quant.uniform<u8:f32, 0.2:5>>, tensor<10x32x!quant.uniform<i8:f32, 0.05>>) -> tensor<1x10x!quant.uniform<u8:f32, 0.1>>
  %r = qnn.activation relu %l : tensor<1x10x!quant.uniform<u8:f32, 0.1>> -> tensor<1x10x!quant.uniform<u8:f32, 0.1>>
  return %r : tensor<1x10x!quant.uniform<u8:f32, 0.1>>
}
