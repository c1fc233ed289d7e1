/*===- Gemm.h - qnn's int8 matrix multiplication micro-kernels ----*- C -*-===//
 *
 * The runtime library compiled models call for their int8 contractions
 * (like IREE's micro-kernels): the compiler lowers a Linear or a Conv to
 * im2col + this GEMM on a weight it packed at compile time, then applies the
 * engine's requantization itself. The GEMM is exact int32 arithmetic, so
 * which kernel runs (AMX, AVX-512 VNNI, portable) never changes a result;
 * the fastest one the CPU supports is chosen at run time.
 *
 *===----------------------------------------------------------------------===*/

#ifndef QNN_RUNTIME_GEMM_H
#define QNN_RUNTIME_GEMM_H

#include <stdint.h>

#include "qnn/Runtime/MemRef.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The packed weight layout: B[N][K] (int8, row n = output channel) stored as
 * [ceil(N / 16)][ceil(K / 4)][16][4], zero-padded, so that 16 consecutive
 * output channels times 4 consecutive k form one 64-byte row (the layout of
 * VNNI's vpdpbusd and of AMX's B tiles). */
enum { QNN_PACK_N = 16, QNN_PACK_K = 4 };

/* Packs B[N][K] (row stride ldb) into `packed`, which holds
 * ceil(N/16) * ceil(K/4) * 64 bytes. */
void qnn_pack_b_s8(int64_t n, int64_t k, const int8_t *b, int64_t ldb,
                   int8_t *packed);

/* C[M][N] += A[M][K] * B^T with A unsigned 8-bit (row stride lda), B packed
 * by qnn_pack_b_s8, C int32 (row stride ldc); int32 arithmetic wraps. */
void qnn_gemm_u8s8s32(int64_t m, int64_t n, int64_t k, const uint8_t *a,
                      int64_t lda, const int8_t *packed_b, int32_t *c,
                      int64_t ldc);

/* PyTorch's onednn arithmetic on x86 CPUs without VNNI: like
 * qnn_gemm_u8s8s32, but each pair of products of k = 2j, 2j + 1 is summed
 * into an int16 with saturation (vpmaddubsw) before the int32 accumulation
 * (K odd: the last product is paired with zero). */
void qnn_gemm_u8s8s32_sat16(int64_t m, int64_t n, int64_t k, const uint8_t *a,
                            int64_t lda, const int8_t *packed_b, int32_t *c,
                            int64_t ldc);

/* The instruction set qnn_gemm_u8s8s32 uses: "amx", "avx512vnni", "avx2"
 * or "portable". QNN_ISA in the environment caps it (for testing fallbacks). */
const char *qnn_gemm_isa(void);

/* MLIR C-interface entry point of `linalg.generic {library_call =
 * "qnn_gemm_u8s8s32"}`: C(m, n) += A(m, k) * B(n / 16, k / 4, n % 16, k % 4)
 * on strided memrefs (A: memref<?x?xi8>, B: memref<?x?x16x4xi8>,
 * C: memref<?x?xi32>), unit stride in the last dimension. */
void _mlir_ciface_qnn_gemm_u8s8s32(struct qnn_memref2d_u8 *a,
                                   struct qnn_memref4d_s8 *b,
                                   struct qnn_memref2d_s32 *c);

/* The same for `library_call = "qnn_gemm_u8s8s32_sat16"`. */
void _mlir_ciface_qnn_gemm_u8s8s32_sat16(struct qnn_memref2d_u8 *a,
                                         struct qnn_memref4d_s8 *b,
                                         struct qnn_memref2d_s32 *c);

#ifdef __cplusplus
}
#endif

#endif /* QNN_RUNTIME_GEMM_H */
