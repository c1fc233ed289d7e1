//===- Embedding.cpp - qnn.embedding and qnn.embedding_bag to linalg ------===//
//
// Both read rows of a table at run-time indices: a validation loop first
// reports every invalid index or offset to the runtime's status
// (runtime/include/qnn/Runtime/Status.h), then a linalg.generic over the
// result gathers (and for bags, reduces in an scf.for over the bag) with
// every position clamped into bounds, so no input makes the code read
// outside its tensors.
//
//===----------------------------------------------------------------------===//

#include "qnn/Conversion/QNNToLinalg/QNNToLinalg.h"
#include "qnn/Dialect/QNN/IR/QNNOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/SymbolTable.h"

using namespace mlir;
using namespace mlir::qnn;

namespace {

// The values of enum qnn_error_op / qnn_error_kind in Status.h.
enum class ErrorOp : int32_t { embedding = 0, embeddingBag = 1 };
enum class ErrorKind : int32_t {
  indexOutOfRange = 0,
  firstOffset = 1,
  offsetsDecrease = 2,
  offsetPastEnd = 3,
};

constexpr StringLiteral kReportError = "qnn_report_error";

/// Declares `qnn_report_error(i32 op, i32 kind, i64 position, i64 value,
/// i64 bound)` in the module once.
void declareReportError(OpBuilder &b, Operation *op) {
  auto module = op->getParentOfType<ModuleOp>();
  if (SymbolTable::lookupSymbolIn(module, kReportError))
    return;
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(module.getBody());
  Type i32 = b.getI32Type(), i64 = b.getI64Type();
  auto fn =
      func::FuncOp::create(b, op->getLoc(), kReportError,
                           b.getFunctionType({i32, i32, i64, i64, i64}, {}));
  fn.setPrivate();
}

Value i64Constant(OpBuilder &b, Location loc, int64_t value) {
  return arith::ConstantIntOp::create(b, loc, value, 64);
}

Value indexConstant(OpBuilder &b, Location loc, int64_t value) {
  return arith::ConstantIndexOp::create(b, loc, value);
}

/// `value` (i32 or i64) as i64.
Value toI64(OpBuilder &b, Location loc, Value value) {
  if (value.getType().isInteger(64))
    return value;
  return arith::ExtSIOp::create(b, loc, b.getI64Type(), value);
}

Value toIndex(OpBuilder &b, Location loc, Value value) {
  return arith::IndexCastOp::create(b, loc, b.getIndexType(), value);
}

/// Calls qnn_report_error when `failed` holds.
void reportIf(OpBuilder &b, Location loc, Value failed, ErrorOp op,
              ErrorKind kind, Value position, Value value, Value bound) {
  scf::IfOp::create(b, loc, failed, [&](OpBuilder &nb, Location nloc) {
    Value opCode =
        arith::ConstantIntOp::create(nb, nloc, static_cast<int32_t>(op), 32);
    Value kindCode =
        arith::ConstantIntOp::create(nb, nloc, static_cast<int32_t>(kind), 32);
    func::CallOp::create(nb, nloc, kReportError, TypeRange{},
                         ValueRange{opCode, kindCode, position, value, bound});
    scf::YieldOp::create(nb, nloc);
  });
}

/// Whether the i64 `index` is outside [0, rows).
Value outOfRange(OpBuilder &b, Location loc, Value index, int64_t rows) {
  Value below = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, index,
                                      i64Constant(b, loc, 0));
  Value above = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sge, index,
                                      i64Constant(b, loc, rows));
  return arith::OrIOp::create(b, loc, below, above);
}

/// Reports every index of the 1-D `indices` outside [0, rows).
void validateIndices(OpBuilder &b, Location loc, ErrorOp op, Value indices,
                     int64_t rows) {
  int64_t count = cast<RankedTensorType>(indices.getType()).getDimSize(0);
  scf::ForOp::create(
      b, loc, indexConstant(b, loc, 0), indexConstant(b, loc, count),
      indexConstant(b, loc, 1), ValueRange{},
      [&](OpBuilder &nb, Location nloc, Value i, ValueRange) {
        Value index =
            toI64(nb, nloc, tensor::ExtractOp::create(nb, nloc, indices, i));
        Value position =
            arith::IndexCastOp::create(nb, nloc, nb.getI64Type(), i);
        reportIf(nb, nloc, outOfRange(nb, nloc, index, rows), op,
                 ErrorKind::indexOutOfRange, position, index,
                 i64Constant(nb, nloc, rows));
        scf::YieldOp::create(nb, nloc);
      });
}

