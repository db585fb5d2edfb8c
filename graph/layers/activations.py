"""Element-wise activations (and Softmax over one axis). Every hyperparameter is explicit."""

from __future__ import annotations

from graph.layers._common import choice_param, expect_float, float_param, int_param
from graph.spec import IN, OUT, LayerSpec, ShapeError, no_params
from graph.tensors import TensorType


def _same(p, i):
    expect_float(i["in"], "this activation")
    return {"out": i["in"]}


def _softmax_infer(p, i):
    x = i["in"]
    expect_float(x, "Softmax")
    if not (1 <= p["axis"] < x.rank or -x.rank < p["axis"] <= -1):
        raise ShapeError(
            f"Softmax axis {p['axis']} is not a sample axis of {x.label()}",
            "use -1 (the last axis) or 1 (channels)",
        )
    return {"out": x}


def channel_axis(t: TensorType) -> int:
    """The axis PReLU learns one slope per entry of: 1 for channels-first layouts, else the last axis."""
    return 1 if t.channels_first else t.rank - 1


def _prelu_count(p, i):
    x = i["in"]
    return (x.dims[channel_axis(x)], 0)


def _act(
    type_id,
    name,
    zh,
    summary,
    summary_zh,
    formula,
    formula_tex="",
    params=(),
    infer=_same,
    base=None,
    examples=(),
    count=no_params,
):
    return LayerSpec(
        type_id,
        "Activation",
        name,
        zh,
        summary,
        summary_zh,
        params=tuple(params),
        inputs=IN,
        outputs=OUT,
        infer=infer,
        count=count,
        formula=formula,
        formula_tex=formula_tex,
        icon="activation",
        extra={"base_name": base or type_id},
        examples=tuple(examples),
    )


ORDER = 70  # palette position of this family (graph/layers/__init__.py)

