// RUN: qnn-opt %s -split-input-file -verify-diagnostics

// One case for every verifier message of the qnn dialect.

func.func @non_uniform(%x: tensor<4xf32>) {
  // expected-error @+1 {{'qnn.quantize' op result must use a uniform quantized type, got '!quant.any<i8:f32>'}}
  %q = qnn.quantize %x : tensor<4xf32> -> tensor<4x!quant.any<i8:f32>>
  return
}

// -----

func.func @expressed_f16(%x: tensor<4xf32>) {
  // expected-error @+1 {{'qnn.quantize' op result must be expressed in f32, got 'f16'}}
  %q = qnn.quantize %x : tensor<4xf32> -> tensor<4x!quant.uniform<u8:f16, 0.1>>
  return
}

// -----

func.func @axis_out_of_range(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'qnn.quantize' op result is quantized along axis 2, out of range for rank 2}}
  %q = qnn.quantize %x : tensor<2x3xf32> -> tensor<2x3x!quant.uniform<i8:f32:2, {0.5, 0.25}>>
  return
}

// -----

func.func @axis_scale_count(%x: tensor<3x3xf32>) {
  // expected-error @+1 {{'qnn.quantize' op result has 2 per-axis scales but dimension 0 has size 3}}
  %q = qnn.quantize %x : tensor<3x3xf32> -> tensor<3x3x!quant.uniform<i8:f32:0, {0.5, 0.25}>>
  return
}

// -----

func.func @cast_shape(%x: tensor<4xf32>) {
  // expected-error @+1 {{'qnn.quantize' op input shape [4] does not match result shape [5]}}
  %q = qnn.quantize %x : tensor<4xf32> -> tensor<5x!quant.uniform<u8:f32, 0.1>>
  return
}

// -----

func.func @cast_float_type(%q: tensor<4x!quant.uniform<u8:f32, 0.1>>) {
  // expected-error @+1 {{'qnn.dequantize' op result float type must be f32, got 'f16'}}
  %x = qnn.dequantize %q : tensor<4x!quant.uniform<u8:f32, 0.1>> -> tensor<4xf16>
  return
}

// -----

func.func @activation_per_channel(%x: tensor<2x8x!quant.uniform<u8:f32:0, {0.1, 0.2}>>, %w: tensor<4x8x!quant.uniform<i8:f32, 0.05>>) {
  // expected-error @+1 {{'qnn.linear' op input must be quantized per tensor}}
  %y = qnn.linear %x, %w : (tensor<2x8x!quant.uniform<u8:f32:0, {0.1, 0.2}>>, tensor<4x8x!quant.uniform<i8:f32, 0.05>>) -> tensor<2x4x!quant.uniform<u8:f32, 0.2>>
  return
}

// -----

func.func @activation_width(%x: tensor<2x8x!quant.uniform<i16:f32, 0.1>>, %w: tensor<4x8x!quant.uniform<i8:f32, 0.05>>) {
  // expected-error @+1 {{'qnn.linear' op input storage must be 8-bit, got 16-bit}}
  %y = qnn.linear %x, %w : (tensor<2x8x!quant.uniform<i16:f32, 0.1>>, tensor<4x8x!quant.uniform<i8:f32, 0.05>>) -> tensor<2x4x!quant.uniform<u8:f32, 0.2>>
  return
}

// -----

// onednn's Linear and Conv take quint8 inputs only (qnnpack's take qint8 too).
module attributes {qnn.numerics = "onednn"} {
  func.func @engine_signed_activation(%x: tensor<2x8x!quant.uniform<i8:f32, 0.1>>, %w: tensor<4x8x!quant.uniform<i8:f32, 0.05>>) {
    // expected-error @+1 {{'qnn.linear' op 'onednn' numerics requires input with unsigned 8-bit (quint8) storage}}
    %y = qnn.linear %x, %w : (tensor<2x8x!quant.uniform<i8:f32, 0.1>>, tensor<4x8x!quant.uniform<i8:f32, 0.05>>) -> tensor<2x4x!quant.uniform<u8:f32, 0.2>>
    return
  }
}

// -----

func.func @weight_unsigned(%x: tensor<2x8x!quant.uniform<u8:f32, 0.1>>, %w: tensor<4x8x!quant.uniform<u8:f32, 0.05>>) {
  // expected-error @+1 {{'qnn.linear' op weight storage must be signed 8-bit (qint8), got u8}}
  %y = qnn.linear %x, %w : (tensor<2x8x!quant.uniform<u8:f32, 0.1>>, tensor<4x8x!quant.uniform<u8:f32, 0.05>>) -> tensor<2x4x!quant.uniform<u8:f32, 0.2>>
  return
}

// -----

func.func @weight_axis(%x: tensor<2x2x!quant.uniform<u8:f32, 0.1>>, %w: tensor<2x2x!quant.uniform<i8:f32:1, {0.5, 0.25}>>) {
  // expected-error @+1 {{'qnn.linear' op per-channel weight must be quantized along axis 0 (output channels), got axis 1}}
  %y = qnn.linear %x, %w : (tensor<2x2x!quant.uniform<u8:f32, 0.1>>, tensor<2x2x!quant.uniform<i8:f32:1, {0.5, 0.25}>>) -> tensor<2x2x!quant.uniform<u8:f32, 0.2>>
  return
}

// -----

module attributes {qnn.numerics = "onednn"} {
  func.func @onednn_weight_zero_point(%x: tensor<2x8x!quant.uniform<u8:f32, 0.1:3>>, %w: tensor<4x8x!quant.uniform<i8:f32, 0.05:2>>) {
    // expected-error @+1 {{'qnn.linear' op 'onednn' numerics requires weight zero point 0, got 2}}
    %y = qnn.linear %x, %w : (tensor<2x8x!quant.uniform<u8:f32, 0.1:3>>, tensor<4x8x!quant.uniform<i8:f32, 0.05:2>>) -> tensor<2x4x!quant.uniform<u8:f32, 0.2>>
    return
  }
}

// -----

func.func @bias_type(%x: tensor<2x8x!quant.uniform<u8:f32, 0.1>>, %w: tensor<4x8x!quant.uniform<i8:f32, 0.05>>, %b: tensor<4xf16>) {
  // expected-error @+1 {{'qnn.linear' op bias must be f32, got 'f16'}}
  %y = qnn.linear %x, %w bias(%b) : (tensor<2x8x!quant.uniform<u8:f32, 0.1>>, tensor<4x8x!quant.uniform<i8:f32, 0.05>>, tensor<4xf16>) -> tensor<2x4x!quant.uniform<u8:f32, 0.2>>
  return
}

// -----

func.func @bias_shape(%x: tensor<2x8x!quant.uniform<u8:f32, 0.1>>, %w: tensor<4x8x!quant.uniform<i8:f32, 0.05>>, %b: tensor<3xf32>) {
  // expected-error @+1 {{'qnn.linear' op bias must have shape [4], got [3]}}
  %y = qnn.linear %x, %w bias(%b) : (tensor<2x8x!quant.uniform<u8:f32, 0.1>>, tensor<4x8x!quant.uniform<i8:f32, 0.05>>, tensor<3xf32>) -> tensor<2x4x!quant.uniform<u8:f32, 0.2>>
  return
}

// -----

func.func @linear_input_rank(%x: tensor<8x!quant.uniform<u8:f32, 0.1>>, %w: tensor<4x8x!quant.uniform<i8:f32, 0.05>>) {
  // expected-error @+1 {{'qnn.linear' op input must have rank >= 2 ([..., in_features]), got rank 1}}
  %y = qnn.linear %x, %w : (tensor<8x!quant.uniform<u8:f32, 0.1>>, tensor<4x8x!quant.uniform<i8:f32, 0.05>>) -> tensor<4x!quant.uniform<u8:f32, 0.2>>
  return
}

// -----

func.func @linear_weight_rank(%x: tensor<2x8x!quant.uniform<u8:f32, 0.1>>, %w: tensor<1x4x8x!quant.uniform<i8:f32, 0.05>>) {
  // expected-error @+1 {{'qnn.linear' op weight must have rank 2 ([out_features, in_features]), got rank 3}}
  %y = qnn.linear %x, %w : (tensor<2x8x!quant.uniform<u8:f32, 0.1>>, tensor<1x4x8x!quant.uniform<i8:f32, 0.05>>) -> tensor<2x4x!quant.uniform<u8:f32, 0.2>>
  return
}

// -----

func.func @linear_features(%x: tensor<2x8x!quant.uniform<u8:f32, 0.1>>, %w: tensor<4x7x!quant.uniform<i8:f32, 0.05>>) {
  // expected-error @+1 {{'qnn.linear' op input has 8 features but the weight expects 7}}
  %y = qnn.linear %x, %w : (tensor<2x8x!quant.uniform<u8:f32, 0.1>>, tensor<4x7x!quant.uniform<i8:f32, 0.05>>) -> tensor<2x4x!quant.uniform<u8:f32, 0.2>>
  return
}

// -----

func.func @linear_result_shape(%x: tensor<2x8x!quant.uniform<u8:f32, 0.1>>, %w: tensor<4x8x!quant.uniform<i8:f32, 0.05>>) {
  // expected-error @+1 {{'qnn.linear' op result shape [2, 3] does not match expected [2, 4]}}
  %y = qnn.linear %x, %w : (tensor<2x8x!quant.uniform<u8:f32, 0.1>>, tensor<4x8x!quant.uniform<i8:f32, 0.05>>) -> tensor<2x3x!quant.uniform<u8:f32, 0.2>>
  return
}

// -----

func.func @unknown_activation(%x: tensor<2x8x!quant.uniform<u8:f32, 0.1>>, %w: tensor<4x8x!quant.uniform<i8:f32, 0.05>>) {
  // expected-error @+1 {{unknown activation 'swish'; qnn's activations are relu, relu6, hardtanh, leaky_relu, tanh, sigmoid, hardsigmoid, hardswish, elu, prelu}}
  %y = qnn.linear %x, %w post_op = swish : (tensor<2x8x!quant.uniform<u8:f32, 0.1>>, tensor<4x8x!quant.uniform<i8:f32, 0.05>>) -> tensor<2x4x!quant.uniform<u8:f32, 0.2>>
  return
}

// -----

func.func @unknown_activation_param(%x: tensor<2x8x!quant.uniform<u8:f32, 0.1>>, %w: tensor<4x8x!quant.uniform<i8:f32, 0.05>>) {
  // expected-error @+1 {{leaky_relu has no parameter 'alpha'; it takes negative_slope}}
  %y = qnn.linear %x, %w post_op = leaky_relu(alpha = 0.1) : (tensor<2x8x!quant.uniform<u8:f32, 0.1>>, tensor<4x8x!quant.uniform<i8:f32, 0.05>>) -> tensor<2x4x!quant.uniform<u8:f32, 0.2>>
  return
}

// -----

func.func @activation_without_params(%x: tensor<4x!quant.uniform<u8:f32, 0.1>>) {
  // expected-error @+1 {{relu has no parameter 'max'; it takes none}}
  %y = qnn.activation relu(max = 6.0) %x : tensor<4x!quant.uniform<u8:f32, 0.1>> -> tensor<4x!quant.uniform<u8:f32, 0.1>>
  return
}

// -----

func.func @hardtanh_bounds(%x: tensor<4x!quant.uniform<u8:f32, 0.1>>) {
  // expected-error @+1 {{hardtanh needs min_val <= max_val, got 2.000000e+00 > 1.000000e+00}}
  %y = qnn.activation hardtanh(min_val = 2.0) %x : tensor<4x!quant.uniform<u8:f32, 0.1>> -> tensor<4x!quant.uniform<u8:f32, 0.1>>
  return
}

