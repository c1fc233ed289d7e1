#!/usr/bin/python3
"""Catalog the torch.fx graphs qnn's importer meets (torch 1.13, torchvision 0.14).

Research script behind docs/research/fx-and-torchvision.md. Three workflows:

  fx        FX graph mode quantization (prepare_fx / convert_fx) of a few small
            hand-written models, for each engine / backend_config variant.
  tv-eager  torchvision.models.quantization architectures, quantized in eager
            mode (fuse_model / prepare / convert), then torch.fx.symbolic_trace'd.
  tv-fx     float torchvision models quantized with prepare_fx / convert_fx.

For every graph it records each node (op, target, args/kwargs with the kind of
value every argument holds at run time, the kind of value the node produces),
the (op, target) counts, the distinct argument patterns per (op, target), the
get_attr values and the call_module module types, and whether the graph
differs between engines. Reports go to OUT/<workflow>/*.txt, a machine
readable summary to OUT/<workflow>.json.

Usage (needs the Debian python that has torch):
  /usr/bin/python3 scripts/research/catalog_graphs.py fx       [--out DIR]
  /usr/bin/python3 scripts/research/catalog_graphs.py tv-eager [--out DIR] [--models a,b]
  /usr/bin/python3 scripts/research/catalog_graphs.py tv-fx    [--out DIR] [--models a,b]

Random weights only (weights=None), small inputs, two calibration batches,
one intra-op thread: it is meant to run next to a test suite.
"""

import argparse
import collections
import copy
import inspect
import json
import os
import sys
import time
import traceback
import warnings
from typing import Any, Dict, List, Optional, Tuple

import torch
import torch.fx
import torch.nn as nn
import torch.nn.functional as F
from torch.fx.node import Node, _get_qualified_name

warnings.filterwarnings("ignore")
torch.set_num_threads(1)

ENGINES = ("onednn", "qnnpack")

# ---------------------------------------------------------------------------
# Naming
# ---------------------------------------------------------------------------


def _alias_map() -> Dict[type, str]:
    """Short names (nnq.Conv2d, nniq.ConvReLU2d, ...) of module classes."""
    import torch.ao.nn.quantized as ao_nnq
    import torch.ao.nn.quantized.reference as ao_nnqr
    import torch.nn.intrinsic as nni
    import torch.nn.intrinsic.quantized as nniq
    import torch.nn.quantized as nnq
    spaces = [("nn", nn), ("nni", nni), ("nniq", nniq), ("nnq", nnq),
              ("nnq", ao_nnq), ("nnqr", ao_nnqr),
              ("torch.ao.quantization", torch.ao.quantization)]
    try:
        import torch.ao.nn.intrinsic.quantized as ao_nniq
        spaces.append(("nniq", ao_nniq))
    except ImportError:
        pass
    aliases: Dict[type, str] = {}
    for prefix, space in spaces:
        for name in dir(space):
            obj = getattr(space, name)
            if isinstance(obj, type) and issubclass(obj, nn.Module) and obj not in aliases:
                aliases[obj] = f"{prefix}.{name}"
    return aliases


ALIASES = _alias_map()


def type_name(cls: type) -> str:
    return ALIASES.get(cls, f"{cls.__module__}.{cls.__qualname__}")


