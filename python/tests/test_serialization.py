"""Serialization: models round-trip through MLIR text and bytecode, compiled
models through `CompiledModel.save` / `qnn.load`, and bad files are refused
with a reason.

A saved model is one file: a `QNNMODEL` prefix with the format version, a
JSON header (the signature, the host CPU's features, the size and SHA-256 of
each section), then the shared library and the MLIR it was compiled from.
`load` needs neither qnn's build nor torch's quantized kernels: the
subprocess test runs it with `QNN_BUILD_DIR` pointing nowhere.
"""

from __future__ import annotations

import json
import os
import struct
import subprocess
import sys
from pathlib import Path

import pytest
import torch
import torch.nn as nn

import configs
import qnn
from harness import convert_and_reload, input_sets
from qnn.runtime import _run, tool

_PREFIX = struct.Struct("<8sIQ")


@pytest.fixture(scope="module")
def saved(tmp_path_factory, qnn_compile):
    """A compiled conv + linear model under the session's engine, saved."""
    model, inputs = configs.build_sequential()
    compiled = qnn_compile(model, *inputs)
    path = tmp_path_factory.mktemp("saved") / "model.qnn"
    compiled.save(path)
    return model, inputs, compiled, path


def test_save_load_bit_identical(saved, engine):
    model, inputs, compiled, path = saved
    loaded = qnn.load(path)
    assert loaded.entry == compiled.entry and loaded.mlir == compiled.mlir
    for x in input_sets(model, inputs, engine):
        expected = compiled(*x)
        actual = loaded(*x)
        assert torch.equal(actual, expected)
    # The loaded model checks its inputs like the compiled one.
    with pytest.raises(ValueError, match="has shape"):
        loaded(torch.zeros(1, 2, 3))


def test_load_needs_no_build_or_quantized_torch(saved, tmp_path):
    """In a fresh process with no qnn build (QNN_BUILD_DIR points nowhere)
    and without running any torch quantized module, the loaded model gives
    the same bits."""
    model, inputs, compiled, path = saved
    x = inputs[0]
    torch.save(x, tmp_path / "x.pt")
    torch.save(compiled(x), tmp_path / "y.pt")
    script = (
        "import sys, torch, qnn\n"
        f"m = qnn.load({str(path)!r})\n"
        f"x = torch.load({str(tmp_path / 'x.pt')!r})\n"
        f"y = torch.load({str(tmp_path / 'y.pt')!r})\n"
        "sys.exit(0 if torch.equal(m(x), y) else 1)\n")
    env = dict(os.environ, QNN_BUILD_DIR=str(tmp_path / "no-build"),
               PYTHONPATH=str(Path(qnn.__file__).parents[1]))
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _header(data: bytes) -> tuple[int, dict]:
    _, _, size = _PREFIX.unpack_from(data)
    return _PREFIX.size + size, json.loads(data[_PREFIX.size:_PREFIX.size + size])


def test_truncated_files_refused(saved, tmp_path):
    data = saved[3].read_bytes()
    header_end, _ = _header(data)
    for n, (cut, message) in enumerate([
            (0, "not a saved qnn model"), (5, "not a saved qnn model"),
            (_PREFIX.size + 3, "truncated: its header needs"),
            (header_end + 10, "truncated: expected"), (len(data) - 1, "truncated: expected")]):
        with pytest.raises(qnn.SavedModelError, match=message):
            qnn.load(_write(tmp_path, f"cut{n}.qnn", data[:cut]))


def test_corrupted_files_refused(saved, tmp_path):
    data = bytearray(saved[3].read_bytes())
    header_end, header = _header(bytes(data))
    # A flipped byte in the library section.
    library = bytearray(data)
    library[header_end + header["sections"][0]["size"] // 2] ^= 0x40
    with pytest.raises(qnn.SavedModelError, match="checksum of its library section"):
        qnn.load(_write(tmp_path, "library.qnn", bytes(library)))
    # A header that is not JSON.
    broken = bytearray(data)
    broken[_PREFIX.size] = ord("#")
    with pytest.raises(qnn.SavedModelError, match="corrupted header"):
        qnn.load(_write(tmp_path, "header.qnn", bytes(broken)))
    # Another format version, trailing bytes, another file altogether.
    version = bytearray(data)
    struct.pack_into("<I", version, 8, 99)
    with pytest.raises(qnn.SavedModelError, match="format version 99"):
        qnn.load(_write(tmp_path, "version.qnn", bytes(version)))
    with pytest.raises(qnn.SavedModelError, match="3 bytes after its last section"):
        qnn.load(_write(tmp_path, "trailing.qnn", bytes(data) + b"xyz"))
    with pytest.raises(qnn.SavedModelError, match="not a saved qnn model"):
        qnn.load(_write(tmp_path, "elf.qnn", Path(sys.executable).read_bytes()[:4096]))


def test_cpu_features_checked(saved, tmp_path):
    """A model compiled for a CPU feature this one lacks is refused."""
    data = saved[3].read_bytes()
    header_end, header = _header(data)
    header["cpu_features"] = header["cpu_features"] + ["qnn_imaginary_isa"]
    text = json.dumps(header).encode()
    patched = _PREFIX.pack(b"QNNMODEL", 1, len(text)) + text + data[header_end:]
    with pytest.raises(qnn.SavedModelError, match="qnn_imaginary_isa, which this CPU lacks"):
        qnn.load(_write(tmp_path, "cpu.qnn", patched))


def test_mlir_text_and_bytecode_round_trip(engine, qnn_compile):
    """An imported model prints, parses and survives bytecode unchanged, and
    the bytecode compiles to the same results."""
    model, inputs = configs.build_small_model(True)
    text = _run([tool("qnn-opt"), "-"], stdin=qnn.from_torch(model, *inputs))
    assert _run([tool("qnn-opt"), "-"], stdin=text) == text
    bytecode = subprocess.run([str(tool("qnn-opt")), "-", "--emit-bytecode"], input=text.encode(),
                              capture_output=True, check=True).stdout
    assert bytecode.startswith(b"ML\xefR")
    back = subprocess.run([str(tool("qnn-opt")), "-"], input=bytecode, capture_output=True,
                          check=True).stdout.decode()
    assert back == text
    from_text, from_bytecode = qnn_compile.mlir(text), qnn_compile.mlir(back)
    for x in input_sets(model, inputs, engine):
        assert torch.equal(from_text(*x), from_bytecode(*x))


def test_seed_dropout_serialization(engine, qnn_compile):
    """The seed's test_dropout_serialization: the model converted again and
    given the first one's state_dict compiles to what the first computes."""
    def get_model() -> nn.Module:
        return nn.Sequential(torch.ao.quantization.QuantStub(), nn.Dropout(p=0.5),
                             torch.ao.quantization.DeQuantStub()).eval()

    data1, data2 = torch.randn(2, 4, 6, 8), torch.randn(2, 4, 6, 8)
    mq1, mq2 = convert_and_reload(get_model, data1)
    compiled = qnn_compile(mq2, data2)
    assert torch.equal(compiled(data2), mq1(data2))
