"""Configuration tables and model builders shared by qnn's Python tests.

The tables follow PyTorch 1.13's test/quantization/core/test_quantized_module.py
(test_linear, test_linear_relu, test_quant_dequant_api, test_relu,
test_conv{1,2,3}d_api, test_conv{1,2,3}d_relu_api and their helpers
_test_linear_api_impl, _test_conv_api_impl, _make_conv_test_input), with two
changes:

- the seed tests pick the weight zero point from the engine (0 on onednn, 3
  or 4 on qnnpack) and turn per-channel weights off on qnnpack. Here the
  weight zero point is a field of each configuration, both values are listed,
  and per-channel weights run on both engines; `build` raises `TorchRefuses`
  where torch itself rejects a configuration on the current engine (onednn
  only takes weight zero point 0; qnnpack cannot unpack 3-D convolution
  weights, which import needs);
- a few configurations beyond the seeds vary the convolution geometry
  (stride, padding, dilation, groups, kernel shape), which the seeds fix.

Every builder returns `(model, example_inputs)` and is deterministic: it draws
its data from its own generator seeded with `SEED`, never from the global one.
Builders read `torch.backends.quantized.engine`, so set the engine first.
"""

from __future__ import annotations

import itertools
import math
import random
from typing import Any, Dict, List, Tuple

import torch
import torch.ao.quantization as tq
import torch.nn as nn
import torch.nn.functional as F
import torch.nn.intrinsic.quantized as nniq
import torch.nn.quantized as nnq

SEED = 1234

Config = Dict[str, Any]
Built = Tuple[nn.Module, Tuple[torch.Tensor, ...]]


class TorchRefuses(Exception):
    """PyTorch rejects this configuration on the current engine."""


def find(table: List[Config], **fields: Any) -> Config:
    """The first configuration of `table` with the given field values."""
    return next(cfg for cfg in table if all(cfg[k] == v for k, v in fields.items()))


def config_ids(table: List[Config]) -> List[str]:
    """pytest ids for `table`: the fields that vary across it, with values."""
    def fmt(value: Any) -> str:
        return "x".join(map(str, value)) if isinstance(value, tuple) else str(value)

    varying = [k for k in table[0] if len({repr(c[k]) for c in table}) > 1]
    return ["-".join(f"{k}={fmt(c[k])}" for k in varying) for c in table]


def _generator() -> torch.Generator:
    return torch.Generator().manual_seed(SEED)


def _set_weight_bias(module: nn.Module, weight: torch.Tensor, bias: Any) -> None:
    """`module.set_weight_bias`, turning the engine's refusal to pack the
    weight, or to unpack it again (qnnpack cannot unpack 3-D convolution
    weights, so their module cannot be imported), into `TorchRefuses`."""
    try:
        module.set_weight_bias(weight, bias)
        module._weight_bias()
    except RuntimeError as error:
        engine = torch.backends.quantized.engine
        raise TorchRefuses(f"torch refuses on {engine}: "
                           f"{str(error).splitlines()[0]}") from error


def _float_io(module: nn.Module, x_q: torch.Tensor) -> Built:
    """`module` between a Quantize to `x_q`'s parameters and a DeQuantize, with
    the float input that quantizes to `x_q`."""
    model = nn.Sequential(nnq.Quantize(x_q.q_scale(), x_q.q_zero_point(), x_q.dtype),
                          module, nnq.DeQuantize())
    return model, (x_q.dequantize(),)


# ---------------------------------------------------------------------------
# Linear (test_linear, test_linear_relu)
# ---------------------------------------------------------------------------

LINEAR_MODULES = {"Linear": nnq.Linear, "LinearReLU": nniq.LinearReLU}

