//===- Decompose.cpp - qnn ops into dequantize / float op / quantize -----===//

#include "ReferenceForm.h"
#include "qnn/Dialect/QNN/IR/QNNOps.h"
#include "qnn/Dialect/QNN/Transforms/Passes.h"
#include "qnn/Dialect/QNN/Utils/CastBuilders.h"
#include "qnn/Dialect/QNN/Utils/QuantUtils.h"
#include "qnn/Dialect/QNN/Utils/Reshape.h"
#include "qnn/Dialect/QNN/Utils/Windows.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::qnn {
#define GEN_PASS_DEF_QNNDECOMPOSEPASS
#include "qnn/Dialect/QNN/Transforms/Passes.h.inc"
} // namespace mlir::qnn

using namespace mlir;
using namespace mlir::qnn;

/// The float tensor type a quantized tensor dequantizes to.
static RankedTensorType getExpressedTensorType(Type quantizedTensorType) {
  auto type = cast<RankedTensorType>(quantizedTensorType);
  return type.clone(getQuantizedElementType(type).getExpressedType());
}

static Value dequantize(OpBuilder &b, Location loc, Value q) {
  return DequantizeOp::create(b, loc, getExpressedTensorType(q.getType()), q);
}

static LogicalResult requireStaticShapes(PatternRewriter &rewriter,
                                         Operation *op) {
  for (Type type :
       llvm::concat<Type>(op->getOperandTypes(), op->getResultTypes()))
    if (auto shaped = dyn_cast<ShapedType>(type);
        shaped && !shaped.hasStaticShape())
      return rewriter.notifyMatchFailure(op, "dynamic shapes");
  return success();
}

/// The quantized tensor type of `shapeLike`'s shape with `elementType`.
static RankedTensorType withElementType(Value shapeLike, Type elementType) {
  return cast<RankedTensorType>(shapeLike.getType()).clone(elementType);
}

/// `act` applied to the dequantization of `q` (prelu: with `weight`, a
/// quantized [C] or [1] tensor, dequantized and broadcast along dimension
/// 1), as a float tensor.
static Value buildDequantizedActivation(OpBuilder &b, Location loc, Value q,
                                        ActivationAttr act, Value weight) {
  Value x = dequantize(b, loc, q);
  Value broadcast;
  if (weight) {
    auto type = cast<RankedTensorType>(x.getType());
    Value w = dequantize(b, loc, weight);
    SmallVector<int64_t> dims;
    if (cast<RankedTensorType>(w.getType()).getDimSize(0) == 1 ||
        type.getRank() < 2) {
      // One weight for all: a rank-0 tensor broadcast along everything.
      w = tensor::CollapseShapeOp::create(
          b, loc, RankedTensorType::get({}, b.getF32Type()), w,
          SmallVector<ReassociationIndices>{});
      dims = llvm::to_vector(llvm::seq<int64_t>(0, type.getRank()));
    } else {
      for (int64_t d = 0; d < type.getRank(); ++d)
        if (d != 1)
          dims.push_back(d);
    }
    Value empty =
        tensor::EmptyOp::create(b, loc, type.getShape(), type.getElementType());
    broadcast =
        linalg::BroadcastOp::create(b, loc, w, empty, dims).getResult()[0];
  }
  return reference::buildActivation(b, loc, x, act, broadcast);
}

/// Whether a post-op applies to the float value before the final quantize
/// (a clamp between equal types: exact) rather than after quantizing to
/// the intermediate type (the unfused chain).
static bool appliesInFloat(ActivationAttr act, Type intermediate, Type result) {
  if (intermediate != result)
    return false;
  QuantParams params = *QuantParams::get(getQuantizedElementType(result));
  return static_cast<bool>(
      getActivationClamp(*act.getDef(), act.getParams(), params, params));
}

