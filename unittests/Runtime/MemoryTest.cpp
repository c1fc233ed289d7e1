//===- MemoryTest.cpp - the runtime's buffer allocator --------------------===//

#include "qnn/Runtime/Memory.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>

namespace {

TEST(Memory, FreedBlocksAreReusedBySize) {
  size_t before = qnn_cached_bytes();
  void *a = _mlir_memref_to_llvm_alloc(1 << 20);
  ASSERT_NE(a, nullptr);
  std::memset(a, 1, 1 << 20);
  _mlir_memref_to_llvm_free(a);
  EXPECT_GT(qnn_cached_bytes(), before);
  // The same size gets the same block back; another size does not.
  void *b = _mlir_memref_to_llvm_alloc(1 << 20);
  EXPECT_EQ(a, b);
  EXPECT_EQ(qnn_cached_bytes(), before);
  void *c = _mlir_memref_to_llvm_alloc(1 << 19);
  EXPECT_NE(c, b);
  _mlir_memref_to_llvm_free(b);
  _mlir_memref_to_llvm_free(c);
  _mlir_memref_to_llvm_free(nullptr);
}

TEST(Memory, BlocksAreAligned) {
  for (size_t alignment : {1, 16, 64, 128, 4096}) {
    void *p = _mlir_memref_to_llvm_aligned_alloc(alignment, 100);
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(
        reinterpret_cast<uintptr_t>(p) % (alignment < 64 ? 64 : alignment), 0u);
    _mlir_memref_to_llvm_free(p);
  }
  void *p = _mlir_memref_to_llvm_alloc(3);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(p) % 64, 0u);
  _mlir_memref_to_llvm_free(p);
}

TEST(Memory, TheCacheIsBounded) {
  // Blocks beyond the cap go back to malloc: the cache does not grow past it.
  void *blocks[8];
  for (void *&block : blocks)
    block = _mlir_memref_to_llvm_alloc(size_t(64) << 20);
  for (void *block : blocks)
    _mlir_memref_to_llvm_free(block);
  EXPECT_LE(qnn_cached_bytes(), size_t(256) << 20);
}

} // namespace
