// RUN: qnn-opt %s --qnn-decompose --qnn-fuse | FileCheck %s
// RUN: qnn-opt %s --qnn-decompose --qnn-fuse --qnn-decompose --qnn-fuse | FileCheck %s
// RUN: qnn-opt %s --qnn-decompose | qnn-opt --qnn-fuse | FileCheck %s

// Decomposing fused qnn ops into the reference form and fusing again gives
// back the same ops, with every attribute, optional operand and custom range.

!x8 = tensor<1x4x8x8x!quant.uniform<u8:f32, 0.1:3>>
!w8 = tensor<6x2x3x3x!quant.uniform<i8<-127:127>:f32:0, {0.5, 0.25, 0.5, 0.125, 1.0, 2.0}>>
!y8 = tensor<1x6x8x8x!quant.uniform<u8:f32, 0.2:1>>
!e = tensor<2x3x!quant.uniform<u8:f32, 0.1:3>>
!a8 = tensor<2x3x!quant.uniform<u8:f32, 0.1:3>>
!s8 = tensor<2x3x!quant.uniform<i8:f32, 0.05>>

module attributes {qnn.numerics = "qnnpack"} {

// CHECK-LABEL: func @linear
// CHECK-SAME: (%[[X:.+]]: tensor<2x3x8x{{.+}}>, %[[W:.+]]: tensor<4x8x{{.+}}>, %[[WC:.+]]: tensor<4x8x{{.+}}>, %[[B:.+]]: tensor<4xf32>)
// CHECK-NEXT: %[[L0:.+]] = qnn.linear %[[X]], %[[W]] : {{.+}} -> tensor<2x3x4x!quant.uniform<u8:f32, 2.000000e-01:1>>
// CHECK-NEXT: %[[L1:.+]] = qnn.linear %[[X]], %[[W]] bias(%[[B]]) post_op = relu :
// CHECK-NEXT: %[[L2:.+]] = qnn.linear %[[X]], %[[WC]] bias(%[[B]]) post_op = leaky_relu(negative_slope = 1.250000e-01) intermediate(!quant.uniform<u8:f32, 5.000000e-02:100>) :
// CHECK-NEXT: %[[L3:.+]] = qnn.linear %[[X]], %[[W]] post_op = tanh : {{.+}} -> tensor<2x3x4x!quant.uniform<u8:f32, 7.812500e-03:128>>
// CHECK-NEXT: return %[[L0]], %[[L1]], %[[L2]], %[[L3]]
func.func @linear(%x: tensor<2x3x8x!quant.uniform<u8:f32, 0.1:3>>,
                  %w: tensor<4x8x!quant.uniform<i8:f32, 0.05:2>>,
                  %wc: tensor<4x8x!quant.uniform<i8:f32:0, {0.5, 0.25, 0.5, 0.125}>>,
                  %b: tensor<4xf32>)
    -> (tensor<2x3x4x!quant.uniform<u8:f32, 0.2:1>>, tensor<2x3x4x!quant.uniform<u8:f32, 0.2:1>>,
        tensor<2x3x4x!quant.uniform<u8:f32, 0.2:1>>, tensor<2x3x4x!quant.uniform<u8:f32, 0.0078125:128>>) {
  %0 = qnn.linear %x, %w : (tensor<2x3x8x!quant.uniform<u8:f32, 0.1:3>>, tensor<4x8x!quant.uniform<i8:f32, 0.05:2>>) -> tensor<2x3x4x!quant.uniform<u8:f32, 0.2:1>>
  %1 = qnn.linear %x, %w bias(%b) post_op = relu : (tensor<2x3x8x!quant.uniform<u8:f32, 0.1:3>>, tensor<4x8x!quant.uniform<i8:f32, 0.05:2>>, tensor<4xf32>) -> tensor<2x3x4x!quant.uniform<u8:f32, 0.2:1>>
  %2 = qnn.linear %x, %wc bias(%b) post_op = leaky_relu(negative_slope = 0.125) intermediate(!quant.uniform<u8:f32, 0.05:100>) : (tensor<2x3x8x!quant.uniform<u8:f32, 0.1:3>>, tensor<4x8x!quant.uniform<i8:f32:0, {0.5, 0.25, 0.5, 0.125}>>, tensor<4xf32>) -> tensor<2x3x4x!quant.uniform<u8:f32, 0.2:1>>
  %3 = qnn.linear %x, %w post_op = tanh : (tensor<2x3x8x!quant.uniform<u8:f32, 0.1:3>>, tensor<4x8x!quant.uniform<i8:f32, 0.05:2>>) -> tensor<2x3x4x!quant.uniform<u8:f32, 0.0078125:128>>
  return %0, %1, %2, %3 : tensor<2x3x4x!quant.uniform<u8:f32, 0.2:1>>, tensor<2x3x4x!quant.uniform<u8:f32, 0.2:1>>, tensor<2x3x4x!quant.uniform<u8:f32, 0.2:1>>, tensor<2x3x4x!quant.uniform<u8:f32, 0.0078125:128>>
}

// Dynamic Linear: 3-D, 2-D with and without bias and reduce_range, 1-D.
// CHECK-LABEL: func @dynamic_linear
// CHECK-SAME: (%[[X:.+]]: tensor<2x3x8xf32>, %[[X2:.+]]: tensor<5x8xf32>, %[[X1:.+]]: tensor<8xf32>, %[[W:.+]]: tensor<4x8x{{.+}}>, %[[B:.+]]: tensor<4xf32>)
// CHECK-NEXT: %[[D0:.+]] = qnn.dynamic_linear %[[X]], %[[W]] bias(%[[B]]) reduce_range : {{.+}} -> tensor<2x3x4xf32>
// CHECK-NEXT: %[[D1:.+]] = qnn.dynamic_linear %[[X2]], %[[W]] : {{.+}} -> tensor<5x4xf32>
// CHECK-NEXT: %[[D2:.+]] = qnn.dynamic_linear %[[X1]], %[[W]] bias(%[[B]]) : {{.+}} -> tensor<4xf32>
// CHECK-NEXT: return %[[D0]], %[[D1]], %[[D2]]
func.func @dynamic_linear(%x: tensor<2x3x8xf32>, %x2: tensor<5x8xf32>, %x1: tensor<8xf32>,
                          %w: tensor<4x8x!quant.uniform<i8:f32:0, {0.5, 0.25, 0.5, 0.125}>>,
                          %b: tensor<4xf32>) -> (tensor<2x3x4xf32>, tensor<5x4xf32>, tensor<4xf32>) {
  %0 = qnn.dynamic_linear %x, %w bias(%b) reduce_range : (tensor<2x3x8xf32>, tensor<4x8x!quant.uniform<i8:f32:0, {0.5, 0.25, 0.5, 0.125}>>, tensor<4xf32>) -> tensor<2x3x4xf32>
  %1 = qnn.dynamic_linear %x2, %w : (tensor<5x8xf32>, tensor<4x8x!quant.uniform<i8:f32:0, {0.5, 0.25, 0.5, 0.125}>>) -> tensor<5x4xf32>
  %2 = qnn.dynamic_linear %x1, %w bias(%b) : (tensor<8xf32>, tensor<4x8x!quant.uniform<i8:f32:0, {0.5, 0.25, 0.5, 0.125}>>, tensor<4xf32>) -> tensor<4xf32>
  return %0, %1, %2 : tensor<2x3x4xf32>, tensor<5x4xf32>, tensor<4xf32>
}

// Dynamic conv: reduce_range, groups, bias; reflect padding without bias.
// CHECK-LABEL: func @dynamic_conv
// CHECK-SAME: (%[[X:.+]]: tensor<2x4x6x6xf32>, %[[W:.+]]: tensor<6x2x3x3x{{.+}}>, %[[B:.+]]: tensor<6xf32>)
// CHECK-NEXT: %[[C0:.+]] = qnn.dynamic_conv %[[X]], %[[W]] bias(%[[B]]) strides = [1, 1] padding = [1, 1] dilations = [1, 1] groups = 2 reduce_range :
// CHECK-NEXT: %[[C1:.+]] = qnn.dynamic_conv %[[X]], %[[W]] strides = [2, 1] padding = [0, 1] dilations = [1, 2] groups = 2 padding_mode = reflect :
// CHECK-NEXT: return %[[C0]], %[[C1]]
func.func @dynamic_conv(%x: tensor<2x4x6x6xf32>, %w: tensor<6x2x3x3x!quant.uniform<i8:f32:0, {0.5, 0.25, 0.5, 0.125, 0.5, 0.25}>>, %b: tensor<6xf32>) -> (tensor<2x6x6x6xf32>, tensor<2x6x2x4xf32>) {
  %0 = qnn.dynamic_conv %x, %w bias(%b) strides = [1, 1] padding = [1, 1] dilations = [1, 1] groups = 2 reduce_range : (tensor<2x4x6x6xf32>, tensor<6x2x3x3x!quant.uniform<i8:f32:0, {0.5, 0.25, 0.5, 0.125, 0.5, 0.25}>>, tensor<6xf32>) -> tensor<2x6x6x6xf32>
  %1 = qnn.dynamic_conv %x, %w strides = [2, 1] padding = [0, 1] dilations = [1, 2] groups = 2 padding_mode = reflect : (tensor<2x4x6x6xf32>, tensor<6x2x3x3x!quant.uniform<i8:f32:0, {0.5, 0.25, 0.5, 0.125, 0.5, 0.25}>>) -> tensor<2x6x2x4xf32>
  return %0, %1 : tensor<2x6x6x6xf32>, tensor<2x6x2x4xf32>
}

// CHECK-LABEL: func @conv2d
// CHECK-SAME: (%[[X:.+]]: tensor<{{.+}}>, %[[W:.+]]: tensor<{{.+}}>, %[[B:.+]]: tensor<6xf32>, %[[A:.+]]: tensor<{{.+}}>)
// CHECK-NEXT: %[[C0:.+]] = qnn.conv %[[X]], %[[W]] bias(%[[B]]) add(%[[A]]) strides = [1, 1] padding = [1, 1] dilations = [1, 1] groups = 2 post_op = relu :
// CHECK-NEXT: %[[C1:.+]] = qnn.conv %[[X]], %[[W]] strides = [1, 1] padding = [2, 1] dilations = [2, 1] groups = 2 padding_mode = reflect :
// CHECK-NEXT: %[[C2:.+]] = qnn.conv %[[X]], %[[W]] bias(%[[B]]) strides = [1, 1] padding = [1, 1] dilations = [1, 1] groups = 2 padding_mode = replicate post_op = relu :
// CHECK-NEXT: %[[C3:.+]] = qnn.conv %[[X]], %[[W]] add(%[[A]]) strides = [1, 1] padding = [1, 1] dilations = [1, 1] groups = 2 padding_mode = circular :
// CHECK-NEXT: %[[C4:.+]] = qnn.conv %[[X]], %[[W]] strides = [3, 2] padding = [0, 0] dilations = [1, 1] groups = 2 : {{.+}} -> tensor<1x6x2x3x!quant.uniform<u8:f32, 2.000000e-01:1>>
// CHECK-NEXT: %[[C5:.+]] = qnn.conv %[[X]], %[[W]] add(%[[A]]) strides = [1, 1] padding = [1, 1] dilations = [1, 1] groups = 2 post_op = relu intermediate(!quant.uniform<u8:f32, 2.500000e-01:4>) :
// CHECK-NEXT: %[[C6:.+]] = qnn.conv %[[X]], %[[W]] strides = [1, 1] padding = [1, 1] dilations = [1, 1] groups = 2 post_op = hardswish intermediate(!quant.uniform<u8:f32, 2.500000e-01:4>) :
// CHECK-NEXT: return %[[C0]], %[[C1]], %[[C2]], %[[C3]], %[[C4]], %[[C5]], %[[C6]]
func.func @conv2d(%x: !x8, %w: !w8, %b: tensor<6xf32>, %a: !y8) -> (!y8, !y8, !y8, !y8, tensor<1x6x2x3x!quant.uniform<u8:f32, 0.2:1>>, !y8, !y8) {
  %0 = qnn.conv %x, %w bias(%b) add(%a) strides = [1, 1] padding = [1, 1] dilations = [1, 1] groups = 2 post_op = relu : (!x8, !w8, tensor<6xf32>, !y8) -> !y8
  %1 = qnn.conv %x, %w strides = [1, 1] padding = [2, 1] dilations = [2, 1] groups = 2 padding_mode = reflect : (!x8, !w8) -> !y8
  %2 = qnn.conv %x, %w bias(%b) strides = [1, 1] padding = [1, 1] dilations = [1, 1] groups = 2 padding_mode = replicate post_op = relu : (!x8, !w8, tensor<6xf32>) -> !y8
  %3 = qnn.conv %x, %w add(%a) strides = [1, 1] padding = [1, 1] dilations = [1, 1] groups = 2 padding_mode = circular : (!x8, !w8, !y8) -> !y8
  %4 = qnn.conv %x, %w strides = [3, 2] padding = [0, 0] dilations = [1, 1] groups = 2 : (!x8, !w8) -> tensor<1x6x2x3x!quant.uniform<u8:f32, 0.2:1>>
  %5 = qnn.conv %x, %w add(%a) strides = [1, 1] padding = [1, 1] dilations = [1, 1] groups = 2 post_op = relu intermediate(!quant.uniform<u8:f32, 0.25:4>) : (!x8, !w8, !y8) -> !y8
  %6 = qnn.conv %x, %w strides = [1, 1] padding = [1, 1] dilations = [1, 1] groups = 2 post_op = hardswish intermediate(!quant.uniform<u8:f32, 0.25:4>) : (!x8, !w8) -> !y8
  return %0, %1, %2, %3, %4, %5, %6 : !y8, !y8, !y8, !y8, tensor<1x6x2x3x!quant.uniform<u8:f32, 0.2:1>>, !y8, !y8
}

// CHECK-LABEL: func @conv1d_3d
// CHECK-NEXT: %[[C1:.+]] = qnn.conv %{{.+}}, %{{.+}} strides = [2] padding = [1] dilations = [2] groups = 4 padding_mode = circular :
// CHECK-NEXT: %[[C3:.+]] = qnn.conv %{{.+}}, %{{.+}} strides = [1, 2, 2] padding = [0, 1, 1] dilations = [1, 1, 1] groups = 1 padding_mode = reflect post_op = relu :
// CHECK-NEXT: return %[[C1]], %[[C3]]
func.func @conv1d_3d(%x1: tensor<2x4x10x!quant.uniform<u8:f32, 0.1:3>>,
                     %w1: tensor<4x1x3x!quant.uniform<i8:f32, 0.5>>,
                     %x3: tensor<1x2x4x6x6x!quant.uniform<u8:f32, 0.1:3>>,
                     %w3: tensor<2x2x1x3x3x!quant.uniform<i8:f32, 0.5>>)
    -> (tensor<2x4x4x!quant.uniform<u8:f32, 0.2>>, tensor<1x2x4x3x3x!quant.uniform<u8:f32, 0.2>>) {
  %0 = qnn.conv %x1, %w1 strides = [2] padding = [1] dilations = [2] groups = 4 padding_mode = circular : (tensor<2x4x10x!quant.uniform<u8:f32, 0.1:3>>, tensor<4x1x3x!quant.uniform<i8:f32, 0.5>>) -> tensor<2x4x4x!quant.uniform<u8:f32, 0.2>>
  %1 = qnn.conv %x3, %w3 strides = [1, 2, 2] padding = [0, 1, 1] dilations = [1, 1, 1] groups = 1 padding_mode = reflect post_op = relu : (tensor<1x2x4x6x6x!quant.uniform<u8:f32, 0.1:3>>, tensor<2x2x1x3x3x!quant.uniform<i8:f32, 0.5>>) -> tensor<1x2x4x3x3x!quant.uniform<u8:f32, 0.2>>
  return %0, %1 : tensor<2x4x4x!quant.uniform<u8:f32, 0.2>>, tensor<1x2x4x3x3x!quant.uniform<u8:f32, 0.2>>
}

// CHECK-LABEL: func @elementwise
// CHECK-SAME: (%[[A:.+]]: tensor<{{.+}}>, %[[B:.+]]: tensor<{{.+}}>)
// CHECK-NEXT: %[[S0:.+]] = qnn.add %[[A]], %[[B]] :
// CHECK-NEXT: %[[S1:.+]] = qnn.add %[[A]], %[[B]] post_op = relu :
// CHECK-NEXT: %[[R:.+]] = qnn.activation relu %[[A]]
// CHECK-NEXT: %[[R6:.+]] = qnn.activation relu6 %[[A]]
// CHECK-NEXT: %[[RQ:.+]] = qnn.requantize %[[A]] : {{.+}} -> tensor<4x!quant.uniform<u8:f32, 5.000000e-02>>
// CHECK-NEXT: return %[[S0]], %[[S1]], %[[R]], %[[R6]], %[[RQ]]
func.func @elementwise(%a: tensor<4x!quant.uniform<u8:f32, 0.1:3>>, %b: tensor<4x!quant.uniform<u8:f32, 0.2>>)
    -> (tensor<4x!quant.uniform<u8:f32, 0.3:1>>, tensor<4x!quant.uniform<u8:f32, 0.3:1>>,
        tensor<4x!quant.uniform<u8:f32, 0.1:3>>, tensor<4x!quant.uniform<u8:f32, 0.1:3>>,
        tensor<4x!quant.uniform<u8:f32, 0.05>>) {
  %0 = qnn.add %a, %b : tensor<4x!quant.uniform<u8:f32, 0.1:3>>, tensor<4x!quant.uniform<u8:f32, 0.2>> -> tensor<4x!quant.uniform<u8:f32, 0.3:1>>
  %1 = qnn.add %a, %b post_op = relu : tensor<4x!quant.uniform<u8:f32, 0.1:3>>, tensor<4x!quant.uniform<u8:f32, 0.2>> -> tensor<4x!quant.uniform<u8:f32, 0.3:1>>
  %2 = qnn.activation relu %a : tensor<4x!quant.uniform<u8:f32, 0.1:3>> -> tensor<4x!quant.uniform<u8:f32, 0.1:3>>
  %3 = qnn.activation relu6 %a : tensor<4x!quant.uniform<u8:f32, 0.1:3>> -> tensor<4x!quant.uniform<u8:f32, 0.1:3>>
  %4 = qnn.requantize %a : tensor<4x!quant.uniform<u8:f32, 0.1:3>> -> tensor<4x!quant.uniform<u8:f32, 0.05>>
  return %0, %1, %2, %3, %4 : tensor<4x!quant.uniform<u8:f32, 0.3:1>>, tensor<4x!quant.uniform<u8:f32, 0.3:1>>, tensor<4x!quant.uniform<u8:f32, 0.1:3>>, tensor<4x!quant.uniform<u8:f32, 0.1:3>>, tensor<4x!quant.uniform<u8:f32, 0.05>>
}

// Every activation of the table comes back from its reference form (hardtanh
// with bounds other than relu6's, which would come back as relu6).
// CHECK-LABEL: func @activations
// CHECK-NEXT: qnn.activation hardtanh(min_val = -2.000000e+00, max_val = 5.000000e-01) %{{.+}} :
// CHECK-NEXT: qnn.activation leaky_relu(negative_slope = 2.500000e-01) %{{.+}} :
// CHECK-NEXT: qnn.activation elu(alpha = 1.500000e+00, input_scale = 2.000000e+00) %{{.+}} :
// CHECK-NEXT: qnn.activation sigmoid %{{.+}} :
// CHECK-NEXT: qnn.activation tanh %{{.+}} :
// CHECK-NEXT: qnn.activation hardsigmoid %{{.+}} :
// CHECK-NEXT: qnn.activation hardswish %{{.+}} : {{.+}}i8{{.+}} -> {{.+}}i8
// CHECK-NEXT: qnn.activation prelu %{{.+}} weight(%{{.+}}) :
// CHECK-NEXT: qnn.activation prelu %{{.+}} weight(%{{.+}}) : {{.+}}, tensor<1x
// CHECK-NEXT: return
func.func @activations(%a: !a8, %s: !s8, %w: tensor<3x!quant.uniform<u8:f32, 0.01:100>>, %w1: tensor<1x!quant.uniform<u8:f32, 0.01:100>>) -> (!a8, !a8, !a8, !s8, !a8, !a8, !s8, !a8, !a8) {
  %0 = qnn.activation hardtanh(min_val = -2.0, max_val = 0.5) %a : !a8 -> !a8
  %1 = qnn.activation leaky_relu(negative_slope = 0.25) %a : !a8 -> !a8
  %2 = qnn.activation elu(input_scale = 2.0, alpha = 1.5) %a : !a8 -> !a8
  %3 = qnn.activation sigmoid %s : !s8 -> !s8
  %4 = qnn.activation tanh %a : !a8 -> !a8
  %5 = qnn.activation hardsigmoid %a : !a8 -> !a8
  %6 = qnn.activation hardswish %s : !s8 -> !s8
  %7 = qnn.activation prelu %a weight(%w) : !a8, tensor<3x!quant.uniform<u8:f32, 0.01:100>> -> !a8
  %8 = qnn.activation prelu %a weight(%w1) : !a8, tensor<1x!quant.uniform<u8:f32, 0.01:100>> -> !a8
  return %0, %1, %2, %3, %4, %5, %6, %7, %8 : !a8, !a8, !a8, !s8, !a8, !a8, !s8, !a8, !a8
}

// Max pooling in every geometry comes back from its reference form, ceil
// mode read off the result shape.
// CHECK-LABEL: func @max_pools
// CHECK-NEXT: qnn.max_pool %{{.+}} kernel = [3, 3] strides = [2, 2] padding = [1, 1] dilations = [1, 1] ceil_mode = false
// CHECK-NEXT: qnn.max_pool %{{.+}} kernel = [3, 2] strides = [2, 2] padding = [0, 1] dilations = [2, 1] ceil_mode = true
// CHECK-NEXT: qnn.max_pool %{{.+}} kernel = [2] strides = [1] padding = [0] dilations = [1] ceil_mode = false
// CHECK-NEXT: return
func.func @max_pools(%x: tensor<1x4x8x8x!quant.uniform<u8:f32, 0.1:3>>, %s: tensor<2x3x9x!quant.uniform<i8:f32, 0.5>>) -> (tensor<1x4x4x4x!quant.uniform<u8:f32, 0.1:3>>, tensor<1x4x3x5x!quant.uniform<u8:f32, 0.1:3>>, tensor<2x3x8x!quant.uniform<i8:f32, 0.5>>) {
  %0 = qnn.max_pool %x kernel = [3, 3] strides = [2, 2] padding = [1, 1] dilations = [1, 1] ceil_mode = false : tensor<1x4x8x8x!quant.uniform<u8:f32, 0.1:3>> -> tensor<1x4x4x4x!quant.uniform<u8:f32, 0.1:3>>
  %1 = qnn.max_pool %x kernel = [3, 2] strides = [2, 2] padding = [0, 1] dilations = [2, 1] ceil_mode = true : tensor<1x4x8x8x!quant.uniform<u8:f32, 0.1:3>> -> tensor<1x4x3x5x!quant.uniform<u8:f32, 0.1:3>>
  %2 = qnn.max_pool %s kernel = [2] strides = [1] padding = [0] dilations = [1] ceil_mode = false : tensor<2x3x9x!quant.uniform<i8:f32, 0.5>> -> tensor<2x3x8x!quant.uniform<i8:f32, 0.5>>
  return %0, %1, %2 : tensor<1x4x4x4x!quant.uniform<u8:f32, 0.1:3>>, tensor<1x4x3x5x!quant.uniform<u8:f32, 0.1:3>>, tensor<2x3x8x!quant.uniform<i8:f32, 0.5>>
}

// Broadcasting add and mul, and the scalar ops, come back from their
// reference forms (add_scalar comes back with the scalar the reference form
// adds, cq * s in f32, which rounds to the same cq).
// CHECK-LABEL: func @arithmetic
// CHECK-NEXT: qnn.add %{{.+}}, %{{.+}} post_op = relu : tensor<2x3x{{.+}}>, tensor<3x{{.+}}> -> tensor<2x3x
// CHECK-NEXT: qnn.mul %{{.+}}, %{{.+}} : tensor<2x3x{{.+}}>, tensor<2x1x{{.+}}> -> tensor<2x3x
// CHECK-NEXT: qnn.mul %{{.+}}, %{{.+}} : tensor<2x3x{{.+}}>, tensor<1x{{.+}}> -> tensor<2x3x
// CHECK-NEXT: qnn.add_scalar %{{.+}}, 0.20000000298023224 : {{.+}} -> tensor<2x3x!quant.uniform<u8:f32, 1.000000e-01:1>>
// CHECK-NEXT: qnn.mul_scalar %{{.+}}, -2.000000e+00 post_op = relu :
// CHECK-NEXT: return
func.func @arithmetic(%a: !e, %b: tensor<3x!quant.uniform<u8:f32, 0.2>>, %c: tensor<2x1x!quant.uniform<u8:f32, 0.2>>, %d: tensor<1x!quant.uniform<u8:f32, 0.2>>) -> (!e, !e, !e, tensor<2x3x!quant.uniform<u8:f32, 0.1:1>>, tensor<2x3x!quant.uniform<u8:f32, 0.2:252>>) {
  %0 = qnn.add %a, %b post_op = relu : !e, tensor<3x!quant.uniform<u8:f32, 0.2>> -> !e
  %1 = qnn.mul %a, %c : !e, tensor<2x1x!quant.uniform<u8:f32, 0.2>> -> !e
  %2 = qnn.mul %a, %d : !e, tensor<1x!quant.uniform<u8:f32, 0.2>> -> !e
  %3 = qnn.add_scalar %a, 0.2 : !e -> tensor<2x3x!quant.uniform<u8:f32, 0.1:1>>
  %4 = qnn.mul_scalar %a, -2.0 post_op = relu : !e -> tensor<2x3x!quant.uniform<u8:f32, 0.2:252>>
  return %0, %1, %2, %3, %4 : !e, !e, !e, tensor<2x3x!quant.uniform<u8:f32, 0.1:1>>, tensor<2x3x!quant.uniform<u8:f32, 0.2:252>>
}

}
