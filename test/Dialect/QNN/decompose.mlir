// RUN: qnn-opt %s --qnn-decompose --split-input-file | FileCheck %s
// RUN: qnn-opt %s --qnn-decompose=expand-casts --split-input-file | FileCheck %s --check-prefix=CASTS

// Linear on a rank-3 input: batch dimensions are collapsed around a matmul
// with the transposed weight; the bias follows. tanh is not a clamp: it
// applies to the result quantized to the intermediate type (here the result
// type), as the unfused linear and tanh do.
// CHECK-LABEL: func @linear_3d_tanh
// CHECK-SAME: (%[[X:.+]]: tensor<2x3x8x!quant.uniform<u8:f32, 1.000000e-01:3>>, %[[W:.+]]: tensor<4x8x!quant.uniform<i8:f32, 5.000000e-02>>, %[[B:.+]]: tensor<4xf32>)
// CHECK-DAG: %[[ZERO:.+]] = arith.constant 0.000000e+00 : f32
// CHECK-DAG: %[[XF:.+]] = qnn.dequantize %[[X]] : {{.+}} -> tensor<2x3x8xf32>
// CHECK-DAG: %[[WF:.+]] = qnn.dequantize %[[W]] : {{.+}} -> tensor<4x8xf32>
// CHECK: %[[X2:.+]] = tensor.collapse_shape %[[XF]] {{\[}}[0, 1], [2]] : tensor<2x3x8xf32> into tensor<6x8xf32>
// CHECK: %[[WT:.+]] = linalg.transpose ins(%[[WF]] : tensor<4x8xf32>) outs(%{{.+}} : tensor<8x4xf32>) permutation = [1, 0]
// CHECK: %[[INIT:.+]] = linalg.fill ins(%[[ZERO]] : f32) outs(%{{.+}} : tensor<6x4xf32>)
// CHECK: %[[MM:.+]] = linalg.matmul ins(%[[X2]], %[[WT]] : tensor<6x8xf32>, tensor<8x4xf32>) outs(%[[INIT]] : tensor<6x4xf32>)
// CHECK: %[[BB:.+]] = linalg.broadcast ins(%[[B]] : tensor<4xf32>) outs(%{{.+}} : tensor<6x4xf32>) dimensions = [0]
// CHECK: %[[BIASED:.+]] = arith.addf %[[MM]], %[[BB]] : tensor<6x4xf32>
// CHECK: %[[Y3:.+]] = tensor.expand_shape %[[BIASED]] {{\[}}[0, 1], [2]] output_shape [2, 3, 4]
// CHECK: %[[Q1:.+]] = qnn.quantize %[[Y3]] : tensor<2x3x4xf32> -> tensor<2x3x4x!quant.uniform<u8:f32, 2.000000e-01:1>>
// CHECK: %[[D1:.+]] = qnn.dequantize %[[Q1]]
// CHECK: %[[T:.+]] = math.tanh %[[D1]] : tensor<2x3x4xf32>
// CHECK: %[[Q:.+]] = qnn.quantize %[[T]] : tensor<2x3x4xf32> -> tensor<2x3x4x!quant.uniform<u8:f32, 2.000000e-01:1>>
// CHECK: return %[[Q]]
func.func @linear_3d_tanh(%x: tensor<2x3x8x!quant.uniform<u8:f32, 0.1:3>>, %w: tensor<4x8x!quant.uniform<i8:f32, 0.05>>, %b: tensor<4xf32>) -> tensor<2x3x4x!quant.uniform<u8:f32, 0.2:1>> {
  %y = qnn.linear %x, %w bias(%b) post_op = tanh : (tensor<2x3x8x!quant.uniform<u8:f32, 0.1:3>>, tensor<4x8x!quant.uniform<i8:f32, 0.05>>, tensor<4xf32>) -> tensor<2x3x4x!quant.uniform<u8:f32, 0.2:1>>
  return %y : tensor<2x3x4x!quant.uniform<u8:f32, 0.2:1>>
}

// -----

// leaky_relu is select(x > 0, x, x * slope), applied to the linear quantized
// to its intermediate type; custom qmin/qmax stay in the quantize's result
// type.
// CHECK-LABEL: func @linear_leaky_custom_range
// CHECK-DAG: %[[SLOPE:.+]] = arith.constant dense<1.250000e-01> : tensor<2x4xf32>
// CHECK-DAG: %[[Z:.+]] = arith.constant dense<0.000000e+00> : tensor<2x4xf32>
// CHECK: %[[MM:.+]] = linalg.matmul
// CHECK-NOT: linalg.broadcast
// CHECK: %[[Q1:.+]] = qnn.quantize %[[MM]] : tensor<2x4xf32> -> tensor<2x4x!quant.uniform<i8:f32, 5.000000e-02:-3>>
// CHECK: %[[D1:.+]] = qnn.dequantize %[[Q1]]
// CHECK-DAG: %[[POS:.+]] = arith.cmpf ogt, %[[D1]], %[[Z]]
// CHECK-DAG: %[[NEG:.+]] = arith.mulf %[[D1]], %[[SLOPE]]
// CHECK: %[[SEL:.+]] = arith.select %[[POS]], %[[D1]], %[[NEG]]
// CHECK: qnn.quantize %[[SEL]] : tensor<2x4xf32> -> tensor<2x4x!quant.uniform<i8<-127:127>:f32, 2.000000e-01>>
func.func @linear_leaky_custom_range(%x: tensor<2x8x!quant.uniform<i8:f32, 0.1>>, %w: tensor<4x8x!quant.uniform<i8:f32:0, {0.5, 0.25, 0.5, 0.125}>>) -> tensor<2x4x!quant.uniform<i8<-127:127>:f32, 0.2>> {
  %y = qnn.linear %x, %w post_op = leaky_relu(negative_slope = 0.125) intermediate(!quant.uniform<i8:f32, 0.05:-3>) : (tensor<2x8x!quant.uniform<i8:f32, 0.1>>, tensor<4x8x!quant.uniform<i8:f32:0, {0.5, 0.25, 0.5, 0.125}>>) -> tensor<2x4x!quant.uniform<i8<-127:127>:f32, 0.2>>
  return %y : tensor<2x4x!quant.uniform<i8<-127:127>:f32, 0.2>>
}

