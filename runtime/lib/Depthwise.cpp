//===- Depthwise.cpp - int8 depthwise 2-D convolution kernel --------------===//
//
// Products of a u8 and an s8 are exact in int16 (at most 255 * 128): they
// are formed in 16-bit lanes and widened once. 3x3 kernels on AVX-512 have
// their own loop (the weights of 32 channels widened once per block in 9
// registers, each pixel's 32 sums in two); other shapes and ISAs run one
// loop nest compiled for AVX-512, AVX2 (target attributes, chosen by the
// GEMM's ISA selection, QNN_ISA) and the baseline.
//
//===----------------------------------------------------------------------===//

#include "qnn/Runtime/Depthwise.h"
#include "Kernels.h"
#include "Parallel.h"

#include <algorithm>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

using namespace qnn::runtime;

namespace {

struct Conv {
  const uint8_t *x;
  int64_t xStrides[4];
  const int8_t *w;
  int64_t wStrides[3];
  int32_t *out;
  int64_t outStrides[5];
  int64_t batch, outH, outW, kernelH, kernelW, channels;
};

/// The channels [c0, c0 + Block) of output pixel (n, oh, ow).
template <int64_t Stride, int64_t Block>
__attribute__((always_inline)) inline void pixel(const Conv &p, int64_t n,
                                                 int64_t oh, int64_t ow,
                                                 int64_t c0, int64_t count) {
  int32_t acc[Block];
  int32_t *out = p.out + n * p.outStrides[0] + oh * p.outStrides[1] +
                 ow * p.outStrides[2] + c0;
  for (int64_t c = 0; c < Block; ++c)
    acc[c] = c < count ? out[c] : 0;
  for (int64_t kh = 0; kh < p.kernelH; ++kh)
    for (int64_t kw = 0; kw < p.kernelW; ++kw) {
      const uint8_t *x = p.x + n * p.xStrides[0] +
                         (oh * Stride + kh) * p.xStrides[1] +
                         (ow * Stride + kw) * p.xStrides[2] + c0;
      const int8_t *w = p.w + kh * p.wStrides[0] + kw * p.wStrides[1] + c0;
      if (count == Block) {
        for (int64_t c = 0; c < Block; ++c)
          acc[c] += static_cast<int16_t>(static_cast<int16_t>(x[c]) *
                                         static_cast<int16_t>(w[c]));
      } else {
        for (int64_t c = 0; c < count; ++c)
          acc[c] += static_cast<int16_t>(static_cast<int16_t>(x[c]) *
                                         static_cast<int16_t>(w[c]));
      }
    }
  for (int64_t c = 0; c < count; ++c)
    out[c] = acc[c];
}

/// The output rows [row0, row1) of all images (row = n * outH + oh).
template <int64_t Stride>
__attribute__((always_inline)) inline void rows(const Conv &p, int64_t row0,
                                                int64_t row1) {
  constexpr int64_t block = 32;
  for (int64_t row = row0; row < row1; ++row) {
    int64_t n = row / p.outH, oh = row % p.outH;
    for (int64_t ow = 0; ow < p.outW; ++ow)
      for (int64_t c0 = 0; c0 < p.channels; c0 += block)
        pixel<Stride, block>(p, n, oh, ow, c0,
                             std::min(block, p.channels - c0));
  }
}

template <int64_t Stride>
void rowsBaseline(const Conv &p, int64_t a, int64_t b) {
  rows<Stride>(p, a, b);
}
#if defined(__x86_64__)
#define QNN_AVX512 __attribute__((target("avx512f,avx512bw,avx512vl")))

/// 32 channels of an output pixel of a 3x3 kernel: the weights widened to
/// int16 once per row (w[9]), the sums in two registers.
template <int64_t Stride>
QNN_AVX512 inline void pixel3x3Avx512(const Conv &p, const uint8_t *x,
                                      int32_t *out, const __m512i w[9],
                                      __mmask32 mask) {
  __mmask16 lo = static_cast<__mmask16>(mask),
            hi = static_cast<__mmask16>(mask >> 16);
  __m512i acc0 = _mm512_maskz_loadu_epi32(lo, out);
  __m512i acc1 = _mm512_maskz_loadu_epi32(hi, out + 16);
  for (int kh = 0; kh < 3; ++kh)
    for (int kw = 0; kw < 3; ++kw) {
      __m256i bytes = _mm256_maskz_loadu_epi8(mask, x + kh * p.xStrides[1] +
                                                        kw * p.xStrides[2]);
      __m512i prod =
          _mm512_mullo_epi16(_mm512_cvtepu8_epi16(bytes), w[kh * 3 + kw]);
      acc0 = _mm512_add_epi32(
          acc0, _mm512_cvtepi16_epi32(_mm512_castsi512_si256(prod)));
      acc1 = _mm512_add_epi32(
          acc1, _mm512_cvtepi16_epi32(_mm512_extracti64x4_epi64(prod, 1)));
    }
  _mm512_mask_storeu_epi32(out, lo, acc0);
  _mm512_mask_storeu_epi32(out + 16, hi, acc1);
}

template <int64_t Stride>
QNN_AVX512 void rows3x3Avx512(const Conv &p, int64_t row0, int64_t row1) {
  for (int64_t c0 = 0; c0 < p.channels; c0 += 32) {
    int64_t count = std::min<int64_t>(32, p.channels - c0);
    __mmask32 mask = count == 32 ? ~__mmask32(0) : (__mmask32(1) << count) - 1;
    __m512i w[9];
    for (int kh = 0; kh < 3; ++kh)
      for (int kw = 0; kw < 3; ++kw)
        w[kh * 3 + kw] = _mm512_cvtepi8_epi16(_mm256_maskz_loadu_epi8(
            mask, p.w + kh * p.wStrides[0] + kw * p.wStrides[1] + c0));
    for (int64_t row = row0; row < row1; ++row) {
      int64_t n = row / p.outH, oh = row % p.outH;
      const uint8_t *x =
          p.x + n * p.xStrides[0] + oh * Stride * p.xStrides[1] + c0;
      int32_t *out = p.out + n * p.outStrides[0] + oh * p.outStrides[1] + c0;
      for (int64_t ow = 0; ow < p.outW; ++ow)
        pixel3x3Avx512<Stride>(p, x + ow * Stride * p.xStrides[2],
                               out + ow * p.outStrides[2], w, mask);
    }
  }
}

template <int64_t Stride>
__attribute__((target("avx2"))) void rowsAvx2(const Conv &p, int64_t a,
                                              int64_t b) {
  rows<Stride>(p, a, b);
}
template <int64_t Stride>
__attribute__((target("avx512f,avx512bw"))) void
rowsAvx512(const Conv &p, int64_t a, int64_t b) {
  rows<Stride>(p, a, b);
}
#endif

template <int64_t Stride>
void run(qnn_memref4d_u8 *x, qnn_memref3d_s8 *w, qnn_memref5d_s32 *out) {
  Conv p;
  p.x = x->aligned + x->offset;
  p.w = w->aligned + w->offset;
  p.out = out->aligned + out->offset;
  std::copy(x->strides, x->strides + 4, p.xStrides);
  std::copy(w->strides, w->strides + 3, p.wStrides);
  std::copy(out->strides, out->strides + 5, p.outStrides);
  p.batch = out->sizes[0];
  p.outH = out->sizes[1];
  p.outW = out->sizes[2];
  p.channels = out->sizes[3];
  p.kernelH = w->sizes[0];
  p.kernelW = w->sizes[1];
  void (*body)(const Conv &, int64_t, int64_t) = rowsBaseline<Stride>;
  // Unit stride in the channels: every caller's layout (the strategy's
  // channels-last tensors); anything else takes the compiled loop's order.
  bool unitChannels =
      x->strides[3] == 1 && w->strides[2] == 1 && out->strides[3] == 1;
#if defined(__x86_64__)
  if (selectedAvx512())
    body = p.kernelH == 3 && p.kernelW == 3 ? rows3x3Avx512<Stride>
                                            : rowsAvx512<Stride>;
  else if (selectedIsa() == Isa::Avx2)
    body = rowsAvx2<Stride>;
#endif
  if (!unitChannels) {
    // Strided channels (never produced by qnn): the definition, plainly.
    for (int64_t n = 0; n < p.batch; ++n)
      for (int64_t oh = 0; oh < p.outH; ++oh)
        for (int64_t ow = 0; ow < p.outW; ++ow)
          for (int64_t c = 0; c < p.channels; ++c) {
            int32_t sum = 0;
            for (int64_t kh = 0; kh < p.kernelH; ++kh)
              for (int64_t kw = 0; kw < p.kernelW; ++kw)
                sum += static_cast<int32_t>(
                           p.x[n * p.xStrides[0] +
                               (oh * Stride + kh) * p.xStrides[1] +
                               (ow * Stride + kw) * p.xStrides[2] +
                               c * p.xStrides[3]]) *
                       p.w[kh * p.wStrides[0] + kw * p.wStrides[1] +
                           c * p.wStrides[2]];
            p.out[n * p.outStrides[0] + oh * p.outStrides[1] +
                  ow * p.outStrides[2] + c * p.outStrides[3]] += sum;
          }
    return;
  }
  int64_t total = p.batch * p.outH;
  // About 64 KiB of int32 output per task.
  int64_t perRow = std::max<int64_t>(1, p.outW * p.channels);
  int64_t tasks = std::clamp<int64_t>(total * perRow / 16384, 1, total);
  parallelFor(tasks, [&](int64_t task) {
    body(p, total * task / tasks, total * (task + 1) / tasks);
  });
}

} // namespace

void _mlir_ciface_qnn_depthwise_u8s8s32_s1(qnn_memref4d_u8 *x,
                                           qnn_memref3d_s8 *w,
                                           qnn_memref5d_s32 *out) {
  run<1>(x, w, out);
}

void _mlir_ciface_qnn_depthwise_u8s8s32_s2(qnn_memref4d_u8 *x,
                                           qnn_memref3d_s8 *w,
                                           qnn_memref5d_s32 *out) {
  run<2>(x, w, out);
}
