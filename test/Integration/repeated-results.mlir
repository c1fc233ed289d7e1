// RUN: qnn-run %s --print | FileCheck %s

// A model returning one value twice (and its input twice) runs, each
// result in its own out-parameter with the same codes.
// CHECK: result 0:
// CHECK-NEXT: [[Y:\[\[.*\]\]]]
// CHECK: result 1:
// CHECK-NEXT: [[Y]]
// CHECK: result 2:
// CHECK-NEXT: [[X:\[\[.*\]\]]]
// CHECK: result 3:
// CHECK-NEXT: [[X]]
module attributes {qnn.numerics = "onednn"} {
  func.func @forward(%x: tensor<2x3x!quant.uniform<u8:f32, 0.1:5>>) -> (tensor<2x3x!quant.uniform<u8:f32, 0.2:5>>, tensor<2x3x!quant.uniform<u8:f32, 0.2:5>>, tensor<2x3x!quant.uniform<u8:f32, 0.1:5>>, tensor<2x3x!quant.uniform<u8:f32, 0.1:5>>) {
    %y = qnn.requantize %x : tensor<2x3x!quant.uniform<u8:f32, 0.1:5>> -> tensor<2x3x!quant.uniform<u8:f32, 0.2:5>>
    return %y, %y, %x, %x : tensor<2x3x!quant.uniform<u8:f32, 0.2:5>>, tensor<2x3x!quant.uniform<u8:f32, 0.2:5>>, tensor<2x3x!quant.uniform<u8:f32, 0.1:5>>, tensor<2x3x!quant.uniform<u8:f32, 0.1:5>>
  }
}