// -----

func.func @intermediate_without_post_op(%x: tensor<2x8x!quant.uniform<u8:f32, 0.1>>, %w: tensor<4x8x!quant.uniform<i8:f32, 0.05>>) {
  // expected-error @+1 {{'qnn.linear' op intermediate type '!quant.uniform<u8:f32, 5.000000e-02>' needs a post_op or an add to reach the result type '!quant.uniform<u8:f32, 2.000000e-01>'}}
  %y = qnn.linear %x, %w intermediate(!quant.uniform<u8:f32, 0.05>) : (tensor<2x8x!quant.uniform<u8:f32, 0.1>>, tensor<4x8x!quant.uniform<i8:f32, 0.05>>) -> tensor<2x4x!quant.uniform<u8:f32, 0.2>>
  return
}

// -----

func.func @intermediate_width(%x: tensor<2x8x!quant.uniform<u8:f32, 0.1>>, %w: tensor<4x8x!quant.uniform<i8:f32, 0.05>>) {
  // expected-error @+1 {{'qnn.linear' op intermediate must be an 8-bit per-tensor uniform quantized type expressed in f32, got '!quant.uniform<i16:f32, 5.000000e-02>'}}
  %y = qnn.linear %x, %w post_op = tanh intermediate(!quant.uniform<i16:f32, 0.05>) : (tensor<2x8x!quant.uniform<u8:f32, 0.1>>, tensor<4x8x!quant.uniform<i8:f32, 0.05>>) -> tensor<2x4x!quant.uniform<u8:f32, 0.2>>
  return
}

// -----

func.func @post_op_with_weight(%x: tensor<2x8x!quant.uniform<u8:f32, 0.1>>, %w: tensor<4x8x!quant.uniform<i8:f32, 0.05>>) {
  // expected-error @+1 {{'qnn.linear' op post_op prelu takes a weight; use qnn.activation}}
  %y = qnn.linear %x, %w post_op = prelu : (tensor<2x8x!quant.uniform<u8:f32, 0.1>>, tensor<4x8x!quant.uniform<i8:f32, 0.05>>) -> tensor<2x4x!quant.uniform<u8:f32, 0.2>>
  return
}

// -----

func.func @conv_rank(%x: tensor<2x8x!quant.uniform<u8:f32, 0.1>>, %w: tensor<4x8x!quant.uniform<i8:f32, 0.05>>) {
  // expected-error @+1 {{'qnn.conv' op input must have rank 3, 4 or 5 (N, C, 1 to 3 spatial dimensions), got rank 2}}
  %y = qnn.conv %x, %w strides = [] padding = [] dilations = [] groups = 1 : (tensor<2x8x!quant.uniform<u8:f32, 0.1>>, tensor<4x8x!quant.uniform<i8:f32, 0.05>>) -> tensor<2x4x!quant.uniform<u8:f32, 0.2>>
  return
}

// -----

func.func @conv_weight_rank(%x: tensor<1x2x8x8x!quant.uniform<u8:f32, 0.1>>, %w: tensor<4x2x3x!quant.uniform<i8:f32, 0.05>>) {
  // expected-error @+1 {{'qnn.conv' op weight rank 3 does not match input rank 4}}
  %y = qnn.conv %x, %w strides = [1, 1] padding = [0, 0] dilations = [1, 1] groups = 1 : (tensor<1x2x8x8x!quant.uniform<u8:f32, 0.1>>, tensor<4x2x3x!quant.uniform<i8:f32, 0.05>>) -> tensor<1x4x6x6x!quant.uniform<u8:f32, 0.2>>
  return
}

// -----

func.func @conv_strides_size(%x: tensor<1x2x8x8x!quant.uniform<u8:f32, 0.1>>, %w: tensor<4x2x3x3x!quant.uniform<i8:f32, 0.05>>) {
  // expected-error @+1 {{'qnn.conv' op strides must have 2 entries (one per spatial dimension), got 1}}
  %y = qnn.conv %x, %w strides = [1] padding = [0, 0] dilations = [1, 1] groups = 1 : (tensor<1x2x8x8x!quant.uniform<u8:f32, 0.1>>, tensor<4x2x3x3x!quant.uniform<i8:f32, 0.05>>) -> tensor<1x4x6x6x!quant.uniform<u8:f32, 0.2>>
  return
}

// -----

func.func @conv_padding_size(%x: tensor<1x2x8x8x!quant.uniform<u8:f32, 0.1>>, %w: tensor<4x2x3x3x!quant.uniform<i8:f32, 0.05>>) {
  // expected-error @+1 {{'qnn.conv' op padding must have 2 entries (one per spatial dimension), got 3}}
  %y = qnn.conv %x, %w strides = [1, 1] padding = [0, 0, 0] dilations = [1, 1] groups = 1 : (tensor<1x2x8x8x!quant.uniform<u8:f32, 0.1>>, tensor<4x2x3x3x!quant.uniform<i8:f32, 0.05>>) -> tensor<1x4x6x6x!quant.uniform<u8:f32, 0.2>>
  return
}

// -----

func.func @conv_dilations_size(%x: tensor<1x2x8x8x!quant.uniform<u8:f32, 0.1>>, %w: tensor<4x2x3x3x!quant.uniform<i8:f32, 0.05>>) {
  // expected-error @+1 {{'qnn.conv' op dilations must have 2 entries (one per spatial dimension), got 0}}
  %y = qnn.conv %x, %w strides = [1, 1] padding = [0, 0] dilations = [] groups = 1 : (tensor<1x2x8x8x!quant.uniform<u8:f32, 0.1>>, tensor<4x2x3x3x!quant.uniform<i8:f32, 0.05>>) -> tensor<1x4x6x6x!quant.uniform<u8:f32, 0.2>>
  return
}

// -----

func.func @conv_stride_zero(%x: tensor<1x2x8x8x!quant.uniform<u8:f32, 0.1>>, %w: tensor<4x2x3x3x!quant.uniform<i8:f32, 0.05>>) {
  // expected-error @+1 {{'qnn.conv' op strides must be positive}}
  %y = qnn.conv %x, %w strides = [0, 1] padding = [0, 0] dilations = [1, 1] groups = 1 : (tensor<1x2x8x8x!quant.uniform<u8:f32, 0.1>>, tensor<4x2x3x3x!quant.uniform<i8:f32, 0.05>>) -> tensor<1x4x6x6x!quant.uniform<u8:f32, 0.2>>
  return
}

// -----

func.func @conv_dilation_zero(%x: tensor<1x2x8x8x!quant.uniform<u8:f32, 0.1>>, %w: tensor<4x2x3x3x!quant.uniform<i8:f32, 0.05>>) {
  // expected-error @+1 {{'qnn.conv' op dilations must be positive}}
  %y = qnn.conv %x, %w strides = [1, 1] padding = [0, 0] dilations = [1, 0] groups = 1 : (tensor<1x2x8x8x!quant.uniform<u8:f32, 0.1>>, tensor<4x2x3x3x!quant.uniform<i8:f32, 0.05>>) -> tensor<1x4x6x6x!quant.uniform<u8:f32, 0.2>>
  return
}

// -----

func.func @conv_negative_padding(%x: tensor<1x2x8x8x!quant.uniform<u8:f32, 0.1>>, %w: tensor<4x2x3x3x!quant.uniform<i8:f32, 0.05>>) {
  // expected-error @+1 {{'qnn.conv' op padding must be non-negative}}
  %y = qnn.conv %x, %w strides = [1, 1] padding = [-1, 0] dilations = [1, 1] groups = 1 : (tensor<1x2x8x8x!quant.uniform<u8:f32, 0.1>>, tensor<4x2x3x3x!quant.uniform<i8:f32, 0.05>>) -> tensor<1x4x6x6x!quant.uniform<u8:f32, 0.2>>
  return
}

// -----

func.func @conv_groups_zero(%x: tensor<1x2x8x8x!quant.uniform<u8:f32, 0.1>>, %w: tensor<4x2x3x3x!quant.uniform<i8:f32, 0.05>>) {
  // expected-error @+1 {{'qnn.conv' op groups must be positive, got 0}}
  %y = qnn.conv %x, %w strides = [1, 1] padding = [0, 0] dilations = [1, 1] groups = 0 : (tensor<1x2x8x8x!quant.uniform<u8:f32, 0.1>>, tensor<4x2x3x3x!quant.uniform<i8:f32, 0.05>>) -> tensor<1x4x6x6x!quant.uniform<u8:f32, 0.2>>
  return
}

// -----

func.func @conv_in_groups(%x: tensor<1x6x8x8x!quant.uniform<u8:f32, 0.1>>, %w: tensor<8x1x3x3x!quant.uniform<i8:f32, 0.05>>) {
  // expected-error @+1 {{'qnn.conv' op input channels (6) are not divisible by groups (4)}}
  %y = qnn.conv %x, %w strides = [1, 1] padding = [0, 0] dilations = [1, 1] groups = 4 : (tensor<1x6x8x8x!quant.uniform<u8:f32, 0.1>>, tensor<8x1x3x3x!quant.uniform<i8:f32, 0.05>>) -> tensor<1x8x6x6x!quant.uniform<u8:f32, 0.2>>
  return
}

// -----

func.func @conv_out_groups(%x: tensor<1x8x8x8x!quant.uniform<u8:f32, 0.1>>, %w: tensor<6x2x3x3x!quant.uniform<i8:f32:0, {1.0, 1.0, 1.0, 1.0, 1.0, 1.0}>>) {
  // expected-error @+1 {{'qnn.conv' op output channels (6) are not divisible by groups (4)}}
  %y = qnn.conv %x, %w strides = [1, 1] padding = [0, 0] dilations = [1, 1] groups = 4 : (tensor<1x8x8x8x!quant.uniform<u8:f32, 0.1>>, tensor<6x2x3x3x!quant.uniform<i8:f32:0, {1.0, 1.0, 1.0, 1.0, 1.0, 1.0}>>) -> tensor<1x6x6x6x!quant.uniform<u8:f32, 0.2>>
  return
}

// -----

func.func @conv_weight_channels(%x: tensor<1x4x8x8x!quant.uniform<u8:f32, 0.1>>, %w: tensor<4x3x3x3x!quant.uniform<i8:f32, 0.05>>) {
  // expected-error @+1 {{'qnn.conv' op weight expects 3 input channels per group (2 groups) but the input has 4}}
  %y = qnn.conv %x, %w strides = [1, 1] padding = [0, 0] dilations = [1, 1] groups = 2 : (tensor<1x4x8x8x!quant.uniform<u8:f32, 0.1>>, tensor<4x3x3x3x!quant.uniform<i8:f32, 0.05>>) -> tensor<1x4x6x6x!quant.uniform<u8:f32, 0.2>>
  return
}

// -----

func.func @conv_reflect_too_large(%x: tensor<1x2x3x!quant.uniform<u8:f32, 0.1>>, %w: tensor<4x2x3x!quant.uniform<i8:f32, 0.05>>) {
  // expected-error @+1 {{'qnn.conv' op reflect padding 3 is too large for input size 3 in spatial dimension 0}}
  %y = qnn.conv %x, %w strides = [1] padding = [3] dilations = [1] groups = 1 padding_mode = reflect : (tensor<1x2x3x!quant.uniform<u8:f32, 0.1>>, tensor<4x2x3x!quant.uniform<i8:f32, 0.05>>) -> tensor<1x4x7x!quant.uniform<u8:f32, 0.2>>
  return
}

