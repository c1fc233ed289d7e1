// RUN: qnn-opt %s --convert-qnn-to-linalg --split-input-file -verify-diagnostics

// The verifier accepts dynamic dimensions; lowering needs static shapes and
// says so, naming the op and the operand, instead of failing to legalize
// (test/Dialect/QNN/decompose-dynamic.mlir: the same for --qnn-decompose).

module attributes {qnn.numerics = "qnnpack"} {
func.func @linear(%x: tensor<?x8x!quant.uniform<u8:f32, 0.1:3>>, %w: tensor<4x8x!quant.uniform<i8:f32, 0.05>>) -> tensor<?x4x!quant.uniform<u8:f32, 0.2>> {
  // expected-error @+1 {{'qnn.linear' op --convert-qnn-to-linalg needs static shapes, but operand 0 has type 'tensor<?x8x!quant.uniform<u8:f32, 1.000000e-01:3>>' (import from PyTorch records the example inputs' shapes)}}
  %y = qnn.linear %x, %w : (tensor<?x8x!quant.uniform<u8:f32, 0.1:3>>, tensor<4x8x!quant.uniform<i8:f32, 0.05>>) -> tensor<?x4x!quant.uniform<u8:f32, 0.2>>
  return %y : tensor<?x4x!quant.uniform<u8:f32, 0.2>>
}
}

// -----

func.func @quantize(%x: tensor<?xf32>) -> tensor<?x!quant.uniform<u8:f32, 0.1:3>> {
  // expected-error @+1 {{'qnn.quantize' op --convert-qnn-to-linalg needs static shapes, but operand 0 has type 'tensor<?xf32>'}}
  %q = qnn.quantize %x : tensor<?xf32> -> tensor<?x!quant.uniform<u8:f32, 0.1:3>>
  return %q : tensor<?x!quant.uniform<u8:f32, 0.1:3>>
}
