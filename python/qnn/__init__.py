"""qnn: an MLIR compiler for PyTorch quantized models.

- `from_torch(model, *example_inputs)` imports a quantized PyTorch model as
  qnn MLIR text; `UnsupportedError` is raised for what qnn cannot import.
- `compile(model, *example_inputs)` compiles it to native code and returns a
  callable taking and returning what the model does.
- `compile_mlir(text)` compiles qnn MLIR text directly.
- `CompiledModel.save(path)` writes a compiled model to one file and
  `load(path)` reads it back (`SavedModelError` for a bad file).
"""

from .importer import UnsupportedError, from_torch
from .numerics import default_numerics, torch_onednn_saturates
from .runtime import (CompiledModel, SavedModelError, compile, compile_mlir,
                      elide_constants, load)

__all__ = ["CompiledModel", "SavedModelError", "UnsupportedError", "compile",
           "compile_mlir", "default_numerics", "elide_constants", "from_torch",
           "load", "torch_onednn_saturates"]
