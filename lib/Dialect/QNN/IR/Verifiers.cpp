//===- Verifiers.cpp - checks shared by the qnn op verifiers --------------===//

#include "Verifiers.h"

#include "qnn/Dialect/QNN/Utils/QuantUtils.h"

#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"

#include <cmath>

using namespace mlir;
using namespace mlir::qnn;
using namespace mlir::qnn::detail;

/// Formats a shape as `[a, b, ?]` for diagnostics.
std::string mlir::qnn::detail::formatShape(ArrayRef<int64_t> shape) {
  std::string s = "[";
  llvm::raw_string_ostream os(s);
  llvm::interleaveComma(shape, os, [&](int64_t d) {
    if (ShapedType::isDynamic(d))
      os << "?";
    else
      os << d;
  });
  os << "]";
  return s;
}

/// True when two shapes agree on every dimension that is static in both.
bool mlir::qnn::detail::shapesCompatible(ArrayRef<int64_t> a,
                                         ArrayRef<int64_t> b) {
  if (a.size() != b.size())
    return false;
  for (auto [x, y] : llvm::zip(a, b))
    if (!ShapedType::isDynamic(x) && !ShapedType::isDynamic(y) && x != y)
      return false;
  return true;
}

/// Checks what every quantized tensor must satisfy: a uniform type expressed
/// in f32, and per-axis parameters that fit the tensor.
LogicalResult mlir::qnn::detail::verifyQuantizedTensor(Operation *op, Type type,
                                                       StringRef name) {
  auto tensorType = cast<RankedTensorType>(type);
  auto qtype = getQuantizedElementType(type);
  std::optional<QuantParams> params = QuantParams::get(qtype);
  if (!params)
    return op->emitOpError()
           << name << " must use a uniform quantized type, got " << qtype;
  if (!qtype.getExpressedType().isF32())
    return op->emitOpError() << name << " must be expressed in f32, got "
                             << qtype.getExpressedType();
  if (params->axis) {
    int64_t axis = *params->axis;
    if (axis >= tensorType.getRank())
      return op->emitOpError()
             << name << " is quantized along axis " << axis
             << ", out of range for rank " << tensorType.getRank();
    int64_t dim = tensorType.getDimSize(axis);
    if (!ShapedType::isDynamic(dim) &&
        dim != static_cast<int64_t>(params->scales.size()))
      return op->emitOpError() << name << " has " << params->scales.size()
                               << " per-axis scales but dimension " << axis
                               << " has size " << dim;
  }
  return success();
}

/// A tensor a quantized module computes on: 8-bit and per tensor; under an
/// engine whose contractions take only quint8, unsigned when `contraction`.
LogicalResult mlir::qnn::detail::verifyActivationTensor(Operation *op,
                                                        Type type,
                                                        StringRef name,
                                                        bool contraction) {
  if (failed(verifyQuantizedTensor(op, type, name)))
    return failure();
  std::optional<QuantParams> params =
      QuantParams::get(getQuantizedElementType(type));
  if (!params->isPerTensor())
    return op->emitOpError() << name << " must be quantized per tensor";
  if (params->storageWidth != 8)
    return op->emitOpError() << name << " storage must be 8-bit, got "
                             << params->storageWidth << "-bit";
  const EngineInfo *engine = getEngine(op);
  if (contraction && engine && !engine->signedContractionInputs &&
      params->isSigned)
    return op->emitOpError()
           << "'" << engine->getName() << "' numerics requires " << name
           << " with unsigned 8-bit (quint8) storage";
  return success();
}

/// A weight of Linear/Conv: signed 8-bit, per tensor or per output channel
/// (axis 0), with zero point 0 under onednn numerics.
LogicalResult mlir::qnn::detail::verifyWeight(Operation *op, Type type,
                                              int64_t channelAxis) {
  if (failed(verifyQuantizedTensor(op, type, "weight")))
    return failure();
  std::optional<QuantParams> params =
      QuantParams::get(getQuantizedElementType(type));
  if (params->storageWidth != 8 || !params->isSigned)
    return op->emitOpError()
           << "weight storage must be signed 8-bit (qint8), got "
           << (params->isSigned ? "i" : "u") << params->storageWidth;
  if (params->axis && *params->axis != channelAxis)
    return op->emitOpError()
           << "per-channel weight must be quantized along axis " << channelAxis
           << " (output channels), got axis " << *params->axis;
  const EngineInfo *engine = getEngine(op);
  if (engine && engine->weightZeroPointMustBeZero)
    for (int64_t zp : params->zeroPoints)
      if (zp != 0)
        return op->emitOpError()
               << "'" << engine->getName()
               << "' numerics requires weight zero point 0, got " << zp;
  return success();
}