/// Replaces `op` by the quantize of `y`, a float tensor of the op's shape,
/// with the op's post-op: a clamp in float before quantizing, or any other
/// activation after quantizing to `intermediate` (the unfused chain's
/// numerics).
static void replaceWithQuantize(PatternRewriter &rewriter, Operation *op,
                                Value y, ActivationAttr act,
                                Type intermediate) {
  Location loc = op->getLoc();
  auto resultType = cast<RankedTensorType>(op->getResult(0).getType());
  if (!act) {
    rewriter.replaceOpWithNewOp<QuantizeOp>(op, resultType, y);
    return;
  }
  if (appliesInFloat(act, intermediate, resultType.getElementType())) {
    rewriter.replaceOpWithNewOp<QuantizeOp>(
        op, resultType, reference::buildActivation(rewriter, loc, y, act));
    return;
  }
  Value q =
      QuantizeOp::create(rewriter, loc, resultType.clone(intermediate), y);
  rewriter.replaceOpWithNewOp<QuantizeOp>(
      op, resultType, buildDequantizedActivation(rewriter, loc, q, act, {}));
}

namespace {
struct DecomposeLinear : OpRewritePattern<LinearOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(LinearOp op,
                                PatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(rewriter, op)))
      return failure();
    Location loc = op.getLoc();
    Value x = dequantize(rewriter, loc, op.getInput());
    Value w = dequantize(rewriter, loc, op.getWeight());
    Value y = reference::buildLinear(rewriter, loc, x, w, op.getBias());
    replaceWithQuantize(rewriter, op, y, op.getPostOpAttr(),
                        op.getContractionElementType());
    return success();
  }
};

/// A dynamically quantized input's reference form: its parameters chosen
/// over [0, qmax], the input quantized to quint8 codes and dequantized with
/// them.
struct DynamicInput {
  Value dequantized, scale, zeroPoint;
};
DynamicInput buildDynamicInput(PatternRewriter &rewriter, Location loc, Value x,
                               int64_t qmax) {
  auto xType = cast<RankedTensorType>(x.getType());
  auto choose = ChooseQParamsOp::create(
      rewriter, loc, rewriter.getF64Type(), rewriter.getI32Type(), x,
      rewriter.getI64IntegerAttr(0), rewriter.getI64IntegerAttr(qmax));
  Value s = choose.getScale(), z = choose.getZeroPoint();
  Value q = QuantizeDynamicOp::create(
      rewriter, loc, xType.clone(getDynamicCodesType(rewriter.getContext())), x,
      s, z);
  return {DequantizeDynamicOp::create(rewriter, loc, xType, q, s, z), s, z};
}

/// The geometry of qnn.conv or qnn.dynamic_conv.
template <typename Op> reference::ConvGeometry getConvGeometry(Op op) {
  reference::ConvGeometry geometry;
  geometry.strides.assign(op.getStrides().begin(), op.getStrides().end());
  geometry.padding.assign(op.getPadding().begin(), op.getPadding().end());
  geometry.dilations.assign(op.getDilations().begin(), op.getDilations().end());
  geometry.groups = op.getGroups();
  geometry.paddingMode = op.getPaddingMode();
  return geometry;
}

/// The reference form of a dynamic Linear: the input's parameters chosen,
/// the input quantized and dequantized with them, the float linear.
struct DecomposeDynamicLinear : OpRewritePattern<DynamicLinearOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(DynamicLinearOp op,
                                PatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(rewriter, op)))
      return failure();
    Location loc = op.getLoc();
    auto xType = cast<RankedTensorType>(op.getInput().getType());
    Value xd =
        buildDynamicInput(rewriter, loc, op.getInput(), op.getInputQMax())
            .dequantized;
    // A 1-D input is the [1, K] one it equals.
    SmallVector<ReassociationIndices> one = {{0, 1}};
    int64_t k = xType.getDimSize(0);
    if (xType.getRank() == 1)
      xd = tensor::ExpandShapeOp::create(
          rewriter, loc, RankedTensorType::get({1, k}, rewriter.getF32Type()),
          xd, one);
    Value w = dequantize(rewriter, loc, op.getWeight());
    Value y = reference::buildLinear(rewriter, loc, xd, w, op.getBias());
    if (xType.getRank() == 1)
      y = tensor::CollapseShapeOp::create(rewriter, loc, op.getType(), y, one);
    rewriter.replaceOp(op, y);
    return success();
  }
};

