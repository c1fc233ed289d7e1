//===- qnn-peak.cpp - the int8 multiply-accumulate peak of each ISA path --===//
//
// Register-only loops of the instruction sequence each of qnn's GEMM paths
// uses, with enough independent accumulators to hide their latency: what
// one core can do at most, against which bench/bench.py reports the
// GEMM-bound rows as a fraction. Prints one JSON object, G MAC/s by path,
// for the paths this CPU has:
//   avx512vnni  vpdpbusd zmm (64 u8 x s8 products a instruction)
//   avx2_sat16  vpmaddubsw + vpmaddwd + vpaddd on ymm (32 products; onednn's
//               saturating pairs, qnn's onednn_no_vnni numerics)
//   avx2_exact  vpmaddwd + vpaddd on int16-widened ymm (16 products; exact)
//
//===----------------------------------------------------------------------===//

#include <chrono>
#include <cstdio>
#include <functional>

#if defined(__x86_64__)
#include <immintrin.h>

namespace {
constexpr long kIterations = 20000000;

// The loops are assembly: the compiler would keep an array of accumulators
// on the stack (GCC 12 does), which measures the stores instead.
#define QNN_REP4(x, a, b, c, d) x(a) x(b) x(c) x(d)

__attribute__((target("avx512f"))) long vnni() {
  long n = kIterations;
#define QNN_DP(r) "vpdpbusd %%zmm1, %%zmm0, %%zmm" #r "\n"
  asm volatile("vpxord %%zmm0, %%zmm0, %%zmm0\n"
               "vpxord %%zmm1, %%zmm1, %%zmm1\n"
               "1:\n" QNN_REP4(QNN_DP, 2, 3, 4, 5) QNN_REP4(QNN_DP, 6, 7, 8, 9)
                   QNN_REP4(QNN_DP, 10, 11, 12, 13)
                       QNN_REP4(QNN_DP, 14, 15, 16, 17) "dec %0\n"
                                                        "jnz 1b\n"
               : "+r"(n)
               :
               : "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7",
                 "xmm8", "xmm9", "xmm10", "xmm11", "xmm12", "xmm13", "xmm14",
                 "xmm15", "xmm16", "xmm17", "cc");
#undef QNN_DP
  return n;
}

/// onednn's pairs: vpmaddubsw, vpmaddwd with ones, vpaddd; 6 chains.
long sat16() {
  long n = kIterations;
#define QNN_SAT(t, a)                                                          \
  "vpmaddubsw %%ymm1, %%ymm0, %%ymm" #t "\n"                                   \
  "vpmaddwd %%ymm2, %%ymm" #t ", %%ymm" #t "\n"                                \
  "vpaddd %%ymm" #t ", %%ymm" #a ", %%ymm" #a "\n"
  asm volatile("vpxor %%ymm0, %%ymm0, %%ymm0\n"
               "vpxor %%ymm1, %%ymm1, %%ymm1\n"
               "vpxor %%ymm2, %%ymm2, %%ymm2\n"
               "1:\n" QNN_SAT(3, 9) QNN_SAT(4, 10) QNN_SAT(5, 11) QNN_SAT(6, 12)
                   QNN_SAT(7, 13) QNN_SAT(8, 14) "dec %0\n"
                                                 "jnz 1b\n"
               : "+r"(n)
               :
               : "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7",
                 "xmm8", "xmm9", "xmm10", "xmm11", "xmm12", "xmm13", "xmm14",
                 "cc");
#undef QNN_SAT
  return n;
}

/// The exact path: vpmaddwd on int16-widened operands, vpaddd; 6 chains.
long exact() {
  long n = kIterations;
#define QNN_EXACT(t, a)                                                        \
  "vpmaddwd %%ymm1, %%ymm0, %%ymm" #t "\n"                                     \
  "vpaddd %%ymm" #t ", %%ymm" #a ", %%ymm" #a "\n"
  asm volatile("vpxor %%ymm0, %%ymm0, %%ymm0\n"
               "vpxor %%ymm1, %%ymm1, %%ymm1\n"
               "1:\n" QNN_EXACT(3, 9) QNN_EXACT(4, 10) QNN_EXACT(5, 11)
                   QNN_EXACT(6, 12) QNN_EXACT(7, 13) QNN_EXACT(8, 14) "dec %0\n"
                                                                      "jnz 1b\n"
               : "+r"(n)
               :
               : "xmm0", "xmm1", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8",
                 "xmm9", "xmm10", "xmm11", "xmm12", "xmm13", "xmm14", "cc");
#undef QNN_EXACT
  return n;
}

/// G MAC/s of `loop`, which does `macs` products per iteration.
double measure(const std::function<long()> &loop, double macs) {
  loop(); // warm up the clock
  auto start = std::chrono::steady_clock::now();
  volatile long sink = loop();
  (void)sink;
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  return macs * kIterations / seconds / 1e9;
}
} // namespace

int main() {
  const char *separator = "";
  std::printf("{");
  if (__builtin_cpu_supports("avx512f") &&
      __builtin_cpu_supports("avx512vnni")) {
    std::printf("\"avx512vnni\": %.1f", measure(vnni, 16.0 * 64));
    separator = ", ";
  }
  if (__builtin_cpu_supports("avx2")) {
    std::printf("%s\"avx2_sat16\": %.1f", separator, measure(sat16, 6.0 * 32));
    std::printf(", \"avx2_exact\": %.1f", measure(exact, 6.0 * 16));
  }
  std::printf("}\n");
  return 0;
}
#else
int main() {
  std::printf("{}\n");
  return 0;
}
#endif
