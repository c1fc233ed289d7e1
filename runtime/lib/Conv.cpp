//===- Conv.cpp - int8 3x3 convolution without im2col ---------------------===//

#include "qnn/Runtime/Conv.h"
#include "Kernels.h"
#include "Parallel.h"
#include "qnn/Runtime/Gemm.h"

#include <algorithm>
#include <cstring>
#include <vector>

using namespace qnn::runtime;

namespace {

struct Conv3x3 {
  const uint8_t *x;
  int64_t xStrides[4];
  const int8_t *w;
  int32_t *out;
  int64_t outStrides[4];
  int64_t outH, outW, inChannels, outChannels;
};

/// Output row `row` (= n * outH + oh): three GEMM K ranges, one per kernel
/// row, whose A rows are consecutive pixels of that input row, in place.
void rowInPlace(const Conv3x3 &p, int64_t row) {
  int64_t n = row / p.outH, oh = row % p.outH, run = 3 * p.inChannels;
  int32_t *c = p.out + n * p.outStrides[0] + oh * p.outStrides[1];
  for (int64_t kh = 0; kh < 3; ++kh) {
    const uint8_t *a =
        p.x + n * p.xStrides[0] + (oh + kh) * p.xStrides[1] - kh * run;
    GemmArgs g{p.outW, p.outChannels,  9 * p.inChannels, a, p.xStrides[2], p.w,
               c,      p.outStrides[2]};
#if defined(__x86_64__)
    gemmAvx512VnniBlock(g, 0, p.outW, 0, p.outChannels, kh * run,
                        (kh + 1) * run);
#else
    (void)g;
#endif
  }
}

/// The same through a buffer of the row's patches, for the other kernels.
void rowCopied(const Conv3x3 &p, int64_t row, std::vector<uint8_t> &patches) {
  int64_t n = row / p.outH, oh = row % p.outH, run = 3 * p.inChannels;
  int64_t k = 9 * p.inChannels;
  patches.resize(p.outW * k);
  for (int64_t ow = 0; ow < p.outW; ++ow)
    for (int64_t kh = 0; kh < 3; ++kh)
      std::memcpy(patches.data() + ow * k + kh * run,
                  p.x + n * p.xStrides[0] + (oh + kh) * p.xStrides[1] +
                      ow * p.xStrides[2],
                  run);
  qnn_gemm_u8s8s32(p.outW, p.outChannels, k, patches.data(), k, p.w,
                   p.out + n * p.outStrides[0] + oh * p.outStrides[1],
                   p.outStrides[2]);
}

} // namespace

void _mlir_ciface_qnn_conv2d_3x3s1_u8s8s32(qnn_memref4d_u8 *x,
                                           qnn_memref4d_s8 *w,
                                           qnn_memref4d_s32 *out) {
  Conv3x3 p;
  p.x = x->aligned + x->offset;
  p.w = w->aligned + w->offset;
  p.out = out->aligned + out->offset;
  std::copy(x->strides, x->strides + 4, p.xStrides);
  std::copy(out->strides, out->strides + 4, p.outStrides);
  p.outH = out->sizes[1];
  p.outW = out->sizes[2];
  p.outChannels = out->sizes[3];
  p.inChannels = x->sizes[3];
  // The caller's layout: channels contiguous, pixels C apart (so that a
  // patch row is one run), C a multiple of 4 (runs of whole K groups).
  if (x->strides[3] != 1 || x->strides[2] != p.inChannels ||
      out->strides[3] != 1 || p.inChannels % 4) {
    for (int64_t n = 0; n < out->sizes[0]; ++n)
      for (int64_t oh = 0; oh < p.outH; ++oh)
        for (int64_t ow = 0; ow < p.outW; ++ow)
          for (int64_t o = 0; o < p.outChannels; ++o) {
            int64_t kBlocks = (9 * p.inChannels + 3) / 4;
            int32_t sum = 0;
            for (int64_t kh = 0; kh < 3; ++kh)
              for (int64_t kw = 0; kw < 3; ++kw)
                for (int64_t c = 0; c < p.inChannels; ++c) {
                  int64_t kk = (kh * 3 + kw) * p.inChannels + c;
                  int8_t wv = p.w[((o / 16) * kBlocks + kk / 4) * 64 +
                                  (o % 16) * 4 + kk % 4];
                  sum +=
                      static_cast<int32_t>(
                          p.x[n * p.xStrides[0] + (oh + kh) * p.xStrides[1] +
                              (ow + kw) * p.xStrides[2] + c * p.xStrides[3]]) *
                      wv;
                }
            p.out[n * p.outStrides[0] + oh * p.outStrides[1] +
                  ow * p.outStrides[2] + o * p.outStrides[3]] += sum;
          }
    return;
  }
  int64_t rows = out->sizes[0] * p.outH;
  bool inPlace = selectedAvx512();
  parallelFor(rows, [&](int64_t row) {
    if (inPlace) {
      rowInPlace(p, row);
      return;
    }
    thread_local std::vector<uint8_t> patches;
    rowCopied(p, row, patches);
  });
}