/// The reference form of a dynamic conv: the input's parameters chosen, the
/// input quantized and dequantized with them, the float conv, its result
/// quantized and dequantized with the same parameters (torch requantizes
/// to the input's).
struct DecomposeDynamicConv : OpRewritePattern<DynamicConvOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(DynamicConvOp op,
                                PatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(rewriter, op)))
      return failure();
    Location loc = op.getLoc();
    DynamicInput input =
        buildDynamicInput(rewriter, loc, op.getInput(), op.getInputQMax());
    Value s = input.scale, z = input.zeroPoint;
    Value w = dequantize(rewriter, loc, op.getWeight());
    Value y = reference::buildConv(rewriter, loc, input.dequantized, w,
                                   op.getBias(), getConvGeometry(op));
    Value yq = QuantizeDynamicOp::create(
        rewriter, loc,
        op.getType().clone(getDynamicCodesType(rewriter.getContext())), y, s,
        z);
    rewriter.replaceOpWithNewOp<DequantizeDynamicOp>(op, op.getType(), yq, s,
                                                     z);
    return success();
  }
};

struct DecomposeConv : OpRewritePattern<ConvOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ConvOp op,
                                PatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(rewriter, op)))
      return failure();
    Location loc = op.getLoc();
    Value x = dequantize(rewriter, loc, op.getInput());
    Value w = dequantize(rewriter, loc, op.getWeight());
    Value y = reference::buildConv(rewriter, loc, x, w, op.getBias(),
                                   getConvGeometry(op));
    Type intermediate = op.getContractionElementType();
    if (Value addend = op.getAddend()) {
      // The add's reference form: the conv quantized to the intermediate
      // type first when it has one of its own.
      if (intermediate != op.getType().getElementType())
        y = dequantize(rewriter, loc,
                       QuantizeOp::create(
                           rewriter, loc,
                           withElementType(op.getResult(), intermediate), y));
      y = arith::AddFOp::create(rewriter, loc, y,
                                dequantize(rewriter, loc, addend));
      intermediate = op.getType().getElementType();
    }
    replaceWithQuantize(rewriter, op, y, op.getPostOpAttr(), intermediate);
    return success();
  }
};

/// add and mul: the float op of the dequantized operands broadcast to the
/// result's shape.
template <typename OpTy, typename FloatOp>
struct DecomposeBinary : OpRewritePattern<OpTy> {
  using OpRewritePattern<OpTy>::OpRewritePattern;
  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(rewriter, op)))
      return failure();
    Location loc = op.getLoc();
    ArrayRef<int64_t> shape = op.getType().getShape();
    Value lhs = reference::buildBroadcastTo(
        rewriter, loc, dequantize(rewriter, loc, op.getLhs()), shape);
    Value rhs = reference::buildBroadcastTo(
        rewriter, loc, dequantize(rewriter, loc, op.getRhs()), shape);
    Value y = FloatOp::create(rewriter, loc, lhs, rhs);
    replaceWithQuantize(rewriter, op, y, op.getPostOpAttr(),
                        op.getType().getElementType());
    return success();
  }
};

/// add_scalar adds the scalar rounded to a multiple of the input scale
/// (`cq * s`), as PyTorch does; mul_scalar multiplies by the scalar.
template <typename OpTy, typename FloatOp>
struct DecomposeScalar : OpRewritePattern<OpTy> {
  using OpRewritePattern<OpTy>::OpRewritePattern;
  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(rewriter, op)))
      return failure();
    Location loc = op.getLoc();
    Value x = dequantize(rewriter, loc, op.getInput());
    double scalar = op.getScalar().convertToDouble();
    if constexpr (std::is_same_v<OpTy, AddScalarOp>) {
      QuantParams params =
          *QuantParams::get(getQuantizedElementType(op.getInput().getType()));
      scalar = addScalarShift(params, scalar) * params.scale();
    }
    Value y =
        FloatOp::create(rewriter, loc, x,
                        reference::buildSplat(rewriter, loc, x.getType(),
                                              static_cast<float>(scalar)));
    replaceWithQuantize(rewriter, op, y, op.getPostOpAttr(),
                        op.getType().getElementType());
    return success();
  }
};

