"""Compiling qnn models to native code and calling them in-process.

`compile(model, *example_inputs)` imports a PyTorch quantized model with
`from_torch`, lowers it with qnn's `--qnn-lower-to-llvm` pipeline (through
`qnn-run --emit-object`), links the object and qnn's runtime library (its
int8 GEMM micro-kernels) into a shared library and loads it with ctypes. Each call then passes the tensors' memory straight to the
compiled function: torch only carries the tensors in and out, none of its
quantized kernels, modules or quantize/dequantize functions run.
"""

from __future__ import annotations

import ctypes
import hashlib
import json
import os
import re
import shutil
import struct
import subprocess
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

import torch

from .importer import from_torch
from .numerics import torch_onednn_saturates

__all__ = ["CompiledModel", "SavedModelError", "compile", "compile_mlir", "load",
           "build_dir", "tool", "elide_constants", "torch_onednn_saturates"]

_TORCH_DTYPES = {"f4": torch.float32, "i8": torch.int64, "i4": torch.int32,
                 "i1": torch.int8, "u1": torch.uint8}
_QUANTIZED_DTYPES = {"u1": torch.quint8, "i1": torch.qint8, "i4": torch.qint32}


def build_dir() -> Path:
    """The qnn build directory: $QNN_BUILD_DIR, else the repository's build/."""
    env = os.environ.get("QNN_BUILD_DIR")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[2] / "build"


def tool(name: str) -> Path:
    """Path of a qnn tool (qnn-opt, qnn-run) in the build directory."""
    path = build_dir() / "bin" / name
    if not path.exists():
        raise FileNotFoundError(
            f"{path} does not exist: build qnn first (scripts/setup.sh) or set "
            "QNN_BUILD_DIR")
    return path


def elide_constants(mlir: str, limit: int = 16) -> str:
    """`mlir` reprinted by qnn-opt with constants of more than `limit`
    elements elided, for reading: inline ones print as `dense<...>`, and the
    values of dense_resource blobs (the weights) longer than `limit` 32-bit
    words are left out of the trailing resource section."""
    text = _run([tool("qnn-opt"), "-",
                 f"--mlir-elide-elementsattrs-if-larger={limit}",
                 f"--mlir-elide-resource-strings-if-larger={8 * limit + 10}"], mlir)
    # qnn-opt leaves an empty `{-# #-}` where every blob was elided.
    return re.sub(r"\n\{-#\s*#-\}\s*$", "\n", text)


def _run(args: Sequence[str | Path], stdin: str | None = None) -> str:
    result = subprocess.run([str(a) for a in args], capture_output=True,
                            text=True, input=stdin)
    if result.returncode != 0:
        raise RuntimeError(f"{Path(args[0]).name} failed:\n{result.stderr}")
    return result.stdout


@dataclass(frozen=True)
class _TensorSpec:
    """One argument or result of the compiled function."""
    dtype: str
    shape: tuple[int, ...]
    scale: float | None
    zero_point: int | None
    type: str

    @property
    def quantized(self) -> bool:
        return self.scale is not None

    @staticmethod
    def from_json(entry: dict) -> "_TensorSpec":
        if "axis" in entry:
            raise ValueError(
                f"per-channel tensors at the function boundary are not "
                f"supported: {entry['type']}")
        return _TensorSpec(entry["dtype"], tuple(entry["shape"]),
                           entry.get("scale"), entry.get("zero_point"),
                           entry["type"])


class _Descriptor(ctypes.Structure):
    """Base of the ranked memref descriptors of MLIR's C interface."""


def _descriptor_type(rank: int) -> type:
    return type(f"_MemRef{rank}", (_Descriptor,), {"_fields_": [
        ("allocated", ctypes.c_void_p), ("aligned", ctypes.c_void_p),
        ("offset", ctypes.c_int64), ("sizes", ctypes.c_int64 * rank),
        ("strides", ctypes.c_int64 * rank)]})


