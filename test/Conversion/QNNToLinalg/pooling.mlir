// RUN: qnn-opt %s --convert-qnn-to-linalg --canonicalize | FileCheck %s

// Max pooling on the storage: the input padded with the lowest code (-128
// for qint8; padding never wins), a window reduction from the lowest code
// with the maximum by signedness, the kernel's shape given by a shape-only
// operand.
// CHECK-DAG: #[[IN:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2 * 2 + d3)>
// CHECK-DAG: #[[WIN:.+]] = affine_map<(d0, d1, d2, d3) -> (d3)>
// CHECK-LABEL: func @max_pool
// CHECK-SAME: (%[[X:.+]]: tensor<1x2x5xi8>)
// CHECK-DAG: %[[LOW:.+]] = arith.constant -128 : i8
// CHECK: %[[P:.+]] = tensor.pad %[[X]] low[0, 0, 1] high[0, 0, 1]
// CHECK: tensor.yield %[[LOW]] : i8
// CHECK: %[[INIT:.+]] = linalg.fill ins(%[[LOW]] : i8)
// CHECK: %[[W:.+]] = tensor.empty() : tensor<3xi8>
// CHECK: linalg.generic {indexing_maps = [#[[IN]], #[[WIN]], {{.+}}], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%[[P]], %[[W]] : tensor<1x2x7xi8>, tensor<3xi8>) outs(%[[INIT]] : tensor<1x2x3xi8>)
// CHECK: arith.maxsi
func.func @max_pool(%x: tensor<1x2x5x!quant.uniform<i8:f32, 0.5:-3>>) -> tensor<1x2x3x!quant.uniform<i8:f32, 0.5:-3>> {
  %y = qnn.max_pool %x kernel = [3] strides = [2] padding = [1] dilations = [1] ceil_mode = false : tensor<1x2x5x!quant.uniform<i8:f32, 0.5:-3>> -> tensor<1x2x3x!quant.uniform<i8:f32, 0.5:-3>>
  return %y : tensor<1x2x3x!quant.uniform<i8:f32, 0.5:-3>>
}
