// RUN: qnn-opt %s --convert-qnn-to-linalg --qnn-lower-integer-contractions --canonicalize --split-input-file -verify-diagnostics | FileCheck %s

// qnnpack Linear with a constant weight with zero point 2, bias and relu:
// quantized types become their storage integers; the accumulator sums
// extui(x) * extsi(w) in int32 over the weight packed at compile time for
// the runtime's GEMM ([N/16][K/4][16][4], zero-padded: 4 rows of ones in a
// 16-row block), marked as a library call; the zero-point terms are -zx * sum(w) (folded
// for a constant weight: 8 * -3), K * zx * zw = 8 * 3 * 2 = 48 and
// -zw * sum(x); the bias is quantized with f32(1 / (0.5 * 0.5)) = 4;
// the epilogue multiplies by M = 0.5 * 0.5 / 0.25 = 1, rounds half to even,
// adds zo after rounding and clamps to [0, 255]; relu then clamps the codes
// at zo (its table entry's clamp).
// CHECK-DAG: #[[PACKED:.+]] = affine_map<(d0, d1, d2) -> (d1 floordiv 16, d2 floordiv 4, d1 mod 16, d2 mod 4)>
// CHECK-LABEL: func @linear_qnnpack
// CHECK-SAME: (%[[X:.+]]: tensor<2x8xi8>, %[[B:.+]]: tensor<4xf32>) -> tensor<2x4xi8>
// CHECK-DAG: %[[ZP_TERMS:.+]] = arith.constant dense<24> : tensor<4xi32>
// CHECK-DAG: %[[M:.+]] = arith.constant dense<1.000000e+00> : tensor<4xf32>
// CHECK-DAG: %[[ZW:.+]] = arith.constant dense<2> : tensor<4xi32>
// CHECK-DAG: %[[BINV:.+]] = arith.constant dense<4.000000e+00> : tensor<4xf32>
// CHECK-DAG: %[[ZO:.+]] = arith.constant 1.000000e+01 : f32
// CHECK-DAG: %[[QMIN:.+]] = arith.constant 0.000000e+00 : f32
// CHECK-DAG: %[[QMAX:.+]] = arith.constant 2.550000e+02 : f32
// CHECK-DAG: %[[ZOI:.+]] = arith.constant 10 : i8
// CHECK-DAG: %[[W:.+]] = arith.constant dense<"0x0101010101010101010101010101010100000000{{0+}}01010101010101010101010101010101{{0+}}"> : tensor<1x2x16x4xi8>
// CHECK: %[[ACC:.+]] = linalg.generic {{.+}}, #[[PACKED]], {{.+}} iterator_types = ["parallel", "parallel", "reduction"], library_call = "qnn_gemm_u8s8s32"} ins(%[[X]], %[[W]] : tensor<2x8xi8>, tensor<1x2x16x4xi8>)
// CHECK: arith.extui
// CHECK: arith.extsi
// CHECK: %[[XSUM:.+]] = linalg.generic {{.+}} iterator_types = ["parallel", "reduction"]} ins(%[[X]] : tensor<2x8xi8>) outs(%{{.+}} : tensor<2xi32>)
// CHECK: %[[SB:.+]] = arith.mulf %[[B]], %[[BINV]]
// CHECK: math.roundeven %[[SB]]
// CHECK: %[[BQ:.+]] = arith.trunci %{{.+}} : tensor<4xi64> to tensor<4xi32>
// CHECK: %[[CH:.+]] = arith.addi %[[BQ]], %[[ZP_TERMS]]
// CHECK: linalg.generic {{.+}} ins(%[[ACC]], %[[CH]], %[[M]], %[[ZW]], %[[XSUM]] :
// CHECK-NEXT: ^bb0(%[[A:.+]]: i32, %[[C:.+]]: i32, %[[MUL:.+]]: f32, %[[W:.+]]: i32, %[[S:.+]]: i32, %{{.+}}: i8):
// CHECK-NEXT: %[[SUM:.+]] = arith.addi %[[A]], %[[C]]
// CHECK-NEXT: %[[ZS:.+]] = arith.muli %[[W]], %[[S]]
// CHECK-NEXT: %[[CORR:.+]] = arith.subi %[[SUM]], %[[ZS]]
// CHECK-NEXT: %[[F:.+]] = arith.sitofp %[[CORR]]
// CHECK-NEXT: %[[P:.+]] = arith.mulf %[[F]], %[[MUL]]
// CHECK-NEXT: %[[R:.+]] = math.roundeven %[[P]]
// CHECK-NEXT: %[[Y:.+]] = arith.addf %[[R]], %[[ZO]]
// CHECK-NEXT: %[[LO:.+]] = arith.maxnumf %[[Y]], %[[QMIN]]
// CHECK-NEXT: %[[HI:.+]] = arith.minnumf %[[LO]], %[[QMAX]]
// CHECK-NEXT: arith.fptosi %[[HI]] : f32 to i32
// CHECK-NEXT: arith.trunci
// CHECK: linalg.generic
// CHECK-NEXT: ^bb0(%[[CODE:.+]]: i8, %{{.+}}: i8):
// CHECK-NEXT: arith.maxui %[[CODE]], %[[ZOI]] : i8
module attributes {qnn.numerics = "qnnpack"} {
func.func @linear_qnnpack(%x: tensor<2x8x!quant.uniform<u8:f32, 0.5:3>>, %b: tensor<4xf32>) -> tensor<2x4x!quant.uniform<u8:f32, 0.25:10>> {
  %ws = arith.constant dense<1> : tensor<4x8xi8>
  %w = quant.scast %ws : tensor<4x8xi8> to tensor<4x8x!quant.uniform<i8:f32, 0.5:2>>
  %y = qnn.linear %x, %w bias(%b) post_op = relu : (tensor<2x8x!quant.uniform<u8:f32, 0.5:3>>, tensor<4x8x!quant.uniform<i8:f32, 0.5:2>>, tensor<4xf32>) -> tensor<2x4x!quant.uniform<u8:f32, 0.25:10>>
  return %y : tensor<2x4x!quant.uniform<u8:f32, 0.25:10>>
}
}

