//===- IntegerOps.cpp - qnn.int_matmul and qnn.int_conv -------------------===//

#include "Verifiers.h"

using namespace mlir;
using namespace mlir::qnn;
using namespace mlir::qnn::detail;

LogicalResult IntMatmulOp::verify() {
  ArrayRef<int64_t> lhs = getLhs().getType().getShape();
  ArrayRef<int64_t> rhs = getRhs().getType().getShape();
  if (!shapesCompatible({lhs[1]}, {rhs[1]}))
    return emitOpError() << "lhs " << formatShape(lhs) << " and rhs "
                         << formatShape(rhs)
                         << " must have one reduction size (M x K, N x K)";
  if (!shapesCompatible(getType().getShape(), {lhs[0], rhs[0]}))
    return emitOpError() << "result shape " << formatShape(getType().getShape())
                         << " does not match expected "
                         << formatShape({lhs[0], rhs[0]});
  int64_t previous = 0;
  for (int64_t restart : getPairRestarts()) {
    if (restart <= previous ||
        (!ShapedType::isDynamic(lhs[1]) && restart >= lhs[1]))
      return emitOpError() << "pair_restarts must be ascending positions "
                              "inside the reduction (0, "
                           << lhs[1] << "), got " << restart;
    previous = restart;
  }
  if (!getPairRestarts().empty() && !getSaturatingPairs())
    return emitOpError("pair_restarts needs saturating_pairs");
  if (std::optional<StringRef> strategy = getStrategy())
    if (*strategy != "runtime_gemm" && *strategy != "generic")
      return emitOpError() << "unknown strategy '" << *strategy
                           << "' (runtime_gemm or generic)";
  return success();
}

LogicalResult IntConvOp::verify() {
  auto inputType = getInput().getType(), weightType = getWeight().getType();
  int64_t rank = inputType.getRank(), numSpatial = rank - 2;
  if (rank < 3 || rank > 5 || weightType.getRank() != rank)
    return emitOpError() << "input and weight must have one rank of 3, 4 or "
                            "5, got "
                         << rank << " and " << weightType.getRank();
  if (static_cast<int64_t>(getStrides().size()) != numSpatial ||
      static_cast<int64_t>(getDilations().size()) != numSpatial)
    return emitOpError() << "strides and dilations must have " << numSpatial
                         << " entries";
  if (llvm::any_of(getStrides(), [](int64_t s) { return s < 1; }) ||
      llvm::any_of(getDilations(), [](int64_t d) { return d < 1; }))
    return emitOpError("strides and dilations must be positive");
  int64_t groups = getGroups();
  int64_t channels = inputType.getDimSize(1);
  int64_t outChannels = weightType.getDimSize(0);
  if (groups < 1 || channels % groups || outChannels % groups ||
      weightType.getDimSize(1) * groups != channels)
    return emitOpError() << "input channels " << channels << ", weight "
                         << formatShape(weightType.getShape()) << " and groups "
                         << groups << " do not match";
  SmallVector<int64_t> expected = {inputType.getDimSize(0)};
  for (int64_t i = 0; i < numSpatial; ++i) {
    int64_t span = getDilations()[i] * (weightType.getDimSize(2 + i) - 1) + 1;
    int64_t in = inputType.getDimSize(2 + i);
    if (in < span)
      return emitOpError() << "kernel extent " << span << " exceeds input size "
                           << in << " in spatial dimension " << i;
    expected.push_back((in - span) / getStrides()[i] + 1);
  }
  expected.push_back(groups);
  expected.push_back(outChannels / groups);
  if (!shapesCompatible(getType().getShape(), expected))
    return emitOpError() << "result shape " << formatShape(getType().getShape())
                         << " does not match expected " << formatShape(expected)
                         << " (N x out... x groups x O/groups)";
  if (std::optional<StringRef> strategy = getStrategy()) {
    if (*strategy != "im2col_gemm" && *strategy != "direct" &&
        *strategy != "depthwise")
      return emitOpError() << "unknown strategy '" << *strategy
                           << "' (im2col_gemm, depthwise or direct)";
    if (*strategy == "im2col_gemm" && groups != 1)
      return emitOpError("strategy im2col_gemm needs one group");
    if (*strategy == "depthwise" &&
        (groups == 1 || weightType.getDimSize(1) != 1 || outChannels != groups))
      return emitOpError("strategy depthwise needs one input and one output "
                         "channel per group");
  }
  return success();
}