def full_type_name(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


def func_name(target: Any) -> str:
    try:
        return _get_qualified_name(target)
    except Exception:  # pragma: no cover - defensive
        return repr(target)


def packed_kind(v: "torch.ScriptObject", detailed: bool) -> str:
    """Packed weights (torch.classes.quantized.*PackedParamsBase)."""
    methods = v._method_names()
    if "stride" in methods:
        name = "ConvPackedParamsBase"
        if detailed:
            name += (f"(stride={v.stride()}, padding={v.padding()}, dilation={v.dilation()}, "
                     f"groups={v.groups()}, transpose={v.transpose()})")
    elif "unpack" in methods:
        name = "LinearPackedParamsBase"
    else:
        return "ScriptObject"
    if detailed:
        w, b = v.unpack()
        name += f" weight={value_kind(w)} bias={value_kind(b)}"
    return f"ScriptObject<{name}>"


def value_kind(v: Any) -> str:
    """The kind of a run-time value, as the importer will see it."""
    if isinstance(v, torch.Tensor):
        shape = "x".join(str(s) for s in v.shape) or "scalar"
        if v.is_quantized:
            q = v.qscheme()
            if q in (torch.per_tensor_affine, torch.per_tensor_symmetric):
                return f"QTensor<{shape},{str(v.dtype)[6:]},s={v.q_scale():.4g},zp={v.q_zero_point()}>"
            return f"QTensor<{shape},{str(v.dtype)[6:]},{str(q)[6:]},axis={v.q_per_channel_axis()}>"
        if v.numel() == 1 and v.dim() == 0:
            return f"Tensor<scalar,{str(v.dtype)[6:]}>={v.item():.6g}"
        if v.numel() == 1:
            return f"Tensor<{shape},{str(v.dtype)[6:]}>={v.item():.6g}"
        return f"Tensor<{shape},{str(v.dtype)[6:]}>"
    if isinstance(v, torch.ScriptObject):
        return packed_kind(v, detailed=True)
    if isinstance(v, torch.Size):
        return f"Size{tuple(v)}"
    if isinstance(v, (list, tuple)):
        inner = ", ".join(value_kind(x) for x in v)
        return ("[" + inner + "]") if isinstance(v, list) else ("(" + inner + ")")
    if isinstance(v, (bool, int, float, str, type(None))):
        return f"{type(v).__name__}={v!r}"
    if isinstance(v, (torch.dtype, torch.qscheme, torch.memory_format)):
        return repr(v)
    return type(v).__name__


def short_kind(v: Any) -> str:
    """value_kind without shapes and numbers, for argument patterns."""
    if isinstance(v, torch.Tensor):
        if v.is_quantized:
            q = v.qscheme()
            per = "pt" if q in (torch.per_tensor_affine, torch.per_tensor_symmetric) else "pc"
            return f"QTensor[{str(v.dtype)[6:]},{per},{v.dim()}d]"
        return f"Tensor[{str(v.dtype)[6:]},{v.dim()}d]"
    if isinstance(v, torch.ScriptObject):
        return packed_kind(v, detailed=False)
    if isinstance(v, torch.Size):
        return "Size"
    if isinstance(v, (list, tuple)):
        kinds = [short_kind(x) for x in v]
        if kinds and all(k == kinds[0] for k in kinds):
            inner = f"{kinds[0]}*{len(kinds)}"
        else:
            inner = ", ".join(kinds)
        return ("[" + inner + "]") if isinstance(v, list) else ("(" + inner + ")")
    if isinstance(v, (torch.dtype, torch.qscheme, torch.memory_format)):
        return repr(v)
    if isinstance(v, slice):
        return "slice"
    if v is None:
        return "None"
    return type(v).__name__


# ---------------------------------------------------------------------------
# Python 3.11 vs torch 1.13's Proxy.__iter__
# ---------------------------------------------------------------------------
#
# torch 1.13's Proxy.__iter__ finds the caller's instruction with
# `list(dis.get_instructions(code))[frame.f_lasti // 2]`. From Python 3.11 on,
# instructions have inline CACHE entries that get_instructions() skips, so the
# index is wrong: tuple unpacking of a Proxy (`n, c, h, w = x.size()`,
# `a, b = x.chunk(2)`) fails with "Proxy object cannot be iterated" or
# "IndexError: list index out of range". The patch looks the instruction up by
# byte offset instead (what later torch versions do).

_ORIGINAL_ITER = torch.fx.proxy.Proxy.__iter__


def _patched_iter(self):
    import dis
    frame = inspect.currentframe()
    calling_frame = frame.f_back
    inst = None
    for candidate in dis.get_instructions(calling_frame.f_code):
        if candidate.offset == calling_frame.f_lasti:
            inst = candidate
            break
    if inst is not None and inst.opname == "UNPACK_SEQUENCE":
        return (self[i] for i in range(inst.argval))
    return self.tracer.iter(self)


class patched_proxy_iter:
    """Context manager installing _patched_iter."""

    def __enter__(self):
        torch.fx.proxy.Proxy.__iter__ = _patched_iter

    def __exit__(self, *exc):
        torch.fx.proxy.Proxy.__iter__ = _ORIGINAL_ITER


def first_line(e: BaseException) -> str:
    return f"{type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}"


# ---------------------------------------------------------------------------
# Graph inspection
# ---------------------------------------------------------------------------


class Recorder(torch.fx.Interpreter):
    """Runs a GraphModule, keeping each node's value."""

    def __init__(self, gm: torch.fx.GraphModule) -> None:
        super().__init__(gm)
        self.values: Dict[Node, Any] = {}

    def run_node(self, n: Node) -> Any:
        result = super().run_node(n)
        self.values[n] = result
        return result


def node_key(gm: torch.fx.GraphModule, n: Node) -> Tuple[str, str]:
    if n.op == "call_module":
        return n.op, type_name(type(gm.get_submodule(n.target)))
    if n.op == "call_function":
        return n.op, func_name(n.target)
    if n.op == "call_method":
        return n.op, "Tensor." + n.target
    if n.op == "get_attr":
        return n.op, "<attr>"
    return n.op, ""


def fmt_arg(a: Any, values: Dict[Node, Any]) -> str:
    if isinstance(a, Node):
        return f"%{a.name}"
    if isinstance(a, (list, tuple)):
        inner = ", ".join(fmt_arg(x, values) for x in a)
        return f"[{inner}]" if isinstance(a, list) else f"({inner}{',' if len(a) == 1 else ''})"
    if isinstance(a, dict):
        return "{" + ", ".join(f"{k}={fmt_arg(v, values)}" for k, v in a.items()) + "}"
    return repr(a)


def pattern_arg(a: Any, values: Dict[Node, Any]) -> str:
    """Structure of one argument: what kind of node or constant it is."""
    if isinstance(a, Node):
        kind = short_kind(values.get(a))
        if a.op == "get_attr":
            return f"get_attr:{kind}"
        if a.op == "placeholder":
            return f"input:{kind}"
        return kind
    if isinstance(a, (list, tuple)):
        parts = [pattern_arg(x, values) for x in a]
        if parts and all(p == parts[0] for p in parts):
            inner = f"{parts[0]}*{len(parts)}"
        else:
            inner = ", ".join(parts)
        return f"[{inner}]" if isinstance(a, list) else f"({inner})"
    if isinstance(a, (torch.dtype, torch.qscheme, torch.memory_format)):
        return repr(a)
    if isinstance(a, slice):
        return "slice"
    if a is None:
        return "None"
    return f"{type(a).__name__}"


def node_pattern(n: Node, values: Dict[Node, Any]) -> str:
    args = ", ".join(pattern_arg(a, values) for a in n.args)
    kwargs = ", ".join(f"{k}={pattern_arg(v, values)}" for k, v in n.kwargs.items())
    sig = args + ((", " if args and kwargs else "") + kwargs if kwargs else "")
    return f"({sig}) -> {short_kind(values.get(n))}"


def module_summary(m: nn.Module) -> str:
    extra = m.extra_repr().replace("\n", " ")
    bits = [extra] if extra else []
    w = None
    try:
        if hasattr(m, "weight") and callable(m.weight):
            w = m.weight()
    except Exception:
        w = None
    if isinstance(w, torch.Tensor) and w.is_quantized:
        bits.append(f"weight={value_kind(w)}")
    if hasattr(m, "bias") and callable(getattr(m, "bias", None)):
        try:
            b = m.bias()
            if b is not None:
                bits.append(f"bias={value_kind(b)}")
        except Exception:
            pass
    return "; ".join(bits)


def inspect_graph(gm: torch.fx.GraphModule, inputs: Tuple[Any, ...]) -> Dict[str, Any]:
    rec = Recorder(gm)
    with torch.no_grad():
        rec.run(*[x.clone() for x in inputs])
    values = rec.values
    nodes = []
    counts: Dict[str, int] = collections.Counter()
    patterns: Dict[str, Dict[str, str]] = collections.defaultdict(dict)
    attrs = []
    modules = []
    for n in gm.graph.nodes:
        op, tgt = node_key(gm, n)
        key = f"{op} {tgt}".strip()
        counts[key] += 1
        line = (f"%{n.name} = {op}[{n.target if op != 'call_function' else func_name(n.target)}]"
                f"(args={fmt_arg(tuple(n.args), values)}, kwargs={fmt_arg(dict(n.kwargs), values)})"
                f"  -> {value_kind(values.get(n))}")
        if op == "call_module":
            line += f"   # {type_name(type(gm.get_submodule(n.target)))}"
        nodes.append(line)
        pat = node_pattern(n, values)
        patterns[key].setdefault(pat, line)
        if op == "get_attr":
            attrs.append(f"{n.target}: {value_kind(values.get(n))}")
        if op == "call_module":
            m = gm.get_submodule(n.target)
            modules.append(f"{n.target}: {type_name(type(m))} ({full_type_name(type(m))}) "
                           f"[{module_summary(m)}]")
    return {
        "code": gm.code,
        "nodes": nodes,
        "counts": dict(sorted(counts.items())),
        "patterns": {k: v for k, v in sorted(patterns.items())},
        "attrs": attrs,
        "modules": modules,
        "structure": structure(gm),
    }


def structure(gm: torch.fx.GraphModule) -> List[str]:
    """Engine-independent signature: ops, targets and arg wiring, with nodes
    named by position (node names and get_attr names are not compared)."""
    index = {n: i for i, n in enumerate(gm.graph.nodes)}

    def canon(a: Any) -> str:
        if isinstance(a, Node):
            return f"%{index[a]}"
        if isinstance(a, (list, tuple)):
            inner = ", ".join(canon(x) for x in a)
            return f"[{inner}]" if isinstance(a, list) else f"({inner})"
        if isinstance(a, dict):
            return "{" + ", ".join(f"{k}={'<zp>' if k == 'zero_point' else canon(v)}"
                                   for k, v in a.items()) + "}"
        if isinstance(a, float):
            return "<float>"  # scales baked in by QFunctional differ between runs/engines
        return repr(a)

    out = []
    for n in gm.graph.nodes:
        op, tgt = node_key(gm, n)
        if op == "get_attr":
            value = gm
            for part in n.target.split("."):
                value = getattr(value, part)
            tgt = short_kind(value)
        elif op == "call_module":
            tgt += "(" + gm.get_submodule(n.target).extra_repr().split("scale=")[0] + ")"
        out.append(f"%{index[n]}={op}:{tgt}{canon(tuple(n.args))}{canon(dict(n.kwargs))}")
    return out


def diff_structure(a: List[str], b: List[str]) -> List[str]:
    import difflib
    return [l for l in difflib.unified_diff(a, b, "onednn", "other", lineterm="", n=0)]


def module_configs(gm: torch.fx.GraphModule) -> Dict[str, Dict[str, int]]:
    """Distinct configurations of the modules called, channel counts and
    quantization parameters stripped (kernel/stride/padding/groups/...)."""
    import re
    out: Dict[str, Dict[str, int]] = collections.defaultdict(collections.Counter)
    for n in gm.graph.nodes:
        if n.op != "call_module":
            continue
        m = gm.get_submodule(n.target)
        r = m.extra_repr().replace("\n", " ")
        r = re.sub(r"^\d+, \d+, ", "", r)                       # in/out channels
        r = re.sub(r"(in|out)_features=\d+, ", "", r)
        r = re.sub(r",? ?scale=[^,]*(, zero_point=[^,]*)?", "", r)
        r = re.sub(r"^\d+, ", "", r)                              # bn/ln channels
        if hasattr(m, "groups") and getattr(m, "groups", 1) != 1:
            depthwise = getattr(m, "groups") == getattr(m, "in_channels", -1)
            r += " [depthwise]" if depthwise else ""
        out[type_name(type(m))][r] += 1
    return {k: dict(v) for k, v in sorted(out.items())}


def module_class_counts(model: nn.Module) -> Dict[str, int]:
    c = collections.Counter(type_name(type(m)) for _, m in model.named_modules())
    return dict(sorted(c.items()))


def write_report(path: str, title: str, info: Dict[str, Any], extra: str = "") -> None:
    with open(path, "w") as f:
        f.write(f"# {title}\n\n{extra}\n")
        f.write("## code\n" + info["code"] + "\n")
        f.write("## (op, target) counts\n")
        for k, v in info["counts"].items():
            f.write(f"  {v:4d}  {k}\n")
        f.write("\n## argument patterns per (op, target) (with one example)\n")
        for k, pats in info["patterns"].items():
            f.write(f"{k}\n")
            for p, ex in pats.items():
                f.write(f"    {p}\n        e.g. {ex}\n")
        f.write("\n## get_attr values\n")
        for a in info["attrs"]:
            f.write(f"  {a}\n")
        f.write("\n## call_module modules\n")
        for m in info["modules"]:
            f.write(f"  {m}\n")
        f.write("\n## nodes\n")
        for n in info["nodes"]:
            f.write(f"  {n}\n")


def timeit(fn, *args, repeat: int = 5) -> float:
    with torch.no_grad():
        fn(*args)
        ts = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            fn(*args)
            ts.append(time.perf_counter() - t0)
    ts.sort()
    return ts[len(ts) // 2]


def retrace_same(gm: torch.fx.GraphModule) -> str:
    """Does torch.fx.symbolic_trace(gm) (what qnn's importer does) give the same graph?"""
    try:
        again = torch.fx.symbolic_trace(gm)
    except Exception as e:
        return f"re-trace FAILED: {type(e).__name__}: {e}"
    a, b = structure(gm), structure(again)
    if a == b:
        return "re-trace identical (modulo node/attribute names)"
    return "re-trace differs:\n" + "\n".join(diff_structure(a, b)[:40])


# ---------------------------------------------------------------------------
# 1. FX graph mode on small models
# ---------------------------------------------------------------------------


class SmallCNN(nn.Module):
    """conv/bn/relu, `+`, torch.add, cat, maxpool, adaptive avgpool, flatten, linear."""

    def __init__(self) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(3, 8, 3, padding=1)
        self.bn1 = nn.BatchNorm2d(8)
        self.relu1 = nn.ReLU()
        self.conv2 = nn.Conv2d(8, 8, 3, padding=1)
        self.bn2 = nn.BatchNorm2d(8)
        self.conv3 = nn.Conv2d(8, 8, 1)
        self.relu3 = nn.ReLU(inplace=True)
        self.pool = nn.MaxPool2d(2)
        self.conv4 = nn.Conv2d(16, 8, 3, stride=2, padding=1)
        self.gap = nn.AdaptiveAvgPool2d(1)
        self.fc1 = nn.Linear(8, 16)
        self.fc_relu = nn.ReLU()
        self.fc2 = nn.Linear(16, 10)

    def forward(self, x):
        y = self.relu1(self.bn1(self.conv1(x)))
        z = self.bn2(self.conv2(y))
        a = y + z                      # operator.add
        a = F.relu(a)                  # add + relu -> add_relu?
        b = self.relu3(self.conv3(a))
        c = torch.add(a, b)            # torch.add
        c = self.pool(c)
        d = torch.cat([c, self.pool(a)], dim=1)
        d = self.conv4(d)
        d = self.gap(d)
        d = torch.flatten(d, 1)
        return self.fc2(self.fc_relu(self.fc1(d)))


class ActivationNet(nn.Module):
    """Activations (module and functional forms), mul, mean, dropout."""

    def __init__(self) -> None:
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3, padding=1)
        self.hswish = nn.Hardswish()
        self.sig = nn.Sigmoid()
        self.relu6 = nn.ReLU6()
        self.lrelu = nn.LeakyReLU(0.1)
        self.elu = nn.ELU()
        self.hsig = nn.Hardsigmoid()
        self.tanh = nn.Tanh()
        self.hardtanh = nn.Hardtanh(-1.0, 1.0)
        self.drop = nn.Dropout(0.2)

    def forward(self, x):
        x = self.conv(x)
        a = self.hswish(x)
        b = F.hardswish(x)
        s = torch.sigmoid(x)
        s2 = self.sig(x)
        r6 = self.relu6(x)
        r6f = F.relu6(x)
        l1 = self.lrelu(x)
        l2 = F.leaky_relu(x, 0.2)
        e = self.elu(x)
        hs = self.hsig(x)
        t = torch.tanh(x)
        ht = self.hardtanh(x)
        cl = torch.clamp(x, -0.5, 0.5)
        m = a * s                      # operator.mul
        m2 = torch.mul(b, hs)          # torch.mul
        out = torch.cat([m, m2, s2, r6, r6f, l1, l2, e, t, ht, cl], 1)
        out = self.drop(out)
        return out.mean((2, 3)), torch.mean(out, dim=1, keepdim=True)


class ShapeNet(nn.Module):
    """x.shape, reshape/permute/transpose/contiguous/view, layernorm, 3-D linear,
    chunk, getitem slicing, flatten method, unsqueeze/squeeze."""

    def __init__(self) -> None:
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3, padding=1)
        self.ln = nn.LayerNorm(8)
        self.fc = nn.Linear(8, 8)

    def forward(self, x):
        x = self.conv(x)
        n, c, h, w = x.shape[0], x.shape[1], x.shape[2], x.shape[3]
        t = x.reshape(n, c, h * w).permute(0, 2, 1)
        t = self.ln(t)
        t = self.fc(t)
        t = t.transpose(1, 2).contiguous().view(n, c, h, w)
        parts = t.chunk(2, dim=1)
        u = torch.cat([parts[1], parts[0]], 1)
        u = u.flatten(1)
        u = u.unsqueeze(1).squeeze(1)
        return u[:, :16]


