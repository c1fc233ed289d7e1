// RUN: qnn-opt %s --qnn-fuse --split-input-file | FileCheck %s

// relu after a single-use conv becomes the conv's post-op.
// CHECK-LABEL: func @conv_relu
// CHECK: %[[C:.+]] = qnn.conv %{{.+}}, %{{.+}} strides = [1, 1] padding = [0, 0] dilations = [1, 1] groups = 1 post_op = relu
// CHECK-NOT: qnn.activation
// CHECK: return %[[C]]
func.func @conv_relu(%x: tensor<1x2x4x4x!quant.uniform<u8:f32, 0.1:3>>, %w: tensor<2x2x3x3x!quant.uniform<i8:f32, 0.5>>) -> tensor<1x2x2x2x!quant.uniform<u8:f32, 0.2:5>> {
  %c = qnn.conv %x, %w strides = [1, 1] padding = [0, 0] dilations = [1, 1] groups = 1 : (tensor<1x2x4x4x!quant.uniform<u8:f32, 0.1:3>>, tensor<2x2x3x3x!quant.uniform<i8:f32, 0.5>>) -> tensor<1x2x2x2x!quant.uniform<u8:f32, 0.2:5>>
  %r = qnn.activation relu %c : tensor<1x2x2x2x!quant.uniform<u8:f32, 0.2:5>> -> tensor<1x2x2x2x!quant.uniform<u8:f32, 0.2:5>>
  return %r : tensor<1x2x2x2x!quant.uniform<u8:f32, 0.2:5>>
}

// -----

// relu after a single-use linear becomes the linear's post-op.
// CHECK-LABEL: func @linear_relu
// CHECK: %[[L:.+]] = qnn.linear %{{.+}}, %{{.+}} bias(%{{.+}}) post_op = relu
// CHECK-NOT: qnn.activation
// CHECK: return %[[L]]
func.func @linear_relu(%x: tensor<2x8x!quant.uniform<u8:f32, 0.1:3>>, %w: tensor<4x8x!quant.uniform<i8:f32, 0.05>>, %b: tensor<4xf32>) -> tensor<2x4x!quant.uniform<u8:f32, 0.2:5>> {
  %l = qnn.linear %x, %w bias(%b) : (tensor<2x8x!quant.uniform<u8:f32, 0.1:3>>, tensor<4x8x!quant.uniform<i8:f32, 0.05>>, tensor<4xf32>) -> tensor<2x4x!quant.uniform<u8:f32, 0.2:5>>
  %r = qnn.activation relu %l : tensor<2x4x!quant.uniform<u8:f32, 0.2:5>> -> tensor<2x4x!quant.uniform<u8:f32, 0.2:5>>
  return %r : tensor<2x4x!quant.uniform<u8:f32, 0.2:5>>
}

// -----

// Not fused: the conv's unclamped result has another user.
// CHECK-LABEL: func @conv_relu_multi_use
// CHECK: %[[C:.+]] = qnn.conv
// CHECK-NOT: post_op
// CHECK: %[[R:.+]] = qnn.activation relu %[[C]]
// CHECK: return %[[C]], %[[R]]
func.func @conv_relu_multi_use(%x: tensor<1x2x4x4x!quant.uniform<u8:f32, 0.1:3>>, %w: tensor<2x2x3x3x!quant.uniform<i8:f32, 0.5>>) -> (tensor<1x2x2x2x!quant.uniform<u8:f32, 0.2:5>>, tensor<1x2x2x2x!quant.uniform<u8:f32, 0.2:5>>) {
  %c = qnn.conv %x, %w strides = [1, 1] padding = [0, 0] dilations = [1, 1] groups = 1 : (tensor<1x2x4x4x!quant.uniform<u8:f32, 0.1:3>>, tensor<2x2x3x3x!quant.uniform<i8:f32, 0.5>>) -> tensor<1x2x2x2x!quant.uniform<u8:f32, 0.2:5>>
  %r = qnn.activation relu %c : tensor<1x2x2x2x!quant.uniform<u8:f32, 0.2:5>> -> tensor<1x2x2x2x!quant.uniform<u8:f32, 0.2:5>>
  return %c, %r : tensor<1x2x2x2x!quant.uniform<u8:f32, 0.2:5>>, tensor<1x2x2x2x!quant.uniform<u8:f32, 0.2:5>>
}

