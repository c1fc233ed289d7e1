//===- Status.cpp - run-time errors of compiled models --------------------===//

#include "qnn/Runtime/Status.h"

#include <cinttypes>
#include <cstdio>

namespace {
thread_local bool hasError = false;
thread_local char message[256];
} // namespace

extern "C" void qnn_report_error(int32_t opCode, int32_t kind, int64_t position,
                                 int64_t value, int64_t bound) {
  if (hasError)
    return;
  hasError = true;
  const char *op =
      opCode == QNN_ERROR_OP_EMBEDDING ? "qnn.embedding" : "qnn.embedding_bag";
  switch (kind) {
  case QNN_ERROR_INDEX_OUT_OF_RANGE:
    std::snprintf(message, sizeof(message),
                  "%s: index %" PRId64 " at position %" PRId64
                  " is out of range [0, %" PRId64 ")",
                  op, value, position, bound);
    break;
  case QNN_ERROR_FIRST_OFFSET:
    std::snprintf(message, sizeof(message),
                  "%s: offsets[0] is %" PRId64 ", the first bag must start "
                  "at 0",
                  op, value);
    break;
  case QNN_ERROR_OFFSETS_DECREASE:
    std::snprintf(message, sizeof(message),
                  "%s: offsets must be non-decreasing, offsets[%" PRId64
                  "] = %" PRId64 " is smaller than offsets[%" PRId64
                  "] = %" PRId64,
                  op, position, value, position - 1, bound);
    break;
  case QNN_ERROR_OFFSET_PAST_END:
    std::snprintf(message, sizeof(message),
                  "%s: offsets[%" PRId64 "] = %" PRId64
                  " is past the end of the %" PRId64 " indices",
                  op, position, value, bound);
    break;
  default:
    std::snprintf(message, sizeof(message), "%s: invalid input", op);
  }
}

extern "C" void qnn_status_clear(void) { hasError = false; }

extern "C" const char *qnn_status_message(void) {
  return hasError ? message : nullptr;
}
