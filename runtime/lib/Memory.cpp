//===- Memory.cpp - a cache of the compiled models' freed buffers ---------===//
//
// Every block carries a header (its total size and where it starts) in
// front of the pointer handed out, so that free knows its size; freed
// blocks wait in a list per size for an allocation of that size. The cache
// holds at most kMaxCachedBytes; beyond that, blocks go back to malloc.
//
//===----------------------------------------------------------------------===//

#include "qnn/Runtime/Memory.h"

#include <cstdint>
#include <cstdlib>
#include <mutex>
#include <unordered_map>
#include <vector>

namespace {
constexpr size_t kHeader = 64;
constexpr size_t kMaxCachedBytes = size_t(256) << 20;

struct Header {
  void *base;
  size_t total;     // bytes allocated from malloc, header included
  size_t alignment; // the block's alignment (a power of two, >= kHeader)
};

struct Cache {
  std::mutex mutex;
  // Free blocks by (total, alignment).
  std::unordered_map<uint64_t, std::vector<void *>> blocks;
  size_t bytes = 0;
};

Cache &cache() {
  // Never destroyed: compiled code may free buffers during exit.
  static Cache *instance = new Cache;
  return *instance;
}

uint64_t keyOf(size_t total, size_t alignment) {
  return (static_cast<uint64_t>(total) << 8) |
         static_cast<uint64_t>(__builtin_ctzll(alignment));
}

void *allocate(size_t alignment, size_t size) {
  if (alignment < kHeader)
    alignment = kHeader;
  // The header sits in the `alignment` bytes before the pointer.
  size_t total = alignment + ((size + kHeader - 1) / kHeader) * kHeader;
  void *base = nullptr;
  {
    Cache &c = cache();
    std::lock_guard<std::mutex> lock(c.mutex);
    auto it = c.blocks.find(keyOf(total, alignment));
    if (it != c.blocks.end() && !it->second.empty()) {
      base = it->second.back();
      it->second.pop_back();
      c.bytes -= total;
    }
  }
  if (!base && posix_memalign(&base, alignment, total) != 0)
    return nullptr;
  char *ptr = static_cast<char *>(base) + alignment;
  auto *header = reinterpret_cast<Header *>(ptr - sizeof(Header));
  *header = {base, total, alignment};
  return ptr;
}
} // namespace

void *_mlir_memref_to_llvm_alloc(size_t size) {
  return allocate(kHeader, size);
}

void *_mlir_memref_to_llvm_aligned_alloc(size_t alignment, size_t size) {
  return allocate(alignment, size);
}

void _mlir_memref_to_llvm_free(void *ptr) {
  if (!ptr)
    return;
  Header header =
      *reinterpret_cast<Header *>(static_cast<char *>(ptr) - sizeof(Header));
  {
    Cache &c = cache();
    std::lock_guard<std::mutex> lock(c.mutex);
    if (c.bytes + header.total <= kMaxCachedBytes) {
      c.blocks[keyOf(header.total, header.alignment)].push_back(header.base);
      c.bytes += header.total;
      return;
    }
  }
  std::free(header.base);
}

size_t qnn_cached_bytes(void) {
  Cache &c = cache();
  std::lock_guard<std::mutex> lock(c.mutex);
  return c.bytes;
}
