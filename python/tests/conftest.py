"""Fixtures shared by qnn's Python tests.

- `engine`: each test runs once per quantized engine qnn reproduces, with
  `torch.backends.quantized.engine` set to it (and restored afterwards).
- `build`: calls a builder of `configs`, skipping the test with torch's own
  message when torch refuses the configuration on the current engine.
- `qnn_opt`: runs `$QNN_BUILD_DIR/bin/qnn-opt` (default: the repository's
  `build/`) on MLIR text and returns its output, failing the test with
  qnn-opt's diagnostics when it exits non-zero.
- `qnn_compile`: `qnn.compile` (and `.mlir(text)` for `qnn.compile_mlir`),
  retried while the build replaces qnn-run, qnn-opt or the runtime library.
"""

from __future__ import annotations

import errno
import os
import subprocess
import time
from pathlib import Path
from typing import Any, Callable, Iterator

# torch's onednn reuses a cached conv primitive across calls whose input
# zero points differ in being 0 (ideep's LRU cache, LRU_CACHE_CAPACITY, by
# default 1024): a conv of some shape then returns wrong values when an
# earlier conv of that shape in the process had the other kind of zero
# point (docs/numerics/dynamic.md, test_dynamic_conv.py). A cache of one
# entry avoids that; it must be set before torch creates the cache.
os.environ.setdefault("LRU_CACHE_CAPACITY", "1")

import pytest  # noqa: E402
import torch  # noqa: E402

import configs
import qnn
import qnn.runtime

ENGINES = ["onednn", "qnnpack"]

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(params=ENGINES)
def engine(request: pytest.FixtureRequest) -> Iterator[str]:
    name = request.param
    if name not in torch.backends.quantized.supported_engines:
        pytest.skip(f"this torch build has no {name} engine")
    previous = torch.backends.quantized.engine
    torch.backends.quantized.engine = name
    try:
        yield name
    finally:
        torch.backends.quantized.engine = previous


@pytest.fixture
def build(engine: str) -> Callable[..., configs.Built]:
    """`build(builder, *args)` is `builder(*args)` under `engine`, skipping
    the test where torch refuses the configuration."""

    def run(builder: Callable[..., configs.Built], *args: Any, **kwargs: Any) -> configs.Built:
        try:
            return builder(*args, **kwargs)
        except configs.TorchRefuses as refusal:
            pytest.skip(str(refusal))

    return run


def qnn_opt_path() -> Path:
    build_dir = Path(os.environ.get("QNN_BUILD_DIR", REPO / "build"))
    return build_dir / "bin" / "qnn-opt"


class QnnOpt:
    """Runs qnn-opt. The binary may be rebuilt while tests run, so a run that
    cannot start (missing, busy or half-written file), dies from a signal or
    the loader, or fails while the binary changes, is retried for up to
    `patience` seconds."""

    #: Exit codes of the shell convention for "cannot execute" / "not found",
    #: which the dynamic loader also uses.
    LOADER_EXIT_CODES = (126, 127)
    #: A binary modified this recently may still be being written.
    SETTLE_SECONDS = 5.0

    def __init__(self, path: Path, patience: float = 120.0) -> None:
        self.path = path
        self.patience = patience

    def _stamp(self) -> Any:
        try:
            stat = self.path.stat()
        except OSError:
            return None
        return stat.st_mtime, stat.st_size

    def _unsettled(self, before: Any) -> bool:
        after = self._stamp()
        return after != before or after is None or time.time() - after[0] < self.SETTLE_SECONDS

    def run(self, text: str, *flags: str) -> subprocess.CompletedProcess:
        deadline = time.monotonic() + self.patience
        while True:
            before = self._stamp()
            try:
                result = subprocess.run([str(self.path), *flags], input=text,
                                        capture_output=True, text=True, timeout=120)
                if result.returncode == 0 or (
                        result.returncode > 0
                        and result.returncode not in self.LOADER_EXIT_CODES
                        and not self._unsettled(before)):
                    return result
                problem = f"qnn-opt exited with {result.returncode}: {result.stderr}"
            except OSError as error:
                if error.errno not in (errno.ENOENT, errno.ETXTBSY, errno.ENOEXEC):
                    raise
                problem = f"cannot run {self.path}: {error}"
            if time.monotonic() > deadline:
                pytest.fail(problem)
            time.sleep(2.0)

    def __call__(self, text: str, *flags: str) -> str:
        """qnn-opt's output on `text`; fails the test unless it exits 0."""
        result = self.run(text, *flags)
        if result.returncode != 0:
            pytest.fail(f"qnn-opt rejected the IR (exit {result.returncode}):\n"
                        f"{result.stderr}\n--- input ---\n{text}")
        return result.stdout


