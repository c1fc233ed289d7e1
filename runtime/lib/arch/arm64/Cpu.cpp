//===- Cpu.cpp - AArch64 CPU features (Linux hardware capabilities) -------===//

#include "../../Kernels.h"

#if defined(__linux__)
#include <sys/auxv.h>
#endif

bool qnn::runtime::cpuHasNeonDot() {
#if defined(__linux__)
  constexpr unsigned long hwcapAsimdDp = 1ul << 20; // HWCAP_ASIMDDP
  return getauxval(AT_HWCAP) & hwcapAsimdDp;
#else
  return false;
#endif
}
