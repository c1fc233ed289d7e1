// RUN: qnn-run %s --entry=bags --print | FileCheck %s
// RUN: qnn-opt %s --qnn-decompose | qnn-run - --entry=bags --print | FileCheck %s
// RUN: not qnn-run %s --entry=index_too_large 2>&1 | FileCheck %s --check-prefix=TOO-LARGE
// RUN: not qnn-run %s --entry=index_negative 2>&1 | FileCheck %s --check-prefix=NEGATIVE
// RUN: not qnn-run %s --entry=first_offset 2>&1 | FileCheck %s --check-prefix=FIRST
// RUN: not qnn-run %s --entry=offsets_decrease 2>&1 | FileCheck %s --check-prefix=DECREASE
// RUN: not qnn-run %s --entry=offset_past_end 2>&1 | FileCheck %s --check-prefix=PAST-END
// RUN: not qnn-run %s --entry=lookup_out_of_range 2>&1 | FileCheck %s --check-prefix=LOOKUP

// Bags computed by hand. Rows (scale * code + bias): codes [[1, 2], [3, 4],
// [10, 0]], scales [0.5, 1, 0.25], biases [0, -1, 2]:
//   row 0 = [0.5, 1], row 1 = [2, 3], row 2 = [4.5, 2].
// indices [0, 1, 2, 1, 0], offsets [0, 2, 2]: bags {0, 1}, {}, {2, 1, 0}.

// CHECK: result 0:
// CHECK-NEXT: {{\[\[}}2.5, 4], [0, 0], [7, 6]]
// mean (the float semantics; torch 1.13 sums):
// CHECK-NEXT: result 1:
// CHECK-NEXT: {{\[\[}}1.25, 2], [0, 0], [2.33333325, 2]]
// CHECK-NEXT: result 2:
// CHECK-NEXT: {{\[\[}}2, 3], [0, 0], [4.5, 3]]
// padding_idx = 1 leaves row 1 out, of the sum and of the mean's count:
// CHECK-NEXT: result 3:
// CHECK-NEXT: {{\[\[}}0.5, 1], [0, 0], [5, 3]]
// CHECK-NEXT: result 4:
// CHECK-NEXT: {{\[\[}}0.5, 1], [0, 0], [2.5, 1.5]]
// include_last_offset: offsets [0, 2, 2] are two bags, {0, 1} and {}:
// CHECK-NEXT: result 5:
// CHECK-NEXT: {{\[\[}}2.5, 4], [0, 0]]
// per_sample_weights [1, 2, 0.5, 1, -1] scale each row's scale and bias:
// CHECK-NEXT: result 6:
// CHECK-NEXT: {{\[\[}}4.5, 7], [0, 0], [3.75, 3]]
// A 4-bit table's f16 scales and biases (the same values):
// CHECK-NEXT: result 7:
// CHECK-NEXT: {{\[\[}}2.5, 4], [0, 0], [7, 6]]
// The lookup of [[2, 0]]:
// CHECK-NEXT: result 8:
// CHECK-NEXT: {{\[\[\[}}4.5, 2], [0.5, 1]]]
// The float table of the same rows (the reference form): torch's float
// EmbeddingBag, acc + row and fma(w, row, acc), gives the same values here.
// CHECK-NEXT: result 9:
// CHECK-NEXT: {{\[\[}}2.5, 4], [0, 0], [7, 6]]
// CHECK-NEXT: result 10:
// CHECK-NEXT: {{\[\[}}4.5, 7], [0, 0], [3.75, 3]]
// CHECK-NEXT: result 11:
// CHECK-NEXT: {{\[\[}}2, 3], [0, 0], [4.5, 3]]
// CHECK-NEXT: result 12:
// CHECK-NEXT: {{\[\[\[}}4.5, 2], [0.5, 1]]]

