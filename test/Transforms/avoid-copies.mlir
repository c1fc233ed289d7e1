// RUN: qnn-opt %s --qnn-avoid-copies --split-input-file | FileCheck %s
// RUN: qnn-opt %s --qnn-avoid-copies --split-input-file \
// RUN:   --one-shot-bufferize=bufferize-function-boundaries --cse --canonicalize \
// RUN:   | FileCheck %s --check-prefix=BUF

// Two accumulators of one zero fill (as CSE leaves them): each its own.
// CHECK-LABEL: func.func @shared_fill
// CHECK: %[[F1:.+]] = linalg.fill ins(%{{.+}} : i32) outs(%{{.+}} : tensor<4x4xi32>)
// CHECK: %[[M1:.+]] = linalg.matmul ins(%arg0, %arg1 : {{.*}}) outs(%[[F1]] : tensor<4x4xi32>)
// CHECK: %[[E2:.+]] = tensor.empty() : tensor<4x4xi32>
// CHECK: %[[F2:.+]] = linalg.fill ins(%{{.+}} : i32) outs(%[[E2]] : tensor<4x4xi32>)
// CHECK: linalg.matmul ins(%arg1, %arg0 : {{.*}}) outs(%[[F2]] : tensor<4x4xi32>)
// Bufferized: no copy of a filled buffer.
// BUF-LABEL: func.func @shared_fill
// BUF-NOT: memref.copy
// BUF: return
func.func @shared_fill(%a: tensor<4x4xi8>, %b: tensor<4x4xi8>) -> (tensor<4x4xi32>, tensor<4x4xi32>) {
  %c0 = arith.constant 0 : i32
  %e = tensor.empty() : tensor<4x4xi32>
  %f = linalg.fill ins(%c0 : i32) outs(%e : tensor<4x4xi32>) -> tensor<4x4xi32>
  %m1 = linalg.matmul ins(%a, %b : tensor<4x4xi8>, tensor<4x4xi8>) outs(%f : tensor<4x4xi32>) -> tensor<4x4xi32>
  %m2 = linalg.matmul ins(%b, %a : tensor<4x4xi8>, tensor<4x4xi8>) outs(%f : tensor<4x4xi32>) -> tensor<4x4xi32>
  return %m1, %m2 : tensor<4x4xi32>, tensor<4x4xi32>
}

// -----

// An epilogue's result padded for the next conv: the epilogue writes into
// the padded buffer's interior.
#id = affine_map<(n, h, w, c) -> (n, h, w, c)>
// CHECK-LABEL: func.func @padded_epilogue
// CHECK: %[[P:.+]] = linalg.fill ins(%c3_i8{{.*}} : i8) outs(%{{.+}} : tensor<1x6x6x8xi8>)
// CHECK: %[[IN:.+]] = tensor.extract_slice %[[P]][0, 1, 1, 0] [1, 4, 4, 8] [1, 1, 1, 1]
// CHECK: %[[G:.+]] = linalg.generic {{.*}} outs(%[[IN]] : tensor<1x4x4x8xi8>)
// CHECK: %[[R:.+]] = tensor.insert_slice %[[G]] into %[[P]][0, 1, 1, 0] [1, 4, 4, 8] [1, 1, 1, 1]
// CHECK-NOT: tensor.pad
// CHECK: return %[[R]]
// Bufferized: the generic writes a subview of the padded buffer; no copy.
// BUF-LABEL: func.func @padded_epilogue
// BUF: %[[A:.+]] = memref.alloc() {{.*}} : memref<1x6x6x8xi8>
// BUF: linalg.fill {{.*}} outs(%[[A]]
// BUF: %[[S:.+]] = memref.subview %[[A]][0, 1, 1, 0] [1, 4, 4, 8] [1, 1, 1, 1]
// BUF: linalg.generic {{.*}} outs(%[[S]]
// BUF-NOT: memref.copy
// BUF: return %[[A]]
func.func @padded_epilogue(%acc: tensor<1x4x4x8xi32>) -> tensor<1x6x6x8xi8> {
  %z = arith.constant 3 : i8
  %e = tensor.empty() : tensor<1x4x4x8xi8>
  %q = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%acc : tensor<1x4x4x8xi32>) outs(%e : tensor<1x4x4x8xi8>) {
  ^bb0(%in: i32, %out: i8):
    %t = arith.trunci %in : i32 to i8
    linalg.yield %t : i8
  } -> tensor<1x4x4x8xi8>
  %p = tensor.pad %q low[0, 1, 1, 0] high[0, 1, 1, 0] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %z : i8
  } : tensor<1x4x4x8xi8> to tensor<1x6x6x8xi8>
  return %p : tensor<1x6x6x8xi8>
}