class FunctionalNet(nn.Module):
    """Functional conv/linear with parameters, standalone bn, avg/max pool,
    interpolate, conv1d, scalar add/mul, softmax, plus ops that have no
    quantized kernel (exp, matmul)."""

    def __init__(self) -> None:
        super().__init__()
        self.w = nn.Parameter(torch.randn(8, 3, 3, 3) * 0.2)
        self.b = nn.Parameter(torch.randn(8) * 0.1)
        self.bn = nn.BatchNorm2d(8)
        self.conv1d = nn.Conv1d(8, 8, 3, padding=1)
        self.lw = nn.Parameter(torch.randn(10, 8) * 0.2)
        self.lb = nn.Parameter(torch.randn(10) * 0.1)
        self.softmax = nn.Softmax(dim=1)

    def forward(self, x):
        # stride/padding/dilation as tuples, groups given: see FunctionalConvDefaults.
        y = F.conv2d(x, self.w, self.b, (1, 1), (1, 1), (1, 1), 1)
        y = F.relu(y)
        y = self.bn(y)
        y = F.avg_pool2d(y, 2)
        y = F.max_pool2d(y, 2)
        y = F.interpolate(y, scale_factor=2.0, mode="nearest")
        y = y + 1.0
        y = y * 2.0
        sm = self.softmax(y)
        p = F.adaptive_avg_pool2d(sm, (1, 1)).flatten(1)
        r = F.linear(p, self.lw, self.lb)
        q = self.conv1d(y.mean(3))
        s = torch.matmul(q, q.transpose(1, 2))
        e = torch.exp(q)
        return r, s, e