// -----

func.func @ct_rank(%x: tensor<4x5x!quant.uniform<u8:f32, 0.1>>, %w: tensor<4x3x!quant.uniform<i8:f32, 0.05>>) {
  // expected-error @+1 {{'qnn.conv_transpose' op input must have rank 3, 4 or 5 (N, C, 1 to 3 spatial dimensions), got rank 2}}
  %y = qnn.conv_transpose %x, %w strides = [] padding = [] output_padding = [] dilations = [] groups = 1 : (tensor<4x5x!quant.uniform<u8:f32, 0.1>>, tensor<4x3x!quant.uniform<i8:f32, 0.05>>) -> tensor<4x3x!quant.uniform<u8:f32, 0.2>>
  return
}

// -----

func.func @ct_weight_rank(%x: tensor<1x4x5x!quant.uniform<u8:f32, 0.1>>, %w: tensor<4x3x3x3x!quant.uniform<i8:f32, 0.05>>) {
  // expected-error @+1 {{'qnn.conv_transpose' op weight rank 4 does not match input rank 3}}
  %y = qnn.conv_transpose %x, %w strides = [2] padding = [0] output_padding = [0] dilations = [1] groups = 1 : (tensor<1x4x5x!quant.uniform<u8:f32, 0.1>>, tensor<4x3x3x3x!quant.uniform<i8:f32, 0.05>>) -> tensor<1x3x11x!quant.uniform<u8:f32, 0.2>>
  return
}

// -----

func.func @ct_output_padding_size(%x: tensor<1x4x5x!quant.uniform<u8:f32, 0.1>>, %w: tensor<4x3x3x!quant.uniform<i8:f32, 0.05>>) {
  // expected-error @+1 {{'qnn.conv_transpose' op output_padding must have 1 entries (one per spatial dimension), got 0}}
  %y = qnn.conv_transpose %x, %w strides = [2] padding = [0] output_padding = [] dilations = [1] groups = 1 : (tensor<1x4x5x!quant.uniform<u8:f32, 0.1>>, tensor<4x3x3x!quant.uniform<i8:f32, 0.05>>) -> tensor<1x3x11x!quant.uniform<u8:f32, 0.2>>
  return
}

// -----

func.func @ct_stride_zero(%x: tensor<1x4x5x!quant.uniform<u8:f32, 0.1>>, %w: tensor<4x3x3x!quant.uniform<i8:f32, 0.05>>) {
  // expected-error @+1 {{'qnn.conv_transpose' op strides must be positive}}
  %y = qnn.conv_transpose %x, %w strides = [0] padding = [0] output_padding = [0] dilations = [1] groups = 1 : (tensor<1x4x5x!quant.uniform<u8:f32, 0.1>>, tensor<4x3x3x!quant.uniform<i8:f32, 0.05>>) -> tensor<1x3x11x!quant.uniform<u8:f32, 0.2>>
  return
}

// -----

func.func @ct_dilation_zero(%x: tensor<1x4x5x!quant.uniform<u8:f32, 0.1>>, %w: tensor<4x3x3x!quant.uniform<i8:f32, 0.05>>) {
  // expected-error @+1 {{'qnn.conv_transpose' op dilations must be positive}}
  %y = qnn.conv_transpose %x, %w strides = [2] padding = [0] output_padding = [0] dilations = [0] groups = 1 : (tensor<1x4x5x!quant.uniform<u8:f32, 0.1>>, tensor<4x3x3x!quant.uniform<i8:f32, 0.05>>) -> tensor<1x3x11x!quant.uniform<u8:f32, 0.2>>
  return
}

// -----

func.func @ct_negative_padding(%x: tensor<1x4x5x!quant.uniform<u8:f32, 0.1>>, %w: tensor<4x3x3x!quant.uniform<i8:f32, 0.05>>) {
  // expected-error @+1 {{'qnn.conv_transpose' op padding must be non-negative}}
  %y = qnn.conv_transpose %x, %w strides = [2] padding = [-1] output_padding = [0] dilations = [1] groups = 1 : (tensor<1x4x5x!quant.uniform<u8:f32, 0.1>>, tensor<4x3x3x!quant.uniform<i8:f32, 0.05>>) -> tensor<1x3x11x!quant.uniform<u8:f32, 0.2>>
  return
}

// -----

func.func @ct_output_padding_large(%x: tensor<1x4x5x!quant.uniform<u8:f32, 0.1>>, %w: tensor<4x3x3x!quant.uniform<i8:f32, 0.05>>) {
  // expected-error @+1 {{'qnn.conv_transpose' op output_padding 2 must be non-negative and smaller than the stride or the dilation in spatial dimension 0}}
  %y = qnn.conv_transpose %x, %w strides = [2] padding = [0] output_padding = [2] dilations = [1] groups = 1 : (tensor<1x4x5x!quant.uniform<u8:f32, 0.1>>, tensor<4x3x3x!quant.uniform<i8:f32, 0.05>>) -> tensor<1x3x13x!quant.uniform<u8:f32, 0.2>>
  return
}

// -----

func.func @ct_groups_zero(%x: tensor<1x4x5x!quant.uniform<u8:f32, 0.1>>, %w: tensor<4x3x3x!quant.uniform<i8:f32, 0.05>>) {
  // expected-error @+1 {{'qnn.conv_transpose' op groups must be positive, got 0}}
  %y = qnn.conv_transpose %x, %w strides = [2] padding = [0] output_padding = [0] dilations = [1] groups = 0 : (tensor<1x4x5x!quant.uniform<u8:f32, 0.1>>, tensor<4x3x3x!quant.uniform<i8:f32, 0.05>>) -> tensor<1x3x11x!quant.uniform<u8:f32, 0.2>>
  return
}

// -----

func.func @ct_in_groups(%x: tensor<1x4x5x!quant.uniform<u8:f32, 0.1>>, %w: tensor<4x3x3x!quant.uniform<i8:f32, 0.05>>) {
  // expected-error @+1 {{'qnn.conv_transpose' op input channels (4) are not divisible by groups (3)}}
  %y = qnn.conv_transpose %x, %w strides = [2] padding = [0] output_padding = [0] dilations = [1] groups = 3 : (tensor<1x4x5x!quant.uniform<u8:f32, 0.1>>, tensor<4x3x3x!quant.uniform<i8:f32, 0.05>>) -> tensor<1x9x11x!quant.uniform<u8:f32, 0.2>>
  return
}

// -----

func.func @ct_weight_channels(%x: tensor<1x2x5x!quant.uniform<u8:f32, 0.1>>, %w: tensor<4x3x3x!quant.uniform<i8:f32, 0.05>>) {
  // expected-error @+1 {{'qnn.conv_transpose' op weight expects 4 input channels but the input has 2}}
  %y = qnn.conv_transpose %x, %w strides = [2] padding = [0] output_padding = [0] dilations = [1] groups = 1 : (tensor<1x2x5x!quant.uniform<u8:f32, 0.1>>, tensor<4x3x3x!quant.uniform<i8:f32, 0.05>>) -> tensor<1x3x11x!quant.uniform<u8:f32, 0.2>>
  return
}

// -----

func.func @ct_result_shape(%x: tensor<1x4x5x!quant.uniform<u8:f32, 0.1>>, %w: tensor<4x3x3x!quant.uniform<i8:f32, 0.05>>) {
  // expected-error @+1 {{'qnn.conv_transpose' op result shape [1, 3, 11] does not match expected [1, 6, 9]}}
  %y = qnn.conv_transpose %x, %w strides = [2] padding = [1] output_padding = [0] dilations = [1] groups = 2 : (tensor<1x4x5x!quant.uniform<u8:f32, 0.1>>, tensor<4x3x3x!quant.uniform<i8:f32, 0.05>>) -> tensor<1x3x11x!quant.uniform<u8:f32, 0.2>>
  return
}

// -----

func.func @ct_no_output(%x: tensor<1x4x1x!quant.uniform<u8:f32, 0.1>>, %w: tensor<4x3x3x!quant.uniform<i8:f32, 0.05>>) {
  // expected-error @+1 {{'qnn.conv_transpose' op padding 2 leaves no output in spatial dimension 0}}
  %y = qnn.conv_transpose %x, %w strides = [1] padding = [2] output_padding = [0] dilations = [1] groups = 1 : (tensor<1x4x1x!quant.uniform<u8:f32, 0.1>>, tensor<4x3x3x!quant.uniform<i8:f32, 0.05>>) -> tensor<1x3x1x!quant.uniform<u8:f32, 0.2>>
  return
}

// -----

func.func @ct_axis(%x: tensor<1x4x5x!quant.uniform<u8:f32, 0.1>>, %w: tensor<4x3x3x!quant.uniform<i8:f32:0, {0.1, 0.1, 0.1, 0.1}>>) {
  // expected-error @+1 {{'qnn.conv_transpose' op per-channel weight must be quantized along axis 1 (output channels), got axis 0}}
  %y = qnn.conv_transpose %x, %w strides = [2] padding = [0] output_padding = [0] dilations = [1] groups = 1 : (tensor<1x4x5x!quant.uniform<u8:f32, 0.1>>, tensor<4x3x3x!quant.uniform<i8:f32:0, {0.1, 0.1, 0.1, 0.1}>>) -> tensor<1x3x11x!quant.uniform<u8:f32, 0.2>>
  return
}

// -----

func.func @ct_bias(%x: tensor<1x4x5x!quant.uniform<u8:f32, 0.1>>, %w: tensor<4x3x3x!quant.uniform<i8:f32, 0.05>>, %b: tensor<4xf32>) {
  // expected-error @+1 {{'qnn.conv_transpose' op bias must have shape [3], got [4]}}
  %y = qnn.conv_transpose %x, %w bias(%b) strides = [2] padding = [0] output_padding = [0] dilations = [1] groups = 1 : (tensor<1x4x5x!quant.uniform<u8:f32, 0.1>>, tensor<4x3x3x!quant.uniform<i8:f32, 0.05>>, tensor<4xf32>) -> tensor<1x3x11x!quant.uniform<u8:f32, 0.2>>
  return
}

// -----

func.func @conv_kernel_too_large(%x: tensor<1x2x4x!quant.uniform<u8:f32, 0.1>>, %w: tensor<4x2x3x!quant.uniform<i8:f32, 0.05>>) {
  // expected-error @+1 {{'qnn.conv' op kernel extent 5 exceeds padded input size 4 in spatial dimension 0}}
  %y = qnn.conv %x, %w strides = [1] padding = [0] dilations = [2] groups = 1 : (tensor<1x2x4x!quant.uniform<u8:f32, 0.1>>, tensor<4x2x3x!quant.uniform<i8:f32, 0.05>>) -> tensor<1x4x1x!quant.uniform<u8:f32, 0.2>>
  return
}

// -----

func.func @conv_result_shape(%x: tensor<1x2x8x8x!quant.uniform<u8:f32, 0.1>>, %w: tensor<4x2x3x3x!quant.uniform<i8:f32, 0.05>>) {
  // expected-error @+1 {{'qnn.conv' op result shape [1, 4, 8, 8] does not match expected [1, 4, 3, 3]}}
  %y = qnn.conv %x, %w strides = [2, 2] padding = [0, 0] dilations = [1, 1] groups = 1 : (tensor<1x2x8x8x!quant.uniform<u8:f32, 0.1>>, tensor<4x2x3x3x!quant.uniform<i8:f32, 0.05>>) -> tensor<1x4x8x8x!quant.uniform<u8:f32, 0.2>>
  return
}