#: batch size x in features x out features x bias x weight quantization; the
#: seeds' per-tensor weight zero point is 0 on onednn and 4 on qnnpack, and
#: their per-channel zero points are 0.
LINEAR_CONFIGS: List[Config] = [
    dict(module=module, batch_size=batch_size, in_features=in_features,
         out_features=out_features, use_bias=use_bias, per_channel=per_channel,
         w_zero_point=w_zero_point)
    for module in LINEAR_MODULES
    for batch_size, in_features, out_features, use_bias in itertools.product(
        [1, 5], [16, 32], [4, 8], [True, False])
    for per_channel, w_zero_point in [(True, 0), (False, 0), (False, 4)]
]


def build_linear(cfg: Config, float_io: bool = False) -> Built:
    """nnq.Linear / nniq.LinearReLU as in _test_linear_api_impl: weights
    rand(out, in) quantized with scale 0.1 (per tensor) or (i + 1) / 255
    (per channel), input rand(batch, in) at 0.2:10, output 0.5:3."""
    g = _generator()
    out_features, in_features = cfg["out_features"], cfg["in_features"]
    weight = torch.rand(out_features, in_features, generator=g)
    if cfg["per_channel"]:
        scales = torch.arange(1, out_features + 1, dtype=torch.double) / 255.0
        zero_points = torch.full((out_features,), cfg["w_zero_point"], dtype=torch.long)
        w_q = torch.quantize_per_channel(weight, scales, zero_points, 0, torch.qint8)
    else:
        w_q = torch.quantize_per_tensor(weight, 0.1, cfg["w_zero_point"], torch.qint8)
    x = torch.rand(cfg["batch_size"], in_features, generator=g)
    x_q = torch.quantize_per_tensor(x, 0.2, 10, torch.quint8)
    bias = torch.rand(out_features, generator=g) if cfg["use_bias"] else None
    module = LINEAR_MODULES[cfg["module"]](in_features, out_features)
    _set_weight_bias(module, w_q, bias)
    module.scale = 0.5
    module.zero_point = 3
    return _float_io(module, x_q) if float_io else (module, (x_q,))


# ---------------------------------------------------------------------------
# Convolutions (test_conv{1,2,3}d_api, test_conv{1,2,3}d_relu_api)
# ---------------------------------------------------------------------------

CONV_MODULES = {
    "Conv1d": nnq.Conv1d, "Conv2d": nnq.Conv2d, "Conv3d": nnq.Conv3d,
    "ConvReLU1d": nniq.ConvReLU1d, "ConvReLU2d": nniq.ConvReLU2d,
    "ConvReLU3d": nniq.ConvReLU3d,
}


def conv_config(module: str, dims: int, **overrides: Any) -> Config:
    """The seeds' geometry (batch 2, 3 groups of 2 -> 2 channels, size 8,
    kernel 3, stride 2, padding 1, dilation 1) and quantization parameters
    (x 1.3:2, w 0.5, y 5.0:4), with `overrides`."""
    cfg = dict(module=module, batch_size=2, in_channels_per_group=2,
               out_channels_per_group=2, groups=3, input_size=(8,) * dims,
               kernel_size=(3,) * dims, stride=(2,) * dims, padding=(1,) * dims,
               dilation=(1,) * dims, padding_mode="zeros", use_bias=True,
               per_channel=False, x_scale=1.3, x_zero_point=2, w_scale=0.5,
               w_zero_point=0, y_scale=5.0, y_zero_point=4)
    cfg.update(overrides)
    return cfg


#: The seeds: padding mode (zeros/reflect; 3-D convolutions have no reflect)
#: x bias x per channel, with weight zero point 0 (onednn's) and 3 (qnnpack's).
CONV_SEED_CONFIGS: List[Config] = [
    conv_config(f"{kind}{dims}d", dims, padding_mode=padding_mode,
                use_bias=use_bias, per_channel=per_channel, w_zero_point=w_zero_point)
    for kind in ("Conv", "ConvReLU")
    for dims in (1, 2, 3)
    for padding_mode in (("zeros", "reflect") if dims < 3 else ("zeros",))
    for use_bias, per_channel, w_zero_point in itertools.product(
        [True, False], [True, False], [0, 3])
]

