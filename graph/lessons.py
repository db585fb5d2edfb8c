"""The bundled lessons: a project (or two to compare) and short steps to follow, in English and Chinese.

``python -m graph.lessons`` writes ``resources/lessons/<lesson>/<variant>.json``; a test checks they are
up to date and that each lesson's measured claim holds (tests/codegen/test_lessons.py).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

from graph.examples import _Builder
from graph.fileformat import dumps
from graph.project import Project

LESSONS_DIR = Path(__file__).resolve().parent.parent / "resources" / "lessons"


@dataclass(frozen=True)
class Lesson:
    key: str
    title: str
    title_zh: str
    steps: tuple[str, ...]
    steps_zh: tuple[str, ...]
    variants: dict = field(default_factory=dict)  # variant name -> builder of its project

    def path(self, variant: str) -> Path:
        return LESSONS_DIR / self.key / f"{variant}.json"


def _deep_mlp(activation: str) -> Project:
    b = _Builder()
    steps = [("input.vector", "pixels", {"features": 64})]
    steps += [("dense", f"hidden{i}", {"units": 32, "activation": activation}) for i in range(1, 9)]
    steps += [("dense", "scores", {"units": 10}), ("output.classification", "digit")]
    b.chain(*steps)
    name = "Sigmoid" if activation == "sigmoid" else "ReLU"
    return b.project(
        f"Deep MLP, {name}",
        f"Eight Dense layers of 32 units with {name} on the flattened 8×8 digits (lesson: vanishing gradient).",
        dataset="digits",
        optimizer="sgd",
        learning_rate=0.05,
        momentum=0.0,
        epochs=10,
    )


VANISHING = Lesson(
    "vanishing_gradient",
    "Vanishing gradient: sigmoid against ReLU",
    "梯度消失：Sigmoid 与 ReLU 对比",
    (
        "Open 'sigmoid' and 'relu': the same eight-layer MLP on the digits, one with sigmoid, one with ReLU.",
        "Train both (Training ▸ Train) with the inspection on (Inspect in the Training panel).",
        "In Gradients, compare hidden1's gradient norm: before any training it is {ratio}× smaller with "
        "sigmoid ({sigmoid:.2g} against {relu:.2g} with ReLU). A sigmoid's slope is at most 1/4, and the "
        "gradient is multiplied by it once per layer on its way back.",
        "Check both runs in Runs to overlay their losses: the sigmoid network learns far more slowly.",
    ),
    (
        "打开“sigmoid”和“relu”：同样的八层 MLP 用于手写数字，一个用 Sigmoid，一个用 ReLU。",
        "打开检查（训练面板中的“检查”），分别训练两个模型（训练 ▸ 训练）。",
        "在“梯度”中比较 hidden1 的梯度范数：训练开始前，Sigmoid 网络的梯度小 {ratio} 倍"
        "（{sigmoid:.2g}，ReLU 为 {relu:.2g}）。Sigmoid 的斜率最多为 1/4，梯度每向回经过一层就乘上一次。",
        "在“运行记录”中勾选两次运行以叠加损失曲线：Sigmoid 网络学得慢得多。",
    ),
    {"sigmoid": lambda: _deep_mlp("sigmoid"), "relu": lambda: _deep_mlp("relu")},
)

# Measured with the generated PyTorch scripts' --inspect before training (seed 0), hidden1's gradient
# norm on the first 64 training digits; tests/codegen/test_lessons.py measures it again.
VANISHING_MEASURED = {"sigmoid": 1.65e-05, "relu": 0.0725}


def _no_flatten() -> Project:
    b = _Builder()
    b.chain(
        ("input.image", "images", {"channels": 1, "height": 8, "width": 8}),
        ("conv2d", "conv", {"filters": 8, "kernel_size": [3, 3], "padding": [1, 1, 1, 1]}),
        ("relu", "relu"),
        ("dense", "scores", {"units": 10}),
        ("output.classification", "digit"),
    )
    return b.project(
        "Why Flatten", "A convolution straight into a Dense layer (lesson: why Flatten).", dataset="digits"
    )


FLATTEN = Lesson(
    "why_flatten",
    "Why Flatten?",
    "为什么需要展平层？",
    (
        "Open 'start': a convolution gives 8 feature maps of 8×8 (a 8×8×8 tensor per image), and a Dense "
        "layer follows it.",
        "The Dense card is marked: a Dense layer multiplies a vector by its weight matrix, and a stack of "
        "feature maps is not a vector. Read the problem in the Problems panel.",
        "Click Fix: LayerLab inserts a Flatten, which lays the 8×8×8 values out as one vector of 512. The "
        "edge labels show the shapes before and after.",
        "Train it, then look at the Code panel: the same Flatten is nn.Flatten() in PyTorch and "
        "layers.Flatten() in Keras (after putting the channels first, so both read the values in the same order).",
    ),
    (
        "打开“start”：卷积输出 8 张 8×8 的特征图（每张图像一个 8×8×8 的张量），后面接一个全连接层。",
        "全连接层的卡片被标出问题：全连接层用权重矩阵乘一个向量，而一叠特征图不是向量。请在“问题”面板中阅读说明。",
        "点击“修复”：LayerLab 插入一个 Flatten，把 8×8×8 个值排成一个长度为 512 的向量。连线上的标签显示前后的形状。",
        "训练它，再看“代码”面板：同一个 Flatten 在 PyTorch 中是 nn.Flatten()，在 Keras 中是 layers.Flatten()"
        "（先把通道放到前面，这样两者读取数值的顺序相同）。",
    ),
    {"start": _no_flatten},
)


def _wide_mlp(dropout: float) -> Project:
    b = _Builder()
    steps = [("input.vector", "pixels", {"features": 64}), ("dense", "hidden1", {"units": 256, "activation": "relu"})]
    if dropout:
        steps.append(("dropout", "dropout1", {"rate": dropout}))
    steps.append(("dense", "hidden2", {"units": 256, "activation": "relu"}))
    if dropout:
        steps.append(("dropout", "dropout2", {"rate": dropout}))
    steps += [("dense", "scores", {"units": 10}), ("output.classification", "digit")]
    b.chain(*steps)
    label = f"with dropout {dropout}" if dropout else "without dropout"
    return b.project(
        f"Wide MLP {label}",
        f"Two Dense layers of 256 on few training digits, {label} (lesson: overfitting).",
        dataset="digits",
        epochs=60,
        validation_split=0.5,
        test_split=0.2,
    )


OVERFITTING = Lesson(
    "overfitting_dropout",
    "Overfitting and dropout",
    "过拟合与随机失活",
    (
        "Open 'plain': a wide MLP (two layers of 256) trained on few digits: half of them are kept for validation.",
        "Train it for 60 epochs and watch the loss plot: the training loss keeps falling while the "
        "validation loss stops falling after about a dozen epochs and creeps up again: the network learns the "
        "training digits by heart.",
        "Open 'dropout' (the same network with Dropout 0.5 after each hidden layer) and train it.",
        "Check both runs in Runs: with dropout the validation loss stays lower. Dropout zeroes a random "
        "half of the units at each step, so no unit can rely on another; at test time nothing is dropped.",
    ),
    (
        "打开“plain”：一个宽的 MLP（两层各 256 个单元），只用少量数字训练：一半的数据留作验证。",
        "训练 60 轮并观察损失曲线：训练损失一直下降，而验证损失在十几轮后就不再下降，并慢慢回升：网络把训练样本背了下来。",
        "打开“dropout”（同样的网络，每个隐藏层后加 Dropout 0.5）并训练。",
        "在“运行记录”中勾选两次运行：有 Dropout 时验证损失更低。Dropout 在每一步随机把一半单元置零，"
        "因此没有单元能依赖另一个；测试时不丢弃任何单元。",
    ),
    {"plain": lambda: _wide_mlp(0.0), "dropout": lambda: _wide_mlp(0.5)},
)


def _sgd_mlp(lr: float) -> Project:
    b = _Builder()
    b.chain(
        ("input.vector", "pixels", {"features": 64}),
        ("dense", "hidden", {"units": 64, "activation": "relu"}),
        ("dense", "scores", {"units": 10}),
        ("output.classification", "digit"),
    )
    return b.project(
        f"MLP, SGD learning rate {lr}",
        f"Plain gradient descent with learning rate {lr} (lesson: learning rate).",
        dataset="digits",
        optimizer="sgd",
        momentum=0.0,
        learning_rate=lr,
        epochs=10,
    )


LEARNING_RATE = Lesson(
    "learning_rate",
    "A learning rate too high",
    "学习率过高",
    (
        "Gradient descent moves every weight against its gradient: w ← w − η·∂L/∂w. η is the learning rate.",
        "Open 'too_high' (η = 5) and train: the loss grows until it is no longer a finite number, and "
        "LayerLab stops the run and says so. Each step overshoots the minimum by more than it gains.",
        "Open 'good' (η = 0.1) and train: the loss falls steadily.",
        "Try values in between in the training setup (learning rate) and overlay the runs in Runs.",
    ),
    (
        "梯度下降让每个权重沿梯度的反方向移动：w ← w − η·∂L/∂w，其中 η 是学习率。",
        "打开“too_high”（η = 5）并训练：损失不断变大，直到不再是有限的数，LayerLab 停止运行并给出说明。"
        "每一步都越过最小值，越过的比得到的还多。",
        "打开“good”（η = 0.1）并训练：损失稳定下降。",
        "在训练设置中尝试介于两者之间的学习率，并在“运行记录”中叠加各次运行。",
    ),
    {"too_high": lambda: _sgd_mlp(5.0), "good": lambda: _sgd_mlp(0.1)},
)


def _same_graph() -> Project:
    b = _Builder()
    b.chain(
        ("input.vector", "pixels", {"features": 64}),
        ("dense", "hidden", {"units": 64, "activation": "relu"}),
        ("dense", "scores", {"units": 10}),
        ("output.classification", "digit"),
    )
    return b.project(
        "One graph, two frameworks", "The digits MLP, trained in PyTorch and in TensorFlow.", dataset="digits"
    )


FRAMEWORKS = Lesson(
    "pytorch_vs_tensorflow",
    "PyTorch against TensorFlow on the same graph",
    "同一张图：PyTorch 与 TensorFlow 对比",
    (
        "Open 'model' and look at the Code panel with Side by side on: the same graph as a PyTorch "
        "nn.Module and as a Keras functional model. Select a layer: its lines light up in both.",
        "Train with the framework set to PyTorch, then to TensorFlow (the Framework box of the Training panel).",
        "Check both runs in Runs: the curves overlay closely. Both scripts start from the same initial "
        "distributions and use the same optimiser settings; the runs differ only by their random draws.",
        "Run layerlab verify model.json in a terminal: with the same weights both give the same "
        "outputs, loss and gradients.",
    ),
    (
        "打开“model”，在“代码”面板中打开“并排”：同一张图，一边是 PyTorch 的 nn.Module，一边是 Keras 的函数式模型。"
        "选中一个层：两边对应的代码行都会高亮。",
        "先把框架设为 PyTorch 训练，再设为 TensorFlow 训练（训练面板中的“框架”）。",
        "在“运行记录”中勾选两次运行：两条曲线几乎重合。两个脚本从相同的初始分布出发，优化器设置也相同；"
        "只有随机抽样不同。",
        "在终端中运行 layerlab verify model.json：权重相同时，两者的输出、损失和梯度都相同。",
    ),
    {"model": _same_graph},
)

LESSONS = {lesson.key: lesson for lesson in (VANISHING, FLATTEN, OVERFITTING, LEARNING_RATE, FRAMEWORKS)}


def lesson_steps(lesson: Lesson, lang: str = "en") -> list[str]:
    """The steps in the UI language, with the lesson's measured figures filled in."""
    steps = lesson.steps_zh if lang.startswith("zh") else lesson.steps
    figures = {}
    if lesson.key == "vanishing_gradient" and all(VANISHING_MEASURED.values()):
        s, r = VANISHING_MEASURED["sigmoid"], VANISHING_MEASURED["relu"]
        figures = {"sigmoid": s, "relu": r, "ratio": f"{r / s:,.0f}"}
    return [step.format(**figures) if figures else step for step in steps]


def write_all() -> list[Path]:
    paths = []
    for lesson in LESSONS.values():
        for variant, build in lesson.variants.items():
            path = lesson.path(variant)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(dumps(build()), encoding="utf-8")
            paths.append(path)
    return paths


if __name__ == "__main__":
    for p in write_all():
        print(p)
    sys.exit(0)
