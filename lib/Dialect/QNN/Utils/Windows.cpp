//===- Windows.cpp - the windows of averages and nearest upsampling -------===//

#include "qnn/Dialect/QNN/Utils/Windows.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

#include <algorithm>
#include <cmath>

using namespace mlir;
using namespace mlir::qnn;

int64_t DimWindows::maxLength() const {
  return *std::max_element(length.begin(), length.end());
}

DimWindows qnn::getPoolWindows(int64_t n, int64_t out, int64_t kernel,
                               int64_t stride, int64_t pad) {
  DimWindows w;
  for (int64_t o = 0; o < out; ++o) {
    int64_t hs = o * stride - pad, he = std::min(hs + kernel, n + pad);
    int64_t begin = std::max<int64_t>(hs, 0), end = std::min(he, n);
    w.start.push_back(std::min(begin, n - 1));
    w.length.push_back(std::max<int64_t>(end - begin, 0));
    w.padded.push_back(he - hs);
  }
  return w;
}

DimWindows qnn::getAdaptiveWindows(int64_t n, int64_t out) {
  DimWindows w;
  for (int64_t o = 0; o < out; ++o) {
    float fo = static_cast<float>(out);
    auto begin =
        static_cast<int64_t>(std::floor(static_cast<float>(o * n) / fo));
    auto end =
        static_cast<int64_t>(std::ceil(static_cast<float>((o + 1) * n) / fo));
    w.start.push_back(begin);
    w.length.push_back(end - begin);
    w.padded.push_back(end - begin);
  }
  return w;
}

SmallVector<int64_t>
qnn::getAverageDivisors(const DimWindows &h, const DimWindows &w,
                        bool countIncludePad,
                        std::optional<int64_t> divisorOverride) {
  SmallVector<int64_t> divisors;
  for (size_t oh = 0; oh < h.start.size(); ++oh)
    for (size_t ow = 0; ow < w.start.size(); ++ow)
      divisors.push_back(divisorOverride   ? *divisorOverride
                         : countIncludePad ? h.padded[oh] * w.padded[ow]
                                           : h.length[oh] * w.length[ow]);
  return divisors;
}

/// A constant `index` tensor holding `values`.
static Value indexTable(OpBuilder &b, Location loc, ArrayRef<int64_t> values) {
  auto type = RankedTensorType::get({static_cast<int64_t>(values.size())},
                                    b.getIndexType());
  return arith::ConstantOp::create(
      b, loc,
      DenseElementsAttr::get(
          type, llvm::to_vector(llvm::map_range(
                    values, [&](int64_t v) { return APInt(64, v); }))));
}

