// RUN: sed s/ENGINE/qnnpack/ %s | qnn-run - --print | FileCheck %s
// RUN: sed s/ENGINE/onednn/ %s | qnn-run - --print | FileCheck %s
// RUN: sed s/ENGINE/onednn_no_vnni/ %s | qnn-run - --print | FileCheck %s
// RUN: sed s/ENGINE/onednn/ %s | qnn-opt --qnn-decompose | qnn-run - --print | FileCheck %s

// 1-D transposed convolutions computed by hand: y[i * stride + k * dilation]
// += x[i] * w[k], then cropped by the padding. x = [4, 5, 6] with zero point
// 3 is [1, 2, 3]; w = [1, 0, -1]; output scale 1, zero point 10.
//   stride 2:                     [1, 0, 1, 0, 1, 0, -3]
//   + bias 2:                     [3, 2, 3, 2, 3, 2, -1]
//   stride 2, padding 1:          [0, 1, 0, 1, 0]
//   ... and output_padding 1:     [0, 1, 0, 1, 0, -3]
//   stride 2, padding 3 (crops more than the kernel's border): [0]
//   dilation 2:                   [1, 2, 3, 0, -1, -2, -3]
// Two groups, the second channel x = [3, 4, 5] = [0, 1, 2] with w = [1, 1, 1]:
//   group 0: [1, 2, 2, -2, -3], group 1: [0, 1, 3, 3, 2].

// onednn_no_vnni skips the gaps and the border (code 0 there, the zero
// point's term over the real taps only): no sum saturates here, so the
// results are the same (conv-transpose-pairs.mlir shows where they differ).

// CHECK: result 0:
// CHECK-NEXT: {{\[\[\[}}11, 10, 11, 10, 11, 10, 7{{\]\]\]}}
// CHECK-NEXT: result 1:
// CHECK-NEXT: {{\[\[\[}}13, 12, 13, 12, 13, 12, 9{{\]\]\]}}
// CHECK-NEXT: result 2:
// CHECK-NEXT: {{\[\[\[}}10, 11, 10, 11, 10{{\]\]\]}}
// CHECK-NEXT: result 3:
// CHECK-NEXT: {{\[\[\[}}10, 11, 10, 11, 10, 7{{\]\]\]}}
// CHECK-NEXT: result 4:
// CHECK-NEXT: {{\[\[\[}}10{{\]\]\]}}
// CHECK-NEXT: result 5:
// CHECK-NEXT: {{\[\[\[}}11, 12, 13, 10, 9, 8, 7{{\]\]\]}}
// CHECK-NEXT: result 6:
// CHECK-NEXT: {{\[\[\[}}11, 12, 12, 8, 7], [10, 11, 13, 13, 12{{\]\]\]}}
!x = tensor<1x1x3x!quant.uniform<u8:f32, 1.0:3>>
!x2 = tensor<1x2x3x!quant.uniform<u8:f32, 1.0:3>>
!w = tensor<1x1x3x!quant.uniform<i8:f32, 1.0>>
!w2 = tensor<2x1x3x!quant.uniform<i8:f32, 1.0>>
!q = !quant.uniform<u8:f32, 1.0:10>
module attributes {qnn.numerics = "ENGINE"} {
  func.func @main() -> (tensor<1x1x7x!q>, tensor<1x1x7x!q>, tensor<1x1x5x!q>, tensor<1x1x6x!q>, tensor<1x1x1x!q>, tensor<1x1x7x!q>, tensor<1x2x5x!q>) {
    %xs = arith.constant dense<[[[4, 5, 6]]]> : tensor<1x1x3xi8>
    %x = quant.scast %xs : tensor<1x1x3xi8> to !x
    %ws = arith.constant dense<[[[1, 0, -1]]]> : tensor<1x1x3xi8>
    %w = quant.scast %ws : tensor<1x1x3xi8> to !w
    %b = arith.constant dense<2.0> : tensor<1xf32>
    %0 = qnn.conv_transpose %x, %w strides = [2] padding = [0] output_padding = [0] dilations = [1] groups = 1 : (!x, !w) -> tensor<1x1x7x!q>
    %1 = qnn.conv_transpose %x, %w bias(%b) strides = [2] padding = [0] output_padding = [0] dilations = [1] groups = 1 : (!x, !w, tensor<1xf32>) -> tensor<1x1x7x!q>
    %2 = qnn.conv_transpose %x, %w strides = [2] padding = [1] output_padding = [0] dilations = [1] groups = 1 : (!x, !w) -> tensor<1x1x5x!q>
    %3 = qnn.conv_transpose %x, %w strides = [2] padding = [1] output_padding = [1] dilations = [1] groups = 1 : (!x, !w) -> tensor<1x1x6x!q>
    %4 = qnn.conv_transpose %x, %w strides = [2] padding = [3] output_padding = [0] dilations = [1] groups = 1 : (!x, !w) -> tensor<1x1x1x!q>
    %5 = qnn.conv_transpose %x, %w strides = [1] padding = [0] output_padding = [0] dilations = [2] groups = 1 : (!x, !w) -> tensor<1x1x7x!q>
    %x2s = arith.constant dense<[[[4, 5, 6], [3, 4, 5]]]> : tensor<1x2x3xi8>
    %x2 = quant.scast %x2s : tensor<1x2x3xi8> to !x2
    %w2s = arith.constant dense<[[[1, 0, -1]], [[1, 1, 1]]]> : tensor<2x1x3xi8>
    %w2 = quant.scast %w2s : tensor<2x1x3xi8> to !w2
    %6 = qnn.conv_transpose %x2, %w2 strides = [1] padding = [0] output_padding = [0] dilations = [1] groups = 2 : (!x2, !w2) -> tensor<1x2x5x!q>
    return %0, %1, %2, %3, %4, %5, %6 : tensor<1x1x7x!q>, tensor<1x1x7x!q>, tensor<1x1x5x!q>, tensor<1x1x6x!q>, tensor<1x1x1x!q>, tensor<1x1x7x!q>, tensor<1x2x5x!q>
  }
}
