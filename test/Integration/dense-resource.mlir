// RUN: qnn-run %s --print | FileCheck %s
// RUN: qnn-opt %s --convert-qnn-to-linalg --qnn-lower-integer-contractions | FileCheck %s --check-prefix=KERNEL

// Weights may be dense_resource blobs: they are read at compile time,
// packed for the runtime's GEMM like dense ones, and give the same result
// as the hand-computed linear of linear.mlir.

// KERNEL: library_call = "qnn_gemm_u8s8s32"
// CHECK: result 0: tensor<1x2x!quant.uniform<u8:f32, 2.500000e-01:10>>
// CHECK-NEXT: {{\[\[}}11, 4{{\]\]}}
module attributes {qnn.numerics = "qnnpack"} {
  func.func @main() -> tensor<1x2x!quant.uniform<u8:f32, 0.25:10>> {
    %xs = arith.constant dense<[[4, 6]]> : tensor<1x2xi8>
    %x = quant.scast %xs : tensor<1x2xi8> to tensor<1x2x!quant.uniform<u8:f32, 0.5:2>>
    %ws = arith.constant dense_resource<weights> : tensor<2x2xi8>
    %w = quant.scast %ws : tensor<2x2xi8> to tensor<2x2x!quant.uniform<i8:f32, 0.5>>
    %b = arith.constant dense<[0.25, -3.0]> : tensor<2xf32>
    %y = qnn.linear %x, %w bias(%b) : (tensor<1x2x!quant.uniform<u8:f32, 0.5:2>>, tensor<2x2x!quant.uniform<i8:f32, 0.5>>, tensor<2xf32>) -> tensor<1x2x!quant.uniform<u8:f32, 0.25:10>>
    return %y : tensor<1x2x!quant.uniform<u8:f32, 0.25:10>>
  }
}
{-#
  dialect_resources: {
    builtin: {
      weights: "0x0100000002FF0101"
    }
  }
#-}
