// RUN: qnn-opt %s --qnn-lower-to-llvm | FileCheck %s

// A 3x3 conv of stride and dilation 1 with a multiple of 4 input channels
// calls the runtime's conv kernel, which reads the patches in place
// (qnn/Runtime/Conv.h); with 3 channels, or stride 2, it is im2col + the
// GEMM.
// CHECK-LABEL: llvm.func @in_place
// CHECK: llvm.call @qnn_conv2d_3x3s1_u8s8s32(
// CHECK-NOT: llvm.call @qnn_gemm_u8s8s32(
// CHECK-LABEL: llvm.func @three_channels
// CHECK-NOT: llvm.call @qnn_conv2d
// CHECK: llvm.call @qnn_gemm_u8s8s32(
// CHECK-LABEL: llvm.func @stride2
// CHECK-NOT: llvm.call @qnn_conv2d
// CHECK: llvm.call @qnn_gemm_u8s8s32(

!x = tensor<1x8x9x9x!quant.uniform<u8:f32, 0.1:3>>
!w = tensor<16x8x3x3x!quant.uniform<i8:f32, 0.05>>
!y = tensor<1x16x9x9x!quant.uniform<u8:f32, 0.2:1>>
!y2 = tensor<1x16x5x5x!quant.uniform<u8:f32, 0.2:1>>
!x3 = tensor<1x3x9x9x!quant.uniform<u8:f32, 0.1:3>>
!w3 = tensor<16x3x3x3x!quant.uniform<i8:f32, 0.05>>
module attributes {qnn.numerics = "onednn"} {
  func.func @in_place(%x: !x) -> !y {
    %ws = arith.constant dense<2> : tensor<16x8x3x3xi8>
    %w = quant.scast %ws : tensor<16x8x3x3xi8> to !w
    %y = qnn.conv %x, %w strides = [1, 1] padding = [1, 1] dilations = [1, 1] groups = 1 : (!x, !w) -> !y
    return %y : !y
  }
  func.func @three_channels(%x: !x3) -> !y {
    %ws = arith.constant dense<2> : tensor<16x3x3x3xi8>
    %w = quant.scast %ws : tensor<16x3x3x3xi8> to !w3
    %y = qnn.conv %x, %w strides = [1, 1] padding = [1, 1] dilations = [1, 1] groups = 1 : (!x3, !w3) -> !y
    return %y : !y
  }
  func.func @stride2(%x: !x) -> !y2 {
    %ws = arith.constant dense<-1> : tensor<16x8x3x3xi8>
    %w = quant.scast %ws : tensor<16x8x3x3xi8> to !w
    %y = qnn.conv %x, %w strides = [2, 2] padding = [1, 1] dilations = [1, 1] groups = 1 : (!x, !w) -> !y2
    return %y : !y2
  }
}