// -----

// A 2-D convolution with zero padding: tensor.pad with 0.0 (the input's zero
// point), channels split into groups, a grouped linalg.generic, bias, the
// added input, relu.
// CHECK-DAG: #[[IN:.+]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d1, d5, d3 * 2 + d6, d4 * 2 + d7)>
// CHECK-DAG: #[[WT:.+]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d1, d2, d5, d6, d7)>
// CHECK-DAG: #[[OUT:.+]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d1, d2, d3, d4)>
// CHECK-LABEL: func @conv2d_zeros_grouped_add_relu
// CHECK-SAME: (%[[X:.+]]: tensor<1x4x5x5x{{.+}}>, %[[W:.+]]: tensor<6x2x3x3x{{.+}}>, %[[B:.+]]: tensor<6xf32>, %[[A:.+]]: tensor<1x6x3x3x{{.+}}>)
// CHECK: %[[XF:.+]] = qnn.dequantize %[[X]]
// CHECK: %[[WF:.+]] = qnn.dequantize %[[W]]
// CHECK: %[[PAD:.+]] = tensor.pad %[[XF]] low[0, 0, 1, 1] high[0, 0, 1, 1]
// CHECK: tensor.yield %{{.+}} : f32
// CHECK: } : tensor<1x4x5x5xf32> to tensor<1x4x7x7xf32>
// CHECK: %[[XG:.+]] = tensor.expand_shape %[[PAD]] {{\[}}[0], [1, 2], [3], [4]] output_shape [1, 2, 2, 7, 7]
// CHECK: %[[WG:.+]] = tensor.expand_shape %[[WF]] {{\[}}[0, 1], [2], [3], [4]] output_shape [2, 3, 2, 3, 3]
// CHECK: %[[CONV:.+]] = linalg.generic {indexing_maps = [#[[IN]], #[[WT]], #[[OUT]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]} ins(%[[XG]], %[[WG]] : tensor<1x2x2x7x7xf32>, tensor<2x3x2x3x3xf32>) outs(%{{.+}} : tensor<1x2x3x3x3xf32>)
// CHECK: arith.mulf
// CHECK: arith.addf
// CHECK: %[[C:.+]] = tensor.collapse_shape %[[CONV]] {{\[}}[0], [1, 2], [3], [4]] : tensor<1x2x3x3x3xf32> into tensor<1x6x3x3xf32>
// CHECK: %[[BB:.+]] = linalg.broadcast ins(%[[B]] : tensor<6xf32>) outs(%{{.+}} : tensor<1x6x3x3xf32>) dimensions = [0, 2, 3]
// CHECK: %[[BIASED:.+]] = arith.addf %[[C]], %[[BB]]
// CHECK: %[[AF:.+]] = qnn.dequantize %[[A]]
// CHECK: %[[SUM:.+]] = arith.addf %[[BIASED]], %[[AF]]
// CHECK: %[[R:.+]] = arith.maximumf %[[SUM]], %{{.+}} : tensor<1x6x3x3xf32>
// CHECK: qnn.quantize %[[R]]
func.func @conv2d_zeros_grouped_add_relu(%x: tensor<1x4x5x5x!quant.uniform<u8:f32, 0.1:3>>, %w: tensor<6x2x3x3x!quant.uniform<i8:f32, 0.5>>, %b: tensor<6xf32>, %a: tensor<1x6x3x3x!quant.uniform<u8:f32, 0.3:2>>) -> tensor<1x6x3x3x!quant.uniform<u8:f32, 0.2>> {
  %y = qnn.conv %x, %w bias(%b) add(%a) strides = [2, 2] padding = [1, 1] dilations = [1, 1] groups = 2 post_op = relu : (tensor<1x4x5x5x!quant.uniform<u8:f32, 0.1:3>>, tensor<6x2x3x3x!quant.uniform<i8:f32, 0.5>>, tensor<6xf32>, tensor<1x6x3x3x!quant.uniform<u8:f32, 0.3:2>>) -> tensor<1x6x3x3x!quant.uniform<u8:f32, 0.2>>
  return %y : tensor<1x6x3x3x!quant.uniform<u8:f32, 0.2>>
}

// -----