/// The row an i64 index reads: itself when valid, else row 0 (the call
/// has already been reported as failed).
Value safeRow(OpBuilder &b, Location loc, Value index, int64_t rows) {
  Value row = arith::SelectOp::create(b, loc, outOfRange(b, loc, index, rows),
                                      i64Constant(b, loc, 0), index);
  return toIndex(b, loc, row);
}

/// f32 of a scale or bias (f16 for 4-bit tables).
Value rowParameter(OpBuilder &b, Location loc, Value table, Value row) {
  Value value = tensor::ExtractOp::create(b, loc, table, row);
  if (!value.getType().isF32())
    value = arith::ExtFOp::create(b, loc, b.getF32Type(), value);
  return value;
}

/// The unsigned code `weight[row, d]` as f32 (a quantized table).
Value code(OpBuilder &b, Location loc, Value weight, Value row, Value d) {
  Value q = tensor::ExtractOp::create(b, loc, weight, ValueRange{row, d});
  return arith::UIToFPOp::create(b, loc, b.getF32Type(), q);
}

struct EmbeddingToLinalg : OpConversionPattern<EmbeddingOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(EmbeddingOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    // Static shapes: the pass checks every qnn op before converting.
    Location loc = op.getLoc();
    auto resultType = cast<RankedTensorType>(op.getType());
    int64_t rows = op.getWeight().getType().getDimSize(0);
    Value indices = adaptor.getIndices();
    auto indicesType = cast<RankedTensorType>(indices.getType());
    int64_t rank = indicesType.getRank();

    declareReportError(rewriter, op);
    SmallVector<ReassociationIndices> flatten;
    if (rank > 0)
      flatten.push_back(llvm::to_vector(llvm::seq<int64_t>(0, rank)));
    Value flat = indices;
    if (rank != 1)
      flat =
          rank == 0
              ? tensor::ExpandShapeOp::create(rewriter, loc,
                                              indicesType.clone({1}), indices,
                                              ArrayRef<ReassociationIndices>{})
                    .getResult()
              : tensor::CollapseShapeOp::create(rewriter, loc, indices, flatten)
                    .getResult();
    validateIndices(rewriter, loc, ErrorOp::embedding, flat, rows);

    MLIRContext *ctx = rewriter.getContext();
    int64_t numLoops = rank + 1;
    SmallVector<AffineMap> maps = {
        AffineMap::getMultiDimIdentityMap(numLoops, ctx).dropResult(rank),
        AffineMap::getMultiDimIdentityMap(numLoops, ctx)};
    Value init = tensor::EmptyOp::create(rewriter, loc, resultType.getShape(),
                                         rewriter.getF32Type());
    Value weight = adaptor.getWeight();
    ValueRange rowParameters = adaptor.getRowParameters();
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{resultType}, ValueRange{indices},
        ValueRange{init}, maps,
        SmallVector<utils::IteratorType>(numLoops,
                                         utils::IteratorType::parallel),
        [&](OpBuilder &b, Location nloc, ValueRange args) {
          Value row = safeRow(b, nloc, toI64(b, nloc, args[0]), rows);
          Value d = linalg::IndexOp::create(b, nloc, rank);
          Value y;
          if (rowParameters.empty())
            y = tensor::ExtractOp::create(b, nloc, weight, ValueRange{row, d});
          else
            y = math::FmaOp::create(
                b, nloc, rowParameter(b, nloc, rowParameters[0], row),
                code(b, nloc, weight, row, d),
                rowParameter(b, nloc, rowParameters[1], row));
          linalg::YieldOp::create(b, nloc, y);
        });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

