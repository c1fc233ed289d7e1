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

from typing import Any, Optional

import torch
import torch.nn as nn

# The families register their handlers on import.
from . import (activation, contraction, dynamic, embedding,  # noqa: F401
               functional, norm, pooling, quantization, reference, shape,
               upsample)
from ..numerics import (ENGINES, NUMERICS, choose_numerics, default_numerics,
                        torch_onednn_saturates)
from .contraction import conv_padding
from .graph import Importer, trace
from .types import UnsupportedError

__all__ = ["UnsupportedError", "from_torch", "conv_padding", "ENGINES",
           "NUMERICS", "torch_onednn_saturates", "default_numerics"]


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
    numerics = choose_numerics(engine, numerics)
    module, bare = trace(model, len(example_inputs))
    importer = Importer(module, bare, engine, numerics)
    importer.check_supported()
    importer.run(example_inputs)
    return importer.emit()