#: Geometry the seeds do not vary.
CONV_EXTRA_CONFIGS: List[Config] = [
    conv_config("Conv1d", 1, input_size=(11,), stride=(3,), padding=(2,),
                dilation=(2,), groups=1, in_channels_per_group=3,
                out_channels_per_group=5, padding_mode="reflect", per_channel=True),
    conv_config("ConvReLU1d", 1, input_size=(5,), kernel_size=(1,), stride=(1,),
                padding=(0,), groups=2, use_bias=False),
    conv_config("Conv2d", 2, input_size=(7, 9), kernel_size=(2, 3), stride=(1, 2),
                padding=(0, 2), dilation=(2, 1), groups=1, in_channels_per_group=4,
                padding_mode="reflect", per_channel=True),
    conv_config("ConvReLU2d", 2, batch_size=1, input_size=(5, 5), kernel_size=(5, 5),
                stride=(1, 1), padding=(0, 0), groups=6, in_channels_per_group=1,
                out_channels_per_group=1),
    conv_config("Conv3d", 3, input_size=(4, 6, 5), kernel_size=(1, 3, 2),
                stride=(1, 2, 1), padding=(0, 1, 2), dilation=(1, 1, 2), groups=2,
                per_channel=True),
    conv_config("ConvReLU3d", 3, batch_size=1, input_size=(3, 3, 3), stride=(1, 1, 1),
                groups=1, w_zero_point=3),
]

CONV_CONFIGS: List[Config] = CONV_SEED_CONFIGS + CONV_EXTRA_CONFIGS


def build_conv(cfg: Config, float_io: bool = False) -> Built:
    """A quantized convolution as in _test_conv_api_impl and
    _make_conv_test_input: integer-valued data (input codes 0..3, weight
    codes -5..4, bias codes 0..9 times x_scale * w_scale), per-channel weights
    with the same scale on every channel."""
    g = _generator()
    groups = cfg["groups"]
    in_channels = cfg["in_channels_per_group"] * groups
    out_channels = cfg["out_channels_per_group"] * groups
    kernel_size = tuple(cfg["kernel_size"])
    x_init = torch.randint(0, 4, (cfg["batch_size"], in_channels) + tuple(cfg["input_size"]),
                           generator=g)
    x = cfg["x_scale"] * (x_init - cfg["x_zero_point"]).float()
    x_q = torch.quantize_per_tensor(x, cfg["x_scale"], cfg["x_zero_point"], torch.quint8)
    w_init = torch.randint(-5, 5, (out_channels, cfg["in_channels_per_group"]) + kernel_size,
                           generator=g)
    b_init = torch.randint(0, 10, (out_channels,), generator=g)
    weight = cfg["w_scale"] * (w_init - cfg["w_zero_point"]).float()
    if cfg["per_channel"]:
        scales = torch.full((out_channels,), cfg["w_scale"], dtype=torch.double)
        zero_points = torch.full((out_channels,), cfg["w_zero_point"], dtype=torch.long)
        w_q = torch.quantize_per_channel(weight, scales, zero_points, 0, torch.qint8)
    else:
        w_q = torch.quantize_per_tensor(weight, cfg["w_scale"], cfg["w_zero_point"],
                                        torch.qint8)
    bias = cfg["x_scale"] * cfg["w_scale"] * b_init.float() if cfg["use_bias"] else None
    module = CONV_MODULES[cfg["module"]](
        in_channels, out_channels, kernel_size, cfg["stride"], cfg["padding"],
        cfg["dilation"], groups, cfg["use_bias"], padding_mode=cfg["padding_mode"])
    _set_weight_bias(module, w_q, bias)
    module.scale = cfg["y_scale"]
    module.zero_point = cfg["y_zero_point"]
    return _float_io(module, x_q) if float_io else (module, (x_q,))


# ---------------------------------------------------------------------------
# Quantize / DeQuantize (test_quant_dequant_api)
# ---------------------------------------------------------------------------

