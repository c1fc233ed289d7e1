// RUN: qnn-run %s --print | FileCheck %s
// RUN: qnn-opt %s --qnn-decompose | qnn-run - --print | FileCheck %s

// One row of codes [1, 2, 3, 6] (scale 1, zero point 0), eps 0: sum 12, sum
// of squares 50, mean 3, variance 50 / 4 - 9 = 3.5, k = 1 / sqrt(3.5):
// (x - 3) * k = [-1.069, -0.535, 0, 1.604], over the output scale 0.25:
// [-4.28, -2.14, 0, 6.41] -> [-4, -2, 0, 6] + 10. With weight [1, 1, 2, 1]
// and bias [0, 0, 0, 0.5] the last is 2.104 / 0.25 = 8.42 -> 8 + 10.
// The float reference form agrees.
// CHECK: result 0: tensor<1x4x!quant.uniform<u8:f32, 2.500000e-01:10>>
// CHECK-NEXT: {{\[\[}}6, 8, 10, 16]]
// CHECK-NEXT: result 1: tensor<1x4x!quant.uniform<u8:f32, 2.500000e-01:10>>
// CHECK-NEXT: {{\[\[}}6, 8, 10, 18]]
!x = tensor<1x4x!quant.uniform<u8:f32, 1.0>>
!y = tensor<1x4x!quant.uniform<u8:f32, 0.25:10>>
func.func @main() -> (!y, !y) {
  %xs = arith.constant dense<[[1, 2, 3, 6]]> : tensor<1x4xi8>
  %x = quant.scast %xs : tensor<1x4xi8> to !x
  %w = arith.constant dense<[1.0, 1.0, 2.0, 1.0]> : tensor<4xf32>
  %b = arith.constant dense<[0.0, 0.0, 0.0, 0.5]> : tensor<4xf32>
  %plain = qnn.layer_norm %x normalized_rank = 1 eps = 0.0 : !x -> !y
  %affine = qnn.layer_norm %x weight(%w) bias(%b) normalized_rank = 1 eps = 0.0 : !x, tensor<4xf32>, tensor<4xf32> -> !y
  return %plain, %affine : !y, !y
}
