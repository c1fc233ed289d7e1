// RUN: qnn-opt %s --qnn-library-calls | FileCheck %s

// Linalg ops that carry a library_call become calls through MLIR's C
// interface on fully dynamic strided memrefs, so one declaration serves
// every shape; other linalg ops stay.

// CHECK: func.func private @qnn_gemm_u8s8s32(memref<?x?xi8, strided<[?, ?], offset: ?>>, memref<?x?x?x?xi8, strided<[?, ?, ?, ?], offset: ?>>, memref<?x?xi32, strided<[?, ?], offset: ?>>) attributes {llvm.emit_c_interface}
// CHECK-NOT: func.func private @qnn_gemm_u8s8s32

// CHECK-LABEL: func @two_shapes
// CHECK: linalg.fill
// CHECK: %[[A:.+]] = memref.cast %{{.+}} : memref<4x8xi8> to memref<?x?xi8, strided<[?, ?], offset: ?>>
// CHECK: %[[B:.+]] = memref.cast %{{.+}} : memref<1x2x16x4xi8> to memref<?x?x?x?xi8, strided<[?, ?, ?, ?], offset: ?>>
// CHECK: %[[C:.+]] = memref.cast %{{.+}} : memref<4x16xi32> to memref<?x?xi32, strided<[?, ?], offset: ?>>
// CHECK: call @qnn_gemm_u8s8s32(%[[A]], %[[B]], %[[C]])
// CHECK: call @qnn_gemm_u8s8s32(%{{.+}}, %{{.+}}, %{{.+}})
// CHECK-NOT: linalg.generic
#a = affine_map<(m, n, k) -> (m, k)>
#b = affine_map<(m, n, k) -> (n floordiv 16, k floordiv 4, n mod 16, k mod 4)>
#c = affine_map<(m, n, k) -> (m, n)>
func.func @two_shapes(%A: memref<4x8xi8>, %B: memref<1x2x16x4xi8>, %C: memref<4x16xi32>,
                      %A2: memref<2x4xi8>, %B2: memref<1x1x16x4xi8>, %C2: memref<2x16xi32>) {
  %z = arith.constant 0 : i32
  linalg.fill ins(%z : i32) outs(%C : memref<4x16xi32>)
  linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "reduction"], library_call = "qnn_gemm_u8s8s32"} ins(%A, %B : memref<4x8xi8>, memref<1x2x16x4xi8>) outs(%C : memref<4x16xi32>) {
  ^bb0(%x: i8, %w: i8, %acc: i32):
    %xe = arith.extui %x : i8 to i32
    %we = arith.extsi %w : i8 to i32
    %p = arith.muli %xe, %we : i32
    %s = arith.addi %acc, %p : i32
    linalg.yield %s : i32
  }
  linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "reduction"], library_call = "qnn_gemm_u8s8s32"} ins(%A2, %B2 : memref<2x4xi8>, memref<1x1x16x4xi8>) outs(%C2 : memref<2x16xi32>) {
  ^bb0(%x: i8, %w: i8, %acc: i32):
    %xe = arith.extui %x : i8 to i32
    %we = arith.extsi %w : i8 to i32
    %p = arith.muli %xe, %we : i32
    %s = arith.addi %acc, %p : i32
    linalg.yield %s : i32
  }
  return
}

// Each distinct memref is passed once, in operand order, and shape-only
// operands (never read by the body) are not passed.
// CHECK-LABEL: func @repeated_and_shape_only
// CHECK-SAME: (%[[A:.+]]: memref<2x6xi8>, %[[B:.+]]: memref<1x2x16x4xi8>, %[[W:.+]]: memref<3xi8>, %[[C:.+]]: memref<2x4xi32>)
// CHECK: %[[CA:.+]] = memref.cast %[[A]]
// CHECK: %[[CB:.+]] = memref.cast %[[B]]
// CHECK: %[[CC:.+]] = memref.cast %[[C]]
// CHECK: call @qnn_gemm_u8s8s32_sat16(%[[CA]], %[[CB]], %[[CC]])
#even = affine_map<(m, n, j) -> (m, j * 2)>
#odd = affine_map<(m, n, j) -> (m, j * 2 + 1)>
#beven = affine_map<(m, n, j) -> (n floordiv 16, (j * 2) floordiv 4, n mod 16, (j * 2) mod 4)>
#bodd = affine_map<(m, n, j) -> (n floordiv 16, (j * 2 + 1) floordiv 4, n mod 16, (j * 2 + 1) mod 4)>
#win = affine_map<(m, n, j) -> (j)>
func.func @repeated_and_shape_only(%A: memref<2x6xi8>, %B: memref<1x2x16x4xi8>, %W: memref<3xi8>, %C: memref<2x4xi32>) {
  linalg.generic {indexing_maps = [#even, #odd, #beven, #bodd, #win, #c], iterator_types = ["parallel", "parallel", "reduction"], library_call = "qnn_gemm_u8s8s32_sat16"} ins(%A, %A, %B, %B, %W : memref<2x6xi8>, memref<2x6xi8>, memref<1x2x16x4xi8>, memref<1x2x16x4xi8>, memref<3xi8>) outs(%C : memref<2x4xi32>) {
  ^bb0(%x0: i8, %x1: i8, %w0: i8, %w1: i8, %unused: i8, %acc: i32):
    %a0 = arith.extui %x0 : i8 to i32
    %a1 = arith.extui %x1 : i8 to i32
    %b0 = arith.extsi %w0 : i8 to i32
    %b1 = arith.extsi %w1 : i8 to i32
    %p0 = arith.muli %a0, %b0 : i32
    %p1 = arith.muli %a1, %b1 : i32
    %p = arith.addi %p0, %p1 : i32
    %s = arith.addi %acc, %p : i32
    linalg.yield %s : i32
  }
  return
}