// Circular padding by 2 of a length-6 dimension: [4, 6) ++ x ++ [0, 2);
// dilation and stride appear in the input map.
// CHECK-DAG: #[[IN:.+]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d4, d3 * 2 + d5 * 2)>
// CHECK-LABEL: func @conv1d_circular
// CHECK: %[[XF:.+]] = qnn.dequantize
// CHECK: %[[L:.+]] = tensor.extract_slice %[[XF]][0, 0, 4] [1, 4, 2] [1, 1, 1]
// CHECK: %[[R:.+]] = tensor.extract_slice %[[XF]][0, 0, 0] [1, 4, 2] [1, 1, 1]
// CHECK: %[[P:.+]] = tensor.concat dim(2) %[[L]], %[[XF]], %[[R]] : (tensor<1x4x2xf32>, tensor<1x4x6xf32>, tensor<1x4x2xf32>) -> tensor<1x4x10xf32>
// CHECK: tensor.expand_shape %[[P]]
// CHECK: linalg.generic {indexing_maps = [#[[IN]],
func.func @conv1d_circular(%x: tensor<1x4x6x!quant.uniform<u8:f32, 0.1:3>>, %w: tensor<2x2x3x!quant.uniform<i8:f32, 0.5>>) -> tensor<1x2x3x!quant.uniform<u8:f32, 0.2>> {
  %y = qnn.conv %x, %w strides = [2] padding = [2] dilations = [2] groups = 2 padding_mode = circular : (tensor<1x4x6x!quant.uniform<u8:f32, 0.1:3>>, tensor<2x2x3x!quant.uniform<i8:f32, 0.5>>) -> tensor<1x2x3x!quant.uniform<u8:f32, 0.2>>
  return %y : tensor<1x2x3x!quant.uniform<u8:f32, 0.2>>
}

// -----

// Reflect padding by 2 of a length-5 dimension: x[2], x[1], x, x[3], x[2].
// CHECK-LABEL: func @conv1d_reflect
// CHECK: %[[XF:.+]] = qnn.dequantize
// CHECK: %[[L0:.+]] = tensor.extract_slice %[[XF]][0, 0, 2] [1, 2, 1]
// CHECK: %[[L1:.+]] = tensor.extract_slice %[[XF]][0, 0, 1] [1, 2, 1]
// CHECK: %[[R0:.+]] = tensor.extract_slice %[[XF]][0, 0, 3] [1, 2, 1]
// CHECK: %[[R1:.+]] = tensor.extract_slice %[[XF]][0, 0, 2] [1, 2, 1]
// CHECK: tensor.concat dim(2) %[[L0]], %[[L1]], %[[XF]], %[[R0]], %[[R1]]
func.func @conv1d_reflect(%x: tensor<1x2x5x!quant.uniform<u8:f32, 0.1:3>>, %w: tensor<2x2x3x!quant.uniform<i8:f32, 0.5>>) -> tensor<1x2x7x!quant.uniform<u8:f32, 0.2>> {
  %y = qnn.conv %x, %w strides = [1] padding = [2] dilations = [1] groups = 1 padding_mode = reflect : (tensor<1x2x5x!quant.uniform<u8:f32, 0.1:3>>, tensor<2x2x3x!quant.uniform<i8:f32, 0.5>>) -> tensor<1x2x7x!quant.uniform<u8:f32, 0.2>>
  return %y : tensor<1x2x7x!quant.uniform<u8:f32, 0.2>>
}

// -----

// Replicate padding of a 3-D convolution pads each padded spatial dimension
// in turn (the depth dimension has no padding).
// CHECK-LABEL: func @conv3d_replicate
// CHECK: %[[XF:.+]] = qnn.dequantize
// CHECK: %[[H0:.+]] = tensor.extract_slice %[[XF]][0, 0, 0, 0, 0] [1, 1, 2, 1, 4]
// CHECK: %[[H1:.+]] = tensor.extract_slice %[[XF]][0, 0, 0, 3, 0] [1, 1, 2, 1, 4]
// CHECK: %[[PH:.+]] = tensor.concat dim(3) %[[H0]], %[[XF]], %[[H1]]
// CHECK: %[[W0:.+]] = tensor.extract_slice %[[PH]][0, 0, 0, 0, 0] [1, 1, 2, 6, 1]
// CHECK: %[[W1:.+]] = tensor.extract_slice %[[PH]][0, 0, 0, 0, 3] [1, 1, 2, 6, 1]
// CHECK: tensor.concat dim(4) %[[W0]], %[[PH]], %[[W1]] : {{.+}} -> tensor<1x1x2x6x6xf32>
func.func @conv3d_replicate(%x: tensor<1x1x2x4x4x!quant.uniform<u8:f32, 0.1:3>>, %w: tensor<1x1x1x3x3x!quant.uniform<i8:f32, 0.5>>) -> tensor<1x1x2x4x4x!quant.uniform<u8:f32, 0.2>> {
  %y = qnn.conv %x, %w strides = [1, 1, 1] padding = [0, 1, 1] dilations = [1, 1, 1] groups = 1 padding_mode = replicate : (tensor<1x1x2x4x4x!quant.uniform<u8:f32, 0.1:3>>, tensor<1x1x1x3x3x!quant.uniform<i8:f32, 0.5>>) -> tensor<1x1x2x4x4x!quant.uniform<u8:f32, 0.2>>
  return %y : tensor<1x1x2x4x4x!quant.uniform<u8:f32, 0.2>>
}

