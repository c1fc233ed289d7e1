// Not a test: IR that fails to verify.
func.func @forward(%x: tensor<4xf32>) -> tensor<5x!quant.uniform<u8:f32, 0.1>> {
  %q = qnn.quantize %x : tensor<4xf32> -> tensor<5x!quant.uniform<u8:f32, 0.1>>
  return %q : tensor<5x!quant.uniform<u8:f32, 0.1>>
}
