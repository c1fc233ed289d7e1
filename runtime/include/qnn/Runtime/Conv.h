/*===- Conv.h - int8 3x3 convolution without im2col ----------------*- C
 *-*-===//
 *
 * `qnn.int_conv` with the "im2col_gemm" strategy for a 3x3 kernel of stride
 * and dilation 1 on channels-last input with a multiple of 4 channels (a
 * linalg.generic with `library_call = "qnn_conv2d_3x3s1_u8s8s32"`): the
 * GEMM's rows read straight from the input (an output pixel's patch is
 * three contiguous runs of 3 x C bytes, one per kernel row) instead of an
 * im2col copy nine times the input's size. On AVX-512 VNNI the micro-kernel
 * reads the runs in place; elsewhere each output row's patches are copied
 * into a buffer that stays in cache and multiplied by the selected GEMM.
 * Output rows are split over the runtime's threads.
 *
 *===----------------------------------------------------------------------===*/

#ifndef QNN_RUNTIME_CONV_H
#define QNN_RUNTIME_CONV_H

#include "qnn/Runtime/MemRef.h"

#ifdef __cplusplus
extern "C" {
#endif

/* out[n, oh, ow, o] += sum over kh, kw, c of
 *   x[n, oh + kh, ow + kw, c] (unsigned) * w(o, (kh * 3 + kw) * C + c)
 * with w packed by qnn_pack_b_s8 (K = 9 * C); x is the padded input. */
void _mlir_ciface_qnn_conv2d_3x3s1_u8s8s32(struct qnn_memref4d_u8 *x,
                                           struct qnn_memref4d_s8 *w,
                                           struct qnn_memref4d_s32 *out);

#ifdef __cplusplus
}
#endif

#endif /* QNN_RUNTIME_CONV_H */
