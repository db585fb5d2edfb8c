"""Normalization layers: BatchNorm (over channels, axis 1), LayerNorm (over the last axis), GroupNorm and
InstanceNorm (per sample, over groups of channels and every position).

Epsilon and momentum are stored explicitly; momentum uses the PyTorch convention
(``running = (1 − momentum)·running + momentum·batch``; Keras' momentum is ``1 − momentum``).
"""

from __future__ import annotations

from graph.layers._common import expect_float, float_param, int_param
from graph.spec import IN, OUT, LayerSpec, ShapeError
from graph.tensors import TensorType

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


def norm_channel_axis(t: TensorType) -> int:
    """The channel axis GroupNorm and InstanceNorm group: 1 for channels-first layouts, else the last axis."""
    return 1 if t.channels_first else t.rank - 1


def _small_divisors(n: int) -> str:
    """The divisors of ``n`` up to 64, for a fix (any size of ``n`` stays quick)."""
    found = [str(d) for d in range(1, min(n, 64) + 1) if n % d == 0]
    return ", ".join(found) + (", …" if n > 64 else "")


def _gn_infer(p, i):
    x = i["in"]
    expect_float(x, "GroupNorm")
    channels, groups = x.dims[norm_channel_axis(x)], p["groups"]
    if channels % groups:
        raise ShapeError(
            f"GroupNorm splits the channels into {groups} equal groups, but {x.label()} has {channels} channels, "
            f"not a multiple of {groups}",
            f"set groups to a divisor of {channels} ({_small_divisors(channels)})",
        )
    return {"out": x}


def _per_channel_count(p, i):
    x = i["in"]
    return (2 * x.dims[norm_channel_axis(x)], 0)


def _in_infer(p, i):
    x = i["in"]
    expect_float(x, "InstanceNorm")
    if x.rank < 3:
        raise ShapeError(
            f"InstanceNorm averages each channel over its positions, and {x.label()} has none "
            "(every value would become β)",
            "use LayerNorm or BatchNorm for vectors, or apply InstanceNorm before Flatten / global pooling",
        )
    if x.rank > 5:
        raise ShapeError(
            f"InstanceNorm takes signals, feature maps, volumes or sequences, got {x.label()}",
            "Reshape to (C, H, W) or (C, L) first",
        )
    positions = x.size() // x.dims[norm_channel_axis(x)]
    if positions == 1:
        raise ShapeError(
            f"InstanceNorm averages each channel over its positions, and {x.label()} has only one "
            "(PyTorch refuses it while training)",
            "apply it before the layer that shrinks the positions to 1, or use LayerNorm",
        )
    return {"out": x}


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
        formula_tex=(
            r"y_{n,c,h,w} = \gamma_c\, \dfrac{x_{n,c,h,w} - \mu_c}{\sqrt{\sigma_c^2 + \varepsilon}} + \beta_c"
            "\n"
            r"\mu_c = \dfrac{1}{N H W} \sum_{n,h,w} x_{n,c,h,w},\quad \sigma_c^2 = \dfrac{1}{N H W} \sum_{n,h,w} (x_{n,c,h,w} - \mu_c)^2"
            "\n"
            r"\hat{\mu}_c \leftarrow (1 - m)\, \hat{\mu}_c + m\, \mu_c,\quad m = \mathrm{momentum}"
        ),
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
        formula_tex=(
            r"y = \gamma \odot \dfrac{x - \mu}{\sqrt{\sigma^2 + \varepsilon}} + \beta"
            "\n"
            r"\mu = \dfrac{1}{F} \sum_{f=1}^{F} x_f,\quad \sigma^2 = \dfrac{1}{F} \sum_{f=1}^{F} (x_f - \mu)^2"
        ),
        icon="norm",
        extra={"base_name": "ln"},
        examples=({"epsilon": 0.0001},),
    ),
    LayerSpec(
        "group_norm",
        "Normalization",
        "GroupNorm",
        "组归一化",
        "Splits the channels (axis 1 of a feature map or signal, the last axis of a vector or sequence) into "
        "equal groups and normalises each group of each sample over its channels and every position; then "
        "scales by γ and shifts by β per channel. Independent of the batch, same in training and inference. "
        "groups = 1 normalises all channels together; groups = channels is InstanceNorm.",
        "把通道（特征图或信号的第 1 轴，向量或序列的最后一轴）分成大小相等的若干组，对每个样本的每一组在组内通道和"
        "所有位置上归一化；再按通道乘以 γ、加上 β。与批次无关，训练和推理时行为相同。groups = 1 时所有通道一起归一化；"
        "groups 等于通道数时即为实例归一化。",
        params=(
            int_param(
                "groups",
                1,
                "Number of channel groups; must divide the channel count (the GroupNorm paper uses 32).",
                "通道分组数；必须整除通道数（GroupNorm 论文使用 32）。",
                1,
                10**6,
            ),
            _epsilon(),
        ),
        inputs=IN,
        outputs=OUT,
        infer=_gn_infer,
        count=_per_channel_count,
        formula="y = γ_c · (x − μ_g) / √(σ²_g + ε) + β_c   (μ_g, σ²_g over the channels of group g and every "
        "position, per sample)",
        formula_tex=(
            r"y_{c,p} = \gamma_c\, \dfrac{x_{c,p} - \mu_g}{\sqrt{\sigma_g^2 + \varepsilon}} + \beta_c,\quad g = \lfloor c\, G / C \rfloor"
            "\n"
            r"\mu_g = \mathrm{mean}_{c' \in g,\; p}\; x_{c',p},\quad \sigma_g^2 = \mathrm{var}_{c' \in g,\; p}\; x_{c',p}"
        ),
        icon="norm",
        extra={"base_name": "gn"},
        examples=({"groups": 3}, {"groups": 2, "epsilon": 0.001}),
    ),
    LayerSpec(
        "instance_norm",
        "Normalization",
        "InstanceNorm",
        "实例归一化",
        "Normalises every channel of every sample over its positions (pixels, steps) to mean 0 and variance 1, "
        "then scales by γ and shifts by β per channel (learned). Always uses the sample's own statistics, in "
        "training and inference (no running averages). For a sequence the channels are its features.",
        "对每个样本的每个通道在其所有位置（像素、时间步）上归一化为均值 0、方差 1，再按通道乘以 γ、加上 β（可学习）。"
        "训练和推理时都使用样本自身的统计量（不保存滑动平均）。对序列而言，通道就是它的特征。",
        params=(_epsilon(),),
        inputs=IN,
        outputs=OUT,
        infer=_in_infer,
        count=_per_channel_count,
        formula="y = γ_c · (x − μ_c) / √(σ²_c + ε) + β_c   (μ_c, σ²_c over the positions of channel c, per sample)",
        formula_tex=(
            r"y_{c,p} = \gamma_c\, \dfrac{x_{c,p} - \mu_c}{\sqrt{\sigma_c^2 + \varepsilon}} + \beta_c"
            "\n"
            r"\mu_c = \mathrm{mean}_{p}\; x_{c,p},\quad \sigma_c^2 = \mathrm{var}_{p}\; x_{c,p}"
        ),
        icon="norm",
        extra={"base_name": "inorm"},
        examples=({"epsilon": 0.001},),
    ),
]
