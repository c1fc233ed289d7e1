"""qnn: an MLIR compiler for PyTorch quantized models.

- `from_torch(model, *example_inputs)` imports a quantized PyTorch model as
  qnn MLIR text; `UnsupportedError` is raised for what qnn cannot import.
- `compile(model, *example_inputs)` compiles it to native code and returns a
  callable taking and returning what the model does.
- `compile_mlir(text)` compiles qnn MLIR text directly.
"""

from .importer import UnsupportedError, from_torch
from .numerics import default_numerics, torch_onednn_saturates
from .runtime import CompiledModel, compile, compile_mlir, elide_constants

__all__ = ["CompiledModel", "UnsupportedError", "compile", "compile_mlir",
           "default_numerics", "elide_constants", "from_torch",
           "torch_onednn_saturates"]