// -----

func.func @conv_addend_shape(%x: tensor<1x2x8x8x!quant.uniform<u8:f32, 0.1>>, %w: tensor<4x2x3x3x!quant.uniform<i8:f32, 0.05>>, %a: tensor<1x4x8x8x!quant.uniform<u8:f32, 0.1>>) {
  // expected-error @+1 {{'qnn.conv' op added input shape [1, 4, 8, 8] does not match result shape [1, 4, 6, 6]}}
  %y = qnn.conv %x, %w add(%a) strides = [1, 1] padding = [0, 0] dilations = [1, 1] groups = 1 : (tensor<1x2x8x8x!quant.uniform<u8:f32, 0.1>>, tensor<4x2x3x3x!quant.uniform<i8:f32, 0.05>>, tensor<1x4x8x8x!quant.uniform<u8:f32, 0.1>>) -> tensor<1x4x6x6x!quant.uniform<u8:f32, 0.2>>
  return
}

// -----

func.func @conv_add_post_op(%x: tensor<1x2x8x8x!quant.uniform<u8:f32, 0.1>>, %w: tensor<4x2x3x3x!quant.uniform<i8:f32, 0.05>>, %a: tensor<1x4x6x6x!quant.uniform<u8:f32, 0.2>>) {
  // expected-error @+1 {{'qnn.conv' op post_op tanh after an add must be a clamp that keeps the quantization (relu, relu6, hardtanh)}}
  %y = qnn.conv %x, %w add(%a) strides = [1, 1] padding = [0, 0] dilations = [1, 1] groups = 1 post_op = tanh : (tensor<1x2x8x8x!quant.uniform<u8:f32, 0.1>>, tensor<4x2x3x3x!quant.uniform<i8:f32, 0.05>>, tensor<1x4x6x6x!quant.uniform<u8:f32, 0.2>>) -> tensor<1x4x6x6x!quant.uniform<u8:f32, 0.2>>
  return
}

// -----

func.func @add_shapes(%a: tensor<4x!quant.uniform<u8:f32, 0.1>>, %b: tensor<5x!quant.uniform<u8:f32, 0.1>>) {
  // expected-error @+1 {{'qnn.add' op operands of shapes [4] and [5] do not broadcast to the result shape [4]}}
  %y = qnn.add %a, %b : tensor<4x!quant.uniform<u8:f32, 0.1>>, tensor<5x!quant.uniform<u8:f32, 0.1>> -> tensor<4x!quant.uniform<u8:f32, 0.1>>
  return
}

// -----

func.func @add_post_op(%a: tensor<4x!quant.uniform<u8:f32, 0.1>>, %b: tensor<4x!quant.uniform<u8:f32, 0.1>>) {
  // expected-error @+1 {{'qnn.add' op post_op leaky_relu after an add must be a clamp that keeps the quantization (relu, relu6, hardtanh)}}
  %y = qnn.add %a, %b post_op = leaky_relu : tensor<4x!quant.uniform<u8:f32, 0.1>>, tensor<4x!quant.uniform<u8:f32, 0.1>> -> tensor<4x!quant.uniform<u8:f32, 0.1>>
  return
}

// -----

func.func @relu6_per_channel(%a: tensor<2x!quant.uniform<u8:f32:0, {0.1, 0.2}>>) {
  // expected-error @+1 {{'qnn.activation' op input must be quantized per tensor}}
  %y = qnn.activation relu6 %a : tensor<2x!quant.uniform<u8:f32:0, {0.1, 0.2}>> -> tensor<2x!quant.uniform<u8:f32:0, {0.1, 0.2}>>
  return
}

// -----

func.func @activation_shapes(%a: tensor<4x!quant.uniform<u8:f32, 0.1>>) {
  // expected-error @+1 {{'qnn.activation' op input shape [4] does not match result shape [2]}}
  %y = qnn.activation tanh %a : tensor<4x!quant.uniform<u8:f32, 0.1>> -> tensor<2x!quant.uniform<u8:f32, 0.1>>
  return
}

// -----

// Only clamps between equal types work on wider codes (qint32 relu); the
// other activations are tables of 8-bit codes.
func.func @activation_table_width(%a: tensor<4x!quant.uniform<i32:f32, 0.1>>) {
  // expected-error @+1 {{'qnn.activation' op sigmoid sigmoid on 32-bit storage needs equal input and result types (an integer clamp); other activations take 8-bit codes}}
  %y = qnn.activation sigmoid %a : tensor<4x!quant.uniform<i32:f32, 0.1>> -> tensor<4x!quant.uniform<i32:f32, 0.1>>
  return
}

// -----

func.func @prelu_without_weight(%a: tensor<2x3x!quant.uniform<u8:f32, 0.1>>) {
  // expected-error @+1 {{'qnn.activation' op prelu needs a weight operand}}
  %y = qnn.activation prelu %a : tensor<2x3x!quant.uniform<u8:f32, 0.1>> -> tensor<2x3x!quant.uniform<u8:f32, 0.1>>
  return
}

// -----

func.func @relu_with_weight(%a: tensor<2x3x!quant.uniform<u8:f32, 0.1>>, %w: tensor<3x!quant.uniform<u8:f32, 0.1>>) {
  // expected-error @+1 {{'qnn.activation' op relu takes no weight operand}}
  %y = qnn.activation relu %a weight(%w) : tensor<2x3x!quant.uniform<u8:f32, 0.1>>, tensor<3x!quant.uniform<u8:f32, 0.1>> -> tensor<2x3x!quant.uniform<u8:f32, 0.1>>
  return
}

// -----

func.func @prelu_weight_shape(%a: tensor<2x3x!quant.uniform<u8:f32, 0.1>>, %w: tensor<2x!quant.uniform<u8:f32, 0.1>>) {
  // expected-error @+1 {{'qnn.activation' op weight must have shape [1] or [3] (one per channel), got [2]}}
  %y = qnn.activation prelu %a weight(%w) : tensor<2x3x!quant.uniform<u8:f32, 0.1>>, tensor<2x!quant.uniform<u8:f32, 0.1>> -> tensor<2x3x!quant.uniform<u8:f32, 0.1>>
  return
}

// -----

func.func @permute_not_permutation(%x: tensor<2x3x!quant.uniform<u8:f32, 0.1>>) {
  // expected-error @+1 {{'qnn.permute' op permutation [0, 0] is not a permutation of the 2 input dimensions}}
  %y = qnn.permute %x permutation = [0, 0] : tensor<2x3x!quant.uniform<u8:f32, 0.1>> -> tensor<2x3x!quant.uniform<u8:f32, 0.1>>
  return
}

// -----

func.func @permute_rank(%x: tensor<2x3x!quant.uniform<u8:f32, 0.1>>) {
  // expected-error @+1 {{'qnn.permute' op permutation [1, 0, 2] is not a permutation of the 2 input dimensions}}
  %y = qnn.permute %x permutation = [1, 0, 2] : tensor<2x3x!quant.uniform<u8:f32, 0.1>> -> tensor<3x2x!quant.uniform<u8:f32, 0.1>>
  return
}

// -----

func.func @permute_shape(%x: tensor<2x3x!quant.uniform<u8:f32, 0.1>>) {
  // expected-error @+1 {{'qnn.permute' op result shape [2, 3] does not match the permuted input shape [3, 2]}}
  %y = qnn.permute %x permutation = [1, 0] : tensor<2x3x!quant.uniform<u8:f32, 0.1>> -> tensor<2x3x!quant.uniform<u8:f32, 0.1>>
  return
}

// -----

func.func @permute_type(%x: tensor<2x3x!quant.uniform<u8:f32, 0.1>>) {
  // expected-error @+1 {{'qnn.permute' op result element type '!quant.uniform<u8:f32, 2.000000e-01>' must be the input's '!quant.uniform<u8:f32, 1.000000e-01>'}}
  %y = qnn.permute %x permutation = [1, 0] : tensor<2x3x!quant.uniform<u8:f32, 0.1>> -> tensor<3x2x!quant.uniform<u8:f32, 0.2>>
  return
}

// -----

func.func @permute_axis(%w: tensor<3x3x!quant.uniform<i8:f32:1, {0.1, 0.2, 0.3}>>) {
  // expected-error @+1 {{'qnn.permute' op result element type '!quant.uniform<i8:f32:1, {1.000000e-01,2.000000e-01,3.000000e-01}>' must be the input's '!quant.uniform<i8:f32:1, {1.000000e-01,2.000000e-01,3.000000e-01}>' with its axis permuted}}
  %y = qnn.permute %w permutation = [1, 0] : tensor<3x3x!quant.uniform<i8:f32:1, {0.1, 0.2, 0.3}>> -> tensor<3x3x!quant.uniform<i8:f32:1, {0.1, 0.2, 0.3}>>
  return
}

// -----

func.func @pool_rank(%x: tensor<2x8x!quant.uniform<u8:f32, 0.1>>) {
  // expected-error @+1 {{'qnn.max_pool' op input must have rank 3, 4 or 5 (N, C, 1 to 3 spatial dimensions), got rank 2}}
  %y = qnn.max_pool %x kernel = [3] strides = [1] padding = [0] dilations = [1] ceil_mode = false : tensor<2x8x!quant.uniform<u8:f32, 0.1>> -> tensor<2x6x!quant.uniform<u8:f32, 0.1>>
  return
}

// -----

func.func @pool_entries(%x: tensor<1x2x8x8x!quant.uniform<u8:f32, 0.1>>) {
  // expected-error @+1 {{'qnn.max_pool' op kernel must have 2 entries (one per spatial dimension), got 1}}
  %y = qnn.max_pool %x kernel = [3] strides = [1, 1] padding = [0, 0] dilations = [1, 1] ceil_mode = false : tensor<1x2x8x8x!quant.uniform<u8:f32, 0.1>> -> tensor<1x2x6x6x!quant.uniform<u8:f32, 0.1>>
  return
}

// -----

func.func @pool_stride(%x: tensor<1x2x8x8x!quant.uniform<u8:f32, 0.1>>) {
  // expected-error @+1 {{'qnn.max_pool' op strides must be positive, got [0, 1]}}
  %y = qnn.max_pool %x kernel = [3, 3] strides = [0, 1] padding = [0, 0] dilations = [1, 1] ceil_mode = false : tensor<1x2x8x8x!quant.uniform<u8:f32, 0.1>> -> tensor<1x2x6x6x!quant.uniform<u8:f32, 0.1>>
  return
}

// -----

func.func @pool_padding(%x: tensor<1x2x8x8x!quant.uniform<u8:f32, 0.1>>) {
  // expected-error @+1 {{'qnn.max_pool' op padding must be at most half the kernel, got padding 2 for kernel 3 in spatial dimension 0}}
  %y = qnn.max_pool %x kernel = [3, 3] strides = [1, 1] padding = [2, 0] dilations = [1, 1] ceil_mode = false : tensor<1x2x8x8x!quant.uniform<u8:f32, 0.1>> -> tensor<1x2x10x6x!quant.uniform<u8:f32, 0.1>>
  return
}

// -----

