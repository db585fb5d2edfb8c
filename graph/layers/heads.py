"""Output heads: the end of the model, each carrying its loss. Losses always take logits."""

from __future__ import annotations

from graph.layers._common import expect_float, float_param
from graph.spec import IN, LayerSpec, ShapeError


def _classification_infer(p, i):
    x = i["in"]
    expect_float(x, "Classification")
    if x.axes not in (("N", "F"), ("N", "T", "F")):
        raise ShapeError(
            f"Classification expects class scores (N, K) or per-step scores (N, T, K), got {x.label()}",
            "insert Flatten and a Dense layer with one unit per class before the head",
        )
    if x.last < 2:
        raise ShapeError("Classification needs at least 2 classes", "give the last Dense one unit per class")
    return {}


def _binary_infer(p, i):
    x = i["in"]
    expect_float(x, "Binary")
    if x.axes != ("N", "F") or x.last != 1:
        raise ShapeError(
            f"Binary classification expects one score per sample (N, 1), got {x.label()}",
            "end the model with Dense(1)",
        )
    return {}


def _regression_infer(p, i):
    expect_float(i["in"], "Regression")
    return {}


SPECS = [
    LayerSpec(
        "output.classification",
        "Output",
        "Classification",
        "分类输出",
        "Multi-class output: the input is one score (logit) per class; trained with cross-entropy on "
        "integer labels. A Softmax (or Dense with softmax) just before it is folded into the loss.",
        "多分类输出：输入是每个类别的分数（logit），用整数标签的交叉熵训练。"
        "紧挨在它前面的 Softmax 会并入损失函数。",
        params=(
            float_param(
                "label_smoothing", 0.0, "Label smoothing ε (0 = none).", "标签平滑系数 ε（0 表示不用）。", 0.0, 0.99
            ),
        ),
        inputs=IN,
        outputs=(),
        infer=_classification_infer,
        formula="CE = −log softmax(z)_y = −z_y + log Σ_k e^(z_k)",
        is_head=True,
        icon="head",
        extra={"base_name": "classifier", "task": "classification"},
    ),
    LayerSpec(
        "output.binary",
        "Output",
        "Binary",
        "二分类输出",
        "Two-class output: one score (logit) per sample, trained with binary cross-entropy on 0/1 labels. "
        "A Sigmoid just before it is folded into the loss.",
        "二分类输出：每个样本一个分数（logit），用 0/1 标签的二元交叉熵训练。紧挨在它前面的 Sigmoid 会并入损失。",
        params=(),
        inputs=IN,
        outputs=(),
        infer=_binary_infer,
        formula="BCE = −[y·log σ(z) + (1−y)·log(1−σ(z))]",
        is_head=True,
        icon="head",
        extra={"base_name": "binary", "task": "binary"},
    ),
    LayerSpec(
        "output.regression",
        "Output",
        "Regression",
        "回归输出",
        "Real-valued output trained with mean squared error against targets of the same shape.",
        "实数输出，用与目标同形状的均方误差训练。",
        params=(),
        inputs=IN,
        outputs=(),
        infer=_regression_infer,
        formula="MSE = (1/n) Σ (ŷ − y)²",
        is_head=True,
        icon="head",
        extra={"base_name": "regression", "task": "regression"},
    ),
]