// -----

// add_relu: both operands dequantized with their own parameters.
// CHECK-LABEL: func @add_relu
// CHECK-SAME: (%[[A:.+]]: tensor<4x{{.+}}>, %[[B:.+]]: tensor<4x{{.+}}>)
// CHECK-DAG: %[[AF:.+]] = qnn.dequantize %[[A]] : tensor<4x!quant.uniform<u8:f32, 1.000000e-01:3>> -> tensor<4xf32>
// CHECK-DAG: %[[BF:.+]] = qnn.dequantize %[[B]] : tensor<4x!quant.uniform<u8:f32, 2.000000e-01>> -> tensor<4xf32>
// CHECK: %[[S:.+]] = arith.addf %[[AF]], %[[BF]]
// CHECK: %[[R:.+]] = arith.maximumf %[[S]]
// CHECK: qnn.quantize %[[R]] : tensor<4xf32> -> tensor<4x!quant.uniform<u8:f32, 3.000000e-01:1>>
func.func @add_relu(%a: tensor<4x!quant.uniform<u8:f32, 0.1:3>>, %b: tensor<4x!quant.uniform<u8:f32, 0.2>>) -> tensor<4x!quant.uniform<u8:f32, 0.3:1>> {
  %y = qnn.add %a, %b post_op = relu : tensor<4x!quant.uniform<u8:f32, 0.1:3>>, tensor<4x!quant.uniform<u8:f32, 0.2>> -> tensor<4x!quant.uniform<u8:f32, 0.3:1>>
  return %y : tensor<4x!quant.uniform<u8:f32, 0.3:1>>
}

// -----

// relu6 clamps to [0, 6] in float and quantizes back to the input's type;
// requantize is quantize(dequantize).
// CHECK-LABEL: func @clamps_and_requantize
// CHECK-SAME: (%[[X:.+]]: tensor
// CHECK-DAG: %[[SIX:.+]] = arith.constant dense<6.000000e+00> : tensor<4xf32>
// CHECK-DAG: %[[ZERO:.+]] = arith.constant dense<0.000000e+00> : tensor<4xf32>
// CHECK: %[[XF:.+]] = qnn.dequantize %[[X]]
// CHECK: %[[LO:.+]] = arith.maximumf %[[XF]], %[[ZERO]]
// CHECK: %[[HI:.+]] = arith.minimumf %[[LO]], %[[SIX]]
// CHECK: %[[R6:.+]] = qnn.quantize %[[HI]] : tensor<4xf32> -> tensor<4x!quant.uniform<u8:f32, 5.000000e-02:3>>
// CHECK: %[[R6F:.+]] = qnn.dequantize %[[R6]]
// CHECK: %[[RQ:.+]] = qnn.quantize %[[R6F]] : tensor<4xf32> -> tensor<4x!quant.uniform<u8:f32, 1.000000e-01>>
// CHECK: return %[[RQ]]
func.func @clamps_and_requantize(%x: tensor<4x!quant.uniform<u8:f32, 0.05:3>>) -> tensor<4x!quant.uniform<u8:f32, 0.1>> {
  %r6 = qnn.activation relu6 %x : tensor<4x!quant.uniform<u8:f32, 0.05:3>> -> tensor<4x!quant.uniform<u8:f32, 0.05:3>>
  %rq = qnn.requantize %r6 : tensor<4x!quant.uniform<u8:f32, 0.05:3>> -> tensor<4x!quant.uniform<u8:f32, 0.1>>
  return %rq : tensor<4x!quant.uniform<u8:f32, 0.1>>
}

// -----

// expand-casts: quantize multiplies by f32(1/scale) (1/0.3 rounds to
// 3.33333325), rounds half to even, adds the zero point in f32, converts to
// int64 (NaN and values beyond the int64 range become qmin, as x86's
// conversion does in PyTorch), saturates to the storage bounds (here the
// custom -127..127) and stores as i8.
// CASTS-LABEL: func @expand_quantize
// CASTS-SAME: (%[[X:.+]]: tensor<4xf32>)
// CASTS-DAG: %[[QMAX:.+]] = arith.constant dense<127> : tensor<4xi64>
// CASTS-DAG: %[[QMIN:.+]] = arith.constant dense<-127> : tensor<4xi64>
// CASTS-DAG: %[[LO64:.+]] = arith.constant dense<-9.22337203E+18> : tensor<4xf32>
// CASTS-DAG: %[[HI64:.+]] = arith.constant dense<9.22337203E+18> : tensor<4xf32>
// CASTS-DAG: %[[ZP:.+]] = arith.constant dense<5.000000e+00> : tensor<4xf32>
// CASTS-DAG: %[[INV:.+]] = arith.constant dense<3.33333325> : tensor<4xf32>
// CASTS: %[[S:.+]] = arith.mulf %[[X]], %[[INV]]
// CASTS: %[[R:.+]] = math.roundeven %[[S]]
// CASTS: %[[Z:.+]] = arith.addf %[[R]], %[[ZP]]
// CASTS-DAG: %[[BELOW:.+]] = arith.cmpf olt, %[[Z]], %[[HI64]]
// CASTS-DAG: %[[ABOVE:.+]] = arith.cmpf oge, %[[Z]], %[[LO64]]
// CASTS: %[[OK:.+]] = arith.andi %[[ABOVE]], %[[BELOW]]
// CASTS: %[[SAFE:.+]] = arith.select %[[OK]], %[[Z]]
// CASTS: %[[I:.+]] = arith.fptosi %[[SAFE]] : tensor<4xf32> to tensor<4xi64>
// CASTS: %[[I2:.+]] = arith.select %[[OK]], %[[I]], %[[QMIN]]
// CASTS: %[[LO:.+]] = arith.maxsi %[[I2]], %[[QMIN]]
// CASTS: %[[HI:.+]] = arith.minsi %[[LO]], %[[QMAX]]
// CASTS: %[[T:.+]] = arith.trunci %[[HI]] : tensor<4xi64> to tensor<4xi8>
// CASTS: %[[Q:.+]] = quant.scast %[[T]] : tensor<4xi8> to tensor<4x!quant.uniform<i8<-127:127>:f32, 3.000000e-01:5>>
// CASTS: return %[[Q]]
func.func @expand_quantize(%x: tensor<4xf32>) -> tensor<4x!quant.uniform<i8<-127:127>:f32, 0.3:5>> {
  %q = qnn.quantize %x : tensor<4xf32> -> tensor<4x!quant.uniform<i8<-127:127>:f32, 0.3:5>>
  return %q : tensor<4x!quant.uniform<i8<-127:127>:f32, 0.3:5>>
}

