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

LESSONS = {lesson.key: lesson for lesson in (VANISHING,)}


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
