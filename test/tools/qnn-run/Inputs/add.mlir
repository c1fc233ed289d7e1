// Not a test: the model the error tests run.
module attributes {qnn.numerics = "qnnpack"} {
  func.func @forward(%a: tensor<2x3x!quant.uniform<u8:f32, 0.5>>, %b: tensor<2x3xf32>) -> tensor<2x3xf32> {
    %d = qnn.dequantize %a : tensor<2x3x!quant.uniform<u8:f32, 0.5>> -> tensor<2x3xf32>
    %s = arith.addf %d, %b : tensor<2x3xf32>
    return %s : tensor<2x3xf32>
  }
}