// -----

// Not fused: the linear already has a post-op (tanh then relu is not a
// single post-op).
// CHECK-LABEL: func @linear_tanh_relu
// CHECK: qnn.linear {{.+}} post_op = tanh
// CHECK: qnn.activation relu
func.func @linear_tanh_relu(%x: tensor<2x8x!quant.uniform<u8:f32, 0.1:3>>, %w: tensor<4x8x!quant.uniform<i8:f32, 0.05>>) -> tensor<2x4x!quant.uniform<u8:f32, 0.0078125:128>> {
  %l = qnn.linear %x, %w post_op = tanh : (tensor<2x8x!quant.uniform<u8:f32, 0.1:3>>, tensor<4x8x!quant.uniform<i8:f32, 0.05>>) -> tensor<2x4x!quant.uniform<u8:f32, 0.0078125:128>>
  %r = qnn.activation relu %l : tensor<2x4x!quant.uniform<u8:f32, 0.0078125:128>> -> tensor<2x4x!quant.uniform<u8:f32, 0.0078125:128>>
  return %r : tensor<2x4x!quant.uniform<u8:f32, 0.0078125:128>>
}

// -----

// conv then add_relu (conv on either side) becomes conv with the other
// operand added and relu as post-op.
// CHECK-LABEL: func @conv_add_relu
// CHECK-SAME: (%[[X:.+]]: tensor<{{.+}}>, %[[W:.+]]: tensor<{{.+}}>, %[[Y:.+]]: tensor<{{.+}}>)
// CHECK: %[[C:.+]] = qnn.conv %[[X]], %[[W]] add(%[[Y]]) strides = [1, 1] padding = [1, 1] dilations = [1, 1] groups = 1 post_op = relu
// CHECK-NOT: qnn.add
// CHECK: %[[C2:.+]] = qnn.conv %[[X]], %[[W]] add(%[[Y]]) strides = [1, 1] padding = [1, 1] dilations = [1, 1] groups = 1 :
// CHECK-NOT: qnn.add
// CHECK: return %[[C]], %[[C2]]
func.func @conv_add_relu(%x: tensor<1x2x4x4x!quant.uniform<u8:f32, 0.1:3>>, %w: tensor<2x2x3x3x!quant.uniform<i8:f32, 0.5>>, %y: tensor<1x2x4x4x!quant.uniform<u8:f32, 0.3:1>>) -> (tensor<1x2x4x4x!quant.uniform<u8:f32, 0.2:5>>, tensor<1x2x4x4x!quant.uniform<u8:f32, 0.2:5>>) {
  %c = qnn.conv %x, %w strides = [1, 1] padding = [1, 1] dilations = [1, 1] groups = 1 : (tensor<1x2x4x4x!quant.uniform<u8:f32, 0.1:3>>, tensor<2x2x3x3x!quant.uniform<i8:f32, 0.5>>) -> tensor<1x2x4x4x!quant.uniform<u8:f32, 0.2:5>>
  %s = qnn.add %c, %y post_op = relu : tensor<1x2x4x4x!quant.uniform<u8:f32, 0.2:5>>, tensor<1x2x4x4x!quant.uniform<u8:f32, 0.3:1>> -> tensor<1x2x4x4x!quant.uniform<u8:f32, 0.2:5>>
  %c2 = qnn.conv %x, %w strides = [1, 1] padding = [1, 1] dilations = [1, 1] groups = 1 : (tensor<1x2x4x4x!quant.uniform<u8:f32, 0.1:3>>, tensor<2x2x3x3x!quant.uniform<i8:f32, 0.5>>) -> tensor<1x2x4x4x!quant.uniform<u8:f32, 0.2:5>>
  %s2 = qnn.add %y, %c2 : tensor<1x2x4x4x!quant.uniform<u8:f32, 0.3:1>>, tensor<1x2x4x4x!quant.uniform<u8:f32, 0.2:5>> -> tensor<1x2x4x4x!quant.uniform<u8:f32, 0.2:5>>
  return %s, %s2 : tensor<1x2x4x4x!quant.uniform<u8:f32, 0.2:5>>, tensor<1x2x4x4x!quant.uniform<u8:f32, 0.2:5>>
}

// -----

