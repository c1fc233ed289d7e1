// RUN: qnn-run %s --print | FileCheck %s

// PyTorch's quantize end to end: multiply by f32(1/scale), round half to
// even, add the zero point, saturate to the storage bounds.

// CHECK-LABEL: result 0: tensor<8x!quant.uniform<i8:f32, 1.000000e+00>>
// Ties go to even; saturation to -128..127.
// CHECK-NEXT: [0, 2, 2, 0, -2, 3, 127, -128]
// CHECK-LABEL: result 1: tensor<2x!quant.uniform<i8:f32, 1.000000e-01>>
// 3.25000024 * f32(1/0.1) = 32.5000038 rounds to 33 (x / 0.1 = 32.5 would
// round to 32); custom bounds -127..127 are not involved here.
// CHECK-NEXT: [33, 33]
// CHECK-LABEL: result 2: tensor<3x!quant.uniform<u8:f32, 5.000000e-01:3>>
// The zero point is added after rounding: 0.25 / 0.5 = 0.5 -> 0 -> 3.
// CHECK-NEXT: [3, 0, 255]
// CHECK-LABEL: result 3: tensor<3x!quant.uniform<i8<-127:127>:f32, 1.000000e+00>>
// CHECK-NEXT: [-127, 127, 5]
// CHECK-LABEL: result 4: tensor<3xf32>
// dequantize: f32(scale) * (q - zp).
// CHECK-NEXT: [1.5, -1.5, 126]
func.func @main() -> (tensor<8x!quant.uniform<i8:f32, 1.0>>,
                      tensor<2x!quant.uniform<i8:f32, 0.1>>,
                      tensor<3x!quant.uniform<u8:f32, 0.5:3>>,
                      tensor<3x!quant.uniform<i8<-127:127>:f32, 1.0>>,
                      tensor<3xf32>) {
  %a = arith.constant dense<[0.5, 1.5, 2.5, -0.5, -1.5, 3.25000024, 1000.0, -1000.0]> : tensor<8xf32>
  %qa = qnn.quantize %a : tensor<8xf32> -> tensor<8x!quant.uniform<i8:f32, 1.0>>
  %b = arith.constant dense<[3.25000024, 3.25000024]> : tensor<2xf32>
  %qb = qnn.quantize %b : tensor<2xf32> -> tensor<2x!quant.uniform<i8:f32, 0.1>>
  %c = arith.constant dense<[0.25, -100.0, 1000.0]> : tensor<3xf32>
  %qc = qnn.quantize %c : tensor<3xf32> -> tensor<3x!quant.uniform<u8:f32, 0.5:3>>
  %d = arith.constant dense<[-1000.0, 1000.0, 5.0]> : tensor<3xf32>
  %qd = qnn.quantize %d : tensor<3xf32> -> tensor<3x!quant.uniform<i8<-127:127>:f32, 1.0>>
  %e = arith.constant dense<[6, 0, 255]> : tensor<3xi8>
  %qe = quant.scast %e : tensor<3xi8> to tensor<3x!quant.uniform<u8:f32, 0.5:3>>
  %de = qnn.dequantize %qe : tensor<3x!quant.uniform<u8:f32, 0.5:3>> -> tensor<3xf32>
  return %qa, %qb, %qc, %qd, %de : tensor<8x!quant.uniform<i8:f32, 1.0>>, tensor<2x!quant.uniform<i8:f32, 0.1>>, tensor<3x!quant.uniform<u8:f32, 0.5:3>>, tensor<3x!quant.uniform<i8<-127:127>:f32, 1.0>>, tensor<3xf32>
}
