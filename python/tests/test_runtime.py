"""The compiled callable: concurrent calls, and the numerics table shared
with the compiler."""

from __future__ import annotations

import json
import logging
import platform
import re
import subprocess
import threading

import pytest
import torch
import torch.nn as nn
import torch.nn.quantized as nnq

import qnn
import qnn.importer
import qnn.runtime


def test_numerics_agree_with_the_compiler():
    """Python's engine -> numerics table is the compiler's (`qnn-run
    --list-numerics`): the names exist once, in the C++ Numerics enum."""
    listed = json.loads(subprocess.run([str(qnn.runtime.tool("qnn-run")), "--list-numerics"],
                                       check=True, capture_output=True, text=True).stdout)
    from_compiler = {}
    for entry in listed:
        from_compiler.setdefault(entry["torch_engine"], []).append(entry["name"])
    assert {k: sorted(v) for k, v in from_compiler.items()} == \
        {k: sorted(v) for k, v in qnn.importer.NUMERICS.items()}


def test_default_numerics_follow_the_host(monkeypatch):
    """onednn's default is onednn_no_vnni exactly where torch saturates;
    oneDNN capped below VNNI saturates on any x86 CPU."""
    expected = "onednn_no_vnni" if qnn.torch_onednn_saturates() else "onednn"
    assert qnn.default_numerics("onednn") == expected
    assert qnn.default_numerics("qnnpack") == "qnnpack"
    monkeypatch.setenv("ONEDNN_MAX_CPU_ISA", "AVX2")
    if platform.machine() == "x86_64":
        assert qnn.default_numerics("onednn") == "onednn_no_vnni"


def test_numerics_choice_is_logged_once(engine, caplog):
    """from_torch logs the numerics it records, once, on the "qnn" logger;
    the default is the host's and numerics= overrides it."""
    model, x = _quantized_linear(), torch.quantize_per_tensor(torch.rand(2, 32), 0.02, 3,
                                                              torch.quint8)
    with caplog.at_level(logging.INFO, logger="qnn"):
        text = qnn.from_torch(model, x)
    default = qnn.default_numerics(engine)
    assert f'qnn.numerics = "{default}"' in text
    records = [r for r in caplog.records if r.name == "qnn"]
    assert len(records) == 1 and records[0].levelno == logging.INFO
    assert records[0].getMessage().startswith(
        f"qnn: numerics '{default}' (torch engine {engine}, ")
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="qnn"):
        qnn.from_torch(model, x, numerics=engine)
    assert [r.getMessage() for r in caplog.records if r.name == "qnn"] == [
        f"qnn: numerics '{engine}' (torch engine {engine}, numerics= given)"]


def _quantized_linear() -> nn.Module:
    torch.manual_seed(0)
    model = nnq.Linear(32, 16)
    weight = torch.quantize_per_tensor(torch.randn(16, 32) * 0.2, 0.01, 0, torch.qint8)
    model.set_weight_bias(weight, torch.randn(16))
    model.scale, model.zero_point = 0.05, 64
    return model


def _quantized_conv() -> nn.Module:
    torch.manual_seed(1)
    model = nnq.Conv2d(4, 8, 3, padding=1)
    weight = torch.quantize_per_tensor(torch.randn(8, 4, 3, 3) * 0.2, 0.01, 0, torch.qint8)
    model.set_weight_bias(weight, torch.randn(8))
    model.scale, model.zero_point = 0.1, 32
    return model


@pytest.mark.parametrize("build, shape", [(_quantized_linear, (3, 32)),
                                          (_quantized_conv, (1, 4, 6, 6))],
                         ids=["linear", "conv"])