class CompiledModel:
    """A qnn model compiled to a shared library, callable on torch tensors.

    `save(path)` writes it to one file that `load(path)` reads back, on a
    machine without qnn's build or torch's quantized modules (the CPU must
    have the features the code was compiled for)."""

    def __init__(self, mlir: str | None, *, decompose: bool = False,
                 threads: int | None = None,
                 _saved: "_SavedModel | None" = None):
        self._dir = tempfile.TemporaryDirectory(prefix="qnn-")
        workdir = Path(self._dir.name)
        library = workdir / "model.so"
        if _saved is not None:
            library.write_bytes(_saved.library)
            self.mlir: str = _saved.mlir
            signature = _saved.signature
        else:
            source = workdir / "model.mlir"
            source.write_text(mlir)
            if decompose:
                decomposed = workdir / "model.decomposed.mlir"
                _run([tool("qnn-opt"), source, "--qnn-decompose", "-o",
                      decomposed])
                source = decomposed
            self.mlir = source.read_text()
            signature = json.loads(
                _run([tool("qnn-run"), source, "--signature"]))
            obj = workdir / "model.o"
            _run([tool("qnn-run"), source, "--entry", signature["entry"],
                  "--emit-object", obj])
            runtime = build_dir() / "lib" / "libqnn_runtime_static.a"
            compiler = shutil.which("c++") or shutil.which("g++") or "clang++"
            # The status and thread functions are always linked (Status.h,
            # Threads.h), whether or not the model's code uses them.
            _run([compiler, "-shared", "-o", library, obj,
                  "-Wl,-u,qnn_status_clear,-u,qnn_status_message,"
                  "-u,qnn_set_num_threads,-u,qnn_get_num_threads", runtime,
                  # SLEEF: qnn.float_activation's vector bodies.
                  "-lsleef", "-lm"])
        self._signature = signature
        self.entry: str = signature["entry"]
        self.arguments = [_TensorSpec.from_json(e)
                          for e in signature["arguments"]]
        self.results = [_TensorSpec.from_json(e) for e in signature["results"]]
        self._library = ctypes.CDLL(str(library))
        self._function = getattr(self._library, f"_mlir_ciface_{self.entry}")
        self._function.restype = None
        specs = self.arguments + self.results
        # One descriptor type per operand, with its sizes and strides; each
        # call fills fresh instances, so concurrent calls share nothing.
        self._templates = []
        for spec in specs:
            descriptor = _descriptor_type(len(spec.shape))()
            stride = 1
            for d in reversed(range(len(spec.shape))):
                descriptor.sizes[d] = spec.shape[d]
                descriptor.strides[d] = stride
                stride *= spec.shape[d]
            self._templates.append(descriptor)
        self._function.argtypes = [ctypes.c_void_p] * len(specs)
        self._clear_status = self._library.qnn_status_clear
        self._clear_status.restype = None
        self._status_message = self._library.qnn_status_message
        self._status_message.restype = ctypes.c_char_p
        self._get_threads = self._library.qnn_get_num_threads
        self._get_threads.restype = ctypes.c_int
        if threads is not None:
            self.threads = threads

    @property
    def threads(self) -> int:
        """Threads the model's kernels use (its runtime's pool; results are
        bit-identical at any count). Default: QNN_NUM_THREADS, else the CPUs
        this process may run on."""
        return self._get_threads()

    @threads.setter
    def threads(self, count: int) -> None:
        if not isinstance(count, int) or isinstance(count, bool) or count < 1:
            raise ValueError(f"threads must be a positive integer, got {count!r}")
        self._library.qnn_set_num_threads(ctypes.c_int(count))

    def save(self, path: str | os.PathLike) -> None:
        """Writes the compiled model (its code, signature and MLIR) to
        `path`, for `load`."""
        library = (Path(self._dir.name) / "model.so").read_bytes()
        _SavedModel(self._signature, self.mlir, library, _cpu_features()).write(Path(path))

    def _check_input(self, index: int, spec: _TensorSpec,
                     tensor: torch.Tensor) -> torch.Tensor:
        if not isinstance(tensor, torch.Tensor):
            raise TypeError(f"input {index} must be a torch.Tensor")
        if tuple(tensor.shape) != spec.shape:
            raise ValueError(f"input {index} has shape {tuple(tensor.shape)}, "
                             f"the model was compiled for {spec.shape}")
        if spec.quantized:
            expected = _QUANTIZED_DTYPES[spec.dtype]
            if tensor.dtype != expected or not tensor.is_quantized:
                raise ValueError(f"input {index} must be {expected}, got "
                                 f"{tensor.dtype}")
            if tensor.qscheme() != torch.per_tensor_affine:
                raise ValueError(
                    f"input {index} is quantized {tensor.qscheme()}, the "
                    f"model was compiled for a per-tensor affine input")
            if (tensor.q_scale() != spec.scale
                    or tensor.q_zero_point() != spec.zero_point):
                raise ValueError(
                    f"input {index} is quantized with scale "
                    f"{tensor.q_scale()} and zero point "
                    f"{tensor.q_zero_point()}, the model was compiled for "
                    f"{spec.scale} and {spec.zero_point}")
        elif tensor.dtype != _TORCH_DTYPES[spec.dtype]:
            raise ValueError(f"input {index} must be "
                             f"{_TORCH_DTYPES[spec.dtype]}, got {tensor.dtype}")
        return tensor.contiguous()

    def _new_output(self, spec: _TensorSpec) -> torch.Tensor:
        if spec.quantized:
            return torch._empty_affine_quantized(
                spec.shape, scale=spec.scale, zero_point=spec.zero_point,
                dtype=_QUANTIZED_DTYPES[spec.dtype])
        return torch.empty(spec.shape, dtype=_TORCH_DTYPES[spec.dtype])

    def __call__(self, *inputs: torch.Tensor) -> Any:
        if len(inputs) != len(self.arguments):
            raise TypeError(f"the model takes {len(self.arguments)} inputs, "
                            f"{len(inputs)} were given")
        tensors = [self._check_input(i, spec, t)
                   for i, (spec, t) in enumerate(zip(self.arguments, inputs))]
        outputs = [self._new_output(spec) for spec in self.results]
        descriptors = []
        for template, tensor in zip(self._templates, tensors + outputs):
            descriptor = type(template).from_buffer_copy(template)
            descriptor.allocated = descriptor.aligned = tensor.data_ptr()
            descriptors.append(descriptor)
        self._clear_status()
        self._function(*[ctypes.addressof(d) for d in descriptors])
        message = self._status_message()
        if message is not None:
            raise InvalidInputError(message.decode())
        return outputs[0] if len(outputs) == 1 else tuple(outputs)