// -----

// expand-casts: dequantize of unsigned storage zero-extends, subtracts the
// zero point in (wrapping) int32 and multiplies by f32(scale).
// CASTS-LABEL: func @expand_dequantize
// CASTS-SAME: (%[[Q:.+]]: tensor<4x!quant.uniform<u8:f32, 1.000000e-01:3>>)
// CASTS-DAG: %[[S:.+]] = arith.constant dense<1.000000e-01> : tensor<4xf32>
// CASTS-DAG: %[[ZP:.+]] = arith.constant dense<3> : tensor<4xi32>
// CASTS: %[[I8:.+]] = quant.scast %[[Q]] : tensor<4x!quant.uniform<u8:f32, 1.000000e-01:3>> to tensor<4xi8>
// CASTS: %[[I32:.+]] = arith.extui %[[I8]] : tensor<4xi8> to tensor<4xi32>
// CASTS: %[[C:.+]] = arith.subi %[[I32]], %[[ZP]]
// CASTS: %[[F:.+]] = arith.sitofp %[[C]] : tensor<4xi32> to tensor<4xf32>
// CASTS: %[[X:.+]] = arith.mulf %[[F]], %[[S]]
// CASTS: return %[[X]]
func.func @expand_dequantize(%q: tensor<4x!quant.uniform<u8:f32, 0.1:3>>) -> tensor<4xf32> {
  %x = qnn.dequantize %q : tensor<4x!quant.uniform<u8:f32, 0.1:3>> -> tensor<4xf32>
  return %x : tensor<4xf32>
}

// -----

// expand-casts: per-channel parameters are broadcast along the other axes.
// CASTS-LABEL: func @expand_per_channel
// CASTS: %[[SC:.+]] = arith.constant dense<[2.000000e+00, 4.000000e+00]> : tensor<2xf32>
// CASTS: linalg.broadcast ins(%[[SC]] : tensor<2xf32>) outs(%{{.+}} : tensor<2x3xf32>) dimensions = [1]
// CASTS: arith.extsi %{{.+}} : tensor<2x3xi8> to tensor<2x3xi32>
func.func @expand_per_channel(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %q = qnn.quantize %x : tensor<2x3xf32> -> tensor<2x3x!quant.uniform<i8:f32:0, {0.5, 0.25}>>
  %d = qnn.dequantize %q : tensor<2x3x!quant.uniform<i8:f32:0, {0.5, 0.25}>> -> tensor<2x3xf32>
  return %d : tensor<2x3xf32>
}

// -----

// avg_pool: the float sums over the windows clipped to the input (start and
// length per output row and column), divided by each window's divisor; here
// count_include_pad = false, so corners divide by 1 and edges by 2.
// CHECK-LABEL: func @avg_pool_exclude_pad
// CHECK-DAG: %[[DIV:.+]] = arith.constant dense<{{\[\[}}1.000000e+00, 2.000000e+00, 1.000000e+00], [2.000000e+00, 4.000000e+00, 2.000000e+00]]> : tensor<2x3xf32>
// CHECK-DAG: arith.constant dense<[1, 2, 1]> : tensor<3xindex>
// CHECK-DAG: arith.constant dense<[0, 1, 3]> : tensor<3xindex>
// CHECK-DAG: arith.constant dense<[1, 2]> : tensor<2xindex>
// CHECK-DAG: arith.constant dense<[0, 1]> : tensor<2xindex>
// CHECK: %[[XF:.+]] = qnn.dequantize
// CHECK: %[[SUMS:.+]] = linalg.generic {{.+}} iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]} ins(%{{.+}} : tensor<2x2xi8>) outs(%{{.+}} : tensor<1x2x2x3xf32>)
// CHECK: tensor.extract %[[XF]]
// CHECK: arith.addf
// CHECK: %[[AVG:.+]] = linalg.generic {{.+}} ins(%[[SUMS]], %[[DIV]] : tensor<1x2x2x3xf32>, tensor<2x3xf32>)
// CHECK: arith.divf
// CHECK: qnn.quantize %[[AVG]] : tensor<1x2x2x3xf32> -> tensor<1x2x2x3x!quant.uniform<u8:f32, 5.000000e-01:1>>
func.func @avg_pool_exclude_pad(%x: tensor<1x2x3x4x!quant.uniform<u8:f32, 0.5:1>>) -> tensor<1x2x2x3x!quant.uniform<u8:f32, 0.5:1>> {
  %y = qnn.avg_pool %x kernel = [2, 2] strides = [2, 2] padding = [1, 1] ceil_mode = false count_include_pad = false : tensor<1x2x3x4x!quant.uniform<u8:f32, 0.5:1>> -> tensor<1x2x2x3x!quant.uniform<u8:f32, 0.5:1>>
  return %y : tensor<1x2x2x3x!quant.uniform<u8:f32, 0.5:1>>
}

