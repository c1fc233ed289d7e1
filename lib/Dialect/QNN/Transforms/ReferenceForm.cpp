//===- ReferenceForm.cpp - float building blocks of the reference form ---===//

#include "ReferenceForm.h"
#include "qnn/Dialect/QNN/Utils/Padding.h"

#include <limits>

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/AffineExpr.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/bit.h"

using namespace mlir;
using namespace mlir::qnn;
using namespace mlir::qnn::reference;

//===----------------------------------------------------------------------===//
// Elementwise helpers
//===----------------------------------------------------------------------===//

Value reference::buildSplat(OpBuilder &b, Location loc, Type tensorType,
                            float value) {
  auto type = cast<ShapedType>(tensorType);
  return arith::ConstantOp::create(
      b, loc, DenseElementsAttr::get(type, b.getF32FloatAttr(value)));
}

/// Returns the splat value of a float constant, if `value` is one.
static std::optional<float> getSplat(Value value) {
  DenseElementsAttr attr;
  if (!matchPattern(value, m_Constant(&attr)) || !attr.isSplat() ||
      !isa<FloatType>(attr.getElementType()))
    return std::nullopt;
  return attr.getSplatValue<APFloat>().convertToFloat();
}

bool reference::isSplat(Value value, float expected) {
  std::optional<float> splat = getSplat(value);
  return splat && *splat == expected;
}

/// The op defining `value` if it is an OpTy and `value` has no other user.
template <typename OpTy> static OpTy singleUseDef(Value value) {
  if (!value || !value.hasOneUse())
    return nullptr;
  return value.getDefiningOp<OpTy>();
}

static Value emptyLike(OpBuilder &b, Location loc, ArrayRef<int64_t> shape,
                       Type elementType) {
  return tensor::EmptyOp::create(b, loc, shape, elementType);
}

/// `linalg.fill` of zero into a fresh tensor: the accumulator of a
/// contraction.
static Value zeroInit(OpBuilder &b, Location loc, ArrayRef<int64_t> shape) {
  Value zero = arith::ConstantOp::create(b, loc, b.getF32FloatAttr(0.0f));
  Value empty = emptyLike(b, loc, shape, b.getF32Type());
  return linalg::FillOp::create(b, loc, ValueRange{zero}, ValueRange{empty})
      .getResult(0);
}

static bool isZeroInit(Value value) {
  auto fill = singleUseDef<linalg::FillOp>(value);
  return fill && matchPattern(fill.getInputs()[0], m_AnyZeroFloat()) &&
         fill.getOutputs()[0].getDefiningOp<tensor::EmptyOp>();
}

/// `value + broadcast(bias)`, with `bias` broadcast along every dimension
/// but `channelDim`.
static Value buildBiasAdd(OpBuilder &b, Location loc, Value value, Value bias,
                          int64_t channelDim) {
  auto type = cast<RankedTensorType>(value.getType());
  SmallVector<int64_t> dims;
  for (int64_t d = 0; d < type.getRank(); ++d)
    if (d != channelDim)
      dims.push_back(d);
  Value empty = emptyLike(b, loc, type.getShape(), type.getElementType());
  Value broadcast =
      linalg::BroadcastOp::create(b, loc, bias, empty, dims).getResult()[0];
  return arith::AddFOp::create(b, loc, value, broadcast);
}

/// Recognises buildBiasAdd: returns the bias and sets `input`, or returns a
/// null value with `input = value`.
static Value matchBiasAdd(Value value, int64_t channelDim, Value &input) {
  input = value;
  auto add = value.getDefiningOp<arith::AddFOp>();
  if (!add)
    return {};
  auto broadcast = singleUseDef<linalg::BroadcastOp>(add.getRhs());
  if (!broadcast || !add.getLhs().hasOneUse())
    return {};
  auto type = cast<RankedTensorType>(value.getType());
  SmallVector<int64_t> dims;
  for (int64_t d = 0; d < type.getRank(); ++d)
    if (d != channelDim)
      dims.push_back(d);
  if (broadcast.getDimensions() != ArrayRef<int64_t>(dims))
    return {};
  input = add.getLhs();
  return broadcast.getInput();
}

//===----------------------------------------------------------------------===//
// Activations
//===----------------------------------------------------------------------===//

Value reference::buildActivation(OpBuilder &b, Location loc, Value value,
                                 ActivationAttr act, Value weight) {
  SmallVector<Value> params;
  for (float p : act.getParams())
    params.push_back(buildSplat(b, loc, value.getType(), p));
  ActivationBuilder builder(b, loc, value.getType(), params, weight);
  return act.getDef()->build(builder, value);
}

