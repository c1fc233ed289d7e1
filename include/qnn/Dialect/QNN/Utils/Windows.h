//===- Windows.h - the windows of averages and nearest upsampling -*- C++
//-*-===//
//
// Which inputs each output of an average pooling, an adaptive average
// pooling or a nearest upsampling reads, computed at compile time exactly
// as PyTorch's kernels compute them, and the IR that reads them. Shared by
// the reference form (float values) and the integer lowering (codes), so
// that both read the same taps.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_DIALECT_QNN_UTILS_WINDOWS_H
#define QNN_DIALECT_QNN_UTILS_WINDOWS_H

#include "mlir/Dialect/Utils/ReshapeOpsUtils.h"
#include "mlir/IR/Builders.h"

#include <optional>

namespace mlir::qnn {

/// The windows of one spatial dimension: output o averages the input from
/// `start[o]` to `start[o] + length[o]`; `padded[o]` is the window's size
/// clipped to the padded input (avg_pool's count_include_pad divisor).
struct DimWindows {
  SmallVector<int64_t> start, length, padded;
  int64_t maxLength() const;
};

/// avg_pool2d's windows: `hs = o * s - p`, `he = min(hs + k, n + p)`,
/// clipped to [0, n).
DimWindows getPoolWindows(int64_t n, int64_t out, int64_t kernel,
                          int64_t stride, int64_t pad);

/// adaptive_avg_pool2d's windows, with torch's float bounds:
/// `floor(f32(o * n) / f32(out))` to `ceil(f32((o + 1) * n) / f32(out))`.
DimWindows getAdaptiveWindows(int64_t n, int64_t out);

/// avg_pool2d's divisor for each output position (row-major over oh, ow):
/// `divisorOverride` if given, else the window clipped to the padded input
/// (`countIncludePad`) or to the input.
SmallVector<int64_t> getAverageDivisors(const DimWindows &h,
                                        const DimWindows &w,
                                        bool countIncludePad,
                                        std::optional<int64_t> divisorOverride);

/// The sums of an `N x C x H x W` tensor over the windows `h` x `w`, as a
/// tensor of `accType`: a gather of each window's taps (windows may overlap
/// and differ in size) with loops n, c, oh, ow, jh, jw. `widen` converts an
/// element to `accType`; the sum is arith.addf for a float accumulator,
/// arith.addi otherwise.
Value buildWindowSums(OpBuilder &b, Location loc, Value input,
                      const DimWindows &h, const DimWindows &w, Type accType,
                      function_ref<Value(OpBuilder &, Location, Value)> widen);

/// The input index each output index of one spatial dimension reads, as
/// torch's quantized upsample_nearest computes it in float: `min(floor(f32(o
/// * sc)), in - 1)` (`exact`: `(o + 0.5) * sc`), `sc = f32(1 / scale)` for a
/// user-given scale factor, else `f32(in) / f32(out)`.
SmallVector<int64_t> getNearestSources(int64_t in, int64_t out,
                                       std::optional<double> scale, bool exact);

/// Nearest upsampling of an `N x C x spatial...` tensor of any element type
/// to `outShape`: output [n, c, o...] is input [n, c, source(o)...].
/// `scales` are the user's scale factors per spatial dimension, if any.
Value buildNearestGather(OpBuilder &b, Location loc, Value input,
                         ArrayRef<int64_t> outShape,
                         std::optional<ArrayRef<double>> scales, bool exact);

/// The reassociation that expands the result of a reduction over the
/// trailing dimensions of a rank-`rank` tensor, which keeps its first
/// `kept`, to keepdim's shape: the size-1 dimensions fold into the last
/// kept one (none at all when nothing is kept: from rank 0).
SmallVector<ReassociationIndices> getKeepDimsReassociation(int64_t rank,
                                                           int64_t kept);

} // namespace mlir::qnn

#endif // QNN_DIALECT_QNN_UTILS_WINDOWS_H
