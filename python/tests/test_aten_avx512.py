"""ATen's AVX-512 kernels (ATEN_CPU_CAPABILITY=avx512), where the CPU has them.

torch dispatches ATen's kernels to AVX2 by default even on AVX-512 CPUs, so
the default suite only sees the AVX2 split between vector and scalar code.
ATEN_CPU_CAPABILITY is read once, at start-up: this test runs a child
process with it set, where the importer's models of the split
(`aten_loops.scalar_ranges` with 128-element steps for 8-bit adds, the NHWC
cat's 64-code then 16-float vector loops) must give torch's results: adds
of sizes around the step, broadcast and not, and channels-last cats whose
requantized inputs have 8, 24, 40, 72 and 88 channels (0, 16, 32, 64 and 80
of them by fma under AVX-512). The codes are crafted so that the two lambdas
round every element apart: with the AVX2 rules, 10 of the 17 cases differ
from torch.
"""

import os
import subprocess
import sys

import pytest
import torch

import qnn

_CHILD = "QNN_TEST_ATEN_AVX512_CHILD"


def _cases():
    """Crafted codes where the two lambdas round apart on every element:
    (6 at 0.02000049129128456:47) + (188 at 0.09541037678718567:194) to
    0.0960332602262497:96 is 82 by fma dequantize and 81 by plain, and 239
    at 0.09827901422977448:233 requantized to 0.010436716489493847:17 is 74
    and 73 (test_functional's crafted cases)."""
    q = torch.ops.quantized

    def full(shape, code, scale, zero_point, channels_last=False):
        t = torch._make_per_tensor_quantized_tensor(
            torch.full(shape, code, dtype=torch.uint8), scale, zero_point)
        return t.contiguous(memory_format=torch.channels_last) if channels_last else t

    class Fn(torch.nn.Module):
        def __init__(self, f):
            super().__init__()
            self.f = f

        def forward(self, x, y):
            return self.f(x, y)

    add = Fn(lambda x, y: q.add(x, y, 0.0960332602262497, 96))
    for n in (65, 127, 128, 129, 200, 300):
        a = full((n,), 6, 0.02000049129128456, 47)
        yield f"add-{n}-broadcast", add, (a, full((1,), 188, 0.09541037678718567, 194))
        a = full((2, n), 6, 0.02000049129128456, 47)
        yield f"add-2x{n}", add, (a, full((2, n), 188, 0.09541037678718567, 194))
    cat = Fn(lambda x, y: q.cat([x, y], 1, 0.010436716489493847, 17))
    for c in (8, 24, 40, 72, 88):
        a = full((1, c, 2, 3), 239, 0.09827901422977448, 233, channels_last=True)
        b = full((1, 5, 2, 3), 20, 0.010436716489493847, 17, channels_last=True)
        yield f"cat-nhwc-{c}", cat, (a, b)


def _child() -> int:
    from qnn.importer.aten_loops import cpu_capability
    assert cpu_capability() == "AVX512", cpu_capability()
    torch.backends.quantized.engine = "onednn"
    failures = []
    count = 0
    for name, model, inputs in _cases():
        count += 1
        expected = model(*inputs).int_repr()
        actual = qnn.compile(model, *inputs)(*inputs).int_repr()
        if not torch.equal(expected, actual):
            failures.append(f"{name}: {int((expected != actual).sum())} of {expected.numel()}")
    print("\n".join(failures) or f"all {count} equal")
    return 1 if failures else 0


def _avx512() -> bool:
    with open("/proc/cpuinfo") as f:
        flags = f.read()
    return all(f" {flag}" in flags for flag in ("avx512f", "avx512bw", "avx512vl", "avx512dq"))


@pytest.mark.skipif(not _avx512(), reason="ATen's AVX-512 kernels need an AVX-512 CPU")
def test_aten_avx512_split():
    env = dict(os.environ, ATEN_CPU_CAPABILITY="avx512", **{_CHILD: "1"})
    done = subprocess.run([sys.executable, __file__], env=env, capture_output=True, text=True,
                          timeout=900)
    assert done.returncode == 0, done.stdout + done.stderr[-2000:]


if __name__ == "__main__" and os.environ.get(_CHILD):
    sys.exit(_child())