namespace {
/// Matches the IR an activation's builder makes on placeholders (the
/// template) against the IR rooted at a value: the same ops with the same
/// attributes and properties, operand by operand, binding the placeholder
/// of the input to a value, those of the parameters to splat constants and
/// that of the weight to a value.
class TemplateMatcher {
public:
  TemplateMatcher(Value input, ArrayRef<Value> params, Value weight)
      : input(input), params(params), weight(weight),
        paramValues(params.size()) {}

  bool match(Value pattern, Value value) {
    for (auto [i, param] : llvm::enumerate(params)) {
      if (pattern != param)
        continue;
      std::optional<float> splat = getSplat(value);
      if (!splat ||
          (paramValues[i] && llvm::bit_cast<uint32_t>(*splat) !=
                                 llvm::bit_cast<uint32_t>(*paramValues[i])))
        return false;
      paramValues[i] = *splat;
      return true;
    }
    if (auto it = bound.find(pattern); it != bound.end())
      return it->second == value;
    bound[pattern] = value;
    if (pattern == input || pattern == weight)
      return true;
    Operation *patternOp = pattern.getDefiningOp();
    Operation *op = value.getDefiningOp();
    if (!op || op->getName() != patternOp->getName() ||
        op->getNumOperands() != patternOp->getNumOperands() ||
        op->getNumResults() != patternOp->getNumResults() ||
        cast<OpResult>(value).getResultNumber() !=
            cast<OpResult>(pattern).getResultNumber() ||
        op->getRawDictionaryAttrs() != patternOp->getRawDictionaryAttrs() ||
        op->getPropertiesAsAttribute() !=
            patternOp->getPropertiesAsAttribute() ||
        op->getResultTypes() != patternOp->getResultTypes())
      return false;
    if (!op->hasTrait<OpTrait::ConstantLike>())
      matched.insert(op);
    if (matchOperands(patternOp->getOperands(), op->getOperands()))
      return true;
    // Canonicalization may have swapped the operands of a commutative op
    // (constants go to the right).
    if (!op->hasTrait<OpTrait::IsCommutative>() || op->getNumOperands() != 2)
      return false;
    SmallVector<Value> swapped = {op->getOperand(1), op->getOperand(0)};
    return matchOperands(patternOp->getOperands(), swapped);
  }

  /// Matches operand lists pairwise; on failure leaves the bindings as they
  /// were.
  bool matchOperands(ValueRange patterns, ValueRange values) {
    auto savedBound = bound;
    auto savedParams = paramValues;
    auto savedMatched = matched;
    for (auto [p, v] : llvm::zip(patterns, values)) {
      if (!match(p, v)) {
        bound = std::move(savedBound);
        paramValues = std::move(savedParams);
        matched = std::move(savedMatched);
        return false;
      }
    }
    return true;
  }

  /// The value bound to a placeholder.
  Value lookup(Value placeholder) const { return bound.lookup(placeholder); }

  /// True when no matched op but `root` has a user outside the match, and,
  /// with `exclusiveInput`, the input has none either.
  bool isClosed(Operation *root, bool exclusiveInput) const {
    auto internal = [&](Value v) {
      return llvm::all_of(v.getUsers(),
                          [&](Operation *u) { return matched.contains(u); });
    };
    for (Operation *op : matched)
      if (op != root && !llvm::all_of(op->getResults(), internal))
        return false;
    return !exclusiveInput || internal(lookup(input));
  }

  SmallVector<float> getParamValues(const ActivationDef &def) const {
    SmallVector<float> values;
    for (auto [i, value] : llvm::enumerate(paramValues))
      values.push_back(value.value_or(def.params[i].defaultValue));
    return values;
  }

private:
  Value input;
  ArrayRef<Value> params;
  Value weight;
  SmallVector<std::optional<float>> paramValues;
  DenseMap<Value, Value> bound;
  SmallPtrSet<Operation *, 8> matched;
};
} // namespace

std::optional<reference::ActivationMatch>
reference::matchActivation(Value value, bool exclusiveInput) {
  Operation *root = value.getDefiningOp();
  if (!root)
    return std::nullopt;
  Type type = value.getType();
  Location loc = value.getLoc();
  for (const ActivationDef &def : getAllActivations()) {
    // The template: the entry's formula on placeholder block arguments, in
    // a scratch module that is dropped afterwards.
    OwningOpRef<ModuleOp> scratch = ModuleOp::create(loc);
    Block &block = *scratch->getBody();
    Value input = block.addArgument(type, loc);
    SmallVector<Value> params;
    for (size_t i = 0; i < def.params.size(); ++i)
      params.push_back(block.addArgument(type, loc));
    Value weight = def.hasWeight ? block.addArgument(type, loc) : Value();
    OpBuilder b = OpBuilder::atBlockEnd(&block);
    ActivationBuilder builder(b, loc, type, params, weight);
    Value pattern = def.build(builder, input);

    TemplateMatcher matcher(input, params, weight);
    if (!matcher.match(pattern, value) ||
        !matcher.isClosed(root, exclusiveInput))
      continue;
    ActivationMatch match;
    match.activation = ActivationAttr::get(
        value.getContext(), &def, ArrayRef<float>(matcher.getParamValues(def)));
    match.input = matcher.lookup(input);
    if (weight)
      match.weight = matcher.lookup(weight);
    return match;
  }
  return std::nullopt;
}

