"""A project: the graph plus its training setup. The setup is described by Params, like layers,
so the inspector edits it with the same editors and the file format validates it the same way."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from graph.datasets import KINDS, SYNTHETIC, DatasetError, DatasetInfo, describe
from graph.events import Event
from graph.model import Graph, GraphError
from graph.spec import BOOL, CHOICE, FLOAT, INT, STR, Param

OPTIMIZERS = ("adam", "adamw", "sgd", "rmsprop")
FRAMEWORKS = ("pytorch", "tensorflow")

SETUP_PARAMS: tuple[Param, ...] = (
    Param("dataset", CHOICE, "digits", "Training data.", "训练数据。", choices=KINDS),
    Param(
        "dataset_path",
        STR,
        "",
        "File or folder for CSV, NPZ, image-folder, text or MNIST data.",
        "CSV、NPZ、图像文件夹、文本或 MNIST 数据的文件或文件夹。",
    ),
    Param("dataset_target", STR, "", "CSV target column (empty = last column).", "CSV 目标列（留空为最后一列）。"),
    Param(
        "arrays",
        STR,
        "",
        "Which .npz array feeds each Input and head: name=array, separated by commas (empty: x and y for one "
        "Input and one head, else each layer's own name).",
        ".npz 文件中哪个数组对应哪个输入层和输出头：名称=数组，用逗号分隔（留空：单输入单输出时用 x 和 y，"
        "否则用各层自己的名称）。",
    ),
    Param(
        "tokens",
        CHOICE,
        "char",
        "Split labelled texts into characters or words.",
        "把带标签的文本切分为字符或单词。",
        choices=("char", "word"),
    ),
    Param(
        "sample_rate",
        INT,
        8000,
        "Audio is resampled to this rate (samples per second).",
        "音频重采样到这个采样率（每秒采样点数）。",
        minimum=100,
        maximum=192_000,
    ),
    Param(
        "samples",
        INT,
        1000,
        "Samples to generate (synthetic 2-D sets).",
        "生成的样本数（二维合成数据）。",
        minimum=20,
        maximum=1_000_000,
    ),
    Param(
        "noise", FLOAT, 0.1, "Noise level (synthetic 2-D sets).", "噪声大小（二维合成数据）。", minimum=0.0, maximum=5.0
    ),
    Param("optimizer", CHOICE, "adam", "Optimisation algorithm.", "优化算法。", choices=OPTIMIZERS),
    Param("learning_rate", FLOAT, 0.001, "Step size of the optimiser.", "学习率（步长）。", minimum=1e-8, maximum=10.0),
    Param(
        "momentum", FLOAT, 0.0, "Momentum (SGD and RMSprop).", "动量（SGD 与 RMSprop）。", minimum=0.0, maximum=0.999
    ),
    Param(
        "beta1", FLOAT, 0.9, "Adam β1 (first-moment decay).", "Adam 的 β1（一阶矩衰减）。", minimum=0.0, maximum=0.9999
    ),
    Param(
        "beta2",
        FLOAT,
        0.999,
        "Adam β2 / RMSprop ρ (second-moment decay).",
        "Adam 的 β2 / RMSprop 的 ρ（二阶矩衰减）。",
        minimum=0.0,
        maximum=0.99999,
    ),
    Param(
        "epsilon",
        FLOAT,
        1e-7,
        "Small constant added to the denominator.",
        "加到分母上的小常数。",
        minimum=0.0,
        maximum=1.0,
    ),
    Param(
        "weight_decay",
        FLOAT,
        0.0,
        "Decoupled weight decay (AdamW).",
        "解耦权重衰减（AdamW）。",
        minimum=0.0,
        maximum=1.0,
    ),
    Param("batch_size", INT, 32, "Samples per optimisation step.", "每步训练的样本数。", minimum=1, maximum=1_000_000),
    Param("epochs", INT, 5, "Passes over the training data.", "训练轮数。", minimum=1, maximum=100_000),
    Param(
        "seed",
        INT,
        0,
        "Random seed (weights, data order).",
        "随机种子（权重、数据顺序）。",
        minimum=0,
        maximum=2**31 - 1,
    ),
    Param(
        "validation_split",
        FLOAT,
        0.1,
        "Fraction of training data held out for validation.",
        "留作验证的训练数据比例。",
        minimum=0.0,
        maximum=0.5,
    ),
    Param(
        "test_split",
        FLOAT,
        0.2,
        "Fraction of the data held out for the final test.",
        "留作最终测试的数据比例。",
        minimum=0.0,
        maximum=0.5,
    ),
    Param("framework", CHOICE, "pytorch", "Framework used to train.", "训练使用的框架。", choices=FRAMEWORKS),
    Param("shuffle", BOOL, True, "Shuffle the training data each epoch.", "每轮打乱训练数据。"),
    Param(
        "initial_weights",
        STR,
        "",
        "A LayerLab weights file (.npz, e.g. written by an import) to start training from: every layer whose "
        "name and shape match takes its weights, the others keep their initial values (fine-tuning). Empty: "
        "Keras' initial values.",
        "开始训练时载入的 LayerLab 权重文件（.npz，例如导入模型时写出的）：名称和形状一致的层取用其中的权重，"
        "其余层保持初始值（微调）。留空：使用 Keras 的初始值。",
    ),
)

SETUP_BY_NAME = {p.name: p for p in SETUP_PARAMS}

FILE_DATASETS = (
    "mnist",
    "csv",
    "npz",
    "image_folder",
    "text",
    "text_classes",
    "audio_folder",
)  # read from dataset_path

# Setup fields that only matter for some datasets or optimisers: field -> (deciding field, values).
SETUP_RELEVANCE = {
    "dataset_path": ("dataset", FILE_DATASETS),
    "dataset_target": ("dataset", ("csv",)),
    "tokens": ("dataset", ("text_classes",)),
    "sample_rate": ("dataset", ("audio_folder",)),
    "samples": ("dataset", SYNTHETIC),
    "noise": ("dataset", SYNTHETIC),
    "momentum": ("optimizer", ("sgd", "rmsprop")),
    "beta1": ("optimizer", ("adam", "adamw")),
    "beta2": ("optimizer", ("adam", "adamw", "rmsprop")),
    "epsilon": ("optimizer", ("adam", "adamw", "rmsprop")),
    "weight_decay": ("optimizer", ("adamw",)),
}


def setup_field_relevant(name: str, setup: dict) -> bool:
    """False for setup fields the current dataset/optimiser ignores (editors hide them)."""
    rule = SETUP_RELEVANCE.get(name)
    return rule is None or setup.get(rule[0]) in rule[1]


def default_setup() -> dict[str, Any]:
    return {p.name: p.default for p in SETUP_PARAMS}


@dataclass
class Project:
    """A graph with its training setup and free-form metadata (title, description)."""

    graph: Graph = field(default_factory=Graph)
    setup: dict[str, Any] = field(default_factory=default_setup)
    meta: dict[str, str] = field(default_factory=dict)

    def __post_init__(self):
        self.setup_changed = Event("setup_changed")  # (name, old, new)

    def set_setup(self, name: str, value: Any) -> Any:
        """Set one training-setup field (validated); returns the old value."""
        param = SETUP_BY_NAME.get(name)
        if param is None:
            raise GraphError(f"unknown training setting {name!r}")
        value, problem = param.validate(value)
        if problem:
            raise GraphError(problem)
        old = self.setup[name]
        self.setup[name] = copy.deepcopy(value)
        self.setup_changed.emit(name, old, value)
        return old

    def dataset_config(self) -> dict[str, Any]:
        """The dataset part of the setup as a dict for ``graph.datasets.describe``."""
        s = self.setup
        return {
            "kind": s["dataset"],
            "path": s["dataset_path"],
            "target": s["dataset_target"],
            "samples": s["samples"],
            "noise": s["noise"],
            "tokens": s["tokens"],
            "arrays": s["arrays"],
        }

    def dataset_info(self, base_dir=None) -> tuple[DatasetInfo | None, str | None]:
        """(descriptor, None), or (None, message) when the dataset cannot be described."""
        try:
            return describe(self.dataset_config(), base_dir), None
        except (DatasetError, OSError) as err:
            return None, str(err)