class MoreFunctionalNet(nn.Module):
    """More functional forms: plain F.conv2d, F.linear + F.relu, F.layer_norm,
    F.hardtanh/elu/hardsigmoid/dropout, Tensor.relu/torch.relu after add and
    mul, torch.sum and F.silu (no quantized kernels), x.size(0) reshapes."""

    def __init__(self) -> None:
        super().__init__()
        self.w = nn.Parameter(torch.randn(8, 3, 3, 3) * 0.2)
        self.lw = nn.Parameter(torch.randn(16, 8) * 0.2)
        self.lb = nn.Parameter(torch.zeros(16))
        self.ln_w = nn.Parameter(torch.ones(16))
        self.ln_b = nn.Parameter(torch.zeros(16))

    def forward(self, x):
        y = F.conv2d(x, self.w, None, (1, 1), (1, 1), (1, 1), 1)
        a = torch.relu(y + y)                  # add + torch.relu
        m = (a * y).relu()                     # mul + Tensor.relu
        h = F.hardtanh(m, -1.0, 1.0)
        e = F.elu(h)
        hs = F.hardsigmoid(e)
        d = F.dropout(hs, 0.1, training=False)
        p = d.mean((2, 3))                     # N x 8
        l = F.relu(F.linear(p, self.lw, self.lb))
        l = F.layer_norm(l, (16,), self.ln_w, self.ln_b)
        r = l.reshape(l.size(0), 4, 4)
        return torch.sum(r, 1), F.silu(r)


