// RUN: sed s/ENGINE/onednn/ %s | qnn-opt --qnn-lower-to-llvm | FileCheck %s
// RUN: sed s/ENGINE/qnnpack/ %s | qnn-opt --qnn-lower-to-llvm | FileCheck %s
// RUN: sed s/ENGINE/onednn_no_vnni/ %s | qnn-opt --qnn-lower-to-llvm | FileCheck %s --check-prefix=SAT16
// RUN: sed s/ENGINE/onednn/ %s | not qnn-opt --convert-qnn-to-linalg --qnn-lower-integer-contractions --canonicalize --convert-elementwise-to-linalg --linalg-fuse-elementwise-ops --qnn-library-calls 2>&1 | FileCheck %s --check-prefix=LOST

// Every contraction marked for the runtime's kernels reaches its call (the
// convs, 3x3 of stride 1 on 4 channels, the conv kernel's; with saturating
// pairs the GEMM's): in two chained linears and two chained convs the first layer's epilogue is an
// elementwise producer of the second GEMM, which --qnn-fuse-elementwise does
// not fuse into it (upstream elementwise fusion would, dropping the mark and
// compiling the GEMM as loops). The splat weights would be folded into the
// GEMM bodies by upstream fusion too.
// CHECK-LABEL: llvm.func @linears
// CHECK-COUNT-2: llvm.call @qnn_gemm_u8s8s32(
// CHECK-LABEL: llvm.func @convs
// CHECK-COUNT-2: llvm.call @qnn_conv2d_3x3s1_u8s8s32(
// CHECK-NOT: llvm.call @qnn_gemm_u8s8s32(
// SAT16-LABEL: llvm.func @linears
// SAT16-COUNT-2: llvm.call @qnn_gemm_u8s8s32_sat16(
// SAT16-LABEL: llvm.func @convs
// SAT16-COUNT-2: llvm.call @qnn_gemm_u8s8s32_sat16(

// A pass that rewrites a marked op without its mark is caught, not compiled
// into loops silently.
// LOST: error: 4 ops were marked for runtime kernel calls by --qnn-lower-integer-contractions but 2 reached --qnn-library-calls

!x = tensor<4x16x!quant.uniform<u8:f32, 0.1:3>>
!y = tensor<4x16x!quant.uniform<u8:f32, 0.2:1>>
!z = tensor<4x8x!quant.uniform<u8:f32, 0.3:2>>
!w1 = tensor<16x16x!quant.uniform<i8:f32, 0.05>>
!w2 = tensor<8x16x!quant.uniform<i8:f32, 0.05>>
!cx = tensor<1x4x6x6x!quant.uniform<u8:f32, 0.1:3>>
!cy = tensor<1x4x6x6x!quant.uniform<u8:f32, 0.2:1>>
!cz = tensor<1x2x6x6x!quant.uniform<u8:f32, 0.3:2>>
!cw1 = tensor<4x4x3x3x!quant.uniform<i8:f32, 0.05>>
!cw2 = tensor<2x4x3x3x!quant.uniform<i8:f32, 0.05>>
module attributes {qnn.numerics = "ENGINE"} {
  func.func @linears(%x: !x) -> !z {
    %ws = arith.constant dense<1> : tensor<16x16xi8>
    %w = quant.scast %ws : tensor<16x16xi8> to !w1
    %ws2 = arith.constant dense<2> : tensor<8x16xi8>
    %w2 = quant.scast %ws2 : tensor<8x16xi8> to !w2
    %y = qnn.linear %x, %w post_op = relu : (!x, !w1) -> !y
    %z = qnn.linear %y, %w2 : (!y, !w2) -> !z
    return %z : !z
  }
  func.func @convs(%x: !cx) -> !cz {
    %ws = arith.constant dense<1> : tensor<4x4x3x3xi8>
    %w = quant.scast %ws : tensor<4x4x3x3xi8> to !cw1
    %ws2 = arith.constant dense<-1> : tensor<2x4x3x3xi8>
    %w2 = quant.scast %ws2 : tensor<2x4x3x3xi8> to !cw2
    %y = qnn.conv %x, %w strides = [1, 1] padding = [1, 1] dilations = [1, 1] groups = 1 post_op = relu : (!cx, !cw1) -> !cy
    %z = qnn.conv %y, %w2 strides = [1, 1] padding = [1, 1] dilations = [1, 1] groups = 1 : (!cy, !cw2) -> !cz
    return %z : !cz
  }
}
