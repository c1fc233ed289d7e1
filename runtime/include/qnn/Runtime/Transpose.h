/*===- Transpose.h - 8-bit batched matrix transpose ----------------*- C
 *-*-===//
 *
 * Where an activation must change layout (NCHW <-> NHWC at a model's edges:
 * its input before the first conv, its result after the last), compiled
 * code calls this for the 8-bit tensors (a linalg.generic with
 * `library_call = "qnn_transpose_8"`): dst[b][c][r] = src[b][r][c], in
 * 16 x 16 blocks transposed in registers. A compiled loop nest writes (or
 * reads) one byte at a time with a stride.
 *
 *===----------------------------------------------------------------------===*/

#ifndef QNN_RUNTIME_TRANSPOSE_H
#define QNN_RUNTIME_TRANSPOSE_H

#include <stdint.h>

#include "qnn/Runtime/MemRef.h"

#ifdef __cplusplus
extern "C" {
#endif

/* dst[b][c][r] = src[b][r][c]; src is B x R x C, dst B x C x R. */
void _mlir_ciface_qnn_transpose_8(struct qnn_memref3d_s8 *src,
                                  struct qnn_memref3d_s8 *dst);

#ifdef __cplusplus
}
#endif

#endif /* QNN_RUNTIME_TRANSPOSE_H */
