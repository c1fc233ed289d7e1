/*===- Depthwise.h - int8 depthwise 2-D convolution kernel ---------*- C
 *-*-===//
 *
 * The runtime's kernel for `qnn.int_conv` with the "depthwise" strategy in
 * 2-D with unit dilation and stride 1 or 2 (a linalg.generic with
 * `library_call = "qnn_depthwise_u8s8s32_s1"` or `"..._s2"`): channels
 * last, every output row's channels accumulated in registers over the
 * kernel window, the output rows split over the runtime's threads. Exact
 * int32 arithmetic, like the compiled loop it replaces.
 *
 *===----------------------------------------------------------------------===*/

#ifndef QNN_RUNTIME_DEPTHWISE_H
#define QNN_RUNTIME_DEPTHWISE_H

#include <stdint.h>

#include "qnn/Runtime/MemRef.h"

#ifdef __cplusplus
extern "C" {
#endif

/* out[n, oh, ow, c, 0] += sum over kh, kw of
 *   x[n, oh * S + kh, ow * S + kw, c] (unsigned) * w[kh, kw, c] (signed)
 * for S = 1 (_s1) or 2 (_s2); x is the padded input, channels last, unit
 * stride in its channels (so are w and out). */
void _mlir_ciface_qnn_depthwise_u8s8s32_s1(struct qnn_memref4d_u8 *x,
                                           struct qnn_memref3d_s8 *w,
                                           struct qnn_memref5d_s32 *out);
void _mlir_ciface_qnn_depthwise_u8s8s32_s2(struct qnn_memref4d_u8 *x,
                                           struct qnn_memref3d_s8 *w,
                                           struct qnn_memref5d_s32 *out);

#ifdef __cplusplus
}
#endif

#endif /* QNN_RUNTIME_DEPTHWISE_H */
