"""Which arithmetic torch uses on this machine, and so which `qnn.numerics`
reproduces it.

The importer reads it for its default and the runtime re-exports it; it
imports neither, so both can use it without an import cycle.
"""

from __future__ import annotations

import logging
import os
import platform
from pathlib import Path
from typing import Optional, Tuple

__all__ = ["ENGINES", "NUMERICS", "torch_onednn_saturates", "default_numerics",
           "choose_numerics"]

#: Quantized engines whose numerics qnn reproduces.
ENGINES = ("onednn", "qnnpack")

#: Values of `qnn.numerics` for each engine (`qnn-run --list-numerics` prints
#: the compiler's table; python/tests/test_runtime.py checks they agree).
NUMERICS = {"onednn": ("onednn", "onednn_no_vnni"), "qnnpack": ("qnnpack",)}

#: oneDNN CPU ISA caps (ONEDNN_MAX_CPU_ISA / DNNL_MAX_CPU_ISA) below which
#: its int8 kernels have no VNNI.
_NO_VNNI_ISAS = {"sse41", "avx", "avx2", "avx512_core", "avx512_mic",
                 "avx512_mic_4ops", "avx512_core_bf16_ymm"}

_logger = logging.getLogger("qnn")


def _onednn_isa_cap() -> Optional[str]:
    cap = os.environ.get("ONEDNN_MAX_CPU_ISA") or os.environ.get("DNNL_MAX_CPU_ISA")
    return cap.strip().lower() if cap else None


def _cpu_has_vnni() -> Optional[bool]:
    """Whether this x86 CPU has AVX512-VNNI or AVX-VNNI; None if unknown."""
    try:
        flags = Path("/proc/cpuinfo").read_text().split()
    except OSError:
        return None
    return bool({"avx512_vnni", "avx_vnni"} & set(flags))


def _onednn_saturation() -> Tuple[bool, str]:
    """Whether torch's onednn saturates here, and why (for the log)."""
    if platform.machine() not in ("x86_64", "AMD64", "i686"):
        return False, f"{platform.machine()} CPU: no saturating int16 pairs"
    cap = _onednn_isa_cap()
    if cap in _NO_VNNI_ISAS:
        return True, f"oneDNN capped below VNNI by ONEDNN_MAX_CPU_ISA={cap}"
    vnni = _cpu_has_vnni()
    if vnni is None:
        return False, "CPU flags unknown (no /proc/cpuinfo): assuming VNNI"
    if vnni:
        return False, "this CPU has VNNI"
    return True, "this CPU has no VNNI: torch saturates int16 pair sums"


def torch_onednn_saturates() -> bool:
    """True where PyTorch's onednn engine sums products in saturated int16
    pairs: x86 CPUs without VNNI (AVX512-VNNI or AVX-VNNI), or oneDNN capped
    below VNNI by `ONEDNN_MAX_CPU_ISA` (or `DNNL_MAX_CPU_ISA`).

    There onednn multiplies u8 by s8 with vpmaddubsw, which adds pairs of
    products into int16 with saturation, so its results are not the exact
    integer arithmetic whenever two adjacent products sum past 32767.
    """
    return _onednn_saturation()[0]


def default_numerics(engine: str) -> str:
    """The numerics torch computes with on this machine under `engine`:
    "onednn_no_vnni" for onednn where `torch_onednn_saturates()`, else the
    engine's name."""
    return _default(engine)[0]


def _default(engine: str) -> Tuple[str, str]:
    if engine == "onednn":
        saturates, why = _onednn_saturation()
        return ("onednn_no_vnni" if saturates else "onednn"), why
    return engine, f"{engine}'s arithmetic"


def choose_numerics(engine: str, numerics: Optional[str]) -> str:
    """`numerics`, or the default for `engine` on this machine; checks it is
    one of the engine's and logs the choice (logger "qnn", INFO)."""
    if numerics is None:
        numerics, why = _default(engine)
    else:
        why = "numerics= given"
    if numerics not in NUMERICS[engine]:
        raise ValueError(f"numerics {numerics!r} is not one of the {engine} "
                         f"engine's: {', '.join(NUMERICS[engine])}")
    _logger.info("qnn: numerics '%s' (torch engine %s, %s)", numerics, engine, why)
    return numerics
