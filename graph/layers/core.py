"""Core layers: Dense, Flatten, Reshape, Dropout, Permute."""

from __future__ import annotations

import math

from graph import fixes
from graph.layers._common import (
    bool_param,
    choice_param,
    expect_float,
    float_param,
    int_param,
    ints_param,
    use_bias_param,
)
from graph.spec import IN, OUT, LayerSpec, ShapeError
from graph.tensors import TensorType, generic

DENSE_ACTIVATIONS = ("linear", "relu", "sigmoid", "tanh", "softmax", "gelu", "elu")


def _dense_infer(p, i):
    x: TensorType = i["in"]
    expect_float(x, "Dense")
    if x.channels_first:
        raise ShapeError(
            f"Dense acts on the last axis, but its input is a feature map {x.label()}",
            "insert Flatten (or Global Average Pooling) before Dense",
            action=fixes.insert_before("flatten"),
        )
    return {"out": TensorType(x.dims[:-1] + (p["units"],), x.axes, x.dtype)}


def _dense_count(p, i):
    fan_in = i["in"].last
    return (fan_in * p["units"] + (p["units"] if p["use_bias"] else 0), 0)


def _flatten_infer(p, i):
    x: TensorType = i["in"]
    return {"out": TensorType((None, x.size()), ("N", "F"), x.dtype)}


def _reshape_infer(p, i):
    x: TensorType = i["in"]
    target = [int(v) for v in p["target_shape"]]
    if target.count(-1) > 1:
        raise ShapeError("Reshape allows at most one -1 in the target shape", "replace all but one -1 with a size")
    if any(v == 0 or v < -1 for v in target):
        raise ShapeError("Reshape sizes must be positive (or one -1)", "use positive sizes")
    known = math.prod(v for v in target if v != -1)
    if -1 in target:
        if x.size() % known:
            raise ShapeError(f"cannot reshape {x.size()} values into {tuple(target)}", "choose sizes that divide it")
        target[target.index(-1)] = x.size() // known
    if math.prod(target) != x.size():
        raise ShapeError(
            f"Reshape to {tuple(target)} needs {math.prod(target)} values per sample, the input has {x.size()}",
            f"choose a target shape whose sizes multiply to {x.size()}",
        )
    t = generic(tuple(target))
    return {"out": TensorType(t.dims, t.axes, x.dtype)}


def _permute_infer(p, i):
    x: TensorType = i["in"]
    order = list(p["order"])
    if sorted(order) != list(range(1, x.rank)):
        raise ShapeError(
            f"Permute order must list the sample axes 1…{x.rank - 1} once each, got {order}",
            f"use a permutation of {list(range(1, x.rank))}",
        )
    dims = (None,) + tuple(x.dims[a] for a in order)
    t = generic(dims[1:])  # type: ignore[arg-type]
    return {"out": TensorType(dims, t.axes, x.dtype)}


def _same(p, i):
    return {"out": i["in"]}


ORDER = 20  # palette position of this family (graph/layers/__init__.py)

SPECS = [
    LayerSpec(
        "dense",
        "Core",
        "Dense",
        "全连接层",
        "Fully connected layer: every output is a weighted sum of all inputs on the last axis.",
        "全连接层：每个输出都是最后一个轴上所有输入的加权和。",
        params=(
            int_param("units", 64, "Number of output units.", "输出单元数。", 1, 10**6),
            use_bias_param(),
            choice_param(
                "activation",
                "linear",
                DENSE_ACTIVATIONS,
                "Activation applied to the output (linear = none).",
                "作用于输出的激活函数（linear 表示不用）。",
            ),
        ),
        inputs=IN,
        outputs=OUT,
        infer=_dense_infer,
        count=_dense_count,
        formula="y = activation(x·W + b)",
        formula_tex=r"y = f\,(x W + b),\quad W \in \mathbb{R}^{F \times U},\quad b \in \mathbb{R}^{U}",
        icon="dense",
    ),
    LayerSpec(
        "flatten",
        "Core",
        "Flatten",
        "展平",
        "Flattens each sample to a vector, in channels-first (C, H, W) order.",
        "把每个样本展平成向量（按 C, H, W 顺序）。",
        params=(),
        inputs=IN,
        outputs=OUT,
        infer=_flatten_infer,
        formula_tex=(
            r"(N, d_1, d_2, \ldots, d_k) \rightarrow (N, d_1 d_2 \cdots d_k)"
            "\n"
            r"y_{n,\,(c H + h) W + w} = x_{n,c,h,w}"
        ),
        icon="flatten",
    ),
    LayerSpec(
        "reshape",
        "Core",
        "Reshape",
        "变形",
        "Reshapes each sample (channels-first order); one size may be -1.",
        "改变每个样本的形状（通道在前顺序）；可有一个 -1。",
        params=(
            ints_param(
                "target_shape",
                [1, -1],
                "Per-sample shape, without the batch axis.",
                "每个样本的目标形状（不含批次轴）。",
            ),
        ),
        inputs=IN,
        outputs=OUT,
        infer=_reshape_infer,
        formula_tex=r"(N, d_1, \ldots, d_k) \rightarrow (N, s_1, \ldots, s_m),\quad \prod_i d_i = \prod_j s_j",
        icon="reshape",
        examples=(
            {"target_shape": [2, 3]},
            {"target_shape": [3, 2, 1]},
            {"target_shape": [9, 24]},
        ),
    ),
    LayerSpec(
        "permute",
        "Core",
        "Permute",
        "轴置换",
        "Reorders the sample axes (1-based, batch stays first), e.g. [2, 1] swaps time and features.",
        "重新排列样本的轴（从 1 开始编号，批次轴不动），例如 [2, 1] 交换时间和特征。",
        params=(
            ints_param(
                "order", [2, 1], "New order of the sample axes (1-based).", "样本轴的新顺序（从 1 开始）。", minimum=1
            ),
        ),
        inputs=IN,
        outputs=OUT,
        infer=_permute_infer,
        formula_tex=(
            r"(N, d_1, \ldots, d_k) \rightarrow (N, d_{\pi_1}, \ldots, d_{\pi_k})"
            "\n"
            r"y_{n,\,i_1, \ldots, i_k} = x_{n,\,j_1, \ldots, j_k},\quad j_{\pi_m} = i_m"
        ),
        icon="permute",
        examples=(
            {"order": [2, 1]},
            {"order": [2, 3, 1]},
        ),
    ),
    LayerSpec(
        "dropout",
        "Core",
        "Dropout",
        "随机失活",
        "During training, zeroes each value with probability `rate` and scales the rest by 1/(1-rate).",
        "训练时以概率 rate 把每个值置零，其余值乘以 1/(1-rate)；推理时不起作用。",
        params=(
            float_param("rate", 0.5, "Fraction of values dropped while training.", "训练时丢弃的比例。", 0.0, 0.99),
            bool_param(
                "spatial",
                False,
                "Drop whole channels (feature maps) instead of single values.",
                "整通道丢弃（空间失活）。",
            ),
        ),
        inputs=IN,
        outputs=OUT,
        infer=_same,
        formula="y = x · mask / (1 − rate),  mask ~ Bernoulli(1 − rate)",
        formula_tex=r"y = \dfrac{m \odot x}{1 - p},\quad m_i \sim \mathrm{Bernoulli}(1 - p),\quad p = \mathrm{rate}",
        icon="dropout",
        examples=({"rate": 0.2, "spatial": True},),
    ),
]