// -----

// A pad of a function argument, and of a runtime kernel's result: left.
#id2 = affine_map<(m, n) -> (m, n)>
// CHECK-LABEL: func.func @left_alone
// CHECK: tensor.pad %arg0
// CHECK: tensor.pad %{{.+}} low[1, 1]
func.func @left_alone(%x: tensor<4x4xi8>) -> (tensor<6x6xi8>, tensor<6x6xi8>) {
  %z = arith.constant 0 : i8
  %p0 = tensor.pad %x low[1, 1] high[1, 1] {
  ^bb0(%i: index, %j: index):
    tensor.yield %z : i8
  } : tensor<4x4xi8> to tensor<6x6xi8>
  %e = tensor.empty() : tensor<4x4xi8>
  %k = linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"], library_call = "qnn_kernel"}
      ins(%x : tensor<4x4xi8>) outs(%e : tensor<4x4xi8>) {
  ^bb0(%in: i8, %out: i8):
    linalg.yield %in : i8
  } -> tensor<4x4xi8>
  %p1 = tensor.pad %k low[1, 1] high[1, 1] {
  ^bb0(%i: index, %j: index):
    tensor.yield %z : i8
  } : tensor<4x4xi8> to tensor<6x6xi8>
  return %p0, %p1 : tensor<6x6xi8>, tensor<6x6xi8>
}

// -----

// The result is also read elsewhere (a residual add): still written in
// place, the reader reads the interior, nothing is copied.
#id3 = affine_map<(n, c) -> (n, c)>
// CHECK-LABEL: func.func @padded_and_read
// CHECK: %[[IN:.+]] = tensor.extract_slice
// CHECK: %[[G:.+]] = linalg.generic {{.*}} outs(%[[IN]] : tensor<4x8xi8>)
// CHECK: tensor.insert_slice %[[G]]
// CHECK: linalg.generic {{.*}} ins(%[[G]] : tensor<4x8xi8>)
// BUF-LABEL: func.func @padded_and_read
// BUF-NOT: memref.copy
// BUF: return
func.func @padded_and_read(%acc: tensor<4x8xi32>) -> (tensor<6x8xi8>, tensor<4x8xi8>) {
  %z = arith.constant 0 : i8
  %e = tensor.empty() : tensor<4x8xi8>
  %q = linalg.generic {indexing_maps = [#id3, #id3], iterator_types = ["parallel", "parallel"]}
      ins(%acc : tensor<4x8xi32>) outs(%e : tensor<4x8xi8>) {
  ^bb0(%in: i32, %out: i8):
    %t = arith.trunci %in : i32 to i8
    linalg.yield %t : i8
  } -> tensor<4x8xi8>
  %p = tensor.pad %q low[1, 0] high[1, 0] {
  ^bb0(%i: index, %j: index):
    tensor.yield %z : i8
  } : tensor<4x8xi8> to tensor<6x8xi8>
  %e2 = tensor.empty() : tensor<4x8xi8>
  %r = linalg.generic {indexing_maps = [#id3, #id3], iterator_types = ["parallel", "parallel"]}
      ins(%q : tensor<4x8xi8>) outs(%e2 : tensor<4x8xi8>) {
  ^bb0(%in: i8, %out: i8):
    %s = arith.addi %in, %in : i8
    linalg.yield %s : i8
  } -> tensor<4x8xi8>
  return %p, %r : tensor<6x8xi8>, tensor<4x8xi8>
}