//===----------------------------------------------------------------------===//
// Linear
//===----------------------------------------------------------------------===//

/// [[0, ..., rank-2], [rank-1]]: folds the batch dimensions of a linear
/// input into one.
static SmallVector<ReassociationIndices>
linearBatchReassociation(int64_t rank) {
  ReassociationIndices batch;
  for (int64_t d = 0; d + 1 < rank; ++d)
    batch.push_back(d);
  return {batch, {rank - 1}};
}

Value reference::buildLinear(OpBuilder &b, Location loc, Value x, Value w,
                             Value bias) {
  auto xType = cast<RankedTensorType>(x.getType());
  auto wType = cast<RankedTensorType>(w.getType());
  int64_t rank = xType.getRank();
  int64_t k = wType.getDimSize(1), n = wType.getDimSize(0);
  Value x2 = x;
  if (rank > 2)
    x2 = tensor::CollapseShapeOp::create(b, loc, x,
                                         linearBatchReassociation(rank));
  int64_t m = cast<RankedTensorType>(x2.getType()).getDimSize(0);

  Value wt = linalg::TransposeOp::create(
                 b, loc, w, emptyLike(b, loc, {k, n}, b.getF32Type()),
                 ArrayRef<int64_t>{1, 0})
                 .getResult()[0];
  Value result = linalg::MatmulOp::create(b, loc, ValueRange{x2, wt},
                                          ValueRange{zeroInit(b, loc, {m, n})})
                     .getResult(0);
  if (bias)
    result = buildBiasAdd(b, loc, result, bias, /*channelDim=*/1);
  if (rank > 2) {
    SmallVector<int64_t> shape(xType.getShape().drop_back());
    shape.push_back(n);
    result = tensor::ExpandShapeOp::create(
        b, loc, RankedTensorType::get(shape, b.getF32Type()), result,
        linearBatchReassociation(rank));
  }
  return result;
}

std::optional<LinearMatch> reference::matchLinear(Value value) {
  LinearMatch match;
  int64_t rank = 2;
  if (auto expand = value.getDefiningOp<tensor::ExpandShapeOp>()) {
    rank = expand.getResultType().getRank();
    if (expand.getReassociationIndices() != linearBatchReassociation(rank) ||
        !expand.getSrc().hasOneUse())
      return std::nullopt;
    value = expand.getSrc();
  }
  Value product;
  match.bias = matchBiasAdd(value, /*channelDim=*/1, product);
  auto matmul = product.getDefiningOp<linalg::MatmulOp>();
  if (!matmul || !product.hasOneUse() || matmul.hasUserDefinedMaps() ||
      !isZeroInit(matmul.getOutputs()[0]))
    return std::nullopt;
  auto transpose = singleUseDef<linalg::TransposeOp>(matmul.getInputs()[1]);
  if (!transpose || transpose.getPermutation() != ArrayRef<int64_t>{1, 0})
    return std::nullopt;
  match.weight = transpose.getInput();
  match.input = matmul.getInputs()[0];
  if (rank > 2) {
    auto collapse = singleUseDef<tensor::CollapseShapeOp>(match.input);
    if (!collapse ||
        collapse.getReassociationIndices() != linearBatchReassociation(rank))
      return std::nullopt;
    match.input = collapse.getSrc();
  }
  return match;
}

//===----------------------------------------------------------------------===//
// Padding
//===----------------------------------------------------------------------===//

/// Reads the static piece of `dim` taken by a full-width, unit-stride slice
/// of `source`.
static std::optional<PaddingPiece> matchPiece(Value value, Value source,
                                              int64_t dim) {
  auto slice = singleUseDef<tensor::ExtractSliceOp>(value);
  if (!slice || slice.getSource() != source || !slice.hasUnitStride())
    return std::nullopt;
  auto srcType = cast<RankedTensorType>(source.getType());
  ArrayRef<int64_t> offsets = slice.getStaticOffsets();
  ArrayRef<int64_t> sizes = slice.getStaticSizes();
  if (ShapedType::isDynamicShape(offsets) || ShapedType::isDynamicShape(sizes))
    return std::nullopt;
  for (int64_t d = 0; d < srcType.getRank(); ++d)
    if (d != dim && (offsets[d] != 0 || sizes[d] != srcType.getDimSize(d)))
      return std::nullopt;
  return PaddingPiece{offsets[dim], sizes[dim]};
}