// -----

// divisor_override replaces every divisor; adaptive pooling divides by its
// windows' sizes (here rows 0:2, 1:3 of 3 and columns 0:2, 2:4 of 4).
// CHECK-LABEL: func @avg_pool_divisor_and_adaptive
// CHECK-DAG: arith.constant dense<3.000000e+00> : tensor<2x3xf32>
// CHECK-DAG: arith.constant dense<4.000000e+00> : tensor<2x2xf32>
// CHECK-DAG: arith.constant dense<[0, 2]> : tensor<2xindex>
// CHECK-COUNT-2: arith.divf
// CHECK-NOT: qnn.avg_pool
// CHECK-NOT: qnn.adaptive_avg_pool
func.func @avg_pool_divisor_and_adaptive(%x: tensor<1x2x3x4x!quant.uniform<u8:f32, 0.5:1>>) -> (tensor<1x2x2x3x!quant.uniform<u8:f32, 0.5:1>>, tensor<1x2x2x2x!quant.uniform<u8:f32, 0.5:1>>) {
  %y = qnn.avg_pool %x kernel = [2, 2] strides = [2, 2] padding = [1, 1] ceil_mode = false count_include_pad = true {divisor_override = 3 : i64} : tensor<1x2x3x4x!quant.uniform<u8:f32, 0.5:1>> -> tensor<1x2x2x3x!quant.uniform<u8:f32, 0.5:1>>
  %z = qnn.adaptive_avg_pool %x : tensor<1x2x3x4x!quant.uniform<u8:f32, 0.5:1>> -> tensor<1x2x2x2x!quant.uniform<u8:f32, 0.5:1>>
  return %y, %z : tensor<1x2x2x3x!quant.uniform<u8:f32, 0.5:1>>, tensor<1x2x2x2x!quant.uniform<u8:f32, 0.5:1>>
}

// -----

// mean: a float sum over the trailing dimensions divided by their size;
// keepdim's size-1 dimensions come back with an expand_shape.
// CHECK-LABEL: func @mean_keepdim
// CHECK-DAG: %[[COUNT:.+]] = arith.constant dense<1.200000e+01> : tensor<2xf32>
// CHECK: %[[XF:.+]] = qnn.dequantize
// CHECK: %[[SUM:.+]] = linalg.reduce ins(%[[XF]] : tensor<2x3x4xf32>) outs(%{{.+}} : tensor<2xf32>) dimensions = [1, 2]
// CHECK: arith.addf
// CHECK: %[[MEAN:.+]] = arith.divf %[[SUM]], %[[COUNT]] : tensor<2xf32>
// CHECK: %[[E:.+]] = tensor.expand_shape %[[MEAN]] {{\[}}[0, 1, 2]] output_shape [2, 1, 1]
// CHECK: qnn.quantize %[[E]] : tensor<2x1x1xf32> -> tensor<2x1x1x!quant.uniform<i8:f32, 5.000000e-01>>
func.func @mean_keepdim(%x: tensor<2x3x4x!quant.uniform<i8:f32, 0.5>>) -> tensor<2x1x1x!quant.uniform<i8:f32, 0.5>> {
  %y = qnn.mean %x dims = [1, 2] : tensor<2x3x4x!quant.uniform<i8:f32, 0.5>> -> tensor<2x1x1x!quant.uniform<i8:f32, 0.5>>
  return %y : tensor<2x1x1x!quant.uniform<i8:f32, 0.5>>
}

// -----

// Data movement commutes with dequantizing: permute is a float transpose
// quantized to the result type (its per-channel axis moved).
// CHECK-LABEL: func @permute_per_channel
// CHECK: %[[XF:.+]] = qnn.dequantize %{{.+}} : tensor<2x3x!quant.uniform<i8:f32:1, {{.+}}>> -> tensor<2x3xf32>
// CHECK: %[[T:.+]] = linalg.transpose ins(%[[XF]] : tensor<2x3xf32>) outs(%{{.+}} : tensor<3x2xf32>) permutation = [1, 0]
// CHECK: qnn.quantize %[[T]] : tensor<3x2xf32> -> tensor<3x2x!quant.uniform<i8:f32:0, {{.+}}>>
func.func @permute_per_channel(%x: tensor<2x3x!quant.uniform<i8:f32:1, {0.5, 0.25, 0.125}>>) -> tensor<3x2x!quant.uniform<i8:f32:0, {0.5, 0.25, 0.125}>> {
  %y = qnn.permute %x permutation = [1, 0] : tensor<2x3x!quant.uniform<i8:f32:1, {0.5, 0.25, 0.125}>> -> tensor<3x2x!quant.uniform<i8:f32:0, {0.5, 0.25, 0.125}>>
  return %y : tensor<3x2x!quant.uniform<i8:f32:0, {0.5, 0.25, 0.125}>>
}

