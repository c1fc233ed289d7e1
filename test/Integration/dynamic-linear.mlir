// RUN: sed s/ENGINE/qnnpack/ %s | qnn-run - --print | FileCheck %s
// RUN: sed s/ENGINE/onednn/ %s | qnn-run - --print | FileCheck %s
// RUN: sed s/ENGINE/onednn_no_vnni/ %s | not qnn-run - 2>&1 | FileCheck %s --check-prefix=NO-VNNI

// Dynamic Linear computed by hand, with exact values (docs/numerics/dynamic.md).
// x = [0, 1, 2, 3.984375] over [0, 255]: scale 3.984375 / 255 = 1/64, zero
// point 0, codes [0, 64, 128, 255]. w = [[1, 2, -1, 0], [0, 0, 0, 1]] with
// scale 0.5 and bias [0.25, 1]: sums [0, 255], y = sums / 128 + bias =
// [0.25, 2.9921875] (qnnpack: 255 * f32(0.5 / 64) + 1; onednn: bs = 64 * 2,
// (255 + 128) / 128).
// CHECK: result 0:
// CHECK-NEXT: {{\[\[}}0.25, 2.9921875{{\]\]}}
// x / 2 with reduce_range, over [0, 127]: scale 1.984375 / 127 = 1/64,
// codes [0, 32, 64, 127], sums [0, 127]: [0.25, 1.9921875].
// CHECK-NEXT: result 1:
// CHECK-NEXT: {{\[\[}}0.25, 1.9921875{{\]\]}}
// A zero input: scale 0.1 (the range is empty), zero point 0, sums 0: the
// bias.
// CHECK-NEXT: result 2:
// CHECK-NEXT: {{\[\[}}0.25, 1{{\]\]}}

// onednn without VNNI would sum a full-range input in saturating pairs:
// NO-VNNI: error: 'qnn.dynamic_linear' op 'onednn_no_vnni' numerics would sum the products of a full-range dynamic input in saturating int16 pairs
!w = tensor<2x4x!quant.uniform<i8:f32, 0.5>>
module attributes {qnn.numerics = "ENGINE"} {
  func.func @main() -> (tensor<1x2xf32>, tensor<1x2xf32>, tensor<1x2xf32>) {
    %x = arith.constant dense<[[0.0, 1.0, 2.0, 3.984375]]> : tensor<1x4xf32>
    %xh = arith.constant dense<[[0.0, 0.5, 1.0, 1.984375]]> : tensor<1x4xf32>
    %zero = arith.constant dense<0.0> : tensor<1x4xf32>
    %ws = arith.constant dense<[[1, 2, -1, 0], [0, 0, 0, 1]]> : tensor<2x4xi8>
    %w = quant.scast %ws : tensor<2x4xi8> to !w
    %b = arith.constant dense<[0.25, 1.0]> : tensor<2xf32>
    %0 = qnn.dynamic_linear %x, %w bias(%b) : (tensor<1x4xf32>, !w, tensor<2xf32>) -> tensor<1x2xf32>
    %1 = qnn.dynamic_linear %xh, %w bias(%b) reduce_range : (tensor<1x4xf32>, !w, tensor<2xf32>) -> tensor<1x2xf32>
    %2 = qnn.dynamic_linear %zero, %w bias(%b) reduce_range : (tensor<1x4xf32>, !w, tensor<2xf32>) -> tensor<1x2xf32>
    return %0, %1, %2 : tensor<1x2xf32>, tensor<1x2xf32>, tensor<1x2xf32>
  }
}