class FunctionalConvDefaults(nn.Module):
    """F.conv2d relying on default stride/dilation/groups."""

    def __init__(self) -> None:
        super().__init__()
        self.w = nn.Parameter(torch.randn(8, 3, 3, 3) * 0.2)

    def forward(self, x):
        return F.conv2d(x, self.w, None, padding=1)


class FunctionalConvInts(nn.Module):
    """F.conv2d with int (not list) stride/padding/dilation."""

    def __init__(self) -> None:
        super().__init__()
        self.w = nn.Parameter(torch.randn(8, 3, 3, 3) * 0.2)

    def forward(self, x):
        return F.conv2d(x, self.w, None, 1, 1, 1, 1)


class ConvTransposeNet(nn.Module):
    """ConvTranspose2d (per-channel weight observers reject it)."""

    def __init__(self) -> None:
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3, padding=1)
        self.convt = nn.ConvTranspose2d(8, 4, 2, stride=2)

    def forward(self, x):
        return self.convt(self.conv(x))


class UnpackNet(nn.Module):
    """Tuple unpacking of a Proxy (`n, c, h, w = x.shape`, `a, b = x.chunk(2, 1)`)."""

    def __init__(self) -> None:
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3, padding=1)

    def forward(self, x):
        x = self.conv(x)
        n, c, h, w = x.shape
        a, b = x.chunk(2, dim=1)
        return torch.cat([b, a], 1).reshape(n, c * h * w)  # .view fails: quantized conv output is NHWC-strided


FX_MODELS = {
    "SmallCNN": (SmallCNN, (1, 3, 32, 32)),
    "ActivationNet": (ActivationNet, (1, 3, 16, 16)),
    "ShapeNet": (ShapeNet, (1, 3, 8, 8)),
    "FunctionalNet": (FunctionalNet, (1, 3, 32, 32)),
    "MoreFunctionalNet": (MoreFunctionalNet, (1, 3, 8, 8)),
    "FunctionalConvDefaults": (FunctionalConvDefaults, (1, 3, 8, 8)),
    "FunctionalConvInts": (FunctionalConvInts, (1, 3, 8, 8)),
    "ConvTransposeNet": (ConvTransposeNet, (1, 3, 8, 8)),
    "UnpackNet": (UnpackNet, (1, 3, 8, 8)),
}