/// Recognises buildPadding: returns the unpadded value and sets `padding`
/// and `mode`.
static Value matchPadding(Value value, int64_t numSpatial,
                          SmallVectorImpl<int64_t> &padding,
                          PaddingMode &mode) {
  padding.assign(numSpatial, 0);
  mode = PaddingMode::zeros;
  if (auto pad = singleUseDef<tensor::PadOp>(value)) {
    Value padValue = pad.getConstantPaddingValue();
    if (!padValue || !matchPattern(padValue, m_AnyZeroFloat()) ||
        pad.getStaticLow() != pad.getStaticHigh() ||
        ShapedType::isDynamicShape(pad.getStaticLow()) ||
        pad.getStaticLow()[0] != 0 || pad.getStaticLow()[1] != 0)
      return {};
    padding.assign(pad.getStaticLow().begin() + 2, pad.getStaticLow().end());
    return pad.getSource();
  }
  std::optional<PaddingMode> seenMode;
  auto concat = singleUseDef<tensor::ConcatOp>(value);
  while (concat) {
    int64_t dim = concat.getDim();
    if (dim < 2 || dim >= numSpatial + 2 || padding[dim - 2] != 0)
      return {};
    OperandRange parts = concat.getInputs();
    bool matched = false;
    for (auto [centerIdx, center] : llvm::enumerate(parts)) {
      PaddingPieces found;
      bool ok = true;
      for (auto [i, part] : llvm::enumerate(parts)) {
        if (i == centerIdx)
          continue;
        std::optional<PaddingPiece> piece = matchPiece(part, center, dim);
        if (!piece) {
          ok = false;
          break;
        }
        (i < centerIdx ? found.left : found.right).push_back(*piece);
      }
      if (!ok)
        continue;
      int64_t n = cast<RankedTensorType>(center.getType()).getDimSize(dim);
      int64_t p = 0;
      for (PaddingPiece piece : found.left)
        p += piece.size;
      for (PaddingMode candidate :
           {PaddingMode::reflect, PaddingMode::replicate,
            PaddingMode::circular}) {
        if (seenMode && *seenMode != candidate)
          continue;
        PaddingPieces expected = getPaddingPieces(candidate, n, p);
        if (expected.left == found.left && expected.right == found.right) {
          seenMode = candidate;
          padding[dim - 2] = p;
          value = center;
          matched = true;
          break;
        }
      }
      if (matched)
        break;
    }
    if (!matched)
      return {};
    // The padded value feeds only this concat and its slices.
    auto next = value.getDefiningOp<tensor::ConcatOp>();
    bool internal = llvm::all_of(value.getUsers(), [&](Operation *user) {
      return user == concat ||
             (isa<tensor::ExtractSliceOp>(user) &&
              llvm::all_of(user->getUsers(),
                           [&](Operation *u) { return u == concat; }));
    });
    concat = internal ? next : nullptr;
  }
  if (seenMode)
    mode = *seenMode;
  return value;
}

//===----------------------------------------------------------------------===//
// Convolution
//===----------------------------------------------------------------------===//

/// Loop order of the grouped convolution: n, g, o, out spatial..., c,
/// kernel spatial...
static SmallVector<AffineMap> getConvMaps(MLIRContext *ctx, int64_t numSpatial,
                                          ArrayRef<int64_t> strides,
                                          ArrayRef<int64_t> dilations) {
  int64_t numLoops = 4 + 2 * numSpatial;
  auto d = [&](int64_t i) { return getAffineDimExpr(i, ctx); };
  int64_t c = 3 + numSpatial;
  SmallVector<AffineExpr> in = {d(0), d(1), d(c)};
  SmallVector<AffineExpr> w = {d(1), d(2), d(c)};
  SmallVector<AffineExpr> out = {d(0), d(1), d(2)};
  for (int64_t i = 0; i < numSpatial; ++i) {
    AffineExpr o = d(3 + i), k = d(c + 1 + i);
    in.push_back(o * strides[i] + k * dilations[i]);
    w.push_back(k);
    out.push_back(o);
  }
  return {AffineMap::get(numLoops, 0, in, ctx),
          AffineMap::get(numLoops, 0, w, ctx),
          AffineMap::get(numLoops, 0, out, ctx)};
}