/// `2**k` for a power of two, else the shortest decimal.
static std::string formatLimit(double value) {
  int exponent;
  if (std::frexp(value, &exponent) == 0.5)
    return "2**" + std::to_string(exponent - 1);
  return llvm::formatv("{0}", value).str();
}

/// `%.7g`, as torch prints scale ratios.
static std::string formatRatio(double value) {
  std::string s;
  llvm::raw_string_ostream(s) << llvm::format("%.7g", value);
  return s;
}

/// The restriction of the engine's add formula for these operands on the
/// scales: each input scale over the output scale, in f32, must lie in the
/// formula's range (torch refuses the others).
LogicalResult mlir::qnn::detail::verifyAddScales(Operation *op, Type lhs,
                                                 Type rhs, Type result) {
  const EngineInfo *engine = getEngine(op);
  if (!engine)
    return success();
  auto lhsType = cast<RankedTensorType>(lhs),
       rhsType = cast<RankedTensorType>(rhs);
  AddFormula formula = engine->getAddFormula(
      lhsType.getShape() == rhsType.getShape(),
      QuantParams::get(getQuantizedElementType(lhs))->isSigned);
  const AddFormulaInfo &info = getAddFormulaInfo(formula);
  auto scaleOf = [](Type type) {
    return static_cast<float>(
        QuantParams::get(getQuantizedElementType(type))->scale());
  };
  for (auto [type, name] : {std::pair{lhs, "lhs"}, std::pair{rhs, "rhs"}}) {
    double ratio = scaleOf(type) / scaleOf(result);
    if (ratio < info.minScaleRatio || ratio >= info.maxScaleRatio)
      return op->emitOpError()
             << "'" << engine->getName() << "' numerics requires the " << name
             << " scale over the result scale to be in ["
             << formatLimit(info.minScaleRatio) << ", "
             << formatLimit(info.maxScaleRatio) << "), got "
             << formatRatio(ratio);
  }
  return success();
}

/// The optional intermediate element type of linear/conv: per-tensor
/// uniform quantized, 8-bit, expressed in f32.
LogicalResult mlir::qnn::detail::verifyIntermediate(Operation *op,
                                                    TypeAttr intermediate) {
  if (!intermediate)
    return success();
  auto params =
      QuantParams::get(dyn_cast<quant::QuantizedType>(intermediate.getValue()));
  if (!params || !params->isPerTensor() || params->storageWidth != 8 ||
      !cast<quant::QuantizedType>(intermediate.getValue())
           .getExpressedType()
           .isF32())
    return op->emitOpError() << "intermediate must be an 8-bit per-tensor "
                                "uniform quantized type expressed in f32, got "
                             << intermediate.getValue();
  return success();
}

/// An optional float bias of `numChannels` entries.
LogicalResult mlir::qnn::detail::verifyBias(Operation *op, Value bias,
                                            int64_t numChannels) {
  if (!bias)
    return success();
  auto biasType = cast<RankedTensorType>(bias.getType());
  if (!biasType.getElementType().isF32())
    return op->emitOpError()
           << "bias must be f32, got " << biasType.getElementType();
  if (!shapesCompatible(biasType.getShape(), {numChannels}))
    return op->emitOpError()
           << "bias must have shape " << formatShape({numChannels}) << ", got "
           << formatShape(biasType.getShape());
  return success();
}

/// An activation applied to values of element type `input` giving
/// `result`: a clamp of equal types works on any storage; anything else
/// maps 8-bit codes through a table; the entry checks the engine's
/// restrictions.
LogicalResult mlir::qnn::detail::verifyActivationTypes(Operation *op,
                                                       ActivationAttr act,
                                                       Type input, Type result,
                                                       StringRef what) {
  auto in = QuantParams::get(getQuantizedElementType(input));
  auto out = QuantParams::get(getQuantizedElementType(result));
  if (!in || !out || !in->isPerTensor() || !out->isPerTensor())
    return op->emitOpError()
           << what << " must map per-tensor uniform quantized types";
  const ActivationDef &def = *act.getDef();
  if (!getActivationClamp(def, act.getParams(), *in, *out) &&
      in->storageWidth != 8)
    return op->emitOpError()
           << what << " " << def.name << " on " << in->storageWidth
           << "-bit storage needs equal input and result types (an integer "
              "clamp); other activations take 8-bit codes";
  if (const EngineInfo *engine = getEngine(op); engine && def.verifyTypes)
    return def.verifyTypes([&] { return op->emitOpError() << what << " "; },
                           *engine, act.getParams(), *in, *out);
  return success();
}

