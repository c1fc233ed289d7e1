//===- Cpu.cpp - x86-64 CPU features (CPUID, XCR0, AMX permission)
//----------===//

#include "../../Kernels.h"

#include <cpuid.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace qnn::runtime {

namespace {
uint64_t xcr0() {
  uint32_t eax, edx;
  __asm__ volatile("xgetbv" : "=a"(eax), "=d"(edx) : "c"(0));
  return (static_cast<uint64_t>(edx) << 32) | eax;
}

bool osSupportsXsave() {
  unsigned eax, ebx, ecx, edx;
  if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx))
    return false;
  return ecx & (1u << 27);
}

bool leaf7(unsigned &ebx, unsigned &ecx, unsigned &edx) {
  unsigned eax;
  return __get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx);
}
} // namespace

bool cpuHasAvx512Vnni() {
  unsigned ebx, ecx, edx;
  if (!osSupportsXsave() || !leaf7(ebx, ecx, edx))
    return false;
  bool avx512 = (ebx & (1u << 16)) && (ebx & (1u << 30)) && (ecx & (1u << 11));
  // The OS saves the opmask and all ZMM state.
  return avx512 && (xcr0() & 0xe6) == 0xe6;
}

bool cpuHasAvx2() {
  unsigned ebx, ecx, edx;
  if (!osSupportsXsave() || !leaf7(ebx, ecx, edx))
    return false;
  return (ebx & (1u << 5)) && (xcr0() & 0x6) == 0x6;
}

bool cpuHasAmxInt8() {
  unsigned ebx, ecx, edx;
  if (!osSupportsXsave() || !leaf7(ebx, ecx, edx))
    return false;
  return (edx & (1u << 24)) && (edx & (1u << 25));
}

bool enableAmx() {
  constexpr long archReqXcompPerm = 0x1023, xfeatureXtiledata = 18;
  if (syscall(SYS_arch_prctl, archReqXcompPerm, xfeatureXtiledata) != 0)
    return false;
  return (xcr0() & (3u << 17)) == (3u << 17);
}

} // namespace qnn::runtime
