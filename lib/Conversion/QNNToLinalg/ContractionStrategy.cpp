//===- ContractionStrategy.cpp - integer contractions on the target -------===//
//
// --qnn-select-contraction-strategy and --qnn-lower-integer-contractions:
// qnn.int_matmul and qnn.int_conv computed by the runtime's GEMM (im2col for
// a conv) or by a linalg.generic, with the engine's pairing where the op
// asks for saturating pairs (IntegerSums.h).
//
//===----------------------------------------------------------------------===//

#include "ContractionStrategy.h"
#include "IntegerSums.h"
#include "KernelCalls.h"
#include "qnn/Conversion/Passes.h"
#include "qnn/Dialect/QNN/Utils/Padding.h"
#include "qnn/Dialect/QNN/Utils/QuantUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/WalkPatternRewriteDriver.h"

namespace mlir::qnn {
#define GEN_PASS_DEF_QNNSELECTCONTRACTIONSTRATEGYPASS
#define GEN_PASS_DEF_QNNLOWERINTEGERCONTRACTIONSPASS
#include "qnn/Conversion/Passes.h.inc"
} // namespace mlir::qnn

using namespace mlir;
using namespace mlir::qnn;

StringRef mlir::qnn::selectStrategy(IntMatmulOp op) {
  return getKernelWeight(op.getLhsSigned(), op.getRhsSigned(), op.getRhs())
             ? "runtime_gemm"
             : "generic";
}

/// One input and one output channel per group (a depthwise conv without
/// channel multiplier).
static bool isDepthwise(IntConvOp op) {
  return op.getGroups() > 1 && op.getWeight().getType().getDimSize(1) == 1 &&
         op.getWeight().getType().getDimSize(0) == op.getGroups();
}

StringRef mlir::qnn::selectStrategy(IntConvOp op) {
  if (op.getGroups() == 1 &&
      getKernelWeight(op.getInputSigned(), op.getWeightSigned(),
                      op.getWeight()))
    return "im2col_gemm";
  // Saturating pairs of one channel are single products, which cannot
  // saturate: a depthwise conv's sums are exact either way.
  return isDepthwise(op) ? "depthwise" : "direct";
}

