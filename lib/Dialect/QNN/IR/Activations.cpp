//===- Activations.cpp - qnn's activation table ---------------------------===//
//
// Each entry below is the whole definition of one activation; see
// Activations.h for what the fields mean and docs/numerics/activations.md
// for the formulas and where they were measured.
//
//===----------------------------------------------------------------------===//

#include "qnn/Dialect/QNN/IR/Activations.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "llvm/ADT/STLExtras.h"

#include <algorithm>
#include <cmath>

// sleef.h declares its FMA variants only when the including file is compiled
// with FMA enabled; qnn calls them after checking the CPU at run time.
extern "C" float Sleef_expf1_u10purecfma(float);
extern "C" float Sleef_tanhf1_u10purecfma(float);

using namespace mlir;
using namespace mlir::qnn;

//===----------------------------------------------------------------------===//
// ActivationBuilder
//===----------------------------------------------------------------------===//

Value ActivationBuilder::constant(float value) {
  return arith::ConstantOp::create(
      b, loc,
      DenseElementsAttr::get(cast<ShapedType>(type), b.getF32FloatAttr(value)));
}
Value ActivationBuilder::max(Value x, Value y) {
  return arith::MaximumFOp::create(b, loc, x, y);
}
Value ActivationBuilder::min(Value x, Value y) {
  return arith::MinimumFOp::create(b, loc, x, y);
}
Value ActivationBuilder::add(Value x, Value y) {
  return arith::AddFOp::create(b, loc, x, y);
}
Value ActivationBuilder::sub(Value x, Value y) {
  return arith::SubFOp::create(b, loc, x, y);
}
Value ActivationBuilder::mul(Value x, Value y) {
  return arith::MulFOp::create(b, loc, x, y);
}
Value ActivationBuilder::div(Value x, Value y) {
  return arith::DivFOp::create(b, loc, x, y);
}
Value ActivationBuilder::exp(Value x) { return math::ExpOp::create(b, loc, x); }
Value ActivationBuilder::tanh(Value x) {
  return math::TanhOp::create(b, loc, x);
}
Value ActivationBuilder::greater(Value x, Value y) {
  return arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGT, x, y);
}
Value ActivationBuilder::select(Value c, Value x, Value y) {
  return arith::SelectOp::create(b, loc, c, x, y);
}

//===----------------------------------------------------------------------===//
// Shared pieces of the entries
//===----------------------------------------------------------------------===//

bool mlir::qnn::atenVectorsUseSleef() {
  // ATen's AVX2 and AVX-512 kernels need FMA; without it ATen's default
  // vectors call glibc.
  static const bool hasFma = __builtin_cpu_supports("fma");
  return hasFma;
}