#: The seed (qint8, 1.0:2) and the other activation dtypes.
QUANT_DEQUANT_CONFIGS: List[Config] = [
    dict(dtype=torch.qint8, scale=1.0, zero_point=2),
    dict(dtype=torch.quint8, scale=0.1, zero_point=3),
    dict(dtype=torch.qint32, scale=0.5, zero_point=0),
]


def build_quant_dequant(cfg: Config, dequantize: bool = True) -> Built:
    """nnq.Quantize (and nnq.DeQuantize) on the seed's [[1, -1], [1, -1]]."""
    modules = [nnq.Quantize(cfg["scale"], cfg["zero_point"], cfg["dtype"])]
    if dequantize:
        modules.append(nnq.DeQuantize())
    return nn.Sequential(*modules), (torch.tensor([[1.0, -1.0], [1.0, -1.0]]),)


# ---------------------------------------------------------------------------
# Activations (test_relu)
# ---------------------------------------------------------------------------

ACTIVATION_MODULES = {
    "ReLU": lambda: nn.ReLU(),
    "ReLU-inplace": lambda: nn.ReLU(inplace=True),
    "ReLU6": lambda: nnq.ReLU6(),
}

#: The seed quantizes arange(-10, 10) with scale 1.0 as qint32, which qnn does
#: not take (its activations are quint8); quint8 with zero point 10 holds the
#: same values. Shapes of rank 1 (the seed's), 2 and 4.
ACTIVATION_CONFIGS: List[Config] = [
    dict(module=module, dtype=torch.quint8, scale=1.0, zero_point=10, shape=shape)
    for module in ACTIVATION_MODULES
    for shape in [(20,), (4, 5), (1, 2, 2, 5)]
]


def build_activation(cfg: Config) -> Built:
    x = torch.arange(-10, 10, dtype=torch.float).reshape(cfg["shape"])
    x_q = torch.quantize_per_tensor(x, cfg["scale"], cfg["zero_point"], cfg["dtype"])
    return ACTIVATION_MODULES[cfg["module"]](), (x_q,)


# ---------------------------------------------------------------------------
# Reshapes, identities and whole models
# ---------------------------------------------------------------------------


#: Ways of spelling a reshape of a 2x3x4x5 tensor, as functions and methods...
RESHAPE_FUNCTIONS = {
    "torch.flatten": lambda x: torch.flatten(x, 1),
    "Tensor.flatten": lambda x: x.flatten(),
    "flatten-middle": lambda x: x.flatten(1, 2),
    "reshape-size": lambda x: x.reshape(x.size(0), -1),
    "torch.reshape": lambda x: torch.reshape(x, (6, 20)),
    "view-shape": lambda x: x.view(x.shape[0] * x.shape[1], 4, 5),
    "view-expand": lambda x: x.view(2, 3, 2, 2, 5),
    "view-general": lambda x: x.view(4, 30),
    "view-same": lambda x: x.view(2, 3, 4, 5),
}

#: ... and as modules.
RESHAPE_MODULES = {
    "nn.Flatten": lambda: nn.Flatten(),
    "nn.Unflatten": lambda: nn.Unflatten(1, (1, 3)),
}

RESHAPE_KINDS = list(RESHAPE_FUNCTIONS) + list(RESHAPE_MODULES)


class Reshape(nn.Module):
    """Applies one of RESHAPE_FUNCTIONS."""

    def __init__(self, kind: str) -> None:
        super().__init__()
        self.kind = kind

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return RESHAPE_FUNCTIONS[self.kind](x)


def build_reshape(kind: str) -> Built:
    """A Reshape model or a bare reshaping module on a quantized 2x3x4x5 input."""
    x = torch.rand(2, 3, 4, 5, generator=_generator())
    model = RESHAPE_MODULES[kind]() if kind in RESHAPE_MODULES else Reshape(kind)
    return model, (torch.quantize_per_tensor(x, 0.05, 7, torch.quint8),)


