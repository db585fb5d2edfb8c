"""Output heads: the end of the model, each carrying its loss. Losses always take logits.

A head's ``Head`` says which targets it trains against (see ``graph.tasks`` for the matching
against a dataset) and which loss and metric both scripts use.
"""

from __future__ import annotations

from graph import fixes
from graph.layers._common import expect_float, float_param
from graph.spec import IN, Head, LayerSpec, ShapeError

# (N, K) class scores, (N, T, K) per time step, (N, K, H, W) per pixel (segmentation).
CLASS_SCORE_AXES = (("N", "F"), ("N", "T", "F"), ("N", "C", "H", "W"))


def _classification_infer(p, i):
    x = i["in"]
    expect_float(x, "Classification")
    if x.axes not in CLASS_SCORE_AXES:
        raise ShapeError(
            f"Classification expects class scores (N, K), per-step scores (N, T, K) or per-pixel scores "
            f"(N, K, H, W), got {x.label()}",
            "insert Flatten and a Dense layer with one unit per class before the head",
        )
    classes = x.dims[1] if x.axes == ("N", "C", "H", "W") else x.last
    if classes < 2:
        raise ShapeError("Classification needs at least 2 classes", "give the last layer one unit per class")
    return {}


def _binary_infer(p, i):
    x = i["in"]
    expect_float(x, "Binary")
    if x.axes != ("N", "F") or x.last != 1:
        raise ShapeError(
            f"Binary classification expects one score per sample (N, 1), got {x.label()}",
            "end the model with Dense(1)",
            action=fixes.insert_before("dense", {"units": 1}) if x.axes == ("N", "F") else None,
        )
    return {}


def _multilabel_infer(p, i):
    x = i["in"]
    expect_float(x, "Multi-label")
    if x.axes != ("N", "F"):
        raise ShapeError(
            f"Multi-label classification expects one score per label (N, K), got {x.label()}",
            "insert Flatten and a Dense layer with one unit per label before the head",
        )
    return {}


def _regression_infer(p, i):
    expect_float(i["in"], "Regression")
    return {}


def _generated_infer(p, i):
    expect_float(i["in"], "Generated")
    return {}


ORDER = 90  # palette position of this family (graph/layers/__init__.py)


def _loss_weight():
    return float_param(
        "loss_weight",
        1.0,
        "Weight of this head's loss in the total, when the model has several heads (multi-task).",
        "模型有多个输出头（多任务）时，这个头的损失在总损失中的权重。",
        0.0,
        1000.0,
    )