namespace {
/// The codes of `[lo, hi]` (either end may be infinite) as PyTorch's
/// quantize rounds them, within the type's storage range.
std::pair<int64_t, int64_t> clampCodes(const QuantParams &type, float lo,
                                       float hi) {
  auto code = [&](float v) {
    return quantizeValue(v, type.scale(), type.zeroPoint(), type.qmin,
                         type.qmax);
  };
  return {std::isinf(lo) ? type.qmin : code(lo),
          std::isinf(hi) ? type.qmax : code(hi)};
}

//===----------------------------------------------------------------------===//
// PyTorch's building blocks (docs/numerics/activations.md)
//===----------------------------------------------------------------------===//

/// The dequantized code: ATen's vector body uses
/// `fmaf(s, q, f32(s * -zp))`, its scalar loop and QNNPACK's tables
/// `f32(f32(q - zp) * s)`.
float dequantizeVector(const QuantParams &in, int64_t q) {
  float s = static_cast<float>(in.scale());
  return std::fma(s, static_cast<float>(q),
                  s * static_cast<float>(-in.zeroPoint()));
}
float dequantizeScalar(const QuantParams &in, int64_t q) {
  return static_cast<float>(q - in.zeroPoint()) *
         static_cast<float>(in.scale());
}
float dequantize(const ActivationContext &c, int64_t q) {
  return c.scalarPath ? dequantizeScalar(c.input, q)
                      : dequantizeVector(c.input, q);
}

/// `f32(1.0 / s)` with the reciprocal taken in double.
float inverseScaleDouble(double scale) {
  return static_cast<float>(1.0 / scale);
}

/// ATen's vectorized requantization: `clamp(rint(f32(y * inverse)) + zo)`.
int64_t requantizeVector(const QuantParams &out, float y, float inverse) {
  float t = std::nearbyint(y * inverse);
  t = std::min(t, 2147483520.0f);
  int64_t q = t >= -2147483648.0f ? static_cast<int64_t>(t) : INT32_MIN;
  return std::clamp(q + out.zeroPoint(), out.qmin, out.qmax);
}

/// PyTorch's quantize_val with the output's parameters.
int64_t quantizeOutput(const QuantParams &out, float y) {
  return quantizeValue(y, out.scale(), out.zeroPoint(), out.qmin, out.qmax);
}

/// The vector body requantizes with `inverse`, the scalar loop with
/// quantize_val.
int64_t requantize(const ActivationContext &c, float y, float inverse) {
  return c.scalarPath ? quantizeOutput(c.output, y)
                      : requantizeVector(c.output, y, inverse);
}

/// SLEEF's expf/tanhf (ATen's vector bodies: Sleef_expf8_u10 and its
/// scalar twin give the same bits) or glibc's (its scalar loops).
float expOf(const ActivationContext &c, float x) {
  return c.scalarPath || !atenVectorsUseSleef() ? std::exp(x)
                                                : Sleef_expf1_u10purecfma(x);
}
float tanhOf(const ActivationContext &c, float x) {
  return c.scalarPath || !atenVectorsUseSleef() ? std::tanh(x)
                                                : Sleef_tanhf1_u10purecfma(x);
}

/// QNNPACK's table entries of quint8: `lrintf(clamp(v, 0, 255))`.
int64_t qnnpackTable(float v) {
  return static_cast<int64_t>(std::nearbyint(std::clamp(v, 0.0f, 255.0f)));
}

/// Whether torch runs the activation with QNNPACK's table for `in`.
bool usesQnnpackTable(const EngineInfo &engine, const QuantParams &in) {
  return engine.qnnpackActivations && !in.isSigned && in.storageWidth == 8;
}

/// ATen's kernels (scalar loop included) run where QNNPACK's do not.
bool atenUnlessQnnpack(const EngineInfo &engine, const QuantParams &in) {
  return !usesQnnpackTable(engine, in);
}

/// ATen's kernels run leaky_relu and elu on every engine.
bool alwaysAten(const EngineInfo &, const QuantParams &) { return true; }

/// hardswish's and hardsigmoid's clamp: `min(max(f32(d + 3), 0), 6)`.
float relu6Shifted(float d) { return std::min(std::max(d + 3.0f, 0.0f), 6.0f); }

constexpr float kInf = std::numeric_limits<float>::infinity();

const ActivationParam kHardtanhParams[] = {{"min_val", -1.0f},
                                           {"max_val", 1.0f}};
const ActivationParam kLeakyParams[] = {{"negative_slope", 0.01f}};
const ActivationParam kEluParams[] = {
    {"alpha", 1.0f}, {"scale", 1.0f}, {"input_scale", 1.0f}};

//===----------------------------------------------------------------------===//
// The table
//===----------------------------------------------------------------------===//

ActivationDef makeRelu() {
  ActivationDef d;
  d.name = "relu";
  d.summary = "max(x, 0); on codes, a clamp at the zero point";
  d.reference = [](float x, ArrayRef<float>, float) {
    return std::max(x, 0.0f);
  };
  d.build = [](ActivationBuilder &b, Value x) {
    return b.max(x, b.constant(0.0f));
  };
  d.clamp = [](ArrayRef<float>, const QuantParams &type) {
    return std::optional(clampCodes(type, 0.0f, kInf));
  };
  return d;
}

ActivationDef makeRelu6() {
  ActivationDef d;
  d.name = "relu6";
  d.summary = "min(max(x, 0), 6); on codes, a clamp at the zero point and at "
              "quantize(6)";
  d.reference = [](float x, ArrayRef<float>, float) {
    return std::min(std::max(x, 0.0f), 6.0f);
  };
  d.build = [](ActivationBuilder &b, Value x) {
    Value relu = b.max(x, b.constant(0.0f));
    return b.min(relu, b.constant(6.0f));
  };
  d.clamp = [](ArrayRef<float>, const QuantParams &type) {
    return std::optional(clampCodes(type, 0.0f, 6.0f));
  };
  return d;
}

ActivationDef makeHardtanh() {
  ActivationDef d;
  d.name = "hardtanh";
  d.summary = "min(max(x, min_val), max_val) (also torch.clamp); on codes, a "
              "clamp at the quantized bounds";
  d.params = kHardtanhParams;
  d.reference = [](float x, ArrayRef<float> p, float) {
    return std::min(std::max(x, p[0]), p[1]);
  };
  d.build = [](ActivationBuilder &b, Value x) {
    Value low = b.max(x, b.param(0));
    return b.min(low, b.param(1));
  };
  d.clamp = [](ArrayRef<float> p, const QuantParams &type) {
    return std::optional(clampCodes(type, p[0], p[1]));
  };
  d.verifyParams = [](function_ref<InFlightDiagnostic()> emitError,
                      ArrayRef<float> p) -> LogicalResult {
    if (!(p[0] <= p[1]))
      return emitError() << "hardtanh needs min_val <= max_val, got " << p[0]
                         << " > " << p[1];
    return success();
  };
  return d;
}

ActivationDef makeLeakyRelu() {
  ActivationDef d;
  d.name = "leaky_relu";
  d.summary = "x > 0 ? x : x * negative_slope";
  d.params = kLeakyParams;
  d.reference = [](float x, ArrayRef<float> p, float) {
    return x > 0 ? x : x * p[0];
  };
  d.build = [](ActivationBuilder &b, Value x) {
    Value positive = b.greater(x, b.constant(0.0f));
    Value scaled = b.mul(x, b.param(0));
    return b.select(positive, x, scaled);
  };
  // ATen on every engine.
  d.quantized = [](const ActivationContext &c, int64_t q) {
    float x = dequantize(c, q);
    float y = x > 0 ? x : x * c.params[0];
    return requantize(c, y, reciprocalScale(c.output.scale()));
  };
  d.hasScalarPath = alwaysAten;
  return d;
}

ActivationDef makeTanh() {
  ActivationDef d;
  d.name = "tanh";
  d.summary = "tanh(x)";
  d.reference = [](float x, ArrayRef<float>, float) { return std::tanh(x); };
  d.build = [](ActivationBuilder &b, Value x) { return b.tanh(x); };
  d.quantized = [](const ActivationContext &c, int64_t q) {
    if (usesQnnpackTable(c.engine, c.input)) {
      // QNNPACK: glibc's double tanh, `128 * t + 128` in double.
      double t = std::tanh(static_cast<double>(dequantizeScalar(c.input, q)));
      return qnnpackTable(static_cast<float>(128.0 * t + 128.0));
    }
    float y = tanhOf(c, dequantize(c, q));
    return requantize(c, y, reciprocalScale(c.output.scale()));
  };
  d.hasScalarPath = atenUnlessQnnpack;
  return d;
}

ActivationDef makeSigmoid() {
  ActivationDef d;
  d.name = "sigmoid";
  d.summary = "1 / (1 + exp(-x))";
  d.reference = [](float x, ArrayRef<float>, float) {
    return 1.0f / (1.0f + std::exp(-x));
  };
  d.build = [](ActivationBuilder &b, Value x) {
    Value negated = b.sub(b.constant(0.0f), x);
    Value exp = b.exp(negated);
    Value denominator = b.add(exp, b.constant(1.0f));
    return b.div(b.constant(1.0f), denominator);
  };
  d.quantized = [](const ActivationContext &c, int64_t q) {
    if (usesQnnpackTable(c.engine, c.input)) {
      float x = dequantizeScalar(c.input, q);
      return qnnpackTable(256.0f / (1.0f + std::exp(-x)));
    }
    float x = dequantize(c, q);
    if (c.scalarPath) {
      // The scalar loop divides in double.
      double y = 1.0 / (1.0 + static_cast<double>(std::exp(-x)));
      return quantizeOutput(c.output, static_cast<float>(y));
    }
    float y = 1.0f / (1.0f + expOf(c, -x));
    return requantizeVector(c.output, y, inverseScaleDouble(c.output.scale()));
  };
  d.hasScalarPath = atenUnlessQnnpack;
  d.verifyTypes = [](function_ref<InFlightDiagnostic()> emitError,
                     const EngineInfo &engine, ArrayRef<float>,
                     const QuantParams &in,
                     const QuantParams &out) -> LogicalResult {
    if (usesQnnpackTable(engine, in) &&
        (static_cast<float>(out.scale()) != 1.0f / 256 || out.zeroPoint() != 0))
      return emitError() << "under '" << engine.getName()
                         << "' numerics needs output scale 1/256 and zero "
                            "point 0 for quint8 (QNNPACK's table; torch "
                            "refuses others)";
    return success();
  };
  return d;
}

ActivationDef makeHardsigmoid() {
  ActivationDef d;
  d.name = "hardsigmoid";
  d.summary = "min(max(x + 3, 0), 6) / 6";
  d.reference = [](float x, ArrayRef<float>, float) {
    return relu6Shifted(x) / 6.0f;
  };
  d.build = [](ActivationBuilder &b, Value x) {
    Value shifted = b.add(x, b.constant(3.0f));
    Value low = b.max(shifted, b.constant(0.0f));
    Value clamped = b.min(low, b.constant(6.0f));
    return b.div(clamped, b.constant(6.0f));
  };
  d.quantized = [](const ActivationContext &c, int64_t q) {
    if (usesQnnpackTable(c.engine, c.input))
      return qnnpackTable(256.0f *
                          (relu6Shifted(dequantizeScalar(c.input, q)) / 6.0f));
    float y = relu6Shifted(dequantize(c, q)) / 6.0f;
    return requantize(c, y, reciprocalScale(c.output.scale()));
  };
  d.hasScalarPath = atenUnlessQnnpack;
  return d;
}

ActivationDef makeHardswish() {
  ActivationDef d;
  d.name = "hardswish";
  d.summary = "x * min(max(x + 3, 0), 6) / 6";
  d.reference = [](float x, ArrayRef<float>, float) {
    return x * relu6Shifted(x) / 6.0f;
  };
  d.build = [](ActivationBuilder &b, Value x) {
    Value shifted = b.add(x, b.constant(3.0f));
    Value low = b.max(shifted, b.constant(0.0f));
    Value clamped = b.min(low, b.constant(6.0f));
    Value product = b.mul(x, clamped);
    return b.div(product, b.constant(6.0f));
  };
  d.quantized = [](const ActivationContext &c, int64_t q) {
    if (usesQnnpackTable(c.engine, c.input)) {
      // QNNPACK: the zero point added in float before rounding.
      float x = dequantizeScalar(c.input, q);
      float h = (x * relu6Shifted(x)) / 6.0f;
      return qnnpackTable(reciprocalScale(c.output.scale()) * h +
                          static_cast<float>(c.output.zeroPoint()));
    }
    float x = dequantize(c, q);
    float h = (x * relu6Shifted(x)) / 6.0f;
    return requantize(c, h, inverseScaleDouble(c.output.scale()));
  };
  d.hasScalarPath = atenUnlessQnnpack;
  return d;
}

ActivationDef makeElu() {
  ActivationDef d;
  d.name = "elu";
  d.summary = "x > 0 ? x * scale : (exp(x * input_scale) - 1) * alpha * scale";
  d.params = kEluParams;
  d.reference = [](float x, ArrayRef<float> p, float) {
    return x > 0 ? x * p[1] : (std::exp(x * p[2]) - 1.0f) * p[0] * p[1];
  };
  d.build = [](ActivationBuilder &b, Value x) {
    Value positive = b.greater(x, b.constant(0.0f));
    Value scaled = b.mul(x, b.param(1));
    Value exp = b.exp(b.mul(x, b.param(2)));
    Value expm1 = b.sub(exp, b.constant(1.0f));
    Value negative = b.mul(b.mul(expm1, b.param(0)), b.param(1));
    return b.select(positive, scaled, negative);
  };
  // ATen on every engine: exp(x) - 1, not expm1.
  d.quantized = [](const ActivationContext &c, int64_t q) {
    float alpha = c.params[0], scale = c.params[1], inputScale = c.params[2];
    float x = dequantize(c, q);
    float negative = (expOf(c, x * inputScale) - 1.0f) * alpha;
    float y = (x > 0 ? x : negative) * scale;
    return requantize(c, y, reciprocalScale(c.output.scale()));
  };
  d.hasScalarPath = alwaysAten;
  return d;
}

ActivationDef makePrelu() {
  ActivationDef d;
  d.name = "prelu";
  d.summary = "x > 0 ? x : weight * x, with one weight per channel "
              "(dimension 1) or one for all";
  d.hasWeight = true;
  d.reference = [](float x, ArrayRef<float>, float w) {
    return x > 0 ? x : w * x;
  };
  d.build = [](ActivationBuilder &b, Value x) {
    Value positive = b.greater(x, b.constant(0.0f));
    Value scaled = b.mul(b.getWeight(), x);
    return b.select(positive, x, scaled);
  };
  // ATen's integer kernel: the positive side scaled by the quantized 1.
  d.quantized = [](const ActivationContext &c, int64_t q) {
    const QuantParams &w = *c.weight;
    int64_t one =
        quantizeValue(1.0f, w.scale(), w.zeroPoint(), w.qmin, w.qmax) -
        w.zeroPoint();
    int64_t zp = c.input.zeroPoint();
    int64_t acc = (std::max(q, zp) - zp) * one +
                  (std::min(q, zp) - zp) * (c.weightCode - w.zeroPoint());
    float multiplier = static_cast<float>(c.input.scale()) *
                       static_cast<float>(w.scale()) *
                       reciprocalScale(c.output.scale());
    float t = std::nearbyint(static_cast<float>(acc) * multiplier);
    return std::clamp(static_cast<int64_t>(t) + c.output.zeroPoint(),
                      c.output.qmin, c.output.qmax);
  };
  return d;
}

/// The table, in the order --qnn-fuse tries the entries.
const ActivationDef kActivations[] = {
    makeRelu(), makeRelu6(),   makeHardtanh(),    makeLeakyRelu(),
    makeTanh(), makeSigmoid(), makeHardsigmoid(), makeHardswish(),
    makeElu(),  makePrelu()};
} // namespace

