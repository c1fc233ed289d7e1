/*===- Activations.h - float kernels of the dynamic modules ------*- C -*-===//
 *
 * The range a dynamic quantization chooses its parameters from, and the
 * vector bodies of ATen's sigmoid and tanh kernels (SLEEF's u10 expf and
 * tanhf, 8 lanes on AVX2) over a strided 2-D f32 tensor, which compiled
 * models call for qnn.float_activation without scalar ranges: the same
 * results as the element-wise loop they replace (SLEEF's 1-lane purecfma
 * functions compute what its 8-lane ones do), without a call per element.
 *
 *===----------------------------------------------------------------------===*/

#ifndef QNN_RUNTIME_ACTIVATIONS_H
#define QNN_RUNTIME_ACTIVATIONS_H

#include <stdint.h>

#include "qnn/Runtime/MemRef.h"

#ifdef __cplusplus
extern "C" {
#endif

/* out = 1 / (exp(0 - in) + 1) (ATen's vectorized sigmoid), element-wise;
 * `library_call = "qnn_sigmoid_f32"`. */
void _mlir_ciface_qnn_sigmoid_f32(struct qnn_memref2d_f32 *in,
                                  struct qnn_memref2d_f32 *out);

/* out = tanh(in) (SLEEF's u10 tanhf); `library_call = "qnn_tanh_f32"`. */
void _mlir_ciface_qnn_tanh_f32(struct qnn_memref2d_f32 *in,
                               struct qnn_memref2d_f32 *out);

/* min = minimum(min, x[i]), max = maximum(max, x[i]) over every element,
 * with arith.minimumf / maximumf's semantics (NaN propagates, -0 < +0),
 * starting from the values `min` and `max` hold: the reduction of
 * qnn.choose_qparams; `library_call = "qnn_range_f32"`. */
void _mlir_ciface_qnn_range_f32(struct qnn_memref1d_f32 *x,
                                struct qnn_memref0d_f32 *min,
                                struct qnn_memref0d_f32 *max);

#ifdef __cplusplus
}
#endif

#endif /* QNN_RUNTIME_ACTIVATIONS_H */