/// The body `out + in * w`.
static bool isMulAddBody(Block &body) {
  if (body.getNumArguments() != 3 || body.getOperations().size() != 3)
    return false;
  auto mul = dyn_cast<arith::MulFOp>(&body.front());
  auto add = dyn_cast<arith::AddFOp>(mul ? mul->getNextNode() : nullptr);
  auto yield = dyn_cast<linalg::YieldOp>(body.getTerminator());
  if (!mul || !add || !yield || yield.getValues().size() != 1 ||
      yield.getValues()[0] != add.getResult())
    return false;
  return mul.getLhs() == body.getArgument(0) &&
         mul.getRhs() == body.getArgument(1) &&
         add.getLhs() == body.getArgument(2) && add.getRhs() == mul.getResult();
}

Value reference::buildConv(OpBuilder &b, Location loc, Value x, Value w,
                           Value bias, const ConvGeometry &g) {
  MLIRContext *ctx = b.getContext();
  auto wType = cast<RankedTensorType>(w.getType());
  int64_t rank = wType.getRank(), numSpatial = rank - 2;
  Value padded = buildPadding(b, loc, x, g.padding, g.paddingMode,
                              b.getF32FloatAttr(0.0f));
  auto pType = cast<RankedTensorType>(padded.getType());

  int64_t groups = g.groups;
  int64_t batch = pType.getDimSize(0);
  int64_t inPerGroup = pType.getDimSize(1) / groups;
  int64_t outChannels = wType.getDimSize(0);
  int64_t outPerGroup = outChannels / groups;

  SmallVector<int64_t> xgShape = {batch, groups, inPerGroup};
  SmallVector<int64_t> wgShape = {groups, outPerGroup, inPerGroup};
  SmallVector<int64_t> outShape = {batch, groups, outPerGroup};
  for (int64_t i = 0; i < numSpatial; ++i) {
    int64_t in = pType.getDimSize(2 + i), k = wType.getDimSize(2 + i);
    xgShape.push_back(in);
    wgShape.push_back(k);
    outShape.push_back((in - g.dilations[i] * (k - 1) - 1) / g.strides[i] + 1);
  }
  Type f32 = b.getF32Type();
  Value xg =
      tensor::ExpandShapeOp::create(b, loc, RankedTensorType::get(xgShape, f32),
                                    padded, groupReassociation(rank, 1));
  Value wg =
      tensor::ExpandShapeOp::create(b, loc, RankedTensorType::get(wgShape, f32),
                                    w, groupReassociation(rank, 0));

  SmallVector<utils::IteratorType> iterators(3 + numSpatial,
                                             utils::IteratorType::parallel);
  iterators.append(1 + numSpatial, utils::IteratorType::reduction);
  auto conv = linalg::GenericOp::create(
      b, loc, TypeRange{RankedTensorType::get(outShape, f32)},
      ValueRange{xg, wg}, ValueRange{zeroInit(b, loc, outShape)},
      getConvMaps(ctx, numSpatial, g.strides, g.dilations), iterators,
      [](OpBuilder &nb, Location nloc, ValueRange args) {
        Value mul = arith::MulFOp::create(nb, nloc, args[0], args[1]);
        Value add = arith::AddFOp::create(nb, nloc, args[2], mul);
        linalg::YieldOp::create(nb, nloc, add);
      });
  Value result = tensor::CollapseShapeOp::create(b, loc, conv.getResult(0),
                                                 groupReassociation(rank, 1));
  if (bias)
    result = buildBiasAdd(b, loc, result, bias, /*channelDim=*/1);
  return result;
}

/// The coefficient of loop `pos` in a linear affine expression.
static std::optional<int64_t> getCoefficient(AffineExpr expr, unsigned pos,
                                             unsigned numDims) {
  MLIRContext *ctx = expr.getContext();
  SmallVector<AffineExpr> dims;
  for (unsigned i = 0; i < numDims; ++i)
    dims.push_back(getAffineConstantExpr(i == pos ? 1 : 0, ctx));
  auto constant =
      dyn_cast<AffineConstantExpr>(expr.replaceDimsAndSymbols(dims, {}));
  if (!constant)
    return std::nullopt;
  return constant.getValue();
}

