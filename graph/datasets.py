"""Datasets as descriptors: what each dataset the app offers looks like, without loading it.

A descriptor knows the per-sample shape (channels-first), the dtype, the task and the number of
classes, so the Input node and the output head can be checked against the chosen data. Loading
the data is the generated script's job (``codegen``); here we read at most a file header.
"""

from __future__ import annotations

import csv
import os
import zipfile
from dataclasses import dataclass
from pathlib import Path

from graph.tensors import TensorType

SYNTHETIC = ("spirals", "moons", "circles", "xor")
KINDS = ("digits", *SYNTHETIC, "mnist", "csv", "npz", "image_folder", "text")
IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg", ".bmp", ".gif")

DESCRIPTIONS = {
    "digits": ("8×8 handwritten digits (1,797 images, bundled, from scikit-learn)", "8×8 手写数字（1797 张，内置）"),
    "spirals": ("Two interleaved spirals in 2-D (synthetic)", "二维交错螺旋（合成数据）"),
    "moons": ("Two interleaving half circles in 2-D (synthetic)", "二维双月形（合成数据）"),
    "circles": ("A small circle inside a large one in 2-D (synthetic)", "二维同心圆（合成数据）"),
    "xor": ("Four 2-D clusters labelled by XOR (synthetic)", "二维异或四簇（合成数据）"),
    "mnist": ("MNIST 28×28 handwritten digits from the Keras cache (mnist.npz)", "MNIST 手写数字（Keras 缓存文件）"),
    "csv": ("A CSV table: numeric feature columns and one target column", "CSV 表格：数值特征列和一个目标列"),
    "npz": ("A NumPy .npz file with arrays x and y", "NumPy .npz 文件，包含数组 x 和 y"),
    "image_folder": ("A folder with one sub-folder of images per class", "图像文件夹：每个类别一个子文件夹"),
    "text": ("A plain-text file for character-level language modelling", "纯文本文件，用于字符级语言模型"),
}


class DatasetError(ValueError):
    """The dataset cannot be described (missing file, bad header…); the message names it."""


@dataclass(frozen=True)
class DatasetInfo:
    """The shape of one sample and the targets of a dataset."""

    kind: str
    sample_shape: tuple[int, ...]  # channels-first, without the batch axis; () when set by the model
    dtype: str  # "float32" or "int64" (token ids)
    task: str  # "classification" | "binary" | "regression" | "language_model"
    num_classes: int = 0  # classes (classification), vocabulary size (language_model)
    num_samples: int = 0
    target_size: int = 1  # regression: values per sample

    def input_problem(self, t: TensorType) -> str | None:
        """Why an Input producing ``t`` cannot take this data, or None when it fits."""
        if self.dtype == "int64":
            if t.dtype != "int64":
                return f"{self.kind} data are token ids; use a Token Input (got {t.label()})"
            return None
        if t.dtype == "int64":
            return f"{self.kind} data are real-valued with sample shape {_fmt(self.sample_shape)}; use a float Input"
        size = 1
        for d in self.sample_shape:
            size *= d
        if t.size() != size:
            return (
                f"the Input gives {t.short()} ({t.size()} values) per sample, "
                f"but {self.kind} samples are {_fmt(self.sample_shape)} ({size} values)"
            )
        return None

    def input_fix(self, input_type: str) -> str:
        if self.dtype == "int64":
            return "use a Token Input"
        dims = ", ".join(str(d) for d in self.sample_shape)
        return f"set the Input's shape to ({dims})"

    def head_problem(self, head_type: str, t: TensorType | None) -> tuple[str, str] | None:
        """(message, fix) when the head's input does not fit the targets of this dataset."""
        if t is None:
            return None
        wants = {"classification": "output.classification", "language_model": "output.classification"}
        wants.update(binary="output.binary", regression="output.regression")
        if head_type != wants[self.task] and not (self.task == "binary" and head_type == "output.classification"):
            return (f"{self.kind} is a {self.task.replace('_', ' ')} dataset", f"use the {wants[self.task]} head")
        if head_type == "output.classification" and self.num_classes and t.last != max(self.num_classes, 2):
            what = "vocabulary size" if self.task == "language_model" else "number of classes"
            return (
                f"the model outputs {t.last} scores per sample but {self.kind} has {self.num_classes} classes",
                f"set the last Dense layer's units to {self.num_classes} (the {what})",
            )
        if head_type == "output.regression" and t.last != self.target_size:
            return (f"the model outputs {t.last} values, the targets have {self.target_size}",
                    f"set the last layer's units to {self.target_size}")
        return None


