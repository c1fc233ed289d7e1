//===- QNNOps.cpp - qnn operation definitions -----------------------------===//
//
// The generated op classes and the custom assembly directives they use; the
// verifiers, folders and canonicalizations are in one file per op family
// (CastOps.cpp, ContractionOps.cpp, ElementwiseOps.cpp, ...).
//

#include "qnn/Dialect/QNN/IR/QNNOps.h"
#include "qnn/Dialect/QNN/Utils/QuantUtils.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/IR/PatternMatch.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"

#include <cmath>

using namespace mlir;
using namespace mlir::qnn;

#include "qnn/Dialect/QNN/IR/QNNEnums.cpp.inc"

//===----------------------------------------------------------------------===//
// custom<Activation>: an activation without its attribute prefix
//===----------------------------------------------------------------------===//

static ParseResult parseActivation(OpAsmParser &parser, ActivationAttr &attr) {
  attr = ActivationAttr::parseBody(parser);
  return success(static_cast<bool>(attr));
}

static void printActivation(OpAsmPrinter &printer, Operation *,
                            ActivationAttr attr) {
  attr.printBody(printer);
}

#define GET_OP_CLASSES
#include "qnn/Dialect/QNN/IR/QNNOps.cpp.inc"
