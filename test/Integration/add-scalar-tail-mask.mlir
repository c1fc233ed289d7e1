// RUN: qnn-run %s --print | FileCheck %s
// RUN: qnn-opt %s --convert-qnn-to-linalg | FileCheck %s --check-prefix=IR

// Rows of 65 plus a broadcast row: ATen's add computes the last element of
// each of the 9 rows with its scalar lambda (see add-scalar-tail.mlir: 82 by
// the vector lambda, 81 by the scalar one). With more than a few ranges the
// lowering reads them from a constant mask over the positions instead of
// comparing with each range.
// IR: arith.constant dense<{{.+}}> : tensor<585xi1>
// CHECK: result 0: tensor<9x65x!quant.uniform<u8:f32, 0.096033260226249695:96>>
// CHECK-NEXT: {{^\[(\[(82, ){64}81\](, )?){9}\]$}}
!a = tensor<9x65x!quant.uniform<u8:f32, 0.02000049129128456:47>>
!b = tensor<1x65x!quant.uniform<u8:f32, 0.09541037678718567:194>>
!r = tensor<9x65x!quant.uniform<u8:f32, 0.0960332602262497:96>>
module attributes {qnn.numerics = "onednn"} {
  func.func @main() -> !r {
    %as = arith.constant dense<6> : tensor<9x65xi8>
    %a = quant.scast %as : tensor<9x65xi8> to !a
    %bs = arith.constant dense<-68> : tensor<1x65xi8>
    %b = quant.scast %bs : tensor<1x65xi8> to !b
    %y = qnn.add %a, %b {scalar_ranges = array<i64: 64, 65, 129, 130, 194, 195, 259, 260, 324, 325, 389, 390, 454, 455, 519, 520, 584, 585>} : !a, !b -> !r
    return %y : !r
  }
}
