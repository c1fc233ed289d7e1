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

    model = SmallCNN().eval()
    model.qconfig = tq.get_default_qconfig(args.engine)
    # Without VNNI, PyTorch's onednn saturates int16 sums of pairs of
    # products; qnn reproduces that arithmetic when asked to.
    numerics = None
    if args.engine == "onednn" and qnn.torch_onednn_saturates():
        numerics = "onednn_no_vnni"
        print("note: this CPU has no VNNI, where PyTorch's onednn saturates "
              "int16 pair sums: compiling with qnn.numerics = "
              "\"onednn_no_vnni\" to reproduce it")
    tq.fuse_modules(model, [["conv1", "relu1"], ["conv2", "relu2"],
                            ["fc1", "relu3"]], inplace=True)
    tq.prepare(model, inplace=True)
    for _ in range(8):  # calibration
        model(torch.randn(4, 3, 16, 16))
    tq.convert(model, inplace=True)

    example = torch.randn(4, 3, 16, 16)
    mlir = qnn.from_torch(model, example, numerics=numerics)
    if not args.quiet:
        print(f"=== the model in the qnn dialect ({args.engine} numerics; "
              "weights elided) ===")
        print(qnn.elide_constants(mlir))
    compiled = qnn.compile(model, example, numerics=numerics)

    # Fresh inputs from the calibration distribution, and larger ones.
    inputs = [torch.randn(4, 3, 16, 16) * scale
              for scale in (0.5, 1.0, 1.0, 1.0, 2.0, 2.0, 4.0, 8.0)]
    exact = sum(torch.equal(compiled(x), model(x)) for x in inputs)
    print(f"=== qnn ran the compiled model on {len(inputs)} inputs: "
          f"{exact}/{len(inputs)} outputs equal to PyTorch's ({args.engine}) "
          f"bit for bit ===")
    print("MATCHES PYTORCH" if exact == len(inputs) else "DOES NOT MATCH")
    return 0 if exact == len(inputs) else 1


if __name__ == "__main__":
    sys.exit(main())