// A conv with an output scale of its own fuses with the add: its result type
// becomes the conv's intermediate type, so the add is the same.
// CHECK-LABEL: func @conv_add_own_scale
// CHECK-SAME: (%[[X:.+]]: tensor<{{.+}}>, %[[W:.+]]: tensor<{{.+}}>, %[[Y:.+]]: tensor<{{.+}}>)
// CHECK-NEXT: %[[C:.+]] = qnn.conv %[[X]], %[[W]] add(%[[Y]]) strides = [1, 1] padding = [1, 1] dilations = [1, 1] groups = 1 intermediate(!quant.uniform<u8:f32, 2.000000e-01:5>) : {{.+}} -> tensor<1x2x4x4x!quant.uniform<u8:f32, 4.000000e-01:5>>
// CHECK-NEXT: return %[[C]]
func.func @conv_add_own_scale(%x: tensor<1x2x4x4x!quant.uniform<u8:f32, 0.1:3>>, %w: tensor<2x2x3x3x!quant.uniform<i8:f32, 0.5>>, %y: tensor<1x2x4x4x!quant.uniform<u8:f32, 0.3:1>>) -> tensor<1x2x4x4x!quant.uniform<u8:f32, 0.4:5>> {
  %c = qnn.conv %x, %w strides = [1, 1] padding = [1, 1] dilations = [1, 1] groups = 1 : (tensor<1x2x4x4x!quant.uniform<u8:f32, 0.1:3>>, tensor<2x2x3x3x!quant.uniform<i8:f32, 0.5>>) -> tensor<1x2x4x4x!quant.uniform<u8:f32, 0.2:5>>
  %s = qnn.add %c, %y : tensor<1x2x4x4x!quant.uniform<u8:f32, 0.2:5>>, tensor<1x2x4x4x!quant.uniform<u8:f32, 0.3:1>> -> tensor<1x2x4x4x!quant.uniform<u8:f32, 0.4:5>>
  return %s : tensor<1x2x4x4x!quant.uniform<u8:f32, 0.4:5>>
}

// -----

// Not fused: torch computes some elements of the add with ATen's scalar
// lambda, which the conv's add does not have.
// CHECK-LABEL: func @conv_add_scalar_tail
// CHECK: %[[C:.+]] = qnn.conv
// CHECK-NOT: add(
// CHECK: qnn.add %[[C]], %{{.+}} {scalar_ranges = array<i64: 16, 32>}
func.func @conv_add_scalar_tail(%x: tensor<1x2x4x4x!quant.uniform<u8:f32, 0.1:3>>, %w: tensor<2x2x3x3x!quant.uniform<i8:f32, 0.5>>, %y: tensor<1x2x4x4x!quant.uniform<u8:f32, 0.3:1>>) -> tensor<1x2x4x4x!quant.uniform<u8:f32, 0.2:5>> {
  %c = qnn.conv %x, %w strides = [1, 1] padding = [1, 1] dilations = [1, 1] groups = 1 : (tensor<1x2x4x4x!quant.uniform<u8:f32, 0.1:3>>, tensor<2x2x3x3x!quant.uniform<i8:f32, 0.5>>) -> tensor<1x2x4x4x!quant.uniform<u8:f32, 0.2:5>>
  %s = qnn.add %c, %y {scalar_ranges = array<i64: 16, 32>} : tensor<1x2x4x4x!quant.uniform<u8:f32, 0.2:5>>, tensor<1x2x4x4x!quant.uniform<u8:f32, 0.3:1>> -> tensor<1x2x4x4x!quant.uniform<u8:f32, 0.2:5>>
  return %s : tensor<1x2x4x4x!quant.uniform<u8:f32, 0.2:5>>
}

// -----

