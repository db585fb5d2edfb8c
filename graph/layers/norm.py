"""Normalization layers: BatchNorm (over channels, axis 1) and LayerNorm (over the last axis).

Epsilon and momentum are stored explicitly; momentum uses the PyTorch convention
(``running = (1 − momentum)·running + momentum·batch``; Keras' momentum is ``1 − momentum``).
"""

from __future__ import annotations

from graph.layers._common import expect_float, float_param
from graph.spec import IN, OUT, LayerSpec, ShapeError

BN_AXES = (("N", "F"), ("N", "C", "L"), ("N", "C", "H", "W"))


def _epsilon():
    return float_param(
        "epsilon",
        1e-5,
        "Small number added to the variance to avoid dividing by zero (PyTorch default 1e-5).",
        "加到方差上的小常数，防止除以零（PyTorch 默认 1e-5）。",
        0.0,
        1.0,
    )


def _bn_infer(p, i):
    x = i["in"]
    expect_float(x, "BatchNorm")
    if x.axes in BN_AXES:
        return {"out": x}
    if x.axes == ("N", "T", "F"):
        fix = "use LayerNorm to normalise the features of a sequence"
    else:
        fix = "feed it vectors (N, F), signals (N, C, L) or feature maps (N, C, H, W)"
    raise ShapeError(f"BatchNorm expects (N,F), (N,C,L) or (N,C,H,W), got {x.label()}", fix)


def _bn_count(p, i):
    channels = i["in"].dims[1]
    return (2 * channels, 2 * channels)


def _ln_infer(p, i):
    x = i["in"]
    expect_float(x, "LayerNorm")
    if x.channels_first:
        raise ShapeError(
            f"LayerNorm normalises the last axis, which for {x.label()} is a spatial axis, not the channels",
            "use BatchNorm for feature maps, or Flatten before LayerNorm",
        )
    return {"out": x}


def _ln_count(p, i):
    return (2 * i["in"].last, 0)


ORDER = 50  # palette position of this family (graph/layers/__init__.py)

SPECS = [
    LayerSpec(
        "batch_norm",
        "Normalization",
        "BatchNorm",
        "批归一化",
        "Normalises each channel (axis 1) with the batch mean and variance while training, and with running "
        "averages at inference; then scales by γ and shifts by β. Momentum uses the PyTorch convention.",
        "对每个通道（第 1 轴）做归一化：训练时用当前批次的均值和方差，推理时用滑动平均值；"
        "再乘以 γ、加上 β。动量采用 PyTorch 的约定。",
        params=(
            _epsilon(),
            float_param(
                "momentum",
                0.1,
                "Weight of the new batch in the running averages (PyTorch convention; Keras momentum = 1 − this).",
                "新批次统计量在滑动平均中的权重（PyTorch 约定；对应 Keras 的 momentum = 1 − 该值）。",
                0.0,
                1.0,
            ),
        ),
        inputs=IN,
        outputs=OUT,
        infer=_bn_infer,
        count=_bn_count,
        formula="y = γ · (x − μ_B) / √(σ²_B + ε) + β\nrunning = (1 − momentum) · running + momentum · batch statistic",
        icon="norm",
        extra={"base_name": "bn", "momentum_convention": "torch"},
        examples=({"epsilon": 0.001, "momentum": 0.2},),
    ),
    LayerSpec(
        "layer_norm",
        "Normalization",
        "LayerNorm",
        "层归一化",
        "Normalises the last axis of each sample (e.g. the features of every time step) to mean 0 and "
        "variance 1, then scales by γ and shifts by β. Same in training and inference.",
        "把每个样本最后一个轴（例如每个时间步的特征）归一化为均值 0、方差 1，再乘以 γ、加上 β。训练和推理时行为相同。",
        params=(_epsilon(),),
        inputs=IN,
        outputs=OUT,
        infer=_ln_infer,
        count=_ln_count,
        formula="y = γ · (x − mean(x)) / √(var(x) + ε) + β   (mean and var over the last axis)",
        icon="norm",
        extra={"base_name": "ln"},
        examples=({"epsilon": 0.0001},),
    ),
]
