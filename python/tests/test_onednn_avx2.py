"""onednn_no_vnni against torch's onednn capped at AVX2 (no VNNI).

oneDNN reads `ONEDNN_MAX_CPU_ISA` once, at start-up, so the comparison runs
in a subprocess with the variable set (`_run_capped`); there torch's
onednn saturates int16 pair sums on any x86-64 CPU with AVX2, whatever the
host has. The cases pin the conv pairing rule's padding part: oneDNN's jit
conv skips zero-padded taps (code 0, not the input zero point) and
compensates the input zero point over the in-bounds taps only, which
changes the saturated sums near the borders. Convs of every rank, dilated,
strided, padded, with and without fused ReLU, odd and even channel counts,
full-range input codes and zero points. Before qnn modelled the skipped
taps, 9395 of these 51019 output codes differed from torch.
"""

import os
import subprocess
import sys

import pytest
import torch

import qnn

_CHILD = "QNN_TEST_ONEDNN_AVX2_CHILD"


def _conv_cases():
    import torch.nn.intrinsic.quantized as nniq
    import torch.nn.quantized as nnq
    classes = {1: (nniq.ConvReLU1d, nnq.Conv1d), 2: (nniq.ConvReLU2d, nnq.Conv2d),
               3: (nniq.ConvReLU3d, nnq.Conv3d)}
    for seed in range(40):
        torch.manual_seed(seed)
        dims = (1, 2, 3)[seed % 3]
        ci, co = ((4, 6), (3, 5), (8, 8), (16, 4))[seed % 4]
        k = (3, 2, 5)[seed % 3] if dims < 3 else 3
        pad, dil, stride = ((2, 2, 1), (1, 1, 2), (3, 1, 1), (1, 2, 1))[seed % 4]
        m = classes[dims][seed % 2](ci, co, k, stride=stride, padding=pad, dilation=dil)
        w = torch.quantize_per_tensor(torch.randn(m.weight().shape) * 0.5, 0.01, 0, torch.qint8)
        m.set_weight_bias(w, torch.randn(co))
        m.scale, m.zero_point = 0.5, 60
        size = {1: (2, ci, 17), 2: (2, ci, 9, 8), 3: (1, ci, 6, 5, 6)}[dims]
        zx = int(torch.randint(0, 256, ()).item())
        x = torch.quantize_per_tensor(torch.rand(size) * 25.5, 0.1, zx, torch.quint8)
        yield f"seed{seed}-{type(m).__name__}", m, x


def _child() -> int:
    torch.backends.quantized.engine = "onednn"
    assert qnn.torch_onednn_saturates()
    failures = []
    for name, m, x in _conv_cases():
        ref = m(x).int_repr()
        got = qnn.compile(m, x)(x).int_repr()  # default numerics: the host's
        if not torch.equal(ref, got):
            failures.append(f"{name}: {int((ref != got).sum())} of {ref.numel()}")
    print("\n".join(failures) or "all equal")
    return 1 if failures else 0


def _avx2() -> bool:
    with open("/proc/cpuinfo") as f:
        return " avx2" in f.read()


@pytest.mark.skipif(not _avx2(), reason="oneDNN capped at AVX2 needs an AVX2 CPU")
def test_conv_padding_capped_avx2():
    env = dict(os.environ, ONEDNN_MAX_CPU_ISA="AVX2", **{_CHILD: "1"})
    done = subprocess.run([sys.executable, __file__], env=env, capture_output=True,
                          text=True, timeout=900)
    assert done.returncode == 0, done.stdout + done.stderr[-2000:]


if __name__ == "__main__" and os.environ.get(_CHILD):
    sys.exit(_child())
