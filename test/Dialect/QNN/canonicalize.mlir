// RUN: qnn-opt %s --canonicalize --split-input-file | FileCheck %s

// quantize(dequantize(x)) back to the type of x is x.
// CHECK-LABEL: func @quantize_of_dequantize
// CHECK-SAME: (%[[X:.+]]: tensor
// CHECK-NEXT: return %[[X]]
func.func @quantize_of_dequantize(%x: tensor<4x!quant.uniform<u8:f32, 0.1:3>>) -> tensor<4x!quant.uniform<u8:f32, 0.1:3>> {
  %d = qnn.dequantize %x : tensor<4x!quant.uniform<u8:f32, 0.1:3>> -> tensor<4xf32>
  %q = qnn.quantize %d : tensor<4xf32> -> tensor<4x!quant.uniform<u8:f32, 0.1:3>>
  return %q : tensor<4x!quant.uniform<u8:f32, 0.1:3>>
}

// -----

// To another type it is a requantization and stays (--qnn-fuse lifts it).
// CHECK-LABEL: func @quantize_of_dequantize_other_type
// CHECK: qnn.dequantize
// CHECK: qnn.quantize
func.func @quantize_of_dequantize_other_type(%x: tensor<4x!quant.uniform<u8:f32, 0.1:3>>) -> tensor<4x!quant.uniform<u8:f32, 0.1:4>> {
  %d = qnn.dequantize %x : tensor<4x!quant.uniform<u8:f32, 0.1:3>> -> tensor<4xf32>
  %q = qnn.quantize %d : tensor<4xf32> -> tensor<4x!quant.uniform<u8:f32, 0.1:4>>
  return %q : tensor<4x!quant.uniform<u8:f32, 0.1:4>>
}

// -----

// Custom bounds are part of the type: narrowing the range is not an identity.
// CHECK-LABEL: func @quantize_of_dequantize_narrower
// CHECK: qnn.quantize
func.func @quantize_of_dequantize_narrower(%x: tensor<4x!quant.uniform<i8:f32, 0.1>>) -> tensor<4x!quant.uniform<i8<-127:127>:f32, 0.1>> {
  %d = qnn.dequantize %x : tensor<4x!quant.uniform<i8:f32, 0.1>> -> tensor<4xf32>
  %q = qnn.quantize %d : tensor<4xf32> -> tensor<4x!quant.uniform<i8<-127:127>:f32, 0.1>>
  return %q : tensor<4x!quant.uniform<i8<-127:127>:f32, 0.1>>
}

// -----

// Requantizing to the same type folds.
// CHECK-LABEL: func @requantize_same_type
// CHECK-SAME: (%[[X:.+]]: tensor
// CHECK-NEXT: return %[[X]]
func.func @requantize_same_type(%x: tensor<4x!quant.uniform<u8:f32, 0.1:3>>) -> tensor<4x!quant.uniform<u8:f32, 0.1:3>> {
  %r = qnn.requantize %x : tensor<4x!quant.uniform<u8:f32, 0.1:3>> -> tensor<4x!quant.uniform<u8:f32, 0.1:3>>
  return %r : tensor<4x!quant.uniform<u8:f32, 0.1:3>>
}

// -----

// Requantizing to another type stays.
// CHECK-LABEL: func @requantize_other_type
// CHECK: qnn.requantize
func.func @requantize_other_type(%x: tensor<4x!quant.uniform<u8:f32, 0.1:3>>) -> tensor<4x!quant.uniform<u8:f32, 0.2:3>> {
  %r = qnn.requantize %x : tensor<4x!quant.uniform<u8:f32, 0.1:3>> -> tensor<4x!quant.uniform<u8:f32, 0.2:3>>
  return %r : tensor<4x!quant.uniform<u8:f32, 0.2:3>>
}

// -----

// Nested clamps keep the tighter one.
// CHECK-LABEL: func @nested_clamps
// CHECK-SAME: (%[[X:.+]]: tensor
// CHECK-NEXT: %[[R:.+]] = qnn.activation relu %[[X]]
// CHECK-NEXT: %[[R6:.+]] = qnn.activation relu6 %[[X]]
// CHECK-NEXT: %[[R6B:.+]] = qnn.activation relu6 %[[X]]
// CHECK-NEXT: return %[[R]], %[[R6]], %[[R6B]], %[[R6B]]
func.func @nested_clamps(%x: tensor<4x!quant.uniform<u8:f32, 0.1:3>>) -> (tensor<4x!quant.uniform<u8:f32, 0.1:3>>, tensor<4x!quant.uniform<u8:f32, 0.1:3>>, tensor<4x!quant.uniform<u8:f32, 0.1:3>>, tensor<4x!quant.uniform<u8:f32, 0.1:3>>) {
  %r = qnn.activation relu %x : tensor<4x!quant.uniform<u8:f32, 0.1:3>> -> tensor<4x!quant.uniform<u8:f32, 0.1:3>>
  %rr = qnn.activation relu %r : tensor<4x!quant.uniform<u8:f32, 0.1:3>> -> tensor<4x!quant.uniform<u8:f32, 0.1:3>>
  %r6r = qnn.activation relu6 %r : tensor<4x!quant.uniform<u8:f32, 0.1:3>> -> tensor<4x!quant.uniform<u8:f32, 0.1:3>>
  %s = qnn.activation relu6 %x : tensor<4x!quant.uniform<u8:f32, 0.1:3>> -> tensor<4x!quant.uniform<u8:f32, 0.1:3>>
  %ss = qnn.activation relu6 %s : tensor<4x!quant.uniform<u8:f32, 0.1:3>> -> tensor<4x!quant.uniform<u8:f32, 0.1:3>>
  %rs = qnn.activation relu %s : tensor<4x!quant.uniform<u8:f32, 0.1:3>> -> tensor<4x!quant.uniform<u8:f32, 0.1:3>>
  return %rr, %r6r, %ss, %rs : tensor<4x!quant.uniform<u8:f32, 0.1:3>>, tensor<4x!quant.uniform<u8:f32, 0.1:3>>, tensor<4x!quant.uniform<u8:f32, 0.1:3>>, tensor<4x!quant.uniform<u8:f32, 0.1:3>>
}

// -----

// Two permutes compose into one; a permute back to the original order and
// the identity permutation fold away.
// CHECK-LABEL: func @permutes
// CHECK-SAME: (%[[X:.+]]: tensor
// CHECK-NEXT: %[[P:.+]] = qnn.permute %[[X]] permutation = [2, 0, 1]
// CHECK-NEXT: return %[[P]], %[[X]], %[[X]]
!p0 = tensor<2x3x4x!quant.uniform<u8:f32, 0.1:3>>
func.func @permutes(%x: !p0) -> (tensor<4x2x3x!quant.uniform<u8:f32, 0.1:3>>, !p0, !p0) {
  %a = qnn.permute %x permutation = [0, 2, 1] : !p0 -> tensor<2x4x3x!quant.uniform<u8:f32, 0.1:3>>
  %b = qnn.permute %a permutation = [1, 0, 2] : tensor<2x4x3x!quant.uniform<u8:f32, 0.1:3>> -> tensor<4x2x3x!quant.uniform<u8:f32, 0.1:3>>
  %c = qnn.permute %a permutation = [0, 2, 1] : tensor<2x4x3x!quant.uniform<u8:f32, 0.1:3>> -> !p0
  %d = qnn.permute %x permutation = [0, 1, 2] : !p0 -> !p0
  return %b, %c, %d : tensor<4x2x3x!quant.uniform<u8:f32, 0.1:3>>, !p0, !p0
}
