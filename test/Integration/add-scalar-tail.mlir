// RUN: qnn-run %s --print | FileCheck %s

// ATen's add dequantizes with fma(s, q, -z * s) in its vector lambda and
// with s * (q - z) in its scalar one. Codes 6 (scale 0.02000049129128456,
// zero point 47) plus 188 (0.09541037678718567, 194) to (0.0960332602262497,
// 96) give 82 by the first and 81 by the second (torch 1.13:
// torch.ops.quantized.add of 65 elements and one broadcast: the first 64
// take the vector lambda, element 64 the scalar one; of 2x3 elements, all
// six the scalar one).
// CHECK: result 0: tensor<65x!quant.uniform<u8:f32, 0.096033260226249695:96>>
// CHECK-NEXT: {{\[}}[[VEC:(82, ){64}]]81]
// CHECK-NEXT: result 1: tensor<65x!quant.uniform<u8:f32, 0.096033260226249695:96>>
// CHECK-NEXT: {{\[}}[[VEC]]82]
// CHECK-NEXT: result 2: tensor<2x3x!quant.uniform<u8:f32, 0.096033260226249695:96>>
// CHECK-NEXT: {{\[}}[81, 81, 81], [81, 81, 81]]
!a = tensor<65x!quant.uniform<u8:f32, 0.02000049129128456:47>>
!a2 = tensor<2x3x!quant.uniform<u8:f32, 0.02000049129128456:47>>
!b = tensor<1x!quant.uniform<u8:f32, 0.09541037678718567:194>>
!r = tensor<65x!quant.uniform<u8:f32, 0.0960332602262497:96>>
!r2 = tensor<2x3x!quant.uniform<u8:f32, 0.0960332602262497:96>>
module attributes {qnn.numerics = "onednn"} {
  func.func @main() -> (!r, !r, !r2) {
    %as = arith.constant dense<6> : tensor<65xi8>
    %a = quant.scast %as : tensor<65xi8> to !a
    %a2s = arith.constant dense<6> : tensor<2x3xi8>
    %a2 = quant.scast %a2s : tensor<2x3xi8> to !a2
    %bs = arith.constant dense<-68> : tensor<1xi8>
    %b = quant.scast %bs : tensor<1xi8> to !b
    %tail = qnn.add %a, %b {scalar_ranges = array<i64: 64, 65>} : !a, !b -> !r
    %vector = qnn.add %a, %b : !a, !b -> !r
    %scalar = qnn.add %a2, %b {scalar_ranges = array<i64: 0, 6>, memory_order = array<i64: 1, 0>} : !a2, !b -> !r2
    return %tail, %vector, %scalar : !r, !r, !r2
  }
}
