"""qnn: an MLIR compiler for PyTorch quantized models.

- `from_torch(model, *example_inputs)` imports a quantized PyTorch model as
  qnn MLIR text; `UnsupportedError` is raised for what qnn cannot import.
- `compile(model, *example_inputs)` compiles it to native code and returns a
  callable taking and returning what the model does.
- `compile_mlir(text)` compiles qnn MLIR text directly.
- `CompiledModel.save(path)` writes a compiled model to one file and
  `load(path)` reads it back (`SavedModelError` for a bad file).
- A compiled model raises `InvalidInputError` for inputs only the call can
  check (embedding indices out of range, malformed bag offsets).
- `quantize_dynamic_float16(model)` gives a model's Linears float16 weights
  (`qnn.nn.Float16DynamicLinear`), which torch 1.13 here cannot build.
"""

from . import nn
from .importer import UnsupportedError, from_torch
from .numerics import default_numerics, torch_onednn_saturates
from .nn import quantize_dynamic_float16
from .runtime import (CompiledModel, InvalidInputError, SavedModelError, compile,
                      compile_mlir, elide_constants, load)

__all__ = ["CompiledModel", "InvalidInputError", "SavedModelError", "UnsupportedError",
           "compile",
           "compile_mlir", "default_numerics", "elide_constants", "from_torch",
           "load", "nn", "quantize_dynamic_float16", "torch_onednn_saturates"]