// -----

// onednn Linear with a per-channel weight passed as an argument: no packing
// or library call, the weight sums are computed at run time; the compensation -zx * sum(w) is added in
// float after the (zero) bias; Md = (1 / 0.25) / ((1 / 0.5) * (1 / s_w[c]))
// per channel; the zero point is added before rounding.
// CHECK-LABEL: func @linear_onednn
// CHECK-SAME: (%[[X:.+]]: tensor<2x8xi8>, %[[W:.+]]: tensor<4x8xi8>)
// CHECK-DAG: %[[MD:.+]] = arith.constant dense<[1.000000e+00, 5.000000e-01, 1.000000e+00, 2.500000e-01]> : tensor<4xf32>
// CHECK-DAG: %[[NO_BIAS:.+]] = arith.constant dense<0.000000e+00> : tensor<4xf32>
// CHECK-DAG: %[[MZX:.+]] = arith.constant dense<-3> : tensor<4xi32>
// CHECK: %[[ACC:.+]] = linalg.generic {{.+}} iterator_types = ["parallel", "parallel", "reduction"]} ins(%[[X]], %[[W]] : tensor<2x8xi8>, tensor<4x8xi8>)
// CHECK: %[[WSUM:.+]] = linalg.generic {{.+}} ins(%[[W]] : tensor<4x8xi8>) outs(%{{.+}} : tensor<4xi32>)
// CHECK: arith.extsi
// CHECK: %[[COMP:.+]] = arith.muli %[[WSUM]], %[[MZX]]
// CHECK: linalg.generic {{.+}} ins(%[[ACC]], %[[COMP]], %[[NO_BIAS]], %[[MD]] :
// CHECK-NEXT: ^bb0(%[[A:.+]]: i32, %[[C:.+]]: i32, %[[BA:.+]]: f32, %[[MUL:.+]]: f32, %{{.+}}: i8):
// CHECK-NEXT: %[[AF:.+]] = arith.sitofp %[[A]]
// CHECK-NEXT: %[[T0:.+]] = arith.addf %[[AF]], %[[BA]]
// CHECK-NEXT: %[[CF:.+]] = arith.sitofp %[[C]]
// CHECK-NEXT: %[[T:.+]] = arith.addf %[[T0]], %[[CF]]
// CHECK-NEXT: %[[V:.+]] = arith.mulf %[[T]], %[[MUL]]
// CHECK-NEXT: %[[VZ:.+]] = arith.addf %[[V]], %{{.+}}
// CHECK-NEXT: math.roundeven %[[VZ]]
module attributes {qnn.numerics = "onednn"} {
func.func @linear_onednn(%x: tensor<2x8x!quant.uniform<u8:f32, 0.5:3>>, %w: tensor<4x8x!quant.uniform<i8:f32:0, {0.5, 0.25, 0.5, 0.125}>>) -> tensor<2x4x!quant.uniform<u8:f32, 0.25:10>> {
  %y = qnn.linear %x, %w : (tensor<2x8x!quant.uniform<u8:f32, 0.5:3>>, tensor<4x8x!quant.uniform<i8:f32:0, {0.5, 0.25, 0.5, 0.125}>>) -> tensor<2x4x!quant.uniform<u8:f32, 0.25:10>>
  return %y : tensor<2x4x!quant.uniform<u8:f32, 0.25:10>>
}
}

