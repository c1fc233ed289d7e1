// RUN: qnn-run %s --print | FileCheck %s

// torch's channels-last cat requantizes the channels of its vector loops
// with fma(s, q, -z * s) and the others with s * (q - z): code 239 of
// (0.09827901422977448, 233) to (0.010436716489493847, 17) is 74 the first
// way and 73 the second (torch 1.13, test_functional's test_cat_nhwc_fma).
// fma_channels = 1 takes channel 0 the first way.
// CHECK: result 0: tensor<1x2x1x1x!quant.uniform<u8:f32, 0.010436716489493847:17>>
// CHECK-NEXT: {{\[\[\[\[}}74]], {{\[\[}}73]]]]
// CHECK-NEXT: result 1: tensor<1x2x1x1x!quant.uniform<u8:f32, 0.010436716489493847:17>>
// CHECK-NEXT: {{\[\[\[\[}}73]], {{\[\[}}73]]]]
!x = tensor<1x2x1x1x!quant.uniform<u8:f32, 0.09827901422977448:233>>
!y = tensor<1x2x1x1x!quant.uniform<u8:f32, 0.010436716489493847:17>>
func.func @main() -> (!y, !y) {
  %xs = arith.constant dense<-17> : tensor<1x2x1x1xi8>
  %x = quant.scast %xs : tensor<1x2x1x1xi8> to !x
  %fma = qnn.requantize %x {fma_channels = 1 : i64} : !x -> !y
  %plain = qnn.requantize %x : !x -> !y
  return %fma, %plain : !y, !y
}