Value qnn::buildWindowSums(
    OpBuilder &b, Location loc, Value input, const DimWindows &h,
    const DimWindows &w, Type accType,
    function_ref<Value(OpBuilder &, Location, Value)> widen) {
  MLIRContext *ctx = b.getContext();
  auto type = cast<RankedTensorType>(input.getType());
  int64_t n = type.getDimSize(0), c = type.getDimSize(1);
  SmallVector<int64_t> shape = {n, c, static_cast<int64_t>(h.start.size()),
                                static_cast<int64_t>(w.start.size())};
  bool isFloat = isa<FloatType>(accType);
  Value zero = arith::ConstantOp::create(b, loc, b.getZeroAttr(accType));
  Value init = linalg::FillOp::create(
                   b, loc, ValueRange{zero},
                   ValueRange{tensor::EmptyOp::create(b, loc, shape, accType)})
                   .getResult(0);
  Value hStart = indexTable(b, loc, h.start),
        hLength = indexTable(b, loc, h.length);
  Value wStart = indexTable(b, loc, w.start),
        wLength = indexTable(b, loc, w.length);
  Value window = tensor::EmptyOp::create(
      b, loc, ArrayRef<int64_t>{h.maxLength(), w.maxLength()}, b.getI8Type());
  auto d = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
  SmallVector<AffineMap> maps = {
      AffineMap::get(6, 0, {d(4), d(5)}, ctx),
      AffineMap::get(6, 0, {d(0), d(1), d(2), d(3)}, ctx)};
  SmallVector<utils::IteratorType> iterators(4, utils::IteratorType::parallel);
  iterators.append(2, utils::IteratorType::reduction);
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{init.getType()}, ValueRange{window}, ValueRange{init},
      maps, iterators, [&](OpBuilder &nb, Location l, ValueRange args) {
        auto index = [&](unsigned i) {
          return linalg::IndexOp::create(nb, l, i).getResult();
        };
        auto at = [&](Value table, Value i) {
          return tensor::ExtractOp::create(nb, l, table, ValueRange{i})
              .getResult();
        };
        Value oh = index(2), ow = index(3), jh = index(4), jw = index(5);
        Value inH = arith::CmpIOp::create(nb, l, arith::CmpIPredicate::ult, jh,
                                          at(hLength, oh));
        Value inW = arith::CmpIOp::create(nb, l, arith::CmpIPredicate::ult, jw,
                                          at(wLength, ow));
        Value inside = arith::AndIOp::create(nb, l, inH, inW);
        // Taps past a shorter window read its first row or column (always
        // in bounds) and are masked out.
        Value ih = arith::SelectOp::create(
            nb, l, inH, arith::AddIOp::create(nb, l, at(hStart, oh), jh),
            at(hStart, oh));
        Value iw = arith::SelectOp::create(
            nb, l, inW, arith::AddIOp::create(nb, l, at(wStart, ow), jw),
            at(wStart, ow));
        Value element = tensor::ExtractOp::create(
            nb, l, input, ValueRange{index(0), index(1), ih, iw});
        Value none = arith::ConstantOp::create(nb, l, nb.getZeroAttr(accType));
        Value tap =
            arith::SelectOp::create(nb, l, inside, widen(nb, l, element), none);
        Value sum =
            isFloat ? arith::AddFOp::create(nb, l, args[1], tap).getResult()
                    : arith::AddIOp::create(nb, l, args[1], tap).getResult();
        linalg::YieldOp::create(nb, l, sum);
      });
  return generic.getResult(0);
}

SmallVector<int64_t> qnn::getNearestSources(int64_t in, int64_t out,
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

Value qnn::buildNearestGather(OpBuilder &b, Location loc, Value input,
                              ArrayRef<int64_t> outShape,
                              std::optional<ArrayRef<double>> scales,
                              bool exact) {
  auto inType = cast<RankedTensorType>(input.getType());
  int64_t rank = inType.getRank();
  SmallVector<Value> tables;
  for (int64_t d = 2; d < rank; ++d) {
    std::optional<double> scale;
    if (scales)
      scale = (*scales)[d - 2];
    tables.push_back(indexTable(
        b, loc,
        getNearestSources(inType.getDimSize(d), outShape[d], scale, exact)));
  }
  Value init =
      tensor::EmptyOp::create(b, loc, outShape, inType.getElementType());
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{init.getType()}, ValueRange{}, ValueRange{init},
      SmallVector<AffineMap>{b.getMultiDimIdentityMap(rank)}, iterators,
      [&](OpBuilder &nb, Location l, ValueRange) {
        SmallVector<Value> indices;
        for (int64_t d = 0; d < rank; ++d) {
          Value index = linalg::IndexOp::create(nb, l, d);
          if (d >= 2)
            index = tensor::ExtractOp::create(nb, l, tables[d - 2],
                                              ValueRange{index});
          indices.push_back(index);
        }
        linalg::YieldOp::create(
            nb, l,
            tensor::ExtractOp::create(nb, l, input, indices).getResult());
      });
  return generic.getResult(0);
}

SmallVector<ReassociationIndices> qnn::getKeepDimsReassociation(int64_t rank,
                                                                int64_t kept) {
  SmallVector<ReassociationIndices> reassociation;
  for (int64_t i = 0; i < kept; ++i)
    reassociation.push_back({i});
  for (int64_t i = kept; kept > 0 && i < rank; ++i)
    reassociation.back().push_back(i);
  return reassociation;
}
