//===- ParallelTest.cpp - the runtime's thread pool -----------------------===//

#include "../../runtime/lib/Parallel.h"
#include "qnn/Runtime/Threads.h"

#include "gtest/gtest.h"

#include <atomic>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

namespace {

using qnn::runtime::parallelFor;

/// Restores the process's thread count.
struct ThreadCount {
  explicit ThreadCount(int threads) : saved(qnn_get_num_threads()) {
    qnn_set_num_threads(threads);
  }
  ~ThreadCount() { qnn_set_num_threads(saved); }
  int saved;
};

TEST(Parallel, RunsEveryTaskOnce) {
  for (int threads : {1, 2, 5}) {
    ThreadCount count(threads);
    for (int64_t tasks : {0, 1, 2, 3, 17, 1000}) {
      std::vector<std::atomic<int>> runs(tasks);
      parallelFor(tasks, [&](int64_t task) { runs[task].fetch_add(1); });
      for (int64_t task = 0; task < tasks; ++task)
        EXPECT_EQ(runs[task].load(), 1) << threads << " threads, task " << task;
    }
  }
}

TEST(Parallel, UsesAtMostTheThreadCount) {
  // Start 6 workers, then ask for 2: the extra ones must sit out.
  {
    ThreadCount count(6);
    parallelFor(6, [](int64_t) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    });
  }
  ThreadCount count(2);
  std::mutex mutex;
  std::set<std::thread::id> seen;
  parallelFor(64, [&](int64_t) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
    std::lock_guard<std::mutex> lock(mutex);
    seen.insert(std::this_thread::get_id());
  });
  EXPECT_LE(seen.size(), 2u);
  EXPECT_GE(seen.size(), 1u);
}

TEST(Parallel, ConcurrentCallers) {
  // Callers on 4 threads at once: whoever finds the pool busy runs alone;
  // every caller's tasks all run, once.
  ThreadCount count(3);
  std::vector<std::thread> callers;
  std::atomic<int> failures{0};
  for (int c = 0; c < 4; ++c)
    callers.emplace_back([&] {
      for (int round = 0; round < 50; ++round) {
        std::vector<std::atomic<int>> runs(37);
        parallelFor(37, [&](int64_t task) { runs[task].fetch_add(1); });
        for (auto &r : runs)
          failures += r.load() != 1;
      }
    });
  for (auto &t : callers)
    t.join();
  EXPECT_EQ(failures.load(), 0);
}

TEST(Parallel, ClampsTheCount) {
  ThreadCount count(0);
  EXPECT_EQ(qnn_get_num_threads(), 1);
  qnn_set_num_threads(100000);
  EXPECT_EQ(qnn_get_num_threads(), 256);
}

} // namespace
