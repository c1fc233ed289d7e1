// RUN: qnn-run %s --print | FileCheck %s

// torch.sigmoid / torch.tanh as ATen rounds them, where every rounding
// agrees: sigmoid(0) = 1 / (1 + 1) = 0.5, sigmoid(100) = 1 / (exp(-100) + 1)
// = 1, tanh(+-0) = +-0, tanh(+-20) = +-1; the element in the scalar range
// (glibc's expf) gives the same. Bit-exactness against torch on random
// values: python/tests/test_float_activation.py.
// CHECK: result 0:
// CHECK-NEXT: {{\[}}0.5, 1, 0.5, 1{{\]}}
// CHECK-NEXT: result 1:
// CHECK-NEXT: {{\[}}0, 1, -0, -1{{\]}}
func.func @main() -> (tensor<4xf32>, tensor<4xf32>) {
  %x = arith.constant dense<[0.0, 100.0, 0.0, 100.0]> : tensor<4xf32>
  %t = arith.constant dense<[0.0, 20.0, -0.0, -20.0]> : tensor<4xf32>
  %0 = qnn.float_activation sigmoid %x scalar_ranges = [2, 4] : tensor<4xf32>
  %1 = qnn.float_activation tanh %t : tensor<4xf32>
  return %0, %1 : tensor<4xf32>, tensor<4xf32>
}