// Not fused: the conv result is also returned.
// CHECK-LABEL: func @conv_add_multi_use
// CHECK: %[[C:.+]] = qnn.conv
// CHECK-NOT: add(
// CHECK: qnn.add %[[C]]
func.func @conv_add_multi_use(%x: tensor<1x2x4x4x!quant.uniform<u8:f32, 0.1:3>>, %w: tensor<2x2x3x3x!quant.uniform<i8:f32, 0.5>>, %y: tensor<1x2x4x4x!quant.uniform<u8:f32, 0.3:1>>) -> (tensor<1x2x4x4x!quant.uniform<u8:f32, 0.2:5>>, tensor<1x2x4x4x!quant.uniform<u8:f32, 0.2:5>>) {
  %c = qnn.conv %x, %w strides = [1, 1] padding = [1, 1] dilations = [1, 1] groups = 1 : (tensor<1x2x4x4x!quant.uniform<u8:f32, 0.1:3>>, tensor<2x2x3x3x!quant.uniform<i8:f32, 0.5>>) -> tensor<1x2x4x4x!quant.uniform<u8:f32, 0.2:5>>
  %s = qnn.add %c, %y : tensor<1x2x4x4x!quant.uniform<u8:f32, 0.2:5>>, tensor<1x2x4x4x!quant.uniform<u8:f32, 0.3:1>> -> tensor<1x2x4x4x!quant.uniform<u8:f32, 0.2:5>>
  return %c, %s : tensor<1x2x4x4x!quant.uniform<u8:f32, 0.2:5>>, tensor<1x2x4x4x!quant.uniform<u8:f32, 0.2:5>>
}

// -----

// The reference form of LinearLeakyReLU (nnq.Linear then nnq.LeakyReLU:
// the linear quantized to its own type, then leaky_relu), with custom
// qmin/qmax on the output, lifts back to one qnn.linear with the post-op and
// the intermediate type, keeping the bounds.
// CHECK-LABEL: func @lift_linear_leaky
// CHECK-SAME: (%[[X:.+]]: tensor<{{.+}}>, %[[W:.+]]: tensor<{{.+}}>, %[[B:.+]]: tensor<4xf32>)
// CHECK-NEXT: %[[L:.+]] = qnn.linear %[[X]], %[[W]] bias(%[[B]]) post_op = leaky_relu(negative_slope = 1.250000e-01) intermediate(!quant.uniform<u8:f32, 1.000000e-01:10>) : {{.+}} -> tensor<2x4x!quant.uniform<i8<-127:127>:f32, 2.000000e-01>>
// CHECK-NEXT: return %[[L]]
func.func @lift_linear_leaky(%x: tensor<2x8x!quant.uniform<u8:f32, 0.1:3>>, %w: tensor<4x8x!quant.uniform<i8:f32, 0.05>>, %b: tensor<4xf32>) -> tensor<2x4x!quant.uniform<i8<-127:127>:f32, 0.2>> {
  %slope = arith.constant dense<0.125> : tensor<2x4xf32>
  %zeros = arith.constant dense<0.0> : tensor<2x4xf32>
  %zero = arith.constant 0.0 : f32
  %xf = qnn.dequantize %x : tensor<2x8x!quant.uniform<u8:f32, 0.1:3>> -> tensor<2x8xf32>
  %wf = qnn.dequantize %w : tensor<4x8x!quant.uniform<i8:f32, 0.05>> -> tensor<4x8xf32>
  %e0 = tensor.empty() : tensor<8x4xf32>
  %wt = linalg.transpose ins(%wf : tensor<4x8xf32>) outs(%e0 : tensor<8x4xf32>) permutation = [1, 0]
  %e1 = tensor.empty() : tensor<2x4xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e1 : tensor<2x4xf32>) -> tensor<2x4xf32>
  %mm = linalg.matmul ins(%xf, %wt : tensor<2x8xf32>, tensor<8x4xf32>) outs(%init : tensor<2x4xf32>) -> tensor<2x4xf32>
  %e2 = tensor.empty() : tensor<2x4xf32>
  %bb = linalg.broadcast ins(%b : tensor<4xf32>) outs(%e2 : tensor<2x4xf32>) dimensions = [0]
  %y = arith.addf %mm, %bb : tensor<2x4xf32>
  %yq = qnn.quantize %y : tensor<2x4xf32> -> tensor<2x4x!quant.uniform<u8:f32, 0.1:10>>
  %yd = qnn.dequantize %yq : tensor<2x4x!quant.uniform<u8:f32, 0.1:10>> -> tensor<2x4xf32>
  %pos = arith.cmpf ogt, %yd, %zeros : tensor<2x4xf32>
  %neg = arith.mulf %yd, %slope : tensor<2x4xf32>
  %act = arith.select %pos, %yd, %neg : tensor<2x4xi1>, tensor<2x4xf32>
  %q = qnn.quantize %act : tensor<2x4xf32> -> tensor<2x4x!quant.uniform<i8<-127:127>:f32, 0.2>>
  return %q : tensor<2x4x!quant.uniform<i8<-127:127>:f32, 0.2>>
}

