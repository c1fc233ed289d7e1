//===- Kernels.h - the ISA-specific GEMM kernels ----------------*- C++ -*-===//

#ifndef QNN_RUNTIME_LIB_KERNELS_H
#define QNN_RUNTIME_LIB_KERNELS_H

#include <cstdint>

namespace qnn::runtime {

struct GemmArgs {
  int64_t m, n, k;
  const uint8_t *a;
  int64_t lda;
  const int8_t *b; // packed
  int32_t *c;
  int64_t ldc;
};

/// Any C++ compiler, any CPU.
void gemmPortable(const GemmArgs &g);

/// Pairwise int16-saturating sums (onednn without VNNI).
void gemmSat16Portable(const GemmArgs &g);
/// The same with vpmaddubsw; only called when cpuHasAvx2().
void gemmSat16Avx2(const GemmArgs &g);

/// AVX2; only called when cpuHasAvx2().
void gemmAvx2(const GemmArgs &g);

/// AVX-512 F/BW/VNNI; only called when cpuHasAvx512Vnni().
void gemmAvx512Vnni(const GemmArgs &g);
/// The rows [m0, m1) and columns [n0, n1) of C, K range [k0, k1) with k0 a
/// multiple of 4: the AMX kernel's edges.
void gemmAvx512VnniBlock(const GemmArgs &g, int64_t m0, int64_t m1, int64_t n0,
                         int64_t n1, int64_t k0, int64_t k1);

/// AMX-TILE/AMX-INT8; only called when cpuHasAmxInt8() and enableAmx().
void gemmAmx(const GemmArgs &g);

bool cpuHasAvx2();
bool cpuHasAvx512Vnni();

/// The instruction sets the runtime's kernels use, in order: the best the
/// CPU has, capped by QNN_ISA ("portable", "avx2", "avx512vnni"; for
/// testing the fallbacks). Chosen once per process.
enum class Isa { Portable, Avx2, Avx512Vnni, Amx };
Isa selectedIsa();
bool cpuHasAmxInt8();
/// Asks Linux for permission to use the AMX tile state (once per process).
bool enableAmx();

} // namespace qnn::runtime

#endif // QNN_RUNTIME_LIB_KERNELS_H