// TOO-LARGE: qnn-run: error: qnn.embedding_bag: index 3 at position 2 is out of range [0, 3)
// NEGATIVE: qnn-run: error: qnn.embedding_bag: index -1 at position 4 is out of range [0, 3)
// FIRST: qnn-run: error: qnn.embedding_bag: offsets[0] is 1, the first bag must start at 0
// DECREASE: qnn-run: error: qnn.embedding_bag: offsets must be non-decreasing, offsets[2] = 2 is smaller than offsets[1] = 3
// PAST-END: qnn-run: error: qnn.embedding_bag: offsets[2] = 6 is past the end of the 5 indices
// LOOKUP: qnn-run: error: qnn.embedding: index 7 at position 1 is out of range [0, 3)

!t = tensor<3x2xi8>
!p = tensor<3xf32>
!h = tensor<3xf16>
!b = tensor<3x2xf32>
module {
  func.func private @table() -> (!t, !p, !p) {
    %w = arith.constant dense<[[1, 2], [3, 4], [10, 0]]> : !t
    %s = arith.constant dense<[0.5, 1.0, 0.25]> : !p
    %b = arith.constant dense<[0.0, -1.0, 2.0]> : !p
    return %w, %s, %b : !t, !p, !p
  }

  func.func @bags() -> (!b, !b, !b, !b, !b, tensor<2x2xf32>, !b, !b, tensor<1x2x2xf32>, !b, !b, !b, tensor<1x2x2xf32>) {
    %w, %s, %b = call @table() : () -> (!t, !p, !p)
    %i = arith.constant dense<[0, 1, 2, 1, 0]> : tensor<5xi64>
    %o = arith.constant dense<[0, 2, 2]> : tensor<3xi64>
    %0 = qnn.embedding_bag %w, %i, %o row_parameters(%s, %b) mode = sum : (!t, tensor<5xi64>, tensor<3xi64>, !p, !p) -> !b
    %1 = qnn.embedding_bag %w, %i, %o row_parameters(%s, %b) mode = mean : (!t, tensor<5xi64>, tensor<3xi64>, !p, !p) -> !b
    %2 = qnn.embedding_bag %w, %i, %o row_parameters(%s, %b) mode = max : (!t, tensor<5xi64>, tensor<3xi64>, !p, !p) -> !b
    %3 = qnn.embedding_bag %w, %i, %o row_parameters(%s, %b) mode = sum padding_idx = 1 : (!t, tensor<5xi64>, tensor<3xi64>, !p, !p) -> !b
    %4 = qnn.embedding_bag %w, %i, %o row_parameters(%s, %b) mode = mean padding_idx = 1 : (!t, tensor<5xi64>, tensor<3xi64>, !p, !p) -> !b
    %5 = qnn.embedding_bag %w, %i, %o row_parameters(%s, %b) mode = sum include_last_offset : (!t, tensor<5xi64>, tensor<3xi64>, !p, !p) -> tensor<2x2xf32>
    %psw = arith.constant dense<[1.0, 2.0, 0.5, 1.0, -1.0]> : tensor<5xf32>
    %6 = qnn.embedding_bag %w, %i, %o row_parameters(%s, %b) per_sample_weights(%psw) mode = sum : (!t, tensor<5xi64>, tensor<3xi64>, !p, !p, tensor<5xf32>) -> !b
    %sh = arith.constant dense<[0.5, 1.0, 0.25]> : !h
    %bh = arith.constant dense<[0.0, -1.0, 2.0]> : !h
    %i32 = arith.constant dense<[0, 1, 2, 1, 0]> : tensor<5xi32>
    %o32 = arith.constant dense<[0, 2, 2]> : tensor<3xi32>
    %7 = qnn.embedding_bag %w, %i32, %o32 row_parameters(%sh, %bh) mode = sum : (!t, tensor<5xi32>, tensor<3xi32>, !h, !h) -> !b
    %l = arith.constant dense<[[2, 0]]> : tensor<1x2xi64>
    %8 = qnn.embedding %w, %l row_parameters(%s, %b) : (!t, tensor<1x2xi64>, !p, !p) -> tensor<1x2x2xf32>
    %f = arith.constant dense<[[0.5, 1.0], [2.0, 3.0], [4.5, 2.0]]> : tensor<3x2xf32>
    %9 = qnn.embedding_bag %f, %i, %o mode = sum : (tensor<3x2xf32>, tensor<5xi64>, tensor<3xi64>) -> !b
    %10 = qnn.embedding_bag %f, %i, %o per_sample_weights(%psw) mode = sum : (tensor<3x2xf32>, tensor<5xi64>, tensor<3xi64>, tensor<5xf32>) -> !b
    %11 = qnn.embedding_bag %f, %i, %o mode = max : (tensor<3x2xf32>, tensor<5xi64>, tensor<3xi64>) -> !b
    %12 = qnn.embedding %f, %l : (tensor<3x2xf32>, tensor<1x2xi64>) -> tensor<1x2x2xf32>
    return %0, %1, %2, %3, %4, %5, %6, %7, %8, %9, %10, %11, %12 : !b, !b, !b, !b, !b, tensor<2x2xf32>, !b, !b, tensor<1x2x2xf32>, !b, !b, !b, tensor<1x2x2xf32>
  }

  func.func private @bag(%i: tensor<5xi64>, %o: tensor<3xi64>) -> !b {
    %w, %s, %b = call @table() : () -> (!t, !p, !p)
    %y = qnn.embedding_bag %w, %i, %o row_parameters(%s, %b) mode = sum : (!t, tensor<5xi64>, tensor<3xi64>, !p, !p) -> !b
    return %y : !b
  }

  func.func @index_too_large() -> !b {
    %i = arith.constant dense<[0, 1, 3, 1, 0]> : tensor<5xi64>
    %o = arith.constant dense<[0, 2, 2]> : tensor<3xi64>
    %y = call @bag(%i, %o) : (tensor<5xi64>, tensor<3xi64>) -> !b
    return %y : !b
  }

  func.func @index_negative() -> !b {
    %i = arith.constant dense<[0, 1, 2, 1, -1]> : tensor<5xi64>
    %o = arith.constant dense<[0, 2, 2]> : tensor<3xi64>
    %y = call @bag(%i, %o) : (tensor<5xi64>, tensor<3xi64>) -> !b
    return %y : !b
  }

  func.func @first_offset() -> !b {
    %i = arith.constant dense<[0, 1, 2, 1, 0]> : tensor<5xi64>
    %o = arith.constant dense<[1, 2, 2]> : tensor<3xi64>
    %y = call @bag(%i, %o) : (tensor<5xi64>, tensor<3xi64>) -> !b
    return %y : !b
  }

  func.func @offsets_decrease() -> !b {
    %i = arith.constant dense<[0, 1, 2, 1, 0]> : tensor<5xi64>
    %o = arith.constant dense<[0, 3, 2]> : tensor<3xi64>
    %y = call @bag(%i, %o) : (tensor<5xi64>, tensor<3xi64>) -> !b
    return %y : !b
  }

  func.func @offset_past_end() -> !b {
    %i = arith.constant dense<[0, 1, 2, 1, 0]> : tensor<5xi64>
    %o = arith.constant dense<[0, 2, 6]> : tensor<3xi64>
    %y = call @bag(%i, %o) : (tensor<5xi64>, tensor<3xi64>) -> !b
    return %y : !b
  }

  func.func @lookup_out_of_range() -> tensor<2x2xf32> {
    %w, %s, %b = call @table() : () -> (!t, !p, !p)
    %i = arith.constant dense<[0, 7]> : tensor<2xi64>
    %y = qnn.embedding %w, %i row_parameters(%s, %b) : (!t, tensor<2xi64>, !p, !p) -> tensor<2x2xf32>
    return %y : tensor<2x2xf32>
  }
}
