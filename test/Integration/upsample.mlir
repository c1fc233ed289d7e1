// RUN: qnn-run %s --print | FileCheck %s
// RUN: qnn-opt %s --qnn-decompose | qnn-run - --print | FileCheck %s

// x = [[1, 2], [3, 4]] (1x1x2x2). To 3x5 from the sizes: sc = 2/3 (H) and
// 2/5 (W): rows floor(o * 0.667) = 0, 0, 1; columns floor(o * 0.4) =
// 0, 0, 0, 1, 1. With scale factors (1.7, 1.3) to 3x5: sc = f32(1/1.7),
// f32(1/1.3) = 0.769: rows 0, 0, 1; columns 0, 0, 1, 1, min(3, 1); nearest-exact
// with the sizes: rows floor((o + 0.5) * 0.667) = 0, 1, 1; columns
// floor((o + 0.5) * 0.4) = 0, 0, 1, 1, 1.
// CHECK: result 0: tensor<1x1x3x5x!quant.uniform<u8:f32, 1.000000e-01:3>>
// CHECK-NEXT: {{\[}}{{\[}}{{\[}}[1, 1, 1, 2, 2], [1, 1, 1, 2, 2], [3, 3, 3, 4, 4]]]]
// CHECK-NEXT: result 1: tensor<1x1x3x5x!quant.uniform<u8:f32, 1.000000e-01:3>>
// CHECK-NEXT: {{\[}}{{\[}}{{\[}}[1, 1, 2, 2, 2], [1, 1, 2, 2, 2], [3, 3, 4, 4, 4]]]]
// CHECK-NEXT: result 2: tensor<1x1x3x5x!quant.uniform<u8:f32, 1.000000e-01:3>>
// CHECK-NEXT: {{\[}}{{\[}}{{\[}}[1, 1, 2, 2, 2], [3, 3, 4, 4, 4], [3, 3, 4, 4, 4]]]]
!t = tensor<1x1x2x2x!quant.uniform<u8:f32, 0.1:3>>
!u = tensor<1x1x3x5x!quant.uniform<u8:f32, 0.1:3>>
module {
  func.func @main() -> (!u, !u, !u) {
    %xs = arith.constant dense<[[[[1, 2], [3, 4]]]]> : tensor<1x1x2x2xi8>
    %x = quant.scast %xs : tensor<1x1x2x2xi8> to !t
    %a = qnn.upsample_nearest %x : !t -> !u
    %b = qnn.upsample_nearest %x {scales = array<f64: 1.7, 1.3>} : !t -> !u
    %c = qnn.upsample_nearest %x {exact} : !t -> !u
    return %a, %b, %c : !u, !u, !u
  }
}
