// RUN: qnn-opt %s --convert-qnn-to-linalg --qnn-lower-integer-contractions --canonicalize | FileCheck %s

// onednn without VNNI skips zero-padded taps: the input is padded with code
// 0 (not its zero point 3), and zx times each output position's
// out-of-bounds weight sums is added to the accumulator before the
// requantization. Kernel 3, padding 1, weights all 1 over 2 channels: the
// two border positions miss one tap (2 weights), so the term is
// 3 * 2 = 6 there and 0 inside.
// CHECK-LABEL: func.func @padded
// CHECK-DAG: %[[ZERO:.+]] = arith.constant 0 : i8
// CHECK-DAG: %[[TERM:.+]] = arith.constant dense<{{\[}}[6], [0], [0], [6]]> : tensor<4x1xi32>
// CHECK: tensor.pad %{{.+}} low[0, 0, 1] high[0, 0, 1]
// CHECK: tensor.yield %[[ZERO]] : i8
// CHECK: linalg.generic {{.+}} ins(%{{.+}}, %[[TERM]] : tensor<1x4x1x1xi32>, tensor<4x1xi32>)
module attributes {qnn.numerics = "onednn_no_vnni"} {
func.func @padded(%x: tensor<1x2x4x!quant.uniform<u8:f32, 0.5:3>>) -> tensor<1x1x4x!quant.uniform<u8:f32, 0.25:10>> {
  %w = arith.constant dense<1> : tensor<1x2x3xi8>
  %wq = quant.scast %w : tensor<1x2x3xi8> to tensor<1x2x3x!quant.uniform<i8:f32, 0.5>>
  %y = qnn.conv %x, %wq strides = [1] padding = [1] dilations = [1] groups = 1 : (tensor<1x2x4x!quant.uniform<u8:f32, 0.5:3>>, tensor<1x2x3x!quant.uniform<i8:f32, 0.5>>) -> tensor<1x1x4x!quant.uniform<u8:f32, 0.25:10>>
  return %y : tensor<1x1x4x!quant.uniform<u8:f32, 0.25:10>>
}
}
