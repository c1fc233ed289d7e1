//===- DataMovement.cpp - qnn data movement ops to linalg -----------------===//
//
// Ops that only move codes: the same movement on the storage integers.
//
//===----------------------------------------------------------------------===//

#include "qnn/Conversion/QNNToLinalg/QNNToLinalg.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

#include <cmath>

using namespace mlir;
using namespace mlir::qnn;

namespace {
/// The input index each output index of one spatial dimension reads, as
/// torch's quantized upsample_nearest computes it in float.
SmallVector<int64_t> getNearestSources(int64_t in, int64_t out,
                                       std::optional<double> scale,
                                       bool exact) {
  float sc = scale ? static_cast<float>(1.0 / *scale)
                   : static_cast<float>(in) / static_cast<float>(out);
  SmallVector<int64_t> sources;
  for (int64_t o = 0; o < out; ++o) {
    float position = exact ? (static_cast<float>(o) + 0.5f) * sc
                           : static_cast<float>(o) * sc;
    sources.push_back(
        std::min(static_cast<int64_t>(std::floor(position)), in - 1));
  }
  return sources;
}

/// A gather of the codes: output [n, c, o...] is input [n, c, source(o)...].
struct UpsampleNearestToLinalg : OpConversionPattern<UpsampleNearestOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(UpsampleNearestOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto inType = cast<RankedTensorType>(op.getInput().getType());
    auto outType =
        cast<RankedTensorType>(getTypeConverter()->convertType(op.getType()));
    if (!inType.hasStaticShape() || !outType.hasStaticShape())
      return rewriter.notifyMatchFailure(op, "dynamic shapes");
    Location loc = op.getLoc();
    int64_t rank = inType.getRank();
    if (inType.getShape() == outType.getShape()) {
      rewriter.replaceOp(op, adaptor.getInput());
      return success();
    }
    SmallVector<Value> tables;
    for (int64_t d = 2; d < rank; ++d) {
      std::optional<double> scale;
      if (std::optional<ArrayRef<double>> scales = op.getScales())
        scale = (*scales)[d - 2];
      SmallVector<APInt> sources;
      for (int64_t s :
           getNearestSources(inType.getDimSize(d), outType.getDimSize(d), scale,
                             op.getExact()))
        sources.push_back(APInt(64, s));
      tables.push_back(arith::ConstantOp::create(
          rewriter, loc,
          DenseElementsAttr::get(RankedTensorType::get({outType.getDimSize(d)},
                                                       rewriter.getIndexType()),
                                 sources)));
    }
    Value input = adaptor.getInput();
    Value init = tensor::EmptyOp::create(rewriter, loc, outType.getShape(),
                                         outType.getElementType());
    SmallVector<utils::IteratorType> iterators(rank,
                                               utils::IteratorType::parallel);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{outType}, ValueRange{}, ValueRange{init},
        SmallVector<AffineMap>{rewriter.getMultiDimIdentityMap(rank)},
        iterators, [&](OpBuilder &b, Location l, ValueRange) {
          SmallVector<Value> indices;
          for (int64_t d = 0; d < rank; ++d) {
            Value index = linalg::IndexOp::create(b, l, d);
            if (d >= 2)
              index = tensor::ExtractOp::create(b, l, tables[d - 2],
                                                ValueRange{index});
            indices.push_back(index);
          }
          linalg::YieldOp::create(
              b, l,
              tensor::ExtractOp::create(b, l, input, indices).getResult());
        });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

struct PermuteToLinalg : OpConversionPattern<PermuteOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(PermuteOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type =
        cast<RankedTensorType>(getTypeConverter()->convertType(op.getType()));
    Value init = tensor::EmptyOp::create(rewriter, op.getLoc(), type.getShape(),
                                         type.getElementType());
    rewriter.replaceOp(op, linalg::TransposeOp::create(rewriter, op.getLoc(),
                                                       adaptor.getInput(), init,
                                                       op.getPermutation())
                               .getResult());
    return success();
  }
};
} // namespace

void mlir::qnn::populateQNNDataMovementToLinalgPatterns(
    const TypeConverter &converter, RewritePatternSet &patterns) {
  patterns.add<PermuteToLinalg, UpsampleNearestToLinalg>(converter,
                                                         patterns.getContext());
}