class SmallModel(nn.Module):
    """examples/small_model.mlir as PyTorch sees it: quant -> conv -> relu ->
    dropout -> flatten -> linear -> dequant."""

    def __init__(self) -> None:
        super().__init__()
        self.quant = tq.QuantStub()
        self.conv = nn.Conv2d(3, 4, 3, padding=1)
        self.relu = nn.ReLU()
        self.dropout = nn.Dropout(0.25)
        self.fc = nn.Linear(4 * 6 * 6, 8)
        self.dequant = tq.DeQuantStub()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.dropout(self.relu(self.conv(self.quant(x))))
        # Quantized convolutions return channels-last tensors: view() fails.
        x = x.reshape(x.size(0), -1)
        return self.dequant(self.fc(x))


def build_small_model(fuse: bool = True) -> Built:
    """SmallModel quantized with the engine's default qconfig by prepare /
    calibrate / convert, conv and relu fused (into ConvReLU2d) or not."""
    g = _generator()
    model = SmallModel().eval()
    for parameter in model.parameters():
        parameter.data = torch.randn(parameter.shape, generator=g) * 0.3
    model.qconfig = tq.get_default_qconfig(torch.backends.quantized.engine)
    if fuse:
        model = tq.fuse_modules(model, [["conv", "relu"]])
    tq.prepare(model, inplace=True)
    model(torch.randn(16, 3, 6, 6, generator=g))
    tq.convert(model, inplace=True)
    return model, (torch.randn(2, 3, 6, 6, generator=g),)


def build_sequential() -> Built:
    """nn.Sequential of quantized modules between Quantize and DeQuantize."""
    conv, (x_q,) = build_conv(conv_config("Conv2d", 2, groups=1, in_channels_per_group=6,
                                           out_channels_per_group=6, padding_mode="reflect"))
    linear = nniq.LinearReLU(6 * 4 * 4, 10)
    w = torch.rand(10, 6 * 4 * 4, generator=_generator()) - 0.5
    zero_point = 0 if torch.backends.quantized.engine == "onednn" else 2
    _set_weight_bias(linear, torch.quantize_per_tensor(w, 0.01, zero_point, torch.qint8),
                     torch.zeros(10))
    linear.scale, linear.zero_point = 0.25, 0
    model = nn.Sequential(
        nnq.Quantize(x_q.q_scale(), x_q.q_zero_point(), torch.quint8), conv,
        nn.ReLU(), nnq.ReLU6(), nn.Identity(), nn.Flatten(), linear, nn.Dropout(),
        nnq.DeQuantize()).eval()
    return model, (x_q.dequantize(),)


