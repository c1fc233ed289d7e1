// Not a test: 16-bit quantized storage in and out.
func.func @forward(%a: tensor<3x!quant.uniform<i16:f32, 0.5:-2>>) -> tensor<3x!quant.uniform<i16:f32, 0.25:1>> {
  %r = qnn.requantize %a : tensor<3x!quant.uniform<i16:f32, 0.5:-2>> -> tensor<3x!quant.uniform<i16:f32, 0.25:1>>
  return %r : tensor<3x!quant.uniform<i16:f32, 0.25:1>>
}