# ---------------------------------------------------------------------------
# Saved models
# ---------------------------------------------------------------------------

#: A saved model: the magic, a little-endian uint32 format version and uint64
#: header length, the JSON header, then its sections back to back.
_MAGIC = b"QNNMODEL"
_FORMAT_VERSION = 1
_PREFIX = struct.Struct("<8sIQ")


class InvalidInputError(ValueError):
    """An input that only the call could check is invalid (an embedding
    index out of range, malformed bag offsets); raised by the compiled
    callable with the message the compiled code reported."""


class SavedModelError(ValueError):
    """A file that is not a complete, intact saved qnn model."""


def _cpu_features() -> list[str]:
    """The host CPU's feature flags (Linux's /proc/cpuinfo), which the
    compiled code may use: it is compiled for the host."""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("flags"):
                    return sorted(set(line.split(":", 1)[1].split()))
    except OSError:
        pass
    return []


@dataclass(frozen=True)
class _SavedModel:
    signature: dict
    mlir: str
    library: bytes
    cpu_features: list

    def write(self, path: Path) -> None:
        sections = {"library": self.library, "mlir": self.mlir.encode()}
        header = json.dumps({
            "signature": self.signature,
            "cpu_features": self.cpu_features,
            "sections": [{"name": name, "size": len(data),
                          "sha256": hashlib.sha256(data).hexdigest()}
                         for name, data in sections.items()],
        }).encode()
        tmp = path.with_name(path.name + ".tmp")
        with open(tmp, "wb") as f:
            f.write(_PREFIX.pack(_MAGIC, _FORMAT_VERSION, len(header)))
            f.write(header)
            for data in sections.values():
                f.write(data)
        os.replace(tmp, path)

    @staticmethod
    def read(path: Path) -> "_SavedModel":
        data = path.read_bytes()
        where = f"{path}"
        if len(data) < _PREFIX.size or not data.startswith(_MAGIC):
            raise SavedModelError(f"{where} is not a saved qnn model (no QNNMODEL header)")
        _, version, header_size = _PREFIX.unpack_from(data)
        if version != _FORMAT_VERSION:
            raise SavedModelError(f"{where} has format version {version}; this qnn "
                                  f"reads version {_FORMAT_VERSION}")
        offset = _PREFIX.size + header_size
        if len(data) < offset:
            raise SavedModelError(f"{where} is truncated: its header needs {offset} "
                                  f"bytes, the file has {len(data)}")
        try:
            header = json.loads(data[_PREFIX.size:offset])
            signature, features = dict(header["signature"]), list(header["cpu_features"])
            sections = [(str(e["name"]), int(e["size"]), str(e["sha256"]))
                        for e in header["sections"]]
            if {name for name, _, _ in sections} != {"library", "mlir"} or any(
                    size < 0 for _, size, _ in sections):
                raise ValueError("unexpected sections")
        except (ValueError, KeyError, TypeError) as error:
            raise SavedModelError(f"{where} has a corrupted header ({error})") from None
        contents = {}
        for name, size, digest in sections:
            end = offset + size
            if len(data) < end:
                raise SavedModelError(f"{where} is truncated: expected {end} bytes, "
                                      f"the file has {len(data)}")
            chunk = data[offset:end]
            if hashlib.sha256(chunk).hexdigest() != digest:
                raise SavedModelError(f"{where} is corrupted: the checksum of its "
                                      f"{name} section does not match")
            contents[name] = chunk
            offset = end
        if offset != len(data):
            raise SavedModelError(f"{where} has {len(data) - offset} bytes after its "
                                  "last section")
        missing = sorted(set(features) - set(_cpu_features()))
        if features and _cpu_features() and missing:
            raise SavedModelError(f"{where} was compiled for a CPU with "
                                  f"{', '.join(missing[:8])}, which this CPU lacks")
        return _SavedModel(signature, contents["mlir"].decode(), contents["library"],
                           features)


