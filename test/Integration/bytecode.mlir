// A model as MLIR bytecode runs exactly as its text does, and a truncated
// bytecode file is refused with the parser's reason.
// RUN: qnn-opt %S/../../examples/small_model.mlir --emit-bytecode -o %t.mlirbc
// RUN: qnn-run %S/../../examples/small_model.mlir --seed 7 --print > %t.text
// RUN: qnn-run %t.mlirbc --seed 7 --print > %t.bytecode
// RUN: diff %t.text %t.bytecode
// RUN: head -c 1000 %t.mlirbc > %t.cut
// RUN: not qnn-run %t.cut --seed 7 2>&1 | FileCheck %s
// CHECK: error: attempting to parse {{[0-9]+}} bytes when only {{[0-9]+}} remain
// CHECK: qnn-run: error: cannot parse or verify