//===----------------------------------------------------------------------===//
// Queries
//===----------------------------------------------------------------------===//

std::optional<unsigned>
ActivationDef::getParamIndex(llvm::StringRef paramName) const {
  for (auto [i, param] : llvm::enumerate(params))
    if (param.name == paramName)
      return i;
  return std::nullopt;
}

ArrayRef<ActivationDef> mlir::qnn::getAllActivations() { return kActivations; }

const ActivationDef *mlir::qnn::lookupActivation(llvm::StringRef name) {
  for (const ActivationDef &def : kActivations)
    if (def.name == name)
      return &def;
  return nullptr;
}

int64_t mlir::qnn::applyActivation(const ActivationDef &def,
                                   const ActivationContext &context,
                                   int64_t code) {
  if (def.quantized)
    return def.quantized(context, code);
  float x =
      dequantizeValue(code, context.input.scale(), context.input.zeroPoint());
  float weight = context.weight ? dequantizeValue(context.weightCode,
                                                  context.weight->scale(),
                                                  context.weight->zeroPoint())
                                : 0.0f;
  float y = def.reference(x, context.params, weight);
  return quantizeValue(y, context.output.scale(), context.output.zeroPoint(),
                       context.output.qmin, context.output.qmax);
}

std::optional<std::pair<int64_t, int64_t>>
mlir::qnn::getActivationClamp(const ActivationDef &def, ArrayRef<float> params,
                              const QuantParams &input,
                              const QuantParams &output) {
  if (!def.clamp || !input.isPerTensor() || input.scales != output.scales ||
      input.zeroPoints != output.zeroPoints || input.qmin != output.qmin ||
      input.qmax != output.qmax || input.isSigned != output.isSigned ||
      input.storageWidth != output.storageWidth)
    return std::nullopt;
  return def.clamp(params, input);
}
