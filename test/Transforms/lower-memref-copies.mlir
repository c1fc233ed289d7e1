// RUN: qnn-opt %s --qnn-lower-memref-copies --split-input-file | FileCheck %s
// RUN: qnn-opt %s --split-input-file \
// RUN:   --pass-pipeline='builtin.module(qnn-lower-memref-copies,func.func(convert-linalg-to-loops),expand-strided-metadata,lower-affine,convert-scf-to-cf,finalize-memref-to-llvm,convert-func-to-llvm,reconcile-unrealized-casts)' \
// RUN:   | FileCheck %s --check-prefix=LLVM

// Contiguous memrefs: the copy stays, and becomes llvm.memcpy.
// CHECK-LABEL: func.func @contiguous
// CHECK-NEXT: memref.copy %arg0, %arg1
// LLVM-LABEL: llvm.func @contiguous
// LLVM: "llvm.intr.memcpy"
// LLVM-NOT: memrefCopy
func.func @contiguous(%a: memref<2x3x4xi8>, %b: memref<2x3x4xi8>) {
  memref.copy %a, %b : memref<2x3x4xi8> to memref<2x3x4xi8>
  return
}

// -----

// Into the interior of a padded buffer (NCHW, padded spatially): rows of
// 56 bytes, one contiguous memref.copy per (n, c, h).
// CHECK-LABEL: func.func @padded_interior
// CHECK: %[[SUB:.+]] = memref.subview %arg1[0, 0, 1, 1] [1, 4, 56, 56]
// CHECK-DAG: %[[C4:.+]] = arith.constant 4 : index
// CHECK-DAG: %[[C56:.+]] = arith.constant 56 : index
// CHECK: scf.for %[[C:.+]] = %{{.+}} to %[[C4]]
// CHECK: scf.for %[[H:.+]] = %{{.+}} to %[[C56]]
// CHECK: %[[S:.+]] = memref.subview %arg0[0, %[[C]], %[[H]], 0] [1, 1, 1, 56] [1, 1, 1, 1] : memref<1x4x56x56xi8> to memref<56xi8, strided<[1], offset: ?>>
// CHECK: %[[T:.+]] = memref.subview %[[SUB]][0, %[[C]], %[[H]], 0] [1, 1, 1, 56] [1, 1, 1, 1] : {{.*}} to memref<56xi8, strided<[1], offset: ?>>
// CHECK: memref.copy %[[S]], %[[T]]
// CHECK-NOT: linalg.copy
// LLVM-LABEL: llvm.func @padded_interior
// LLVM: "llvm.intr.memcpy"
// LLVM-NOT: memrefCopy
func.func @padded_interior(%a: memref<1x4x56x56xi8>, %p: memref<1x4x58x58xi8>) {
  %s = memref.subview %p[0, 0, 1, 1] [1, 4, 56, 56] [1, 1, 1, 1] : memref<1x4x58x58xi8> to memref<1x4x56x56xi8, strided<[13456, 3364, 58, 1], offset: 59>>
  memref.copy %a, %s : memref<1x4x56x56xi8> to memref<1x4x56x56xi8, strided<[13456, 3364, 58, 1], offset: 59>>
  return
}

// -----

// NHWC padded: each row's pixels and channels are one run (W * C bytes),
// collapsed first.
// CHECK-LABEL: func.func @nhwc_rows
// CHECK: %[[A:.+]] = memref.collapse_shape %arg0 {{\[}}[0], [1], [2, 3]]
// CHECK-SAME: into memref<1x6x48xi8>
// CHECK: %[[B:.+]] = memref.collapse_shape %{{.+}} {{\[}}[0], [1], [2, 3]]
// CHECK-SAME: into memref<1x6x48xi8, strided<[512, 64, 1], offset: 72>>
// CHECK: scf.for
// CHECK-NOT: scf.for
// CHECK: memref.subview %[[A]]{{.*}} to memref<48xi8, strided<[1], offset: ?>>
// CHECK: memref.copy
func.func @nhwc_rows(%a: memref<1x6x6x8xi8>, %p: memref<1x8x8x8xi8>) {
  %s = memref.subview %p[0, 1, 1, 0] [1, 6, 6, 8] [1, 1, 1, 1] : memref<1x8x8x8xi8> to memref<1x6x6x8xi8, strided<[512, 64, 8, 1], offset: 72>>
  memref.copy %a, %s : memref<1x6x6x8xi8> to memref<1x6x6x8xi8, strided<[512, 64, 8, 1], offset: 72>>
  return
}

// -----

// No contiguous innermost run (a transposed view): a linalg.copy.
// CHECK-LABEL: func.func @transposed
// CHECK-NOT: memref.copy
// CHECK: linalg.copy
// LLVM-LABEL: llvm.func @transposed
// LLVM-NOT: memrefCopy
func.func @transposed(%a: memref<4x3xi8, strided<[1, 4]>>, %b: memref<4x3xi8>) {
  memref.copy %a, %b : memref<4x3xi8, strided<[1, 4]>> to memref<4x3xi8>
  return
}
