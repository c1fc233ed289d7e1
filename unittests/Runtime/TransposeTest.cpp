//===- TransposeTest.cpp - the 8-bit transpose against its definition -----===//

#include "qnn/Runtime/Transpose.h"

#include "gtest/gtest.h"

#include <tuple>
#include <vector>

namespace {

class TransposeTest
    : public ::testing::TestWithParam<std::tuple<int64_t, int64_t, int64_t>> {};

TEST_P(TransposeTest, MatchesDefinition) {
  auto [batch, rows, cols] = GetParam();
  // A source whose rows are padded (a view), a dense destination.
  int64_t srcRow = cols + 5;
  std::vector<int8_t> src(batch * rows * srcRow), dst(batch * cols * rows, 0);
  for (size_t i = 0; i < src.size(); ++i)
    src[i] = static_cast<int8_t>(i * 131 + 7);
  qnn_memref3d_s8 s{src.data(),
                    src.data(),
                    0,
                    {batch, rows, cols},
                    {rows * srcRow, srcRow, 1}};
  qnn_memref3d_s8 d{
      dst.data(), dst.data(), 0, {batch, cols, rows}, {cols * rows, rows, 1}};
  _mlir_ciface_qnn_transpose_8(&s, &d);
  for (int64_t b = 0; b < batch; ++b)
    for (int64_t r = 0; r < rows; ++r)
      for (int64_t c = 0; c < cols; ++c)
        ASSERT_EQ(dst[(b * cols + c) * rows + r],
                  src[(b * rows + r) * srcRow + c])
            << b << ", " << r << ", " << c;
}

INSTANTIATE_TEST_SUITE_P(
    Shapes, TransposeTest,
    ::testing::Values(std::make_tuple(1, 1, 1), std::make_tuple(1, 16, 16),
                      std::make_tuple(2, 17, 35), std::make_tuple(1, 3, 50),
                      std::make_tuple(3, 33, 1), std::make_tuple(1, 64, 3136),
                      std::make_tuple(1, 3136, 64),
                      std::make_tuple(2, 48, 80)));

TEST(Transpose, StridedDestination) {
  // Columns of the destination two bytes apart: the element-wise path.
  int64_t rows = 5, cols = 19;
  std::vector<int8_t> src(rows * cols), dst(cols * rows * 2, 0);
  for (size_t i = 0; i < src.size(); ++i)
    src[i] = static_cast<int8_t>(i * 17 + 3);
  qnn_memref3d_s8 s{src.data(), src.data(), 0, {1, rows, cols}, {0, cols, 1}};
  qnn_memref3d_s8 d{
      dst.data(), dst.data(), 0, {1, cols, rows}, {0, rows * 2, 2}};
  _mlir_ciface_qnn_transpose_8(&s, &d);
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = 0; c < cols; ++c)
      ASSERT_EQ(dst[c * rows * 2 + r * 2], src[r * cols + c]);
}

} // namespace
