// RUN: qnn-run %S/../../examples/small_model.mlir --seed 7 --print > %t.unfused
// RUN: qnn-opt %S/../../examples/small_model.mlir --qnn-fuse | qnn-run - --seed 7 --print > %t.fused
// RUN: diff %t.unfused %t.fused
// RUN: FileCheck %s < %t.fused

// The shipped example runs, and fusing conv+relu does not change a single
// output (the fused clamp is exact).

// CHECK: result 0: tensor<1x8x!quant.uniform<u8:f32, 2.500000e-01:100>>
// CHECK-NEXT: {{\[\[([0-9]+, ){7}[0-9]+\]\]}}
