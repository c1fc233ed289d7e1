// RUN: qnn-run %s --print | FileCheck %s
// RUN: qnn-opt %s --qnn-decompose | qnn-run - --print | FileCheck %s

// qnn.permute moves codes: [[1, 2, 3], [4, 5, 6]] transposed.
// CHECK: result 0: tensor<3x2x!quant.uniform<u8:f32, 5.000000e-01:10>>
// CHECK-NEXT: {{\[\[}}1, 4], [2, 5], [3, 6{{\]\]}}
func.func @main() -> tensor<3x2x!quant.uniform<u8:f32, 0.5:10>> {
  %xs = arith.constant dense<[[1, 2, 3], [4, 5, 6]]> : tensor<2x3xi8>
  %x = quant.scast %xs : tensor<2x3xi8> to tensor<2x3x!quant.uniform<u8:f32, 0.5:10>>
  %t = qnn.permute %x permutation = [1, 0] : tensor<2x3x!quant.uniform<u8:f32, 0.5:10>> -> tensor<3x2x!quant.uniform<u8:f32, 0.5:10>>
  return %t : tensor<3x2x!quant.uniform<u8:f32, 0.5:10>>
}