std::optional<ConvMatch> reference::matchConv(Value value) {
  ConvMatch match;
  Value sum;
  match.bias = matchBiasAdd(value, /*channelDim=*/1, sum);
  auto collapse = sum.getDefiningOp<tensor::CollapseShapeOp>();
  if (!collapse || !sum.hasOneUse())
    return std::nullopt;
  int64_t rank = collapse.getResultType().getRank();
  int64_t numSpatial = rank - 2;
  if (numSpatial < 1 ||
      collapse.getReassociationIndices() != groupReassociation(rank, 1))
    return std::nullopt;
  auto conv = singleUseDef<linalg::GenericOp>(collapse.getSrc());
  if (!conv || conv.getNumDpsInputs() != 2 || conv.getNumDpsInits() != 1 ||
      !isMulAddBody(*conv.getBody()) || !isZeroInit(conv.getOutputs()[0]))
    return std::nullopt;

  SmallVector<AffineMap> maps = conv.getIndexingMapsArray();
  unsigned numLoops = 4 + 2 * numSpatial;
  if (maps[0].getNumDims() != numLoops || maps[0].getNumResults() != rank + 1)
    return std::nullopt;
  ConvGeometry &g = match.geometry;
  for (int64_t i = 0; i < numSpatial; ++i) {
    AffineExpr expr = maps[0].getResult(3 + i);
    std::optional<int64_t> stride = getCoefficient(expr, 3 + i, numLoops);
    std::optional<int64_t> dilation =
        getCoefficient(expr, 4 + numSpatial + i, numLoops);
    if (!stride || !dilation)
      return std::nullopt;
    g.strides.push_back(*stride);
    g.dilations.push_back(*dilation);
  }
  SmallVector<utils::IteratorType> iterators(3 + numSpatial,
                                             utils::IteratorType::parallel);
  iterators.append(1 + numSpatial, utils::IteratorType::reduction);
  if (maps !=
          getConvMaps(conv.getContext(), numSpatial, g.strides, g.dilations) ||
      conv.getIteratorTypesArray() != iterators)
    return std::nullopt;

  auto xg = singleUseDef<tensor::ExpandShapeOp>(conv.getInputs()[0]);
  auto wg = singleUseDef<tensor::ExpandShapeOp>(conv.getInputs()[1]);
  if (!xg || !wg ||
      xg.getReassociationIndices() != groupReassociation(rank, 1) ||
      wg.getReassociationIndices() != groupReassociation(rank, 0))
    return std::nullopt;
  g.groups = xg.getResultType().getDimSize(1);
  if (wg.getResultType().getDimSize(0) != g.groups)
    return std::nullopt;
  match.weight = wg.getSrc();
  match.input = matchPadding(xg.getSrc(), numSpatial, g.padding, g.paddingMode);
  if (!match.input)
    return std::nullopt;
  return match;
}

//===----------------------------------------------------------------------===//
// Pooling
//===----------------------------------------------------------------------===//

/// A float splat `value` filling a fresh tensor of `shape`.
static Value filled(OpBuilder &b, Location loc, ArrayRef<int64_t> shape,
                    float value) {
  Value scalar = arith::ConstantOp::create(b, loc, b.getF32FloatAttr(value));
  Value empty = emptyLike(b, loc, shape, b.getF32Type());
  return linalg::FillOp::create(b, loc, ValueRange{scalar}, ValueRange{empty})
      .getResult(0);
}

/// The result shape of a pooling of `inputType`.
static SmallVector<int64_t> pooledShape(RankedTensorType inputType,
                                        const PoolGeometry &g) {
  SmallVector<int64_t> shape(inputType.getShape().take_front(2));
  for (auto [i, k] : llvm::enumerate(g.kernel))
    shape.push_back(getPooledSize(inputType.getDimSize(2 + i), k, g.strides[i],
                                  g.padding[i], g.dilations[i], g.ceilMode));
  return shape;
}

Value reference::buildMaxPool(OpBuilder &b, Location loc, Value x,
                              const PoolGeometry &g) {
  constexpr float kLowest = -std::numeric_limits<float>::infinity();
  SmallVector<int64_t> outShape =
      pooledShape(cast<RankedTensorType>(x.getType()), g);
  Value padded =
      buildWindowPadding(b, loc, x, outShape, g.kernel, g.strides, g.padding,
                         g.dilations, b.getF32FloatAttr(kLowest));
  return buildWindowReduction(
      b, loc, padded, g.kernel, g.strides, g.dilations,
      filled(b, loc, outShape, kLowest),
      [](OpBuilder &nb, Location nloc, Value acc, Value v) -> Value {
        return arith::MaximumFOp::create(nb, nloc, acc, v);
      });
}