// -----

// Not lifted: leaky_relu applied to the float linear before any rounding is
// not what a linear followed by a quantized leaky_relu computes (the post-op
// applies to the requantized result), so the float computation stays.
// CHECK-LABEL: func @lift_linear_float_leaky
// CHECK-NOT: qnn.linear
// CHECK: arith.select
func.func @lift_linear_float_leaky(%x: tensor<2x8x!quant.uniform<u8:f32, 0.1:3>>, %w: tensor<4x8x!quant.uniform<i8:f32, 0.05>>) -> tensor<2x4x!quant.uniform<u8:f32, 0.2>> {
  %slope = arith.constant dense<0.125> : tensor<2x4xf32>
  %zeros = arith.constant dense<0.0> : tensor<2x4xf32>
  %zero = arith.constant 0.0 : f32
  %xf = qnn.dequantize %x : tensor<2x8x!quant.uniform<u8:f32, 0.1:3>> -> tensor<2x8xf32>
  %wf = qnn.dequantize %w : tensor<4x8x!quant.uniform<i8:f32, 0.05>> -> tensor<4x8xf32>
  %e0 = tensor.empty() : tensor<8x4xf32>
  %wt = linalg.transpose ins(%wf : tensor<4x8xf32>) outs(%e0 : tensor<8x4xf32>) permutation = [1, 0]
  %e1 = tensor.empty() : tensor<2x4xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e1 : tensor<2x4xf32>) -> tensor<2x4xf32>
  %mm = linalg.matmul ins(%xf, %wt : tensor<2x8xf32>, tensor<8x4xf32>) outs(%init : tensor<2x4xf32>) -> tensor<2x4xf32>
  %pos = arith.cmpf ogt, %mm, %zeros : tensor<2x4xf32>
  %neg = arith.mulf %mm, %slope : tensor<2x4xf32>
  %act = arith.select %pos, %mm, %neg : tensor<2x4xi1>, tensor<2x4xf32>
  %q = qnn.quantize %act : tensor<2x4xf32> -> tensor<2x4x!quant.uniform<u8:f32, 0.2>>
  return %q : tensor<2x4x!quant.uniform<u8:f32, 0.2>>
}

// -----

// Not lifted: the float matmul result is also returned, so the float
// computation must stay.
// CHECK-LABEL: func @lift_linear_multi_use
// CHECK-NOT: qnn.linear
// CHECK: linalg.matmul
// CHECK: qnn.quantize
func.func @lift_linear_multi_use(%x: tensor<2x8x!quant.uniform<u8:f32, 0.1:3>>, %w: tensor<4x8x!quant.uniform<i8:f32, 0.05>>) -> (tensor<2x4x!quant.uniform<u8:f32, 0.2>>, tensor<2x4xf32>) {
  %zero = arith.constant 0.0 : f32
  %xf = qnn.dequantize %x : tensor<2x8x!quant.uniform<u8:f32, 0.1:3>> -> tensor<2x8xf32>
  %wf = qnn.dequantize %w : tensor<4x8x!quant.uniform<i8:f32, 0.05>> -> tensor<4x8xf32>
  %e0 = tensor.empty() : tensor<8x4xf32>
  %wt = linalg.transpose ins(%wf : tensor<4x8xf32>) outs(%e0 : tensor<8x4xf32>) permutation = [1, 0]
  %e1 = tensor.empty() : tensor<2x4xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e1 : tensor<2x4xf32>) -> tensor<2x4xf32>
  %mm = linalg.matmul ins(%xf, %wt : tensor<2x8xf32>, tensor<8x4xf32>) outs(%init : tensor<2x4xf32>) -> tensor<2x4xf32>
  %q = qnn.quantize %mm : tensor<2x4xf32> -> tensor<2x4x!quant.uniform<u8:f32, 0.2>>
  return %q, %mm : tensor<2x4x!quant.uniform<u8:f32, 0.2>>, tensor<2x4xf32>
}

// -----

