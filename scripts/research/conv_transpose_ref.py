#!/usr/bin/python3
"""torch 1.13's quantized ConvTranspose1d/2d/3d against the conv it equals.

Claim (docs/numerics/conv-transpose.md): nnq.ConvTransposeNd(x, w) equals
nnq.ConvNd (unit strides, no padding, same dilation and groups) of the input
spread out with its zero point -- `stride - 1` codes between elements,
`dilation * (kernel - 1) - padding` around them, `output_padding` more at the
end -- with the weight transposed per group and flipped, bit for bit.

Run as is for the engine's exact arithmetic (onednn with VNNI, qnnpack);
with ONEDNN_MAX_CPU_ISA=AVX2 it shows that oneDNN's AVX2 deconvolution,
whose int16 pair sums saturate, differs from its convolution for grouped
cases (and from any conv of the spread input where pairs of inserted zero
points saturate). Prints, per case, the codes that differ.
"""
import torch
import torch.nn.functional as F
import torch.nn.quantized as nnq

CONVS = {1: nnq.Conv1d, 2: nnq.Conv2d, 3: nnq.Conv3d}
TRANSPOSES = {1: nnq.ConvTranspose1d, 2: nnq.ConvTranspose2d, 3: nnq.ConvTranspose3d}


def as_conv(engine, dims, cin, cout, k, stride, pad, opad, dil, groups, per_channel):
    torch.backends.quantized.engine = engine
    spatial = [5, 6, 4][:dims]
    x = torch.quantize_per_tensor(torch.randn(2, cin, *spatial), 0.05, 120, torch.quint8)
    wf = torch.randn(cin, cout // groups, *([k] * dims))
    scales = torch.rand(cout // groups, dtype=torch.double) * 0.02 + 0.005
    if per_channel:
        qw = torch.quantize_per_channel(wf, scales, torch.zeros_like(scales, dtype=torch.long),
                                        1, torch.qint8)
    else:
        qw = torch.quantize_per_tensor(wf, 0.01, 0, torch.qint8)
    b = torch.randn(cout)
    try:
        m = TRANSPOSES[dims](cin, cout, k, stride=stride, padding=pad, output_padding=opad,
                             groups=groups, dilation=dil)
        m.set_weight_bias(qw, b)
        m.scale, m.zero_point = 0.1, 60
        y = m(x)
    except RuntimeError as e:
        return "torch refuses: " + str(e).splitlines()[0][:90]
    ref = getattr(F, f"conv_transpose{dims}d")(x.dequantize(), qw.dequantize(), b, stride, pad,
                                               opad, groups, dil)
    if ref.shape != y.shape:
        return f"torch's shape {tuple(y.shape)}, the float semantics' {tuple(ref.shape)}"
    border = dil * (k - 1)
    if pad > border:
        return "padding beyond the border (qnn crops; not probed here)"
    spread = torch.full([2, cin] + [(s - 1) * stride + 1 for s in spatial], 120,
                        dtype=torch.int32)
    spread[(slice(None), slice(None)) + (slice(None, None, stride),) * dims] = \
        x.int_repr().to(torch.int32)
    widths = []
    for _ in range(dims):
        widths = [border - pad, border - pad + opad] + widths
    spread = F.pad(spread, widths, value=120).to(torch.uint8)
    spread = torch._make_per_tensor_quantized_tensor(spread, 0.05, 120)
    codes = qw.int_repr().reshape(groups, cin // groups, cout // groups, *([k] * dims))
    codes = codes.transpose(1, 2).reshape(cout, cin // groups, *([k] * dims))
    codes = codes.flip(list(range(2, 2 + dims)))
    if per_channel:
        cw = torch._make_per_channel_quantized_tensor(
            codes, scales.repeat(groups), torch.zeros(cout, dtype=torch.long), 0)
    else:
        cw = torch._make_per_tensor_quantized_tensor(codes, 0.01, 0)
    c = CONVS[dims](cin, cout, k, dilation=dil, groups=groups)
    c.set_weight_bias(cw, b)
    c.scale, c.zero_point = 0.1, 60
    differ = int((c(spread).int_repr() != y.int_repr()).sum())
    return f"{differ} of {y.numel()} codes differ from the conv"


def main():
    torch.manual_seed(0)
    cases = [(4, 6, 3, 1, 0, 0, 1, 1, False), (4, 6, 3, 2, 1, 0, 1, 1, False),
             (4, 6, 3, 2, 1, 1, 1, 1, False), (4, 6, 3, 2, 1, 0, 2, 2, False),
             (4, 6, 3, 2, 1, 0, 1, 1, True), (8, 8, 3, 2, 1, 1, 1, 8, False)]
    for engine in ("onednn", "qnnpack"):
        for dims in (1, 2, 3):
            for case in cases:
                print(engine, dims, case, as_conv(engine, dims, *case))


if __name__ == "__main__":
    main()
