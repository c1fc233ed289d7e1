// RUN: sed s/ENGINE/qnnpack/ %s | qnn-run - --print | FileCheck %s
// RUN: sed s/ENGINE/onednn/ %s | qnn-run - --print | FileCheck %s
// RUN: sed s/ENGINE/onednn_no_vnni/ %s | not qnn-run - 2>&1 | FileCheck %s --check-prefix=NO-VNNI

// Dynamic convolutions computed by hand, with exact values: the result is
// requantized to the input's own parameters (docs/numerics/dynamic.md).
// x = [0, 0.5, 1, 1.984375] over [0, 127]: scale 1/64, zero point 0, codes
// [0, 32, 64, 127]. With w = [1, 1] at scale 0.5 the sums [32, 96, 191]
// times s_w / s_out = 0.5 round half to even to codes [16, 48, 96]:
// CHECK: result 0:
// CHECK-NEXT: {{\[\[\[}}0.25, 0.75, 1.5{{\]\]\]}}
// x - 0.5 with padding 1: zero point 32, the padding 0.0 quantizes to it;
// y = [-0.25, -0.25, 0.25, 0.9921875, 0.7421875] lands on codes 32 + 64 y
// rounded half to even: [16, 16, 48, 96, 80].
// CHECK-NEXT: result 1:
// CHECK-NEXT: {{\[\[\[}}-0.25, -0.25, 0.25, 1, 0.75{{\]\]\]}}
// The transposed conv with stride 2 spreads the input out with zeros.
// CHECK-NEXT: result 2:
// CHECK-NEXT: {{\[\[\[}}0, 0, 0.5, 0, 1, 0, 1.984375{{\]\]\]}}
// 2x over the full range [0, 255] (scale 1/64): w = [2, 2] gives
// y = [1, 3, 5.984375], its codes clamped to 255.
// CHECK-NEXT: result 3:
// CHECK-NEXT: {{\[\[\[}}1, 3, 3.984375{{\]\]\]}}

// onednn without VNNI would sum a full-range input in saturating pairs:
// NO-VNNI: error: 'qnn.dynamic_conv' op 'onednn_no_vnni' numerics would sum the products of a full-range dynamic input in saturating int16 pairs
!w = tensor<1x1x2x!quant.uniform<i8:f32, 0.5>>
!wt = tensor<1x1x1x!quant.uniform<i8:f32, 0.5>>
module attributes {qnn.numerics = "ENGINE"} {
  func.func @main() -> (tensor<1x1x3xf32>, tensor<1x1x5xf32>, tensor<1x1x7xf32>, tensor<1x1x3xf32>) {
    %x = arith.constant dense<[[[0.0, 0.5, 1.0, 1.984375]]]> : tensor<1x1x4xf32>
    %xs = arith.constant dense<[[[-0.5, 0.0, 0.5, 1.484375]]]> : tensor<1x1x4xf32>
    %x2 = arith.constant dense<[[[0.0, 1.0, 2.0, 3.984375]]]> : tensor<1x1x4xf32>
    %w1s = arith.constant dense<[[[1, 1]]]> : tensor<1x1x2xi8>
    %w1 = quant.scast %w1s : tensor<1x1x2xi8> to !w
    %w2s = arith.constant dense<[[[2, 2]]]> : tensor<1x1x2xi8>
    %w2 = quant.scast %w2s : tensor<1x1x2xi8> to !w
    %wts = arith.constant dense<[[[2]]]> : tensor<1x1x1xi8>
    %wt = quant.scast %wts : tensor<1x1x1xi8> to !wt
    %0 = qnn.dynamic_conv %x, %w1 strides = [1] padding = [0] dilations = [1] groups = 1 reduce_range
        : (tensor<1x1x4xf32>, !w) -> tensor<1x1x3xf32>
    %1 = qnn.dynamic_conv %xs, %w1 strides = [1] padding = [1] dilations = [1] groups = 1 reduce_range
        : (tensor<1x1x4xf32>, !w) -> tensor<1x1x5xf32>
    %2 = qnn.dynamic_conv_transpose %x, %wt strides = [2] padding = [0] output_padding = [0] dilations = [1] groups = 1 reduce_range
        : (tensor<1x1x4xf32>, !wt) -> tensor<1x1x7xf32>
    %3 = qnn.dynamic_conv %x2, %w2 strides = [1] padding = [0] dilations = [1] groups = 1
        : (tensor<1x1x4xf32>, !w) -> tensor<1x1x3xf32>
    return %0, %1, %2, %3 : tensor<1x1x3xf32>, tensor<1x1x5xf32>, tensor<1x1x7xf32>, tensor<1x1x3xf32>
  }
}