/// quantize(act(dequantize x)): for a clamp between equal types exactly the
/// integer clamp.
struct DecomposeActivation : OpRewritePattern<ActivationOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ActivationOp op,
                                PatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(rewriter, op)))
      return failure();
    Value y = buildDequantizedActivation(rewriter, op.getLoc(), op.getInput(),
                                         op.getActivation(), op.getWeight());
    rewriter.replaceOpWithNewOp<QuantizeOp>(op, op.getType(), y);
    return success();
  }
};

/// The float max pool of the dequantized input, quantized back to the same
/// type: exact, since dequantizing is monotone.
struct DecomposeMaxPool : OpRewritePattern<MaxPoolOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(MaxPoolOp op,
                                PatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(rewriter, op)))
      return failure();
    reference::PoolGeometry g;
    g.kernel.assign(op.getKernel().begin(), op.getKernel().end());
    g.strides.assign(op.getStrides().begin(), op.getStrides().end());
    g.padding.assign(op.getPadding().begin(), op.getPadding().end());
    g.dilations.assign(op.getDilations().begin(), op.getDilations().end());
    g.ceilMode = op.getCeilMode();
    Value y = reference::buildMaxPool(
        rewriter, op.getLoc(), dequantize(rewriter, op.getLoc(), op.getInput()),
        g);
    rewriter.replaceOpWithNewOp<QuantizeOp>(op, op.getType(), y);
    return success();
  }
};

/// The float average of the dequantized input over avg_pool2d's windows,
/// quantized back: torch's float avg_pool2d.
struct DecomposeAvgPool : OpRewritePattern<AvgPoolOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(AvgPoolOp op,
                                PatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(rewriter, op)))
      return failure();
    auto inType = cast<RankedTensorType>(op.getInput().getType());
    ArrayRef<int64_t> outShape = op.getType().getShape();
    ArrayRef<int64_t> k = op.getKernel(), s = op.getStrides(),
                      p = op.getPadding();
    DimWindows h =
        getPoolWindows(inType.getDimSize(2), outShape[2], k[0], s[0], p[0]);
    DimWindows w =
        getPoolWindows(inType.getDimSize(3), outShape[3], k[1], s[1], p[1]);
    Value y = reference::buildAveragePool(
        rewriter, op.getLoc(), dequantize(rewriter, op.getLoc(), op.getInput()),
        h, w,
        getAverageDivisors(h, w, op.getCountIncludePad(),
                           op.getDivisorOverride()));
    rewriter.replaceOpWithNewOp<QuantizeOp>(op, op.getType(), y);
    return success();
  }
};

/// The float average over adaptive_avg_pool2d's windows, quantized back.
struct DecomposeAdaptiveAvgPool : OpRewritePattern<AdaptiveAvgPoolOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(AdaptiveAvgPoolOp op,
                                PatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(rewriter, op)))
      return failure();
    auto inType = cast<RankedTensorType>(op.getInput().getType());
    ArrayRef<int64_t> outShape = op.getType().getShape();
    DimWindows h = getAdaptiveWindows(inType.getDimSize(2), outShape[2]);
    DimWindows w = getAdaptiveWindows(inType.getDimSize(3), outShape[3]);
    Value y = reference::buildAveragePool(
        rewriter, op.getLoc(), dequantize(rewriter, op.getLoc(), op.getInput()),
        h, w, getAverageDivisors(h, w, /*countIncludePad=*/false, {}));
    rewriter.replaceOpWithNewOp<QuantizeOp>(op, op.getType(), y);
    return success();
  }
};

struct DecomposeMean : OpRewritePattern<MeanOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(MeanOp op,
                                PatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(rewriter, op)))
      return failure();
    Value y = reference::buildMean(
        rewriter, op.getLoc(), dequantize(rewriter, op.getLoc(), op.getInput()),
        op.getDims(), op.getType().getShape());
    rewriter.replaceOpWithNewOp<QuantizeOp>(op, op.getType(), y);
    return success();
  }
};

