//===- Verifiers.h - checks shared by the qnn op verifiers ------*- C++ -*-===//
//
// Private to lib/Dialect/QNN/IR: the verifiers of every op family use these
// so that one kind of operand is checked, and worded, one way.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_LIB_DIALECT_QNN_IR_VERIFIERS_H
#define QNN_LIB_DIALECT_QNN_IR_VERIFIERS_H

#include "qnn/Dialect/QNN/IR/QNNOps.h"

#include <string>

namespace mlir::qnn::detail {

/// Formats a shape as `[a, b, ?]` for diagnostics.
std::string formatShape(ArrayRef<int64_t> shape);

/// True when two shapes agree on every dimension that is static in both.
bool shapesCompatible(ArrayRef<int64_t> a, ArrayRef<int64_t> b);

/// What every quantized tensor must satisfy: a uniform type expressed in
/// f32, and per-axis parameters that fit the tensor.
LogicalResult verifyQuantizedTensor(Operation *op, Type type, StringRef name);

/// A tensor a quantized module computes on: 8-bit and per tensor; with
/// `contraction`, unsigned under an engine whose Linear/Conv take only
/// quint8.
LogicalResult verifyActivationTensor(Operation *op, Type type, StringRef name,
                                     bool contraction);

/// A weight of Linear/Conv/ConvTranspose: signed 8-bit, per tensor or per
/// output channel (`channelAxis`), with the engine's zero-point rule.
LogicalResult verifyWeight(Operation *op, Type type, int64_t channelAxis = 0);

/// Linear's shapes: input `[..., K]`, weight `[N, K]`, optional bias `[N]`,
/// result `[..., N]`.
LogicalResult verifyLinearShapes(Operation *op, RankedTensorType inputType,
                                 RankedTensorType weightType,
                                 RankedTensorType resultType, Value bias);

/// The engine's restriction on the scale ratios of a quantized add.
LogicalResult verifyAddScales(Operation *op, Type lhs, Type rhs, Type result);

/// The optional intermediate element type of linear/conv.
LogicalResult verifyIntermediate(Operation *op, TypeAttr intermediate);

/// A convolution's attributes: ranks 3 to 5, one entry per spatial
/// dimension in each of `lists`, positive strides and dilations,
/// non-negative padding.
LogicalResult
verifyConvAttributes(Operation *op, RankedTensorType inputType,
                     RankedTensorType weightType,
                     ArrayRef<std::pair<ArrayRef<int64_t>, StringRef>> lists,
                     ArrayRef<int64_t> strides, ArrayRef<int64_t> padding,
                     ArrayRef<int64_t> dilations);

/// A convolution's attributes and shapes (qnn.conv, qnn.dynamic_conv):
/// input `N x C x spatial...`, weight `O x C/groups x kernel...` (checked by
/// verifyWeight), the result's spatial sizes, an optional bias `[O]`.
LogicalResult verifyConvShapes(Operation *op, RankedTensorType inputType,
                               RankedTensorType weightType,
                               RankedTensorType resultType,
                               ArrayRef<int64_t> strides,
                               ArrayRef<int64_t> padding,
                               ArrayRef<int64_t> dilations, int64_t groups,
                               PaddingMode mode, Value bias);

/// A transposed convolution's shapes (qnn.conv_transpose,
/// qnn.dynamic_conv_transpose): weight `C_in x C_out/groups x kernel...`
/// per channel along axis 1.
LogicalResult verifyConvTransposeShapes(
    Operation *op, RankedTensorType inputType, RankedTensorType weightType,
    RankedTensorType resultType, ArrayRef<int64_t> strides,
    ArrayRef<int64_t> padding, ArrayRef<int64_t> outputPadding,
    ArrayRef<int64_t> dilations, int64_t groups, Value bias);

/// An optional float bias of `numChannels` entries.
LogicalResult verifyBias(Operation *op, Value bias, int64_t numChannels);

/// An activation mapping element type `input` to `result`: the checks of
/// its table entry and of the engine.
LogicalResult verifyActivationTypes(Operation *op, ActivationAttr act,
                                    Type input, Type result, StringRef what);

/// The post-op of linear/conv/add/mul applied to values of element type
/// `input`, giving `result`. Where `clampOnlyAfter` names the computation
/// before it ("an add"), only clamps that keep the quantization are valid.
LogicalResult verifyPostOp(Operation *op, ActivationAttr act, Type input,
                           Type result, StringRef clampOnlyAfter = {});

/// The shape two operands broadcast to (NumPy's rules), if they do.
std::optional<SmallVector<int64_t>> broadcastShapes(ArrayRef<int64_t> a,
                                                    ArrayRef<int64_t> b);

/// The operands of a binary op: quantized per tensor, 8-bit, the same
/// storage type, broadcasting to the result's shape.
LogicalResult verifyBinaryOperands(Operation *op, Value lhs, Value rhs,
                                   Value result);

} // namespace mlir::qnn::detail

#endif // QNN_LIB_DIALECT_QNN_IR_VERIFIERS_H
