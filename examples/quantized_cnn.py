"""qnn's main job, end to end, on a small quantized CNN.

A float PyTorch model (conv -> relu -> conv -> relu -> flatten -> linear ->
relu -> linear) is quantized the usual way (QuantStub/DeQuantStub, fuse,
prepare, calibrate, convert) for the engine PyTorch uses here, imported into
qnn's MLIR dialect, compiled to native code for this CPU and run on fresh
inputs; the script prints the IR and says whether qnn's outputs equal
PyTorch's bit for bit.

    PYTHONPATH=python /usr/bin/python3 examples/quantized_cnn.py [--engine qnnpack]
"""

import argparse
import sys
import warnings
from pathlib import Path

import torch
import torch.ao.quantization as tq
import torch.nn as nn

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "python"))
import qnn  # noqa: E402


class SmallCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.quant = tq.QuantStub()
        self.conv1 = nn.Conv2d(3, 8, 3, padding=1)
        self.relu1 = nn.ReLU()
        self.conv2 = nn.Conv2d(8, 16, 3, stride=2, padding=1)
        self.relu2 = nn.ReLU()
        self.fc1 = nn.Linear(16 * 8 * 8, 32)
        self.relu3 = nn.ReLU()
        self.fc2 = nn.Linear(32, 10)
        self.dequant = tq.DeQuantStub()

    def forward(self, x):
        x = self.quant(x)
        x = self.relu1(self.conv1(x))
        x = self.relu2(self.conv2(x))
        x = torch.flatten(x, 1)
        x = self.relu3(self.fc1(x))
        return self.dequant(self.fc2(x))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", choices=["onednn", "qnnpack"],
                        default=torch.backends.quantized.engine)
    parser.add_argument("--quiet", action="store_true", help="do not print IR")
    args = parser.parse_args()
    torch.backends.quantized.engine = args.engine
    torch.manual_seed(0)
    warnings.filterwarnings("ignore", message="Please use quant_min")

    model = SmallCNN().eval()
    model.qconfig = tq.get_default_qconfig(args.engine)
    if args.engine == "onednn" and qnn.torch_onednn_saturates():
        # Without VNNI, PyTorch's onednn saturates int16 sums of pairs of
        # 8-bit products unless activations are 7-bit; PyTorch recommends
        # reduce_range there, and so do we (qnn itself is exact either way).
        print("note: this CPU has no VNNI: quantizing activations with "
              "reduce_range, as PyTorch recommends for onednn here")
        model.qconfig = tq.QConfig(
            activation=tq.HistogramObserver.with_args(reduce_range=True),
            weight=tq.default_per_channel_weight_observer)
    tq.fuse_modules(model, [["conv1", "relu1"], ["conv2", "relu2"],
                            ["fc1", "relu3"]], inplace=True)
    tq.prepare(model, inplace=True)
    for _ in range(8):  # calibration
        model(torch.randn(4, 3, 16, 16))
    tq.convert(model, inplace=True)

    example = torch.randn(4, 3, 16, 16)
    mlir = qnn.from_torch(model, example)
    if not args.quiet:
        print(f"=== the model in the qnn dialect ({args.engine} numerics; "
              "weights elided) ===")
        print(qnn.elide_constants(mlir))
    compiled = qnn.compile(model, example)

    # Fresh inputs from the calibration distribution. Where PyTorch's onednn
    # saturates (no VNNI), keep them in the range the 7-bit input
    # quantization covers, as reduce_range intends.
    inputs = [torch.randn(4, 3, 16, 16) for _ in range(8)]
    if args.engine == "onednn" and qnn.torch_onednn_saturates():
        scale, zero_point = model.quant.scale.item(), model.quant.zero_point.item()
        low, high = -zero_point * scale, (127 - zero_point) * scale
        inputs = [x.clamp(low, high) for x in inputs]
    exact = sum(torch.equal(compiled(x), model(x)) for x in inputs)
    print(f"=== qnn ran the compiled model on {len(inputs)} inputs: "
          f"{exact}/{len(inputs)} outputs equal to PyTorch's ({args.engine}) "
          f"bit for bit ===")
    print("MATCHES PYTORCH" if exact == len(inputs) else "DOES NOT MATCH")
    return 0 if exact == len(inputs) else 1


if __name__ == "__main__":
    sys.exit(main())
