//===- Passes.h - qnn dialect passes ----------------------------*- C++ -*-===//

#ifndef QNN_DIALECT_QNN_TRANSFORMS_PASSES_H
#define QNN_DIALECT_QNN_TRANSFORMS_PASSES_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Pass/Pass.h"
#include "qnn/Dialect/QNN/IR/QNNDialect.h"

namespace mlir {
class RewritePatternSet;
namespace qnn {

#define GEN_PASS_DECL
#include "qnn/Dialect/QNN/Transforms/Passes.h.inc"

/// Patterns of --qnn-fuse: post-op and add fusion on qnn ops, and lifting of
/// the dequantize / float op / quantize reference form back to qnn ops.
void populateQNNFusePatterns(RewritePatternSet &patterns);

/// Patterns of --qnn-decompose: qnn compute ops into the reference form.
void populateQNNDecomposePatterns(RewritePatternSet &patterns);

/// Patterns expanding qnn.quantize / qnn.dequantize into arith and math.
void populateQNNExpandCastsPatterns(RewritePatternSet &patterns);

/// qnn.conv_transpose as the qnn.conv it equals (--qnn-conv-transpose-to-conv).
void populateQNNConvTransposeToConvPatterns(RewritePatternSet &patterns);

/// qnn.dynamic_conv_transpose as the qnn.dynamic_conv it equals, over the
/// float input spread out with zeros.
void populateQNNDynamicConvTransposeToConvPatterns(RewritePatternSet &patterns);

#define GEN_PASS_REGISTRATION
#include "qnn/Dialect/QNN/Transforms/Passes.h.inc"

} // namespace qnn
} // namespace mlir

#endif // QNN_DIALECT_QNN_TRANSFORMS_PASSES_H
