/*===- Status.h - run-time errors of compiled models --------------*- C -*-===//
 *
 * Compiled code validates what only the call can know (embedding indices and
 * bag offsets). On the first invalid value it reports an error here and
 * goes on with safe values (every read stays in bounds), so the call
 * returns normally; its outputs are then meaningless. The caller clears the
 * status before a call and reads it after: qnn-run exits 1 with the
 * message, the Python package raises. The status is per thread, so
 * concurrent calls on different threads do not see each other's errors.
 *
 *===----------------------------------------------------------------------===*/

#ifndef QNN_RUNTIME_STATUS_H
#define QNN_RUNTIME_STATUS_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* What compiled code found wrong (the `kind` of qnn_report_error). */
enum qnn_error_kind {
  /* indices[position] = value is not in [0, bound). */
  QNN_ERROR_INDEX_OUT_OF_RANGE = 0,
  /* offsets[0] = value, but bags must start at 0. */
  QNN_ERROR_FIRST_OFFSET = 1,
  /* offsets[position] = value is smaller than offsets[position - 1] = bound. */
  QNN_ERROR_OFFSETS_DECREASE = 2,
  /* offsets[position] = value is past the end of the indices (bound). */
  QNN_ERROR_OFFSET_PAST_END = 3,
};

/* The operation that found it (the `op` of qnn_report_error). */
enum qnn_error_op {
  QNN_ERROR_OP_EMBEDDING = 0,
  QNN_ERROR_OP_EMBEDDING_BAG = 1,
};

/* Called by compiled code: records the error unless one is recorded
 * already (the first error of a call is the one reported). */
void qnn_report_error(int32_t op, int32_t kind, int64_t position, int64_t value,
                      int64_t bound);

/* Forgets any recorded error of this thread. */
void qnn_status_clear(void);

/* The message of this thread's recorded error, or NULL. */
const char *qnn_status_message(void);

#ifdef __cplusplus
}
#endif

#endif /* QNN_RUNTIME_STATUS_H */