// -----

// onednn Conv, depthwise, reflect padding: the stored input is padded by
// slicing (reflect pads with input values, not the zero point), put
// channels last (the depthwise strategy's loops run over the channels
// innermost), and the compensation is added in int32 before the bias.
// CHECK-LABEL: func @conv_reflect
// CHECK-SAME: (%[[X:.+]]: tensor<1x2x5xi8>, %[[W:.+]]: tensor<2x1x3xi8>)
// CHECK: %[[L:.+]] = tensor.extract_slice %[[X]][0, 0, 1] [1, 2, 1]
// CHECK: %[[R:.+]] = tensor.extract_slice %[[X]][0, 0, 3] [1, 2, 1]
// CHECK: %[[P:.+]] = tensor.concat dim(2) %[[L]], %[[X]], %[[R]]
// CHECK: %[[XT:.+]] = linalg.transpose ins(%[[P]] : tensor<1x2x7xi8>) outs(%{{.+}} : tensor<1x7x2xi8>) permutation = [0, 2, 1]
// CHECK: %[[ACC:.+]] = linalg.generic {{.+}} iterator_types = ["parallel", "parallel", "reduction", "parallel"]} ins(%[[XT]], %{{.+}} : tensor<1x7x2xi8>, tensor<3x2xi8>) outs(%{{.+}} : tensor<1x5x2x1xi32>)
// CHECK: ^bb0(%[[A:.+]]: i32, %[[C:.+]]: i32, %[[BA:.+]]: f32, %[[MUL:.+]]: f32, %{{.+}}: i8):
// CHECK-NEXT: %[[SUM:.+]] = arith.addi %[[A]], %[[C]]
// CHECK-NEXT: %[[SF:.+]] = arith.sitofp %[[SUM]]
// CHECK-NEXT: arith.addf %[[SF]], %[[BA]]
// CHECK: tensor.collapse_shape %{{.+}} {{\[}}[0], [1, 2], [3]] : tensor<1x2x1x5xi8> into tensor<1x2x5xi8>
module attributes {qnn.numerics = "onednn"} {
func.func @conv_reflect(%x: tensor<1x2x5x!quant.uniform<u8:f32, 0.5:3>>, %w: tensor<2x1x3x!quant.uniform<i8:f32, 0.5>>) -> tensor<1x2x5x!quant.uniform<u8:f32, 0.25:10>> {
  %y = qnn.conv %x, %w strides = [1] padding = [1] dilations = [1] groups = 2 padding_mode = reflect : (tensor<1x2x5x!quant.uniform<u8:f32, 0.5:3>>, tensor<2x1x3x!quant.uniform<i8:f32, 0.5>>) -> tensor<1x2x5x!quant.uniform<u8:f32, 0.25:10>>
  return %y : tensor<1x2x5x!quant.uniform<u8:f32, 0.25:10>>
}
}

// -----

// Zero padding pads the stored input with its zero point (3).
// CHECK-LABEL: func @conv_zeros
// CHECK: %[[ZP:.+]] = arith.constant 3 : i8
// CHECK: tensor.pad %{{.+}} low[0, 0, 1] high[0, 0, 1]
// CHECK: tensor.yield %[[ZP]] : i8
module attributes {qnn.numerics = "qnnpack"} {
func.func @conv_zeros(%x: tensor<1x2x5x!quant.uniform<u8:f32, 0.5:3>>, %w: tensor<2x1x3x!quant.uniform<i8:f32, 0.5>>) -> tensor<1x2x5x!quant.uniform<u8:f32, 0.25:10>> {
  %y = qnn.conv %x, %w strides = [1] padding = [1] dilations = [1] groups = 2 : (tensor<1x2x5x!quant.uniform<u8:f32, 0.5:3>>, tensor<2x1x3x!quant.uniform<i8:f32, 0.5>>) -> tensor<1x2x5x!quant.uniform<u8:f32, 0.25:10>>
  return %y : tensor<1x2x5x!quant.uniform<u8:f32, 0.25:10>>
}
}