class TwoInputs(nn.Module):
    """Two float inputs, each through its own Quantize and Linear; returns the
    float first result and the quantized second one."""

    def __init__(self, first: nn.Module, second: nn.Module, x: torch.Tensor,
                 y: torch.Tensor) -> None:
        super().__init__()
        self.quant_x = nnq.Quantize(x.q_scale(), x.q_zero_point(), torch.quint8)
        self.quant_y = nnq.Quantize(y.q_scale(), y.q_zero_point(), torch.quint8)
        self.first, self.second = first, second
        self.dequant = nnq.DeQuantize()

    def forward(self, x: torch.Tensor, y: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        return self.dequant(self.first(self.quant_x(x))), self.second(self.quant_y(y))


def build_two_inputs() -> Built:
    first, (x_q,) = build_linear(LINEAR_CONFIGS[0])
    second, (y_q,) = build_conv(CONV_SEED_CONFIGS[0])
    return TwoInputs(first, second, x_q, y_q), (x_q.dequantize(), y_q.dequantize())


class PoolingChain(nn.Module):
    """Every average and data-movement op between Quantize and DeQuantize:
    avg_pool2d (padded), nearest upsampling, adaptive_avg_pool2d, a keepdim
    mean and a permute. Averages of codes often land exactly on a rounding
    boundary (a tie), where the float reference form decides by float32
    rounding error unless the scale is a power of two: `build_pooling_chain`
    uses 1/16, so the reference computes the exact averages."""

    def __init__(self, scale: float, zero_point: int) -> None:
        super().__init__()
        self.quant = nnq.Quantize(scale, zero_point, torch.quint8)
        self.dequant = nnq.DeQuantize()

    def forward(self, x: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        x = self.quant(x)
        # count_include_pad: QNNPACK divides by the kernel size regardless.
        x = F.avg_pool2d(x, 3, 2, 1)
        x = F.interpolate(x, scale_factor=2.0, mode="nearest")
        pooled = F.adaptive_avg_pool2d(x, (3, 4))
        mean = torch.mean(pooled, (2, 3), keepdim=True)
        return self.dequant(pooled), mean.permute(0, 2, 3, 1)


def build_pooling_chain() -> Built:
    g = _generator()
    return PoolingChain(1 / 16, 100).eval(), (torch.randn(2, 4, 9, 9, generator=g),)


# ---------------------------------------------------------------------------
# Float-I/O variants (test_import, test_bitexact)
# ---------------------------------------------------------------------------

#: One Linear/Conv module of each kind between Quantize and DeQuantize.
FLOAT_IO_CASES = {
    **{module: (build_linear, find(LINEAR_CONFIGS, module=module, batch_size=5,
                                   per_channel=False, w_zero_point=0))
       for module in LINEAR_MODULES},
    **{module: (build_conv, find(CONV_SEED_CONFIGS, module=module,
                                 padding_mode="reflect" if "3d" not in module else "zeros",
                                 per_channel=True, w_zero_point=0))
       for module in CONV_MODULES},
}


# ---------------------------------------------------------------------------
# Randomized Linear / Conv cases (test_bitexact)
# ---------------------------------------------------------------------------
#
# Configurations are drawn from `random.Random(seed)` for a given engine, so
# that torch accepts them there: onednn takes weight zero point 0 only, and
# qnnpack cannot unpack 3-D convolution weights. Tensors are drawn from a
# torch generator seeded with the configuration's seed. The output scale and
# zero point are fitted to the float result of the layer (dequantized input
# and weight), either covering it ("fit") or only part of it ("clip"), so
# that outputs saturate at 0 and 255.


def _log_uniform(rng: random.Random, low: float, high: float) -> float:
    return math.exp(rng.uniform(math.log(low), math.log(high)))


def _random_weight_qparams(rng: random.Random, engine: str, per_channel: bool,
                           channels: int) -> Dict[str, Any]:
    if per_channel:
        scales = [_log_uniform(rng, 1e-3, 0.05) for _ in range(channels)]
        zero_points = [0 if engine == "onednn" else rng.randint(-30, 30)
                       for _ in range(channels)]
    else:
        scales = [_log_uniform(rng, 1e-3, 0.05)]
        zero_points = [0 if engine == "onednn" else rng.randint(-30, 30)]
    return dict(w_scales=scales, w_zero_points=zero_points)


def random_linear_config(seed: int, engine: str, **overrides: Any) -> Config:
    """A random nnq.Linear / nniq.LinearReLU for `engine`."""
    rng = random.Random(seed)
    cfg = dict(kind="linear", seed=seed, relu=rng.random() < 0.4,
               batch_shape=rng.choice([(1,), (2,), (3,), (8,), (17,), (2, 3)]),
               in_features=rng.choice([1, 2, 3, 5, 8, 16, 24, 31, 64, 100, 257, 512]),
               out_features=rng.choice([1, 2, 3, 5, 8, 16, 17, 33, 64]),
               use_bias=rng.random() < 0.7, per_channel=rng.random() < 0.5,
               x_scale=_log_uniform(rng, 0.003, 0.5), x_zero_point=rng.randint(0, 255),
               output="clip" if rng.random() < 0.3 else "fit")
    cfg.update(overrides)
    cfg.update(_random_weight_qparams(rng, engine, cfg["per_channel"], cfg["out_features"]))
    return cfg


def random_conv_config(seed: int, engine: str, **overrides: Any) -> Config:
    """A random quantized convolution (with or without fused ReLU) for
    `engine`: random geometry (batch, channels, groups, spatial sizes, kernel,
    stride, padding, dilation, padding mode)."""
    rng = random.Random(seed)
    dims = overrides.get("dims") or rng.choice([1, 2, 2, 3] if engine == "onednn" else [1, 2, 2])
    groups = rng.choice([1, 1, 1, 2, 3, 4])
    depthwise = groups > 1 and rng.random() < 0.3
    kernel = tuple(rng.randint(1, 3 if dims == 3 else 5) for _ in range(dims))
    dilation = tuple(rng.choice([1, 1, 1, 2, 3]) if k > 1 else 1 for k in kernel)
    stride = tuple(rng.choice([1, 1, 2, 3]) for _ in range(dims))
    padding = tuple(rng.randint(0, min(2, d * (k - 1))) for k, d in zip(kernel, dilation))
    extent = [d * (k - 1) + 1 for k, d in zip(kernel, dilation)]
    input_size = tuple(max(1, e - 2 * p, p + 1) + rng.randint(0, 6 if dims < 3 else 3)
                       for e, p in zip(extent, padding))
    padding_mode = "reflect" if dims < 3 and any(padding) and rng.random() < 0.3 else "zeros"
    cfg = dict(kind="conv", seed=seed, dims=dims, relu=rng.random() < 0.4,
               batch_size=rng.randint(1, 3), groups=groups,
               in_channels_per_group=1 if depthwise else rng.randint(1, 6),
               out_channels_per_group=rng.randint(1, 2) if depthwise else rng.randint(1, 6),
               input_size=input_size, kernel_size=kernel, stride=stride, padding=padding,
               dilation=dilation, padding_mode=padding_mode,
               use_bias=rng.random() < 0.7, per_channel=rng.random() < 0.5,
               x_scale=_log_uniform(rng, 0.003, 0.5), x_zero_point=rng.randint(0, 255),
               output="clip" if rng.random() < 0.3 else "fit")
    cfg.update(overrides)
    out_channels = cfg["out_channels_per_group"] * cfg["groups"]
    cfg.update(_random_weight_qparams(rng, engine, cfg["per_channel"], out_channels))
    return cfg


def random_config_id(cfg: Config) -> str:
    """A short pytest id: the seed and the salient features."""
    parts = [f"seed{cfg['seed']}"]
    if cfg["kind"] == "linear":
        parts.append(f"{'x'.join(map(str, cfg['batch_shape']))}x{cfg['in_features']}"
                     f"->{cfg['out_features']}")
    else:
        parts.append(f"conv{cfg['dims']}d-g{cfg['groups']}-k{'x'.join(map(str, cfg['kernel_size']))}"
                     f"-K{cfg['in_channels_per_group'] * math.prod(cfg['kernel_size'])}")
        if cfg["padding_mode"] != "zeros":
            parts.append(cfg["padding_mode"])
    parts.append("pc" if cfg["per_channel"] else "pt")
    parts += [p for p, on in [("bias", cfg["use_bias"]), ("relu", cfg["relu"]),
                              ("clip", cfg["output"] == "clip")] if on]
    return "-".join(parts)


def _random_weight(g: torch.Generator, cfg: Config, shape: Tuple[int, ...]) -> torch.Tensor:
    codes = torch.randint(-128, 128, shape, generator=g, dtype=torch.int8)
    if cfg["per_channel"]:
        return torch._make_per_channel_quantized_tensor(
            codes, torch.tensor(cfg["w_scales"], dtype=torch.double),
            torch.tensor(cfg["w_zero_points"], dtype=torch.long), 0)
    return torch._make_per_tensor_quantized_tensor(codes, cfg["w_scales"][0],
                                                   cfg["w_zero_points"][0])


def _random_input(g: torch.Generator, cfg: Config, shape: Tuple[int, ...],
                  x_max_code: int) -> torch.Tensor:
    codes = torch.randint(0, x_max_code + 1, shape, generator=g, dtype=torch.uint8)
    return torch._make_per_tensor_quantized_tensor(codes, cfg["x_scale"],
                                                   min(cfg["x_zero_point"], x_max_code))


def _fit_output(module: nn.Module, cfg: Config, reference: torch.Tensor) -> None:
    """Sets the output scale and zero point from the float result."""
    low, high = float(reference.min()), float(reference.max())
    if cfg["relu"]:
        low, high = max(low, 0.0), max(high, 0.0)
    span = max(high - low, 1e-3)
    if cfg["output"] == "clip":
        low, span = low + 0.3 * span, 0.4 * span
    else:
        low, span = low - 0.02 * span, 1.04 * span
    module.scale = span / 255.0
    module.zero_point = int(min(255, max(0, round(-low / module.scale))))


def build_random_linear(cfg: Config, x_max_code: int = 255) -> Built:
    """A random Linear/LinearReLU with input codes 0..x_max_code."""
    g = torch.Generator().manual_seed(cfg["seed"])
    in_features, out_features = cfg["in_features"], cfg["out_features"]
    w_q = _random_weight(g, cfg, (out_features, in_features))
    x_q = _random_input(g, cfg, tuple(cfg["batch_shape"]) + (in_features,), x_max_code)
    bias = None
    if cfg["use_bias"]:
        magnitude = cfg["x_scale"] * max(cfg["w_scales"]) * 64 * math.sqrt(in_features)
        bias = torch.randn(out_features, generator=g) * magnitude
    module = (nniq.LinearReLU if cfg["relu"] else nnq.Linear)(in_features, out_features)
    _set_weight_bias(module, w_q, bias)
    _fit_output(module, cfg, nn.functional.linear(x_q.dequantize(), w_q.dequantize(), bias))
    return module, (x_q,)


def build_random_conv(cfg: Config, x_max_code: int = 255) -> Built:
    """A random Conv/ConvReLU with input codes 0..x_max_code."""
    g = torch.Generator().manual_seed(cfg["seed"])
    dims, groups = cfg["dims"], cfg["groups"]
    in_channels = cfg["in_channels_per_group"] * groups
    out_channels = cfg["out_channels_per_group"] * groups
    kernel = tuple(cfg["kernel_size"])
    w_q = _random_weight(g, cfg, (out_channels, cfg["in_channels_per_group"]) + kernel)
    x_q = _random_input(g, cfg, (cfg["batch_size"], in_channels) + tuple(cfg["input_size"]),
                        x_max_code)
    bias = None
    if cfg["use_bias"]:
        k = cfg["in_channels_per_group"] * math.prod(kernel)
        magnitude = cfg["x_scale"] * max(cfg["w_scales"]) * 64 * math.sqrt(k)
        bias = torch.randn(out_channels, generator=g) * magnitude
    kind = ("ConvReLU" if cfg["relu"] else "Conv") + f"{dims}d"
    module = CONV_MODULES[kind](in_channels, out_channels, kernel, cfg["stride"], cfg["padding"],
                                cfg["dilation"], groups, cfg["use_bias"],
                                padding_mode=cfg["padding_mode"])
    _set_weight_bias(module, w_q, bias)
    x = x_q.dequantize()
    if cfg["padding_mode"] == "zeros":
        padding = cfg["padding"]
    else:
        pads = [p for p in reversed(cfg["padding"]) for _ in range(2)]
        x, padding = nn.functional.pad(x, pads, mode=cfg["padding_mode"]), 0
    conv = getattr(nn.functional, f"conv{dims}d")
    _fit_output(module, cfg, conv(x, w_q.dequantize(), bias, cfg["stride"], padding,
                                  cfg["dilation"], groups))
    return module, (x_q,)
