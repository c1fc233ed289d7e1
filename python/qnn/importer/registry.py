"""Which handler imports which node.

Each family of handlers (contraction.py, activation.py, ...) registers its
functions with the decorators below on the module classes, functions and
tensor methods they import. A handler is `handler(ctx, node)`; `ctx` is the
importer (graph.py), whose methods give the node's operands and emit IR.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Dict, Optional

__all__ = ["Handler", "module_handler", "function_handler", "method_handler",
           "lookup_module", "lookup_function", "lookup_method"]


@dataclass(frozen=True)
class Handler:
    emit: Callable[..., None]
    #: The result may be a view of the input (reshapes, identities): in-place
    #: ops must then consider both the same tensor.
    view: bool = False
    #: What the importer's recording run computes instead of the module,
    #: `record(module, *args)`, where torch's own result is wrong (qnnpack's
    #: ConvTranspose3d shapes): it must give the result's true type.
    record: Optional[Callable[..., Any]] = None


_MODULES: Dict[type, Handler] = {}
_FUNCTIONS: Dict[Any, Handler] = {}
_METHODS: Dict[str, Handler] = {}


def _register(table: Dict[Any, Handler], keys: Any, view: bool,
              record: Optional[Callable[..., Any]] = None) -> Callable:
    def decorate(fn: Callable[..., None]) -> Callable[..., None]:
        for key in keys:
            if key in table:
                raise ValueError(f"{key!r} has two import handlers")
            table[key] = Handler(fn, view, record)
        return fn
    return decorate


def module_handler(*classes: type, view: bool = False,
                   record: Optional[Callable[..., Any]] = None) -> Callable:
    """Registers a handler of `call_module` nodes whose module is exactly one
    of `classes` (not a subclass: nnq.ReLU6 subclasses nn.ReLU, nniq.LinearReLU
    nnq.Linear); `record` replaces the module in the recording run."""
    return _register(_MODULES, classes, view, record)


def function_handler(*functions: Any, view: bool = False) -> Callable:
    """Registers a handler of `call_function` nodes calling one of `functions`."""
    return _register(_FUNCTIONS, functions, view)


def method_handler(*names: str, view: bool = False) -> Callable:
    """Registers a handler of `call_method` nodes calling a Tensor method."""
    return _register(_METHODS, names, view)


def lookup_module(cls: type) -> Optional[Handler]:
    return _MODULES.get(cls)


def lookup_function(function: Any) -> Optional[Handler]:
    try:
        return _FUNCTIONS.get(function)
    except TypeError:  # unhashable target
        return None


def lookup_method(name: str) -> Optional[Handler]:
    return _METHODS.get(name)
