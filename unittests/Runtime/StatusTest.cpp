//===- StatusTest.cpp - the run-time error status
//--------------------------===//

#include "qnn/Runtime/Status.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>

namespace {

TEST(Status, FirstErrorOfACallIsReported) {
  qnn_status_clear();
  EXPECT_EQ(qnn_status_message(), nullptr);
  qnn_report_error(QNN_ERROR_OP_EMBEDDING_BAG, QNN_ERROR_INDEX_OUT_OF_RANGE, 2,
                   10, 10);
  qnn_report_error(QNN_ERROR_OP_EMBEDDING_BAG, QNN_ERROR_FIRST_OFFSET, 0, 1, 0);
  ASSERT_NE(qnn_status_message(), nullptr);
  EXPECT_EQ(
      std::string(qnn_status_message()),
      "qnn.embedding_bag: index 10 at position 2 is out of range [0, 10)");
  qnn_status_clear();
  EXPECT_EQ(qnn_status_message(), nullptr);
}

TEST(Status, EveryKindHasAMessage) {
  struct Case {
    int32_t op, kind;
    int64_t position, value, bound;
    const char *message;
  } cases[] = {
      {QNN_ERROR_OP_EMBEDDING, QNN_ERROR_INDEX_OUT_OF_RANGE, 1, -3, 7,
       "qnn.embedding: index -3 at position 1 is out of range [0, 7)"},
      {QNN_ERROR_OP_EMBEDDING_BAG, QNN_ERROR_FIRST_OFFSET, 0, 4, 0,
       "qnn.embedding_bag: offsets[0] is 4, the first bag must start at 0"},
      {QNN_ERROR_OP_EMBEDDING_BAG, QNN_ERROR_OFFSETS_DECREASE, 3, 1, 5,
       "qnn.embedding_bag: offsets must be non-decreasing, offsets[3] = 1 is "
       "smaller than offsets[2] = 5"},
      {QNN_ERROR_OP_EMBEDDING_BAG, QNN_ERROR_OFFSET_PAST_END, 2, 9, 8,
       "qnn.embedding_bag: offsets[2] = 9 is past the end of the 8 indices"},
  };
  for (const Case &c : cases) {
    qnn_status_clear();
    qnn_report_error(c.op, c.kind, c.position, c.value, c.bound);
    ASSERT_NE(qnn_status_message(), nullptr);
    EXPECT_EQ(std::string(qnn_status_message()), c.message);
  }
  qnn_status_clear();
}

TEST(Status, IsPerThread) {
  qnn_status_clear();
  std::thread other([] {
    qnn_report_error(QNN_ERROR_OP_EMBEDDING, QNN_ERROR_INDEX_OUT_OF_RANGE, 0, 5,
                     5);
    EXPECT_NE(qnn_status_message(), nullptr);
  });
  other.join();
  EXPECT_EQ(qnn_status_message(), nullptr);
}

} // namespace
