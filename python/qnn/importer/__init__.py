"""Import PyTorch quantized models into the qnn MLIR dialect.

`from_torch(model, *example_inputs)` returns the model as MLIR text: one
`func.func @forward` inside a module tagged with the numerics it reproduces
(`qnn.numerics`).

The package is a graph walk (graph.py) and handlers registered by family
(quantization.py, contraction.py, activation.py, shape.py, ...) on the
module classes, functions and tensor methods they import (registry.py).
Adding a module is one handler in its family's file.
"""

from __future__ import annotations

import os
import platform
from pathlib import Path
from typing import Any, Optional

import torch
import torch.nn as nn

# The families register their handlers on import.
from . import activation, contraction, quantization, shape  # noqa: F401
from .contraction import conv_padding
from .graph import Importer, log_numerics, trace
from .types import UnsupportedError

__all__ = ["UnsupportedError", "from_torch", "conv_padding", "ENGINES",
           "NUMERICS", "torch_onednn_saturates", "default_numerics"]

#: Quantized engines whose numerics qnn reproduces.
ENGINES = ("onednn", "qnnpack")

#: Values of `qnn.numerics` for each engine (`qnn-run --list-numerics` prints
#: the compiler's table; python/tests/test_engines.py checks they agree).
NUMERICS = {"onednn": ("onednn", "onednn_no_vnni"), "qnnpack": ("qnnpack",)}

#: oneDNN CPU ISA caps (ONEDNN_MAX_CPU_ISA / DNNL_MAX_CPU_ISA) below which
#: its int8 kernels have no VNNI.
_NO_VNNI_ISAS = {"sse41", "avx", "avx2", "avx512_core", "avx512_mic",
                 "avx512_mic_4ops", "avx512_core_bf16_ymm"}


def torch_onednn_saturates() -> bool:
    """True where PyTorch's onednn engine sums products in saturated int16
    pairs: x86 CPUs without VNNI (AVX512-VNNI or AVX-VNNI), or oneDNN capped
    below VNNI by `ONEDNN_MAX_CPU_ISA` (or `DNNL_MAX_CPU_ISA`).

    There onednn multiplies u8 by s8 with vpmaddubsw, which adds pairs of
    products into int16 with saturation, so its results are not the exact
    integer arithmetic whenever two adjacent products sum past 32767.
    """
    if platform.machine() not in ("x86_64", "AMD64", "i686"):
        return False
    cap = os.environ.get("ONEDNN_MAX_CPU_ISA") or os.environ.get("DNNL_MAX_CPU_ISA")
    if cap and cap.strip().lower() in _NO_VNNI_ISAS:
        return True
    try:
        flags = Path("/proc/cpuinfo").read_text().split()
    except OSError:
        return False
    return not ({"avx512_vnni", "avx_vnni"} & set(flags))


def default_numerics(engine: str) -> str:
    """The numerics torch computes with on this machine under `engine`."""
    if engine == "onednn" and torch_onednn_saturates():
        return "onednn_no_vnni"
    return engine


def from_torch(model: nn.Module, *example_inputs: Any,
               numerics: Optional[str] = None) -> str:
    """Imports a PyTorch quantized model as qnn MLIR text.

    Args:
        model: a model after `torch.ao.quantization.convert` (eager mode) or
            `convert_fx` (FX graph mode), an `nn.Sequential` or any
            torch.fx-traceable module built from supported modules, or a
            bare supported module.
        example_inputs: one tensor per model input. They fix the static
            shapes of the IR; quantized inputs give their scale, zero point
            and dtype to the function's argument types. They are not modified.
        numerics: the `qnn.numerics` to record. By default the arithmetic
            torch uses on this machine under `torch.backends.quantized.engine`
            ("onednn_no_vnni" for onednn where `torch_onednn_saturates()`,
            else the engine's name); the choice is logged once (logger
            "qnn", INFO).

    Returns:
        An MLIR module with a `qnn.numerics` attribute and one
        `func.func @forward` whose arguments and results follow the model's
        inputs and outputs.

    Raises:
        UnsupportedError: the model uses a module, function, method or
            tensor type qnn does not support, or the engine is neither
            'onednn' nor 'qnnpack'. The message names the culprit and where
            it is in the model.
    """
    engine = torch.backends.quantized.engine
    if engine not in ENGINES:
        raise UnsupportedError(f"quantized engine {engine!r} is not supported; "
                               f"qnn reproduces {' and '.join(map(repr, ENGINES))}")
    if numerics is None:
        numerics = default_numerics(engine)
        reason = ("torch sums in saturated int16 pairs here (no VNNI)"
                  if numerics == "onednn_no_vnni" else "torch's arithmetic on this machine")
    else:
        reason = "as asked"
    if numerics not in NUMERICS[engine]:
        raise ValueError(f"numerics {numerics!r} is not one of the {engine} "
                         f"engine's: {', '.join(NUMERICS[engine])}")
    log_numerics(numerics, engine, reason)
    module, bare = trace(model, len(example_inputs))
    importer = Importer(module, bare, engine, numerics)
    importer.check_supported()
    importer.run(example_inputs)
    return importer.emit()
