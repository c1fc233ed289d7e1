// RUN: qnn-opt %s --qnn-lower-to-llvm | FileCheck %s

// 2-D depthwise convs with unit dilation and stride 1 or 2 call the
// runtime's depthwise kernel (qnn/Runtime/Depthwise.h); a dilated one, or a
// 1-D one, stays a compiled loop nest.
// CHECK-LABEL: llvm.func @stride1
// CHECK: llvm.call @qnn_depthwise_u8s8s32_s1(
// CHECK-LABEL: llvm.func @stride2
// CHECK: llvm.call @qnn_depthwise_u8s8s32_s2(
// CHECK-LABEL: llvm.func @dilated
// CHECK-NOT: llvm.call @qnn_depthwise
// CHECK-LABEL: llvm.func @one_d
// CHECK-NOT: llvm.call @qnn_depthwise

!x = tensor<1x8x9x9x!quant.uniform<u8:f32, 0.1:3>>
!w = tensor<8x1x3x3x!quant.uniform<i8:f32, 0.05>>
!y = tensor<1x8x9x9x!quant.uniform<u8:f32, 0.2:1>>
!y2 = tensor<1x8x5x5x!quant.uniform<u8:f32, 0.2:1>>
!yd = tensor<1x8x7x7x!quant.uniform<u8:f32, 0.2:1>>
!x1 = tensor<1x8x9x!quant.uniform<u8:f32, 0.1:3>>
!w1 = tensor<8x1x3x!quant.uniform<i8:f32, 0.05>>
!y1 = tensor<1x8x9x!quant.uniform<u8:f32, 0.2:1>>
module attributes {qnn.numerics = "qnnpack"} {
  func.func @stride1(%x: !x) -> !y {
    %wt = arith.constant dense<2> : tensor<8x1x3x3xi8>
    %w = quant.scast %wt : tensor<8x1x3x3xi8> to !w
    %y = qnn.conv %x, %w strides = [1, 1] padding = [1, 1] dilations = [1, 1] groups = 8 : (!x, !w) -> !y
    return %y : !y
  }
  func.func @stride2(%x: !x) -> !y2 {
    %wt = arith.constant dense<-3> : tensor<8x1x3x3xi8>
    %w = quant.scast %wt : tensor<8x1x3x3xi8> to !w
    %y = qnn.conv %x, %w strides = [2, 2] padding = [1, 1] dilations = [1, 1] groups = 8 : (!x, !w) -> !y2
    return %y : !y2
  }
  func.func @dilated(%x: !x) -> !yd {
    %wt = arith.constant dense<1> : tensor<8x1x3x3xi8>
    %w = quant.scast %wt : tensor<8x1x3x3xi8> to !w
    %y = qnn.conv %x, %w strides = [1, 1] padding = [1, 1] dilations = [2, 2] groups = 8 : (!x, !w) -> !yd
    return %y : !yd
  }
  func.func @one_d(%x: !x1) -> !y1 {
    %wt = arith.constant dense<1> : tensor<8x1x3xi8>
    %w = quant.scast %wt : tensor<8x1x3xi8> to !w1
    %y = qnn.conv %x, %w strides = [1] padding = [1] dilations = [1] groups = 8 : (!x1, !w1) -> !y1
    return %y : !y1
  }
}
