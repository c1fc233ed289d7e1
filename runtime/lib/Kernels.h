//===- Kernels.h - the ISA-specific GEMM kernels ----------------*- C++ -*-===//
//
// IREE's micro-kernel layout: one file per ISA under arch/, selected at
// run time by one entry point (Gemm.cpp), with a portable fallback.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_RUNTIME_LIB_KERNELS_H
#define QNN_RUNTIME_LIB_KERNELS_H

#include <cstdint>
#include <cstring>

namespace qnn::runtime {

struct GemmArgs {
  int64_t m, n, k;
  const uint8_t *a;
  int64_t lda;
  const int8_t *b; // packed
  int32_t *c;
  int64_t ldc;
};

/// Four bytes of A at k..k+3, zero beyond `kEnd` (never read past it).
inline int32_t loadA4(const uint8_t *row, int64_t k, int64_t kEnd) {
  int32_t v = 0;
  if (k + 4 <= kEnd)
    std::memcpy(&v, row + k, 4);
  else
    std::memcpy(&v, row + k, kEnd - k);
  return v;
}

/// The instruction sets the runtime's kernels use: the best the CPU has,
/// capped by QNN_ISA ("portable" anywhere; "avx2", "avx512vnni" on x86-64;
/// for testing the fallbacks). Chosen once per process. Within an
/// architecture, later is better.
enum class Isa { Portable, Avx2, Avx512Vnni, Amx, NeonDot };
Isa selectedIsa();
/// Whether the selected ISA allows AVX-512 F, BW and VL (every x86 CPU with
/// VNNI has them): the non-GEMM kernels' widest variant.
inline bool selectedAvx512() {
  Isa isa = selectedIsa();
  return isa == Isa::Avx512Vnni || isa == Isa::Amx;
}

// arch/Portable.cpp: any C++ compiler, any CPU.
void gemmPortable(const GemmArgs &g);
/// Pairwise int16-saturating sums (onednn without VNNI).
void gemmSat16Portable(const GemmArgs &g);

#if defined(__x86_64__)
// arch/x86_64/Cpu.cpp
bool cpuHasAvx2();
bool cpuHasAvx512Vnni();
bool cpuHasAmxInt8();
/// Asks Linux for permission to use the AMX tile state (once per process).
bool enableAmx();

// arch/x86_64/Avx2.cpp; only called when cpuHasAvx2().
void gemmAvx2(const GemmArgs &g);
/// Saturating pairs with vpmaddubsw.
void gemmSat16Avx2(const GemmArgs &g);

// arch/x86_64/Avx512Vnni.cpp: AVX-512 F/BW/VNNI; only called when
// cpuHasAvx512Vnni().
void gemmAvx512Vnni(const GemmArgs &g);
/// The rows [m0, m1) and columns [n0, n1) of C, K range [k0, k1) with k0 a
/// multiple of 4: the AMX kernel's edges.
void gemmAvx512VnniBlock(const GemmArgs &g, int64_t m0, int64_t m1, int64_t n0,
                         int64_t n1, int64_t k0, int64_t k1);

// arch/x86_64/Amx.cpp: AMX-TILE/AMX-INT8; only called when cpuHasAmxInt8()
// and enableAmx().
void gemmAmx(const GemmArgs &g);
#elif defined(__aarch64__)
// arch/arm64/Cpu.cpp: the Armv8.2 dot product instructions (sdot/udot).
bool cpuHasNeonDot();
// arch/arm64/NeonDot.cpp; only called when cpuHasNeonDot().
void gemmNeonDot(const GemmArgs &g);
#endif

} // namespace qnn::runtime

#endif // QNN_RUNTIME_LIB_KERNELS_H
