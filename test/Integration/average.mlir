// RUN: sed s/ENGINE/onednn/ %s | qnn-run - --print | FileCheck %s --check-prefix=ATEN
// RUN: sed s/ENGINE/qnnpack/ %s | qnn-run - --print | FileCheck %s --check-prefix=QNNPACK

// One 1x1x2x3 quint8 tensor (scale 0.5, zero point 1), codes
//   [[2, 4, 7],
//    [3, 4, 9]]
// avg_pool 2x2, stride 1, padding 0 -> windows [2, 4, 3, 4] and [4, 7, 4, 9]:
//   acc = sum - 4 * zp = 9 and 20; ATen NCHW: rint(acc / 4 + zp) =
//   rint(3.25) = 3, rint(6) = 6; QNNPACK rounds rint(acc / 4) + zp = 3, 6.
// adaptive to 1x2: windows cols 0:2 and 1:3 (ceil(3 / 2) = 2):
//   ATen NCHW averages raw codes: 13 / 4 -> 3, 24 / 4 -> 6; QNNPACK does not
//   tile (3 % 2 != 0), so ATen runs there too.
// mean over [2, 3]: ATen rint(29 / 6) = rint(4.83) = 5; under qnnpack
//   rint((29 - 6) / 6) + 1 = rint(3.83) + 1 = 5.
// ATEN: result 0: tensor<1x1x1x2x!quant.uniform<u8:f32, 5.000000e-01:1>>
// ATEN-NEXT: {{\[}}{{\[}}{{\[}}[3, 6]]]]
// ATEN-NEXT: result 1: tensor<1x1x1x2x!quant.uniform<u8:f32, 5.000000e-01:1>>
// ATEN-NEXT: {{\[}}{{\[}}{{\[}}[3, 6]]]]
// ATEN-NEXT: result 2: tensor<1x1x!quant.uniform<u8:f32, 5.000000e-01:1>>
// ATEN-NEXT: {{\[}}[5]]
// QNNPACK: result 0: tensor<1x1x1x2x!quant.uniform<u8:f32, 5.000000e-01:1>>
// QNNPACK-NEXT: {{\[}}{{\[}}{{\[}}[3, 6]]]]
// QNNPACK-NEXT: result 1: tensor<1x1x1x2x!quant.uniform<u8:f32, 5.000000e-01:1>>
// QNNPACK-NEXT: {{\[}}{{\[}}{{\[}}[3, 6]]]]
// QNNPACK-NEXT: result 2: tensor<1x1x!quant.uniform<u8:f32, 5.000000e-01:1>>
// QNNPACK-NEXT: {{\[}}[5]]
!t = tensor<1x1x2x3x!quant.uniform<u8:f32, 0.5:1>>
!p = tensor<1x1x1x2x!quant.uniform<u8:f32, 0.5:1>>
!m = tensor<1x1x!quant.uniform<u8:f32, 0.5:1>>
module attributes {qnn.numerics = "ENGINE"} {
  func.func @main() -> (!p, !p, !m) {
    %xs = arith.constant dense<[[[[2, 4, 7], [3, 4, 9]]]]> : tensor<1x1x2x3xi8>
    %x = quant.scast %xs : tensor<1x1x2x3xi8> to !t
    %avg = qnn.avg_pool %x kernel = [2, 2] strides = [1, 1] padding = [0, 0] ceil_mode = false count_include_pad = true : !t -> !p
    %adaptive = qnn.adaptive_avg_pool %x : !t -> !p
    %mean = qnn.mean %x dims = [2, 3] : !t -> !m
    return %avg, %adaptive, %mean : !p, !p, !m
  }
}
