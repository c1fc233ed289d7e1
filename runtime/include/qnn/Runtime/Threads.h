/*===- Threads.h - how many threads the runtime's kernels use ------*- C
 *-*-===//
 *
 * The runtime's GEMM splits its output over a small pool of threads (the
 * caller is one of them). Every output element is computed by the same code
 * whatever the split, so results are bit-identical at any thread count.
 *
 * The count is, in order: the last qnn_set_num_threads, else QNN_NUM_THREADS
 * from the environment, else the CPUs this process may run on. Workers are
 * started on first use and exit after a second without work.
 *
 *===----------------------------------------------------------------------===*/

#ifndef QNN_RUNTIME_THREADS_H
#define QNN_RUNTIME_THREADS_H

#ifdef __cplusplus
extern "C" {
#endif

/* Sets the thread count (values below 1 mean 1; at most 256). */
void qnn_set_num_threads(int threads);
int qnn_get_num_threads(void);

#ifdef __cplusplus
}
#endif

#endif /* QNN_RUNTIME_THREADS_H */
