"""The graph walk: tracing, recording each value's type, emitting IR.

1. The model is traced with `torch.fx.symbolic_trace`; PyTorch's quantized
   modules are leaves (`call_module`). A model that is itself such a leaf (a
   bare `nnq.Linear`) is wrapped in a one-node graph; a GraphModule (FX
   graph mode's `convert_fx`) is traced again, which keeps its graph.
2. Every node is checked for a handler (registry.py) before anything runs,
   so an unsupported one raises UnsupportedError naming it and where it is.
3. The graph runs on copies of the example inputs and each node's output
   type (shape, dtype, quantization parameters) is recorded, so the IR
   carries exactly the parameters PyTorch used; `get_attr` values (FX mode's
   scales and zero points, packed weights) are kept.
4. Each node's handler emits its op.

The `Importer` is the `ctx` handlers receive; its public methods are the
handler API.
"""

from __future__ import annotations

import dis
import inspect
import operator
from typing import Any, Dict, List, Optional, Sequence, Set, Tuple

import torch
import torch.fx
import torch.nn as nn
from torch.fx.node import Node, _get_qualified_name

from . import registry
from .constants import Constants
from .types import TensorInfo, UnsupportedError, shaped, storage_type, tensor_type

__all__ = ["Importer", "trace"]

#: Call target of the module when a bare leaf module is imported.
_ROOT = "model"


def _qualname(obj: Any) -> str:
    return f"{obj.__module__}.{obj.__qualname__}"


# ---------------------------------------------------------------------------
# Tracing
# ---------------------------------------------------------------------------


def _proxy_iter(self: torch.fx.Proxy) -> Any:
    """torch 1.13's Proxy.__iter__, looking the caller's instruction up by
    byte offset: from Python 3.11 on, `dis.get_instructions` skips inline
    cache entries and torch's `f_lasti // 2` index finds the wrong one, so
    tuple unpacking (`n, c, h, w = x.size()`, `a, b = x.chunk(2)`) fails to
    trace (later torch versions do the same as this)."""
    frame = inspect.currentframe()
    calling = frame.f_back if frame else None
    if calling is not None:
        for instruction in dis.get_instructions(calling.f_code):
            if instruction.offset == calling.f_lasti:
                if instruction.opname == "UNPACK_SEQUENCE":
                    return (self[i] for i in range(instruction.argval))
                break
    return self.tracer.iter(self)


class _Tracer(torch.fx.Tracer):
    """torch.fx's tracer, with every module qnn has a handler for as a leaf
    (qnn's own modules, qnn.nn, besides torch's)."""

    def is_leaf_module(self, m: nn.Module, module_qualified_name: str) -> bool:
        return (registry.lookup_module(type(m)) is not None
                or super().is_leaf_module(m, module_qualified_name))


def trace(model: nn.Module, num_inputs: int) -> Tuple[torch.fx.GraphModule, bool]:
    """Traces `model`; returns the graph module and whether `model` is a bare
    leaf module (then it is the graph's single `call_module`)."""
    if _Tracer().is_leaf_module(model, ""):
        graph = torch.fx.Graph()
        args = tuple(graph.placeholder(f"arg{i}") for i in range(num_inputs))
        graph.output(graph.call_module(_ROOT, args))
        return torch.fx.GraphModule({_ROOT: model}, graph), True
    original = torch.fx.Proxy.__iter__
    torch.fx.Proxy.__iter__ = _proxy_iter
    try:
        tracer = _Tracer()
        graph = tracer.trace(model)
        return torch.fx.GraphModule(tracer.root, graph, type(model).__name__), False
    except torch.fx.proxy.TraceError as error:
        raise UnsupportedError(f"the model cannot be traced by torch.fx: {error}") from error
    finally:
        torch.fx.Proxy.__iter__ = original


def copy_tensor(x: torch.Tensor) -> torch.Tensor:
    """A copy of `x` in its memory format (a quantized tensor's clone() is
    contiguous, and torch's kernels depend on the layout)."""
    copy = x.clone()
    if x.is_quantized and not x.is_contiguous():
        for memory_format in (torch.channels_last, torch.channels_last_3d):
            if x.dim() == (4 if memory_format == torch.channels_last else 5) and \
                    x.is_contiguous(memory_format=memory_format):
                return copy.contiguous(memory_format=memory_format)
    return copy