// relu6 is a clamp that keeps the result's quantization: it lifts as the
// linear's post-op.
// CHECK-LABEL: func @lift_linear_relu6
// CHECK-NEXT: %[[L:.+]] = qnn.linear %{{.+}}, %{{.+}} post_op = relu6 :
// CHECK-NEXT: return %[[L]]
func.func @lift_linear_relu6(%x: tensor<2x8x!quant.uniform<u8:f32, 0.1:3>>, %w: tensor<4x8x!quant.uniform<i8:f32, 0.05>>) -> tensor<2x4x!quant.uniform<u8:f32, 0.2>> {
  %zero = arith.constant 0.0 : f32
  %zeros = arith.constant dense<0.0> : tensor<2x4xf32>
  %six = arith.constant dense<6.0> : tensor<2x4xf32>
  %xf = qnn.dequantize %x : tensor<2x8x!quant.uniform<u8:f32, 0.1:3>> -> tensor<2x8xf32>
  %wf = qnn.dequantize %w : tensor<4x8x!quant.uniform<i8:f32, 0.05>> -> tensor<4x8xf32>
  %e0 = tensor.empty() : tensor<8x4xf32>
  %wt = linalg.transpose ins(%wf : tensor<4x8xf32>) outs(%e0 : tensor<8x4xf32>) permutation = [1, 0]
  %e1 = tensor.empty() : tensor<2x4xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e1 : tensor<2x4xf32>) -> tensor<2x4xf32>
  %mm = linalg.matmul ins(%xf, %wt : tensor<2x8xf32>, tensor<8x4xf32>) outs(%init : tensor<2x4xf32>) -> tensor<2x4xf32>
  %lo = arith.maximumf %mm, %zeros : tensor<2x4xf32>
  %hi = arith.minimumf %lo, %six : tensor<2x4xf32>
  %q = qnn.quantize %hi : tensor<2x4xf32> -> tensor<2x4x!quant.uniform<u8:f32, 0.2>>
  return %q : tensor<2x4x!quant.uniform<u8:f32, 0.2>>
}

// -----

// Not lifted: under onednn numerics a weight with zero point 2 cannot be a
// qnn.linear weight, so the reference form stays.
// CHECK-LABEL: func @lift_linear_onednn_weight_zp
// CHECK-NOT: qnn.linear
// CHECK: linalg.matmul
module attributes {qnn.numerics = "onednn"} {
func.func @lift_linear_onednn_weight_zp(%x: tensor<2x8x!quant.uniform<u8:f32, 0.1:3>>, %w: tensor<4x8x!quant.uniform<i8:f32, 0.05:2>>) -> tensor<2x4x!quant.uniform<u8:f32, 0.2>> {
  %zero = arith.constant 0.0 : f32
  %xf = qnn.dequantize %x : tensor<2x8x!quant.uniform<u8:f32, 0.1:3>> -> tensor<2x8xf32>
  %wf = qnn.dequantize %w : tensor<4x8x!quant.uniform<i8:f32, 0.05:2>> -> tensor<4x8xf32>
  %e0 = tensor.empty() : tensor<8x4xf32>
  %wt = linalg.transpose ins(%wf : tensor<4x8xf32>) outs(%e0 : tensor<8x4xf32>) permutation = [1, 0]
  %e1 = tensor.empty() : tensor<2x4xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e1 : tensor<2x4xf32>) -> tensor<2x4xf32>
  %mm = linalg.matmul ins(%xf, %wt : tensor<2x8xf32>, tensor<8x4xf32>) outs(%init : tensor<2x4xf32>) -> tensor<2x4xf32>
  %q = qnn.quantize %mm : tensor<2x4xf32> -> tensor<2x4x!quant.uniform<u8:f32, 0.2>>
  return %q : tensor<2x4x!quant.uniform<u8:f32, 0.2>>
}
}

// -----

