//===- QuantUtils.h - quantization parameter arithmetic ---------*- C++ -*-===//
//
// Helpers shared by the qnn verifiers, passes and lowering: reading the
// quantization parameters out of `quant` types and the scalar arithmetic of
// PyTorch's quantize/dequantize (see docs/RationaleQNN.md).
//
//===----------------------------------------------------------------------===//

#ifndef QNN_DIALECT_QNN_UTILS_QUANTUTILS_H
#define QNN_DIALECT_QNN_UTILS_QUANTUTILS_H

#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Value.h"

#include <cstdint>
#include <optional>

namespace mlir::qnn {

/// Returns the quantized element type of `type` (a tensor or a scalar), or a
/// null type when it is not quantized.
quant::QuantizedType getQuantizedElementType(Type type);

/// The element type of dynamically quantized codes: quint8 whose scale and
/// zero point are run-time values, clamped to 0..255 whatever range the
/// parameters were chosen over (`!quant.any<u8:f32>`).
quant::AnyQuantizedType getDynamicCodesType(MLIRContext *ctx);

/// The stored codes of a constant (possibly cast to its quantized type by
/// quant.scast): inline or in a dense_resource blob of 8-bit codes.
std::optional<DenseIntElementsAttr> getConstantStorage(Value value);

/// The parameters of a uniform quantized type, per tensor or per axis. A
/// per-tensor type has one scale and one zero point and no axis.
struct QuantParams {
  SmallVector<double> scales;
  SmallVector<int64_t> zeroPoints;
  std::optional<int32_t> axis;
  int64_t qmin = 0;
  int64_t qmax = 0;
  unsigned storageWidth = 0;
  bool isSigned = false;

  bool isPerTensor() const { return !axis.has_value(); }
  /// Returns the scale / zero point for channel `c` (ignored per tensor).
  double scale(int64_t c = 0) const { return scales[axis ? c : 0]; }
  int64_t zeroPoint(int64_t c = 0) const { return zeroPoints[axis ? c : 0]; }

  /// Reads the parameters of a uniform (per-tensor or per-axis) type;
  /// returns std::nullopt for any other quantized type.
  static std::optional<QuantParams> get(quant::QuantizedType type);
};

/// `f32(1.0f / f32(scale))`: the reciprocal PyTorch multiplies by.
float reciprocalScale(double scale);

/// PyTorch's quantize: `clamp(zp + rint(x * f32(1 / scale)), qmin, qmax)`,
/// rounding half to even, the sum taken in f32; NaN and values beyond the
/// int64 range give qmin (x86's conversion, which PyTorch relies on).
int64_t quantizeValue(float x, double scale, int64_t zeroPoint, int64_t qmin,
                      int64_t qmax);

/// PyTorch's dequantize: `f32(scale) * f32(q - zp)`, q - zp in wrapping int32.
float dequantizeValue(int64_t q, double scale, int64_t zeroPoint);

/// Fails with an error on `op` naming the first operand or result whose
/// type is not a statically shaped tensor: qnn's decomposition and lowering
/// need static shapes (PyTorch import records the example inputs' shapes).
LogicalResult requireStaticShapes(Operation *op, StringRef what);

/// The upper clamp of quantized ReLU6: `quantize(6.0)` in the given type.
int64_t relu6Bound(const QuantParams &params);

} // namespace mlir::qnn

namespace mlir::qnn {

//===----------------------------------------------------------------------===//
// Requantization constants of the PyTorch engines (docs/numerics/ and
// docs/RationaleQNN.md). All are computed at compile time from the scales.
//===----------------------------------------------------------------------===//

/// qnnpack's output multiplier of Linear/Conv for one output channel:
/// `f32(f32(f32(s_w) * f32(s_in)) * f32(1.0f / f32(s_out)))`.
float qnnpackMultiplier(double inputScale, double weightScale,
                        double outputScale);

/// qnnpack's bias quantization factor `f32(1.0f / f32(s_in * s_w))`, the
/// product taken in double.
float qnnpackBiasInverseScale(double inputScale, double weightScale);

/// onednn's per-channel scales of Linear/Conv: the bias/accumulator scale
/// `bs = f32(f32(1.0 / s_in) * isw)` with `isw = f32(1.0 / s_w)` per tensor
/// or `1.0f / f32(s_w[c])` per channel, and the output multiplier
/// `Md = f32(f32(1.0 / s_out) / bs)`.
struct OneDNNScales {
  float biasScale;
  float multiplier;
};
OneDNNScales onednnScales(double inputScale, double weightScale,
                          bool perChannelWeight, double outputScale);

/// The fixed-point quantized add of QNNPACK (`shiftBase` 21) and XNNPACK
/// (20): with `r = f32(f32(s) / f32(s_out))` per input and `e` the binary
/// exponent of the larger, `shift = shiftBase - e`, the multipliers are
/// `rint(r * 2^shift)` and `acc = aMult*qa + bMult*qb + zeroPointProduct`
/// in wrapping int32 (`zeroPointProduct = -(aMult*za + bMult*zb)`), then
/// shifted right by `shift` with the formula's rounding.
struct FixedPointAddParams {
  int32_t aMultiplier;
  int32_t bMultiplier;
  int32_t zeroPointProduct;
  uint32_t shift;
};
FixedPointAddParams fixedPointAddParams(double aScale, int64_t aZeroPoint,
                                        double bScale, int64_t bZeroPoint,
                                        double outputScale, int shiftBase);

/// Whether PyTorch computes a quantized mul with XNNPACK (on both engines):
/// qint8 with an output zero point below 127; else ATen's kernel.
bool usesXnnpackMul(const QuantParams &output);

/// The multiplier of a quantized mul: `f32(f32(sa * sb) * f32(1 / so))`
/// (ATen) or `f32(f32(sa * sb) / f32(so))` (XNNPACK).
float mulMultiplier(double lhsScale, double rhsScale,
                    const QuantParams &output);

/// The quantization PyTorch gives `add_scalar(x, c)` (docs/numerics/
/// arithmetic.md): the input's, with the zero point moved by
/// `cq = rint(c / s)` when that stays in range, else a wider scale and the
/// zero point at the range's end. `addScalarShift` is `cq`.
QuantParams addScalarResultParams(const QuantParams &input, double scalar);
int64_t addScalarShift(const QuantParams &input, double scalar);

/// The quantization PyTorch gives `mul_scalar(x, c)`: scale `|c| * s` (1 for
/// c = 0), zero point unchanged for c > 0, mirrored for c < 0, 0 for c = 0.
QuantParams mulScalarResultParams(const QuantParams &input, double scalar);

/// Scalar reference of the qnnpack add, before the output zero point and
/// clamp: `(acc >> shift)` rounded half away from zero.
int32_t qnnpackAddShift(int32_t acc, uint32_t shift);

} // namespace mlir::qnn

#endif // QNN_DIALECT_QNN_UTILS_QUANTUTILS_H
