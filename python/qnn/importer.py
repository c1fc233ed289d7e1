"""Import PyTorch quantized models into the qnn MLIR dialect.

`from_torch(model, *example_inputs)` returns the model as MLIR text: one
`func.func @forward` inside a module tagged with the quantized engine whose
numerics it reproduces (`qnn.numerics`, from `torch.backends.quantized.engine`
at import time).

How it works:

1. The model is traced with `torch.fx.symbolic_trace`. PyTorch's quantized
   modules live under `torch.ao.nn` / `torch.nn`, so the tracer keeps them as
   leaf `call_module` nodes. A model that is itself such a leaf (a bare
   `nnq.Linear`, say) is wrapped in a one-node graph.
2. Every node is checked against the supported modules, functions and
   methods before anything runs, so an unsupported one raises
   `UnsupportedError` naming it.
3. The graph runs on (copies of) the example inputs with a `torch.fx`
   interpreter that records each node's output: shape, dtype and
   quantization parameters. These give every op's result type, so the IR
   carries exactly the scales and zero points PyTorch used.
4. One op (plus its weight constants) is emitted per node.

Weights become `arith.constant dense<"0x...">` of their integer storage (raw
little-endian bytes, so values are exact) cast to their quantized type with
`quant.scast`; biases are f32 constants in the same hex form.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass
from typing import Any, Callable, Dict, List, Optional, Sequence, Set, Tuple

import numpy as np
import torch
import torch.fx
import torch.nn as nn
import torch.nn.functional as F
import torch.nn.intrinsic.quantized as nniq
import torch.nn.quantized as nnq
from torch.fx.node import Node, _get_qualified_name

__all__ = ["UnsupportedError", "from_torch"]


class UnsupportedError(ValueError):
    """The model uses a module, function or tensor type qnn cannot import."""


#: Quantized engines whose numerics qnn reproduces (values of `qnn.numerics`).
ENGINES = ("onednn", "qnnpack")

#: Values of `qnn.numerics` for each engine: onednn_no_vnni is onednn as
#: PyTorch runs it on x86 CPUs without VNNI (saturating int16 pair sums).
NUMERICS = {"onednn": ("onednn", "onednn_no_vnni"), "qnnpack": ("qnnpack",)}

#: Storage type of each PyTorch quantized dtype in `!quant.uniform`.
_STORAGE = {torch.quint8: "u8", torch.qint8: "i8", torch.qint32: "i32"}

_PER_TENSOR = (torch.per_tensor_affine, torch.per_tensor_symmetric)
_PER_CHANNEL = (torch.per_channel_affine, torch.per_channel_symmetric)

#: Scales must be positive f32 values (the expressed type of `!quant.uniform`).
_F32_MIN_SCALE = float(np.finfo(np.float32).smallest_subnormal)
_F32_MAX = float(np.finfo(np.float32).max)

#: Call target of the module when a bare leaf module is imported.
_ROOT = "model"


# ---------------------------------------------------------------------------
# Types
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _TensorInfo:
    """What the IR needs to know about a tensor value: its type."""

    shape: Tuple[int, ...]
    dtype: torch.dtype
    qscheme: Optional[torch.qscheme]  # None for a non-quantized tensor
    scales: Tuple[float, ...] = ()
    zero_points: Tuple[int, ...] = ()
    axis: Optional[int] = None  # quantization axis of a per-channel tensor

    @staticmethod
    def of(tensor: torch.Tensor) -> "_TensorInfo":
        shape = tuple(tensor.shape)
        if not tensor.is_quantized:
            return _TensorInfo(shape, tensor.dtype, None)
        qscheme = tensor.qscheme()
        if qscheme in _PER_TENSOR:
            return _TensorInfo(shape, tensor.dtype, qscheme,
                               (tensor.q_scale(),), (tensor.q_zero_point(),))
        if qscheme in _PER_CHANNEL:
            return _TensorInfo(
                shape, tensor.dtype, qscheme,
                tuple(tensor.q_per_channel_scales().tolist()),
                tuple(int(z) for z in tensor.q_per_channel_zero_points().tolist()),
                tensor.q_per_channel_axis())
        return _TensorInfo(shape, tensor.dtype, qscheme)

    @property
    def is_quantized(self) -> bool:
        return self.qscheme is not None

    def describe(self) -> str:
        """A short human-readable description for error messages."""
        if not self.is_quantized:
            return f"a {self.dtype} tensor"
        granularity = "per tensor" if self.axis is None else f"per channel (axis {self.axis})"
        return f"a {self.dtype} tensor quantized {granularity}"


def _format_float(value: float) -> str:
    """`value` as an MLIR float literal that parses back to the same double.

    `repr` gives the shortest string that round-trips; MLIR additionally
    needs a '.' in the mantissa (`1e-05` would lex as an integer).
    """
    text = repr(float(value))
    mantissa, e, exponent = text.partition("e")
    if "." not in mantissa:
        mantissa += ".0"
    return mantissa + e + exponent


def _element_type(info: _TensorInfo, what: str) -> str:
    """The MLIR element type of `info`; `what` names the value in errors."""
    if not info.is_quantized:
        if info.dtype != torch.float32:
            raise UnsupportedError(
                f"{what} is {info.describe()}; qnn supports float32 and "
                "quantized (quint8, qint8, qint32) tensors")
        return "f32"
    storage = _STORAGE.get(info.dtype)
    if storage is None or info.qscheme not in _PER_TENSOR + _PER_CHANNEL:
        raise UnsupportedError(
            f"{what} is a {info.dtype} tensor with qscheme {info.qscheme}; qnn "
            "supports affine quint8/qint8/qint32 quantization per tensor or "
            "per channel")
    for scale in info.scales:
        if not _F32_MIN_SCALE <= scale <= _F32_MAX:
            raise UnsupportedError(f"{what} has scale {scale!r}; qnn's scales must be "
                                   "positive float32 values (the expressed type)")
    params = [f"{_format_float(s)}:{z}" for s, z in zip(info.scales, info.zero_points)]
    if info.axis is None:
        return f"!quant.uniform<{storage}:f32, {params[0]}>"
    return f"!quant.uniform<{storage}:f32:{info.axis}, {{{', '.join(params)}}}>"


def _shaped(shape: Sequence[int], element: str) -> str:
    """`tensor<AxBx...xelement>`."""
    return "tensor<" + "".join(f"{d}x" for d in shape) + element + ">"


def _tensor_type(info: _TensorInfo, what: str) -> str:
    return _shaped(info.shape, _element_type(info, what))


def _storage_type(info: _TensorInfo) -> str:
    """The integer tensor type holding the storage of quantized `info`."""
    return _shaped(info.shape, "i" + _STORAGE[info.dtype].lstrip("ui"))


def _hex_literal(array: np.ndarray) -> str:
    """MLIR's hex form of a dense constant: the raw little-endian bytes."""
    return f'dense<"0x{array.tobytes().hex().upper()}">'