SPECS = [
    LayerSpec(
        "output.classification",
        "Output",
        "Classification",
        "分类输出",
        "Multi-class output: the input is one score (logit) per class — per sample (N, K), per time step "
        "(N, T, K) or per pixel (N, K, H, W) for segmentation; trained with cross-entropy on integer labels. "
        "A Softmax (or Dense with softmax) just before it is folded into the loss.",
        "多分类输出：输入是每个类别的分数（logit），可以是每个样本 (N, K)、每个时间步 (N, T, K) 或每个像素 "
        "(N, K, H, W，用于图像分割)；用整数标签的交叉熵训练。紧挨在它前面的 Softmax 会并入损失函数。",
        params=(
            float_param(
                "label_smoothing", 0.0, "Label smoothing ε (0 = none).", "标签平滑系数 ε（0 表示不用）。", 0.0, 0.99
            ),
            _loss_weight(),
        ),
        inputs=IN,
        outputs=(),
        infer=_classification_infer,
        formula="CE = −log softmax(z)_y = −z_y + log Σ_k e^(z_k)",
        formula_tex=(
            r"\mathcal{L}_{\mathrm{CE}} = -\log \mathrm{softmax}(z)_y = -z_y + \log \sum_{k} e^{z_k}"
            "\n"
            r"\mathcal{L} = -\sum_{k=1}^{K} q_k\, \log \mathrm{softmax}(z)_k,\quad q_k = (1 - \varepsilon)\, [k = y] + \varepsilon / K"
        ),
        is_head=True,
        head=Head("classification", "labels", "cross_entropy", fold="softmax", metric="accuracy"),
        icon="head",
        extra={"base_name": "classifier"},
    ),
    LayerSpec(
        "output.binary",
        "Output",
        "Binary",
        "二分类输出",
        "Two-class output: one score (logit) per sample, trained with binary cross-entropy on 0/1 labels. "
        "A Sigmoid just before it is folded into the loss.",
        "二分类输出：每个样本一个分数（logit），用 0/1 标签的二元交叉熵训练。紧挨在它前面的 Sigmoid 会并入损失。",
        params=(_loss_weight(),),
        inputs=IN,
        outputs=(),
        infer=_binary_infer,
        formula="BCE = −[y·log σ(z) + (1−y)·log(1−σ(z))]",
        formula_tex=r"\mathcal{L}_{\mathrm{BCE}} = -\left[y\, \log \sigma(z) + (1 - y)\, \log(1 - \sigma(z))\right]",
        is_head=True,
        head=Head("binary", "binary", "binary_cross_entropy", fold="sigmoid", metric="accuracy"),
        icon="head",
        extra={"base_name": "binary"},
    ),
    LayerSpec(
        "output.multilabel",
        "Output",
        "Multi-label",
        "多标签输出",
        "Several yes/no labels per sample: one score (logit) per label, each trained with binary "
        "cross-entropy against 0/1 targets (a sigmoid per label). A Sigmoid just before it is folded into the loss.",
        "每个样本有多个是/否标签：每个标签一个分数（logit），分别用 0/1 目标的二元交叉熵训练（每个标签一个 sigmoid）。"
        "紧挨在它前面的 Sigmoid 会并入损失。",
        params=(_loss_weight(),),
        inputs=IN,
        outputs=(),
        infer=_multilabel_infer,
        formula="BCE = −(1/K) Σ_k [y_k·log σ(z_k) + (1−y_k)·log(1−σ(z_k))]",
        formula_tex=r"\mathcal{L} = -\dfrac{1}{K} \sum_{k=1}^{K} \left[y_k\, \log \sigma(z_k) + (1 - y_k)\, \log(1 - \sigma(z_k))\right]",
        is_head=True,
        head=Head("multilabel", "binary", "binary_cross_entropy", fold="sigmoid", metric="accuracy"),
        icon="head",
        extra={"base_name": "labels"},
    ),
    LayerSpec(
        "output.regression",
        "Output",
        "Regression",
        "回归输出",
        "Real-valued output trained with mean squared error against targets of the same shape: numbers per "
        "sample, or whole images (autoencoders, denoising).",
        "实数输出，用与目标同形状的均方误差训练：每个样本若干数值，或整幅图像（自编码器、去噪）。",
        params=(_loss_weight(),),
        inputs=IN,
        outputs=(),
        infer=_regression_infer,
        formula="MSE = (1/n) Σ (ŷ − y)²",
        formula_tex=r"\mathcal{L}_{\mathrm{MSE}} = \dfrac{1}{n} \sum_{i=1}^{n} (\hat{y}_i - y_i)^2",
        is_head=True,
        head=Head("regression", "values", "mse"),
        icon="head",
        extra={"base_name": "regression"},
    ),
    LayerSpec(
        "output.generated",
        "Output",
        "Generated",
        "生成输出",
        "The end of a GAN's generator: what it makes from noise. A discriminator (ending in a Binary head) "
        "learns to tell these samples from real ones while the generator learns to fool it; the two train "
        "in turns.",
        "GAN 生成器的终点：由噪声生成的样本。判别器（以二分类输出结尾）学习区分这些样本和真实样本，"
        "生成器则学习骗过它；两者轮流训练。",
        params=(
            float_param(
                "label_smoothing",
                0.0,
                "One-sided label smoothing: the discriminator learns 1 − ε for real samples (0.1 is common).",
                "单侧标签平滑：判别器对真实样本学习的目标为 1 − ε（常用 0.1）。",
                0.0,
                0.5,
            ),
        ),
        inputs=IN,
        outputs=(),
        infer=_generated_infer,
        formula="D: max log D(x) + log(1 − D(G(z)));  G: max log D(G(z))",
        formula_tex=(
            r"D\colon\ \max_{D}\; \log D(x) + \log(1 - D(G(z)))"
            "\n"
            r"G\colon\ \max_{G}\; \log D(G(z))"
        ),
        is_head=True,
        head=Head("generation", "values", "adversarial"),
        icon="head",
        extra={"base_name": "generated"},
    ),
]
