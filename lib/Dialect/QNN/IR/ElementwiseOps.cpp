//===- ElementwiseOps.cpp - qnn.add and qnn.activation --------------------===//

#include "Verifiers.h"

#include "qnn/Dialect/QNN/Utils/QuantUtils.h"

#include "mlir/IR/PatternMatch.h"

using namespace mlir;
using namespace mlir::qnn;
using namespace mlir::qnn::detail;

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