// add_relu, relu, relu6 and requantize lift from their reference forms.
// CHECK-LABEL: func @lift_elementwise
// CHECK-SAME: (%[[A:.+]]: tensor<{{.+}}>, %[[B:.+]]: tensor<{{.+}}>)
// CHECK-NEXT: %[[S:.+]] = qnn.add %[[A]], %[[B]] post_op = relu : {{.+}} -> tensor<4x!quant.uniform<u8:f32, 3.000000e-01:1>>
// CHECK-NEXT: %[[R:.+]] = qnn.activation relu %[[A]]
// CHECK-NEXT: %[[R6:.+]] = qnn.activation relu6 %[[A]]
// CHECK-NEXT: %[[RQ:.+]] = qnn.requantize %[[A]] : tensor<4x!quant.uniform<u8:f32, 1.000000e-01:3>> -> tensor<4x!quant.uniform<u8:f32, 5.000000e-02>>
// CHECK-NEXT: return %[[S]], %[[R]], %[[R6]], %[[RQ]]
func.func @lift_elementwise(%a: tensor<4x!quant.uniform<u8:f32, 0.1:3>>, %b: tensor<4x!quant.uniform<u8:f32, 0.2>>) -> (tensor<4x!quant.uniform<u8:f32, 0.3:1>>, tensor<4x!quant.uniform<u8:f32, 0.1:3>>, tensor<4x!quant.uniform<u8:f32, 0.1:3>>, tensor<4x!quant.uniform<u8:f32, 0.05>>) {
  %zeros = arith.constant dense<0.0> : tensor<4xf32>
  %six = arith.constant dense<6.0> : tensor<4xf32>
  %af = qnn.dequantize %a : tensor<4x!quant.uniform<u8:f32, 0.1:3>> -> tensor<4xf32>
  %bf = qnn.dequantize %b : tensor<4x!quant.uniform<u8:f32, 0.2>> -> tensor<4xf32>
  %sum = arith.addf %af, %bf : tensor<4xf32>
  %sr = arith.maximumf %sum, %zeros : tensor<4xf32>
  %s = qnn.quantize %sr : tensor<4xf32> -> tensor<4x!quant.uniform<u8:f32, 0.3:1>>
  %rf = arith.maximumf %af, %zeros : tensor<4xf32>
  %r = qnn.quantize %rf : tensor<4xf32> -> tensor<4x!quant.uniform<u8:f32, 0.1:3>>
  %lo = arith.maximumf %af, %zeros : tensor<4xf32>
  %hi = arith.minimumf %lo, %six : tensor<4xf32>
  %r6 = qnn.quantize %hi : tensor<4xf32> -> tensor<4x!quant.uniform<u8:f32, 0.1:3>>
  %rq = qnn.quantize %af : tensor<4xf32> -> tensor<4x!quant.uniform<u8:f32, 0.05>>
  return %s, %r, %r6, %rq : tensor<4x!quant.uniform<u8:f32, 0.3:1>>, tensor<4x!quant.uniform<u8:f32, 0.1:3>>, tensor<4x!quant.uniform<u8:f32, 0.1:3>>, tensor<4x!quant.uniform<u8:f32, 0.05>>
}

// -----

// A float relu quantized to another scale is an activation between the two
// types (a table of the codes, not a clamp).
// CHECK-LABEL: func @lift_relu_other_scale
// CHECK-NEXT: %[[R:.+]] = qnn.activation relu %{{.+}} : tensor<4x!quant.uniform<u8:f32, 1.000000e-01:3>> -> tensor<4x!quant.uniform<u8:f32, 2.000000e-01:3>>
// CHECK-NEXT: return %[[R]]
func.func @lift_relu_other_scale(%a: tensor<4x!quant.uniform<u8:f32, 0.1:3>>) -> tensor<4x!quant.uniform<u8:f32, 0.2:3>> {
  %zeros = arith.constant dense<0.0> : tensor<4xf32>
  %af = qnn.dequantize %a : tensor<4x!quant.uniform<u8:f32, 0.1:3>> -> tensor<4xf32>
  %rf = arith.maximumf %af, %zeros : tensor<4xf32>
  %r = qnn.quantize %rf : tensor<4xf32> -> tensor<4x!quant.uniform<u8:f32, 0.2:3>>
  return %r : tensor<4x!quant.uniform<u8:f32, 0.2:3>>
}

// -----