std::optional<reference::PoolMatch> reference::matchMaxPool(Value value) {
  auto pool = value.getDefiningOp<linalg::GenericOp>();
  if (!pool || pool.getNumDpsInputs() != 2 || pool.getNumDpsInits() != 1)
    return std::nullopt;
  // Body: yield maximumf(acc, x).
  Block &body = *pool.getBody();
  auto yield = cast<linalg::YieldOp>(body.getTerminator());
  auto max = yield.getValues().size() == 1
                 ? yield.getValues()[0].getDefiningOp<arith::MaximumFOp>()
                 : nullptr;
  if (!max || body.getOperations().size() != 2 ||
      max.getLhs() != body.getArgument(2) ||
      max.getRhs() != body.getArgument(0))
    return std::nullopt;
  // The accumulator starts at -inf.
  constexpr double kLowest = -std::numeric_limits<double>::infinity();
  auto fill = singleUseDef<linalg::FillOp>(pool.getOutputs()[0]);
  FloatAttr init;
  if (!fill || !matchPattern(fill.getInputs()[0], m_Constant(&init)) ||
      init.getValueAsDouble() != kLowest)
    return std::nullopt;
  auto window = pool.getInputs()[1].getDefiningOp<tensor::EmptyOp>();
  if (!window)
    return std::nullopt;
  PoolMatch match;
  PoolGeometry &g = match.geometry;
  g.kernel.assign(window.getType().getShape().begin(),
                  window.getType().getShape().end());
  int64_t numSpatial = g.kernel.size();
  unsigned numLoops = 2 + 2 * numSpatial;
  AffineMap inMap = pool.getIndexingMapsArray()[0];
  if (inMap.getNumDims() != numLoops ||
      inMap.getNumResults() != static_cast<unsigned>(numSpatial + 2))
    return std::nullopt;
  for (int64_t i = 0; i < numSpatial; ++i) {
    AffineExpr expr = inMap.getResult(2 + i);
    std::optional<int64_t> stride = getCoefficient(expr, 2 + i, numLoops);
    std::optional<int64_t> dilation =
        getCoefficient(expr, 2 + numSpatial + i, numLoops);
    if (!stride || !dilation)
      return std::nullopt;
    g.strides.push_back(*stride);
    g.dilations.push_back(*dilation);
  }
  // The padding: none, or a -inf tensor.pad whose low side is symmetric
  // padding.
  Value input = pool.getInputs()[0];
  g.padding.assign(numSpatial, 0);
  if (auto pad = singleUseDef<tensor::PadOp>(input)) {
    Value padValue = pad.getConstantPaddingValue();
    FloatAttr padAttr;
    if (!padValue || !matchPattern(padValue, m_Constant(&padAttr)) ||
        padAttr.getValueAsDouble() != kLowest ||
        ShapedType::isDynamicShape(pad.getStaticLow()) ||
        pad.getStaticLow()[0] != 0 || pad.getStaticLow()[1] != 0)
      return std::nullopt;
    g.padding.assign(pad.getStaticLow().begin() + 2, pad.getStaticLow().end());
    input = pad.getSource();
  }
  // ceil_mode: whichever rounding gives the result's shape.
  auto inputType = cast<RankedTensorType>(input.getType());
  auto resultShape = cast<RankedTensorType>(value.getType()).getShape();
  for (bool ceil : {false, true}) {
    g.ceilMode = ceil;
    if (pooledShape(inputType, g) == ArrayRef<int64_t>(resultShape)) {
      match.input = input;
      // The loops must be those buildMaxPool makes for this geometry.
      MLIRContext *ctx = value.getContext();
      auto d = [&](int64_t i) { return getAffineDimExpr(i, ctx); };
      SmallVector<AffineExpr> in = {d(0), d(1)}, kernel, out = {d(0), d(1)};
      for (int64_t i = 0; i < numSpatial; ++i) {
        in.push_back(d(2 + i) * g.strides[i] +
                     d(2 + numSpatial + i) * g.dilations[i]);
        kernel.push_back(d(2 + numSpatial + i));
        out.push_back(d(2 + i));
      }
      SmallVector<AffineMap> maps = {AffineMap::get(numLoops, 0, in, ctx),
                                     AffineMap::get(numLoops, 0, kernel, ctx),
                                     AffineMap::get(numLoops, 0, out, ctx)};
      SmallVector<utils::IteratorType> iterators(2 + numSpatial,
                                                 utils::IteratorType::parallel);
      iterators.append(numSpatial, utils::IteratorType::reduction);
      if (pool.getIndexingMapsArray() != maps ||
          pool.getIteratorTypesArray() != iterators)
        return std::nullopt;
      return match;
    }
  }
  return std::nullopt;
}