// -----

// upsample_nearest gathers the float values from the source tables torch
// computes (scale factors 1.7, 1.3: rows 0, 0, 1, columns 0, 0, 1, 1, 1);
// equal sizes copy whatever the scale factors.
// CHECK-LABEL: func @upsample_nearest
// CHECK-SAME: (%[[X:.+]]: tensor<1x1x2x2x
// CHECK-DAG: arith.constant dense<[0, 0, 1, 1, 1]> : tensor<5xindex>
// CHECK-DAG: arith.constant dense<[0, 0, 1]> : tensor<3xindex>
// CHECK: %[[XF:.+]] = qnn.dequantize %[[X]]
// CHECK: %[[G:.+]] = linalg.generic
// CHECK: tensor.extract %[[XF]]
// CHECK: %[[Q:.+]] = qnn.quantize %[[G]] : tensor<1x1x3x5xf32>
// CHECK: return %[[Q]], %[[X]]
func.func @upsample_nearest(%x: tensor<1x1x2x2x!quant.uniform<u8:f32, 0.1:3>>) -> (tensor<1x1x3x5x!quant.uniform<u8:f32, 0.1:3>>, tensor<1x1x2x2x!quant.uniform<u8:f32, 0.1:3>>) {
  %y = qnn.upsample_nearest %x {scales = array<f64: 1.7, 1.3>} : tensor<1x1x2x2x!quant.uniform<u8:f32, 0.1:3>> -> tensor<1x1x3x5x!quant.uniform<u8:f32, 0.1:3>>
  %z = qnn.upsample_nearest %x {scales = array<f64: 1.2, 1.2>} : tensor<1x1x2x2x!quant.uniform<u8:f32, 0.1:3>> -> tensor<1x1x2x2x!quant.uniform<u8:f32, 0.1:3>>
  return %y, %z : tensor<1x1x3x5x!quant.uniform<u8:f32, 0.1:3>>, tensor<1x1x2x2x!quant.uniform<u8:f32, 0.1:3>>
}

// -----

// batch_norm: (x - mean) / sqrt(var + eps) * weight + bias per channel
// (dimension 1), then relu for BNReLU, quantized to the result type.
// CHECK-LABEL: func @batch_norm_relu
// CHECK-SAME: (%[[X:.+]]: {{.+}}, %[[W:.+]]: tensor<4xf32>, %[[B:.+]]: tensor<4xf32>, %[[M:.+]]: tensor<4xf32>, %[[V:.+]]: tensor<4xf32>)
// CHECK-DAG: %[[EPS:.+]] = arith.constant 1.000000e-03 : f32
// CHECK: %[[XF:.+]] = qnn.dequantize %[[X]]
// CHECK: %[[Y:.+]] = linalg.generic {{.+}} ins(%[[XF]], %[[W]], %[[B]], %[[M]], %[[V]] :
// CHECK: ^bb0(%[[x:.+]]: f32, %[[w:.+]]: f32, %[[b:.+]]: f32, %[[m:.+]]: f32, %[[v:.+]]: f32, %{{.+}}: f32):
// CHECK: %[[VE:.+]] = arith.addf %[[v]], %[[EPS]]
// CHECK: %[[S:.+]] = math.sqrt %[[VE]]
// CHECK: %[[D:.+]] = arith.subf %[[x]], %[[m]]
// CHECK: %[[N:.+]] = arith.divf %[[D]], %[[S]]
// CHECK: %[[NW:.+]] = arith.mulf %[[N]], %[[w]]
// CHECK: %[[NB:.+]] = arith.addf %[[NW]], %[[b]]
// CHECK: arith.maximumf %[[NB]]
// CHECK: qnn.quantize %[[Y]] : tensor<1x4x2x2xf32> -> tensor<1x4x2x2x!quant.uniform<u8:f32, 2.000000e-01:10>>
func.func @batch_norm_relu(%x: tensor<1x4x2x2x!quant.uniform<u8:f32, 0.1:3>>, %w: tensor<4xf32>, %b: tensor<4xf32>, %m: tensor<4xf32>, %v: tensor<4xf32>) -> tensor<1x4x2x2x!quant.uniform<u8:f32, 0.2:10>> {
  %y = qnn.batch_norm %x, %w, %b, %m, %v eps = 1.0e-03 post_op = relu : tensor<1x4x2x2x!quant.uniform<u8:f32, 0.1:3>>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32> -> tensor<1x4x2x2x!quant.uniform<u8:f32, 0.2:10>>
  return %y : tensor<1x4x2x2x!quant.uniform<u8:f32, 0.2:10>>
}

// -----

