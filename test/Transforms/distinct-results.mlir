// RUN: qnn-opt %s --qnn-distinct-results | FileCheck %s

// A value returned more than once: each further position gets a copy of
// its own, so bufferization gives every out-parameter a different buffer.
// Other results stay.
// CHECK-LABEL: func.func @thrice
// CHECK-SAME: (%[[X:[^:]+]]: tensor<2x3xi8>, %[[Y:[^:]+]]: tensor<4xi32>)
// CHECK: %[[E1:.+]] = tensor.empty() : tensor<2x3xi8>
// CHECK: %[[C1:.+]] = linalg.copy ins(%[[X]] : tensor<2x3xi8>) outs(%[[E1]] : tensor<2x3xi8>)
// CHECK: %[[E2:.+]] = tensor.empty() : tensor<2x3xi8>
// CHECK: %[[C2:.+]] = linalg.copy ins(%[[X]] : tensor<2x3xi8>) outs(%[[E2]] : tensor<2x3xi8>)
// CHECK-NOT: linalg.copy
// CHECK: return %[[X]], %[[C1]], %[[Y]], %[[C2]]
func.func @thrice(%x: tensor<2x3xi8>, %y: tensor<4xi32>) -> (tensor<2x3xi8>, tensor<2x3xi8>, tensor<4xi32>, tensor<2x3xi8>) {
  return %x, %x, %y, %x : tensor<2x3xi8>, tensor<2x3xi8>, tensor<4xi32>, tensor<2x3xi8>
}
