// RUN: sed s/ENGINE/qnnpack/ %s | qnn-run - --print | FileCheck %s
// RUN: sed s/ENGINE/onednn/ %s | qnn-run - --print | FileCheck %s

// relu and relu6 are integer clamps at the zero point and quantize(6.0);
// add requantizes the sum of both dequantized operands.
//   x = [0, 10, 15, 22, 23, 255] (scale 0.5, zp 10)
//   relu6 bound: 10 + 6 / 0.5 = 22
//   a = [10, 20] (0.5, 0) = [5, 10]; b = [4, 0] (0.25, 2) = [0.5, -0.5]
//   a + b = [5.5, 9.5] in (0.5, 1) = [12, 20]

// CHECK: result 0: tensor<6x!quant.uniform<u8:f32, 5.000000e-01:10>>
// CHECK-NEXT: [10, 10, 15, 22, 23, 255]
// CHECK-NEXT: result 1: tensor<6x!quant.uniform<u8:f32, 5.000000e-01:10>>
// CHECK-NEXT: [10, 10, 15, 22, 22, 22]
// CHECK-NEXT: result 2: tensor<2x!quant.uniform<u8:f32, 5.000000e-01:1>>
// CHECK-NEXT: [12, 20]
module attributes {qnn.numerics = "ENGINE"} {
  func.func @main() -> (tensor<6x!quant.uniform<u8:f32, 0.5:10>>, tensor<6x!quant.uniform<u8:f32, 0.5:10>>, tensor<2x!quant.uniform<u8:f32, 0.5:1>>) {
    %xs = arith.constant dense<[0, 10, 15, 22, 23, 255]> : tensor<6xi8>
    %x = quant.scast %xs : tensor<6xi8> to tensor<6x!quant.uniform<u8:f32, 0.5:10>>
    %r = qnn.activation relu %x : tensor<6x!quant.uniform<u8:f32, 0.5:10>> -> tensor<6x!quant.uniform<u8:f32, 0.5:10>>
    %r6 = qnn.activation relu6 %x : tensor<6x!quant.uniform<u8:f32, 0.5:10>> -> tensor<6x!quant.uniform<u8:f32, 0.5:10>>
    %as = arith.constant dense<[10, 20]> : tensor<2xi8>
    %a = quant.scast %as : tensor<2xi8> to tensor<2x!quant.uniform<u8:f32, 0.5>>
    %bs = arith.constant dense<[4, 0]> : tensor<2xi8>
    %b = quant.scast %bs : tensor<2xi8> to tensor<2x!quant.uniform<u8:f32, 0.25:2>>
    %s = qnn.add %a, %b : tensor<2x!quant.uniform<u8:f32, 0.5>>, tensor<2x!quant.uniform<u8:f32, 0.25:2>> -> tensor<2x!quant.uniform<u8:f32, 0.5:1>>
    return %r, %r6, %s : tensor<6x!quant.uniform<u8:f32, 0.5:10>>, tensor<6x!quant.uniform<u8:f32, 0.5:10>>, tensor<2x!quant.uniform<u8:f32, 0.5:1>>
  }
}