// Not lifted: a float add whose sum is also used elsewhere.
// CHECK-LABEL: func @lift_add_multi_use
// CHECK-NOT: qnn.add
// CHECK: arith.addf
func.func @lift_add_multi_use(%a: tensor<4x!quant.uniform<u8:f32, 0.1:3>>, %b: tensor<4x!quant.uniform<u8:f32, 0.2>>) -> (tensor<4x!quant.uniform<u8:f32, 0.3:1>>, tensor<4xf32>) {
  %zeros = arith.constant dense<0.0> : tensor<4xf32>
  %af = qnn.dequantize %a : tensor<4x!quant.uniform<u8:f32, 0.1:3>> -> tensor<4xf32>
  %bf = qnn.dequantize %b : tensor<4x!quant.uniform<u8:f32, 0.2>> -> tensor<4xf32>
  %sum = arith.addf %af, %bf : tensor<4xf32>
  %sr = arith.maximumf %sum, %zeros : tensor<4xf32>
  %s = qnn.quantize %sr : tensor<4xf32> -> tensor<4x!quant.uniform<u8:f32, 0.3:1>>
  return %s, %sum : tensor<4x!quant.uniform<u8:f32, 0.3:1>>, tensor<4xf32>
}

// -----

// Not fused: torch computes some of the activation's elements with ATen's
// scalar loop (scalar_ranges), which a post-op does not model.
// CHECK-LABEL: func @linear_leaky_scalar_tail
// CHECK: qnn.linear
// CHECK-NOT: post_op
// CHECK: qnn.activation leaky_relu(negative_slope = 1.000000e-01) %{{.+}} {scalar_ranges = array<i64: 0, 8>}
func.func @linear_leaky_scalar_tail(%x: tensor<2x8x!quant.uniform<u8:f32, 0.1:3>>, %w: tensor<4x8x!quant.uniform<i8:f32, 0.05>>) -> tensor<2x4x!quant.uniform<u8:f32, 0.1:100>> {
  %l = qnn.linear %x, %w : (tensor<2x8x!quant.uniform<u8:f32, 0.1:3>>, tensor<4x8x!quant.uniform<i8:f32, 0.05>>) -> tensor<2x4x!quant.uniform<u8:f32, 0.2:128>>
  %r = qnn.activation leaky_relu(negative_slope = 0.1) %l {scalar_ranges = array<i64: 0, 8>} : tensor<2x4x!quant.uniform<u8:f32, 0.2:128>> -> tensor<2x4x!quant.uniform<u8:f32, 0.1:100>>
  return %r : tensor<2x4x!quant.uniform<u8:f32, 0.1:100>>
}

// -----

// The reference Linear of default_symmetric_qnnpack_qconfig: the weight's
// custom range -127..127 (the seed's test_linear_decomposed_weight_custom_
// qmin_qmax) is its type's storage bounds, which the lifted qnn.linear
// keeps.
// CHECK-LABEL: func @lift_linear_symmetric_weight
// CHECK-NEXT: %[[L:.+]] = qnn.linear %arg0, %arg1 : (tensor<2x8x!quant.uniform<u8:f32, 1.000000e-01:3>>, tensor<4x8x!quant.uniform<i8<-127:127>:f32, 5.000000e-02>>) -> tensor<2x4x!quant.uniform<u8:f32, 2.000000e-01:7>>
// CHECK-NEXT: return %[[L]]
func.func @lift_linear_symmetric_weight(%x: tensor<2x8x!quant.uniform<u8:f32, 0.1:3>>, %w: tensor<4x8x!quant.uniform<i8<-127:127>:f32, 0.05>>) -> tensor<2x4x!quant.uniform<u8:f32, 0.2:7>> {
  %zero = arith.constant 0.0 : f32
  %xf = qnn.dequantize %x : tensor<2x8x!quant.uniform<u8:f32, 0.1:3>> -> tensor<2x8xf32>
  %wf = qnn.dequantize %w : tensor<4x8x!quant.uniform<i8<-127:127>:f32, 0.05>> -> tensor<4x8xf32>
  %e0 = tensor.empty() : tensor<8x4xf32>
  %wt = linalg.transpose ins(%wf : tensor<4x8xf32>) outs(%e0 : tensor<8x4xf32>) permutation = [1, 0]
  %e1 = tensor.empty() : tensor<2x4xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e1 : tensor<2x4xf32>) -> tensor<2x4xf32>
  %mm = linalg.matmul ins(%xf, %wt : tensor<2x8xf32>, tensor<8x4xf32>) outs(%init : tensor<2x4xf32>) -> tensor<2x4xf32>
  %q = qnn.quantize %mm : tensor<2x4xf32> -> tensor<2x4x!quant.uniform<u8:f32, 0.2:7>>
  return %q : tensor<2x4x!quant.uniform<u8:f32, 0.2:7>>
}
