#!/usr/bin/python3
"""Which input channels oneDNN's AVX2 deconvolution pairs (run with
ONEDNN_MAX_CPU_ISA=AVX2 on any x86-64 with AVX2).

Kernel 1, codes 255, scales 1 and output scale 256: a pair of weights
127, 127 saturates vpmaddubsw's int16 (64770 -> 32767), so each output code
tells which channels were summed in pairs. Prints the deconvolution's code,
the convolution's (same weights) and the exact one. Measured on torch 1.13:
the deconvolution pairs consecutive channels of a group (the last one of an
odd group with zero) for every group shape; the convolution pairs only
single-group convs and groups whose channels per group in and out are
multiples of 4 (docs/numerics/conv-transpose.md).
"""
import torch, torch.nn.quantized as nnq
torch.backends.quantized.engine = "onednn"
def run(groups, icpg, weights, conv=False):
    cin = groups * icpg
    cout = groups
    x = torch._make_per_tensor_quantized_tensor(torch.full((1, cin, 3), 255, dtype=torch.uint8), 1.0, 0)
    if conv:
        m = nnq.Conv1d(cin, cout, 1, groups=groups)
        w = torch.tensor(weights * groups, dtype=torch.int8).reshape(cout, icpg, 1)
    else:
        m = nnq.ConvTranspose1d(cin, cout, 1, groups=groups)
        w = torch.tensor(weights * groups, dtype=torch.int8).reshape(cin, 1, 1)
    m.set_weight_bias(torch._make_per_tensor_quantized_tensor(w, 1.0, 0), None)
    m.scale, m.zero_point = 256.0, 0
    return m(x).int_repr()[0, :, 1].tolist()
for groups, icpg, ws in [(1, 3, [127, 127, -127]), (2, 3, [127, 127, -127]), (2, 2, [127, 127]), (1, 2, [127, 127]), (2, 4, [127, 127, -127, -127]), (2, 5, [127, 127, -127, -127, 127]), (1, 5, [127, 127, -127, -127, 127]), (4, 1, [127]), (2, 3, [127, -127, 127])]:
    print(groups, icpg, ws, "deconv", run(groups, icpg, ws), "conv", run(groups, icpg, ws, conv=True), "exact", round(255 * sum(ws) / 256))
