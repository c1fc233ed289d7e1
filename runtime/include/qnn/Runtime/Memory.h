/*===- Memory.h - the compiled models' buffer allocator ------------*- C
 *-*-===//
 *
 * Compiled models allocate their intermediate buffers through these
 * functions (MLIR's generic allocation functions, --use-generic-functions of
 * the memref-to-LLVM conversion) rather than malloc/free. glibc maps large
 * blocks fresh from the kernel and unmaps them when freed, so a model that
 * frees a buffer of a megabyte at each call page-faults it in again at the
 * next: on a depthwise conv half of the time went to the kernel. The
 * runtime keeps freed blocks by size for the next call instead (up to a cap,
 * thread-safe), which is what the same model asks for.
 *
 *===----------------------------------------------------------------------===*/

#ifndef QNN_RUNTIME_MEMORY_H
#define QNN_RUNTIME_MEMORY_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

void *_mlir_memref_to_llvm_alloc(size_t size);
void *_mlir_memref_to_llvm_aligned_alloc(size_t alignment, size_t size);
void _mlir_memref_to_llvm_free(void *ptr);

/* The bytes the cache holds now (for tests). */
size_t qnn_cached_bytes(void);

#ifdef __cplusplus
}
#endif

#endif /* QNN_RUNTIME_MEMORY_H */