Value reference::buildAveragePool(OpBuilder &b, Location loc, Value x,
                                  const DimWindows &h, const DimWindows &w,
                                  ArrayRef<int64_t> divisors) {
  MLIRContext *ctx = b.getContext();
  Type f32 = b.getF32Type();
  Value sums = buildWindowSums(
      b, loc, x, h, w, f32, [](OpBuilder &, Location, Value v) { return v; });
  auto type = cast<RankedTensorType>(sums.getType());
  SmallVector<int64_t> spatial(type.getShape().drop_front(2));
  SmallVector<float> values = llvm::to_vector(llvm::map_range(
      divisors, [](int64_t d) { return static_cast<float>(d); }));
  Value table = arith::ConstantOp::create(
      b, loc,
      DenseElementsAttr::get(RankedTensorType::get(spatial, f32),
                             ArrayRef<float>(values)));
  auto d = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
  SmallVector<AffineMap> maps = {b.getMultiDimIdentityMap(4),
                                 AffineMap::get(4, 0, {d(2), d(3)}, ctx),
                                 b.getMultiDimIdentityMap(4)};
  SmallVector<utils::IteratorType> iterators(4, utils::IteratorType::parallel);
  return linalg::GenericOp::create(
             b, loc, TypeRange{type}, ValueRange{sums, table},
             ValueRange{emptyLike(b, loc, type.getShape(), f32)}, maps,
             iterators,
             [](OpBuilder &nb, Location l, ValueRange args) {
               linalg::YieldOp::create(
                   nb, l,
                   arith::DivFOp::create(nb, l, args[0], args[1]).getResult());
             })
      .getResult(0);
}

Value reference::buildMean(OpBuilder &b, Location loc, Value x,
                           ArrayRef<int64_t> dims,
                           ArrayRef<int64_t> resultShape) {
  auto type = cast<RankedTensorType>(x.getType());
  int64_t rank = type.getRank();
  int64_t kept = rank - static_cast<int64_t>(dims.size());
  int64_t count = 1;
  for (int64_t d : dims)
    count *= type.getDimSize(d);
  SmallVector<int64_t> keptShape(type.getShape().take_front(kept));
  Value sums =
      linalg::ReduceOp::create(
          b, loc, ValueRange{x}, ValueRange{zeroInit(b, loc, keptShape)}, dims,
          [](OpBuilder &nb, Location l, ValueRange args) {
            linalg::YieldOp::create(
                nb, l,
                arith::AddFOp::create(nb, l, args[0], args[1]).getResult());
          })
          .getResult(0);
  Value mean = arith::DivFOp::create(
      b, loc, sums,
      buildSplat(b, loc, sums.getType(), static_cast<float>(count)));
  if (static_cast<int64_t>(resultShape.size()) == kept)
    return mean;
  // keepdim: the reduced dimensions come back as size 1.
  return tensor::ExpandShapeOp::create(
      b, loc, RankedTensorType::get(resultShape, b.getF32Type()), mean,
      getKeepDimsReassociation(rank, kept));
}

//===----------------------------------------------------------------------===//
// Broadcasting
//===----------------------------------------------------------------------===//

Value reference::buildBroadcastTo(OpBuilder &b, Location loc, Value x,
                                  ArrayRef<int64_t> shape) {
  auto type = cast<RankedTensorType>(x.getType());
  if (type.getShape() == shape)
    return x;
  int64_t rank = shape.size(), offset = rank - type.getRank();
  // The dimensions of x that stay, and the result dimensions they fill.
  SmallVector<int64_t> kept, keptShape;
  for (int64_t i = 0; i < type.getRank(); ++i)
    if (type.getDimSize(i) == shape[offset + i]) {
      kept.push_back(i);
      keptShape.push_back(type.getDimSize(i));
    }
  Value source = x;
  if (static_cast<int64_t>(kept.size()) != type.getRank()) {
    // Each dropped unit dimension joins the group of the next kept one
    // (the last group takes the trailing ones).
    SmallVector<ReassociationIndices> groups;
    ReassociationIndices pending;
    for (int64_t i = 0; i < type.getRank(); ++i) {
      pending.push_back(i);
      if (llvm::is_contained(kept, i)) {
        groups.push_back(pending);
        pending.clear();
      }
    }
    if (!pending.empty() && !groups.empty())
      groups.back().append(pending.begin(), pending.end());
    source = tensor::CollapseShapeOp::create(b, loc, type.clone(keptShape), x,
                                             groups);
  }
  SmallVector<int64_t> added;
  for (int64_t d = 0; d < rank; ++d)
    if (d < offset || !llvm::is_contained(kept, d - offset))
      added.push_back(d);
  Value empty = emptyLike(b, loc, shape, type.getElementType());
  return linalg::BroadcastOp::create(b, loc, source, empty, added)
      .getResult()[0];
}

Value reference::matchBroadcastTo(Value value) {
  auto broadcast = singleUseDef<linalg::BroadcastOp>(value);
  if (!broadcast)
    return value;
  Value source = broadcast.getInput();
  if (auto collapse = singleUseDef<tensor::CollapseShapeOp>(source))
    return collapse.getSrc();
  return source;
}
