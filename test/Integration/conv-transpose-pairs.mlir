// RUN: sed s/ENGINE/onednn_no_vnni/ %s | qnn-run - --print | FileCheck %s --check-prefix=PAIRS
// RUN: sed s/ENGINE/onednn/ %s | qnn-run - --print | FileCheck %s --check-prefix=EXACT

// oneDNN's AVX2 deconvolution (onednn_no_vnni) sums u8 x s8 products of
// consecutive input channels in int16-saturated pairs, and only at the taps
// that read an input element (docs/numerics/conv-transpose.md).
//
// The gaps are skipped: codes 255 with zero point 255 are the value 0 and
// w = [127, 127], so at the real taps (outputs 0 and 2) the pair
// 255 * 127 * 2 = 64770 saturates to 32767 and the sum is 32767 - 255 * 254
// = -32003, code round(-32.003) + 100 = 68; the gap (output 1) reads no
// input, and its sum is exactly 0 (code 100), where a conv of the input
// spread with its zero point would saturate there too. onednn sums
// exactly: 0 everywhere.
// PAIRS: result 0:
// PAIRS-NEXT: {{\[\[\[}}68, 100, 68{{\]\]\]}}
// EXACT: result 0:
// EXACT-NEXT: {{\[\[\[}}100, 100, 100{{\]\]\]}}
//
// The pairs are within every group, two channels per group included (the
// conv pairs grouped channels only in multiples of 4): codes 255 (zero
// point 0) times [127, 127] per group sum to 32767, code round(32.767) =
// 33, not round(64.77) = 65.
// PAIRS-NEXT: result 1:
// PAIRS-NEXT: {{\[\[\[}}33], [33{{\]\]\]}}
// EXACT-NEXT: result 1:
// EXACT-NEXT: {{\[\[\[}}65], [65{{\]\]\]}}
module attributes {qnn.numerics = "ENGINE"} {
  func.func @main() -> (tensor<1x1x3x!quant.uniform<u8:f32, 1000.0:100>>, tensor<1x2x1x!quant.uniform<u8:f32, 1000.0>>) {
    %xs = arith.constant dense<-1> : tensor<1x2x2xi8>
    %x = quant.scast %xs : tensor<1x2x2xi8> to tensor<1x2x2x!quant.uniform<u8:f32, 1.0:255>>
    %ws = arith.constant dense<127> : tensor<2x1x1xi8>
    %w = quant.scast %ws : tensor<2x1x1xi8> to tensor<2x1x1x!quant.uniform<i8:f32, 1.0>>
    %0 = qnn.conv_transpose %x, %w strides = [2] padding = [0] output_padding = [0] dilations = [1] groups = 1 : (tensor<1x2x2x!quant.uniform<u8:f32, 1.0:255>>, tensor<2x1x1x!quant.uniform<i8:f32, 1.0>>) -> tensor<1x1x3x!quant.uniform<u8:f32, 1000.0:100>>
    %gs = arith.constant dense<-1> : tensor<1x4x1xi8>
    %g = quant.scast %gs : tensor<1x4x1xi8> to tensor<1x4x1x!quant.uniform<u8:f32, 1.0>>
    %vs = arith.constant dense<127> : tensor<4x1x1xi8>
    %v = quant.scast %vs : tensor<4x1x1xi8> to tensor<4x1x1x!quant.uniform<i8:f32, 1.0>>
    %1 = qnn.conv_transpose %g, %v strides = [1] padding = [0] output_padding = [0] dilations = [1] groups = 2 : (tensor<1x4x1x!quant.uniform<u8:f32, 1.0>>, tensor<4x1x1x!quant.uniform<i8:f32, 1.0>>) -> tensor<1x2x1x!quant.uniform<u8:f32, 1000.0>>
    return %0, %1 : tensor<1x1x3x!quant.uniform<u8:f32, 1000.0:100>>, tensor<1x2x1x!quant.uniform<u8:f32, 1000.0>>
  }
}