// -----

// A single-group conv with a constant weight uses im2col and the runtime's
// GEMM: the padded input goes channels-last, patches are gathered with
// channels innermost into A[N * H * W, KH * KW * C] (with unit dilation, each
// row of KW taps times C channels is one contiguous copy), the packed weight is
// read in the same order, and the epilogue reads the channels-last
// accumulator (N x H x W x groups x O/groups, qnn.int_conv's layout) and
// writes N x groups x O/groups x H x W directly, collapsed to N x O x H x W.
// CHECK-DAG: #[[NCHW:.+]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d3, d4, d1, d2)>
// CHECK-DAG: #[[TAPS:.+]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1 + d3, d2 * 2 + d4)>
// CHECK-LABEL: func @conv_im2col
// CHECK-SAME: (%[[X:.+]]: tensor<1x2x4x4xi8>)
// CHECK: %[[P:.+]] = tensor.pad %[[X]] low[0, 0, 1, 1] high[0, 0, 1, 1]
// CHECK: %[[NHWC:.+]] = linalg.transpose ins(%[[P]] : tensor<1x2x6x6xi8>) outs(%{{.+}} : tensor<1x6x6x2xi8>) permutation = [0, 2, 3, 1]
// CHECK: %[[ROWS:.+]] = tensor.collapse_shape %[[NHWC]] {{\[}}[0], [1], [2, 3]] : tensor<1x6x6x2xi8> into tensor<1x6x12xi8>
// CHECK: %[[PATCH:.+]] = linalg.generic {indexing_maps = [#[[TAPS]], #{{.+}}], {{.+}} ins(%[[ROWS]] : tensor<1x6x12xi8>) outs(%{{.+}} : tensor<1x4x4x3x6xi8>)
// CHECK: %[[A:.+]] = tensor.collapse_shape %[[PATCH]] {{\[}}[0, 1, 2], [3, 4]] : tensor<1x4x4x3x6xi8> into tensor<16x18xi8>
// CHECK: %[[ACC:.+]] = linalg.generic {{.+}} library_call = "qnn_gemm_u8s8s32"} ins(%[[A]], %{{.+}} : tensor<16x18xi8>, tensor<1x5x16x4xi8>) outs(%{{.+}} : tensor<16x3xi32>)
// CHECK: %[[ACC5:.+]] = tensor.expand_shape %[[ACC]] {{\[}}[0, 1, 2], [3, 4]] output_shape [1, 4, 4, 1, 3]
// CHECK: %[[Y:.+]] = linalg.generic {indexing_maps = [#{{.+}}, #{{.+}}, #{{.+}}, #{{.+}}, #[[NCHW]]], {{.+}} ins(%[[ACC5]], {{.+}} outs(%{{.+}} : tensor<1x1x3x4x4xi8>)
// CHECK: %[[R:.+]] = tensor.collapse_shape %[[Y]] {{\[}}[0], [1, 2], [3], [4]] : tensor<1x1x3x4x4xi8> into tensor<1x3x4x4xi8>
// CHECK: return %[[R]]
module attributes {qnn.numerics = "onednn"} {
func.func @conv_im2col(%x: tensor<1x2x4x4x!quant.uniform<u8:f32, 0.5:3>>) -> tensor<1x3x4x4x!quant.uniform<u8:f32, 0.25:10>> {
  %ws = arith.constant dense<1> : tensor<3x2x3x3xi8>
  %w = quant.scast %ws : tensor<3x2x3x3xi8> to tensor<3x2x3x3x!quant.uniform<i8:f32, 0.5>>
  %y = qnn.conv %x, %w strides = [1, 1] padding = [1, 1] dilations = [1, 1] groups = 1 : (tensor<1x2x4x4x!quant.uniform<u8:f32, 0.5:3>>, tensor<3x2x3x3x!quant.uniform<i8:f32, 0.5>>) -> tensor<1x3x4x4x!quant.uniform<u8:f32, 0.25:10>>
  return %y : tensor<1x3x4x4x!quant.uniform<u8:f32, 0.25:10>>
}
}