def fx_variants():
    from torch.ao.quantization import get_default_qconfig_mapping
    from torch.ao.quantization.backend_config import get_qnnpack_backend_config
    return {
        # name: (engine, qconfig mapping factory, backend_config factory, reference)
        "onednn": ("onednn", lambda: get_default_qconfig_mapping("onednn"), lambda: None, False),
        "qnnpack": ("qnnpack", lambda: get_default_qconfig_mapping("qnnpack"), lambda: None, False),
        "qnnpack+qnnpack_backend_config": (
            "qnnpack", lambda: get_default_qconfig_mapping("qnnpack"), get_qnnpack_backend_config, False),
        "onednn+set_global": ("onednn", _set_global_mapping, lambda: None, False),
        "onednn+reference": ("onednn", lambda: get_default_qconfig_mapping("onednn"), lambda: None, True),
    }


def _set_global_mapping():
    from torch.ao.quantization import QConfigMapping, get_default_qconfig
    return QConfigMapping().set_global(get_default_qconfig("onednn"))


def quantize_fx(model: nn.Module, engine: str, mapping, backend_config, shape, reference=False,
                batches: int = 2):
    from torch.ao.quantization.quantize_fx import convert_fx, convert_to_reference_fx, prepare_fx
    torch.backends.quantized.engine = engine
    model.eval()
    example = (torch.randn(*shape),)
    kw = {} if backend_config is None else {"backend_config": backend_config}
    prepared = prepare_fx(model, mapping, example, **kw)
    with torch.no_grad():
        for _ in range(batches):
            prepared(torch.randn(*shape))
    if reference:
        return convert_to_reference_fx(prepared, **kw), example
    return convert_fx(prepared, **kw), example


def run_fx(out: str, models: Optional[List[str]]) -> None:
    os.makedirs(os.path.join(out, "fx"), exist_ok=True)
    summary = {}
    for name, (cls, shape) in FX_MODELS.items():
        if models and name not in models:
            continue
        summary[name] = {}
        ref_structure = None
        for vname, (engine, mapping, bcfg, reference) in fx_variants().items():
            if reference and name not in ("SmallCNN", "FunctionalNet"):
                continue
            torch.manual_seed(0)
            model = cls()
            entry: Dict[str, Any] = {"engine": engine, "input": list(shape)}
            try:
                try:
                    gm, example = quantize_fx(model, engine, mapping(), bcfg(), shape, reference)
                except torch.fx.proxy.TraceError as e:
                    entry["unpatched_error"] = first_line(e)
                    torch.manual_seed(0)
                    model = cls()
                    with patched_proxy_iter():
                        gm, example = quantize_fx(model, engine, mapping(), bcfg(), shape, reference)
                    entry["needed_iter_patch"] = True
                except IndexError as e:
                    entry["unpatched_error"] = first_line(e)
                    torch.manual_seed(0)
                    model = cls()
                    with patched_proxy_iter():
                        gm, example = quantize_fx(model, engine, mapping(), bcfg(), shape, reference)
                    entry["needed_iter_patch"] = True
                torch.backends.quantized.engine = engine
                info = inspect_graph(gm, example)
                entry["counts"] = info["counts"]
                entry["patterns"] = {k: list(v) for k, v in info["patterns"].items()}
                entry["retrace"] = retrace_same(gm)
                entry["modules"] = module_class_counts(gm)
                if vname == "onednn":
                    ref_structure = info["structure"]
                elif ref_structure is not None:
                    d = diff_structure(ref_structure, info["structure"])
                    entry["diff_vs_onednn"] = d
                extra = (f"engine={engine} variant={vname} input={shape}\n{entry['retrace']}\n"
                         + (f"unpatched prepare_fx failed: {entry['unpatched_error']} "
                            "(graph below traced with the Proxy.__iter__ patch)\n"
                            if entry.get("needed_iter_patch") else "")
                         + (("diff vs onednn:\n" + "\n".join(entry.get("diff_vs_onednn", [])) + "\n")
                            if "diff_vs_onednn" in entry else ""))
                write_report(os.path.join(out, "fx", f"{name}__{vname}.txt"),
                             f"{name} / {vname}", info, extra)
            except Exception as e:
                entry["error"] = first_line(e)
                entry["traceback"] = traceback.format_exc()
            summary[name][vname] = entry
            print(f"[fx] {name} {vname}: " + ("(iter patch) " if entry.get("needed_iter_patch") else "") +
                  f"{'ERROR ' + entry['error'] if 'error' in entry else str(len(entry['counts'])) + ' kinds'}"
                  + (f", diff lines={len(entry.get('diff_vs_onednn', []))}" if "diff_vs_onednn" in entry else ""),
                  flush=True)
    with open(os.path.join(out, "fx.json"), "w") as f:
        json.dump(summary, f, indent=1)


# ---------------------------------------------------------------------------
# 2. torchvision quantizable models, eager mode + symbolic_trace
# ---------------------------------------------------------------------------

TV_MODELS = ["resnet18", "resnet50", "resnext101_32x8d", "resnext101_64x4d",
             "mobilenet_v2", "mobilenet_v3_large", "googlenet", "inception_v3",
             "shufflenet_v2_x0_5", "shufflenet_v2_x1_0", "shufflenet_v2_x1_5",
             "shufflenet_v2_x2_0"]

SIZES = [1, 2, 4, 8, 16, 24, 32, 40, 48, 56, 64, 75, 80, 96, 112, 128, 160, 224, 299]


def build_tvq(name: str, **extra):
    import torchvision.models.quantization as tvq
    kw: Dict[str, Any] = {"weights": None, "quantize": False}
    if name in ("googlenet", "inception_v3"):
        kw.update(aux_logits=False, init_weights=True)
    kw.update(extra)
    return getattr(tvq, name)(**kw)


