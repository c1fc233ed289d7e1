// RUN: qnn-run %s --print | FileCheck %s
// RUN: qnn-opt %s --qnn-decompose | qnn-run - --print | FileCheck %s

// Codes [[1, 2], [3, 6]] (two channels of two, scale 1, zero point 0), eps
// 0, weight [1, 2], bias [0, 0.5], output scale 0.25 and zero point 10.
// One group: mean 3, variance 3.5, (x - 3) / sqrt(3.5) = [-1.069, -0.535,
// 0, 1.604], channel 1 times 2 plus 0.5: [0.5, 3.707]; over 0.25:
// [-4.28, -2.14], [2, 14.83] -> [6, 8], [12, 25].
// Two groups (instance norm): channel 0 has mean 1.5, variance 0.25 ->
// [-1, 1] -> [6, 14]; channel 1 mean 4.5, variance 2.25 -> [-1, 1] * 2 + 0.5
// = [-1.5, 2.5] -> [4, 20]. The float reference form agrees.
// CHECK: result 0: tensor<1x2x2x!quant.uniform<u8:f32, 2.500000e-01:10>>
// CHECK-NEXT: {{\[\[\[}}6, 8], [12, 25]]]
// CHECK-NEXT: result 1: tensor<1x2x2x!quant.uniform<u8:f32, 2.500000e-01:10>>
// CHECK-NEXT: {{\[\[\[}}6, 14], [4, 20]]]
!x = tensor<1x2x2x!quant.uniform<u8:f32, 1.0>>
!y = tensor<1x2x2x!quant.uniform<u8:f32, 0.25:10>>
func.func @main() -> (!y, !y) {
  %xs = arith.constant dense<[[[1, 2], [3, 6]]]> : tensor<1x2x2xi8>
  %x = quant.scast %xs : tensor<1x2x2xi8> to !x
  %w = arith.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %b = arith.constant dense<[0.0, 0.5]> : tensor<2xf32>
  %group = qnn.group_norm %x weight(%w) bias(%b) groups = 1 eps = 0.0 : !x, tensor<2xf32>, tensor<2xf32> -> !y
  %instance = qnn.group_norm %x weight(%w) bias(%b) groups = 2 eps = 0.0 : !x, tensor<2xf32>, tensor<2xf32> -> !y
  return %group, %instance : !y, !y
}
