//===- QNNToLinalg.h - qnn to integer linalg --------------------*- C++ -*-===//

#ifndef QNN_CONVERSION_QNNTOLINALG_QNNTOLINALG_H
#define QNN_CONVERSION_QNNTOLINALG_QNNTOLINALG_H

#include "qnn/Dialect/QNN/IR/QNNOps.h"

#include "mlir/Transforms/DialectConversion.h"

namespace mlir::qnn {

/// Converts quantized tensor types to tensors of their storage integers and
/// leaves every other type alone.
class QuantStorageTypeConverter : public TypeConverter {
public:
  QuantStorageTypeConverter();
};

/// qnn.linear and qnn.conv: integer contraction plus requantization
/// epilogue for `engine`.
void populateQNNContractionToLinalgPatterns(const TypeConverter &converter,
                                            RewritePatternSet &patterns,
                                            const EngineInfo &engine);

/// choose_qparams, quantize_dynamic, dequantize_dynamic (PyTorch's
/// definitions) and dynamic_linear (as `engine` computes it).
void populateQNNDynamicToLinalgPatterns(const TypeConverter &converter,
                                        RewritePatternSet &patterns,
                                        const EngineInfo &engine);

/// qnn.add, qnn.mul and the scalar ops (add follows `engine`).
void populateQNNArithmeticToLinalgPatterns(const TypeConverter &converter,
                                           RewritePatternSet &patterns,
                                           const EngineInfo &engine);

/// quantize, dequantize and requantize, with PyTorch's rounding.
void populateQNNElementwiseToLinalgPatterns(const TypeConverter &converter,
                                            RewritePatternSet &patterns);

/// qnn.activation: integer clamps, or tables computed for `engine` (null
/// when the module names none: then only clamps lower).
void populateQNNActivationToLinalgPatterns(const TypeConverter &converter,
                                           RewritePatternSet &patterns,
                                           const EngineInfo *engine);

/// qnn.max_pool and the averaging pools (their rounding follows `engine`).
void populateQNNPoolingToLinalgPatterns(const TypeConverter &converter,
                                        RewritePatternSet &patterns,
                                        const EngineInfo &engine);

/// qnn.batch_norm (the same arithmetic under every engine).
void populateQNNNormToLinalgPatterns(const TypeConverter &converter,
                                     RewritePatternSet &patterns);

/// qnn.embedding and qnn.embedding_bag: validation loops that report invalid
/// indices and offsets to the runtime's status, then the gathers.
void populateQNNEmbeddingToLinalgPatterns(const TypeConverter &converter,
                                          RewritePatternSet &patterns);

/// qnn.permute and the other ops that move codes without computing.
void populateQNNDataMovementToLinalgPatterns(const TypeConverter &converter,
                                             RewritePatternSet &patterns);

/// Ops that only move quantized values around (quant.scast, tensor reshapes
/// and slices, function boundaries) rewritten on storage types.
void populateQNNStructuralTypeConversionPatterns(const TypeConverter &converter,
                                                 RewritePatternSet &patterns,
                                                 ConversionTarget &target);

} // namespace mlir::qnn

#endif // QNN_CONVERSION_QNNTOLINALG_QNNTOLINALG_H