def _int_list(values: Sequence[int]) -> str:
    return "[" + ", ".join(str(int(v)) for v in values) + "]"


# ---------------------------------------------------------------------------
# Shapes
# ---------------------------------------------------------------------------


def _reassociation(big: Sequence[int], small: Sequence[int]) -> Optional[List[List[int]]]:
    """Groups of consecutive dimensions of `big` whose products are the
    dimensions of `small` (the reassociation of a `tensor.collapse_shape` from
    `big` to `small`, or of a `tensor.expand_shape` from `small` to `big`).

    Returns None when the reshape is not a pure collapse/expand.
    """
    if not small:
        return [] if all(d == 1 for d in big) else None
    groups: List[List[int]] = []
    i = 0
    for size in small:
        if i == len(big):
            return None
        group, product = [i], big[i]
        i += 1
        while product < size and i < len(big):
            group.append(i)
            product *= big[i]
            i += 1
        if product != size:
            return None
        groups.append(group)
    # Trailing unit dimensions join the last group.
    for j in range(i, len(big)):
        if big[j] != 1:
            return None
        groups[-1].append(j)
    return groups


def conv_padding(padding: Any, kernel_size: Sequence[int], dilation: Sequence[int],
                 what: str) -> List[int]:
    """Numeric symmetric padding of a convolution (PyTorch accepts 'valid' and
    'same' strings); `what` names the convolution in errors."""
    if not isinstance(padding, str):
        return [int(p) for p in padding]
    if padding == "valid":
        return [0] * len(kernel_size)
    if padding == "same":
        totals = [d * (k - 1) for k, d in zip(kernel_size, dilation)]
        if any(t % 2 for t in totals):
            raise UnsupportedError(
                f"{what} has padding='same' with an even kernel extent, which "
                "pads asymmetrically; qnn.conv pads symmetrically")
        return [t // 2 for t in totals]
    raise UnsupportedError(f"{what} has unknown padding {padding!r}")


# ---------------------------------------------------------------------------
# Supported nodes
# ---------------------------------------------------------------------------

_CONVS = (nnq.Conv1d, nnq.Conv2d, nnq.Conv3d)
_CONV_RELUS = (nniq.ConvReLU1d, nniq.ConvReLU2d, nniq.ConvReLU3d)

#: Modules with a fused ReLU (`post_op = relu`).
_FUSED_RELU = (nniq.LinearReLU,) + _CONV_RELUS

#: Handler (an `_Importer` method name) of each module type. Dispatch is on the
#: exact type: nnq.ReLU6 subclasses nn.ReLU, nniq.LinearReLU subclasses
#: nnq.Linear, and so on.
_MODULES: Dict[type, str] = {
    nnq.Quantize: "_quantize",
    nnq.DeQuantize: "_dequantize",
    nnq.Linear: "_linear",
    nniq.LinearReLU: "_linear",
    **{cls: "_conv" for cls in _CONVS + _CONV_RELUS},
    nn.ReLU: "_relu",
    nnq.ReLU6: "_relu6",
    nn.Identity: "_identity",
    nn.Dropout: "_identity",
    nnq.Dropout: "_identity",
    nn.Flatten: "_reshape",
    nn.Unflatten: "_reshape",
}

_FUNCTIONS: Dict[Callable[..., Any], str] = {
    torch.flatten: "_reshape",
    torch.reshape: "_reshape",
    torch.relu: "_relu",
    F.relu: "_relu",
}

_METHODS: Dict[str, str] = {
    "flatten": "_reshape",
    "reshape": "_reshape",
    "view": "_reshape",
    "relu": "_relu",
}

#: Functions and methods that compute shapes (`x.size(0)`, `x.shape[1] * 2`).
#: Shapes are static, so their values are folded into the reshapes using them.
_SHAPE_FUNCTIONS = {getattr, operator.getitem, operator.add, operator.sub,
                    operator.mul, operator.floordiv, operator.neg}
_SHAPE_METHODS = {"size", "dim"}

#: Nodes that may return a view of their input (for in-place checks).
_VIEW_HANDLERS = {"_identity", "_reshape"}


def _qualname(obj: Any) -> str:
    return f"{obj.__module__}.{obj.__qualname__}"


def _tensor_arg(node: Node) -> Any:
    """What a supported op applies to: its first argument (or `input=`)."""
    return node.args[0] if node.args else node.kwargs.get("input")


# ---------------------------------------------------------------------------
# The importer
# ---------------------------------------------------------------------------


class _Recorder(torch.fx.Interpreter):
    """Runs a traced model and records each node's output type."""

    def __init__(self, module: torch.fx.GraphModule,
                 infos: Dict[Node, Optional[_TensorInfo]]) -> None:
        super().__init__(module)
        self.infos = infos

    def run_node(self, n: Node) -> Any:
        value = super().run_node(n)
        # Recorded right away: a later in-place op may mutate the tensor.
        self.infos[n] = _TensorInfo.of(value) if isinstance(value, torch.Tensor) else None
        return value


class _Importer:
    """Emits the qnn IR of one traced model."""

    def __init__(self, module: torch.fx.GraphModule, bare: bool, engine: str,
                 numerics: str) -> None:
        self.module = module
        self.bare = bare
        self.engine = engine
        self.numerics = numerics
        self.infos: Dict[Node, Optional[_TensorInfo]] = {}
        self.names: Dict[Node, str] = {}  # SSA value of each tensor node
        self.arguments: List[str] = []
        self.results: List[Tuple[str, str]] = []  # (SSA value, type)
        self.body: List[str] = []

    # -- driver --------------------------------------------------------------

    def check_supported(self) -> None:
        """Raises UnsupportedError on the first node qnn cannot import."""
        for node in self.module.graph.nodes:
            self._handler(node)

    def run(self, example_inputs: Sequence[Any]) -> None:
        placeholders = [n for n in self.module.graph.nodes if n.op == "placeholder"]
        if len(placeholders) != len(example_inputs):
            raise ValueError(f"the model takes {len(placeholders)} inputs but "
                             f"{len(example_inputs)} example inputs were given")
        # Copies, so in-place modules do not modify the caller's tensors.
        inputs = [x.clone() if isinstance(x, torch.Tensor) else x for x in example_inputs]
        with torch.no_grad():
            _Recorder(self.module, self.infos).run(*inputs)

    def emit(self) -> str:
        for node in self.module.graph.nodes:
            getattr(self, self._handler(node))(node)
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
        lines += ["  }", "}", ""]
        return "\n".join(lines)

    # -- dispatch ------------------------------------------------------------

    def _handler(self, node: Node) -> str:
        """The name of the method emitting `node`."""
        handler: Optional[str] = None
        if node.op in ("placeholder", "output"):
            handler = "_" + node.op
        elif node.op == "call_module":
            module = self.module.get_submodule(node.target)
            handler = _MODULES.get(type(module))
            # nn.Dropout drops in training mode (nnq.Dropout never does).
            if type(module) is nn.Dropout and module.training:
                raise UnsupportedError(f"{self._where(node)} is in training mode; call "
                                       "model.eval() so that dropout is the identity")
        elif node.op == "call_function":
            handler = _FUNCTIONS.get(node.target)
            if handler is None and node.target in _SHAPE_FUNCTIONS:
                handler = "_shape_computation"
        elif node.op == "call_method":
            handler = _METHODS.get(node.target)
            if handler is None and node.target in _SHAPE_METHODS:
                handler = "_shape_computation"
        if handler is None:
            raise UnsupportedError(f"unsupported {self._where(node)}")
        return handler

    def _where(self, node: Node) -> str:
        """Names `node` for error messages."""
        if node.op == "call_module":
            cls = type(self.module.get_submodule(node.target))
            place = "the model root" if self.bare else f"'{node.target}'"
            return f"module {_qualname(cls)} at {place}"
        if node.op == "call_function":
            return f"function {_get_qualified_name(node.target)} at '{node.name}'"
        if node.op == "call_method":
            return f"method Tensor.{node.target} at '{node.name}'"
        if node.op == "get_attr":
            return f"attribute access '{node.target}' (only modules' own weights are imported)"
        return f"{node.op} '{node.name}'"

    # -- operands ------------------------------------------------------------

    def _input(self, node: Node) -> Tuple[str, _TensorInfo]:
        """SSA value and type info of the tensor `node` applies to (its first
        argument)."""
        arg = _tensor_arg(node)
        info = self.infos.get(arg) if isinstance(arg, Node) else None
        if info is None:
            raise UnsupportedError(f"{self._where(node)} must be applied to a tensor")
        return self.names[arg], info

    def _quantized_input(self, node: Node) -> Tuple[str, _TensorInfo]:
        value, info = self._input(node)
        if not info.is_quantized:
            raise UnsupportedError(f"{self._where(node)} is applied to "
                                   f"{info.describe()}; it needs a quantized tensor")
        return value, info

    def _activation_input(self, node: Node) -> Tuple[str, _TensorInfo]:
        """The input of a compute op: quint8, quantized per tensor (the
        modules then return quint8 per tensor too)."""
        value, info = self._input(node)
        if not info.is_quantized or info.dtype != torch.quint8 or info.axis is not None:
            raise UnsupportedError(
                f"the input of {self._where(node)} is {info.describe()}; qnn "
                "supports quint8 activations quantized per tensor")
        return value, info

    def _output_type(self, node: Node) -> str:
        return _tensor_type(self.infos[node], f"the result of {self._where(node)}")

    def _define(self, node: Node, op: str) -> None:
        """Emits `%node = op` and binds `node` to it."""
        self.names[node] = f"%{node.name}"
        self.body.append(f"%{node.name} = {op}")

    # -- constants -----------------------------------------------------------

    def _weight_bias(self, node: Node) -> Tuple[torch.Tensor, Optional[torch.Tensor]]:
        """The weight and bias of a Linear/Conv, unpacked from its packed
        parameters (which some engines cannot do)."""
        try:
            return self.module.get_submodule(node.target)._weight_bias()
        except RuntimeError as error:
            raise UnsupportedError(
                f"torch cannot read the weights of {self._where(node)} on "
                f"{self.engine}: {str(error).splitlines()[0]}") from error

    def _weight(self, node: Node, weight: torch.Tensor) -> Tuple[str, str]:
        """Emits a quantized weight constant; returns (SSA value, type)."""
        info = _TensorInfo.of(weight)
        qtype = _tensor_type(info, f"the weight of {self._where(node)}")
        storage = weight.int_repr().contiguous().numpy()
        value = f"%{node.name}.weight"
        self.body.append(f"{value}_storage = arith.constant {_hex_literal(storage)} : "
                         f"{_storage_type(info)}")
        self.body.append(f"{value} = quant.scast {value}_storage : "
                         f"{_storage_type(info)} to {qtype}")
        return value, qtype

    def _bias(self, node: Node, bias: Optional[torch.Tensor]) -> Tuple[str, List[str]]:
        """Emits the float bias constant, if any; returns the op's ` bias(%b)`
        clause and the operand types it adds."""
        if bias is None:
            return "", []
        if bias.dtype != torch.float32:
            raise UnsupportedError(f"the bias of {self._where(node)} is {bias.dtype}; "
                                   "qnn supports float32 biases")
        data = bias.detach().contiguous().numpy().astype("<f4")
        value = f"%{node.name}.bias"
        btype = _shaped(data.shape, "f32")
        self.body.append(f"{value} = arith.constant {_hex_literal(data)} : {btype}")
        return f" bias({value})", [btype]

    # -- handlers ------------------------------------------------------------

    def _placeholder(self, node: Node) -> None:
        info = self.infos[node]
        what = f"example input '{node.name}'"
        if info is None:
            raise UnsupportedError(f"{what} is not a tensor")
        self.names[node] = f"%{node.name}"
        self.arguments.append(f"%{node.name}: {_tensor_type(info, what)}")

    def _output(self, node: Node) -> None:
        value = node.args[0]
        for out in value if isinstance(value, (tuple, list)) else (value,):
            info = self.infos.get(out) if isinstance(out, Node) else None
            if info is None:
                raise UnsupportedError("the model must return a tensor or a flat "
                                       f"tuple of tensors, got {value!r}")
            self.results.append((self.names[out], _tensor_type(info, "a model output")))

    def _shape_computation(self, node: Node) -> None:
        if self.infos[node] is not None:
            raise UnsupportedError(f"unsupported {self._where(node)} on tensors")

    def _quantize(self, node: Node) -> None:
        x, info = self._input(node)
        x_type = _tensor_type(info, f"the input of {self._where(node)}")
        self._define(node, f"qnn.quantize {x} : {x_type} -> {self._output_type(node)}")

    def _dequantize(self, node: Node) -> None:
        x, info = self._quantized_input(node)
        x_type = _tensor_type(info, f"the input of {self._where(node)}")
        self._define(node, f"qnn.dequantize {x} : {x_type} -> {self._output_type(node)}")

    def _linear(self, node: Node) -> None:
        module = self.module.get_submodule(node.target)
        x, info = self._activation_input(node)
        if len(info.shape) < 2:
            raise UnsupportedError(f"the input of {self._where(node)} has shape "
                                   f"{list(info.shape)}; qnn.linear needs rank >= 2")
        weight, bias = self._weight_bias(node)
        w, w_type = self._weight(node, weight)
        bias_clause, bias_types = self._bias(node, bias)
        post_op = " post_op = relu" if isinstance(module, _FUSED_RELU) else ""
        types = ", ".join([_tensor_type(info, "the input")] + [w_type] + bias_types)
        self._define(node, f"qnn.linear {x}, {w}{bias_clause}{post_op} : "
                           f"({types}) -> {self._output_type(node)}")

    def _conv(self, node: Node) -> None:
        module = self.module.get_submodule(node.target)
        where = self._where(node)
        x, info = self._activation_input(node)
        padding = conv_padding(module.padding, module.kernel_size, module.dilation, where)
        weight, bias = self._weight_bias(node)
        w, w_type = self._weight(node, weight)
        bias_clause, bias_types = self._bias(node, bias)
        attrs = (f"strides = {_int_list(module.stride)} padding = {_int_list(padding)} "
                 f"dilations = {_int_list(module.dilation)} groups = {module.groups}")
        if module.padding_mode != "zeros":
            attrs += f" padding_mode = {module.padding_mode}"
        if isinstance(module, _FUSED_RELU):
            attrs += " post_op = relu"
        types = ", ".join([_tensor_type(info, "the input")] + [w_type] + bias_types)
        self._define(node, f"qnn.conv {x}, {w}{bias_clause} {attrs} : "
                           f"({types}) -> {self._output_type(node)}")

    def _relu(self, node: Node) -> None:
        self._clamp(node, "relu")

    def _relu6(self, node: Node) -> None:
        self._clamp(node, "relu6")

    def _clamp(self, node: Node, activation: str) -> None:
        x, info = self._activation_input(node)
        if self._is_inplace(node):
            self._check_inplace(node)
        x_type = _tensor_type(info, 'the input')
        self._define(node, f"qnn.activation {activation} {x} : {x_type} -> {x_type}")

    def _identity(self, node: Node) -> None:
        self.names[node] = self._input(node)[0]

    def _reshape(self, node: Node) -> None:
        """flatten/reshape/view: collapse or expand dimensions when the reshape
        is one, else `tensor.reshape`. Only the recorded shapes matter, so any
        way of spelling the target shape is accepted."""
        x, info = self._input(node)
        src, dst = info.shape, self.infos[node].shape
        if src == dst:
            self.names[node] = x
            return
        src_type = _tensor_type(info, f"the input of {self._where(node)}")
        dst_type = self._output_type(node)
        if len(dst) < len(src) and (groups := _reassociation(src, dst)) is not None:
            self._define(node, f"tensor.collapse_shape {x} {groups} : {src_type} "
                               f"into {dst_type}")
        elif len(dst) > len(src) and (groups := _reassociation(dst, src)) is not None:
            self._define(node, f"tensor.expand_shape {x} {groups} output_shape "
                               f"{_int_list(dst)} : {src_type} into {dst_type}")
        else:
            shape = f"%{node.name}.shape"
            shape_type = f"tensor<{len(dst)}xi64>"
            self.body.append(f"{shape} = arith.constant dense<{_int_list(dst)}> : "
                             f"{shape_type}")
            self._define(node, f"tensor.reshape {x}({shape}) : ({src_type}, "
                               f"{shape_type}) -> {dst_type}")

    # -- in-place ops --------------------------------------------------------

    def _is_inplace(self, node: Node) -> bool:
        if node.op == "call_module":
            return bool(getattr(self.module.get_submodule(node.target), "inplace", False))
        if node.target is F.relu:
            return bool(node.kwargs.get("inplace", len(node.args) > 1 and node.args[1]))
        return False

    def _check_inplace(self, node: Node) -> None:
        """An in-place op overwrites its input, and every view of it, in
        PyTorch; in SSA form it defines a new value. That is the same program
        only when nothing else reads the overwritten tensor."""
        aliases: Set[Node] = set()
        pending = [_tensor_arg(node)]
        while pending:
            current = pending.pop()
            if current in aliases:
                continue
            aliases.add(current)
            if self._handler(current) in _VIEW_HANDLERS:
                pending.append(_tensor_arg(current))
            pending += [u for u in current.users if self._handler(u) in _VIEW_HANDLERS]
        readers = {u for a in aliases for u in a.users} - aliases - {node}
        if readers:
            names = ", ".join(sorted(f"'{u.name}'" for u in readers))
            raise UnsupportedError(
                f"in-place {self._where(node)} overwrites a tensor that {names} "
                "also read; use inplace=False")


def _trace(model: nn.Module, num_inputs: int) -> Tuple[torch.fx.GraphModule, bool]:
    """Traces `model`; returns the graph module and whether `model` is a bare
    leaf module (then it is the graph's single `call_module`)."""
    if torch.fx.Tracer().is_leaf_module(model, ""):
        graph = torch.fx.Graph()
        args = tuple(graph.placeholder(f"arg{i}") for i in range(num_inputs))
        graph.output(graph.call_module(_ROOT, args))
        return torch.fx.GraphModule({_ROOT: model}, graph), True
    try:
        return torch.fx.symbolic_trace(model), False
    except torch.fx.proxy.TraceError as error:
        raise UnsupportedError(f"the model cannot be traced by torch.fx: {error}") from error


def from_torch(model: nn.Module, *example_inputs: Any,
               numerics: str | None = None) -> str:
    """Imports a PyTorch quantized model as qnn MLIR text.

    Args:
        model: a model after `torch.ao.quantization.convert` (QuantStub and
            DeQuantStub become `nnq.Quantize`/`nnq.DeQuantize`), an
            `nn.Sequential` or any torch.fx-traceable module built from
            supported modules, or a bare supported module.
        example_inputs: one tensor per model input. They fix the static
            shapes of the IR; quantized inputs give their scale, zero point
            and dtype to the function's argument types. They are not modified.
        numerics: the `qnn.numerics` to record, by default the engine's
            name. With the onednn engine, "onednn_no_vnni" asks for PyTorch's
            arithmetic on x86 CPUs without VNNI, where onednn saturates
            int16 sums of pairs of products (`qnn.torch_onednn_saturates()`
            tells whether this machine is one).

    Returns:
        An MLIR module with a `qnn.numerics` attribute naming the current
        `torch.backends.quantized.engine` and one `func.func @forward` whose
        arguments and results follow the model's inputs and outputs.

    Raises:
        UnsupportedError: the model uses a module, function, method or
            tensor type qnn does not support, or the engine is neither
            'onednn' nor 'qnnpack'. The message names the culprit.
    """
    engine = torch.backends.quantized.engine
    if engine not in ENGINES:
        raise UnsupportedError(f"quantized engine {engine!r} is not supported; "
                               f"qnn reproduces {' and '.join(map(repr, ENGINES))}")
    numerics = numerics or engine
    if numerics not in NUMERICS[engine]:
        raise ValueError(f"numerics {numerics!r} is not one of the {engine} "
                         f"engine's: {', '.join(NUMERICS[engine])}")
    module, bare = _trace(model, len(example_inputs))
    importer = _Importer(module, bare, engine, numerics)
    importer.check_supported()
    importer.run(example_inputs)
    return importer.emit()