SPECS = [
    _act(
        "relu",
        "ReLU",
        "ReLU 线性整流",
        "Keeps positive values, zeroes negative ones.",
        "保留正值，负值置零。",
        "f(x) = max(0, x)",
        formula_tex=r"\mathrm{ReLU}(x) = \max(0, x)",
    ),
    _act(
        "leaky_relu",
        "LeakyReLU",
        "带泄漏 ReLU",
        "Like ReLU, but negative values are scaled by a small slope instead of zeroed.",
        "与 ReLU 类似，但负值乘以一个小斜率而不是置零。",
        "f(x) = x if x > 0 else negative_slope · x",
        formula_tex=r"f(x) = \max(0, x) + a\, \min(0, x),\quad a = \mathrm{negative\_slope}",
        params=[
            float_param("negative_slope", 0.01, "Slope for negative inputs.", "负输入的斜率。", 0.0, 1.0),
        ],
    ),
    _act(
        "sigmoid",
        "Sigmoid",
        "Sigmoid S 型函数",
        "Squashes values into (0, 1).",
        "把数值压缩到 (0, 1) 区间。",
        "σ(x) = 1 / (1 + e^(−x))",
        formula_tex=r"\sigma(x) = \dfrac{1}{1 + e^{-x}}",
    ),
    _act(
        "tanh",
        "Tanh",
        "双曲正切",
        "Squashes values into (−1, 1).",
        "把数值压缩到 (−1, 1) 区间。",
        "tanh(x) = (e^x − e^(−x)) / (e^x + e^(−x))",
        formula_tex=r"\tanh(x) = \dfrac{e^{x} - e^{-x}}{e^{x} + e^{-x}}",
    ),
    _act(
        "softmax",
        "Softmax",
        "Softmax 归一化指数",
        "Turns scores into probabilities that sum to 1 along one axis.",
        "把分数变成沿某个轴和为 1 的概率。",
        "softmax(x)_i = e^(x_i) / Σ_j e^(x_j)",
        formula_tex=r"\mathrm{softmax}(x)_i = \dfrac{e^{x_i}}{\sum_j e^{x_j}}",
        params=[
            int_param(
                "axis",
                -1,
                "Axis (channels-first numbering; -1 = last).",
                "归一化的轴（通道在前编号；-1 为最后一轴）。",
                -8,
                8,
            ),
        ],
        infer=_softmax_infer,
        examples=[{"axis": 1}],
    ),
    _act(
        "gelu",
        "GELU",
        "GELU 高斯误差线性单元",
        "Smooth ReLU used in Transformers: x weighted by the standard normal CDF.",
        "Transformer 中常用的平滑 ReLU：x 乘以标准正态分布函数。",
        "GELU(x) = x · Φ(x)",
        formula_tex=(
            r"\mathrm{GELU}(x) = x\, \Phi(x) = \dfrac{x}{2} \left[1 + \mathrm{erf}\left(\dfrac{x}{\sqrt{2}}\right)\right]"
            "\n"
            r"\approx \dfrac{x}{2} \left[1 + \tanh\left(\sqrt{2 / \pi}\, (x + 0.044715\, x^3)\right)\right]"
        ),
        params=[
            choice_param(
                "approximate",
                "none",
                ("none", "tanh"),
                "Exact (erf) or tanh approximation.",
                "精确（erf）或 tanh 近似。",
            ),
        ],
    ),
    _act(
        "elu",
        "ELU",
        "ELU 指数线性单元",
        "Like ReLU for x > 0; smooth exponential for x ≤ 0.",
        "x > 0 时同 ReLU；x ≤ 0 时为平滑指数。",
        "f(x) = x if x > 0 else α · (e^x − 1)",
        formula_tex=r"\mathrm{ELU}(x) = \max(0, x) + \min(0,\, \alpha\, (e^{x} - 1))",
        params=[float_param("alpha", 1.0, "Scale of the negative part.", "负半轴的缩放系数 α。", 0.0, 100.0)],
    ),
    _act(
        "silu",
        "SiLU (Swish)",
        "SiLU（Swish）",
        "x times its sigmoid; smooth and non-monotonic.",
        "x 乘以它的 sigmoid；平滑且非单调。",
        "f(x) = x · σ(x)",
        formula_tex=r"\mathrm{SiLU}(x) = x\, \sigma(x) = \dfrac{x}{1 + e^{-x}}",
    ),
    _act(
        "softplus",
        "Softplus",
        "Softplus 平滑整流",
        "A smooth approximation of ReLU.",
        "ReLU 的平滑近似。",
        "f(x) = ln(1 + e^x)",
        formula_tex=r"\mathrm{softplus}(x) = \ln(1 + e^{x})",
    ),
    _act(
        "relu6",
        "ReLU6",
        "ReLU6 截断整流",
        "ReLU capped at 6: keeps activations small (MobileNet).",
        "上限为 6 的 ReLU：让激活值保持较小（MobileNet 中常用）。",
        "f(x) = min(max(0, x), 6)",
        formula_tex=r"\mathrm{ReLU6}(x) = \min(\max(0, x), 6)",
    ),
    _act(
        "hard_swish",
        "HardSwish",
        "HardSwish 硬 Swish",
        "A piecewise-polynomial approximation of SiLU (MobileNetV3): 0 below −3, x above 3.",
        "SiLU 的分段多项式近似（MobileNetV3 中使用）：小于 −3 时为 0，大于 3 时为 x。",
        "f(x) = x · ReLU6(x + 3) / 6",
        formula_tex=r"\mathrm{HardSwish}(x) = x\, \dfrac{\mathrm{ReLU6}(x + 3)}{6} = x\, \dfrac{\min(\max(0, x + 3), 6)}{6}",
    ),
    _act(
        "prelu",
        "PReLU",
        "PReLU 参数化 ReLU",
        "LeakyReLU whose negative slope is learned, one per channel (axis 1 of a feature map or signal, the "
        "last axis of a vector or sequence). Every slope starts at 0.25, as in the PReLU paper (He et al. 2015) "
        "and PyTorch; the Keras script sets the same initial value.",
        "负半轴斜率可学习的 LeakyReLU，每个通道一个斜率（特征图或信号的第 1 轴，向量或序列的最后一轴）。"
        "所有斜率初始为 0.25，与 PReLU 论文（He 等，2015）和 PyTorch 相同；Keras 脚本设置相同的初始值。",
        "f(x) = x if x ≥ 0 else a_c · x   (a_c learned per channel c, initially 0.25)",
        formula_tex=r"f(x_c) = \max(0, x_c) + a_c\, \min(0, x_c),\quad a_c^{(0)} = 0.25",
        count=_prelu_count,
    ),
]
