//===- ReferenceForm.h - float building blocks of the reference form -----===//
//
// The decomposed (reference) form of a qnn op is dequantize, a float
// computation, quantize. --qnn-decompose builds the float computation from
// the builders below and --qnn-fuse recognises it with the matchers beside
// them; keeping each builder next to its matcher is what makes
// fuse(decompose(x)) == x hold by construction.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_LIB_DIALECT_QNN_TRANSFORMS_REFERENCEFORM_H
#define QNN_LIB_DIALECT_QNN_TRANSFORMS_REFERENCEFORM_H

#include "qnn/Dialect/QNN/IR/QNNOps.h"
#include "qnn/Dialect/QNN/Utils/Windows.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/Value.h"

namespace mlir::qnn::reference {

//===----------------------------------------------------------------------===//
// Activations
//===----------------------------------------------------------------------===//

/// Builds `act(value)` on a float tensor with the activation table's
/// formula, its parameters as splat constants. `weight` is the float
/// per-channel weight of prelu broadcast to the value's shape.
Value buildActivation(OpBuilder &b, Location loc, Value value,
                      ActivationAttr act, Value weight = {});

/// A recognised activation: which, what it is applied to, and (prelu) the
/// value in the weight's place.
struct ActivationMatch {
  ActivationAttr activation;
  Value input;
  Value weight;
};

/// Recognises the formula of any entry of the activation table rooted at
/// `value`, by matching the IR its builder produces (so every entry is
/// recognised without a matcher of its own); the entries are tried in table
/// order. With `exclusiveInput`, the input may have no user outside the
/// activation (it is an intermediate of a larger pattern).
std::optional<ActivationMatch> matchActivation(Value value,
                                               bool exclusiveInput = true);

//===----------------------------------------------------------------------===//
// Linear
//===----------------------------------------------------------------------===//

/// `x @ w^T (+ bias)` on float tensors, x `[..., K]`, w `[N, K]`.
Value buildLinear(OpBuilder &b, Location loc, Value x, Value w, Value bias);

struct LinearMatch {
  Value input, weight, bias;
};
/// Recognises buildLinear's output: single-use intermediates only.
std::optional<LinearMatch> matchLinear(Value value);

//===----------------------------------------------------------------------===//
// Convolution
//===----------------------------------------------------------------------===//

struct ConvGeometry {
  SmallVector<int64_t> strides, padding, dilations;
  int64_t groups = 1;
  PaddingMode paddingMode = PaddingMode::zeros;
};

/// A grouped N-d convolution of float tensors in PyTorch layouts, with the
/// given padding applied to `x` first, plus an optional bias.
Value buildConv(OpBuilder &b, Location loc, Value x, Value w, Value bias,
                const ConvGeometry &geometry);

struct ConvMatch {
  Value input, weight, bias;
  ConvGeometry geometry;
};
/// Recognises buildConv's output: single-use intermediates only.
std::optional<ConvMatch> matchConv(Value value);

//===----------------------------------------------------------------------===//
// Pooling
//===----------------------------------------------------------------------===//

struct PoolGeometry {
  SmallVector<int64_t> kernel, strides, padding, dilations;
  bool ceilMode = false;
};

/// Max pooling of a float `N x C x spatial...` tensor: padded with -inf, a
/// window reduction with arith.maximumf from -inf.
Value buildMaxPool(OpBuilder &b, Location loc, Value x,
                   const PoolGeometry &geometry);

struct PoolMatch {
  Value input;
  PoolGeometry geometry;
};
/// Recognises buildMaxPool's output: single-use intermediates only.
std::optional<PoolMatch> matchMaxPool(Value value);

/// Average pooling of a float `N x C x H x W` tensor over the windows `h` x
/// `w`: each window's sum divided by `divisors` (row-major over the output
/// positions). Adaptive average pooling is the same with its windows and
/// their sizes as divisors.
Value buildAveragePool(OpBuilder &b, Location loc, Value x, const DimWindows &h,
                       const DimWindows &w, ArrayRef<int64_t> divisors);

/// The mean of a float tensor over its trailing dimensions `dims`, shaped
/// as `resultShape` (the kept dimensions, then size-1 dimensions for
/// keepdim): a sum reduction divided by the number of elements reduced.
Value buildMean(OpBuilder &b, Location loc, Value x, ArrayRef<int64_t> dims,
                ArrayRef<int64_t> resultShape);

//===----------------------------------------------------------------------===//
// Elementwise helpers
//===----------------------------------------------------------------------===//

/// `x` broadcast to `shape` by NumPy's rules: its size-1 dimensions that
/// broadcast collapsed away, then linalg.broadcast; `x` when the shapes
/// are equal.
Value buildBroadcastTo(OpBuilder &b, Location loc, Value x,
                       ArrayRef<int64_t> shape);

/// Recognises buildBroadcastTo's output (single-use intermediates): the
/// value broadcast, or `value` itself when it is no broadcast.
Value matchBroadcastTo(Value value);

/// A float splat constant of the given tensor type.
Value buildSplat(OpBuilder &b, Location loc, Type tensorType, float value);

/// True if `value` is a float splat constant equal to `expected`.
bool isSplat(Value value, float expected);

} // namespace mlir::qnn::reference

#endif // QNN_LIB_DIALECT_QNN_TRANSFORMS_REFERENCEFORM_H