func.func @pool_window(%x: tensor<1x2x8x8x!quant.uniform<u8:f32, 0.1>>) {
  // expected-error @+1 {{'qnn.max_pool' op the window (kernel 3, dilation 4) does not fit the padded input size 8 in spatial dimension 0}}
  %y = qnn.max_pool %x kernel = [3, 3] strides = [1, 1] padding = [0, 0] dilations = [4, 1] ceil_mode = false : tensor<1x2x8x8x!quant.uniform<u8:f32, 0.1>> -> tensor<1x2x1x6x!quant.uniform<u8:f32, 0.1>>
  return
}

// -----

func.func @pool_shape(%x: tensor<1x2x8x8x!quant.uniform<u8:f32, 0.1>>) {
  // expected-error @+1 {{'qnn.max_pool' op result shape [1, 2, 3, 3] does not match expected [1, 2, 4, 4]}}
  %y = qnn.max_pool %x kernel = [3, 3] strides = [2, 2] padding = [0, 0] dilations = [1, 1] ceil_mode = true : tensor<1x2x8x8x!quant.uniform<u8:f32, 0.1>> -> tensor<1x2x3x3x!quant.uniform<u8:f32, 0.1>>
  return
}

// -----

func.func @pool_type(%x: tensor<1x2x8x8x!quant.uniform<u8:f32, 0.1>>) {
  // expected-error @+1 {{'qnn.max_pool' op result element type '!quant.uniform<u8:f32, 2.000000e-01>' must be the input's '!quant.uniform<u8:f32, 1.000000e-01>'}}
  %y = qnn.max_pool %x kernel = [2, 2] strides = [2, 2] padding = [0, 0] dilations = [1, 1] ceil_mode = false : tensor<1x2x8x8x!quant.uniform<u8:f32, 0.1>> -> tensor<1x2x4x4x!quant.uniform<u8:f32, 0.2>>
  return
}

// -----

func.func @pool_per_channel(%x: tensor<1x2x8x8x!quant.uniform<u8:f32:1, {0.1, 0.2}>>) {
  // expected-error @+1 {{'qnn.max_pool' op input must be quantized per tensor}}
  %y = qnn.max_pool %x kernel = [2, 2] strides = [2, 2] padding = [0, 0] dilations = [1, 1] ceil_mode = false : tensor<1x2x8x8x!quant.uniform<u8:f32:1, {0.1, 0.2}>> -> tensor<1x2x4x4x!quant.uniform<u8:f32:1, {0.1, 0.2}>>
  return
}

// -----

func.func @add_broadcast_result(%a: tensor<2x1x!quant.uniform<u8:f32, 0.1>>, %b: tensor<3x!quant.uniform<u8:f32, 0.1>>) {
  // expected-error @+1 {{'qnn.add' op operands of shapes [2, 1] and [3] do not broadcast to the result shape [2, 1]}}
  %y = qnn.add %a, %b : tensor<2x1x!quant.uniform<u8:f32, 0.1>>, tensor<3x!quant.uniform<u8:f32, 0.1>> -> tensor<2x1x!quant.uniform<u8:f32, 0.1>>
  return
}

// -----

func.func @add_dtypes(%a: tensor<4x!quant.uniform<u8:f32, 0.1>>, %b: tensor<4x!quant.uniform<i8:f32, 0.1>>) {
  // expected-error @+1 {{'qnn.add' op operands and result must have the same storage type (PyTorch: "operands should have same data type"), got '!quant.uniform<u8:f32, 1.000000e-01>', '!quant.uniform<i8:f32, 1.000000e-01>' -> '!quant.uniform<u8:f32, 1.000000e-01>'}}
  %y = qnn.add %a, %b : tensor<4x!quant.uniform<u8:f32, 0.1>>, tensor<4x!quant.uniform<i8:f32, 0.1>> -> tensor<4x!quant.uniform<u8:f32, 0.1>>
  return
}

// -----

// qnnpack sends qint8 adds to XNNPACK, which takes ratios in [2**-10, 2**8).
module attributes {qnn.numerics = "qnnpack"} {
  func.func @xnnpack_add_scale_ratio(%a: tensor<4x!quant.uniform<i8:f32, 0.0005>>, %b: tensor<4x!quant.uniform<i8:f32, 1.0>>) {
    // expected-error @+1 {{'qnn.add' op 'qnnpack' numerics requires the lhs scale over the result scale to be in [2**-10, 2**8), got 0.0005}}
    %y = qnn.add %a, %b : tensor<4x!quant.uniform<i8:f32, 0.0005>>, tensor<4x!quant.uniform<i8:f32, 1.0>> -> tensor<4x!quant.uniform<i8:f32, 1.0>>
    return
  }
}

// -----

func.func @mul_post_op(%a: tensor<4x!quant.uniform<u8:f32, 0.1>>) {
  // expected-error @+1 {{'qnn.mul' op post_op tanh after a mul must be a clamp that keeps the quantization (relu, relu6, hardtanh)}}
  %y = qnn.mul %a, %a post_op = tanh : tensor<4x!quant.uniform<u8:f32, 0.1>>, tensor<4x!quant.uniform<u8:f32, 0.1>> -> tensor<4x!quant.uniform<u8:f32, 0.1>>
  return
}

// -----

module attributes {qnn.numerics = "onednn"} {
  func.func @xnnpack_mul_multiplier(%a: tensor<4x!quant.uniform<i8:f32, 0.001>>) {
    // expected-error @+1 {{'qnn.mul' op a qint8 product with output zero point below 127 (XNNPACK's) needs the multiplier lhs scale * rhs scale / result scale in [2**-16, 2**8), got 1.000000e-06}}
    %y = qnn.mul %a, %a : tensor<4x!quant.uniform<i8:f32, 0.001>>, tensor<4x!quant.uniform<i8:f32, 0.001>> -> tensor<4x!quant.uniform<i8:f32, 1.0>>
    return
  }
}

// -----

func.func @add_scalar_result(%a: tensor<4x!quant.uniform<u8:f32, 0.5:10>>) {
  // expected-error @+1 {{'qnn.add_scalar' op result must be quantized as PyTorch chooses: scale 5.000000e-01, zero point 8, got scale 5.000000e-01, zero point 10}}
  %y = qnn.add_scalar %a, 1.0 : tensor<4x!quant.uniform<u8:f32, 0.5:10>> -> tensor<4x!quant.uniform<u8:f32, 0.5:10>>
  return
}

// -----

func.func @mul_scalar_result(%a: tensor<4x!quant.uniform<u8:f32, 0.5:10>>) {
  // expected-error @+1 {{'qnn.mul_scalar' op result must be quantized as PyTorch chooses: scale 1.000000e+00, zero point 245, got scale 1.000000e+00, zero point 10}}
  %y = qnn.mul_scalar %a, -2.0 : tensor<4x!quant.uniform<u8:f32, 0.5:10>> -> tensor<4x!quant.uniform<u8:f32, 1.0:10>>
  return
}

// -----

// expected-error @+1 {{'qnn.numerics' must be "onednn", "qnnpack" or "onednn_no_vnni", got "fbgemm"}}
module attributes {qnn.numerics = "fbgemm"} {
}

// -----

// expected-error @+1 {{'qnn.numerics' may only be attached to a builtin.module}}
func.func @numerics_on_func() attributes {qnn.numerics = "onednn"} {
  return
}

// -----

// expected-error @+1 {{unknown qnn attribute 'qnn.engine'}}
module attributes {qnn.engine = "onednn"} {
}

// -----

// qnnpack's add refuses input/output scale ratios outside [2**-14, 2**8)
// (torch: "scale ratio must be in [2**-14, 2**8)"); its fixed-point shift
// would reach 32 bits.
module attributes {qnn.numerics = "qnnpack"} {
  func.func @qnnpack_add_scale_ratio(%a: tensor<4x!quant.uniform<u8:f32, 1.0e-4>>, %b: tensor<4x!quant.uniform<u8:f32, 0.1>>) {
    // expected-error @+1 {{'qnn.add' op 'qnnpack' numerics requires the lhs scale over the result scale to be in [2**-14, 2**8), got 1e-05}}
    %y = qnn.add %a, %b : tensor<4x!quant.uniform<u8:f32, 1.0e-4>>, tensor<4x!quant.uniform<u8:f32, 0.1>> -> tensor<4x!quant.uniform<u8:f32, 10.0>>
    return
  }
}

// -----

module attributes {qnn.numerics = "qnnpack"} {
  func.func @qnnpack_conv_add_scale_ratio(%x: tensor<1x2x4x4x!quant.uniform<u8:f32, 0.1>>, %w: tensor<2x2x1x1x!quant.uniform<i8:f32, 0.05>>, %a: tensor<1x2x4x4x!quant.uniform<u8:f32, 300.0>>) {
    // expected-error @+1 {{'qnn.conv' op 'qnnpack' numerics requires the rhs scale over the result scale to be in [2**-14, 2**8), got 300}}
    %y = qnn.conv %x, %w add(%a) strides = [1, 1] padding = [0, 0] dilations = [1, 1] groups = 1 : (tensor<1x2x4x4x!quant.uniform<u8:f32, 0.1>>, tensor<2x2x1x1x!quant.uniform<i8:f32, 0.05>>, tensor<1x2x4x4x!quant.uniform<u8:f32, 300.0>>) -> tensor<1x2x4x4x!quant.uniform<u8:f32, 1.0>>
    return
  }
}

// -----

func.func @requantize_fma_channels_beyond(%x: tensor<1x4x2x2x!quant.uniform<u8:f32, 0.1>>) {
  // expected-error @+1 {{'qnn.requantize' op fma_channels must be in [0, 4], got 5}}
  %0 = qnn.requantize %x {fma_channels = 5 : i64} : tensor<1x4x2x2x!quant.uniform<u8:f32, 0.1>> -> tensor<1x4x2x2x!quant.uniform<u8:f32, 0.2>>
  return
}

// -----

func.func @requantize_fma_channels_per_channel(%x: tensor<1x2x!quant.uniform<u8:f32:1, {0.1, 0.2}>>) {
  // expected-error @+1 {{'qnn.requantize' op fma_channels needs an input quantized per tensor}}
  %0 = qnn.requantize %x {fma_channels = 1 : i64} : tensor<1x2x!quant.uniform<u8:f32:1, {0.1, 0.2}>> -> tensor<1x2x!quant.uniform<u8:f32, 0.2>>
  return
}

// -----

func.func @requantize_fma_channels_rank1(%x: tensor<4x!quant.uniform<u8:f32, 0.1>>) {
  // expected-error @+1 {{'qnn.requantize' op fma_channels needs a static dimension 1}}
  %0 = qnn.requantize %x {fma_channels = 1 : i64} : tensor<4x!quant.uniform<u8:f32, 0.1>> -> tensor<4x!quant.uniform<u8:f32, 0.2>>
  return
}

// -----

func.func @scalar_ranges_odd(%x: tensor<8x!quant.uniform<u8:f32, 0.1>>) {
  // expected-error @+1 {{scalar_ranges must be [begin, end) pairs}}
  %0 = qnn.activation tanh %x {scalar_ranges = array<i64: 4>} : tensor<8x!quant.uniform<u8:f32, 0.1>> -> tensor<8x!quant.uniform<u8:f32, 0.1>>
  return
}

// -----

func.func @scalar_ranges_beyond(%x: tensor<8x!quant.uniform<u8:f32, 0.1>>) {
  // expected-error @+1 {{scalar_ranges must be increasing, disjoint, non-empty ranges within the 8 elements}}
  %0 = qnn.activation tanh %x {scalar_ranges = array<i64: 4, 9>} : tensor<8x!quant.uniform<u8:f32, 0.1>> -> tensor<8x!quant.uniform<u8:f32, 0.1>>
  return
}

