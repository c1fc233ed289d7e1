// RUN: sed s/ENGINE/qnnpack/ %s | qnn-run - --print | FileCheck %s
// RUN: sed s/ENGINE/onednn/ %s | qnn-run - --print | FileCheck %s
// RUN: sed s/ENGINE/qnnpack/ %s | qnn-opt --qnn-decompose | qnn-run - --print | FileCheck %s

// A linear layer computed by hand; both engines and the reference form
// agree on it.
//   x = [4, 6] (scale 0.5, zp 2) = [1, 2]
//   w = [[2, -1], [1, 1]] (scale 0.5) = [[1, -0.5], [0.5, 0.5]]
//   b = [0.25, -3]
//   x w^T + b = [0.25, -1.5]; in scale 0.25, zp 10: [11, 4]; relu: [11, 10]

//   leaky_relu(0.5) of those codes: [0.25, -0.75] -> [11, 7]
//   tanh of those codes (the intermediate type), in scale 1/128, zp 128:
//   tanh(0.25) * 128 = 31.35 -> 159, tanh(-1.5) * 128 = -115.86 -> 12

// CHECK: result 0: tensor<1x2x!quant.uniform<u8:f32, 2.500000e-01:10>>
// CHECK-NEXT: {{\[\[}}11, 4{{\]\]}}
// CHECK-NEXT: result 1: tensor<1x2x!quant.uniform<u8:f32, 2.500000e-01:10>>
// CHECK-NEXT: {{\[\[}}11, 10{{\]\]}}
// CHECK-NEXT: result 2: tensor<1x2x!quant.uniform<u8:f32, 2.500000e-01:10>>
// CHECK-NEXT: {{\[\[}}11, 7{{\]\]}}
// CHECK-NEXT: result 3: tensor<1x2x!quant.uniform<u8:f32, 7.812500e-03:128>>
// CHECK-NEXT: {{\[\[}}159, 12{{\]\]}}
module attributes {qnn.numerics = "ENGINE"} {
  func.func @main() -> (tensor<1x2x!quant.uniform<u8:f32, 0.25:10>>, tensor<1x2x!quant.uniform<u8:f32, 0.25:10>>, tensor<1x2x!quant.uniform<u8:f32, 0.25:10>>, tensor<1x2x!quant.uniform<u8:f32, 0.0078125:128>>) {
    %xs = arith.constant dense<[[4, 6]]> : tensor<1x2xi8>
    %x = quant.scast %xs : tensor<1x2xi8> to tensor<1x2x!quant.uniform<u8:f32, 0.5:2>>
    %ws = arith.constant dense<[[2, -1], [1, 1]]> : tensor<2x2xi8>
    %w = quant.scast %ws : tensor<2x2xi8> to tensor<2x2x!quant.uniform<i8:f32, 0.5>>
    %b = arith.constant dense<[0.25, -3.0]> : tensor<2xf32>
    %y = qnn.linear %x, %w bias(%b) : (tensor<1x2x!quant.uniform<u8:f32, 0.5:2>>, tensor<2x2x!quant.uniform<i8:f32, 0.5>>, tensor<2xf32>) -> tensor<1x2x!quant.uniform<u8:f32, 0.25:10>>
    %r = qnn.linear %x, %w bias(%b) post_op = relu : (tensor<1x2x!quant.uniform<u8:f32, 0.5:2>>, tensor<2x2x!quant.uniform<i8:f32, 0.5>>, tensor<2xf32>) -> tensor<1x2x!quant.uniform<u8:f32, 0.25:10>>
    %l = qnn.linear %x, %w bias(%b) post_op = leaky_relu(negative_slope = 0.5) : (tensor<1x2x!quant.uniform<u8:f32, 0.5:2>>, tensor<2x2x!quant.uniform<i8:f32, 0.5>>, tensor<2xf32>) -> tensor<1x2x!quant.uniform<u8:f32, 0.25:10>>
    %t = qnn.linear %x, %w bias(%b) post_op = tanh intermediate(!quant.uniform<u8:f32, 0.25:10>) : (tensor<1x2x!quant.uniform<u8:f32, 0.5:2>>, tensor<2x2x!quant.uniform<i8:f32, 0.5>>, tensor<2xf32>) -> tensor<1x2x!quant.uniform<u8:f32, 0.0078125:128>>
    return %y, %r, %l, %t : tensor<1x2x!quant.uniform<u8:f32, 0.25:10>>, tensor<1x2x!quant.uniform<u8:f32, 0.25:10>>, tensor<1x2x!quant.uniform<u8:f32, 0.25:10>>, tensor<1x2x!quant.uniform<u8:f32, 0.0078125:128>>
  }
}