/// Data movement commutes with dequantizing: the same movement of the float
/// values, quantized back to the result type, is exact.
struct DecomposeUpsampleNearest : OpRewritePattern<UpsampleNearestOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(UpsampleNearestOp op,
                                PatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(rewriter, op)))
      return failure();
    // Equal sizes copy, whatever the scale factors (as torch does).
    if (op.getType() == op.getInput().getType()) {
      rewriter.replaceOp(op, op.getInput());
      return success();
    }
    Value y = buildNearestGather(
        rewriter, op.getLoc(), dequantize(rewriter, op.getLoc(), op.getInput()),
        op.getType().getShape(), op.getScales(), op.getExact());
    rewriter.replaceOpWithNewOp<QuantizeOp>(op, op.getType(), y);
    return success();
  }
};

struct DecomposePermute : OpRewritePattern<PermuteOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(PermuteOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value x = dequantize(rewriter, loc, op.getInput());
    auto resultType = getExpressedTensorType(op.getType());
    Value init = tensor::EmptyOp::create(rewriter, loc, resultType.getShape(),
                                         resultType.getElementType());
    Value y =
        linalg::TransposeOp::create(rewriter, loc, x, init, op.getPermutation())
            .getResult()[0];
    rewriter.replaceOpWithNewOp<QuantizeOp>(op, op.getType(), y);
    return success();
  }
};

/// The float batch normalization of the dequantized input, `(x - mean) /
/// sqrt(var + eps) * weight + bias` per channel (then relu), quantized.
struct DecomposeBatchNorm : OpRewritePattern<BatchNormOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(BatchNormOp op,
                                PatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(rewriter, op)))
      return failure();
    Location loc = op.getLoc();
    Value x = dequantize(rewriter, loc, op.getInput());
    auto type = cast<RankedTensorType>(x.getType());
    int64_t rank = type.getRank();
    MLIRContext *ctx = rewriter.getContext();
    AffineMap identity = rewriter.getMultiDimIdentityMap(rank);
    AffineMap channel = AffineMap::get(rank, 0, getAffineDimExpr(1, ctx), ctx);
    float eps = static_cast<float>(op.getEps().convertToDouble());
    bool relu = static_cast<bool>(op.getPostOpAttr());
    Value y =
        linalg::GenericOp::create(
            rewriter, loc, TypeRange{type},
            ValueRange{x, op.getWeight(), op.getBias(), op.getMean(),
                       op.getVar()},
            ValueRange{tensor::EmptyOp::create(rewriter, loc, type.getShape(),
                                               type.getElementType())},
            SmallVector<AffineMap>{identity, channel, channel, channel, channel,
                                   identity},
            SmallVector<utils::IteratorType>(rank,
                                             utils::IteratorType::parallel),
            [&](OpBuilder &b, Location l, ValueRange args) {
              Value sigma = math::SqrtOp::create(
                  b, l,
                  arith::AddFOp::create(
                      b, l, args[4],
                      arith::ConstantOp::create(b, l, b.getF32FloatAttr(eps))));
              Value normal = arith::DivFOp::create(
                  b, l, arith::SubFOp::create(b, l, args[0], args[3]), sigma);
              Value v = arith::AddFOp::create(
                  b, l, arith::MulFOp::create(b, l, normal, args[1]), args[2]);
              if (relu)
                v = arith::MaximumFOp::create(
                    b, l, v,
                    arith::ConstantOp::create(b, l, b.getF32FloatAttr(0.0f)));
              linalg::YieldOp::create(b, l, v);
            })
            .getResult(0);
    rewriter.replaceOpWithNewOp<QuantizeOp>(op, op.getType(), y);
    return success();
  }
};