def test_concurrent_calls(build, shape, engine, qnn_compile):
    """One compiled model called from 8 threads at once: every call sees its
    own tensors (the callable used to share descriptor structs)."""
    model = build()
    gen = torch.Generator().manual_seed(2)
    inputs = [torch.quantize_per_tensor(torch.rand(shape, generator=gen) * 4, 0.02, 3,
                                        torch.quint8) for _ in range(16)]
    expected = [model(x).int_repr() for x in inputs]
    compiled = qnn_compile(model, inputs[0])
    wrong = []

    def worker(start: int) -> None:
        for i in range(300):
            k = (start + i) % len(inputs)
            if not torch.equal(compiled(inputs[k]).int_repr(), expected[k]):
                wrong.append(k)

    threads = [threading.Thread(target=worker, args=(t,)) for t in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not wrong, f"{len(wrong)} of 2400 concurrent calls returned wrong outputs"


def test_elide_constants_leaves_out_weight_blobs(engine, qnn_compile):
    """The weights are dense_resource blobs: elide_constants (the demo's
    printout) must leave their hex out too, not only inline constants."""
    model, x = _quantized_conv(), torch.quantize_per_tensor(torch.rand(1, 4, 6, 6), 0.02, 3,
                                                            torch.quint8)
    text = qnn.from_torch(model, x)
    assert "dense_resource<model_weight>" in text and "model_weight: \"0x01000000" in text
    elided = qnn_compile._retry(lambda: qnn.elide_constants(text))  # qnn-opt may be rebuilding
    assert "dense_resource<model_weight>" in elided
    assert not re.search(r"0x[0-9A-F]{64}", elided) and "{-#" not in elided


def test_a_call_between_setup_and_entry(engine, qnn_compile):
    """Deterministic form of the race above: another thread's whole call
    runs after this call has set up its operands and before it enters the
    compiled code. With descriptors shared between calls, this call would
    then compute the other thread's input into the other thread's output."""
    model = _quantized_linear()
    x1, x2 = (torch.quantize_per_tensor(torch.rand(3, 32, generator=torch.Generator()
                                                   .manual_seed(s)) * 4, 0.02, 3, torch.quint8)
              for s in (3, 4))
    compiled = qnn_compile(model, x1)
    entry = compiled._function
    other = []

    def interleaved(*args):
        compiled._function = entry
        thread = threading.Thread(target=lambda: other.append(compiled(x2)))
        thread.start()
        thread.join()
        entry(*args)

    compiled._function = interleaved
    y1 = compiled(x1)
    assert torch.equal(y1.int_repr(), model(x1).int_repr())
    assert torch.equal(other[0].int_repr(), model(x2).int_repr())


@pytest.mark.parametrize("kind", ["linear", "conv"])
def test_results_do_not_depend_on_threads(kind, engine, qnn_compile):
    """The runtime splits the GEMM over its threads by rows or by columns
    (with tails): the codes are torch's at every count, and `threads` reads
    back what was set. Shapes above the runtime's 2^20-MAC split threshold."""
    gen = torch.Generator().manual_seed(7)
    if kind == "linear":
        model = nnq.Linear(300, 530)
        model.set_weight_bias(torch.quantize_per_tensor(
            torch.randn(530, 300, generator=gen) * 0.05, 0.02, 0, torch.qint8),
            torch.randn(530, generator=gen))
        x = torch.rand(9, 300, generator=gen)
    else:
        model = nnq.Conv2d(40, 72, 3, padding=1)
        model.set_weight_bias(torch.quantize_per_tensor(
            torch.randn(72, 40, 3, 3, generator=gen) * 0.05, 0.02, 0, torch.qint8),
            torch.randn(72, generator=gen))
        x = torch.rand(1, 40, 23, 19, generator=gen)
    model.scale, model.zero_point = 0.1, 60
    x = torch.quantize_per_tensor(x * 2, 1.0 / 127, 0, torch.quint8)
    expected = model(x).int_repr()
    compiled = qnn_compile(model, x)
    for threads in (1, 2, 3, 8):
        compiled.threads = threads
        assert compiled.threads == threads
        assert torch.equal(compiled(x).int_repr(), expected), f"{threads} threads"


def test_threads_option(engine):
    model = nnq.Linear(8, 4)
    x = torch.quantize_per_tensor(torch.rand(2, 8), 0.02, 3, torch.quint8)
    compiled = qnn.compile(model, x, threads=3)
    assert compiled.threads == 3
    for bad in (0, -1, 1.5, True):
        with pytest.raises(ValueError, match="threads must be a positive integer"):
            compiled.threads = bad
