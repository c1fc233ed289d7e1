//===- Parallel.h - the runtime's thread pool -------------------*- C++ -*-===//

#ifndef QNN_RUNTIME_LIB_PARALLEL_H
#define QNN_RUNTIME_LIB_PARALLEL_H

#include <cstdint>

namespace qnn::runtime {

/// Runs body(context, task) for every task in [0, tasks) on up to
/// qnn_get_num_threads() threads, the caller being one of them, and returns
/// when all have run. Tasks must be independent. A call made while another
/// thread's call holds the pool runs its tasks on the calling thread alone.
void parallelFor(int64_t tasks, void (*body)(void *context, int64_t task),
                 void *context);

template <typename Body> void parallelFor(int64_t tasks, const Body &body) {
  parallelFor(
      tasks,
      [](void *context, int64_t task) {
        (*static_cast<const Body *>(context))(task);
      },
      const_cast<Body *>(&body));
}

} // namespace qnn::runtime

#endif // QNN_RUNTIME_LIB_PARALLEL_H