// -----

// onednn_no_vnni: PyTorch's onednn on x86 without VNNI sums products in
// int16-saturated pairs of consecutive k. An odd K (5) is padded with a zero
// column; the pair-sum generic reads k = 2j and 2j + 1 of the same operands
// (plus a shape-only window for j) and calls the runtime's sat16 GEMM.
// CHECK-DAG: #[[EVEN:.+]] = affine_map<(d0, d1, d2) -> (d0, d2 * 2)>
// CHECK-DAG: #[[ODD:.+]] = affine_map<(d0, d1, d2) -> (d0, d2 * 2 + 1)>
// CHECK-LABEL: func @linear_pairs
// CHECK-SAME: (%[[X:.+]]: tensor<2x5xi8>)
// CHECK-DAG: %[[LO:.+]] = arith.constant -32768 : i32
// CHECK-DAG: %[[HI:.+]] = arith.constant 32767 : i32
// CHECK: %[[P:.+]] = tensor.pad %[[X]] low[0, 0] high[0, 1]
// CHECK: %[[WIN:.+]] = tensor.empty() : tensor<3xi8>
// CHECK: linalg.generic {indexing_maps = [#[[EVEN]], #[[ODD]], {{.+}}], iterator_types = ["parallel", "parallel", "reduction"], library_call = "qnn_gemm_u8s8s32_sat16"} ins(%[[P]], %[[P]], %[[W:.+]], %[[W]], %[[WIN]] :
// CHECK: %[[PAIR:.+]] = arith.addi
// CHECK-NEXT: %[[S0:.+]] = arith.maxsi %[[PAIR]], %[[LO]]
// CHECK-NEXT: %[[S1:.+]] = arith.minsi %[[S0]], %[[HI]]
// CHECK-NEXT: arith.addi %{{.+}}, %[[S1]]
module attributes {qnn.numerics = "onednn_no_vnni"} {
func.func @linear_pairs(%x: tensor<2x5x!quant.uniform<u8:f32, 0.5:3>>) -> tensor<2x4x!quant.uniform<u8:f32, 0.25:10>> {
  %ws = arith.constant dense<1> : tensor<4x5xi8>
  %w = quant.scast %ws : tensor<4x5xi8> to tensor<4x5x!quant.uniform<i8:f32, 0.5>>
  %y = qnn.linear %x, %w : (tensor<2x5x!quant.uniform<u8:f32, 0.5:3>>, tensor<4x5x!quant.uniform<i8:f32, 0.5>>) -> tensor<2x4x!quant.uniform<u8:f32, 0.25:10>>
  return %y : tensor<2x4x!quant.uniform<u8:f32, 0.25:10>>
}
}

// -----

// onednn_no_vnni pairs a conv's consecutive input channels: three channels
// get a fourth, zero one, so no pair straddles two kernel positions.
// CHECK-LABEL: func @conv_odd_channels
// CHECK: tensor.pad %{{.+}} low[0, 0, 0, 0] high[0, 1, 0, 0]
// CHECK: } : tensor<1x3x4x4xi8> to tensor<1x4x4x4xi8>
// CHECK: library_call = "qnn_gemm_u8s8s32_sat16"
module attributes {qnn.numerics = "onednn_no_vnni"} {
func.func @conv_odd_channels(%x: tensor<1x3x4x4x!quant.uniform<u8:f32, 0.5:3>>) -> tensor<1x2x2x2x!quant.uniform<u8:f32, 0.25:10>> {
  %ws = arith.constant dense<1> : tensor<2x3x3x3xi8>
  %w = quant.scast %ws : tensor<2x3x3x3xi8> to tensor<2x3x3x3x!quant.uniform<i8:f32, 0.5>>
  %y = qnn.conv %x, %w strides = [1, 1] padding = [0, 0] dilations = [1, 1] groups = 1 : (tensor<1x3x4x4x!quant.uniform<u8:f32, 0.5:3>>, tensor<2x3x3x3x!quant.uniform<i8:f32, 0.5>>) -> tensor<1x2x2x2x!quant.uniform<u8:f32, 0.25:10>>
  return %y : tensor<1x2x2x2x!quant.uniform<u8:f32, 0.25:10>>
}
}

