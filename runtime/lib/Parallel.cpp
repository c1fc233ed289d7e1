//===- Parallel.cpp - the runtime's thread pool ---------------------------===//
//
// One pool per copy of the runtime (each compiled model's shared library
// links its own). Workers are detached threads started when a parallelFor
// needs them and exit after a second without work, so loading many models
// leaves no idle threads behind; the pool itself is never destroyed (a
// worker may outlive static destructors at exit).
//
//===----------------------------------------------------------------------===//

#include "Parallel.h"
#include "qnn/Runtime/Threads.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <thread>

#if defined(__linux__)
#include <sched.h>
#endif

using namespace qnn::runtime;

namespace {

constexpr int kMaxThreads = 256;

int defaultThreads() {
  if (const char *env = std::getenv("QNN_NUM_THREADS")) {
    char *end;
    long value = std::strtol(env, &end, 10);
    if (end != env && *end == '\0')
      return static_cast<int>(std::clamp<long>(value, 1, kMaxThreads));
  }
#if defined(__linux__)
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof(set), &set) == 0)
    return std::clamp(CPU_COUNT(&set), 1, kMaxThreads);
#endif
  return static_cast<int>(std::clamp(std::thread::hardware_concurrency(), 1u,
                                     unsigned(kMaxThreads)));
}

std::atomic<int> &threadCount() {
  static std::atomic<int> count{defaultThreads()};
  return count;
}

/// How long a worker polls for the next job before it sleeps: waking a
/// sleeping thread costs tens of microseconds (more on a virtual CPU the
/// hypervisor halted), as much as a whole GEMM of a small Linear.
constexpr auto kSpin = std::chrono::milliseconds(1);

/// Polls `done` with pause instructions for up to kSpin; whether it held.
template <typename Done> bool spinUntil(const Done &done) {
  auto deadline = std::chrono::steady_clock::now() + kSpin;
  while (!done()) {
    for (int i = 0; i < 64; ++i) {
#if defined(__x86_64__)
      __builtin_ia32_pause();
#elif defined(__aarch64__)
      asm volatile("yield");
#endif
    }
    if (std::chrono::steady_clock::now() > deadline)
      return done();
  }
  return true;
}

class Pool {
public:
  void run(int64_t tasks, int helpers, void (*body)(void *, int64_t),
           void *context);

private:
  void work(uint64_t seen);
  void drain();

  std::mutex mutex;
  std::condition_variable wake, finished;
  // Guarded by `mutex`.
  int alive = 0;
  // Written under `mutex`; read by polling workers and callers.
  std::atomic<uint64_t> generation{0};
  std::atomic<int> running{0};
  // The current job, written before `generation` changes.
  void (*body)(void *, int64_t) = nullptr;
  void *context = nullptr;
  int64_t tasks = 0;
  std::atomic<int64_t> next{0};
  // Workers beyond the requested count (left from a larger one) sit out.
  std::atomic<int> slots{0};
};

void Pool::drain() {
  for (int64_t task; (task = next.fetch_add(1)) < tasks;)
    body(context, task);
}

void Pool::work(uint64_t seen) {
  auto changed = [&] { return generation.load() != seen; };
  while (true) {
    if (!spinUntil(changed)) {
      std::unique_lock<std::mutex> lock(mutex);
      if (!wake.wait_for(lock, std::chrono::seconds(1), changed)) {
        --alive;
        return;
      }
    }
    seen = generation.load();
    if (slots.fetch_sub(1) > 0)
      drain();
    if (running.fetch_sub(1) == 1) {
      // Under the lock: the caller checks `running` under it before it
      // sleeps, so the notification cannot fall between the two.
      std::lock_guard<std::mutex> lock(mutex);
      finished.notify_one();
    }
  }
}

void Pool::run(int64_t newTasks, int helpers, void (*newBody)(void *, int64_t),
               void *newContext) {
  std::unique_lock<std::mutex> lock(mutex);
  for (; alive < helpers; ++alive)
    std::thread([this, seen = generation.load()] { work(seen); }).detach();
  body = newBody;
  context = newContext;
  tasks = newTasks;
  next.store(0);
  slots.store(helpers);
  running.store(alive);
  generation.fetch_add(1);
  lock.unlock();
  wake.notify_all();
  drain();
  auto done = [&] { return running.load() == 0; };
  if (!spinUntil(done)) {
    lock.lock();
    finished.wait(lock, done);
  }
}

Pool &pool() {
  static Pool *instance = new Pool;
  return *instance;
}

std::mutex &poolOwner() {
  static std::mutex *owner = new std::mutex;
  return *owner;
}

} // namespace

void qnn::runtime::parallelFor(int64_t tasks, void (*body)(void *, int64_t),
                               void *context) {
  int threads = static_cast<int>(std::min<int64_t>(threadCount(), tasks));
  std::unique_lock<std::mutex> owner(poolOwner(), std::defer_lock);
  if (threads > 1 && owner.try_lock())
    return pool().run(tasks, threads - 1, body, context);
  for (int64_t task = 0; task < tasks; ++task)
    body(context, task);
}

void qnn_set_num_threads(int threads) {
  threadCount() = std::clamp(threads, 1, kMaxThreads);
}

int qnn_get_num_threads(void) { return threadCount(); }