// -----

func.func @scalar_ranges_overlap(%x: tensor<8x!quant.uniform<u8:f32, 0.1>>) {
  // expected-error @+1 {{scalar_ranges must be increasing, disjoint, non-empty ranges within the 8 elements}}
  %0 = qnn.activation tanh %x {scalar_ranges = array<i64: 0, 4, 3, 5>} : tensor<8x!quant.uniform<u8:f32, 0.1>> -> tensor<8x!quant.uniform<u8:f32, 0.1>>
  return
}

// -----

func.func @add_scalar_ranges_beyond(%a: tensor<2x4x!quant.uniform<u8:f32, 0.1>>, %b: tensor<4x!quant.uniform<u8:f32, 0.2>>) {
  // expected-error @+1 {{'qnn.add' op scalar_ranges must be increasing, disjoint, non-empty ranges within the 8 elements}}
  %0 = qnn.add %a, %b {scalar_ranges = array<i64: 6, 12>} : tensor<2x4x!quant.uniform<u8:f32, 0.1>>, tensor<4x!quant.uniform<u8:f32, 0.2>> -> tensor<2x4x!quant.uniform<u8:f32, 0.3>>
  return
}

// -----

func.func @add_memory_order_not_permutation(%a: tensor<2x4x!quant.uniform<u8:f32, 0.1>>, %b: tensor<4x!quant.uniform<u8:f32, 0.2>>) {
  // expected-error @+1 {{'qnn.add' op memory_order must be a permutation of the 2 dimensions}}
  %0 = qnn.add %a, %b {memory_order = array<i64: 0>, scalar_ranges = array<i64: 0, 2>} : tensor<2x4x!quant.uniform<u8:f32, 0.1>>, tensor<4x!quant.uniform<u8:f32, 0.2>> -> tensor<2x4x!quant.uniform<u8:f32, 0.3>>
  return
}

// -----

func.func @memory_order_not_permutation(%x: tensor<2x4x!quant.uniform<u8:f32, 0.1>>) {
  // expected-error @+1 {{memory_order must be a permutation of the 2 dimensions}}
  %0 = qnn.activation tanh %x {memory_order = array<i64: 1, 1>} : tensor<2x4x!quant.uniform<u8:f32, 0.1>> -> tensor<2x4x!quant.uniform<u8:f32, 0.1>>
  return
}

// -----

func.func @avg_pool_divisor(%x: tensor<1x2x4x4x!quant.uniform<u8:f32, 0.1>>) {
  // expected-error @+1 {{divisor_override must not be zero (torch: divisor must be not zero)}}
  %0 = qnn.avg_pool %x kernel = [2, 2] strides = [2, 2] padding = [0, 0] ceil_mode = false count_include_pad = true {divisor_override = 0} : tensor<1x2x4x4x!quant.uniform<u8:f32, 0.1>> -> tensor<1x2x2x2x!quant.uniform<u8:f32, 0.1>>
  return
}

// -----

func.func @avg_pool_shape(%x: tensor<1x2x4x4x!quant.uniform<u8:f32, 0.1>>) {
  // expected-error @+1 {{result shape [1, 2, 3, 3] does not match expected [1, 2, 2, 2]}}
  %0 = qnn.avg_pool %x kernel = [2, 2] strides = [2, 2] padding = [0, 0] ceil_mode = false count_include_pad = true : tensor<1x2x4x4x!quant.uniform<u8:f32, 0.1>> -> tensor<1x2x3x3x!quant.uniform<u8:f32, 0.1>>
  return
}

// -----

func.func @avg_pool_requantizes(%x: tensor<1x2x4x4x!quant.uniform<u8:f32, 0.1>>) {
  // expected-error @+1 {{result element type '!quant.uniform<u8:f32, 2.000000e-01>' must be the input's '!quant.uniform<u8:f32, 1.000000e-01>'}}
  %0 = qnn.avg_pool %x kernel = [2, 2] strides = [2, 2] padding = [0, 0] ceil_mode = false count_include_pad = true : tensor<1x2x4x4x!quant.uniform<u8:f32, 0.1>> -> tensor<1x2x2x2x!quant.uniform<u8:f32, 0.2>>
  return
}

// -----

module attributes {qnn.numerics = "qnnpack"} {
func.func @avg_pool_qnnpack_1x1(%x: tensor<1x2x4x4x!quant.uniform<u8:f32, 0.1>>) {
  // expected-error @+1 {{under 'qnnpack' numerics a 1x1 kernel is refused for quint8 (QNNPACK: 1x1 pooling is meaningless)}}
  %0 = qnn.avg_pool %x kernel = [1, 1] strides = [1, 1] padding = [0, 0] ceil_mode = false count_include_pad = true : tensor<1x2x4x4x!quant.uniform<u8:f32, 0.1>> -> tensor<1x2x4x4x!quant.uniform<u8:f32, 0.1>>
  return
}
}

// -----

func.func @adaptive_channels(%x: tensor<1x2x4x4x!quant.uniform<u8:f32, 0.1>>) {
  // expected-error @+1 {{result shape [1, 3, 1, 1] must keep the input's N and C [1, 2]}}
  %0 = qnn.adaptive_avg_pool %x : tensor<1x2x4x4x!quant.uniform<u8:f32, 0.1>> -> tensor<1x3x1x1x!quant.uniform<u8:f32, 0.1>>
  return
}

// -----

func.func @mean_not_trailing(%x: tensor<1x2x4x4x!quant.uniform<u8:f32, 0.1>>) {
  // expected-error @+1 {{dims must be the trailing dimensions in order (torch averages others in float32 with a cascade qnn does not model), got [1, 2] for rank 4}}
  %0 = qnn.mean %x dims = [1, 2] : tensor<1x2x4x4x!quant.uniform<u8:f32, 0.1>> -> tensor<1x4x!quant.uniform<u8:f32, 0.1>>
  return
}

// -----

func.func @mean_shape(%x: tensor<1x2x4x4x!quant.uniform<u8:f32, 0.1>>) {
  // expected-error @+1 {{result shape [1, 4] must be [1, 2] or [1, 2, 1, 1] (keepdim)}}
  %0 = qnn.mean %x dims = [2, 3] : tensor<1x2x4x4x!quant.uniform<u8:f32, 0.1>> -> tensor<1x4x!quant.uniform<u8:f32, 0.1>>
  return
}

// -----

func.func @upsample_rank(%x: tensor<1x2x4x!quant.uniform<u8:f32, 0.1>>) {
  // expected-error @+1 {{input must have rank 4 or 5 (N, C, 2 or 3 spatial dimensions; torch has no quantized upsample_nearest1d), got rank 3}}
  %0 = qnn.upsample_nearest %x : tensor<1x2x4x!quant.uniform<u8:f32, 0.1>> -> tensor<1x2x8x!quant.uniform<u8:f32, 0.1>>
  return
}

// -----

func.func @upsample_scales(%x: tensor<1x2x4x4x!quant.uniform<u8:f32, 0.1>>) {
  // expected-error @+1 {{scales must have 2 entries (one per spatial dimension)}}
  %0 = qnn.upsample_nearest %x {scales = array<f64: 2.0>} : tensor<1x2x4x4x!quant.uniform<u8:f32, 0.1>> -> tensor<1x2x8x8x!quant.uniform<u8:f32, 0.1>>
  return
}

// -----

func.func @batch_norm_rank(%x: tensor<2x4x5x!quant.uniform<u8:f32, 0.1>>, %c: tensor<4xf32>) {
  // expected-error @+1 {{'qnn.batch_norm' op input must have rank 4 or 5 (N, C and 2 or 3 spatial dimensions, as torch's quantized batch_norm2d/3d), got rank 3}}
  %0 = qnn.batch_norm %x, %c, %c, %c, %c eps = 1.0e-05 : tensor<2x4x5x!quant.uniform<u8:f32, 0.1>>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32> -> tensor<2x4x5x!quant.uniform<u8:f32, 0.2>>
  return
}

// -----

func.func @batch_norm_channels(%x: tensor<1x4x2x2x!quant.uniform<u8:f32, 0.1>>, %c: tensor<4xf32>, %d: tensor<3xf32>) {
  // expected-error @+1 {{'qnn.batch_norm' op var must be a tensor of 4 f32 values (one per channel), got 'tensor<3xf32>'}}
  %0 = qnn.batch_norm %x, %c, %c, %c, %d eps = 1.0e-05 : tensor<1x4x2x2x!quant.uniform<u8:f32, 0.1>>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<3xf32> -> tensor<1x4x2x2x!quant.uniform<u8:f32, 0.2>>
  return
}

// -----

func.func @batch_norm_post_op(%x: tensor<1x4x2x2x!quant.uniform<u8:f32, 0.1>>, %c: tensor<4xf32>) {
  // expected-error @+1 {{'qnn.batch_norm' op post_op must be relu (BNReLU), got tanh}}
  %0 = qnn.batch_norm %x, %c, %c, %c, %c eps = 1.0e-05 post_op = tanh : tensor<1x4x2x2x!quant.uniform<u8:f32, 0.1>>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32> -> tensor<1x4x2x2x!quant.uniform<u8:f32, 0.2>>
  return
}

// -----

func.func @batch_norm_eps(%x: tensor<1x4x2x2x!quant.uniform<u8:f32, 0.1>>, %c: tensor<4xf32>) {
  // expected-error @+1 {{'qnn.batch_norm' op eps must be non-negative, got -1}}
  %0 = qnn.batch_norm %x, %c, %c, %c, %c eps = -1.0 : tensor<1x4x2x2x!quant.uniform<u8:f32, 0.1>>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32> -> tensor<1x4x2x2x!quant.uniform<u8:f32, 0.2>>
  return
}

// -----

func.func @batch_norm_storage(%x: tensor<1x4x2x2x!quant.uniform<u8:f32, 0.1>>, %c: tensor<4xf32>) {
  // expected-error @+1 {{'qnn.batch_norm' op result must have the input's storage type}}
  %0 = qnn.batch_norm %x, %c, %c, %c, %c eps = 1.0e-05 : tensor<1x4x2x2x!quant.uniform<u8:f32, 0.1>>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32> -> tensor<1x4x2x2x!quant.uniform<i8:f32, 0.2>>
  return
}

// -----

func.func @layer_norm_rank(%x: tensor<2x4x!quant.uniform<u8:f32, 0.1>>) {
  // expected-error @+1 {{'qnn.layer_norm' op normalized_rank must be in [1, 2], got 3}}
  %0 = qnn.layer_norm %x normalized_rank = 3 eps = 1.0e-05 : tensor<2x4x!quant.uniform<u8:f32, 0.1>> -> tensor<2x4x!quant.uniform<u8:f32, 0.2>>
  return
}

// -----

func.func @layer_norm_weight(%x: tensor<2x3x4x!quant.uniform<u8:f32, 0.1>>, %w: tensor<4xf32>) {
  // expected-error @+1 {{'qnn.layer_norm' op weight must be an f32 tensor of the normalized shape [3, 4], got 'tensor<4xf32>'}}
  %0 = qnn.layer_norm %x weight(%w) normalized_rank = 2 eps = 1.0e-05 : tensor<2x3x4x!quant.uniform<u8:f32, 0.1>>, tensor<4xf32> -> tensor<2x3x4x!quant.uniform<u8:f32, 0.2>>
  return
}

// -----

