//===- ElementwiseOps.cpp - arithmetic and activations
//---------------------===//

#include "Verifiers.h"

#include "qnn/Dialect/QNN/Utils/QuantUtils.h"

#include "mlir/IR/PatternMatch.h"

using namespace mlir;
using namespace mlir::qnn;
using namespace mlir::qnn::detail;

//===----------------------------------------------------------------------===//
// AddOp
//===----------------------------------------------------------------------===//

/// `scalar_ranges` and `memory_order` of qnn.activation and qnn.add, over
/// a tensor of `type`.
static LogicalResult
verifyScalarRanges(Operation *op, RankedTensorType type,
                   std::optional<ArrayRef<int64_t>> ranges,
                   std::optional<ArrayRef<int64_t>> order) {
  if (order) {
    SmallVector<bool> seen(type.getRank(), false);
    for (int64_t dim : *order) {
      if (dim < 0 || dim >= type.getRank() || seen[dim])
        return op->emitOpError() << "memory_order must be a permutation of the "
                                 << type.getRank() << " dimensions";
      seen[dim] = true;
    }
    if (static_cast<int64_t>(order->size()) != type.getRank())
      return op->emitOpError() << "memory_order must be a permutation of the "
                               << type.getRank() << " dimensions";
  }
  if (!ranges)
    return success();
  if (ranges->size() % 2)
    return op->emitOpError("scalar_ranges must be [begin, end) pairs");
  if (!type.hasStaticShape())
    return op->emitOpError("scalar_ranges needs a static shape");
  int64_t previousEnd = 0;
  for (size_t i = 0; i < ranges->size(); i += 2) {
    int64_t begin = (*ranges)[i], end = (*ranges)[i + 1];
    if (begin < previousEnd || end <= begin || end > type.getNumElements())
      return op->emitOpError() << "scalar_ranges must be increasing, disjoint, "
                                  "non-empty ranges within the "
                               << type.getNumElements() << " elements";
    previousEnd = end;
  }
  return success();
}

LogicalResult AddOp::verify() {
  if (failed(verifyBinaryOperands(*this, getLhs(), getRhs(), getResult())) ||
      failed(verifyAddScales(*this, getLhs().getType(), getRhs().getType(),
                             getType())) ||
      failed(verifyScalarRanges(*this, getType(), getScalarRanges(),
                                getMemoryOrder())))
    return failure();
  Type result = getType().getElementType();
  return verifyPostOp(*this, getPostOpAttr(), result, result, "an add");
}

//===----------------------------------------------------------------------===//
// MulOp
//===----------------------------------------------------------------------===//

LogicalResult MulOp::verify() {
  if (failed(verifyBinaryOperands(*this, getLhs(), getRhs(), getResult())))
    return failure();
  // torch runs qint8 products with an output zero point below 127 through
  // XNNPACK, which refuses multipliers outside [2**-16, 2**8).
  QuantParams a =
      *QuantParams::get(getQuantizedElementType(getLhs().getType()));
  QuantParams b =
      *QuantParams::get(getQuantizedElementType(getRhs().getType()));
  QuantParams out = *QuantParams::get(getQuantizedElementType(getType()));
  if (getEngine(*this) && usesXnnpackMul(out)) {
    float multiplier = mulMultiplier(a.scale(), b.scale(), out);
    if (!(multiplier >= 0x1p-16f && multiplier < 0x1p8f))
      return emitOpError() << "a qint8 product with output zero point below "
                              "127 (XNNPACK's) needs the multiplier lhs scale "
                              "* rhs scale / result scale in [2**-16, 2**8), "
                              "got "
                           << multiplier;
  }
  Type result = getType().getElementType();
  return verifyPostOp(*this, getPostOpAttr(), result, result, "a mul");
}

//===----------------------------------------------------------------------===//
// AddScalarOp / MulScalarOp
//===----------------------------------------------------------------------===//

/// The scalar ops: 8-bit per-tensor operands of one shape and storage, the
/// result quantized as PyTorch chooses, a clamp as post-op.
static LogicalResult verifyScalarOp(Operation *op, Value input, Value result,
                                    const QuantParams &expected,
                                    ActivationAttr postOp) {
  if (failed(verifyActivationTensor(op, input.getType(), "input", false)) ||
      failed(verifyActivationTensor(op, result.getType(), "result", false)))
    return failure();
  auto inType = cast<RankedTensorType>(input.getType());
  auto outType = cast<RankedTensorType>(result.getType());
  if (!shapesCompatible(inType.getShape(), outType.getShape()))
    return op->emitOpError() << "input shape " << formatShape(inType.getShape())
                             << " does not match result shape "
                             << formatShape(outType.getShape());
  QuantParams got = *QuantParams::get(getQuantizedElementType(outType));
  if (got.isSigned != expected.isSigned || got.qmin != expected.qmin ||
      got.qmax != expected.qmax || got.scale() != expected.scale() ||
      got.zeroPoint() != expected.zeroPoint())
    return op->emitOpError()
           << "result must be quantized as PyTorch chooses: scale "
           << expected.scale() << ", zero point " << expected.zeroPoint()
           << ", got scale " << got.scale() << ", zero point "
           << got.zeroPoint();
  Type element = outType.getElementType();
  return verifyPostOp(op, postOp, element, element, "a scalar op");
}

QuantParams AddScalarOp::getTorchResultParams() {
  QuantParams params =
      *QuantParams::get(getQuantizedElementType(getInput().getType()));
  return addScalarResultParams(params, getScalar().convertToDouble());
}

LogicalResult AddScalarOp::verify() {
  return verifyScalarOp(*this, getInput(), getResult(), getTorchResultParams(),
                        getPostOpAttr());
}

QuantParams MulScalarOp::getTorchResultParams() {
  QuantParams params =
      *QuantParams::get(getQuantizedElementType(getInput().getType()));
  return mulScalarResultParams(params, getScalar().convertToDouble());
}

LogicalResult MulScalarOp::verify() {
  return verifyScalarOp(*this, getInput(), getResult(), getTorchResultParams(),
                        getPostOpAttr());
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
  if (failed(verifyScalarRanges(*this, inputType, getScalarRanges(),
                                getMemoryOrder())))
    return failure();
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

//===----------------------------------------------------------------------===//
// FloatActivationOp
//===----------------------------------------------------------------------===//

LogicalResult FloatActivationOp::verify() {
  if (getKind() == FloatActivation::tanh && getScalarRanges())
    return emitOpError("tanh has no scalar_ranges: every element takes "
                       "ATen's vector body");
  return verifyScalarRanges(*this, getType(), getScalarRanges(),
                            getMemoryOrder());
}