/// `(x - mean) / sqrt(var + eps)` per row of a float [M, N] tensor, with
/// the row's mean and biased variance (float sums).
static Value buildRowNormalization(OpBuilder &b, Location loc, Value x,
                                   float eps) {
  MLIRContext *ctx = b.getContext();
  auto type = cast<RankedTensorType>(x.getType());
  int64_t m = type.getDimSize(0), n = type.getDimSize(1);
  Type f32 = b.getF32Type();
  auto cst = [](OpBuilder &nb, Location l, float v) -> Value {
    return arith::ConstantOp::create(nb, l, nb.getF32FloatAttr(v));
  };
  AffineMap rowsCols = b.getMultiDimIdentityMap(2);
  AffineMap rows = AffineMap::get(2, 0, getAffineDimExpr(0, ctx), ctx);
  SmallVector<utils::IteratorType> reduce = {utils::IteratorType::parallel,
                                             utils::IteratorType::reduction};
  auto zeroRows = [&]() {
    return linalg::FillOp::create(
               b, loc, ValueRange{cst(b, loc, 0.0f)},
               ValueRange{tensor::EmptyOp::create(b, loc, {m}, f32)})
        .getResult(0);
  };
  auto rowSum =
      [&](ValueRange inputs, ArrayRef<AffineMap> inputMaps,
          function_ref<Value(OpBuilder &, Location, ValueRange)> term) {
        SmallVector<AffineMap> maps(inputMaps);
        maps.push_back(rows);
        return linalg::GenericOp::create(
                   b, loc, TypeRange{RankedTensorType::get({m}, f32)}, inputs,
                   ValueRange{zeroRows()}, maps, reduce,
                   [&](OpBuilder &nb, Location l, ValueRange args) {
                     linalg::YieldOp::create(
                         nb, l,
                         arith::AddFOp::create(nb, l, args.back(),
                                               term(nb, l, args))
                             .getResult());
                   })
            .getResult(0);
      };
  auto mean = [&](OpBuilder &nb, Location l, Value sum) -> Value {
    return arith::DivFOp::create(nb, l, sum, cst(nb, l, static_cast<float>(n)));
  };
  Value sum =
      rowSum({x}, {rowsCols},
             [](OpBuilder &, Location, ValueRange args) { return args[0]; });
  Value squares =
      rowSum({x, sum}, {rowsCols, rows},
             [&](OpBuilder &nb, Location l, ValueRange args) -> Value {
               Value centered =
                   arith::SubFOp::create(nb, l, args[0], mean(nb, l, args[1]));
               return arith::MulFOp::create(nb, l, centered, centered);
             });
  return linalg::GenericOp::create(
             b, loc, TypeRange{type}, ValueRange{x, sum, squares},
             ValueRange{tensor::EmptyOp::create(b, loc, {m, n}, f32)},
             SmallVector<AffineMap>{rowsCols, rows, rows, rowsCols},
             SmallVector<utils::IteratorType>(2, utils::IteratorType::parallel),
             [&](OpBuilder &nb, Location l, ValueRange args) {
               Value sigma = math::SqrtOp::create(
                   nb, l,
                   arith::AddFOp::create(nb, l, mean(nb, l, args[2]),
                                         cst(nb, l, eps)));
               linalg::YieldOp::create(
                   nb, l,
                   arith::DivFOp::create(
                       nb, l,
                       arith::SubFOp::create(nb, l, args[0],
                                             mean(nb, l, args[1])),
                       sigma)
                       .getResult());
             })
      .getResult(0);
}

/// `y * weight + bias` (either optional) with the parameters read through
/// `map` from the loops over `y`'s shape.
static Value buildAffine(OpBuilder &b, Location loc, Value y, Value weight,
                         Value bias, AffineMap map) {
  if (!weight && !bias)
    return y;
  auto type = cast<RankedTensorType>(y.getType());
  AffineMap identity = b.getMultiDimIdentityMap(type.getRank());
  SmallVector<Value> inputs = {y};
  SmallVector<AffineMap> maps = {identity};
  for (Value parameter : {weight, bias})
    if (parameter) {
      inputs.push_back(parameter);
      maps.push_back(map);
    }
  maps.push_back(identity);
  bool hasWeight = static_cast<bool>(weight), hasBias = static_cast<bool>(bias);
  return linalg::GenericOp::create(
             b, loc, TypeRange{type}, inputs,
             ValueRange{tensor::EmptyOp::create(b, loc, type.getShape(),
                                                type.getElementType())},
             maps,
             SmallVector<utils::IteratorType>(type.getRank(),
                                              utils::IteratorType::parallel),
             [&](OpBuilder &nb, Location l, ValueRange args) {
               Value v = args[0];
               unsigned next = 1;
               if (hasWeight)
                 v = arith::MulFOp::create(nb, l, v, args[next++]);
               if (hasBias)
                 v = arith::AddFOp::create(nb, l, v, args[next++]);
               linalg::YieldOp::create(nb, l, v);
             })
      .getResult(0);
}