// A dynamic Linear's reference form: the input's parameters chosen over
// [0, 127] (reduce_range), the input quantized to quint8 codes and
// dequantized with them, the float linear with the dequantized weight.
// expand-casts spells each cast out as one linalg.generic reading the
// run-time parameters as scalars (choose_qparams stays: it is not a cast).
// CHECK-LABEL: func @dynamic_linear
// CHECK-SAME: (%[[X:.+]]: tensor<2x8xf32>, %[[W:.+]]: tensor<4x8x!quant.uniform<i8:f32, 5.000000e-02>>)
// CHECK: %[[S:.+]], %[[Z:.+]] = qnn.choose_qparams %[[X]] range = [0, 127] : tensor<2x8xf32>
// CHECK: %[[Q:.+]] = qnn.quantize_dynamic %[[X]], %[[S]], %[[Z]] : tensor<2x8xf32> -> tensor<2x8x!quant.any<u8:f32>>
// CHECK: %[[XD:.+]] = qnn.dequantize_dynamic %[[Q]], %[[S]], %[[Z]]
// CHECK: %[[WD:.+]] = qnn.dequantize %[[W]]
// CHECK: %[[WT:.+]] = linalg.transpose ins(%[[WD]]
// CHECK: linalg.matmul ins(%[[XD]], %[[WT]] :
// CASTS-LABEL: func @dynamic_linear
// CASTS: %[[S:.+]], %[[Z:.+]] = qnn.choose_qparams
// CASTS: %[[S32:.+]] = arith.truncf %[[S]] : f64 to f32
// CASTS: %[[INV:.+]] = arith.divf %{{.+}}, %[[S32]] : f32
// CASTS: linalg.generic
// CASTS: arith.mulf %{{.+}}, %[[INV]] : f32
// CASTS: math.roundeven
// CASTS-NOT: qnn.quantize_dynamic
// CASTS-NOT: qnn.dequantize_dynamic
// CASTS: linalg.matmul
module attributes {qnn.numerics = "onednn"} {
func.func @dynamic_linear(%x: tensor<2x8xf32>, %w: tensor<4x8x!quant.uniform<i8:f32, 0.05>>) -> tensor<2x4xf32> {
  %y = qnn.dynamic_linear %x, %w reduce_range : (tensor<2x8xf32>, tensor<4x8x!quant.uniform<i8:f32, 0.05>>) -> tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}
}

// -----

// A dynamic conv's reference form: the dynamic input, the float conv of it
// and the dequantized weight, the result quantized and dequantized with the
// input's own parameters. A transposed one is the dynamic conv of its input
// spread out with 0.0 (strided insert into a splat of zeros).
// CHECK-LABEL: func @dynamic_conv
// CHECK-SAME: (%[[X:.+]]: tensor<1x2x5xf32>, %[[W:.+]]: tensor<4x2x3x{{.+}}>, %[[WT:.+]]: tensor<2x4x3x{{.+}}>)
// CHECK: %[[S:.+]], %[[Z:.+]] = qnn.choose_qparams %[[X]] range = [0, 127] : tensor<1x2x5xf32>
// CHECK: %[[Q:.+]] = qnn.quantize_dynamic %[[X]], %[[S]], %[[Z]] : tensor<1x2x5xf32> -> tensor<1x2x5x!quant.any<u8:f32>>
// CHECK: %[[XD:.+]] = qnn.dequantize_dynamic %[[Q]], %[[S]], %[[Z]]
// CHECK: tensor.pad %[[XD]] low[0, 0, 1] high[0, 0, 1]
// CHECK: %[[Y:.+]] = tensor.collapse_shape
// CHECK: %[[YQ:.+]] = qnn.quantize_dynamic %[[Y]], %[[S]], %[[Z]] : tensor<1x4x5xf32> -> tensor<1x4x5x!quant.any<u8:f32>>
// CHECK: qnn.dequantize_dynamic %[[YQ]], %[[S]], %[[Z]] : tensor<1x4x5x!quant.any<u8:f32>> -> tensor<1x4x5xf32>
// CHECK: %[[ZEROS:.+]] = tensor.splat %{{.+}} : tensor<1x2x11xf32>
// CHECK: %[[SPREAD:.+]] = tensor.insert_slice %[[X]] into %[[ZEROS]][0, 0, 1] [1, 2, 5] [1, 1, 2]
// CHECK: qnn.choose_qparams %[[SPREAD]] range = [0, 255] : tensor<1x2x11xf32>
module attributes {qnn.numerics = "onednn"} {
func.func @dynamic_conv(%x: tensor<1x2x5xf32>, %w: tensor<4x2x3x!quant.uniform<i8:f32, 0.05>>, %wt: tensor<2x4x3x!quant.uniform<i8:f32, 0.05>>) -> (tensor<1x4x5xf32>, tensor<1x4x9xf32>) {
  %y = qnn.dynamic_conv %x, %w strides = [1] padding = [1] dilations = [1] groups = 1 reduce_range : (tensor<1x2x5xf32>, tensor<4x2x3x!quant.uniform<i8:f32, 0.05>>) -> tensor<1x4x5xf32>
  %t = qnn.dynamic_conv_transpose %x, %wt strides = [2] padding = [1] output_padding = [0] dilations = [1] groups = 1 : (tensor<1x2x5xf32>, tensor<2x4x3x!quant.uniform<i8:f32, 0.05>>) -> tensor<1x4x9xf32>
  return %y, %t : tensor<1x4x5xf32>, tensor<1x4x9xf32>
}
}
