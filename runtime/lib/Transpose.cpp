//===- Transpose.cpp - 8-bit batched matrix transpose ---------------------===//
//
// 16 x 16 blocks with SSE2 (every x86-64 CPU): four rounds of unpacks, the
// classic byte transpose; the edges, and other CPUs, byte by byte.
//
//===----------------------------------------------------------------------===//

#include "qnn/Runtime/Transpose.h"

#include <cstdint>

#if defined(__x86_64__)
#include <emmintrin.h>
#endif

namespace {

void scalar(const int8_t *src, int64_t srcRow, int8_t *dst, int64_t dstRow,
            int64_t r0, int64_t r1, int64_t c0, int64_t c1) {
  for (int64_t r = r0; r < r1; ++r)
    for (int64_t c = c0; c < c1; ++c)
      dst[c * dstRow + r] = src[r * srcRow + c];
}

#if defined(__x86_64__)
/// Rows r..r+15, columns c..c+15 of src into dst.
void block16(const int8_t *src, int64_t srcRow, int8_t *dst, int64_t dstRow) {
  __m128i a[16], b[16], c[16], d[16];
  for (int i = 0; i < 16; ++i)
    a[i] = _mm_loadu_si128(reinterpret_cast<const __m128i *>(src + i * srcRow));
  // Bytes of row pairs.
  for (int i = 0; i < 8; ++i) {
    b[2 * i] = _mm_unpacklo_epi8(a[2 * i], a[2 * i + 1]);
    b[2 * i + 1] = _mm_unpackhi_epi8(a[2 * i], a[2 * i + 1]);
  }
  // c[4g + j]: columns 4j..4j+3 of rows 4g..4g+3, a column per 32-bit lane.
  for (int g = 0; g < 4; ++g) {
    c[4 * g] = _mm_unpacklo_epi16(b[4 * g], b[4 * g + 2]);
    c[4 * g + 1] = _mm_unpackhi_epi16(b[4 * g], b[4 * g + 2]);
    c[4 * g + 2] = _mm_unpacklo_epi16(b[4 * g + 1], b[4 * g + 3]);
    c[4 * g + 3] = _mm_unpackhi_epi16(b[4 * g + 1], b[4 * g + 3]);
  }
  // d[8h + m]: columns 2m, 2m+1 of rows 8h..8h+7, a column per 64 bits.
  for (int h = 0; h < 2; ++h)
    for (int j = 0; j < 4; ++j) {
      d[8 * h + 2 * j] = _mm_unpacklo_epi32(c[8 * h + j], c[8 * h + 4 + j]);
      d[8 * h + 2 * j + 1] = _mm_unpackhi_epi32(c[8 * h + j], c[8 * h + 4 + j]);
    }
  for (int m = 0; m < 8; ++m) {
    _mm_storeu_si128(reinterpret_cast<__m128i *>(dst + 2 * m * dstRow),
                     _mm_unpacklo_epi64(d[m], d[8 + m]));
    _mm_storeu_si128(reinterpret_cast<__m128i *>(dst + (2 * m + 1) * dstRow),
                     _mm_unpackhi_epi64(d[m], d[8 + m]));
  }
}
#endif

/// One matrix: R x C (row stride srcRow) into C x R (row stride dstRow).
void matrix(const int8_t *src, int64_t srcRow, int8_t *dst, int64_t dstRow,
            int64_t rows, int64_t cols) {
  int64_t r16 = 0, c16 = 0;
#if defined(__x86_64__)
  r16 = rows / 16 * 16;
  c16 = cols / 16 * 16;
  for (int64_t r = 0; r < r16; r += 16)
    for (int64_t c = 0; c < c16; c += 16)
      block16(src + r * srcRow + c, srcRow, dst + c * dstRow + r, dstRow);
#endif
  scalar(src, srcRow, dst, dstRow, 0, r16, c16, cols);
  scalar(src, srcRow, dst, dstRow, r16, rows, 0, cols);
}

} // namespace

void _mlir_ciface_qnn_transpose_8(qnn_memref3d_s8 *src, qnn_memref3d_s8 *dst) {
  const int8_t *s = src->aligned + src->offset;
  int8_t *d = dst->aligned + dst->offset;
  int64_t batch = src->sizes[0], rows = src->sizes[1], cols = src->sizes[2];
  if (src->strides[2] != 1 || dst->strides[2] != 1) {
    // Not produced by qnn: the definition, element by element.
    for (int64_t b = 0; b < batch; ++b)
      for (int64_t r = 0; r < rows; ++r)
        for (int64_t c = 0; c < cols; ++c)
          d[b * dst->strides[0] + c * dst->strides[1] + r * dst->strides[2]] =
              s[b * src->strides[0] + r * src->strides[1] +
                c * src->strides[2]];
    return;
  }
  for (int64_t b = 0; b < batch; ++b)
    matrix(s + b * src->strides[0], src->strides[1], d + b * dst->strides[0],
           dst->strides[1], rows, cols);
}