namespace {

/// The op's strategy: its attribute, else the selected one.
template <typename Op> StringRef strategyOf(Op op) {
  if (std::optional<StringRef> strategy = op.getStrategy())
    return *strategy;
  return selectStrategy(op);
}

//===----------------------------------------------------------------------===//
// qnn.int_matmul
//===----------------------------------------------------------------------===//

struct LowerIntMatmul : OpRewritePattern<IntMatmulOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(IntMatmulOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto lhsType = op.getLhs().getType(), rhsType = op.getRhs().getType();
    if (!lhsType.hasStaticShape() || !rhsType.hasStaticShape())
      return rewriter.notifyMatchFailure(op, "dynamic shapes");
    int64_t m = lhsType.getDimSize(0), k = lhsType.getDimSize(1);
    int64_t n = rhsType.getDimSize(0);
    bool pairs = op.getSaturatingPairs();
    // Where the engine's pairing restarts, a zero column in both operands.
    ArrayRef<int64_t> restarts = op.getPairRestarts();
    Value x = op.getLhs();
    StringRef strategy = strategyOf(op);
    Value acc;
    if (strategy == "runtime_gemm") {
      std::optional<DenseIntElementsAttr> weight =
          getKernelWeight(op.getLhsSigned(), op.getRhsSigned(), op.getRhs());
      if (!weight)
        return op.emitOpError(
            "strategy runtime_gemm needs an unsigned input and a constant "
            "signed weight");
      SmallVector<int64_t> columns = getPaddedColumns(k, restarts);
      acc = buildPackedGemm(
          rewriter, loc, insertZeroColumns(rewriter, loc, x, restarts),
          packWeight(rewriter, *weight, n, columns.size(),
                     [&](int64_t r, int64_t c) {
                       return columns[c] < 0 ? -1 : r * k + columns[c];
                     }),
          n, pairs);
    } else if (pairs) {
      acc = buildSat16PairGemm(
          rewriter, loc, insertZeroColumns(rewriter, loc, x, restarts),
          insertZeroColumns(rewriter, loc, op.getRhs(), restarts), n,
          [](AffineExpr dn, AffineExpr dk) {
            return SmallVector<AffineExpr>{dn, dk};
          });
    } else {
      MLIRContext *ctx = rewriter.getContext();
      AffineExpr dm = getAffineDimExpr(0, ctx), dn = getAffineDimExpr(1, ctx),
                 dk = getAffineDimExpr(2, ctx);
      auto map = [&](ArrayRef<AffineExpr> exprs) {
        return AffineMap::get(3, 0, exprs, ctx);
      };
      using utils::IteratorType;
      acc = buildIntegerSum(rewriter, loc, {m, n}, {x, op.getRhs()},
                            {op.getLhsSigned(), op.getRhsSigned()},
                            {map({dm, dk}), map({dn, dk})}, map({dm, dn}),
                            {IteratorType::parallel, IteratorType::parallel,
                             IteratorType::reduction});
    }
    rewriter.replaceOp(op, acc);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// qnn.int_conv
//===----------------------------------------------------------------------===//

/// The patches of a channels-last input N x spatial... x C as the GEMM's
/// A[N * out..., kernel... * C] (channels innermost, contiguous).
static Value buildPatches(OpBuilder &b, Location loc, Value channelsLast,
                          ArrayRef<int64_t> kernelShape,
                          ArrayRef<int64_t> strides,
                          ArrayRef<int64_t> dilations,
                          RankedTensorType resultType, int64_t channels) {
  MLIRContext *ctx = b.getContext();
  auto lastType = cast<RankedTensorType>(channelsLast.getType());
  Type storage = lastType.getElementType();
  int64_t numSpatial = lastType.getRank() - 2, batch = lastType.getDimSize(0);
  // Patches: loops n, out..., kernel..., c. With unit dilation in the last
  // spatial dimension, its kernel taps and the channels are one contiguous
  // run of the channels-last input, copied by a single innermost loop j.
  bool mergeLast = dilations.back() == 1;
  Value source = channelsLast;
  if (mergeLast) {
    SmallVector<ReassociationIndices> lastWithChannels;
    for (int64_t i = 0; i < numSpatial; ++i)
      lastWithChannels.push_back({i});
    lastWithChannels.push_back({numSpatial, numSpatial + 1});
    source =
        tensor::CollapseShapeOp::create(b, loc, channelsLast, lastWithChannels);
  }
  int64_t numKernelLoops = mergeLast ? numSpatial - 1 : numSpatial;
  int64_t numLoops = 2 + numSpatial + numKernelLoops;
  auto d = [&](int64_t i) { return getAffineDimExpr(i, ctx); };
  AffineExpr inner = d(numLoops - 1);
  SmallVector<AffineExpr> in = {d(0)};
  SmallVector<int64_t> patchShape = {batch};
  for (int64_t i = 0; i < numSpatial; ++i) {
    AffineExpr out = d(1 + i) * strides[i];
    if (i < numKernelLoops)
      in.push_back(out + d(1 + numSpatial + i) * dilations[i]);
    else
      in.push_back(out * channels + inner);
    patchShape.push_back(resultType.getDimSize(1 + i));
  }
  patchShape.append(kernelShape.begin(), kernelShape.begin() + numKernelLoops);
  if (mergeLast) {
    patchShape.push_back(kernelShape.back() * channels);
  } else {
    patchShape.push_back(channels);
    in.push_back(inner);
  }
  SmallVector<utils::IteratorType> parallel(numLoops,
                                            utils::IteratorType::parallel);
  Value patches =
      linalg::GenericOp::create(
          b, loc, TypeRange{RankedTensorType::get(patchShape, storage)},
          ValueRange{source},
          ValueRange{tensor::EmptyOp::create(b, loc, patchShape, storage)},
          SmallVector<AffineMap>{AffineMap::get(numLoops, 0, in, ctx),
                                 b.getMultiDimIdentityMap(numLoops)},
          parallel,
          [](OpBuilder &nb, Location nloc, ValueRange args) {
            linalg::YieldOp::create(nb, nloc, args[0]);
          })
          .getResult(0);
  ReassociationIndices rows, cols;
  for (int64_t i = 0; i <= numSpatial; ++i)
    rows.push_back(i);
  for (int64_t i = numSpatial + 1; i < numLoops; ++i)
    cols.push_back(i);
  return tensor::CollapseShapeOp::create(
      b, loc, patches, SmallVector<ReassociationIndices>{rows, cols});
}

/// One group as im2col + the runtime's GEMM: the input made channels-last,
/// its patches gathered into A[N * out..., kernel... * C] (channels
/// innermost, contiguous), times the weight packed in the same
/// (kernel..., C) order; the sums are N x out... x 1 x O as they come.
Value buildIm2colConv(OpBuilder &b, Location loc, IntConvOp op,
                      DenseIntElementsAttr weightValues) {
  Value padded = op.getInput();
  auto paddedType = cast<RankedTensorType>(padded.getType());
  auto weightType = cast<RankedTensorType>(op.getWeight().getType());
  auto resultType = cast<RankedTensorType>(op.getType());
  ArrayRef<int64_t> strides = op.getStrides(), dilations = op.getDilations();
  bool saturatingPairs = op.getSaturatingPairs();
  int64_t rank = paddedType.getRank(), numSpatial = rank - 2;
  int64_t batch = paddedType.getDimSize(0), channels = paddedType.getDimSize(1);
  int64_t weightChannels = channels;
  // Saturating pairs of consecutive channels: an odd count gets a zero
  // channel (zero weights), so pairs never straddle kernel positions.
  if (saturatingPairs && channels % 2) {
    SmallVector<OpFoldResult> low(rank, b.getIndexAttr(0)), high = low;
    high[1] = b.getIndexAttr(1);
    SmallVector<int64_t> shape(paddedType.getShape());
    shape[1] = ++channels;
    Value zero = arith::ConstantOp::create(
        b, loc, b.getIntegerAttr(paddedType.getElementType(), 0));
    padded = tensor::PadOp::create(b, loc, paddedType.clone(shape), padded, low,
                                   high, zero);
    paddedType = cast<RankedTensorType>(padded.getType());
  }
  int64_t outChannels = weightType.getDimSize(0);
  Type storage = paddedType.getElementType();

  // N x C x spatial -> N x spatial x C.
  SmallVector<int64_t> toLast = {0}, lastShape = {batch};
  for (int64_t i = 0; i < numSpatial; ++i) {
    toLast.push_back(2 + i);
    lastShape.push_back(paddedType.getDimSize(2 + i));
  }
  toLast.push_back(1);
  lastShape.push_back(channels);
  Value channelsLast =
      linalg::TransposeOp::create(
          b, loc, padded, tensor::EmptyOp::create(b, loc, lastShape, storage),
          toLast)
          .getResult()[0];

  int64_t kernelSize = 1;
  SmallVector<int64_t> kernelShape;
  for (int64_t i = 0; i < numSpatial; ++i) {
    kernelShape.push_back(weightType.getDimSize(2 + i));
    kernelSize *= weightType.getDimSize(2 + i);
  }
  ReassociationIndices rows;
  for (int64_t i = 0; i <= numSpatial; ++i)
    rows.push_back(i);
  int64_t k = kernelSize * channels;
  auto packed = [&] {
    // The weight O x C x kernel... read in (kernel..., C) order.
    return packWeight(b, weightValues, outChannels, k,
                      [&](int64_t o, int64_t col) {
                        int64_t c = col % channels, kernel = col / channels;
                        if (c >= weightChannels)
                          return int64_t{-1};
                        return (o * weightChannels + c) * kernelSize + kernel;
                      });
  };
  // A 3x3 conv of stride and dilation 1 whose patch rows are runs of whole
  // 4-byte K groups: the runtime's conv kernel reads them in place
  // (qnn/Runtime/Conv.h), without the patches.
  bool allOnes = llvm::all_of(strides, [](int64_t s) { return s == 1; }) &&
                 llvm::all_of(dilations, [](int64_t d) { return d == 1; });
  if (numSpatial == 2 && !saturatingPairs && allOnes && channels % 4 == 0 &&
      kernelShape[0] == 3 && kernelShape[1] == 3) {
    MLIRContext *ctx = b.getContext();
    auto d = [&](int64_t i) { return getAffineDimExpr(i, ctx); };
    // Loops n, oh, ow, o, kh, kw, c.
    auto map = [&](ArrayRef<AffineExpr> exprs) {
      return AffineMap::get(7, 0, exprs, ctx);
    };
    AffineExpr col = (d(4) * 3 + d(5)) * channels + d(6);
    SmallVector<int64_t> outShape = {batch, resultType.getDimSize(1),
                                     resultType.getDimSize(2), outChannels};
    using utils::IteratorType;
    SmallVector<IteratorType> iterators(4, IteratorType::parallel);
    iterators.append(3, IteratorType::reduction);
    Value acc = buildIntegerSum(
        b, loc, outShape,
        {channelsLast, arith::ConstantOp::create(b, loc, packed())},
        {false, true},
        {map({d(0), d(1) + d(4), d(2) + d(5), d(6)}),
         map(packedWeightIndex(d(3), col))},
        map({d(0), d(1), d(2), d(3)}), iterators,
        // The kernel window bounds kh and kw (not passed to the kernel).
        tensor::EmptyOp::create(b, loc, ArrayRef<int64_t>{3, 3}, b.getI8Type()),
        map({d(4), d(5)}));
    acc.getDefiningOp()->setAttr("library_call",
                                 b.getStringAttr("qnn_conv2d_3x3s1_u8s8s32"));
    return tensor::ExpandShapeOp::create(
        b, loc, resultType, acc,
        SmallVector<ReassociationIndices>{{0}, {1}, {2}, {3, 4}});
  }
  // A 1x1 conv of stride 1 is a GEMM of the channels-last input itself:
  // its patches would be a copy.
  bool pointwise = kernelSize == 1 &&
                   llvm::all_of(strides, [](int64_t s) { return s == 1; });
  Value a;
  if (pointwise) {
    a = tensor::CollapseShapeOp::create(
        b, loc, channelsLast,
        SmallVector<ReassociationIndices>{rows, {numSpatial + 1}});
  } else {
    a = buildPatches(b, loc, channelsLast, kernelShape, strides, dilations,
                     resultType, channels);
  }

  Value acc =
      buildPackedGemm(b, loc, a, packed(), outChannels, saturatingPairs);
  // [N * out..., O] -> N x out... x 1 x O.
  SmallVector<ReassociationIndices> split = {rows,
                                             {numSpatial + 1, numSpatial + 2}};
  return tensor::ExpandShapeOp::create(b, loc, resultType, acc, split);
}

/// Any conv: a grouped linalg.generic contraction writing the sums in the
/// op's N x out... x G x O/G layout; with saturating pairs, consecutive
/// channels of a group pair at each tap.
Value buildDirectConv(OpBuilder &b, Location loc, IntConvOp op) {
  MLIRContext *ctx = b.getContext();
  Value padded = op.getInput();
  auto paddedType = cast<RankedTensorType>(padded.getType());
  auto weightType = cast<RankedTensorType>(op.getWeight().getType());
  auto resultType = cast<RankedTensorType>(op.getType());
  int64_t rank = paddedType.getRank(), numSpatial = rank - 2;
  int64_t groups = op.getGroups();
  int64_t batch = paddedType.getDimSize(0);
  int64_t outChannels = weightType.getDimSize(0);
  int64_t inPerGroup = weightType.getDimSize(1);
  int64_t outPerGroup = outChannels / groups;
  Type storage = paddedType.getElementType();
  SmallVector<int64_t> xgShape = {batch, groups, inPerGroup};
  SmallVector<int64_t> wgShape = {groups, outPerGroup, inPerGroup};
  for (int64_t i = 0; i < numSpatial; ++i) {
    xgShape.push_back(paddedType.getDimSize(2 + i));
    wgShape.push_back(weightType.getDimSize(2 + i));
  }
  Value xg = tensor::ExpandShapeOp::create(
      b, loc, RankedTensorType::get(xgShape, storage), padded,
      groupReassociation(rank, 1));
  Value wg = tensor::ExpandShapeOp::create(
      b, loc, RankedTensorType::get(wgShape, storage), op.getWeight(),
      groupReassociation(rank, 0));

  // Loops: n, g, o, out spatial..., c, kernel spatial...
  int64_t numLoops = 4 + 2 * numSpatial, c = 3 + numSpatial;
  auto d = [&](int64_t i) { return getAffineDimExpr(i, ctx); };
  SmallVector<AffineExpr> in = {d(0), d(1), d(c)}, w = {d(1), d(2), d(c)},
                          out = {d(0)};
  for (int64_t i = 0; i < numSpatial; ++i) {
    in.push_back(d(3 + i) * op.getStrides()[i] +
                 d(c + 1 + i) * op.getDilations()[i]);
    w.push_back(d(c + 1 + i));
    out.push_back(d(3 + i));
  }
  out.append({d(1), d(2)});
  auto map = [&](ArrayRef<AffineExpr> exprs) {
    return AffineMap::get(numLoops, 0, exprs, ctx);
  };
  SmallVector<utils::IteratorType> iterators(3 + numSpatial,
                                             utils::IteratorType::parallel);
  iterators.append(1 + numSpatial, utils::IteratorType::reduction);
  ArrayRef<int64_t> accShape = resultType.getShape();
  if (op.getSaturatingPairs()) {
    // An odd channel count pairs the last channel with a zero one.
    if (inPerGroup % 2) {
      auto padChannel = [&](Value v) {
        auto type = cast<RankedTensorType>(v.getType());
        SmallVector<int64_t> shape(type.getShape());
        ++shape[2];
        SmallVector<OpFoldResult> low(shape.size(), b.getIndexAttr(0)),
            high(low);
        high[2] = b.getIndexAttr(1);
        Value zero =
            arith::ConstantOp::create(b, loc, b.getIntegerAttr(storage, 0));
        return tensor::PadOp::create(b, loc, type.clone(shape), v, low, high,
                                     zero)
            .getResult();
      };
      xg = padChannel(xg);
      wg = padChannel(wg);
      ++inPerGroup;
    }
    return buildSat16PairSum(b, loc, accShape, xg, wg, map(in), map(w),
                             map(out), iterators, c, inPerGroup);
  }
  return buildIntegerSum(b, loc, accShape, {xg, wg},
                         {op.getInputSigned(), op.getWeightSigned()},
                         {map(in), map(w)}, map(out), iterators);
}

/// A depthwise conv with the channels innermost: the input transposed to
/// N x spatial... x C, the weight to kernel... x C, and the loops n, out...,
/// kernel..., c, so that the innermost loop reads and writes consecutive
/// channels (the accumulator's layout, N x out... x C x 1, has them
/// consecutive too) and vectorizes without gathers.
Value buildDepthwiseConv(OpBuilder &b, Location loc, IntConvOp op) {
  MLIRContext *ctx = b.getContext();
  Value padded = op.getInput();
  auto paddedType = cast<RankedTensorType>(padded.getType());
  auto weightType = cast<RankedTensorType>(op.getWeight().getType());
  int64_t rank = paddedType.getRank(), numSpatial = rank - 2;
  int64_t channels = op.getGroups();
  Type storage = paddedType.getElementType();
  auto transpose = [&](Value v, ArrayRef<int64_t> permutation) -> Value {
    auto type = cast<RankedTensorType>(v.getType());
    SmallVector<int64_t> shape;
    for (int64_t d : permutation)
      shape.push_back(type.getDimSize(d));
    Value init = tensor::EmptyOp::create(b, loc, shape, storage);
    return linalg::TransposeOp::create(b, loc, v, init, permutation)
        .getResult()[0];
  };
  // N x C x spatial... -> N x spatial... x C.
  SmallVector<int64_t> toChannelsLast = {0};
  for (int64_t i = 0; i < numSpatial; ++i)
    toChannelsLast.push_back(2 + i);
  toChannelsLast.push_back(1);
  Value x = transpose(padded, toChannelsLast);
  // C x 1 x kernel... -> kernel... x C.
  SmallVector<ReassociationIndices> dropOne = {{0, 1}};
  for (int64_t i = 0; i < numSpatial; ++i)
    dropOne.push_back({2 + i});
  SmallVector<int64_t> weightShape = {channels};
  llvm::append_range(weightShape, weightType.getShape().drop_front(2));
  Value w = tensor::CollapseShapeOp::create(
      b, loc, RankedTensorType::get(weightShape, storage), op.getWeight(),
      dropOne);
  SmallVector<int64_t> kernelFirst;
  for (int64_t i = 0; i < numSpatial; ++i)
    kernelFirst.push_back(1 + i);
  kernelFirst.push_back(0);
  w = transpose(w, kernelFirst);

  // Loops: n, out spatial..., kernel spatial..., c.
  int64_t numLoops = 2 + 2 * numSpatial, c = numLoops - 1;
  auto d = [&](int64_t i) { return getAffineDimExpr(i, ctx); };
  SmallVector<AffineExpr> in = {d(0)}, wt, out = {d(0)};
  for (int64_t i = 0; i < numSpatial; ++i) {
    in.push_back(d(1 + i) * op.getStrides()[i] +
                 d(1 + numSpatial + i) * op.getDilations()[i]);
    wt.push_back(d(1 + numSpatial + i));
    out.push_back(d(1 + i));
  }
  in.push_back(d(c));
  wt.push_back(d(c));
  out.append({d(c), getAffineConstantExpr(0, ctx)});
  auto map = [&](ArrayRef<AffineExpr> exprs) {
    return AffineMap::get(numLoops, 0, exprs, ctx);
  };
  SmallVector<utils::IteratorType> iterators(1 + numSpatial,
                                             utils::IteratorType::parallel);
  iterators.append(numSpatial, utils::IteratorType::reduction);
  iterators.push_back(utils::IteratorType::parallel);
  Value acc = buildIntegerSum(b, loc, op.getType().getShape(), {x, w},
                              {op.getInputSigned(), op.getWeightSigned()},
                              {map(in), map(wt)}, map(out), iterators);
  // 2-D with unit dilation, stride 1 or 2, 8-bit unsigned input and signed
  // weight: the runtime's kernel (qnn/Runtime/Depthwise.h) computes it.
  ArrayRef<int64_t> strides = op.getStrides();
  bool kernel =
      numSpatial == 2 && storage.isInteger(8) && !op.getInputSigned() &&
      op.getWeightSigned() &&
      llvm::all_of(op.getDilations(), [](int64_t d) { return d == 1; }) &&
      strides[0] == strides[1] && (strides[0] == 1 || strides[0] == 2);
  if (kernel)
    acc.getDefiningOp()->setAttr(
        "library_call",
        b.getStringAttr(strides[0] == 1 ? "qnn_depthwise_u8s8s32_s1"
                                        : "qnn_depthwise_u8s8s32_s2"));
  return acc;
}

struct LowerIntConv : OpRewritePattern<IntConvOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(IntConvOp op,
                                PatternRewriter &rewriter) const override {
    if (!op.getInput().getType().hasStaticShape() ||
        !op.getWeight().getType().hasStaticShape())
      return rewriter.notifyMatchFailure(op, "dynamic shapes");
    Value acc;
    if (strategyOf(op) == "im2col_gemm") {
      std::optional<DenseIntElementsAttr> weight = getKernelWeight(
          op.getInputSigned(), op.getWeightSigned(), op.getWeight());
      if (!weight)
        return op.emitOpError(
            "strategy im2col_gemm needs an unsigned input and a constant "
            "signed weight");
      acc = buildIm2colConv(rewriter, op.getLoc(), op, *weight);
    } else if (strategyOf(op) == "depthwise") {
      if (!isDepthwise(op))
        return op.emitOpError("strategy depthwise needs one input and one "
                              "output channel per group");
      acc = buildDepthwiseConv(rewriter, op.getLoc(), op);
    } else {
      acc = buildDirectConv(rewriter, op.getLoc(), op);
    }
    rewriter.replaceOp(op, acc);
    return success();
  }
};

struct QNNSelectContractionStrategyPass
    : qnn::impl::QNNSelectContractionStrategyPassBase<
          QNNSelectContractionStrategyPass> {
  void runOnOperation() override {
    getOperation()->walk([](Operation *op) {
      auto set = [&](auto typed) {
        if (!typed.getStrategy())
          typed.setStrategy(selectStrategy(typed));
      };
      if (auto matmul = dyn_cast<IntMatmulOp>(op))
        set(matmul);
      else if (auto conv = dyn_cast<IntConvOp>(op))
        set(conv);
    });
  }
};

struct QNNLowerIntegerContractionsPass
    : qnn::impl::QNNLowerIntegerContractionsPassBase<
          QNNLowerIntegerContractionsPass> {
  void runOnOperation() override {
    Operation *root = getOperation();
    RewritePatternSet patterns(&getContext());
    patterns.add<LowerIntMatmul, LowerIntConv>(&getContext());
    walkAndApplyPatterns(root, std::move(patterns));
    WalkResult left = root->walk([](Operation *op) {
      if (isa<IntMatmulOp, IntConvOp>(op)) {
        op->emitOpError("could not be lowered");
        return WalkResult::interrupt();
      }
      return WalkResult::advance();
    });
    if (left.wasInterrupted())
      return signalPassFailure();
    // The kernel calls marked, numbered, for --qnn-library-calls to check
    // that none was lost on the way (numbers also keep CSE from merging
    // two, which would look like a loss).
    MLIRContext *ctx = &getContext();
    int64_t calls = 0;
    root->walk([&](linalg::GenericOp op) {
      if (op.getLibraryCallAttr())
        op->setAttr(QNNDialect::getRuntimeCallAttrName(),
                    IntegerAttr::get(IntegerType::get(ctx, 64), calls++));
    });
    if (calls)
      root->setAttr(QNNDialect::getRuntimeCallsAttrName(),
                    IntegerAttr::get(IntegerType::get(ctx, 64), calls));
  }
};
} // namespace