func.func @group_norm_groups(%x: tensor<1x6x4x!quant.uniform<u8:f32, 0.1>>) {
  // expected-error @+1 {{'qnn.group_norm' op groups must divide the 6 channels, got 4}}
  %0 = qnn.group_norm %x groups = 4 eps = 1.0e-05 : tensor<1x6x4x!quant.uniform<u8:f32, 0.1>> -> tensor<1x6x4x!quant.uniform<u8:f32, 0.2>>
  return
}

// -----

func.func @group_norm_weight(%x: tensor<1x6x4x!quant.uniform<u8:f32, 0.1>>, %w: tensor<3xf32>) {
  // expected-error @+1 {{'qnn.group_norm' op weight must be a tensor of 6 f32 values (one per channel), got 'tensor<3xf32>'}}
  %0 = qnn.group_norm %x weight(%w) groups = 3 eps = 1.0e-05 : tensor<1x6x4x!quant.uniform<u8:f32, 0.1>>, tensor<3xf32> -> tensor<1x6x4x!quant.uniform<u8:f32, 0.2>>
  return
}

// -----

func.func @embedding_param_types(%w: tensor<10x12xi8>, %s: tensor<10xf32>, %h: tensor<10xf16>, %s5: tensor<5xf32>, %i: tensor<4xi64>, %o: tensor<3xi64>, %o0: tensor<0xi64>, %p: tensor<4xf32>, %p3: tensor<3xf32>) {
  // expected-error @+1 {{'qnn.embedding' op scales 'tensor<10xf32>' and biases 'tensor<10xf16>' must have one type}}
  %y = qnn.embedding %w, %i row_parameters(%s, %h) : (tensor<10x12xi8>, tensor<4xi64>, tensor<10xf32>, tensor<10xf16>) -> tensor<4x12xf32>
  return
}

// -----

func.func @embedding_param_rows(%w: tensor<10x12xi8>, %s: tensor<10xf32>, %h: tensor<10xf16>, %s5: tensor<5xf32>, %i: tensor<4xi64>, %o: tensor<3xi64>, %o0: tensor<0xi64>, %p: tensor<4xf32>, %p3: tensor<3xf32>) {
  // expected-error @+1 {{'qnn.embedding' op scales and biases must have one entry per row of the [10, 12] table, got [5]}}
  %y = qnn.embedding %w, %i row_parameters(%s5, %s5) : (tensor<10x12xi8>, tensor<4xi64>, tensor<5xf32>, tensor<5xf32>) -> tensor<4x12xf32>
  return
}

// -----

func.func @embedding_result(%w: tensor<10x12xi8>, %s: tensor<10xf32>, %h: tensor<10xf16>, %s5: tensor<5xf32>, %i: tensor<4xi64>, %o: tensor<3xi64>, %o0: tensor<0xi64>, %p: tensor<4xf32>, %p3: tensor<3xf32>) {
  // expected-error @+1 {{'qnn.embedding' op result shape [4, 10] does not match expected [4, 12]}}
  %y = qnn.embedding %w, %i row_parameters(%s, %s) : (tensor<10x12xi8>, tensor<4xi64>, tensor<10xf32>, tensor<10xf32>) -> tensor<4x10xf32>
  return
}

// -----

func.func @embedding_bag_result(%w: tensor<10x12xi8>, %s: tensor<10xf32>, %h: tensor<10xf16>, %s5: tensor<5xf32>, %i: tensor<4xi64>, %o: tensor<3xi64>, %o0: tensor<0xi64>, %p: tensor<4xf32>, %p3: tensor<3xf32>) {
  // expected-error @+1 {{'qnn.embedding_bag' op result shape [3, 12] does not match expected [2, 12]}}
  %y = qnn.embedding_bag %w, %i, %o row_parameters(%s, %s) mode = sum include_last_offset : (tensor<10x12xi8>, tensor<4xi64>, tensor<3xi64>, tensor<10xf32>, tensor<10xf32>) -> tensor<3x12xf32>
  return
}

// -----

func.func @embedding_bag_weights_mode(%w: tensor<10x12xi8>, %s: tensor<10xf32>, %h: tensor<10xf16>, %s5: tensor<5xf32>, %i: tensor<4xi64>, %o: tensor<3xi64>, %o0: tensor<0xi64>, %p: tensor<4xf32>, %p3: tensor<3xf32>) {
  // expected-error @+1 {{'qnn.embedding_bag' op per_sample_weights are only supported with mode sum}}
  %y = qnn.embedding_bag %w, %i, %o row_parameters(%s, %s) per_sample_weights(%p) mode = max : (tensor<10x12xi8>, tensor<4xi64>, tensor<3xi64>, tensor<10xf32>, tensor<10xf32>, tensor<4xf32>) -> tensor<3x12xf32>
  return
}

// -----

func.func @embedding_bag_weights_size(%w: tensor<10x12xi8>, %s: tensor<10xf32>, %h: tensor<10xf16>, %s5: tensor<5xf32>, %i: tensor<4xi64>, %o: tensor<3xi64>, %o0: tensor<0xi64>, %p: tensor<4xf32>, %p3: tensor<3xf32>) {
  // expected-error @+1 {{'qnn.embedding_bag' op per_sample_weights must have one entry per index (4), got [3]}}
  %y = qnn.embedding_bag %w, %i, %o row_parameters(%s, %s) per_sample_weights(%p3) mode = sum : (tensor<10x12xi8>, tensor<4xi64>, tensor<3xi64>, tensor<10xf32>, tensor<10xf32>, tensor<3xf32>) -> tensor<3x12xf32>
  return
}

// -----

func.func @embedding_bag_padding(%w: tensor<10x12xi8>, %s: tensor<10xf32>, %h: tensor<10xf16>, %s5: tensor<5xf32>, %i: tensor<4xi64>, %o: tensor<3xi64>, %o0: tensor<0xi64>, %p: tensor<4xf32>, %p3: tensor<3xf32>) {
  // expected-error @+1 {{'qnn.embedding_bag' op padding_idx 10 is not a row of the table (10 rows)}}
  %y = qnn.embedding_bag %w, %i, %o row_parameters(%s, %s) mode = sum padding_idx = 10 : (tensor<10x12xi8>, tensor<4xi64>, tensor<3xi64>, tensor<10xf32>, tensor<10xf32>) -> tensor<3x12xf32>
  return
}

// -----

func.func @embedding_bag_last_offset(%w: tensor<10x12xi8>, %s: tensor<10xf32>, %h: tensor<10xf16>, %s5: tensor<5xf32>, %i: tensor<4xi64>, %o: tensor<3xi64>, %o0: tensor<0xi64>, %p: tensor<4xf32>, %p3: tensor<3xf32>) {
  // expected-error @+1 {{'qnn.embedding_bag' op include_last_offset needs at least one offset}}
  %y = qnn.embedding_bag %w, %i, %o0 row_parameters(%s, %s) mode = sum include_last_offset : (tensor<10x12xi8>, tensor<4xi64>, tensor<0xi64>, tensor<10xf32>, tensor<10xf32>) -> tensor<0x12xf32>
  return
}

// -----

func.func @int_matmul_reduction(%x: tensor<2x8xi8>, %w: tensor<4x6xi8>) {
  // expected-error @+1 {{'qnn.int_matmul' op lhs [2, 8] and rhs [4, 6] must have one reduction size (M x K, N x K)}}
  %y = qnn.int_matmul %x, %w : (tensor<2x8xi8>, tensor<4x6xi8>) -> tensor<2x4xi32>
  return
}

// -----

func.func @int_matmul_restarts(%x: tensor<2x8xi8>, %w: tensor<4x8xi8>) {
  // expected-error @+1 {{'qnn.int_matmul' op pair_restarts must be ascending positions inside the reduction (0, 8), got 8}}
  %y = qnn.int_matmul %x, %w {saturating_pairs, pair_restarts = array<i64: 3, 8>} : (tensor<2x8xi8>, tensor<4x8xi8>) -> tensor<2x4xi32>
  return
}

// -----

func.func @int_matmul_restarts_without_pairs(%x: tensor<2x8xi8>, %w: tensor<4x8xi8>) {
  // expected-error @+1 {{'qnn.int_matmul' op pair_restarts needs saturating_pairs}}
  %y = qnn.int_matmul %x, %w {pair_restarts = array<i64: 3>} : (tensor<2x8xi8>, tensor<4x8xi8>) -> tensor<2x4xi32>
  return
}

// -----

func.func @int_matmul_strategy(%x: tensor<2x8xi8>, %w: tensor<4x8xi8>) {
  // expected-error @+1 {{'qnn.int_matmul' op unknown strategy 'im2col_gemm' (runtime_gemm or generic)}}
  %y = qnn.int_matmul %x, %w {strategy = "im2col_gemm"} : (tensor<2x8xi8>, tensor<4x8xi8>) -> tensor<2x4xi32>
  return
}

// -----

func.func @int_conv_result(%x: tensor<1x4x6xi8>, %w: tensor<6x2x3xi8>) {
  // expected-error @+1 {{'qnn.int_conv' op result shape [1, 6, 4] does not match expected [1, 4, 2, 3] (N x out... x groups x O/groups)}}
  %y = qnn.int_conv %x, %w strides = [1] dilations = [1] groups = 2 : (tensor<1x4x6xi8>, tensor<6x2x3xi8>) -> tensor<1x6x4xi32>
  return
}

// -----

func.func @int_conv_groups(%x: tensor<1x4x6xi8>, %w: tensor<6x2x3xi8>) {
  // expected-error @+1 {{'qnn.int_conv' op input channels 4, weight [6, 2, 3] and groups 3 do not match}}
  %y = qnn.int_conv %x, %w strides = [1] dilations = [1] groups = 3 : (tensor<1x4x6xi8>, tensor<6x2x3xi8>) -> tensor<1x4x3x2xi32>
  return
}

// -----

func.func @int_conv_im2col_groups(%x: tensor<1x4x6xi8>, %w: tensor<6x2x3xi8>) {
  // expected-error @+1 {{'qnn.int_conv' op strategy im2col_gemm needs one group}}
  %y = qnn.int_conv %x, %w strides = [1] dilations = [1] groups = 2 {strategy = "im2col_gemm"} : (tensor<1x4x6xi8>, tensor<6x2x3xi8>) -> tensor<1x4x2x3xi32>
  return
}

// -----

func.func @embedding_codes_without_parameters(%w: tensor<10x12xi8>, %i: tensor<4xi64>) {
  // expected-error @+1 {{'qnn.embedding' op a table of 'i8' codes needs row_parameters (scales, biases), got 0}}
  %y = qnn.embedding %w, %i : (tensor<10x12xi8>, tensor<4xi64>) -> tensor<4x12xf32>
  return
}

// -----

func.func @embedding_float_with_parameters(%w: tensor<10x12xf32>, %s: tensor<10xf32>, %i: tensor<4xi64>) {
  // expected-error @+1 {{'qnn.embedding' op a table of 'f32' rows takes no row_parameters, got 2}}
  %y = qnn.embedding %w, %i row_parameters(%s, %s) : (tensor<10x12xf32>, tensor<4xi64>, tensor<10xf32>, tensor<10xf32>) -> tensor<4x12xf32>
  return
}

// -----

func.func @choose_qparams_range(%x: tensor<4xf32>) {
  // expected-error @+1 {{'qnn.choose_qparams' op range [5, 5] must have qmin < qmax}}
  %s, %z = qnn.choose_qparams %x range = [5, 5] : tensor<4xf32>
  return
}

// -----