// -----

// A single-group conv whose weight is an argument: its pairs are summed by
// the direct form, but the term of the zero padding onednn skips needs the
// weight's values at compile time.
module attributes {qnn.numerics = "onednn_no_vnni"} {
func.func @conv_argument_weight(%x: tensor<1x2x4x4x!quant.uniform<u8:f32, 0.5:3>>, %w: tensor<2x2x3x3x!quant.uniform<i8:f32, 0.5>>) -> tensor<1x2x4x4x!quant.uniform<u8:f32, 0.25:10>> {
  // expected-error @+2 {{'qnn.conv' op 'onednn_no_vnni' numerics needs a constant weight for a padded convolution whose channels it sums in saturating pairs}}
  // expected-error @+1 {{failed to legalize operation 'qnn.conv'}}
  %y = qnn.conv %x, %w strides = [1, 1] padding = [1, 1] dilations = [1, 1] groups = 1 : (tensor<1x2x4x4x!quant.uniform<u8:f32, 0.5:3>>, tensor<2x2x3x3x!quant.uniform<i8:f32, 0.5>>) -> tensor<1x2x4x4x!quant.uniform<u8:f32, 0.25:10>>
  return %y : tensor<1x2x4x4x!quant.uniform<u8:f32, 0.25:10>>
}
}

// -----

// Without padding the pairs of an argument weight are the direct form's.
// CHECK-LABEL: func @conv_argument_weight_pairs
// CHECK: arith.minsi
// CHECK-NOT: library_call
module attributes {qnn.numerics = "onednn_no_vnni"} {
func.func @conv_argument_weight_pairs(%x: tensor<1x2x4x4x!quant.uniform<u8:f32, 0.5:3>>, %w: tensor<2x2x3x3x!quant.uniform<i8:f32, 0.5>>) -> tensor<1x2x2x2x!quant.uniform<u8:f32, 0.25:10>> {
  %y = qnn.conv %x, %w strides = [1, 1] padding = [0, 0] dilations = [1, 1] groups = 1 : (tensor<1x2x4x4x!quant.uniform<u8:f32, 0.5:3>>, tensor<2x2x3x3x!quant.uniform<i8:f32, 0.5>>) -> tensor<1x2x2x2x!quant.uniform<u8:f32, 0.25:10>>
  return %y : tensor<1x2x2x2x!quant.uniform<u8:f32, 0.25:10>>
}
}

// -----

// Casts and clamps need no engine; relu6 clamps to zp + 6 / scale = 22.
// CHECK-LABEL: func @clamps
// CHECK-SAME: (%[[X:.+]]: tensor<4xi8>)
// CHECK-DAG: %[[ZP:.+]] = arith.constant 10 : i8
// CHECK-DAG: %[[SIX:.+]] = arith.constant 22 : i8
// CHECK: %[[R:.+]] = linalg.generic {{.+}} ins(%[[X]] : tensor<4xi8>)
// CHECK: arith.maxui %{{.+}}, %[[ZP]]
// CHECK: %[[R6:.+]] = linalg.generic {{.+}} ins(%[[X]] : tensor<4xi8>)
// CHECK: %[[LO:.+]] = arith.maxui %{{.+}}, %[[ZP]]
// CHECK: arith.minui %[[LO]], %[[SIX]]
// CHECK: return %[[R]], %[[R6]]
func.func @clamps(%x: tensor<4x!quant.uniform<u8:f32, 0.5:10>>) -> (tensor<4x!quant.uniform<u8:f32, 0.5:10>>, tensor<4x!quant.uniform<u8:f32, 0.5:10>>) {
  %r = qnn.activation relu %x : tensor<4x!quant.uniform<u8:f32, 0.5:10>> -> tensor<4x!quant.uniform<u8:f32, 0.5:10>>
  %r6 = qnn.activation relu6 %x : tensor<4x!quant.uniform<u8:f32, 0.5:10>> -> tensor<4x!quant.uniform<u8:f32, 0.5:10>>
  return %r, %r6 : tensor<4x!quant.uniform<u8:f32, 0.5:10>>, tensor<4x!quant.uniform<u8:f32, 0.5:10>>
}

// -----

