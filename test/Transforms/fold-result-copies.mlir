// RUN: qnn-opt %s --qnn-fold-result-copies --split-input-file | FileCheck %s

// The result was a reshape of a buffer the function allocated: the buffer
// is now the out-parameter reshaped back, and the copy is gone.
// CHECK-LABEL: func.func @reshaped
// CHECK-SAME: (%[[IN:.+]]: memref<4x6xi8>, %[[OUT:.+]]: memref<4x2x3xi8>)
// CHECK: %[[VIEW:.+]] = memref.collapse_shape %[[OUT]] {{\[}}[0], [1, 2]] : memref<4x2x3xi8> into memref<4x6xi8>
// CHECK-NOT: memref.alloc
// CHECK: linalg.copy ins(%[[IN]] : memref<4x6xi8>) outs(%[[VIEW]] : memref<4x6xi8>)
// CHECK-NOT: memref.copy
// CHECK: return
func.func @reshaped(%in: memref<4x6xi8>, %out: memref<4x2x3xi8>) {
  %a = memref.alloc() : memref<4x6xi8>
  linalg.copy ins(%in : memref<4x6xi8>) outs(%a : memref<4x6xi8>)
  %e = memref.expand_shape %a [[0], [1, 2]] output_shape [4, 2, 3] : memref<4x6xi8> into memref<4x2x3xi8>
  memref.copy %e, %out : memref<4x2x3xi8> to memref<4x2x3xi8>
  return
}

// -----

// Through a collapse then an expand.
// CHECK-LABEL: func.func @two_reshapes
// CHECK-SAME: %{{.+}}: i8, %[[OUT:[^:]+]]: memref<6x4xi8>)
// CHECK: %[[C:.+]] = memref.collapse_shape %[[OUT]] {{\[}}[0, 1]] : memref<6x4xi8> into memref<24xi8>
// CHECK: %[[E:.+]] = memref.expand_shape %[[C]] {{\[}}[0, 1, 2]] output_shape [2, 3, 4] : memref<24xi8> into memref<2x3x4xi8>
// CHECK: linalg.fill ins(%{{.+}} : i8) outs(%[[E]] : memref<2x3x4xi8>)
// CHECK-NOT: memref.copy
func.func @two_reshapes(%v: i8, %out: memref<6x4xi8>) {
  %a = memref.alloc() : memref<2x3x4xi8>
  linalg.fill ins(%v : i8) outs(%a : memref<2x3x4xi8>)
  %c = memref.collapse_shape %a [[0, 1, 2]] : memref<2x3x4xi8> into memref<24xi8>
  %e = memref.expand_shape %c [[0, 1]] output_shape [6, 4] : memref<24xi8> into memref<6x4xi8>
  memref.copy %e, %out : memref<6x4xi8> to memref<6x4xi8>
  return
}

// -----

// The buffer is read after the copy: left alone.
// CHECK-LABEL: func.func @used_after
// CHECK: memref.alloc
// CHECK: memref.copy
func.func @used_after(%v: i8, %out: memref<4xi8>, %out2: memref<4xi8>) {
  %a = memref.alloc() : memref<4xi8>
  linalg.fill ins(%v : i8) outs(%a : memref<4xi8>)
  memref.copy %a, %out : memref<4xi8> to memref<4xi8>
  linalg.copy ins(%a : memref<4xi8>) outs(%out2 : memref<4xi8>)
  return
}

// -----

// The source is an input, not an allocation: left alone.
// CHECK-LABEL: func.func @from_input
// CHECK: memref.copy %arg0, %arg1
func.func @from_input(%in: memref<4xi8>, %out: memref<4xi8>) {
  memref.copy %in, %out : memref<4xi8> to memref<4xi8>
  return
}

// -----

// The out-parameter has another use: left alone.
// CHECK-LABEL: func.func @out_used
// CHECK: memref.alloc
// CHECK: memref.copy
func.func @out_used(%v: i8, %out: memref<4xi8>) {
  linalg.fill ins(%v : i8) outs(%out : memref<4xi8>)
  %a = memref.alloc() : memref<4xi8>
  linalg.fill ins(%v : i8) outs(%a : memref<4xi8>)
  memref.copy %a, %out : memref<4xi8> to memref<4xi8>
  return
}