/// The float layer norm of the dequantized input over its trailing
/// dimensions: each group normalized by its mean and biased variance, then
/// `* weight + bias` over the normalized shape.
struct DecomposeLayerNorm : OpRewritePattern<LayerNormOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(LayerNormOp op,
                                PatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(rewriter, op)))
      return failure();
    Location loc = op.getLoc();
    auto type = getExpressedTensorType(op.getInput().getType());
    int64_t rank = type.getRank(), normalized = op.getNormalizedRank();
    int64_t n = 1;
    for (int64_t d : type.getShape().take_back(normalized))
      n *= d;
    Value rows =
        buildReshape(rewriter, loc, dequantize(rewriter, loc, op.getInput()),
                     {type.getNumElements() / n, n});
    Value y =
        buildReshape(rewriter, loc,
                     buildRowNormalization(
                         rewriter, loc, rows,
                         static_cast<float>(op.getEps().convertToDouble())),
                     type.getShape());
    SmallVector<AffineExpr> trailing;
    for (int64_t i = rank - normalized; i < rank; ++i)
      trailing.push_back(rewriter.getAffineDimExpr(i));
    y = buildAffine(rewriter, loc, y, op.getWeight(), op.getBias(),
                    AffineMap::get(rank, 0, trailing, getContext()));
    rewriter.replaceOpWithNewOp<QuantizeOp>(op, op.getType(), y);
    return success();
  }
};

/// The float group norm: each (sample, group) normalized by its mean and
/// biased variance, then `* weight + bias` per channel.
struct DecomposeGroupNorm : OpRewritePattern<GroupNormOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(GroupNormOp op,
                                PatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(rewriter, op)))
      return failure();
    Location loc = op.getLoc();
    auto type = getExpressedTensorType(op.getInput().getType());
    int64_t rows = type.getDimSize(0) * op.getGroups();
    Value view =
        buildReshape(rewriter, loc, dequantize(rewriter, loc, op.getInput()),
                     {rows, type.getNumElements() / rows});
    Value y =
        buildReshape(rewriter, loc,
                     buildRowNormalization(
                         rewriter, loc, view,
                         static_cast<float>(op.getEps().convertToDouble())),
                     type.getShape());
    y = buildAffine(rewriter, loc, y, op.getWeight(), op.getBias(),
                    AffineMap::get(type.getRank(), 0,
                                   rewriter.getAffineDimExpr(1), getContext()));
    rewriter.replaceOpWithNewOp<QuantizeOp>(op, op.getType(), y);
    return success();
  }
};

struct DecomposeRequantize : OpRewritePattern<RequantizeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(RequantizeOp op,
                                PatternRewriter &rewriter) const override {
    rewriter.replaceOpWithNewOp<QuantizeOp>(
        op, op.getType(), dequantize(rewriter, op.getLoc(), op.getInput()));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Expanding quantize / dequantize
//===----------------------------------------------------------------------===//

/// qnn.quantize as arith on the storage integers, cast to the quantized type.
struct ExpandQuantize : OpRewritePattern<QuantizeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(QuantizeOp op,
                                PatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(rewriter, op)))
      return failure();
    auto qtype = getQuantizedElementType(op.getType());
    Value stored =
        buildQuantize(rewriter, op.getLoc(), op.getInput(),
                      *QuantParams::get(qtype), qtype.getStorageType());
    rewriter.replaceOpWithNewOp<quant::StorageCastOp>(op, op.getType(), stored);
    return success();
  }
};

/// qnn.dequantize as arith on the storage integers.
struct ExpandDequantize : OpRewritePattern<DequantizeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(DequantizeOp op,
                                PatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(rewriter, op)))
      return failure();
    auto inputType = cast<RankedTensorType>(op.getInput().getType());
    auto qtype = getQuantizedElementType(inputType);
    Value stored = quant::StorageCastOp::create(
        rewriter, op.getLoc(), inputType.clone(qtype.getStorageType()),
        op.getInput());
    rewriter.replaceOp(op, buildDequantize(rewriter, op.getLoc(), stored,
                                           *QuantParams::get(qtype)));
    return success();
  }
};

