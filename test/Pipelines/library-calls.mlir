// RUN: qnn-opt %s --qnn-lower-to-llvm | FileCheck %s
// RUN: qnn-opt %s --qnn-lower-to-llvm=library-calls=0 | FileCheck %s --check-prefix=LOOPS
// RUN: qnn-opt %s --qnn-lower-to-llvm=library-calls=0 --mlir-print-ir-after-all 2>&1 | FileCheck %s --check-prefix=NOCALL

// A linear with a constant weight calls the runtime's GEMM by default, and
// compiles it as loops with library-calls=0 (no runtime library needed).

// CHECK-DAG: llvm.func @_mlir_ciface_qnn_gemm_u8s8s32(!llvm.ptr, !llvm.ptr, !llvm.ptr)
// CHECK-DAG: llvm.call @_mlir_ciface_qnn_gemm_u8s8s32

// LOOPS-NOT: qnn_gemm
// LOOPS: llvm.func @forward
// NOCALL-NOT: call @qnn_gemm_u8s8s32
module attributes {qnn.numerics = "onednn"} {
  func.func @forward(%x: tensor<2x8x!quant.uniform<u8:f32, 0.5:3>>) -> tensor<2x4x!quant.uniform<u8:f32, 0.25:10>> {
    %ws = arith.constant dense<1> : tensor<4x8xi8>
    %w = quant.scast %ws : tensor<4x8xi8> to tensor<4x8x!quant.uniform<i8:f32, 0.5>>
    %y = qnn.linear %x, %w : (tensor<2x8x!quant.uniform<u8:f32, 0.5:3>>, tensor<4x8x!quant.uniform<i8:f32, 0.5>>) -> tensor<2x4x!quant.uniform<u8:f32, 0.25:10>>
    return %y : tensor<2x4x!quant.uniform<u8:f32, 0.25:10>>
  }
}