def _fmt(shape: tuple[int, ...]) -> str:
    return "×".join(str(d) for d in shape) or "scalar"


def describe(config: dict, base_dir: str | os.PathLike | None = None) -> DatasetInfo:
    """Describe a dataset from its project configuration; raises DatasetError naming the problem."""
    kind = config.get("kind")
    if kind not in KINDS:
        raise DatasetError(f"unknown dataset kind {kind!r}; choose one of {', '.join(KINDS)}")
    if kind == "digits":
        return DatasetInfo("digits", (1, 8, 8), "float32", "classification", 10, 1797)
    if kind == "mnist":
        return DatasetInfo("mnist", (1, 28, 28), "float32", "classification", 10, 70000)
    if kind in SYNTHETIC:
        classes = int(config.get("classes", 2)) if kind == "spirals" else 2
        return DatasetInfo(kind, (2,), "float32", "classification", classes, int(config.get("samples", 1000)))
    path = resolve_path(config, base_dir)
    return _FILE_DESCRIBERS[kind](path, config)


def resolve_path(config: dict, base_dir: str | os.PathLike | None) -> Path:
    """The dataset's file path, relative paths taken from the project's folder."""
    raw = config.get("path")
    if not raw or not isinstance(raw, str):
        raise DatasetError(f"the {config.get('kind')} dataset needs a file path")
    path = Path(raw).expanduser()
    if not path.is_absolute() and base_dir is not None:
        path = Path(base_dir) / path
    if not path.exists():
        raise DatasetError(f"dataset file not found: {path}")
    return path


def _describe_csv(path: Path, config: dict) -> DatasetInfo:
    with open(path, newline="", encoding="utf-8") as fh:
        reader = csv.reader(fh)
        header = next(reader, None)
        if not header:
            raise DatasetError(f"{path}: the CSV file is empty")
        target = config.get("target") or header[-1]
        if target not in header:
            raise DatasetError(f"{path}: no column named {target!r} (columns: {', '.join(header)})")
        labels, rows = set(), 0
        ti = header.index(target)
        for row in reader:
            if row:
                labels.add(row[ti])
                rows += 1
    task = config.get("task") or "classification"
    classes = len(labels) if task == "classification" else 0
    return DatasetInfo("csv", (len(header) - 1,), "float32", task, classes, rows)


def _describe_npz(path: Path, config: dict) -> DatasetInfo:
    import numpy as np

    try:
        with np.load(path, allow_pickle=False) as data:
            if "x" not in data.files or "y" not in data.files:
                raise DatasetError(f"{path}: an .npz dataset needs arrays named x and y (found {data.files})")
            x, y = data["x"], data["y"]
    except (OSError, ValueError, zipfile.BadZipFile) as err:
        raise DatasetError(f"{path}: cannot read the .npz file ({err})") from None
    task = config.get("task") or ("classification" if y.dtype.kind in "iub" else "regression")
    classes = int(y.max()) + 1 if task == "classification" and y.size else 0
    target = 1 if y.ndim == 1 else int(y.shape[-1])
    return DatasetInfo("npz", tuple(int(d) for d in x.shape[1:]), "float32", task, classes, int(x.shape[0]), target)


def _describe_image_folder(path: Path, config: dict) -> DatasetInfo:
    if not path.is_dir():
        raise DatasetError(f"{path}: an image-folder dataset must be a folder")
    classes = sorted(p.name for p in path.iterdir() if p.is_dir())
    if len(classes) < 2:
        raise DatasetError(f"{path}: needs one sub-folder per class (found {len(classes)})")
    count = sum(1 for c in classes for f in (path / c).iterdir() if f.suffix.lower() in IMAGE_EXTENSIONS)
    size = config.get("image_size", [32, 32])
    channels = 1 if config.get("grayscale") else 3
    return DatasetInfo("image_folder", (channels, int(size[0]), int(size[1])), "float32", "classification",
                       len(classes), count)


def _describe_text(path: Path, config: dict) -> DatasetInfo:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise DatasetError(f"{path}: cannot read the text file ({err})") from None
    if len(text) < 2:
        raise DatasetError(f"{path}: the text file is empty")
    vocab = len(set(text))
    return DatasetInfo("text", (), "int64", "language_model", vocab, len(text))


_FILE_DESCRIBERS = {
    "csv": _describe_csv,
    "npz": _describe_npz,
    "image_folder": _describe_image_folder,
    "text": _describe_text,
}
