// RUN: qnn-opt %s --qnn-decompose | qnn-run - --print | FileCheck %s --check-prefixes=CHECK,REF
// RUN: qnn-run %s --print | FileCheck %s --check-prefixes=CHECK,INT

// The reference form of the averages is torch's float op on the dequantized
// input, quantized back (prefix REF; values from torch 1.13's F.avg_pool2d,
// F.adaptive_avg_pool2d and mean of the dequantized tensor, then
// quantize_per_tensor). The integer path (prefix INT) is ATen's NCHW kernel, which
// adds the zero point before rounding (avg_pool) or averages the raw codes
// (adaptive): the two differ where the average of the codes less the zero
// point is a tie.
// x: 1x1x3x4 quint8, scale 0.5, zero point 1, codes
//   [[2, 4, 7, 1], [3, 4, 9, 0], [5, 6, 2, 8]]
// avg_pool 2x2 stride 2 padding 1, count_include_pad = false: windows clipped
//   to the input, so corners average one tap, edges two. At [0, 1] the taps
//   4, 7 less the zero point average 4.5: reference rint(4.5) + 1 = 5, integer
//   rint(4.5 + 1) = 6.
// CHECK: result 0: tensor<1x1x2x3x!quant.uniform<u8:f32, 5.000000e-01:1>>
// REF-NEXT: {{\[}}{{\[}}{{\[}}[2, 5, 1], [4, 5, 4]]]]
// INT-NEXT: {{\[}}{{\[}}{{\[}}[2, 6, 1], [4, 5, 4]]]]
// the same with divisor_override = 3 (no ties)
// CHECK-NEXT: result 1: tensor<1x1x2x3x!quant.uniform<u8:f32, 5.000000e-01:1>>
// CHECK-NEXT: {{\[}}{{\[}}{{\[}}[1, 4, 1], [3, 7, 3]]]]
// adaptive to 2x3: rows 0:2, 1:3; columns 0:2, 1:3, 2:4. At [1, 0] the
//   taps 3, 4, 5, 6: reference (18 - 4) / 4 = 3.5 -> 4, + 1 = 5; integer rint(18 / 4)
//   = 4.
// CHECK-NEXT: result 2: tensor<1x1x2x3x!quant.uniform<u8:f32, 5.000000e-01:1>>
// REF-NEXT: {{\[}}{{\[}}{{\[}}[3, 6, 4], [5, 5, 5]]]]
// INT-NEXT: {{\[}}{{\[}}{{\[}}[3, 6, 4], [4, 5, 5]]]]
// mean over [2, 3] with keepdim: 51 - 12 = 39 half-units over 12 -> 3.25 + 1
// CHECK-NEXT: result 3: tensor<1x1x1x1x!quant.uniform<u8:f32, 5.000000e-01:1>>
// CHECK-NEXT: {{\[}}{{\[}}{{\[}}[4]]]]
!t = tensor<1x1x3x4x!quant.uniform<u8:f32, 0.5:1>>
!p = tensor<1x1x2x3x!quant.uniform<u8:f32, 0.5:1>>
!m = tensor<1x1x1x1x!quant.uniform<u8:f32, 0.5:1>>
module attributes {qnn.numerics = "onednn"} {
  func.func @main() -> (!p, !p, !p, !m) {
    %xs = arith.constant dense<[[[[2, 4, 7, 1], [3, 4, 9, 0], [5, 6, 2, 8]]]]> : tensor<1x1x3x4xi8>
    %x = quant.scast %xs : tensor<1x1x3x4xi8> to !t
    %avg = qnn.avg_pool %x kernel = [2, 2] strides = [2, 2] padding = [1, 1] ceil_mode = false count_include_pad = false : !t -> !p
    %div = qnn.avg_pool %x kernel = [2, 2] strides = [2, 2] padding = [1, 1] ceil_mode = false count_include_pad = true {divisor_override = 3 : i64} : !t -> !p
    %adaptive = qnn.adaptive_avg_pool %x : !t -> !p
    %mean = qnn.mean %x dims = [2, 3] : !t -> !m
    return %avg, %div, %adaptive, %mean : !p, !p, !p, !m
  }
}
