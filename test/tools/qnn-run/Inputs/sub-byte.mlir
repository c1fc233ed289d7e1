// Not a test: a function whose argument has 4-bit storage.
func.func @forward(%a: tensor<4x!quant.uniform<i4:f32, 0.5>>) -> tensor<4xf32> {
  %d = qnn.dequantize %a : tensor<4x!quant.uniform<i4:f32, 0.5>> -> tensor<4xf32>
  return %d : tensor<4xf32>
}
