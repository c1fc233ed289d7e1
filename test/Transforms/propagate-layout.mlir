// RUN: qnn-opt %s --qnn-propagate-layout --split-input-file | FileCheck %s

// Two layers as the conv lowering leaves them: an epilogue writes NCHW from
// an NHWC accumulator, the next layer transposes it back to NHWC. The
// epilogue now computes NHWC and both transposes are gone.
#nhwc = affine_map<(n, h, w, c) -> (n, h, w, c)>
#to_nchw = affine_map<(n, h, w, c) -> (n, c, h, w)>
// CHECK-LABEL: func.func @cancel
// CHECK-SAME: (%[[ACC:.+]]: tensor<1x4x5x3xi32>)
// CHECK-NOT: linalg.transpose
// CHECK: %[[E:.+]] = linalg.generic
// CHECK-SAME: outs(%{{.+}} : tensor<1x4x5x3xi8>)
// CHECK-NOT: linalg.transpose
// CHECK: return %[[E]] : tensor<1x4x5x3xi8>
func.func @cancel(%acc: tensor<1x4x5x3xi32>) -> tensor<1x4x5x3xi8> {
  %e = tensor.empty() : tensor<1x3x4x5xi8>
  %q = linalg.generic {indexing_maps = [#nhwc, #to_nchw], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%acc : tensor<1x4x5x3xi32>) outs(%e : tensor<1x3x4x5xi8>) {
  ^bb0(%in: i32, %out: i8):
    %t = arith.trunci %in : i32 to i8
    linalg.yield %t : i8
  } -> tensor<1x3x4x5xi8>
  %e2 = tensor.empty() : tensor<1x4x5x3xi8>
  %back = linalg.transpose ins(%q : tensor<1x3x4x5xi8>) outs(%e2 : tensor<1x4x5x3xi8>) permutation = [0, 2, 3, 1]
  return %back : tensor<1x4x5x3xi8>
}

// -----

// The next layer pads first (a 3x3 conv): the pad moves to the NHWC side
// with its amounts permuted.
#nhwc = affine_map<(n, h, w, c) -> (n, h, w, c)>
#to_nchw = affine_map<(n, h, w, c) -> (n, c, h, w)>
// CHECK-LABEL: func.func @through_pad
// CHECK-NOT: linalg.transpose
// CHECK: %[[E:.+]] = linalg.generic
// CHECK: %[[P:.+]] = tensor.pad %[[E]] low[0, 1, 2, 0] high[0, 1, 2, 0]
// CHECK: tensor.yield %{{.+}} : i8
// CHECK-NOT: linalg.transpose
// CHECK: return %[[P]] : tensor<1x6x9x3xi8>
func.func @through_pad(%acc: tensor<1x4x5x3xi32>, %zp: i8) -> tensor<1x6x9x3xi8> {
  %e = tensor.empty() : tensor<1x3x4x5xi8>
  %q = linalg.generic {indexing_maps = [#nhwc, #to_nchw], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%acc : tensor<1x4x5x3xi32>) outs(%e : tensor<1x3x4x5xi8>) {
  ^bb0(%in: i32, %out: i8):
    %t = arith.trunci %in : i32 to i8
    linalg.yield %t : i8
  } -> tensor<1x3x4x5xi8>
  %padded = tensor.pad %q low[0, 0, 1, 2] high[0, 0, 1, 2] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %zp : i8
  } : tensor<1x3x4x5xi8> to tensor<1x3x6x9xi8>
  %e2 = tensor.empty() : tensor<1x6x9x3xi8>
  %back = linalg.transpose ins(%padded : tensor<1x3x6x9xi8>) outs(%e2 : tensor<1x6x9x3xi8>) permutation = [0, 2, 3, 1]
  return %back : tensor<1x6x9x3xi8>
}

// -----

// A grouped conv's epilogue writes (N, G, C/G, H, W), collapsed to NCHW:
// the collapse moves to the NHWC side, merging (G, C/G) there.
#loops = affine_map<(n, h, w, g, c) -> (n, h, w, g, c)>
#to_ngchw = affine_map<(n, h, w, g, c) -> (n, g, c, h, w)>
// CHECK-LABEL: func.func @through_collapse
// CHECK-NOT: linalg.transpose
// CHECK: %[[E:.+]] = linalg.generic
// CHECK-SAME: outs(%{{.+}} : tensor<1x4x5x2x3xi8>)
// CHECK: %[[C:.+]] = tensor.collapse_shape %[[E]] {{\[}}[0], [1], [2], [3, 4]] : tensor<1x4x5x2x3xi8> into tensor<1x4x5x6xi8>
// CHECK-NOT: linalg.transpose
// CHECK: return %[[C]]
func.func @through_collapse(%acc: tensor<1x4x5x2x3xi32>) -> tensor<1x4x5x6xi8> {
  %e = tensor.empty() : tensor<1x2x3x4x5xi8>
  %q = linalg.generic {indexing_maps = [#loops, #to_ngchw], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel"]}
      ins(%acc : tensor<1x4x5x2x3xi32>) outs(%e : tensor<1x2x3x4x5xi8>) {
  ^bb0(%in: i32, %out: i8):
    %t = arith.trunci %in : i32 to i8
    linalg.yield %t : i8
  } -> tensor<1x2x3x4x5xi8>
  %nchw = tensor.collapse_shape %q [[0], [1, 2], [3], [4]] : tensor<1x2x3x4x5xi8> into tensor<1x6x4x5xi8>
  %e2 = tensor.empty() : tensor<1x4x5x6xi8>
  %back = linalg.transpose ins(%nchw : tensor<1x6x4x5xi8>) outs(%e2 : tensor<1x4x5x6xi8>) permutation = [0, 2, 3, 1]
  return %back : tensor<1x4x5x6xi8>
}

// -----

// A residual add of two NCHW values that are transposes of NHWC ones, with
// a per-channel vector: it is computed NHWC (the vector re-indexed), and
// the transpose after it cancels with the next layer's.
#nchw = affine_map<(n, c, h, w) -> (n, c, h, w)>
#channel = affine_map<(n, c, h, w) -> (c)>
// CHECK: #[[ID:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK: #[[C:.+]] = affine_map<(d0, d1, d2, d3) -> (d3)>
// CHECK-LABEL: func.func @through_add
// CHECK-SAME: (%[[A:[^:]+]]: tensor<1x4x5x3xi8>, %[[B:[^:]+]]: tensor<1x4x5x3xi8>, %[[V:[^:]+]]: tensor<3xi8>)
// CHECK-NOT: linalg.transpose
// CHECK: %[[S:.+]] = linalg.generic {indexing_maps = [#[[ID]], #[[ID]], #[[C]], #[[ID]]]
// CHECK-SAME: ins(%[[A]], %[[B]], %[[V]] :
// CHECK-NOT: linalg.transpose
// CHECK: return %[[S]] : tensor<1x4x5x3xi8>
func.func @through_add(%a: tensor<1x4x5x3xi8>, %b: tensor<1x4x5x3xi8>, %v: tensor<3xi8>) -> tensor<1x4x5x3xi8> {
  %ea = tensor.empty() : tensor<1x3x4x5xi8>
  %ta = linalg.transpose ins(%a : tensor<1x4x5x3xi8>) outs(%ea : tensor<1x3x4x5xi8>) permutation = [0, 3, 1, 2]
  %eb = tensor.empty() : tensor<1x3x4x5xi8>
  %tb = linalg.transpose ins(%b : tensor<1x4x5x3xi8>) outs(%eb : tensor<1x3x4x5xi8>) permutation = [0, 3, 1, 2]
  %e = tensor.empty() : tensor<1x3x4x5xi8>
  %sum = linalg.generic {indexing_maps = [#nchw, #nchw, #channel, #nchw], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%ta, %tb, %v : tensor<1x3x4x5xi8>, tensor<1x3x4x5xi8>, tensor<3xi8>) outs(%e : tensor<1x3x4x5xi8>) {
  ^bb0(%x: i8, %y: i8, %z: i8, %out: i8):
    %s = arith.addi %x, %y : i8
    %t = arith.addi %s, %z : i8
    linalg.yield %t : i8
  } -> tensor<1x3x4x5xi8>
  %e2 = tensor.empty() : tensor<1x4x5x3xi8>
  %back = linalg.transpose ins(%sum : tensor<1x3x4x5xi8>) outs(%e2 : tensor<1x4x5x3xi8>) permutation = [0, 2, 3, 1]
  return %back : tensor<1x4x5x3xi8>
}

// -----

// At the function's NCHW result nothing cancels: an 8-bit transpose that
// swaps the channels with the pixels becomes the runtime's transpose
// kernel on the NHWC result viewed as 1 x 20 x 3.
// CHECK-LABEL: func.func @edge
// CHECK-NOT: linalg.transpose
// CHECK: %[[E:.+]] = linalg.generic
// CHECK-SAME: outs(%{{.+}} : tensor<1x4x5x3xi8>)
// CHECK: %[[M:.+]] = tensor.collapse_shape %[[E]] {{\[}}[0], [1, 2], [3]] : tensor<1x4x5x3xi8> into tensor<1x20x3xi8>
// CHECK: %[[T:.+]] = linalg.generic {{.+}} library_call = "qnn_transpose_8"} ins(%[[M]] : tensor<1x20x3xi8>) outs(%{{.+}} : tensor<1x3x20xi8>)
// CHECK: %[[R:.+]] = tensor.expand_shape %[[T]] {{\[}}[0], [1], [2, 3]] output_shape [1, 3, 4, 5] : tensor<1x3x20xi8> into tensor<1x3x4x5xi8>
// CHECK: return %[[R]]
#nhwc = affine_map<(n, h, w, c) -> (n, h, w, c)>
#to_nchw = affine_map<(n, h, w, c) -> (n, c, h, w)>
func.func @edge(%acc: tensor<1x4x5x3xi32>) -> tensor<1x3x4x5xi8> {
  %e = tensor.empty() : tensor<1x3x4x5xi8>
  %q = linalg.generic {indexing_maps = [#nhwc, #to_nchw], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%acc : tensor<1x4x5x3xi32>) outs(%e : tensor<1x3x4x5xi8>) {
  ^bb0(%in: i32, %out: i8):
    %t = arith.trunci %in : i32 to i8
    linalg.yield %t : i8
  } -> tensor<1x3x4x5xi8>
  return %q : tensor<1x3x4x5xi8>
}

// -----

// Wider elements have no kernel: the transpose folds back into the
// producer's output map, as before the pass.
#nhwc = affine_map<(n, h, w, c) -> (n, h, w, c)>
#to_nchw = affine_map<(n, h, w, c) -> (n, c, h, w)>
// CHECK: #[[NCHW:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d3, d1, d2)>
// CHECK-LABEL: func.func @edge_float
// CHECK-NOT: linalg.transpose
// CHECK: linalg.generic {indexing_maps = [#{{.+}}, #[[NCHW]]]
// CHECK-SAME: outs(%{{.+}} : tensor<1x3x4x5xf32>)
// CHECK-NOT: linalg.transpose
func.func @edge_float(%acc: tensor<1x4x5x3xi32>) -> tensor<1x3x4x5xf32> {
  %e = tensor.empty() : tensor<1x3x4x5xf32>
  %q = linalg.generic {indexing_maps = [#nhwc, #to_nchw], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%acc : tensor<1x4x5x3xi32>) outs(%e : tensor<1x3x4x5xf32>) {
  ^bb0(%in: i32, %out: f32):
    %t = arith.sitofp %in : i32 to f32
    linalg.yield %t : f32
  } -> tensor<1x3x4x5xf32>
  return %q : tensor<1x3x4x5xf32>
}

// -----

// A model's NCHW input made channels-last for its first conv, with no
// batch dimension in front: viewed as 1 x 3 x 20.
// CHECK-LABEL: func.func @input_edge
// CHECK: tensor.expand_shape %{{.+}} {{\[}}[0, 1], [2], [3]] output_shape [1, 3, 4, 5] : tensor<3x4x5xi8> into tensor<1x3x4x5xi8>
// CHECK: tensor.collapse_shape %{{.+}} {{\[}}[0], [1], [2, 3]] : tensor<1x3x4x5xi8> into tensor<1x3x20xi8>
// CHECK: linalg.generic {{.+}} library_call = "qnn_transpose_8"} ins(%{{.+}} : tensor<1x3x20xi8>) outs(%{{.+}} : tensor<1x20x3xi8>)
// CHECK: tensor.expand_shape %{{.+}} {{\[}}[0], [1, 2], [3]] output_shape [1, 4, 5, 3] : tensor<1x20x3xi8> into tensor<1x4x5x3xi8>
// CHECK: tensor.collapse_shape %{{.+}} {{\[}}[0, 1], [2], [3]] : tensor<1x4x5x3xi8> into tensor<4x5x3xi8>
// CHECK-NOT: linalg.transpose
func.func @input_edge(%x: tensor<3x4x5xi8>) -> tensor<4x5x3xi8> {
  %e = tensor.empty() : tensor<4x5x3xi8>
  %t = linalg.transpose ins(%x : tensor<3x4x5xi8>) outs(%e : tensor<4x5x3xi8>) permutation = [1, 2, 0]
  return %t : tensor<4x5x3xi8>
}

// -----

// Operands transposed differently: the add stays in NCHW order (32-bit
// elements: no transpose kernel).
#nchw = affine_map<(n, c, h, w) -> (n, c, h, w)>
// CHECK-LABEL: func.func @mixed
// CHECK: linalg.transpose {{.+}} permutation = [0, 3, 1, 2]
// CHECK: linalg.transpose {{.+}} permutation = [0, 1, 3, 2]
// CHECK: linalg.generic
// CHECK-SAME: outs(%{{.+}} : tensor<1x3x4x5xi32>)
func.func @mixed(%a: tensor<1x4x5x3xi32>, %b: tensor<1x3x5x4xi32>) -> tensor<1x3x4x5xi32> {
  %ea = tensor.empty() : tensor<1x3x4x5xi32>
  %ta = linalg.transpose ins(%a : tensor<1x4x5x3xi32>) outs(%ea : tensor<1x3x4x5xi32>) permutation = [0, 3, 1, 2]
  %eb = tensor.empty() : tensor<1x3x4x5xi32>
  %tb = linalg.transpose ins(%b : tensor<1x3x5x4xi32>) outs(%eb : tensor<1x3x4x5xi32>) permutation = [0, 1, 3, 2]
  %e = tensor.empty() : tensor<1x3x4x5xi32>
  %sum = linalg.generic {indexing_maps = [#nchw, #nchw, #nchw], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%ta, %tb : tensor<1x3x4x5xi32>, tensor<1x3x4x5xi32>) outs(%e : tensor<1x3x4x5xi32>) {
  ^bb0(%x: i32, %y: i32, %out: i32):
    %s = arith.addi %x, %y : i32
    linalg.yield %s : i32
  } -> tensor<1x3x4x5xi32>
  return %sum : tensor<1x3x4x5xi32>
}

// -----

// A generic marked for a runtime kernel is never rewritten.
#nhwc = affine_map<(n, h, w, c) -> (n, h, w, c)>
#to_nchw = affine_map<(n, h, w, c) -> (n, c, h, w)>
// CHECK-LABEL: func.func @kernel_call
// CHECK: linalg.generic {indexing_maps = [#{{.+}}, #{{.+}}], iterator_types = {{.+}}, library_call = "some_kernel"}
// CHECK-NOT: linalg.transpose
func.func @kernel_call(%acc: tensor<1x4x5x3xi32>) -> tensor<1x3x4x5xi8> {
  %e = tensor.empty() : tensor<1x3x4x5xi8>
  %q = linalg.generic {indexing_maps = [#nhwc, #to_nchw], iterator_types = ["parallel", "parallel", "parallel", "parallel"], library_call = "some_kernel"}
      ins(%acc : tensor<1x4x5x3xi32>) outs(%e : tensor<1x3x4x5xi8>) {
  ^bb0(%in: i32, %out: i8):
    %t = arith.trunci %in : i32 to i8
    linalg.yield %t : i8
  } -> tensor<1x3x4x5xi8>
  return %q : tensor<1x3x4x5xi8>
}