def smallest_size(model: nn.Module) -> Tuple[Optional[int], Dict[int, str]]:
    """Smallest square input the float model accepts (and the errors below it)."""
    errors = {}
    with torch.no_grad():
        for s in SIZES:
            try:
                model(torch.randn(1, 3, s, s))
                return s, errors
            except Exception as e:
                errors[s] = f"{type(e).__name__}: {str(e).splitlines()[0][:200]}"
    return None, errors


def eager_quantize(model: nn.Module, engine: str, size: int, batches: int = 2) -> nn.Module:
    torch.backends.quantized.engine = engine
    model.eval()
    model.fuse_model()
    model.qconfig = torch.ao.quantization.get_default_qconfig(engine)
    torch.ao.quantization.prepare(model, inplace=True)
    with torch.no_grad():
        for _ in range(batches):
            model(torch.randn(1, 3, size, size))
    torch.ao.quantization.convert(model, inplace=True)
    return model


def run_tv_eager(out: str, models: Optional[List[str]], engines=ENGINES) -> None:
    os.makedirs(os.path.join(out, "tv-eager"), exist_ok=True)
    summary = {}
    variants = [(n, {}) for n in TV_MODELS]
    # transform_input=True puts float arithmetic before the QuantStub.
    variants += [("googlenet", {"transform_input": True}), ("inception_v3", {"transform_input": True})]
    for name, extra in variants:
        if models and name not in models:
            continue
        label = name + ("+transform_input" if extra else "")
        summary[label] = {}
        ref_structure = None
        for engine in engines:
            if extra and engine != "onednn":
                continue
            entry: Dict[str, Any] = {}
            try:
                torch.manual_seed(0)
                t0 = time.perf_counter()
                model = build_tvq(name, **extra).eval()
                entry["build_s"] = round(time.perf_counter() - t0, 2)
                entry["params_M"] = round(sum(p.numel() for p in model.parameters()) / 1e6, 2)
                entry["fuse_model_signature"] = str(inspect.signature(model.fuse_model))
                if engine == "onednn" and not extra:
                    small, errs = smallest_size(copy.deepcopy(model))
                    entry["smallest_float_size"] = small
                    entry["size_errors"] = errs
                    summary[label]["_smallest"] = small
                small = summary.get(name, {}).get("_smallest") or 64
                size = max(64, small)
                entry["calib_size"] = size
                entry["float_eager_s"] = round(timeit(model, torch.randn(1, 3, size, size), repeat=3), 4)
                t0 = time.perf_counter()
                qmodel = eager_quantize(model, engine, size)
                entry["quantize_s"] = round(time.perf_counter() - t0, 2)
                x = torch.randn(1, 3, size, size)
                entry["quant_eager_s"] = round(timeit(qmodel, x), 4)
                # Smallest input the *quantized* model runs at (engine kernels
                # can be pickier than the float model). Each try runs a fresh
                # deep copy: onednn's packed conv weights remember the shape of
                # the first run, and a later run at another shape can fail
                # ("could not create a primitive descriptor for a reorder
                # primitive"); deepcopy repacks and forgets.
                entry["quant_size_errors"] = {}
                for z in [z for z in SIZES if z >= small]:
                    try:
                        with torch.no_grad():
                            copy.deepcopy(qmodel)(torch.randn(1, 3, z, z))
                        entry["smallest_quant_size"] = z
                        break
                    except Exception as e:
                        entry["quant_size_errors"][z] = first_line(e)[:200]
                # Same model, first run at the calibration size, then at the
                # smallest size.
                if entry.get("smallest_quant_size") not in (None, size):
                    try:
                        with torch.no_grad():
                            m2 = copy.deepcopy(qmodel)
                            m2(torch.randn(1, 3, size, size))
                            m2(torch.randn(1, 3, entry["smallest_quant_size"], entry["smallest_quant_size"]))
                        entry["shape_change_after_first_run"] = "ok"
                    except Exception as e:
                        entry["shape_change_after_first_run"] = (
                            f"run at {size} then {entry['smallest_quant_size']}: {first_line(e)[:200]}")
                entry["module_classes"] = module_class_counts(qmodel)
                try:
                    gm = torch.fx.symbolic_trace(qmodel)
                    entry["symbolic_trace"] = "ok"
                except Exception as e:
                    entry["symbolic_trace"] = "FAILS: " + first_line(e)
                    entry["trace_tb"] = traceback.format_exc()
                    with patched_proxy_iter():
                        gm = torch.fx.symbolic_trace(qmodel)
                    entry["symbolic_trace_with_iter_patch"] = "ok"
                info = inspect_graph(gm, (x,))
                with torch.no_grad():
                    same = torch.equal(gm(x), qmodel(x))
                entry["traced_matches_eager"] = bool(same)
                entry["module_configs"] = module_configs(gm)
                entry["counts"] = info["counts"]
                entry["patterns"] = {k: list(v) for k, v in info["patterns"].items()}
                entry["nodes"] = len(info["nodes"])
                if ref_structure is None:
                    ref_structure = info["structure"]
                else:
                    entry["diff_vs_onednn"] = diff_structure(ref_structure, info["structure"])
                hdr = "\n".join(f"{k}: {v}" for k, v in entry.items()
                                if k not in ("counts", "patterns", "module_classes", "diff_vs_onednn",
                                             "trace_tb", "module_configs"))
                hdr += "\nmodule classes in converted model:\n" + "\n".join(
                    f"  {v:4d} {k}" for k, v in entry["module_classes"].items())
                hdr += "\nconfigurations of called modules:\n" + "\n".join(
                    f"  {t}: {c}" for t, c in entry["module_configs"].items())
                write_report(os.path.join(out, "tv-eager", f"{label}__{engine}.txt"),
                             f"{label} / eager / {engine}", info, hdr)
                del gm, qmodel, model
            except Exception as e:
                entry.setdefault("error", f"{type(e).__name__}: {e}")
                entry.setdefault("traceback", traceback.format_exc())
            summary[label][engine] = entry
            print(f"[tv-eager] {label} {engine}: size={entry.get('calib_size')} "
                  f"small={summary.get(name, {}).get('_smallest')} qsmall={entry.get('smallest_quant_size')} q={entry.get('quant_eager_s')}s "
                  f"nodes={entry.get('nodes')} "
                  f"{'ERROR ' + entry['error'] if 'error' in entry else ''}"
                  + (f" diff={len(entry['diff_vs_onednn'])}" if "diff_vs_onednn" in entry else ""),
                  flush=True)
            with open(os.path.join(out, "tv-eager.json"), "w") as f:
                json.dump(summary, f, indent=1)


