/*===- MemRef.h - the memref descriptors the runtime's kernels take -*- C
 *-*-===//
 *
 * MLIR's C interface passes each memref as a pointer to its strided
 * descriptor: allocated and aligned pointers, offset, then sizes and
 * strides (in elements). One struct per element type and rank the
 * runtime's entry points use (`library_call`s lowered by
 * --qnn-library-calls), all declared here.
 *
 *===----------------------------------------------------------------------===*/

#ifndef QNN_RUNTIME_MEMREF_H
#define QNN_RUNTIME_MEMREF_H

#include <stdint.h>

#define QNN_MEMREF(NAME, ELEMENT, RANK)                                        \
  struct NAME {                                                                \
    ELEMENT *allocated, *aligned;                                              \
    int64_t offset, sizes[RANK], strides[RANK];                                \
  }

QNN_MEMREF(qnn_memref1d_f32, float, 1);
QNN_MEMREF(qnn_memref2d_f32, float, 2);
QNN_MEMREF(qnn_memref2d_u8, uint8_t, 2);
QNN_MEMREF(qnn_memref4d_u8, uint8_t, 4);
QNN_MEMREF(qnn_memref3d_s8, int8_t, 3);
QNN_MEMREF(qnn_memref4d_s8, int8_t, 4);
QNN_MEMREF(qnn_memref2d_s32, int32_t, 2);
QNN_MEMREF(qnn_memref4d_s32, int32_t, 4);
QNN_MEMREF(qnn_memref5d_s32, int32_t, 5);

#undef QNN_MEMREF

/* Rank 0: no sizes or strides. */
struct qnn_memref0d_f32 {
  float *allocated, *aligned;
  int64_t offset;
};

#endif /* QNN_RUNTIME_MEMREF_H */
