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
#include <vector>

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

/// Whether this thread is running a task of a parallelFor (whose tasks
/// then run their own parallelFor serially: the pool is taken).
thread_local bool insideTask = false;

/// The pool's current job in one word, so that a worker claims a task of
/// the job it saw or of none: generation (24 bits), helpers (8: workers
/// with a lower index take part), tasks (16) and the next unclaimed task
/// (16).
struct Claim {
  uint64_t word;
  uint32_t generation() const { return word >> 40; }
  int helpers() const { return (word >> 32) & 0xff; }
  int64_t tasks() const { return (word >> 16) & 0xffff; }
  int64_t next() const { return word & 0xffff; }
  static uint64_t make(uint32_t generation, int helpers, int64_t tasks) {
    return (uint64_t(generation & 0xffffff) << 40) | (uint64_t(helpers) << 32) |
           (uint64_t(tasks) << 16);
  }
};

class Pool {
public:
  static constexpr int64_t kMaxTasks = 0xffff;
  void run(int64_t tasks, int helpers, void (*body)(void *, int64_t),
           void *context);

private:
  void work(int index, uint32_t seen);
  /// Claims and runs one task of job `generation`; false once none is left
  /// (or another job began).
  bool runOne(uint32_t generation, int index);

  std::mutex mutex;
  std::condition_variable wake, finished;
  // Guarded by `mutex`: which worker indices are alive.
  std::vector<bool> alive;
  std::atomic<uint64_t> claim{0};
  std::atomic<int64_t> completed{0};
  // The current job's body, written before `claim` publishes it; stable
  // while one of its tasks is claimed and not completed.
  void (*body)(void *, int64_t) = nullptr;
  void *context = nullptr;
};

bool Pool::runOne(uint32_t generation, int index) {
  uint64_t word = claim.load();
  while (true) {
    Claim c{word};
    if (c.generation() != (generation & 0xffffff) || c.next() >= c.tasks() ||
        index >= c.helpers() + 1)
      return false;
    if (claim.compare_exchange_weak(word, word + 1))
      break;
  }
  Claim c{word};
  insideTask = true;
  body(context, c.next());
  insideTask = false;
  if (completed.fetch_add(1) + 1 == c.tasks()) {
    // Under the lock: the caller checks `completed` under it before it
    // sleeps, so the notification cannot fall between the two.
    std::lock_guard<std::mutex> lock(mutex);
    finished.notify_one();
  }
  return true;
}

void Pool::work(int index, uint32_t seen) {
  auto changed = [&] { return Claim{claim.load()}.generation() != seen; };
  while (true) {
    if (!spinUntil(changed)) {
      std::unique_lock<std::mutex> lock(mutex);
      if (!wake.wait_for(lock, std::chrono::seconds(1), changed)) {
        alive[index] = false;
        return;
      }
    }
    seen = Claim{claim.load()}.generation();
    // Worker i is helper i + 1 (the caller is the first).
    while (runOne(seen, index + 1)) {
    }
  }
}

void Pool::run(int64_t tasks, int helpers, void (*newBody)(void *, int64_t),
               void *newContext) {
  std::unique_lock<std::mutex> lock(mutex);
  uint32_t generation = (Claim{claim.load()}.generation() + 1) & 0xffffff;
  if (alive.size() < static_cast<size_t>(helpers))
    alive.resize(helpers, false);
  for (int i = 0; i < helpers; ++i)
    if (!alive[i]) {
      alive[i] = true;
      std::thread([this, i, seen = Claim{claim.load()}.generation()] {
        work(i, seen);
      }).detach();
    }
  body = newBody;
  context = newContext;
  completed.store(0);
  claim.store(Claim::make(generation, helpers, tasks));
  lock.unlock();
  wake.notify_all();
  // The caller runs tasks too, all of them if no worker comes in time (a
  // worker kept off its core by another library's spinning threads): it
  // waits only for tasks a worker has claimed, which are running.
  while (runOne(generation, 0)) {
  }
  auto done = [&] { return completed.load() == tasks; };
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
  if (threads <= 1 || insideTask || !owner.try_lock()) {
    for (int64_t task = 0; task < tasks; ++task)
      body(context, task);
    return;
  }
  if (tasks <= Pool::kMaxTasks)
    return pool().run(tasks, threads - 1, body, context);
  // More tasks than a job holds: runs of consecutive tasks.
  struct Runs {
    int64_t tasks, chunks;
    void (*body)(void *, int64_t);
    void *context;
  } runs{tasks, Pool::kMaxTasks, body, context};
  pool().run(
      runs.chunks, threads - 1,
      [](void *p, int64_t chunk) {
        auto *r = static_cast<Runs *>(p);
        for (int64_t t = r->tasks * chunk / r->chunks,
                     end = r->tasks * (chunk + 1) / r->chunks;
             t < end; ++t)
          r->body(r->context, t);
      },
      &runs);
}

void qnn_set_num_threads(int threads) {
  threadCount() = std::clamp(threads, 1, kMaxThreads);
}

int qnn_get_num_threads(void) { return threadCount(); }
