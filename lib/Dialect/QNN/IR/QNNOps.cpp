//===- QNNOps.cpp - qnn operation verifiers and folders -------------------===//

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

//===----------------------------------------------------------------------===//
// Shared checks
//===----------------------------------------------------------------------===//

namespace {
/// Formats a shape as `[a, b, ?]` for diagnostics.
std::string formatShape(ArrayRef<int64_t> shape) {
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
bool shapesCompatible(ArrayRef<int64_t> a, ArrayRef<int64_t> b) {
  if (a.size() != b.size())
    return false;
  for (auto [x, y] : llvm::zip(a, b))
    if (!ShapedType::isDynamic(x) && !ShapedType::isDynamic(y) && x != y)
      return false;
  return true;
}

/// Checks what every quantized tensor must satisfy: a uniform type expressed
/// in f32, and per-axis parameters that fit the tensor.
LogicalResult verifyQuantizedTensor(Operation *op, Type type, StringRef name) {
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
LogicalResult verifyActivationTensor(Operation *op, Type type, StringRef name,
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
LogicalResult verifyWeight(Operation *op, Type type) {
  if (failed(verifyQuantizedTensor(op, type, "weight")))
    return failure();
  std::optional<QuantParams> params =
      QuantParams::get(getQuantizedElementType(type));
  if (params->storageWidth != 8 || !params->isSigned)
    return op->emitOpError()
           << "weight storage must be signed 8-bit (qint8), got "
           << (params->isSigned ? "i" : "u") << params->storageWidth;
  if (params->axis && *params->axis != 0)
    return op->emitOpError()
           << "per-channel weight must be quantized along axis 0 (output "
              "channels), got axis "
           << *params->axis;
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
std::string formatLimit(double value) {
  int exponent;
  if (std::frexp(value, &exponent) == 0.5)
    return "2**" + std::to_string(exponent - 1);
  return llvm::formatv("{0}", value).str();
}

/// `%.7g`, as torch prints scale ratios.
std::string formatRatio(double value) {
  std::string s;
  llvm::raw_string_ostream(s) << llvm::format("%.7g", value);
  return s;
}

/// The engine's restriction on the scales of a quantized add: each input
/// scale over the output scale, in f32, must lie in the engine's range.
LogicalResult verifyAddScales(Operation *op, Type lhs, Type rhs, Type result) {
  const EngineInfo *engine = getEngine(op);
  if (!engine)
    return success();
  auto scaleOf = [](Type type) {
    return static_cast<float>(
        QuantParams::get(getQuantizedElementType(type))->scale());
  };
  for (auto [type, name] : {std::pair{lhs, "lhs"}, std::pair{rhs, "rhs"}}) {
    double ratio = scaleOf(type) / scaleOf(result);
    if (ratio < engine->minAddScaleRatio || ratio >= engine->maxAddScaleRatio)
      return op->emitOpError()
             << "'" << engine->getName() << "' numerics requires the " << name
             << " scale over the result scale to be in ["
             << formatLimit(engine->minAddScaleRatio) << ", "
             << formatLimit(engine->maxAddScaleRatio) << "), got "
             << formatRatio(ratio);
  }
  return success();
}

/// The optional intermediate element type of linear/conv: per-tensor
/// uniform quantized, 8-bit, expressed in f32.
LogicalResult verifyIntermediate(Operation *op, TypeAttr intermediate) {
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
LogicalResult verifyBias(Operation *op, Value bias, int64_t numChannels) {
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
LogicalResult verifyActivationTypes(Operation *op, ActivationAttr act,
                                    Type input, Type result, StringRef what) {
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
LogicalResult verifyPostOp(Operation *op, ActivationAttr act, Type input,
                           Type result, bool afterAdd) {
  if (!act) {
    if (!afterAdd && input != result)
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
  if (afterAdd) {
    auto params = QuantParams::get(getQuantizedElementType(result));
    if (input != result ||
        !getActivationClamp(def, act.getParams(), *params, *params))
      return op->emitOpError()
             << "post_op " << def.name
             << " after an add must be a clamp that keeps the quantization "
                "(relu, relu6, hardtanh)";
    return success();
  }
  return verifyActivationTypes(op, act, input, result, "post_op");
}
} // namespace

//===----------------------------------------------------------------------===//
// QuantizeOp / DequantizeOp / RequantizeOp
//===----------------------------------------------------------------------===//

/// Shared by the three casts: same shape, float side matching the expressed
/// type of the quantized side.
static LogicalResult verifyCast(Operation *op, Type inputType,
                                Type resultType) {
  auto in = cast<RankedTensorType>(inputType);
  auto out = cast<RankedTensorType>(resultType);
  if (!shapesCompatible(in.getShape(), out.getShape()))
    return op->emitOpError()
           << "input shape " << formatShape(in.getShape())
           << " does not match result shape " << formatShape(out.getShape());
  for (auto [type, name] :
       {std::pair{inputType, "input"}, std::pair{resultType, "result"}}) {
    if (getQuantizedElementType(type)) {
      if (failed(verifyQuantizedTensor(op, type, name)))
        return failure();
    } else if (!cast<RankedTensorType>(type).getElementType().isF32()) {
      return op->emitOpError() << name << " float type must be f32, got "
                               << cast<RankedTensorType>(type).getElementType();
    }
  }
  return success();
}

LogicalResult QuantizeOp::verify() {
  return verifyCast(*this, getInput().getType(), getType());
}

OpFoldResult QuantizeOp::fold(FoldAdaptor) {
  // quantize(dequantize(x)) to the type of x is x.
  if (auto dq = getInput().getDefiningOp<DequantizeOp>())
    if (dq.getInput().getType() == getType())
      return dq.getInput();
  return {};
}

LogicalResult DequantizeOp::verify() {
  return verifyCast(*this, getInput().getType(), getType());
}

LogicalResult RequantizeOp::verify() {
  return verifyCast(*this, getInput().getType(), getType());
}

OpFoldResult RequantizeOp::fold(FoldAdaptor) {
  if (getInput().getType() == getType())
    return getInput();
  return {};
}

//===----------------------------------------------------------------------===//
// LinearOp
//===----------------------------------------------------------------------===//

LogicalResult LinearOp::verify() {
  auto inputType = cast<RankedTensorType>(getInput().getType());
  auto weightType = cast<RankedTensorType>(getWeight().getType());
  auto resultType = cast<RankedTensorType>(getType());
  if (inputType.getRank() < 2)
    return emitOpError() << "input must have rank >= 2 ([..., in_features]), "
                            "got rank "
                         << inputType.getRank();
  if (weightType.getRank() != 2)
    return emitOpError()
           << "weight must have rank 2 ([out_features, in_features]), got rank "
           << weightType.getRank();
  if (failed(verifyActivationTensor(*this, inputType, "input", true)) ||
      failed(verifyWeight(*this, weightType)) ||
      failed(verifyActivationTensor(*this, resultType, "result", true)))
    return failure();

  int64_t inFeatures = inputType.getShape().back();
  int64_t outFeatures = weightType.getDimSize(0);
  if (!shapesCompatible({inFeatures}, {weightType.getDimSize(1)}))
    return emitOpError() << "input has " << inFeatures
                         << " features but the weight expects "
                         << weightType.getDimSize(1);
  if (failed(verifyBias(*this, getBias(), outFeatures)))
    return failure();

  SmallVector<int64_t> expected(inputType.getShape().drop_back());
  expected.push_back(outFeatures);
  if (!shapesCompatible(resultType.getShape(), expected))
    return emitOpError() << "result shape "
                         << formatShape(resultType.getShape())
                         << " does not match expected "
                         << formatShape(expected);

  if (failed(verifyIntermediate(*this, getIntermediateAttr())))
    return failure();
  return verifyPostOp(*this, getPostOpAttr(), getContractionElementType(),
                      resultType.getElementType(), /*afterAdd=*/false);
}

Type LinearOp::getContractionElementType() {
  if (TypeAttr intermediate = getIntermediateAttr())
    return intermediate.getValue();
  return getType().getElementType();
}

//===----------------------------------------------------------------------===//
// ConvOp
//===----------------------------------------------------------------------===//

LogicalResult ConvOp::verify() {
  auto inputType = cast<RankedTensorType>(getInput().getType());
  auto weightType = cast<RankedTensorType>(getWeight().getType());
  auto resultType = cast<RankedTensorType>(getType());
  int64_t rank = inputType.getRank();
  if (rank < 3 || rank > 5)
    return emitOpError() << "input must have rank 3, 4 or 5 (N, C, 1 to 3 "
                            "spatial dimensions), got rank "
                         << rank;
  if (weightType.getRank() != rank)
    return emitOpError() << "weight rank " << weightType.getRank()
                         << " does not match input rank " << rank;
  if (failed(verifyActivationTensor(*this, inputType, "input", true)) ||
      failed(verifyWeight(*this, weightType)) ||
      failed(verifyActivationTensor(*this, resultType, "result", true)))
    return failure();

  int64_t numSpatial = rank - 2;
  for (auto [values, name] :
       {std::pair{getStrides(), "strides"}, std::pair{getPadding(), "padding"},
        std::pair{getDilations(), "dilations"}}) {
    if (static_cast<int64_t>(values.size()) != numSpatial)
      return emitOpError() << name << " must have " << numSpatial
                           << " entries (one per spatial dimension), got "
                           << values.size();
  }
  if (llvm::any_of(getStrides(), [](int64_t s) { return s < 1; }))
    return emitOpError("strides must be positive");
  if (llvm::any_of(getDilations(), [](int64_t d) { return d < 1; }))
    return emitOpError("dilations must be positive");
  if (llvm::any_of(getPadding(), [](int64_t p) { return p < 0; }))
    return emitOpError("padding must be non-negative");

  int64_t groups = getGroups();
  if (groups < 1)
    return emitOpError() << "groups must be positive, got " << groups;
  int64_t inChannels = inputType.getDimSize(1);
  int64_t outChannels = weightType.getDimSize(0);
  if (!ShapedType::isDynamic(inChannels) && inChannels % groups != 0)
    return emitOpError() << "input channels (" << inChannels
                         << ") are not divisible by groups (" << groups << ")";
  if (!ShapedType::isDynamic(outChannels) && outChannels % groups != 0)
    return emitOpError() << "output channels (" << outChannels
                         << ") are not divisible by groups (" << groups << ")";
  int64_t weightInChannels = weightType.getDimSize(1);
  if (!ShapedType::isDynamic(inChannels) &&
      !ShapedType::isDynamic(weightInChannels) &&
      weightInChannels * groups != inChannels)
    return emitOpError() << "weight expects " << weightInChannels
                         << " input channels per group (" << groups
                         << " groups) but the input has " << inChannels;

  PaddingMode mode = getPaddingMode();
  SmallVector<int64_t> expected = {inputType.getDimSize(0), outChannels};
  for (int64_t i = 0; i < numSpatial; ++i) {
    int64_t in = inputType.getDimSize(i + 2);
    int64_t kernel = weightType.getDimSize(i + 2);
    int64_t pad = getPadding()[i];
    if (!ShapedType::isDynamic(in) &&
        ((mode == PaddingMode::reflect && pad >= in) ||
         (mode == PaddingMode::circular && pad > in)))
      return emitOpError() << stringifyPaddingMode(mode) << " padding " << pad
                           << " is too large for input size " << in
                           << " in spatial dimension " << i;
    if (ShapedType::isDynamic(in) || ShapedType::isDynamic(kernel)) {
      expected.push_back(ShapedType::kDynamic);
      continue;
    }
    int64_t span = getDilations()[i] * (kernel - 1) + 1;
    if (in + 2 * pad < span)
      return emitOpError() << "kernel extent " << span
                           << " exceeds padded input size " << in + 2 * pad
                           << " in spatial dimension " << i;
    expected.push_back((in + 2 * pad - span) / getStrides()[i] + 1);
  }
  if (!shapesCompatible(resultType.getShape(), expected))
    return emitOpError() << "result shape "
                         << formatShape(resultType.getShape())
                         << " does not match expected "
                         << formatShape(expected);

  if (failed(verifyBias(*this, getBias(), outChannels)))
    return failure();
  if (Value addend = getAddend()) {
    auto addendType = cast<RankedTensorType>(addend.getType());
    if (failed(verifyActivationTensor(*this, addendType, "added input", false)))
      return failure();
    if (!shapesCompatible(addendType.getShape(), resultType.getShape()))
      return emitOpError() << "added input shape "
                           << formatShape(addendType.getShape())
                           << " does not match result shape "
                           << formatShape(resultType.getShape());
  }
  if (failed(verifyIntermediate(*this, getIntermediateAttr())))
    return failure();
  Type contraction = resultType.clone(getContractionElementType());
  if (Value addend = getAddend()) {
    // The conv is requantized to the intermediate type, then added to the
    // addend by the engine's add.
    if (failed(
            verifyAddScales(*this, contraction, addend.getType(), resultType)))
      return failure();
    return verifyPostOp(*this, getPostOpAttr(), resultType.getElementType(),
                        resultType.getElementType(), /*afterAdd=*/true);
  }
  return verifyPostOp(*this, getPostOpAttr(), getContractionElementType(),
                      resultType.getElementType(), /*afterAdd=*/false);
}

Type ConvOp::getContractionElementType() {
  if (TypeAttr intermediate = getIntermediateAttr())
    return intermediate.getValue();
  return getType().getElementType();
}

//===----------------------------------------------------------------------===//
// AddOp
//===----------------------------------------------------------------------===//

LogicalResult AddOp::verify() {
  if (failed(verifyActivationTensor(*this, getLhs().getType(), "lhs", false)) ||
      failed(verifyActivationTensor(*this, getRhs().getType(), "rhs", false)) ||
      failed(verifyActivationTensor(*this, getType(), "result", false)))
    return failure();
  ArrayRef<int64_t> lhs = cast<RankedTensorType>(getLhs().getType()).getShape();
  ArrayRef<int64_t> rhs = cast<RankedTensorType>(getRhs().getType()).getShape();
  ArrayRef<int64_t> out = cast<RankedTensorType>(getType()).getShape();
  if (!shapesCompatible(lhs, rhs) || !shapesCompatible(lhs, out))
    return emitOpError() << "operand and result shapes must match, got "
                         << formatShape(lhs) << ", " << formatShape(rhs)
                         << " -> " << formatShape(out);
  if (failed(verifyAddScales(*this, getLhs().getType(), getRhs().getType(),
                             getType())))
    return failure();
  Type result = getType().getElementType();
  return verifyPostOp(*this, getPostOpAttr(), result, result,
                      /*afterAdd=*/true);
}

//===----------------------------------------------------------------------===//
// ActivationOp
//===----------------------------------------------------------------------===//

LogicalResult ActivationOp::verify() {
  auto inputType = cast<RankedTensorType>(getInput().getType());
  auto resultType = cast<RankedTensorType>(getType());
  if (failed(verifyQuantizedTensor(*this, inputType, "input")) ||
      failed(verifyQuantizedTensor(*this, resultType, "result")))
    return failure();
  for (auto [type, name] :
       {std::pair{inputType, "input"}, std::pair{resultType, "result"}})
    if (!QuantParams::get(getQuantizedElementType(type))->isPerTensor())
      return emitOpError() << name << " must be quantized per tensor";
  if (!shapesCompatible(inputType.getShape(), resultType.getShape()))
    return emitOpError() << "input shape " << formatShape(inputType.getShape())
                         << " does not match result shape "
                         << formatShape(resultType.getShape());
  const ActivationDef &def = *getActivation().getDef();
  if (def.hasWeight != static_cast<bool>(getWeight()))
    return emitOpError() << def.name
                         << (def.hasWeight ? " needs a weight operand"
                                           : " takes no weight operand");
  if (Value weight = getWeight()) {
    if (failed(verifyQuantizedTensor(*this, weight.getType(), "weight")))
      return failure();
    auto weightType = cast<RankedTensorType>(weight.getType());
    if (!QuantParams::get(getQuantizedElementType(weightType))->isPerTensor())
      return emitOpError("weight must be quantized per tensor");
    int64_t channels =
        inputType.getRank() > 1 ? inputType.getDimSize(1) : int64_t{1};
    if (weightType.getRank() != 1 ||
        (!shapesCompatible(weightType.getShape(), {1}) &&
         !shapesCompatible(weightType.getShape(), {channels})))
      return emitOpError() << "weight must have shape [1] or [" << channels
                           << "] (one per channel), got "
                           << formatShape(weightType.getShape());
  }
  return verifyActivationTypes(*this, getActivation(),
                               inputType.getElementType(),
                               resultType.getElementType(), def.name);
}

namespace {
/// A clamp of a clamp of the same type keeps the tighter one when one range
/// contains the other: relu(relu(x)), relu(relu6(x)) and relu6(relu(x))
/// each need a single clamp.
struct FoldNestedClamp : OpRewritePattern<ActivationOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ActivationOp op,
                                PatternRewriter &rewriter) const override {
    auto inner = op.getInput().getDefiningOp<ActivationOp>();
    if (!inner || inner.getInput().getType() != op.getType() ||
        inner.getType() != op.getType())
      return failure();
    QuantParams params =
        *QuantParams::get(getQuantizedElementType(op.getType()));
    auto clampOf = [&](ActivationOp a) {
      return getActivationClamp(*a.getActivation().getDef(),
                                a.getActivation().getParams(), params, params);
    };
    auto outer = clampOf(op), in = clampOf(inner);
    if (!outer || !in)
      return failure();
    if (in->first >= outer->first && in->second <= outer->second) {
      rewriter.replaceOp(op, inner.getResult());
      return success();
    }
    if (outer->first >= in->first && outer->second <= in->second) {
      rewriter.modifyOpInPlace(
          op, [&] { op.getInputMutable().assign(inner.getInput()); });
      return success();
    }
    return failure();
  }
};
} // namespace

void ActivationOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                               MLIRContext *context) {
  results.add<FoldNestedClamp>(context);
}