func.func @choose_qparams_int32(%x: tensor<4xf32>) {
  // expected-error @+1 {{'qnn.choose_qparams' op range [0, 4294967296] must fit int32 zero points}}
  %s, %z = qnn.choose_qparams %x range = [0, 4294967296] : tensor<4xf32>
  return
}

// -----

func.func @quantize_dynamic_shape(%x: tensor<4xf32>, %s: f64, %z: i32) {
  // expected-error @+1 {{'qnn.quantize_dynamic' op codes shape [5] does not match the float shape [4]}}
  %q = qnn.quantize_dynamic %x, %s, %z : tensor<4xf32> -> tensor<5x!quant.any<u8:f32>>
  return
}

// -----

func.func @quantize_dynamic_expressed(%x: tensor<4xf32>, %s: f64, %z: i32) {
  // expected-error @+1 {{'qnn.quantize_dynamic' op codes must be expressed in f32, got '!quant.any<u8:f16>'}}
  %q = qnn.quantize_dynamic %x, %s, %z : tensor<4xf32> -> tensor<4x!quant.any<u8:f16>>
  return
}

// -----

func.func @quantize_dynamic_static_type(%x: tensor<4xf32>, %s: f64, %z: i32) {
  // expected-error @+1 {{'qnn.quantize_dynamic' op result #0 must be ranked tensor of quantized type without parameters (!quant.any) values}}
  %q = qnn.quantize_dynamic %x, %s, %z : tensor<4xf32> -> tensor<4x!quant.uniform<u8:f32, 0.1>>
  return
}

// -----

func.func @dequantize_dynamic_shape(%q: tensor<4x!quant.any<u8:f32>>, %s: f64, %z: i32) {
  // expected-error @+1 {{'qnn.dequantize_dynamic' op codes shape [4] does not match the float shape [4, 1]}}
  %x = qnn.dequantize_dynamic %q, %s, %z : tensor<4x!quant.any<u8:f32>> -> tensor<4x1xf32>
  return
}

// -----

func.func @dynamic_linear_features(%x: tensor<2x7xf32>, %w: tensor<4x8x!quant.uniform<i8:f32, 0.5>>) {
  // expected-error @+1 {{'qnn.dynamic_linear' op input has 7 features but the weight expects 8}}
  %y = qnn.dynamic_linear %x, %w : (tensor<2x7xf32>, tensor<4x8x!quant.uniform<i8:f32, 0.5>>) -> tensor<2x4xf32>
  return
}

// -----

func.func @dynamic_linear_weight_rank(%x: tensor<2x8xf32>, %w: tensor<4x8x1x!quant.uniform<i8:f32, 0.5>>) {
  // expected-error @+1 {{'qnn.dynamic_linear' op weight must have rank 2 ([out_features, in_features]), got rank 3}}
  %y = qnn.dynamic_linear %x, %w : (tensor<2x8xf32>, tensor<4x8x1x!quant.uniform<i8:f32, 0.5>>) -> tensor<2x4xf32>
  return
}

// -----

func.func @dynamic_linear_weight_storage(%x: tensor<2x8xf32>, %w: tensor<4x8x!quant.uniform<u8:f32, 0.5>>) {
  // expected-error @+1 {{'qnn.dynamic_linear' op weight storage must be signed 8-bit (qint8), got u8}}
  %y = qnn.dynamic_linear %x, %w : (tensor<2x8xf32>, tensor<4x8x!quant.uniform<u8:f32, 0.5>>) -> tensor<2x4xf32>
  return
}

// -----

func.func @dynamic_linear_result(%x: tensor<2x8xf32>, %w: tensor<4x8x!quant.uniform<i8:f32, 0.5>>) {
  // expected-error @+1 {{'qnn.dynamic_linear' op result shape [2, 5] does not match expected [2, 4]}}
  %y = qnn.dynamic_linear %x, %w : (tensor<2x8xf32>, tensor<4x8x!quant.uniform<i8:f32, 0.5>>) -> tensor<2x5xf32>
  return
}

// -----

func.func @dynamic_linear_bias(%x: tensor<2x8xf32>, %w: tensor<4x8x!quant.uniform<i8:f32, 0.5>>, %b: tensor<3xf32>) {
  // expected-error @+1 {{'qnn.dynamic_linear' op bias must have shape [4], got [3]}}
  %y = qnn.dynamic_linear %x, %w bias(%b) : (tensor<2x8xf32>, tensor<4x8x!quant.uniform<i8:f32, 0.5>>, tensor<3xf32>) -> tensor<2x4xf32>
  return
}

// -----

func.func @dynamic_linear_scalar(%x: tensor<f32>, %w: tensor<4x8x!quant.uniform<i8:f32, 0.5>>) {
  // expected-error @+1 {{'qnn.dynamic_linear' op input must have rank >= 1 ([..., in_features])}}
  %y = qnn.dynamic_linear %x, %w : (tensor<f32>, tensor<4x8x!quant.uniform<i8:f32, 0.5>>) -> tensor<4xf32>
  return
}

// -----

func.func @dynamic_linear_result_rank(%x: tensor<2x8xf32>, %w: tensor<4x8x!quant.uniform<i8:f32, 0.5>>) {
  // expected-error @+1 {{'qnn.dynamic_linear' op result must have the input's rank 2, got 3}}
  %y = qnn.dynamic_linear %x, %w : (tensor<2x8xf32>, tensor<4x8x!quant.uniform<i8:f32, 0.5>>) -> tensor<1x2x4xf32>
  return
}

// -----

func.func @float_activation_tanh_ranges(%x: tensor<20xf32>) {
  // expected-error @+1 {{'qnn.float_activation' op tanh has no scalar_ranges: every element takes ATen's vector body}}
  %y = qnn.float_activation tanh %x scalar_ranges = [16, 20] : tensor<20xf32>
  return
}

// -----

func.func @float_activation_ranges(%x: tensor<20xf32>) {
  // expected-error @+1 {{'qnn.float_activation' op scalar_ranges must be increasing, disjoint, non-empty ranges within the 20 elements}}
  %y = qnn.float_activation sigmoid %x scalar_ranges = [16, 24] : tensor<20xf32>
  return
}

// -----

func.func @float_activation_f16(%x: tensor<20xf16>) {
  // expected-error @+1 {{'qnn.float_activation' op operand #0 must be ranked tensor of 32-bit float values}}
  %y = qnn.float_activation sigmoid %x : tensor<20xf16>
  return
}

// -----

func.func @dynamic_conv_channels(%x: tensor<1x4x8x8xf32>, %w: tensor<4x3x3x3x!quant.uniform<i8:f32, 0.5>>) {
  // expected-error @+1 {{'qnn.dynamic_conv' op weight expects 3 input channels per group (1 groups) but the input has 4}}
  %y = qnn.dynamic_conv %x, %w strides = [1, 1] padding = [0, 0] dilations = [1, 1] groups = 1 : (tensor<1x4x8x8xf32>, tensor<4x3x3x3x!quant.uniform<i8:f32, 0.5>>) -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @dynamic_conv_result(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3x!quant.uniform<i8:f32, 0.5>>) {
  // expected-error @+1 {{'qnn.dynamic_conv' op result shape [1, 4, 8, 8] does not match expected [1, 4, 6, 6]}}
  %y = qnn.dynamic_conv %x, %w strides = [1, 1] padding = [0, 0] dilations = [1, 1] groups = 1 : (tensor<1x3x8x8xf32>, tensor<4x3x3x3x!quant.uniform<i8:f32, 0.5>>) -> tensor<1x4x8x8xf32>
  return
}

// -----

func.func @dynamic_conv_strides(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3x!quant.uniform<i8:f32, 0.5>>) {
  // expected-error @+1 {{'qnn.dynamic_conv' op strides must have 2 entries (one per spatial dimension), got 1}}
  %y = qnn.dynamic_conv %x, %w strides = [1] padding = [0, 0] dilations = [1, 1] groups = 1 : (tensor<1x3x8x8xf32>, tensor<4x3x3x3x!quant.uniform<i8:f32, 0.5>>) -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @dynamic_conv_weight(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3x!quant.uniform<u8:f32, 0.5>>) {
  // expected-error @+1 {{'qnn.dynamic_conv' op weight storage must be signed 8-bit (qint8), got u8}}
  %y = qnn.dynamic_conv %x, %w strides = [1, 1] padding = [0, 0] dilations = [1, 1] groups = 1 : (tensor<1x3x8x8xf32>, tensor<4x3x3x3x!quant.uniform<u8:f32, 0.5>>) -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @dynamic_conv_bias(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3x!quant.uniform<i8:f32, 0.5>>, %b: tensor<3xf32>) {
  // expected-error @+1 {{'qnn.dynamic_conv' op bias must have shape [4], got [3]}}
  %y = qnn.dynamic_conv %x, %w bias(%b) strides = [1, 1] padding = [0, 0] dilations = [1, 1] groups = 1 : (tensor<1x3x8x8xf32>, tensor<4x3x3x3x!quant.uniform<i8:f32, 0.5>>, tensor<3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @dynamic_conv_input(%x: tensor<1x3x8x8xf16>, %w: tensor<4x3x3x3x!quant.uniform<i8:f32, 0.5>>) {
  // expected-error @+1 {{'qnn.dynamic_conv' op operand #0 must be}}
  %y = qnn.dynamic_conv %x, %w strides = [1, 1] padding = [0, 0] dilations = [1, 1] groups = 1 : (tensor<1x3x8x8xf16>, tensor<4x3x3x3x!quant.uniform<i8:f32, 0.5>>) -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @dynamic_conv_transpose_output_padding(%x: tensor<1x3x8x8xf32>, %w: tensor<3x2x3x3x!quant.uniform<i8:f32, 0.5>>) {
  // expected-error @+1 {{'qnn.dynamic_conv_transpose' op output_padding 2 must be non-negative and smaller than the stride or the dilation in spatial dimension 0}}
  %y = qnn.dynamic_conv_transpose %x, %w strides = [2, 2] padding = [0, 0] output_padding = [2, 0] dilations = [1, 1] groups = 1 : (tensor<1x3x8x8xf32>, tensor<3x2x3x3x!quant.uniform<i8:f32, 0.5>>) -> tensor<1x2x19x17xf32>
  return
}

// -----

func.func @dynamic_conv_transpose_per_channel(%x: tensor<1x3x8x8xf32>, %w: tensor<3x2x3x3x!quant.uniform<i8:f32:0, {0.5, 0.25, 0.5}>>) {
  // expected-error @+1 {{'qnn.dynamic_conv_transpose' op per-channel weight must be quantized along axis 1 (output channels), got axis 0}}
  %y = qnn.dynamic_conv_transpose %x, %w strides = [1, 1] padding = [0, 0] output_padding = [0, 0] dilations = [1, 1] groups = 1 : (tensor<1x3x8x8xf32>, tensor<3x2x3x3x!quant.uniform<i8:f32:0, {0.5, 0.25, 0.5}>>) -> tensor<1x2x10x10xf32>
  return
}

// -----

func.func @int_conv_depthwise_strategy(%x: tensor<1x4x6xi8>, %w: tensor<6x2x3xi8>) {
  // expected-error @+1 {{'qnn.int_conv' op strategy depthwise needs one input and one output channel per group}}
  %y = qnn.int_conv %x, %w strides = [1] dilations = [1] groups = 2 {strategy = "depthwise"} : (tensor<1x4x6xi8>, tensor<6x2x3xi8>) -> tensor<1x4x2x3xi32>
  return
}