// expected-error @+1 {{lowering qnn.add needs the engine whose arithmetic to reproduce: add a 'qnn.numerics' attribute ("onednn", "qnnpack" or "onednn_no_vnni") to the module}}
module {
func.func @no_engine(%a: tensor<4x!quant.uniform<u8:f32, 0.5>>) -> tensor<4x!quant.uniform<u8:f32, 0.5>> {
  %s = qnn.add %a, %a : tensor<4x!quant.uniform<u8:f32, 0.5>>, tensor<4x!quant.uniform<u8:f32, 0.5>> -> tensor<4x!quant.uniform<u8:f32, 0.5>>
  return %s : tensor<4x!quant.uniform<u8:f32, 0.5>>
}
}

// -----

// A transposed conv under onednn_no_vnni, as oneDNN's AVX2 deconvolution
// computes it: the input spread with code 0 (not its zero point 3), the
// channels of every group (two here) summed in saturating pairs, and the
// zero point's term over the skipped taps added at compile time, per output
// position and channel. Group 0's flipped weights [3, 2, 1], [6, 5, 4] have
// tap sums 9, 7, 5 (times zx: 27, 21, 15); output 0 reads spread positions
// 0, 1 (gaps) and 2 (x[0]): 27 + 21 = 48; output 1 reads 1 (gap), 2, 3
// (gap): 27 + 15 = 42.
// CHECK-LABEL: func @conv_transpose_pairs
// CHECK-DAG:  %[[TERM:.+]] = arith.constant dense<{{\[\[}}48, 36], [42, 36], [21, 18], [42, 36], [21, 18], [42, 36], [36, 36]]> : tensor<7x2xi32>
// CHECK-DAG:  %[[FILL:.+]] = arith.constant dense<0> : tensor<1x4x9xi8>
// CHECK:      tensor.insert_slice %{{.+}} into %[[FILL]][0, 0, 2] [1, 4, 3] [1, 1, 2]
// CHECK:      arith.minsi
// CHECK:      ins(%{{.+}}, %[[TERM]] :
module attributes {qnn.numerics = "onednn_no_vnni"} {
func.func @conv_transpose_pairs(%x: tensor<1x4x3x!quant.uniform<u8:f32, 0.5:3>>) -> tensor<1x2x7x!quant.uniform<u8:f32, 0.25:10>> {
  %ws = arith.constant dense<[[[1, 2, 3]], [[4, 5, 6]], [[-1, -2, -3]], [[7, 8, 9]]]> : tensor<4x1x3xi8>
  %w = quant.scast %ws : tensor<4x1x3xi8> to tensor<4x1x3x!quant.uniform<i8:f32, 0.5>>
  %y = qnn.conv_transpose %x, %w strides = [2] padding = [0] output_padding = [0] dilations = [1] groups = 2 : (tensor<1x4x3x!quant.uniform<u8:f32, 0.5:3>>, tensor<4x1x3x!quant.uniform<i8:f32, 0.5>>) -> tensor<1x2x7x!quant.uniform<u8:f32, 0.25:10>>
  return %y : tensor<1x2x7x!quant.uniform<u8:f32, 0.25:10>>
}
}

// -----

// The skipped taps' term needs the weight's values at compile time.
module attributes {qnn.numerics = "onednn_no_vnni"} {
func.func @conv_transpose_argument_weight(%x: tensor<1x4x3x!quant.uniform<u8:f32, 0.5:3>>, %w: tensor<4x1x3x!quant.uniform<i8:f32, 0.5>>) -> tensor<1x2x7x!quant.uniform<u8:f32, 0.25:10>> {
  // expected-error @+2 {{'qnn.conv_transpose' op 'onednn_no_vnni' numerics needs a constant weight for a transposed convolution (its skipped taps are summed at compile time)}}
  // expected-error @+1 {{failed to legalize operation 'qnn.conv_transpose'}}
  %y = qnn.conv_transpose %x, %w strides = [2] padding = [0] output_padding = [0] dilations = [1] groups = 2 : (tensor<1x4x3x!quant.uniform<u8:f32, 0.5:3>>, tensor<4x1x3x!quant.uniform<i8:f32, 0.5>>) -> tensor<1x2x7x!quant.uniform<u8:f32, 0.25:10>>
  return %y : tensor<1x2x7x!quant.uniform<u8:f32, 0.25:10>>
}
}