struct EmbeddingBagToLinalg : OpConversionPattern<EmbeddingBagOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(EmbeddingBagOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto resultType = cast<RankedTensorType>(op.getType());
    auto weightType = cast<RankedTensorType>(op.getWeight().getType());
    int64_t rows = weightType.getDimSize(0);
    int64_t numIndices = op.getIndices().getType().getDimSize(0);
    int64_t numOffsets = op.getOffsets().getType().getDimSize(0);
    Value indices = adaptor.getIndices(), offsets = adaptor.getOffsets();

    declareReportError(rewriter, op);
    validateOffsets(rewriter, loc, offsets, numIndices);
    validateIndices(rewriter, loc, ErrorOp::embeddingBag, indices, rows);

    MLIRContext *ctx = rewriter.getContext();
    Value init = tensor::EmptyOp::create(rewriter, loc, resultType.getShape(),
                                         rewriter.getF32Type());
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{resultType}, ValueRange{}, ValueRange{init},
        SmallVector<AffineMap>{AffineMap::getMultiDimIdentityMap(2, ctx)},
        SmallVector<utils::IteratorType>(2, utils::IteratorType::parallel),
        [&](OpBuilder &b, Location nloc, ValueRange) {
          Value bag = linalg::IndexOp::create(b, nloc, 0);
          Value d = linalg::IndexOp::create(b, nloc, 1);
          auto [start, end] =
              bagBounds(b, nloc, offsets, bag, numOffsets, numIndices);
          linalg::YieldOp::create(
              b, nloc, reduceBag(b, nloc, op, adaptor, start, end, d, rows));
        });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }

  /// Reports offsets that do not start at 0, decrease or pass the end.
  static void validateOffsets(OpBuilder &b, Location loc, Value offsets,
                              int64_t numIndices) {
    int64_t count = cast<RankedTensorType>(offsets.getType()).getDimSize(0);
    Value end = i64Constant(b, loc, numIndices);
    scf::ForOp::create(
        b, loc, indexConstant(b, loc, 0), indexConstant(b, loc, count),
        indexConstant(b, loc, 1), ValueRange{i64Constant(b, loc, 0)},
        [&](OpBuilder &nb, Location nloc, Value j, ValueRange iter) {
          Value offset =
              toI64(nb, nloc, tensor::ExtractOp::create(nb, nloc, offsets, j));
          Value position =
              arith::IndexCastOp::create(nb, nloc, nb.getI64Type(), j);
          Value first =
              arith::CmpIOp::create(nb, nloc, arith::CmpIPredicate::eq, j,
                                    indexConstant(nb, nloc, 0));
          Value nonZero =
              arith::CmpIOp::create(nb, nloc, arith::CmpIPredicate::ne, offset,
                                    i64Constant(nb, nloc, 0));
          reportIf(nb, nloc, arith::AndIOp::create(nb, nloc, first, nonZero),
                   ErrorOp::embeddingBag, ErrorKind::firstOffset, position,
                   offset, i64Constant(nb, nloc, 0));
          // iter[0] is the previous offset (0 before the first).
          Value decreases = arith::CmpIOp::create(
              nb, nloc, arith::CmpIPredicate::slt, offset, iter[0]);
          reportIf(nb, nloc, decreases, ErrorOp::embeddingBag,
                   ErrorKind::offsetsDecrease, position, offset, iter[0]);
          Value past = arith::CmpIOp::create(
              nb, nloc, arith::CmpIPredicate::sgt, offset, end);
          reportIf(nb, nloc, past, ErrorOp::embeddingBag,
                   ErrorKind::offsetPastEnd, position, offset, end);
          scf::YieldOp::create(nb, nloc, offset);
        });
  }

  /// The positions [start, end) of bag `bag`, clamped to 0 <= start <= end
  /// <= numIndices whatever the offsets hold.
  static std::pair<Value, Value> bagBounds(OpBuilder &b, Location loc,
                                           Value offsets, Value bag,
                                           int64_t numOffsets,
                                           int64_t numIndices) {
    Value zero = indexConstant(b, loc, 0);
    Value length = indexConstant(b, loc, numIndices);
    auto clamp = [&](Value value, Value lo) {
      return arith::MinSIOp::create(
          b, loc, arith::MaxSIOp::create(b, loc, value, lo), length);
    };
    auto offsetAt = [&](Value j) {
      return toIndex(
          b, loc, toI64(b, loc, tensor::ExtractOp::create(b, loc, offsets, j)));
    };
    Value start = clamp(offsetAt(bag), zero);
    // The next offset, or the end of the indices after the last one.
    Value next = arith::AddIOp::create(b, loc, bag, indexConstant(b, loc, 1));
    Value isLast =
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sge, next,
                              indexConstant(b, loc, numOffsets));
    Value nextInBounds = arith::MinSIOp::create(
        b, loc, next, indexConstant(b, loc, numOffsets - 1));
    Value end =
        arith::SelectOp::create(b, loc, isLast, length, offsetAt(nextInBounds));
    return {start, clamp(end, start)};
  }

  /// The bag's element `d`: its rows reduced by the op's mode.
  static Value reduceBag(OpBuilder &b, Location loc, EmbeddingBagOp op,
                         OpAdaptor adaptor, Value start, Value end, Value d,
                         int64_t rows) {
    Type f32 = b.getF32Type();
    Value zero = arith::ConstantFloatOp::create(b, loc, cast<FloatType>(f32),
                                                APFloat(0.0f));
    Value noRows = i64Constant(b, loc, 0);
    BagMode mode = op.getMode();
    std::optional<int64_t> padding = op.getPaddingIdx();
    auto loop = scf::ForOp::create(
        b, loc, start, end, indexConstant(b, loc, 1), ValueRange{zero, noRows},
        [&](OpBuilder &nb, Location nloc, Value i, ValueRange iter) {
          Value acc = iter[0], count = iter[1];
          Value index = toI64(
              nb, nloc,
              tensor::ExtractOp::create(nb, nloc, adaptor.getIndices(), i));
          Value row = safeRow(nb, nloc, index, rows);
          Value w;
          if (Value weights = adaptor.getPerSampleWeights())
            w = tensor::ExtractOp::create(nb, nloc, weights, i);
          ValueRange rowParameters = adaptor.getRowParameters();
          // A row's element and how it is added: torch's quantized kernel
          // (fma(s, q, acc + b)) or its float EmbeddingBag (acc + v, or
          // fma(w, v, acc) with a per-sample weight).
          Value value, added;
          if (rowParameters.empty()) {
            value = tensor::ExtractOp::create(nb, nloc, adaptor.getWeight(),
                                              ValueRange{row, d});
            added = w ? math::FmaOp::create(nb, nloc, w, value, acc).getResult()
                      : arith::AddFOp::create(nb, nloc, acc, value).getResult();
          } else {
            Value scale = rowParameter(nb, nloc, rowParameters[0], row);
            Value bias = rowParameter(nb, nloc, rowParameters[1], row);
            if (w) {
              scale = arith::MulFOp::create(nb, nloc, w, scale);
              bias = arith::MulFOp::create(nb, nloc, w, bias);
            }
            Value q = code(nb, nloc, adaptor.getWeight(), row, d);
            value = math::FmaOp::create(nb, nloc, scale, q, bias);
            added = math::FmaOp::create(
                nb, nloc, scale, q, arith::AddFOp::create(nb, nloc, acc, bias));
          }
          Value next = added;
          if (mode == BagMode::max) {
            Value first = arith::CmpIOp::create(
                nb, nloc, arith::CmpIPredicate::eq, count, noRows);
            next = arith::SelectOp::create(
                nb, nloc, first, value,
                arith::MaximumFOp::create(nb, nloc, acc, value));
          }
          Value nextCount =
              arith::AddIOp::create(nb, nloc, count, i64Constant(nb, nloc, 1));
          if (padding) {
            Value skip =
                arith::CmpIOp::create(nb, nloc, arith::CmpIPredicate::eq, index,
                                      i64Constant(nb, nloc, *padding));
            next = arith::SelectOp::create(nb, nloc, skip, acc, next);
            nextCount =
                arith::SelectOp::create(nb, nloc, skip, count, nextCount);
          }
          scf::YieldOp::create(nb, nloc, ValueRange{next, nextCount});
        });
    Value result = loop.getResult(0);
    if (mode == BagMode::mean) {
      Value count = loop.getResult(1);
      Value empty = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq,
                                          count, noRows);
      Value quotient = arith::DivFOp::create(
          b, loc, result, arith::SIToFPOp::create(b, loc, f32, count));
      result = arith::SelectOp::create(b, loc, empty, zero, quotient);
    }
    return result;
  }
};
} // namespace

void mlir::qnn::populateQNNEmbeddingToLinalgPatterns(
    const TypeConverter &converter, RewritePatternSet &patterns) {
  patterns.add<EmbeddingToLinalg, EmbeddingBagToLinalg>(converter,
                                                        patterns.getContext());
}
