// RUN: sed s/ENGINE/qnnpack/ %s | qnn-run - --print | FileCheck %s
// RUN: sed s/ENGINE/onednn/ %s | qnn-run - --print | FileCheck %s
// RUN: sed s/ENGINE/onednn/ %s | qnn-opt --qnn-decompose | qnn-run - --print | FileCheck %s

// A 1-D convolution computed by hand in each padding mode:
//   x = [1, 2, 3, 4], w = [1, 0, -1], padding 1, output scale 1, zp 10.
//   zeros     [0, 1, 2, 3, 4, 0] -> [-2, -2, -2, 3]  -> [8, 8, 8, 13]
//   reflect   [2, 1, 2, 3, 4, 3] -> [0, -2, -2, 0]   -> [10, 8, 8, 10]
//   replicate [1, 1, 2, 3, 4, 4] -> [-1, -2, -2, -1] -> [9, 8, 8, 9]
//   circular  [4, 1, 2, 3, 4, 1] -> [2, -2, -2, 2]   -> [12, 8, 8, 12]
// The input zero point is 3, so zero padding pads with the stored 3.
// With an added input y = [12, 10, 8, 10] (scale 1, zp 10) = [2, 0, -2, 0]:
//   zeros conv [-2, -2, -2, 3] + y = [0, -2, -4, 3] -> [10, 8, 6, 13];
//   with relu after the add: [10, 10, 10, 13].

// CHECK: result 0:
// CHECK-NEXT: {{\[\[\[}}8, 8, 8, 13{{\]\]\]}}
// CHECK-NEXT: result 1:
// CHECK-NEXT: {{\[\[\[}}10, 8, 8, 10{{\]\]\]}}
// CHECK-NEXT: result 2:
// CHECK-NEXT: {{\[\[\[}}9, 8, 8, 9{{\]\]\]}}
// CHECK-NEXT: result 3:
// CHECK-NEXT: {{\[\[\[}}12, 8, 8, 12{{\]\]\]}}
// CHECK-NEXT: result 4:
// CHECK-NEXT: {{\[\[\[}}10, 8, 6, 13{{\]\]\]}}
// CHECK-NEXT: result 5:
// CHECK-NEXT: {{\[\[\[}}10, 10, 10, 13{{\]\]\]}}
!x = tensor<1x1x4x!quant.uniform<u8:f32, 1.0:3>>
!w = tensor<1x1x3x!quant.uniform<i8:f32, 1.0>>
!y = tensor<1x1x4x!quant.uniform<u8:f32, 1.0:10>>
module attributes {qnn.numerics = "ENGINE"} {
  func.func @main() -> (!y, !y, !y, !y, !y, !y) {
    %xs = arith.constant dense<[[[4, 5, 6, 7]]]> : tensor<1x1x4xi8>
    %x = quant.scast %xs : tensor<1x1x4xi8> to !x
    %ws = arith.constant dense<[[[1, 0, -1]]]> : tensor<1x1x3xi8>
    %w = quant.scast %ws : tensor<1x1x3xi8> to !w
    %0 = qnn.conv %x, %w strides = [1] padding = [1] dilations = [1] groups = 1 : (!x, !w) -> !y
    %1 = qnn.conv %x, %w strides = [1] padding = [1] dilations = [1] groups = 1 padding_mode = reflect : (!x, !w) -> !y
    %2 = qnn.conv %x, %w strides = [1] padding = [1] dilations = [1] groups = 1 padding_mode = replicate : (!x, !w) -> !y
    %3 = qnn.conv %x, %w strides = [1] padding = [1] dilations = [1] groups = 1 padding_mode = circular : (!x, !w) -> !y
    %ys = arith.constant dense<[[[12, 10, 8, 10]]]> : tensor<1x1x4xi8>
    %y = quant.scast %ys : tensor<1x1x4xi8> to !y
    %4 = qnn.conv %x, %w add(%y) strides = [1] padding = [1] dilations = [1] groups = 1 : (!x, !w, !y) -> !y
    %5 = qnn.conv %x, %w add(%y) strides = [1] padding = [1] dilations = [1] groups = 1 post_op = relu : (!x, !w, !y) -> !y
    return %0, %1, %2, %3, %4, %5 : !y, !y, !y, !y, !y, !y
  }
}
