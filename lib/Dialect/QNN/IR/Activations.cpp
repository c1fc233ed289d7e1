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

/// `f32(1.0 / s)` with the reciprocal taken in double, as ATen's quantized
/// activations compute the inverse output scale.
float inverseScaleDouble(double scale) {
  return static_cast<float>(1.0 / scale);
}

constexpr float kInf = std::numeric_limits<float>::infinity();

const ActivationParam kNoParams[] = {{"", 0.0f}};
const ActivationParam kHardtanhParams[] = {{"min_val", -1.0f},
                                           {"max_val", 1.0f}};
const ActivationParam kLeakyParams[] = {{"negative_slope", 0.01f}};
const ActivationParam kEluParams[] = {
    {"alpha", 1.0f}, {"scale", 1.0f}, {"input_scale", 1.0f}};

ArrayRef<ActivationParam> none() { return ArrayRef(kNoParams).drop_back(); }
} // namespace

//===----------------------------------------------------------------------===//
// The table
//===----------------------------------------------------------------------===//

static const ActivationDef kActivations[] = {
    {
        "relu",
        "max(x, 0); on codes, a clamp at the zero point",
        none(),
        /*hasWeight=*/false,
        [](float x, ArrayRef<float>, float) { return std::max(x, 0.0f); },
        [](ActivationBuilder &b, Value x) {
          return b.max(x, b.constant(0.0f));
        },
        [](ArrayRef<float>, const QuantParams &type) {
          return std::optional(clampCodes(type, 0.0f, kInf));
        },
    },
    {
        "relu6",
        "min(max(x, 0), 6); on codes, a clamp at the zero point and at "
        "quantize(6)",
        none(),
        /*hasWeight=*/false,
        [](float x, ArrayRef<float>, float) {
          return std::min(std::max(x, 0.0f), 6.0f);
        },
        [](ActivationBuilder &b, Value x) {
          Value relu = b.max(x, b.constant(0.0f));
          return b.min(relu, b.constant(6.0f));
        },
        [](ArrayRef<float>, const QuantParams &type) {
          return std::optional(clampCodes(type, 0.0f, 6.0f));
        },
    },
    {
        "hardtanh",
        "min(max(x, min_val), max_val) (also torch.clamp); on codes, a "
        "clamp at the quantized bounds",
        kHardtanhParams,
        /*hasWeight=*/false,
        [](float x, ArrayRef<float> p, float) {
          return std::min(std::max(x, p[0]), p[1]);
        },
        [](ActivationBuilder &b, Value x) {
          Value low = b.max(x, b.param(0));
          return b.min(low, b.param(1));
        },
        [](ArrayRef<float> p, const QuantParams &type) {
          return std::optional(clampCodes(type, p[0], p[1]));
        },
        /*quantized=*/nullptr,
        [](function_ref<InFlightDiagnostic()> emitError,
           ArrayRef<float> p) -> LogicalResult {
          if (!(p[0] <= p[1]))
            return emitError() << "hardtanh needs min_val <= max_val, got "
                               << p[0] << " > " << p[1];
          return success();
        },
    },
    {
        "leaky_relu",
        "x > 0 ? x : x * negative_slope",
        kLeakyParams,
        /*hasWeight=*/false,
        [](float x, ArrayRef<float> p, float) { return x > 0 ? x : x * p[0]; },
        [](ActivationBuilder &b, Value x) {
          Value positive = b.greater(x, b.constant(0.0f));
          Value scaled = b.mul(x, b.param(0));
          return b.select(positive, x, scaled);
        },
    },
    {
        "tanh",
        "tanh(x)",
        none(),
        /*hasWeight=*/false,
        [](float x, ArrayRef<float>, float) { return std::tanh(x); },
        [](ActivationBuilder &b, Value x) { return b.tanh(x); },
    },
    {
        "sigmoid",
        "1 / (1 + exp(-x))",
        none(),
        /*hasWeight=*/false,
        [](float x, ArrayRef<float>, float) {
          return 1.0f / (1.0f + std::exp(-x));
        },
        [](ActivationBuilder &b, Value x) {
          Value negated = b.sub(b.constant(0.0f), x);
          Value exp = b.exp(negated);
          Value denominator = b.add(exp, b.constant(1.0f));
          return b.div(b.constant(1.0f), denominator);
        },
    },
    {
        "hardsigmoid",
        "min(max(x + 3, 0), 6) / 6",
        none(),
        /*hasWeight=*/false,
        [](float x, ArrayRef<float>, float) {
          return std::min(std::max(x + 3.0f, 0.0f), 6.0f) / 6.0f;
        },
        [](ActivationBuilder &b, Value x) {
          Value shifted = b.add(x, b.constant(3.0f));
          Value low = b.max(shifted, b.constant(0.0f));
          Value clamped = b.min(low, b.constant(6.0f));
          return b.div(clamped, b.constant(6.0f));
        },
    },
    {
        "hardswish",
        "x * min(max(x + 3, 0), 6) / 6",
        none(),
        /*hasWeight=*/false,
        [](float x, ArrayRef<float>, float) {
          return x * std::min(std::max(x + 3.0f, 0.0f), 6.0f) / 6.0f;
        },
        [](ActivationBuilder &b, Value x) {
          Value shifted = b.add(x, b.constant(3.0f));
          Value low = b.max(shifted, b.constant(0.0f));
          Value clamped = b.min(low, b.constant(6.0f));
          Value product = b.mul(x, clamped);
          return b.div(product, b.constant(6.0f));
        },
    },
    {
        "elu",
        "x > 0 ? x * scale : (exp(x * input_scale) - 1) * alpha * scale",
        kEluParams,
        /*hasWeight=*/false,
        [](float x, ArrayRef<float> p, float) {
          return x > 0 ? x * p[1] : (std::exp(x * p[2]) - 1.0f) * p[0] * p[1];
        },
        [](ActivationBuilder &b, Value x) {
          Value positive = b.greater(x, b.constant(0.0f));
          Value scaled = b.mul(x, b.param(1));
          Value exp = b.exp(b.mul(x, b.param(2)));
          Value expm1 = b.sub(exp, b.constant(1.0f));
          Value negative = b.mul(b.mul(expm1, b.param(0)), b.param(1));
          return b.select(positive, scaled, negative);
        },
    },
    {
        "prelu",
        "x > 0 ? x : weight * x, with one weight per channel (dimension 1) "
        "or one for all",
        none(),
        /*hasWeight=*/true,
        [](float x, ArrayRef<float>, float w) { return x > 0 ? x : w * x; },
        [](ActivationBuilder &b, Value x) {
          Value positive = b.greater(x, b.constant(0.0f));
          Value scaled = b.mul(b.getWeight(), x);
          return b.select(positive, x, scaled);
        },
    },
};

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
  float y = def.reference(x, context.params, context.weight);
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
