// RUN: qnn-run %s --print | FileCheck %s
// RUN: qnn-opt %s --qnn-decompose | qnn-run - --print | FileCheck %s

// Two channels, input scale 0.5 and zero point 3, output 0.25 and 10,
// eps 0: weight [2, 1], bias [0.5, 0], mean [0, 1], var [4, 1] give torch's
// alpha = inv_sigma * w * (0.5 / 0.25) = [2, 2] and beta = (b - mean *
// inv_sigma * w) / 0.25 = [2, -4]; y = rint(alpha * (q - 3) + beta) + 10.
//   channel 0, codes [5, 1]: 2 * 2 + 2 = 6 -> 16, 2 * -2 + 2 = -2 -> 8
//   channel 1, codes [3, 10]: -4 -> 6, 2 * 7 - 4 = 10 -> 20
// relu (BNReLU2d) keeps codes from 10 up. The float reference form agrees.
// CHECK: result 0: tensor<1x2x1x2x!quant.uniform<u8:f32, 2.500000e-01:10>>
// CHECK-NEXT: {{\[\[\[\[}}16, 8]], {{\[\[}}6, 20]]]]
// CHECK-NEXT: result 1: tensor<1x2x1x2x!quant.uniform<u8:f32, 2.500000e-01:10>>
// CHECK-NEXT: {{\[\[\[\[}}16, 10]], {{\[\[}}10, 20]]]]
!x = tensor<1x2x1x2x!quant.uniform<u8:f32, 0.5:3>>
!y = tensor<1x2x1x2x!quant.uniform<u8:f32, 0.25:10>>
func.func @main() -> (!y, !y) {
  %xs = arith.constant dense<[[[[5, 1]], [[3, 10]]]]> : tensor<1x2x1x2xi8>
  %x = quant.scast %xs : tensor<1x2x1x2xi8> to !x
  %w = arith.constant dense<[2.0, 1.0]> : tensor<2xf32>
  %b = arith.constant dense<[0.5, 0.0]> : tensor<2xf32>
  %m = arith.constant dense<[0.0, 1.0]> : tensor<2xf32>
  %v = arith.constant dense<[4.0, 1.0]> : tensor<2xf32>
  %bn = qnn.batch_norm %x, %w, %b, %m, %v eps = 0.0 : !x, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32> -> !y
  %bnr = qnn.batch_norm %x, %w, %b, %m, %v eps = 0.0 post_op = relu : !x, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32> -> !y
  return %bn, %bnr : !y, !y
}