# ---------------------------------------------------------------------------
# 3. FX graph mode on float torchvision models
# ---------------------------------------------------------------------------

TV_FX_MODELS = ["resnet18", "mobilenet_v2", "mobilenet_v3_large", "shufflenet_v2_x0_5",
                "googlenet"]


def build_tv_float(name: str):
    import torchvision.models as tvm
    kw: Dict[str, Any] = {"weights": None}
    if name in ("googlenet", "inception_v3"):
        kw.update(aux_logits=False, init_weights=True)
    return getattr(tvm, name)(**kw)


def run_tv_fx(out: str, models: Optional[List[str]]) -> None:
    from torch.ao.quantization import get_default_qconfig_mapping
    os.makedirs(os.path.join(out, "tv-fx"), exist_ok=True)
    summary = {}
    size = 64
    for name in TV_FX_MODELS:
        if models and name not in models:
            continue
        summary[name] = {}
        ref_structure = None
        for engine in ENGINES:
            entry: Dict[str, Any] = {"input": [1, 3, size, size]}
            try:
                torch.manual_seed(0)
                model = build_tv_float(name).eval()
                t0 = time.perf_counter()
                try:
                    gm, example = quantize_fx(copy.deepcopy(model), engine,
                                              get_default_qconfig_mapping(engine), None, (1, 3, size, size))
                except (torch.fx.proxy.TraceError, IndexError) as e:
                    entry["unpatched_error"] = first_line(e)
                    with patched_proxy_iter():
                        gm, example = quantize_fx(copy.deepcopy(model), engine,
                                                  get_default_qconfig_mapping(engine), None,
                                                  (1, 3, size, size))
                    entry["needed_iter_patch"] = True
                entry["quantize_s"] = round(time.perf_counter() - t0, 2)
                torch.backends.quantized.engine = engine
                entry["quant_s"] = round(timeit(gm, example[0]), 4)
                info = inspect_graph(gm, example)
                entry["counts"] = info["counts"]
                entry["patterns"] = {k: list(v) for k, v in info["patterns"].items()}
                entry["modules"] = module_class_counts(gm)
                entry["module_configs"] = module_configs(gm)
                entry["retrace"] = retrace_same(gm)
                entry["nodes"] = len(info["nodes"])
                if ref_structure is None:
                    ref_structure = info["structure"]
                else:
                    entry["diff_vs_onednn"] = diff_structure(ref_structure, info["structure"])
                hdr = "\n".join(f"{k}: {v}" for k, v in entry.items()
                                if k not in ("counts", "patterns", "modules", "diff_vs_onednn",
                                             "module_configs"))
                hdr += "\nmodule classes:\n" + "\n".join(f"  {v:4d} {k}" for k, v in entry["modules"].items())
                hdr += "\nconfigurations of called modules:\n" + "\n".join(
                    f"  {t}: {c}" for t, c in entry["module_configs"].items())
                write_report(os.path.join(out, "tv-fx", f"{name}__{engine}.txt"),
                             f"{name} / fx / {engine}", info, hdr)
            except Exception as e:
                entry["error"] = f"{type(e).__name__}: {e}"
                entry["traceback"] = traceback.format_exc()
            summary[name][engine] = entry
            print(f"[tv-fx] {name} {engine}: nodes={entry.get('nodes')} q={entry.get('quant_s')}s "
                  f"{'ERROR ' + entry['error'] if 'error' in entry else ''}"
                  + (f" diff={len(entry['diff_vs_onednn'])}" if "diff_vs_onednn" in entry else ""),
                  flush=True)
    with open(os.path.join(out, "tv-fx.json"), "w") as f:
        json.dump(summary, f, indent=1)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("workflow", choices=["fx", "tv-eager", "tv-fx", "all"])
    p.add_argument("--out", default="/tmp/qnn-catalog")
    p.add_argument("--models", default="", help="comma-separated subset")
    args = p.parse_args(argv)
    models = [m for m in args.models.split(",") if m] or None
    print(f"torch {torch.__version__}, threads {torch.get_num_threads()}", flush=True)
    if args.workflow in ("fx", "all"):
        run_fx(args.out, models)
    if args.workflow in ("tv-eager", "all"):
        run_tv_eager(args.out, models)
    if args.workflow in ("tv-fx", "all"):
        run_tv_fx(args.out, models)
    return 0


if __name__ == "__main__":
    sys.exit(main())