/// The post-op of linear/conv/add, applied to values of element type
/// `input` (the requantized contraction, or the add's result) and giving
/// the op's result element type. After an add only clamps that keep the
/// quantization are fused.
LogicalResult mlir::qnn::detail::verifyPostOp(Operation *op, ActivationAttr act,
                                              Type input, Type result,
                                              StringRef clampOnlyAfter) {
  if (!act) {
    if (clampOnlyAfter.empty() && input != result)
      return op->emitOpError()
             << "intermediate type " << input
             << " needs a post_op or an add to reach the result type "
             << result;
    return success();
  }
  const ActivationDef &def = *act.getDef();
  if (def.hasWeight)
    return op->emitOpError()
           << "post_op " << def.name << " takes a weight; use qnn.activation";
  if (!clampOnlyAfter.empty()) {
    auto params = QuantParams::get(getQuantizedElementType(result));
    if (input != result ||
        !getActivationClamp(def, act.getParams(), *params, *params))
      return op->emitOpError()
             << "post_op " << def.name << " after " << clampOnlyAfter
             << " must be a clamp that keeps the quantization (relu, relu6, "
                "hardtanh)";
    return success();
  }
  return verifyActivationTypes(op, act, input, result, "post_op");
}

std::optional<SmallVector<int64_t>>
mlir::qnn::detail::broadcastShapes(ArrayRef<int64_t> a, ArrayRef<int64_t> b) {
  size_t rank = std::max(a.size(), b.size());
  SmallVector<int64_t> shape(rank);
  for (size_t i = 0; i < rank; ++i) {
    int64_t x = i < rank - a.size() ? 1 : a[i - (rank - a.size())];
    int64_t y = i < rank - b.size() ? 1 : b[i - (rank - b.size())];
    if (ShapedType::isDynamic(x) || ShapedType::isDynamic(y))
      shape[i] = x == 1 ? y : y == 1 ? x : ShapedType::kDynamic;
    else if (x == y || y == 1)
      shape[i] = x;
    else if (x == 1)
      shape[i] = y;
    else
      return std::nullopt;
  }
  return shape;
}

LogicalResult mlir::qnn::detail::verifyBinaryOperands(Operation *op, Value lhs,
                                                      Value rhs, Value result) {
  if (failed(verifyActivationTensor(op, lhs.getType(), "lhs", false)) ||
      failed(verifyActivationTensor(op, rhs.getType(), "rhs", false)) ||
      failed(verifyActivationTensor(op, result.getType(), "result", false)))
    return failure();
  auto storage = [](Value v) {
    return getQuantizedElementType(v.getType()).getStorageType();
  };
  auto isSigned = [](Value v) {
    return getQuantizedElementType(v.getType()).isSigned();
  };
  if (storage(lhs) != storage(rhs) || isSigned(lhs) != isSigned(rhs) ||
      isSigned(lhs) != isSigned(result))
    return op->emitOpError()
           << "operands and result must have the same storage type (PyTorch: "
              "\"operands should have same data type\"), got "
           << getQuantizedElementType(lhs.getType()) << ", "
           << getQuantizedElementType(rhs.getType()) << " -> "
           << getQuantizedElementType(result.getType());
  ArrayRef<int64_t> a = cast<RankedTensorType>(lhs.getType()).getShape();
  ArrayRef<int64_t> b = cast<RankedTensorType>(rhs.getType()).getShape();
  ArrayRef<int64_t> out = cast<RankedTensorType>(result.getType()).getShape();
  std::optional<SmallVector<int64_t>> shape = broadcastShapes(a, b);
  if (!shape || !shapesCompatible(*shape, out))
    return op->emitOpError()
           << "operands of shapes " << formatShape(a) << " and "
           << formatShape(b) << " do not broadcast to the result shape "
           << formatShape(out);
  return success();
}

LogicalResult mlir::qnn::detail::verifyLinearShapes(Operation *op,
                                                    RankedTensorType inputType,
                                                    RankedTensorType weightType,
                                                    RankedTensorType resultType,
                                                    Value bias) {
  int64_t inFeatures = inputType.getShape().back();
  int64_t outFeatures = weightType.getDimSize(0);
  if (!shapesCompatible({inFeatures}, {weightType.getDimSize(1)}))
    return op->emitOpError()
           << "input has " << inFeatures << " features but the weight expects "
           << weightType.getDimSize(1);
  if (failed(verifyBias(op, bias, outFeatures)))
    return failure();
  SmallVector<int64_t> expected(inputType.getShape().drop_back());
  expected.push_back(outFeatures);
  if (!shapesCompatible(resultType.getShape(), expected))
    return op->emitOpError()
           << "result shape " << formatShape(resultType.getShape())
           << " does not match expected " << formatShape(expected);
  return success();
}