def load(path: str | os.PathLike, *, threads: int | None = None) -> CompiledModel:
    """The model `CompiledModel.save` wrote to `path`, ready to call. Raises
    SavedModelError for a file that is not an intact saved model."""
    return CompiledModel(None, threads=threads, _saved=_SavedModel.read(Path(path)))


def compile_mlir(mlir: str, *, decompose: bool = False,
                 threads: int | None = None) -> CompiledModel:
    """Compiles qnn MLIR text (with one public function) for this host."""
    return CompiledModel(mlir, decompose=decompose, threads=threads)


def _shape_key(inputs: Sequence[Any]) -> tuple | None:
    """What a compiled variant depends on: each input's shape, dtype and
    quantization (None if an input is not a tensor)."""
    key = []
    for x in inputs:
        if not isinstance(x, torch.Tensor):
            return None
        quantization = None
        if x.is_quantized:
            quantization = ((x.q_scale(), x.q_zero_point())
                            if x.qscheme() == torch.per_tensor_affine else x.qscheme())
        key.append((tuple(x.shape), x.dtype, quantization))
    return tuple(key)


class TorchCompiledModel(CompiledModel):
    """A PyTorch model compiled for its example inputs' shapes, and for other
    shapes when called with them: the model is imported again with the new
    inputs as examples, compiled, and kept for later calls with those shapes
    (up to `MAX_VARIANTS` of them, the oldest dropped first). Each variant is
    bit-exact like the first: it is compiled from the same model, engine and
    numerics. `save` writes the variant of the example inputs."""

    MAX_VARIANTS = 16

    def __init__(self, model: torch.nn.Module, example_inputs: Sequence[Any], *,
                 decompose: bool, numerics: str | None, threads: int | None) -> None:
        self._engine = torch.backends.quantized.engine
        super().__init__(from_torch(model, *example_inputs, numerics=numerics),
                         decompose=decompose, threads=threads)
        self._model, self._decompose = model, decompose
        # The numerics the first import chose (the module attribute).
        found = re.search(r'qnn\.numerics = "([a-z_]+)"', self.mlir)
        self._numerics = found.group(1) if found else numerics
        self._example_key = _shape_key(example_inputs)
        self._variants: dict = {}
        self._lock = threading.Lock()

    @CompiledModel.threads.setter
    def threads(self, count: int) -> None:
        CompiledModel.threads.fset(self, count)
        for variant in getattr(self, "_variants", {}).values():
            variant.threads = count

    @property
    def variants(self) -> int:
        """How many shapes besides the example's have been compiled."""
        return len(self._variants)

    def _compile_for(self, key: tuple, inputs: Sequence[torch.Tensor]) -> CompiledModel:
        with self._lock:
            if key in self._variants:
                return self._variants[key]
            previous = torch.backends.quantized.engine
            torch.backends.quantized.engine = self._engine
            shapes = ", ".join(str(tuple(x.shape)) for x in inputs)
            try:
                text = from_torch(self._model, *inputs, numerics=self._numerics)
            except RuntimeError as error:
                raise ValueError(f"the model cannot run on inputs of shapes {shapes} "
                                 f"(torch: {str(error).splitlines()[0]})") from error
            finally:
                torch.backends.quantized.engine = previous
            try:
                variant = CompiledModel(text, decompose=self._decompose,
                                        threads=self.threads)
            except RuntimeError as error:
                # torch ran them (some engines do not check), qnn's verifiers
                # refuse: the first diagnostic says why.
                lines = [line for line in str(error).splitlines() if "error:" in line]
                raise ValueError(f"the model cannot run on inputs of shapes {shapes} "
                                 f"({(lines or [str(error)])[0].strip()})") from error
            if len(self._variants) >= self.MAX_VARIANTS:
                del self._variants[next(iter(self._variants))]
            self._variants[key] = variant
            return variant

    def __call__(self, *inputs: torch.Tensor) -> Any:
        key = _shape_key(inputs)
        if key == self._example_key or key is None or len(inputs) != len(self.arguments):
            return super().__call__(*inputs)
        # Other shapes of the same kinds of tensors get their own variant;
        # other dtypes or quantizations are errors, as for a loaded model.
        for i, (spec, x) in enumerate(zip(self.arguments, inputs)):
            expected = (_QUANTIZED_DTYPES if spec.quantized else _TORCH_DTYPES)[spec.dtype]
            if x.dtype != expected or x.is_quantized != spec.quantized:
                raise ValueError(f"input {i} must be {expected}, got {x.dtype}")
            if spec.quantized and (x.qscheme() != torch.per_tensor_affine
                                   or x.q_scale() != spec.scale
                                   or x.q_zero_point() != spec.zero_point):
                # Only shapes vary: the usual message for the quantization.
                return super().__call__(*inputs)
        variant = self._variants.get(key) or self._compile_for(key, inputs)
        return variant(*inputs)


def compile(model: torch.nn.Module, *example_inputs: torch.Tensor,
            decompose: bool = False,
            numerics: str | None = None,
            threads: int | None = None) -> CompiledModel:
    """Compiles a PyTorch quantized model for the engine it was quantized for
    (torch.backends.quantized.engine at this call).

    The result takes what the model takes and returns what it returns; it is
    compiled for the example inputs' shapes, and for other shapes (another
    batch size, another sequence length) when first called with them. With
    `decompose`, the reference (dequantize / float / quantize) form of the
    model is compiled instead, for comparison. `numerics` is passed to
    `from_torch`: by default the arithmetic torch uses on this machine
    ("onednn_no_vnni" for onednn where `torch_onednn_saturates()`), logged
    by the "qnn" logger. `threads` sets `CompiledModel.threads` (results
    are bit-identical at any count).
    """
    return TorchCompiledModel(model, example_inputs, decompose=decompose,
                              numerics=numerics, threads=threads)