/// qnn.quantize_dynamic as arith on the storage integers.
struct ExpandQuantizeDynamic : OpRewritePattern<QuantizeDynamicOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(QuantizeDynamicOp op,
                                PatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(rewriter, op)))
      return failure();
    auto element = cast<quant::AnyQuantizedType>(op.getType().getElementType());
    Value stored =
        buildQuantizeDynamic(rewriter, op.getLoc(), op.getInput(),
                             op.getScale(), op.getZeroPoint(), element);
    rewriter.replaceOpWithNewOp<quant::StorageCastOp>(op, op.getType(), stored);
    return success();
  }
};

/// qnn.dequantize_dynamic as arith on the storage integers.
struct ExpandDequantizeDynamic : OpRewritePattern<DequantizeDynamicOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(DequantizeDynamicOp op,
                                PatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(rewriter, op)))
      return failure();
    auto inputType = cast<RankedTensorType>(op.getInput().getType());
    auto element = cast<quant::AnyQuantizedType>(inputType.getElementType());
    Value stored = quant::StorageCastOp::create(
        rewriter, op.getLoc(), inputType.clone(element.getStorageType()),
        op.getInput());
    rewriter.replaceOp(
        op, buildDequantizeDynamic(rewriter, op.getLoc(), stored, op.getScale(),
                                   op.getZeroPoint(), element.isSigned()));
    return success();
  }
};

struct QNNDecomposePass : qnn::impl::QNNDecomposePassBase<QNNDecomposePass> {
  using QNNDecomposePassBase::QNNDecomposePassBase;
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateQNNDecomposePatterns(patterns);
    if (expandCasts)
      populateQNNExpandCastsPatterns(patterns);
    // No folding: the reference form stays as its builders make it (x * 1.0
    // of an activation parameter equal to 1 included), which is the form
    // --qnn-fuse recognises.
    GreedyRewriteConfig config;
    config.enableFolding(false);
    if (failed(
            applyPatternsGreedily(getOperation(), std::move(patterns), config)))
      return signalPassFailure();
    // What the patterns left is what they cannot decompose: say why.
    WalkResult result = getOperation()->walk([&](Operation *op) {
      bool left =
          isa<QNNDialect>(op->getDialect()) &&
          (expandCasts || !isa<QuantizeOp, DequantizeOp, ChooseQParamsOp,
                               QuantizeDynamicOp, DequantizeDynamicOp>(op));
      if (left && failed(requireStaticShapes(op, "--qnn-decompose")))
        return WalkResult::interrupt();
      return WalkResult::advance();
    });
    if (result.wasInterrupted())
      signalPassFailure();
  }
};
} // namespace

void mlir::qnn::populateQNNDecomposePatterns(RewritePatternSet &patterns) {
  patterns.add<DecomposeLinear, DecomposeDynamicLinear, DecomposeDynamicConv,
               DecomposeConv, DecomposeBinary<AddOp, arith::AddFOp>,
               DecomposeBinary<MulOp, arith::MulFOp>,
               DecomposeScalar<AddScalarOp, arith::AddFOp>,
               DecomposeScalar<MulScalarOp, arith::MulFOp>, DecomposeActivation,
               DecomposeMaxPool, DecomposeAvgPool, DecomposeAdaptiveAvgPool,
               DecomposeMean, DecomposeUpsampleNearest, DecomposePermute,
               DecomposeBatchNorm, DecomposeLayerNorm, DecomposeGroupNorm,
               DecomposeRequantize>(patterns.getContext());
  // A transposed conv decomposes as the conv it equals.
  populateQNNConvTransposeToConvPatterns(patterns);
  populateQNNDynamicConvTransposeToConvPatterns(patterns);
}

void mlir::qnn::populateQNNExpandCastsPatterns(RewritePatternSet &patterns) {
  patterns.add<ExpandQuantize, ExpandDequantize, ExpandQuantizeDynamic,
               ExpandDequantizeDynamic>(patterns.getContext());
}
