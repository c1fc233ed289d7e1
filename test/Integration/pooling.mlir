// RUN: qnn-run %s --print | FileCheck %s
// RUN: qnn-opt %s --qnn-decompose | qnn-run - --print | FileCheck %s

// Max pooling is the integer maximum of the codes; padding never wins
// (the codes here are all below the zero point 10, i.e. negative values,
// so a zero-valued padding would).
//   x = [[1, 5, 2, 7, 3, 0, 4]] (one channel, length 7)
//   kernel 3, stride 2, padding 1: windows [pad,1,5] [5,2,7] [7,3,0] [0,4,pad]
//     -> [5, 7, 7, 4]
//   kernel 2, stride 2, ceil_mode: windows [1,5] [2,7] [3,0] [4] -> [5, 7, 3, 4]
//   kernel 2, dilation 3: windows [1,7] [5,3] [2,0] [7,4] -> [7, 5, 2, 7]
// CHECK: result 0: tensor<1x1x4x!quant.uniform<u8:f32, 5.000000e-01:10>>
// CHECK-NEXT: {{\[\[\[}}5, 7, 7, 4{{\]\]\]}}
// CHECK-NEXT: result 1: tensor<1x1x4x!quant.uniform<u8:f32, 5.000000e-01:10>>
// CHECK-NEXT: {{\[\[\[}}5, 7, 3, 4{{\]\]\]}}
// CHECK-NEXT: result 2: tensor<1x1x4x!quant.uniform<u8:f32, 5.000000e-01:10>>
// CHECK-NEXT: {{\[\[\[}}7, 5, 2, 7{{\]\]\]}}
!t = tensor<1x1x7x!quant.uniform<u8:f32, 0.5:10>>
!r = tensor<1x1x4x!quant.uniform<u8:f32, 0.5:10>>
func.func @main() -> (!r, !r, !r) {
  %xs = arith.constant dense<[[[1, 5, 2, 7, 3, 0, 4]]]> : tensor<1x1x7xi8>
  %x = quant.scast %xs : tensor<1x1x7xi8> to !t
  %a = qnn.max_pool %x kernel = [3] strides = [2] padding = [1] dilations = [1] ceil_mode = false : !t -> !r
  %b = qnn.max_pool %x kernel = [2] strides = [2] padding = [0] dilations = [1] ceil_mode = true : !t -> !r
  %c = qnn.max_pool %x kernel = [2] strides = [1] padding = [0] dilations = [3] ceil_mode = false : !t -> !r
  return %a, %b, %c : !r, !r, !r
}