@pytest.fixture(scope="session")
def qnn_opt() -> QnnOpt:
    return QnnOpt(qnn_opt_path())


class QnnCompiler:
    """Calls `qnn.compile` / `qnn.compile_mlir`. Like `QnnOpt`, it retries for
    up to `patience` seconds when a failure looks like a half-written build
    product: a tool that cannot start or that the loader rejects, a runtime
    archive the linker cannot read, or any failure while qnn-run, qnn-opt or
    libqnn_runtime_static.a change or have just changed. A failing tool with
    no diagnostics at all (killed by a signal) is retried twice. Other
    failures, and `qnn.UnsupportedError`, are raised at once."""

    SETTLE_SECONDS = QnnOpt.SETTLE_SECONDS
    #: Messages of the loader and linker about unreadable binaries.
    BROKEN_BINARY = ("error while loading shared libraries", "file format not recognized",
                     "malformed archive", "file truncated", "invalid ELF header",
                     "not an ELF file", "Exec format error", "archive has no index")
    SILENT_RETRIES = 2

    def __init__(self, patience: float = 120.0) -> None:
        self.patience = patience

    @staticmethod
    def _paths() -> list:
        build_dir = qnn.runtime.build_dir()
        return [build_dir / "bin" / "qnn-run", build_dir / "bin" / "qnn-opt",
                build_dir / "lib" / "libqnn_runtime_static.a"]

    def _stamps(self) -> Any:
        stamps = []
        for path in self._paths():
            try:
                stat = path.stat()
                stamps.append((stat.st_mtime, stat.st_size))
            except OSError:
                stamps.append(None)
        return stamps

    def _unsettled(self, before: Any) -> bool:
        after = self._stamps()
        return after != before or any(
            s is None or time.time() - s[0] < self.SETTLE_SECONDS for s in after)

    def _transient(self, error: Exception, before: Any) -> bool:
        if isinstance(error, FileNotFoundError):
            return True
        if isinstance(error, OSError) and error.errno in (errno.ENOENT, errno.ETXTBSY,
                                                          errno.ENOEXEC):
            return True
        message = str(error)
        return (any(m in message for m in self.BROKEN_BINARY)
                or self._unsettled(before))

    def _retry(self, function: Callable[[], Any]) -> Any:
        deadline = time.monotonic() + self.patience
        silent = 0
        while True:
            before = self._stamps()
            try:
                return function()
            except qnn.UnsupportedError:
                raise
            except (RuntimeError, OSError, ValueError) as error:
                # qnn.runtime reports a failing tool as "<tool> failed:\n<stderr>".
                no_diagnostics = isinstance(error, RuntimeError) and str(error).endswith(
                    "failed:\n")
                if no_diagnostics and silent < self.SILENT_RETRIES:
                    silent += 1
                elif not self._transient(error, before) or time.monotonic() > deadline:
                    raise
            time.sleep(2.0)

    def __call__(self, model: torch.nn.Module, *example_inputs: Any,
                 decompose: bool = False) -> qnn.CompiledModel:
        return self._retry(lambda: qnn.compile(model, *example_inputs, decompose=decompose))

    def mlir(self, text: str, decompose: bool = False) -> qnn.CompiledModel:
        return self._retry(lambda: qnn.compile_mlir(text, decompose=decompose))


@pytest.fixture(scope="session")
def qnn_compile() -> QnnCompiler:
    return QnnCompiler()
