// RUN: qnn-run %s --print | FileCheck %s

// torch's F.leaky_relu(x, 0.1) with input (and output) scale
// 0.05175873637199402, zero point 253 rounds codes 178, 218 and 238 one code
// higher in ATen's vector body (FMA dequantize) than in its scalar loop
// (measured with torch 1.13: 246/245, 250/249, 252/251). scalar_ranges
// names the elements torch computed with the scalar loop: here positions
// 3..5 in the memory order [1, 0] (dimension 1 outermost, as in a
// transposed tensor), where element [i, j] is at position 2 * j + i: the
// elements [1, 1], [0, 2] and [1, 2].

// CHECK: result 0: tensor<2x3x!quant.uniform<u8:f32, 0.051758736371994019:253>>
// CHECK-NEXT: {{\[}}[246, 250, 251], [246, 249, 251]]
// CHECK-NEXT: result 1: tensor<2x3x!quant.uniform<u8:f32, 0.051758736371994019:253>>
// CHECK-NEXT: {{\[}}[246, 250, 252], [246, 250, 252]]
!t = tensor<2x3x!quant.uniform<u8:f32, 0.05175873637199402:253>>
module attributes {qnn.numerics = "onednn"} {
  func.func @main() -> (!t, !t) {
    %xs = arith.constant dense<[[178, 218, 238], [178, 218, 238]]> : tensor<2x3xi8>
    %x = quant.scast %xs : tensor<2x3xi8> to !t
    %tail = qnn.activation leaky_relu(negative_slope = 0.1) %x {scalar_ranges = array<i64: 3, 6>, memory_order = array<i64: 1, 0>} : !t -> !t
    %vector = qnn.activation leaky_relu(negative_slope = 0.1) %x : !t -> !t
    return %tail, %vector : !t, !t
  }
}
