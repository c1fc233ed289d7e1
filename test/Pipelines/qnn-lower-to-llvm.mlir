// RUN: qnn-opt %s --qnn-lower-to-llvm | FileCheck %s

// The pipeline qnn-run uses ends in the LLVM dialect only. The result
// becomes a caller-allocated out-parameter (a second memref descriptor:
// pointer, pointer, offset, 2 sizes, 2 strides), temporaries come from and
// go back to the runtime's allocator (MLIR's generic allocation functions,
// qnn/Runtime/Memory.h), and no other runtime library function is called
// (reflect padding copies are loops, not memrefCopy).

// CHECK-NOT: func.func
// CHECK-NOT: memrefCopy
// CHECK: llvm.func @forward(%{{.+}}: !llvm.ptr, %{{.+}}: !llvm.ptr, %{{.+}}: i64, %{{.+}}: i64, %{{.+}}: i64, %{{.+}}: i64, %{{.+}}: i64, %{{.+}}: i64, %{{.+}}: i64, %[[OUT:.+]]: !llvm.ptr, %{{.+}}: !llvm.ptr, %{{.+}}: i64, %{{.+}}: i64, %{{.+}}: i64, %{{.+}}: i64, %{{.+}}: i64, %{{.+}}: i64, %{{.+}}: i64) {
// CHECK: llvm.call @_mlir_memref_to_llvm_alloc
// CHECK: llvm.call @_mlir_memref_to_llvm_free
// CHECK-NOT: memrefCopy
// CHECK-NOT: qnn.
// CHECK-NOT: linalg.
// CHECK-NOT: memref.
module attributes {qnn.numerics = "qnnpack"} {
  func.func @forward(%x: tensor<1x2x5x!quant.uniform<u8:f32, 0.5:3>>) -> tensor<1x2x5x!quant.uniform<u8:f32, 0.25:10>> {
    %ws = arith.constant dense<[[[1, 0, -1]], [[2, 1, 0]]]> : tensor<2x1x3xi8>
    %w = quant.scast %ws : tensor<2x1x3xi8> to tensor<2x1x3x!quant.uniform<i8:f32, 0.5:1>>
    %y = qnn.conv %x, %w strides = [1] padding = [1] dilations = [1] groups = 2 padding_mode = reflect post_op = relu : (tensor<1x2x5x!quant.uniform<u8:f32, 0.5:3>>, tensor<2x1x3x!quant.uniform<i8:f32, 0.5:1>>) -> tensor<1x2x5x!quant.uniform<u8:f32, 0.25:10>>
    return %y : tensor<1x2x5x!quant.uniform<u8:f32, 0.25:10>>
  }
}
