// RUN: qnn-opt %s | qnn-opt | FileCheck %s
// RUN: qnn-opt %s --mlir-print-op-generic | qnn-opt | FileCheck %s

// Every qnn op survives printing and re-parsing, in both the custom and the
// generic form.

// CHECK: module attributes {qnn.numerics = "qnnpack"}
module attributes {qnn.numerics = "qnnpack"} {

// CHECK-LABEL: func @casts
func.func @casts(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // CHECK: %[[Q:.+]] = qnn.quantize %{{.+}} : tensor<2x3xf32> -> tensor<2x3x!quant.uniform<u8:f32, 1.000000e-01:3>>
  %q = qnn.quantize %x : tensor<2x3xf32> -> tensor<2x3x!quant.uniform<u8:f32, 0.1:3>>
  // CHECK: %[[R:.+]] = qnn.requantize %[[Q]] : tensor<2x3x!quant.uniform<u8:f32, 1.000000e-01:3>> -> tensor<2x3x!quant.uniform<i8<-127:127>:f32, 2.000000e-01>>
  %r = qnn.requantize %q : tensor<2x3x!quant.uniform<u8:f32, 0.1:3>> -> tensor<2x3x!quant.uniform<i8<-127:127>:f32, 0.2>>
  // CHECK: qnn.dequantize %[[R]] : tensor<2x3x!quant.uniform<i8<-127:127>:f32, 2.000000e-01>> -> tensor<2x3xf32>
  %d = qnn.dequantize %r : tensor<2x3x!quant.uniform<i8<-127:127>:f32, 0.2>> -> tensor<2x3xf32>
  return %d : tensor<2x3xf32>
}

// CHECK-LABEL: func @per_channel_casts
func.func @per_channel_casts(%w: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // CHECK: qnn.quantize %{{.+}} : tensor<2x3xf32> -> tensor<2x3x!quant.uniform<i8:f32:0, {5.000000e-01,2.500000e-01}>>
  %q = qnn.quantize %w : tensor<2x3xf32> -> tensor<2x3x!quant.uniform<i8:f32:0, {0.5:0, 0.25:0}>>
  // CHECK: qnn.dequantize %{{.+}} : tensor<2x3x!quant.uniform<i8:f32:0, {5.000000e-01,2.500000e-01}>> -> tensor<2x3xf32>
  %d = qnn.dequantize %q : tensor<2x3x!quant.uniform<i8:f32:0, {0.5:0, 0.25:0}>> -> tensor<2x3xf32>
  return %d : tensor<2x3xf32>
}

// CHECK-LABEL: func @linear
func.func @linear(%x: tensor<2x4x8x!quant.uniform<u8:f32, 0.1:3>>,
                  %w: tensor<16x8x!quant.uniform<i8:f32, 0.05:1>>,
                  %wc: tensor<16x8x!quant.uniform<i8<-127:127>:f32:0, {0.5,0.25,0.5,0.125,0.5,0.25,0.5,0.125,0.5,0.25,0.5,0.125,0.5,0.25,0.5,0.125}>>,
                  %b: tensor<16xf32>) {
  // CHECK: qnn.linear %{{.+}}, %{{.+}} : (tensor<2x4x8x!quant.uniform<u8:f32, 1.000000e-01:3>>, tensor<16x8x!quant.uniform<i8:f32, 5.000000e-02:1>>) -> tensor<2x4x16x!quant.uniform<u8:f32, 2.000000e-01>>
  %0 = qnn.linear %x, %w : (tensor<2x4x8x!quant.uniform<u8:f32, 0.1:3>>, tensor<16x8x!quant.uniform<i8:f32, 0.05:1>>) -> tensor<2x4x16x!quant.uniform<u8:f32, 0.2>>
  // CHECK: qnn.linear %{{.+}}, %{{.+}} bias(%{{.+}}) post_op = relu :
  %1 = qnn.linear %x, %w bias(%b) post_op = relu : (tensor<2x4x8x!quant.uniform<u8:f32, 0.1:3>>, tensor<16x8x!quant.uniform<i8:f32, 0.05:1>>, tensor<16xf32>) -> tensor<2x4x16x!quant.uniform<u8:f32, 0.2>>
  // CHECK: qnn.linear %{{.+}}, %{{.+}} post_op = leaky_relu(negative_slope = 1.250000e-01) intermediate(!quant.uniform<u8:f32, 5.000000e-02:128>) :
  %2 = qnn.linear %x, %wc post_op = leaky_relu(negative_slope = 0.125) intermediate(!quant.uniform<u8:f32, 0.05:128>) : (tensor<2x4x8x!quant.uniform<u8:f32, 0.1:3>>, tensor<16x8x!quant.uniform<i8<-127:127>:f32:0, {0.5,0.25,0.5,0.125,0.5,0.25,0.5,0.125,0.5,0.25,0.5,0.125,0.5,0.25,0.5,0.125}>>) -> tensor<2x4x16x!quant.uniform<u8:f32, 0.2>>
  // CHECK: qnn.linear %{{.+}}, %{{.+}} bias(%{{.+}}) post_op = tanh :
  %3 = qnn.linear %x, %w bias(%b) post_op = tanh : (tensor<2x4x8x!quant.uniform<u8:f32, 0.1:3>>, tensor<16x8x!quant.uniform<i8:f32, 0.05:1>>, tensor<16xf32>) -> tensor<2x4x16x!quant.uniform<u8:f32, 0.0078125:128>>
  return
}

// CHECK-LABEL: func @conv
func.func @conv(%x1: tensor<2x4x10x!quant.uniform<u8:f32, 0.1:3>>,
                %w1: tensor<6x2x3x!quant.uniform<i8:f32, 0.5>>,
                %x2: tensor<1x3x8x8x!quant.uniform<u8:f32, 0.1:3>>,
                %w2: tensor<4x3x3x3x!quant.uniform<i8:f32:0, {0.5, 0.25, 0.5, 0.125}>>,
                %b2: tensor<4xf32>,
                %a2: tensor<1x4x8x8x!quant.uniform<u8:f32, 0.3:7>>,
                %x3: tensor<1x2x4x6x6x!quant.uniform<u8:f32, 0.1:3>>,
                %w3: tensor<2x2x1x3x3x!quant.uniform<i8:f32, 0.5>>) {
  // CHECK: qnn.conv %{{.+}}, %{{.+}} strides = [2] padding = [1] dilations = [2] groups = 2 padding_mode = circular :
  %0 = qnn.conv %x1, %w1 strides = [2] padding = [1] dilations = [2] groups = 2 padding_mode = circular : (tensor<2x4x10x!quant.uniform<u8:f32, 0.1:3>>, tensor<6x2x3x!quant.uniform<i8:f32, 0.5>>) -> tensor<2x6x4x!quant.uniform<u8:f32, 0.2>>
  // CHECK: qnn.conv %{{.+}}, %{{.+}} bias(%{{.+}}) strides = [1, 1] padding = [1, 1] dilations = [1, 1] groups = 1 post_op = relu :
  %1 = qnn.conv %x2, %w2 bias(%b2) strides = [1, 1] padding = [1, 1] dilations = [1, 1] groups = 1 post_op = relu : (tensor<1x3x8x8x!quant.uniform<u8:f32, 0.1:3>>, tensor<4x3x3x3x!quant.uniform<i8:f32:0, {0.5, 0.25, 0.5, 0.125}>>, tensor<4xf32>) -> tensor<1x4x8x8x!quant.uniform<u8:f32, 0.2>>
  // CHECK: qnn.conv %{{.+}}, %{{.+}} bias(%{{.+}}) add(%{{.+}}) strides = [1, 1] padding = [1, 1] dilations = [1, 1] groups = 1 padding_mode = reflect post_op = relu :
  %2 = qnn.conv %x2, %w2 bias(%b2) add(%a2) strides = [1, 1] padding = [1, 1] dilations = [1, 1] groups = 1 padding_mode = reflect post_op = relu : (tensor<1x3x8x8x!quant.uniform<u8:f32, 0.1:3>>, tensor<4x3x3x3x!quant.uniform<i8:f32:0, {0.5, 0.25, 0.5, 0.125}>>, tensor<4xf32>, tensor<1x4x8x8x!quant.uniform<u8:f32, 0.3:7>>) -> tensor<1x4x8x8x!quant.uniform<u8:f32, 0.2>>
  // CHECK: qnn.conv %{{.+}}, %{{.+}} strides = [1, 2, 2] padding = [0, 1, 1] dilations = [1, 1, 1] groups = 1 padding_mode = replicate :
  %3 = qnn.conv %x3, %w3 strides = [1, 2, 2] padding = [0, 1, 1] dilations = [1, 1, 1] groups = 1 padding_mode = replicate : (tensor<1x2x4x6x6x!quant.uniform<u8:f32, 0.1:3>>, tensor<2x2x1x3x3x!quant.uniform<i8:f32, 0.5>>) -> tensor<1x2x4x3x3x!quant.uniform<u8:f32, 0.2>>
  return
}

// CHECK-LABEL: func @conv_transpose
func.func @conv_transpose(%x1: tensor<2x4x5x!quant.uniform<u8:f32, 0.1:3>>,
                          %w1: tensor<4x3x3x!quant.uniform<i8:f32, 0.5>>,
                          %x2: tensor<1x4x5x5x!quant.uniform<u8:f32, 0.1:3>>,
                          %w2: tensor<4x6x3x3x!quant.uniform<i8:f32:1, {0.5, 0.25, 0.5, 0.125, 0.5, 0.25}>>,
                          %b2: tensor<6xf32>) {
  // CHECK: qnn.conv_transpose %{{.+}}, %{{.+}} strides = [2] padding = [1] output_padding = [1] dilations = [1] groups = 2 :
  %0 = qnn.conv_transpose %x1, %w1 strides = [2] padding = [1] output_padding = [1] dilations = [1] groups = 2 : (tensor<2x4x5x!quant.uniform<u8:f32, 0.1:3>>, tensor<4x3x3x!quant.uniform<i8:f32, 0.5>>) -> tensor<2x6x10x!quant.uniform<u8:f32, 0.2>>
  // CHECK: qnn.conv_transpose %{{.+}}, %{{.+}} bias(%{{.+}}) strides = [1, 2] padding = [0, 1] output_padding = [0, 0] dilations = [2, 1] groups = 1 :
  %1 = qnn.conv_transpose %x2, %w2 bias(%b2) strides = [1, 2] padding = [0, 1] output_padding = [0, 0] dilations = [2, 1] groups = 1 : (tensor<1x4x5x5x!quant.uniform<u8:f32, 0.1:3>>, tensor<4x6x3x3x!quant.uniform<i8:f32:1, {0.5, 0.25, 0.5, 0.125, 0.5, 0.25}>>, tensor<6xf32>) -> tensor<1x6x9x9x!quant.uniform<u8:f32, 0.2>>
  return
}

// CHECK-LABEL: func @embedding
func.func @embedding(%codes: tensor<10x12xi8>, %s: tensor<10xf32>, %b: tensor<10xf32>,
                     %codes4: tensor<10x12xi8>, %s4: tensor<10xf16>, %b4: tensor<10xf16>,
                     %i: tensor<2x3xi64>, %j: tensor<7xi32>, %o: tensor<3xi64>, %psw: tensor<7xf32>,
                     %table: tensor<10x12xf32>) {
  // CHECK: qnn.embedding %{{.+}}, %{{.+}} row_parameters(%{{.+}}, %{{.+}}) : (tensor<10x12xi8>, tensor<2x3xi64>, tensor<10xf32>, tensor<10xf32>) -> tensor<2x3x12xf32>
  %0 = qnn.embedding %codes, %i row_parameters(%s, %b) : (tensor<10x12xi8>, tensor<2x3xi64>, tensor<10xf32>, tensor<10xf32>) -> tensor<2x3x12xf32>
  // CHECK: qnn.embedding_bag %{{.+}}, %{{.+}}, %{{.+}} row_parameters(%{{.+}}, %{{.+}}) per_sample_weights(%{{.+}}) mode = sum :
  %1 = qnn.embedding_bag %codes, %j, %o row_parameters(%s, %b) per_sample_weights(%psw) mode = sum : (tensor<10x12xi8>, tensor<7xi32>, tensor<3xi64>, tensor<10xf32>, tensor<10xf32>, tensor<7xf32>) -> tensor<3x12xf32>
  // CHECK: qnn.embedding_bag %{{.+}}, %{{.+}}, %{{.+}} row_parameters(%{{.+}}, %{{.+}}) mode = max include_last_offset padding_idx = 3 :
  %2 = qnn.embedding_bag %codes4, %j, %o row_parameters(%s4, %b4) mode = max include_last_offset padding_idx = 3 : (tensor<10x12xi8>, tensor<7xi32>, tensor<3xi64>, tensor<10xf16>, tensor<10xf16>) -> tensor<2x12xf32>
  // A float table (the reference form).
  // CHECK: qnn.embedding %{{.+}}, %{{.+}} : (tensor<10x12xf32>, tensor<2x3xi64>) -> tensor<2x3x12xf32>
  %3 = qnn.embedding %table, %i : (tensor<10x12xf32>, tensor<2x3xi64>) -> tensor<2x3x12xf32>
  // CHECK: qnn.embedding_bag %{{.+}}, %{{.+}}, %{{.+}} per_sample_weights(%{{.+}}) mode = sum :
  %4 = qnn.embedding_bag %table, %j, %o per_sample_weights(%psw) mode = sum : (tensor<10x12xf32>, tensor<7xi32>, tensor<3xi64>, tensor<7xf32>) -> tensor<3x12xf32>
  return
}

// CHECK-LABEL: func @integer_contractions
func.func @integer_contractions(%x: tensor<2x8xi8>, %w: tensor<4x8xi8>, %cx: tensor<1x4x6xi8>, %cw: tensor<6x2x3xi8>) {
  // CHECK: qnn.int_matmul %{{.+}}, %{{.+}} {pair_restarts = array<i64: 3>, rhs_signed, saturating_pairs, strategy = "generic"} : (tensor<2x8xi8>, tensor<4x8xi8>) -> tensor<2x4xi32>
  %0 = qnn.int_matmul %x, %w {rhs_signed, saturating_pairs, pair_restarts = array<i64: 3>, strategy = "generic"} : (tensor<2x8xi8>, tensor<4x8xi8>) -> tensor<2x4xi32>
  // CHECK: qnn.int_conv %{{.+}}, %{{.+}} strides = [1] dilations = [1] groups = 2 {strategy = "direct", weight_signed} : (tensor<1x4x6xi8>, tensor<6x2x3xi8>) -> tensor<1x4x2x3xi32>
  %1 = qnn.int_conv %cx, %cw strides = [1] dilations = [1] groups = 2 {weight_signed, strategy = "direct"} : (tensor<1x4x6xi8>, tensor<6x2x3xi8>) -> tensor<1x4x2x3xi32>
  return
}

// CHECK-LABEL: func @elementwise
func.func @elementwise(%a: tensor<4x!quant.uniform<u8:f32, 0.1:3>>,
                       %b: tensor<4x!quant.uniform<u8:f32, 0.2>>) {
  // CHECK: qnn.add %{{.+}}, %{{.+}} : tensor<4x!quant.uniform<u8:f32, 1.000000e-01:3>>, tensor<4x!quant.uniform<u8:f32, 2.000000e-01>> -> tensor<4x!quant.uniform<u8:f32, 3.000000e-01:1>>
  %0 = qnn.add %a, %b : tensor<4x!quant.uniform<u8:f32, 0.1:3>>, tensor<4x!quant.uniform<u8:f32, 0.2>> -> tensor<4x!quant.uniform<u8:f32, 0.3:1>>
  // CHECK: qnn.add %{{.+}}, %{{.+}} post_op = relu :
  %1 = qnn.add %a, %b post_op = relu : tensor<4x!quant.uniform<u8:f32, 0.1:3>>, tensor<4x!quant.uniform<u8:f32, 0.2>> -> tensor<4x!quant.uniform<u8:f32, 0.3:1>>
  // CHECK: qnn.activation relu %{{.+}} : tensor<4x!quant.uniform<u8:f32, 1.000000e-01:3>> -> tensor<4x!quant.uniform<u8:f32, 1.000000e-01:3>>
  %2 = qnn.activation relu %a : tensor<4x!quant.uniform<u8:f32, 0.1:3>> -> tensor<4x!quant.uniform<u8:f32, 0.1:3>>
  // CHECK: qnn.activation relu6 %{{.+}} : tensor<4x!quant.uniform<u8:f32, 1.000000e-01:3>> -> tensor<4x!quant.uniform<u8:f32, 1.000000e-01:3>>
  %3 = qnn.activation relu6 %a : tensor<4x!quant.uniform<u8:f32, 0.1:3>> -> tensor<4x!quant.uniform<u8:f32, 0.1:3>>
  return
}

// Dynamic dimensions are accepted where they cannot be checked.
// CHECK-LABEL: func @dynamic
func.func @dynamic(%x: tensor<?x8x!quant.uniform<u8:f32, 0.1:3>>,
                   %w: tensor<16x8x!quant.uniform<i8:f32, 0.05>>) -> tensor<?x16x!quant.uniform<u8:f32, 0.2>> {
  // CHECK: qnn.linear %{{.+}}, %{{.+}} : (tensor<?x8x!quant.uniform<u8:f32, 1.000000e-01:3>>
  %0 = qnn.linear %x, %w : (tensor<?x8x!quant.uniform<u8:f32, 0.1:3>>, tensor<16x8x!quant.uniform<i8:f32, 0.05>>) -> tensor<?x16x!quant.uniform<u8:f32, 0.2>>
  return %0 : tensor<?x16x!quant.uniform<u8:f32, 0.2>>
}

// Every entry of the activation table, with parameters where it has some
// (printed only where they differ from the defaults).
// CHECK-LABEL: func @activations
func.func @activations(%a: tensor<2x3x!quant.uniform<u8:f32, 0.1:3>>, %s: tensor<2x3x!quant.uniform<i8:f32, 0.05>>, %w: tensor<3x!quant.uniform<u8:f32, 0.01:100>>, %i: tensor<2x3x!quant.uniform<i32:f32, 0.5>>) {
  // CHECK: qnn.activation hardtanh(min_val = -2.000000e+00, max_val = 5.000000e-01) %{{.+}} : tensor<2x3x!quant.uniform<u8:f32, 1.000000e-01:3>> -> tensor<2x3x!quant.uniform<u8:f32, 1.000000e-01:3>>
  %0 = qnn.activation hardtanh(min_val = -2.0, max_val = 0.5) %a : tensor<2x3x!quant.uniform<u8:f32, 0.1:3>> -> tensor<2x3x!quant.uniform<u8:f32, 0.1:3>>
  // CHECK: qnn.activation leaky_relu %{{.+}} : tensor<2x3x!quant.uniform<i8:f32, 5.000000e-02>> -> tensor<2x3x!quant.uniform<i8:f32, 5.000000e-02>>
  %1 = qnn.activation leaky_relu(negative_slope = 0.01) %s : tensor<2x3x!quant.uniform<i8:f32, 0.05>> -> tensor<2x3x!quant.uniform<i8:f32, 0.05>>
  // CHECK: qnn.activation elu(alpha = 1.500000e+00, input_scale = 2.000000e+00) %{{.+}} : tensor<2x3x!quant.uniform<u8:f32, 1.000000e-01:3>> -> tensor<2x3x!quant.uniform<u8:f32, 2.000000e-01:20>>
  %2 = qnn.activation elu(input_scale = 2.0, alpha = 1.5) %a : tensor<2x3x!quant.uniform<u8:f32, 0.1:3>> -> tensor<2x3x!quant.uniform<u8:f32, 0.2:20>>
  // CHECK: qnn.activation sigmoid %{{.+}} -> tensor<2x3x!quant.uniform<u8:f32, 3.906250e-03>>
  %3 = qnn.activation sigmoid %a : tensor<2x3x!quant.uniform<u8:f32, 0.1:3>> -> tensor<2x3x!quant.uniform<u8:f32, 0.00390625>>
  // CHECK: qnn.activation tanh %{{.+}} -> tensor<2x3x!quant.uniform<u8:f32, 7.812500e-03:128>>
  %4 = qnn.activation tanh %a : tensor<2x3x!quant.uniform<u8:f32, 0.1:3>> -> tensor<2x3x!quant.uniform<u8:f32, 0.0078125:128>>
  // CHECK: qnn.activation hardsigmoid %{{.+}} -> tensor<2x3x!quant.uniform<u8:f32, 3.906250e-03>>
  %5 = qnn.activation hardsigmoid %a : tensor<2x3x!quant.uniform<u8:f32, 0.1:3>> -> tensor<2x3x!quant.uniform<u8:f32, 0.00390625>>
  // CHECK: qnn.activation hardswish %{{.+}} -> tensor<2x3x!quant.uniform<u8:f32, 5.000000e-02:10>>
  %6 = qnn.activation hardswish %a : tensor<2x3x!quant.uniform<u8:f32, 0.1:3>> -> tensor<2x3x!quant.uniform<u8:f32, 0.05:10>>
  // CHECK: qnn.activation prelu %{{.+}} weight(%{{.+}}) : tensor<2x3x!quant.uniform<u8:f32, 1.000000e-01:3>>, tensor<3x!quant.uniform<u8:f32, 1.000000e-02:100>> -> tensor<2x3x!quant.uniform<u8:f32, 1.000000e-01:3>>
  %7 = qnn.activation prelu %a weight(%w) : tensor<2x3x!quant.uniform<u8:f32, 0.1:3>>, tensor<3x!quant.uniform<u8:f32, 0.01:100>> -> tensor<2x3x!quant.uniform<u8:f32, 0.1:3>>
  // qint32 relu: a clamp of 32-bit codes.
  // CHECK: qnn.activation relu %{{.+}} : tensor<2x3x!quant.uniform<i32:f32, 5.000000e-01>> -> tensor<2x3x!quant.uniform<i32:f32, 5.000000e-01>>
  %8 = qnn.activation relu %i : tensor<2x3x!quant.uniform<i32:f32, 0.5>> -> tensor<2x3x!quant.uniform<i32:f32, 0.5>>
  return
}

// CHECK-LABEL: func @permute
func.func @permute(%x: tensor<2x3x4x!quant.uniform<u8:f32, 0.1:3>>, %w: tensor<2x3x!quant.uniform<i8:f32:1, {0.1, 0.2, 0.3}>>) {
  // CHECK: qnn.permute %{{.+}} permutation = [0, 2, 1] : tensor<2x3x4x!quant.uniform<u8:f32, 1.000000e-01:3>> -> tensor<2x4x3x!quant.uniform<u8:f32, 1.000000e-01:3>>
  %0 = qnn.permute %x permutation = [0, 2, 1] : tensor<2x3x4x!quant.uniform<u8:f32, 0.1:3>> -> tensor<2x4x3x!quant.uniform<u8:f32, 0.1:3>>
  // A per-channel axis moves with its dimension.
  // CHECK: qnn.permute %{{.+}} permutation = [1, 0] : {{.+}} -> tensor<3x2x!quant.uniform<i8:f32:0, {1.000000e-01,2.000000e-01,3.000000e-01}>>
  %1 = qnn.permute %w permutation = [1, 0] : tensor<2x3x!quant.uniform<i8:f32:1, {0.1, 0.2, 0.3}>> -> tensor<3x2x!quant.uniform<i8:f32:0, {0.1, 0.2, 0.3}>>
  return
}

// CHECK-LABEL: func @pooling
func.func @pooling(%x: tensor<1x4x8x8x!quant.uniform<u8:f32, 0.1:3>>, %s: tensor<2x3x9x!quant.uniform<i8:f32, 0.5>>) {
  // CHECK: qnn.max_pool %{{.+}} kernel = [3, 3] strides = [2, 2] padding = [1, 1] dilations = [1, 1] ceil_mode = false : tensor<1x4x8x8x!quant.uniform<u8:f32, 1.000000e-01:3>> -> tensor<1x4x4x4x!quant.uniform<u8:f32, 1.000000e-01:3>>
  %0 = qnn.max_pool %x kernel = [3, 3] strides = [2, 2] padding = [1, 1] dilations = [1, 1] ceil_mode = false : tensor<1x4x8x8x!quant.uniform<u8:f32, 0.1:3>> -> tensor<1x4x4x4x!quant.uniform<u8:f32, 0.1:3>>
  // CHECK: qnn.max_pool %{{.+}} kernel = [2] strides = [2] padding = [0] dilations = [2] ceil_mode = true : tensor<2x3x9x!quant.uniform<i8:f32, 5.000000e-01>> -> tensor<2x3x4x!quant.uniform<i8:f32, 5.000000e-01>>
  %1 = qnn.max_pool %s kernel = [2] strides = [2] padding = [0] dilations = [2] ceil_mode = true : tensor<2x3x9x!quant.uniform<i8:f32, 0.5>> -> tensor<2x3x4x!quant.uniform<i8:f32, 0.5>>
  return
}

// CHECK-LABEL: func @arithmetic
func.func @arithmetic(%a: tensor<2x3x!quant.uniform<u8:f32, 0.1:3>>, %b: tensor<3x!quant.uniform<u8:f32, 0.2>>) {
  // CHECK: qnn.add %{{.+}}, %{{.+}} : tensor<2x3x!quant.uniform<u8:f32, 1.000000e-01:3>>, tensor<3x!quant.uniform<u8:f32, 2.000000e-01>> -> tensor<2x3x!quant.uniform<u8:f32, 3.000000e-01:1>>
  %0 = qnn.add %a, %b : tensor<2x3x!quant.uniform<u8:f32, 0.1:3>>, tensor<3x!quant.uniform<u8:f32, 0.2>> -> tensor<2x3x!quant.uniform<u8:f32, 0.3:1>>
  // CHECK: qnn.mul %{{.+}}, %{{.+}} post_op = relu : tensor<2x3x!quant.uniform<u8:f32, 1.000000e-01:3>>, tensor<3x!quant.uniform<u8:f32, 2.000000e-01>> -> tensor<2x3x!quant.uniform<u8:f32, 5.000000e-02:7>>
  %1 = qnn.mul %a, %b post_op = relu : tensor<2x3x!quant.uniform<u8:f32, 0.1:3>>, tensor<3x!quant.uniform<u8:f32, 0.2>> -> tensor<2x3x!quant.uniform<u8:f32, 0.05:7>>
  // CHECK: qnn.add_scalar %{{.+}}, 2.000000e-01 : tensor<2x3x!quant.uniform<u8:f32, 1.000000e-01:3>> -> tensor<2x3x!quant.uniform<u8:f32, 1.000000e-01:1>>
  %2 = qnn.add_scalar %a, 0.2 : tensor<2x3x!quant.uniform<u8:f32, 0.1:3>> -> tensor<2x3x!quant.uniform<u8:f32, 0.1:1>>
  // CHECK: qnn.mul_scalar %{{.+}}, 3.000000e+00 post_op = relu : tensor<2x3x!quant.uniform<u8:f32, 1.000000e-01:3>> -> tensor<2x3x!quant.uniform<u8:f32, 0.30000000000000004:3>>
  %3 = qnn.mul_scalar %a, 3.0 post_op = relu : tensor<2x3x!quant.uniform<u8:f32, 0.1:3>> -> tensor<2x3x!quant.uniform<u8:f32, 0.30000000000000004:3>>
  return
}


// CHECK-LABEL: func @dynamic_quantization
func.func @dynamic_quantization(%x: tensor<2x3x8xf32>, %w: tensor<4x8x!quant.uniform<i8:f32:0, {0.5, 0.25, 0.5, 0.125}>>, %b: tensor<4xf32>) {
  // CHECK: %[[S:.+]], %[[Z:.+]] = qnn.choose_qparams %{{.+}} range = [0, 127] : tensor<2x3x8xf32>
  %s, %z = qnn.choose_qparams %x range = [0, 127] : tensor<2x3x8xf32>
  // CHECK: %[[Q:.+]] = qnn.quantize_dynamic %{{.+}}, %[[S]], %[[Z]] : tensor<2x3x8xf32> -> tensor<2x3x8x!quant.any<u8<0:127>:f32>>
  %q = qnn.quantize_dynamic %x, %s, %z : tensor<2x3x8xf32> -> tensor<2x3x8x!quant.any<u8<0:127>:f32>>
  // CHECK: qnn.dequantize_dynamic %[[Q]], %[[S]], %[[Z]] : tensor<2x3x8x!quant.any<u8<0:127>:f32>> -> tensor<2x3x8xf32>
  %d = qnn.dequantize_dynamic %q, %s, %z : tensor<2x3x8x!quant.any<u8<0:127>:f32>> -> tensor<2x3x8xf32>
  // CHECK: qnn.dynamic_linear %{{.+}}, %{{.+}} bias(%{{.+}}) reduce_range : (tensor<2x3x8xf32>, tensor<4x8x!quant.uniform<i8:f32:0, {5.000000e-01,2.500000e-01,5.000000e-01,1.250000e-01}>>, tensor<4xf32>) -> tensor<2x3x4xf32>
  %y = qnn.dynamic_linear %x, %w bias(%b) reduce_range : (tensor<2x3x8xf32>, tensor<4x8x!quant.uniform<i8:f32:0, {0.5, 0.25, 0.5, 0.125}>>, tensor<4xf32>) -> tensor<2x3x4xf32>
  // CHECK: qnn.dynamic_linear %{{.+}}, %{{.+}} : (tensor<2x3x8xf32>, {{.+}}) -> tensor<2x3x4xf32>
  %y2 = qnn.dynamic_linear %x, %w : (tensor<2x3x8xf32>, tensor<4x8x!quant.uniform<i8:f32:0, {0.5, 0.25, 0.5, 0.125}>>) -> tensor<2x3x4xf32>
  return
}


// CHECK-LABEL: func @dynamic_conv
func.func @dynamic_conv(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3x!quant.uniform<i8:f32, 0.05>>, %b: tensor<4xf32>, %wt: tensor<3x2x3x3x!quant.uniform<i8:f32, 0.05>>) {
  // CHECK: qnn.dynamic_conv %{{.+}}, %{{.+}} bias(%{{.+}}) strides = [1, 1] padding = [1, 1] dilations = [1, 1] groups = 1 reduce_range : (tensor<1x3x8x8xf32>, tensor<4x3x3x3x!quant.uniform<i8:f32, 5.000000e-02>>, tensor<4xf32>) -> tensor<1x4x8x8xf32>
  %0 = qnn.dynamic_conv %x, %w bias(%b) strides = [1, 1] padding = [1, 1] dilations = [1, 1] groups = 1 reduce_range : (tensor<1x3x8x8xf32>, tensor<4x3x3x3x!quant.uniform<i8:f32, 0.05>>, tensor<4xf32>) -> tensor<1x4x8x8xf32>
  // CHECK: qnn.dynamic_conv %{{.+}}, %{{.+}} strides = [2, 2] padding = [1, 1] dilations = [1, 1] groups = 1 padding_mode = reflect : (tensor<1x3x8x8xf32>, {{.+}}) -> tensor<1x4x4x4xf32>
  %1 = qnn.dynamic_conv %x, %w strides = [2, 2] padding = [1, 1] dilations = [1, 1] groups = 1 padding_mode = reflect : (tensor<1x3x8x8xf32>, tensor<4x3x3x3x!quant.uniform<i8:f32, 0.05>>) -> tensor<1x4x4x4xf32>
  // CHECK: qnn.dynamic_conv_transpose %{{.+}}, %{{.+}} strides = [2, 2] padding = [1, 1] output_padding = [1, 1] dilations = [1, 1] groups = 1 reduce_range : (tensor<1x3x8x8xf32>, {{.+}}) -> tensor<1x2x16x16xf32>
  %2 = qnn.dynamic_conv_transpose %x, %wt strides = [2, 2] padding = [1, 1] output_padding = [1, 1] dilations = [1, 1] groups = 1 reduce_range : (tensor<1x3x8x8xf32>, tensor<3x2x3x3x!quant.uniform<i8:f32, 0.05>>) -> tensor<1x2x16x16xf32>
  return
}

// CHECK-LABEL: func @float_activation
func.func @float_activation(%x: tensor<2x20xf32>) {
  // CHECK: qnn.float_activation sigmoid %{{.+}} scalar_ranges = [16, 20, 36, 40] : tensor<2x20xf32>
  %0 = qnn.float_activation sigmoid %x scalar_ranges = [16, 20, 36, 40] : tensor<2x20xf32>
  // CHECK: qnn.float_activation sigmoid %{{.+}} scalar_ranges = [38, 40] memory_order = [1, 0] : tensor<2x20xf32>
  %1 = qnn.float_activation sigmoid %x scalar_ranges = [38, 40] memory_order = [1, 0] : tensor<2x20xf32>
  // CHECK: qnn.float_activation tanh %{{.+}} : tensor<2x20xf32>
  %2 = qnn.float_activation tanh %x : tensor<2x20xf32>
  return
}

}