class _Recorder(torch.fx.Interpreter):
    """Runs a traced model and records each node's output type (and the
    values of `get_attr` nodes and of non-tensor results)."""

    def __init__(self, module: torch.fx.GraphModule, importer: "Importer") -> None:
        super().__init__(module)
        self.importer = importer

    def call_module(self, target: Any, args: Any, kwargs: Any) -> Any:
        module = self.fetch_attr(target)
        handler = registry.lookup_module(type(module))
        if handler is not None and handler.record is not None:
            return handler.record(module, *args, **kwargs)
        return super().call_module(target, args, kwargs)

    def run_node(self, n: Node) -> Any:
        value = super().run_node(n)
        # Recorded right away: a later in-place op may mutate the tensor.
        if isinstance(value, torch.Tensor):
            self.importer.infos[n] = TensorInfo.of(value)
            self.importer.strides[n] = tuple(value.stride())
            if n.op == "get_attr":
                self.importer.values[n] = value.detach().clone()
        else:
            self.importer.infos[n] = None
            self.importer.values[n] = value
        return value


# ---------------------------------------------------------------------------
# The importer
# ---------------------------------------------------------------------------


class Importer:
    """Emits the qnn IR of one traced model; the `ctx` of every handler."""

    def __init__(self, module: torch.fx.GraphModule, bare: bool, engine: str,
                 numerics: str) -> None:
        self.module = module
        self.bare = bare
        self.engine = engine
        self.numerics = numerics
        self.infos: Dict[Node, Optional[TensorInfo]] = {}
        #: The strides of each tensor torch computed (where ATen's kernels
        #: depend on the memory layout).
        self.strides: Dict[Node, Tuple[int, ...]] = {}
        self.values: Dict[Node, Any] = {}
        self.names: Dict[Node, str] = {}  # SSA value of each tensor node
        # SSA values of the tensors of a node returning a tuple (a cell's
        # (h, c)), which its getitem users alias.
        self.pieces: Dict[Node, List[str]] = {}
        self.constants = Constants()
        self.arguments: List[str] = []
        self.results: List[Tuple[str, str]] = []  # (SSA value, type)
        self.body: List[str] = []
        self._fresh = 0

    # -- driver --------------------------------------------------------------

    def check_supported(self) -> None:
        """Raises UnsupportedError on the first node qnn cannot import."""
        for node in self.module.graph.nodes:
            self.handler(node)

    def run(self, example_inputs: Sequence[Any]) -> None:
        placeholders = [n for n in self.module.graph.nodes if n.op == "placeholder"]
        if len(placeholders) != len(example_inputs):
            raise ValueError(f"the model takes {len(placeholders)} inputs but "
                             f"{len(example_inputs)} example inputs were given")
        # Copies, so in-place modules do not modify the caller's tensors.
        inputs = [copy_tensor(x) if isinstance(x, torch.Tensor) else x for x in example_inputs]
        with torch.no_grad():
            _Recorder(self.module, self).run(*inputs)
        self._index_returned_pieces()

    def _index_returned_pieces(self) -> None:
        """A chunk/split result (a tuple node) that the model returns is
        returned piece by piece: qnn imports pieces through their indexing,
        so the output gets `getitem` nodes, typed from the recorded pieces."""
        graph = self.module.graph
        output = next(n for n in graph.nodes if n.op == "output")
        value = output.args[0]
        pieces = self.values.get(value) if isinstance(value, Node) else None
        if (self.info(value) is not None or not isinstance(pieces, (tuple, list))
                or not all(isinstance(t, torch.Tensor) for t in pieces)):
            return
        items = []
        with graph.inserting_before(output):
            for i, tensor in enumerate(pieces):
                item = graph.call_function(operator.getitem, (value, i))
                self.infos[item] = TensorInfo.of(tensor)
                self.strides[item] = tuple(tensor.stride())
                items.append(item)
        output.args = (tuple(items),)

    def emit(self) -> str:
        for node in self.module.graph.nodes:
            self.handler(node).emit(self, node)
        result_types = [t for _, t in self.results]
        signature = f"func.func @forward({', '.join(self.arguments)})"
        if len(result_types) == 1:
            signature += f" -> {result_types[0]}"
        elif result_types:
            signature += f" -> ({', '.join(result_types)})"
        ret = "return"
        if self.results:
            ret += (f" {', '.join(v for v, _ in self.results)} : "
                    f"{', '.join(result_types)}")
        lines = [f'module attributes {{qnn.numerics = "{self.numerics}"}} {{',
                 f"  {signature} {{"]
        lines += [f"    {line}" for line in self.body + [ret]]
        lines += ["  }", "}"] + self.constants.section() + [""]
        return "\n".join(lines)

    # -- dispatch ------------------------------------------------------------

    def handler(self, node: Node) -> registry.Handler:
        """The handler importing `node`; raises UnsupportedError if none."""
        found: Optional[registry.Handler] = None
        if node.op in _BUILTIN:
            found = _BUILTIN[node.op]
        elif node.op == "call_module":
            module = self.module.get_submodule(node.target)
            found = registry.lookup_module(type(module))
            # nn.Dropout drops in training mode (nnq.Dropout never does).
            if type(module) is nn.Dropout and module.training:
                raise UnsupportedError(f"{self.where(node)} is in training mode; call "
                                       "model.eval() so that dropout is the identity")
        elif node.op == "call_function":
            found = registry.lookup_function(node.target)
        elif node.op == "call_method":
            found = registry.lookup_method(node.target)
        if found is None:
            raise UnsupportedError(f"unsupported {self.where(node)}")
        return found

    def where(self, node: Node) -> str:
        """Names `node` for error messages: what it is and where."""
        if node.op == "call_module":
            cls = type(self.module.get_submodule(node.target))
            place = "the model root" if self.bare else f"'{node.target}'"
            return f"module {_qualname(cls)} at {place}"
        if node.op == "call_function":
            return f"function {_get_qualified_name(node.target)} at '{node.name}'"
        if node.op == "call_method":
            return f"method Tensor.{node.target} at '{node.name}'"
        if node.op == "get_attr":
            return f"attribute '{node.target}'"
        return f"{node.op} '{node.name}'"

    # -- the handler API: operands -------------------------------------------

    def submodule(self, node: Node) -> nn.Module:
        """The module a `call_module` node calls."""
        return self.module.get_submodule(node.target)

    def arg(self, node: Node, index: int, keyword: str, default: Any = None) -> Any:
        """Argument `index` of `node`, or its keyword `keyword`."""
        if len(node.args) > index:
            return node.args[index]
        return node.kwargs.get(keyword, default)

    def constant(self, node: Node, value: Any) -> Any:
        """The Python value of a constant argument: itself, or the recorded
        value of the node computing it (a `get_attr` tensor, `x.size(1)`)."""
        if isinstance(value, Node):
            if value not in self.values:
                raise UnsupportedError(f"{self.where(node)} needs a constant where "
                                       f"'{value.name}' is computed from the inputs")
            value = self.values[value]
        if isinstance(value, torch.Tensor) and value.numel() == 1 and not value.is_quantized:
            return value.item()
        return value

    def info(self, value: Any) -> Optional[TensorInfo]:
        """The recorded type of a node's value, or None for a non-tensor."""
        return self.infos.get(value) if isinstance(value, Node) else None

    def operand(self, node: Node, value: Any, what: str = "the input") -> Tuple[str, TensorInfo]:
        """SSA value and type of the tensor `value` that `node` applies to."""
        info = self.info(value)
        if info is None:
            raise UnsupportedError(f"{what} of {self.where(node)} must be a tensor")
        if value not in self.names:
            # A constant tensor (get_attr): emitted where first used.
            self.names[value] = self.emit_constant(value.name, self.values[value], info)
        return self.names[value], info

    def input(self, node: Node) -> Tuple[str, TensorInfo]:
        """SSA value and type of the tensor `node` applies to (its first
        argument, or `input=`)."""
        return self.operand(node, self.arg(node, 0, "input"))

    def quantized_input(self, node: Node) -> Tuple[str, TensorInfo]:
        value, info = self.input(node)
        if not info.is_quantized:
            raise UnsupportedError(f"{self.where(node)} is applied to "
                                   f"{info.describe()}; it needs a quantized tensor")
        return value, info

    def activation_input(self, node: Node, dtypes: Sequence[torch.dtype] = (
            torch.quint8, torch.qint8)) -> Tuple[str, TensorInfo]:
        """The input of a quantized op: quantized per tensor, one of `dtypes`
        (8-bit activations by default)."""
        value, info = self.input(node)
        if not info.is_quantized or info.dtype not in dtypes or info.axis is not None:
            names = [str(d).replace("torch.", "") for d in dtypes]
            allowed = ", ".join(names[:-1]) + " or " + names[-1] if len(names) > 1 else names[0]
            raise UnsupportedError(
                f"the input of {self.where(node)} is {info.describe()}; qnn "
                f"supports {allowed} tensors quantized per tensor here")
        return value, info

    def output_info(self, node: Node) -> TensorInfo:
        info = self.infos[node]
        if info is None:
            raise UnsupportedError(f"{self.where(node)} must return a tensor")
        return info

    def output_type(self, node: Node) -> str:
        return tensor_type(self.output_info(node), f"the result of {self.where(node)}")

    # -- the handler API: emission -------------------------------------------

    def define(self, node: Node, op: str) -> str:
        """Emits `%node = op`, binds `node` to it and returns the SSA value."""
        self.names[node] = f"%{node.name}"
        self.body.append(f"%{node.name} = {op}")
        return self.names[node]

    def alias(self, node: Node, value: str) -> None:
        """Binds `node` to an existing SSA value (an identity)."""
        self.names[node] = value

    def define_pieces(self, node: Node, values: List[str]) -> None:
        """Binds the tuple `node` returns to one SSA value per tensor."""
        self.pieces[node] = list(values)

    def fresh(self, node: Node, suffix: str) -> str:
        """A new SSA name derived from `node`'s."""
        self._fresh += 1
        return f"%{node.name}.{suffix}{self._fresh}"

    def line(self, text: str) -> None:
        """Emits one line of IR into the function body."""
        self.body.append(text)

    def emit_constant(self, name: str, tensor: torch.Tensor, info: TensorInfo) -> str:
        """Emits a constant tensor (quantized: its storage, a dense_resource
        blob when large, cast to its type; float: inline); returns its SSA
        value."""
        value = f"%{name}"
        if info.is_quantized:
            storage = tensor.int_repr().contiguous().numpy()
            literal = self.constants.literal(storage, name)
            self.body.append(f"{value}_storage = arith.constant {literal} : "
                             f"{storage_type(info)}")
            self.body.append(f"{value} = quant.scast {value}_storage : "
                             f"{storage_type(info)} to {tensor_type(info, name)}")
            return value
        if tensor.dtype != torch.float32:
            raise UnsupportedError(f"constant '{name}' is {info.describe()}; qnn "
                                   "supports float32 and quantized constants")
        data = tensor.detach().contiguous().numpy().astype("<f4")
        # Inline, so that the lowering folds the bias scaling (constants.py).
        literal = self.constants.literal(data, name, blob=False)
        self.body.append(f"{value} = arith.constant {literal} : {shaped(data.shape, 'f32')}")
        return value

    # -- in-place ops --------------------------------------------------------

    def check_inplace(self, node: Node) -> None:
        """An in-place op overwrites its input, and every view of it, in
        PyTorch; in SSA form it defines a new value. That is the same program
        only when nothing else reads the overwritten tensor."""
        aliases: Set[Node] = set()
        pending = [self.arg(node, 0, "input")]
        while pending:
            current = pending.pop()
            if not isinstance(current, Node) or current in aliases:
                continue
            aliases.add(current)
            if self.handler(current).view:
                pending.append(self.arg(current, 0, "input"))
            pending += [u for u in current.users if self.handler(u).view]
        readers = {u for a in aliases for u in a.users} - aliases - {node}
        if readers:
            names = ", ".join(sorted(f"'{u.name}'" for u in readers))
            raise UnsupportedError(
                f"in-place {self.where(node)} overwrites a tensor that {names} "
                "also read; use inplace=False")


# ---------------------------------------------------------------------------
# Graph inputs, outputs and attributes
# ---------------------------------------------------------------------------


def _placeholder(ctx: Importer, node: Node) -> None:
    info = ctx.infos[node]
    what = f"example input '{node.name}'"
    if info is None:
        raise UnsupportedError(f"{what} is not a tensor")
    ctx.names[node] = f"%{node.name}"
    ctx.arguments.append(f"%{node.name}: {tensor_type(info, what)}")


def _output(ctx: Importer, node: Node) -> None:
    value = node.args[0]
    for out in value if isinstance(value, (tuple, list)) else (value,):
        info = ctx.info(out)
        if info is None:
            raise UnsupportedError("the model must return a tensor or a flat "
                                   f"tuple of tensors, got {value!r}")
        ssa, _ = ctx.operand(node, out, "an output")
        ctx.results.append((ssa, tensor_type(info, "a model output")))


def _get_attr(ctx: Importer, node: Node) -> None:
    """Attributes are constants: their values are used where needed (FX
    mode's scales and zero points) or emitted where a tensor is used."""


_BUILTIN = {
    "placeholder": registry.Handler(_placeholder),
    "output": registry.Handler(_output),
    "get_attr": registry.Handler(_get_attr),
}

