"""Tasks as data: the targets a head needs, the targets a dataset provides, and one match between them.

A head's ``Head`` (in its spec) and the tensor feeding it give a ``TargetNeed``: the kind of targets
(class ids, 0/1 values or real numbers), their per-sample shape in the graph's logical (channels-first)
layout and the number of classes. A dataset descriptor gives ``Targets``. ``target_problem`` compares
the two; ``check``, the editor and ``export`` all get their verdict from it (through the analysis), and
both generated scripts prepare targets from the same ``TargetNeed``.
"""

from __future__ import annotations

from dataclasses import dataclass

from graph.spec import Head
from graph.tensors import TensorType

LABELS, BINARY, VALUES = "labels", "binary", "values"


@dataclass(frozen=True)
class TargetNeed:
    """The targets one head trains against."""

    task: str  # the head's task: classification | binary | multilabel | regression
    kind: str  # labels (int64 class ids) | binary (0/1 float32) | values (float32)
    shape: tuple[int, ...]  # per sample, logical layout (channels first)
    classes: int = 0  # labels: K classes (ids 0…K−1); binary: units (1, or K labels)
    class_axis: int = -1  # axis of the model output holding the class scores (labels only)
    channels_first: bool = False  # the targets are images in the output's channels-first layout

    def text(self) -> str:
        """The targets in words, e.g. 'class ids 0…9 of shape 28×28'."""
        where = f" of shape {fmt_shape(self.shape)}" if self.shape else " (one per sample)"
        if self.kind == LABELS:
            return f"class ids 0…{self.classes - 1}{where}"
        if self.kind == BINARY:
            return f"0/1 values{where}"
        return f"real values{where}"


def target_need(head: Head, t: TensorType) -> TargetNeed:
    """What the head fed by a tensor of type ``t`` needs as targets."""
    if head.targets == LABELS:
        if t.channels_first:  # (N, K, H, W): per-pixel class scores on the channel axis
            return TargetNeed(head.task, LABELS, tuple(t.features[1:]), t.dims[1], class_axis=1)
        return TargetNeed(head.task, LABELS, tuple(t.features[:-1]), t.last)
    return TargetNeed(head.task, head.targets, tuple(t.features), t.last, channels_first=t.channels_first)


@dataclass(frozen=True)
class Targets:
    """The targets a dataset provides (read from its metadata, never by loading it all)."""

    kind: str  # "labels" (class names or ids) | "numbers"
    shape: tuple[int, ...] | None  # per sample, logical layout; None: follows the model (language models)
    classes: int = 0  # as class labels: how many classes the scripts make of them
    zero_one: bool = False  # every value is 0 or 1
    integral: bool = False  # every value is a whole number ≥ 0 (usable as class ids)

    def text(self) -> str:
        if self.kind == LABELS:
            what = f"{self.classes} classes"
        elif self.zero_one:
            what = "0/1 values"
        elif self.integral and self.classes:
            what = f"whole numbers 0…{self.classes - 1} (class ids or values)"
        else:
            what = "real values"
        return what + (f" of shape {fmt_shape(self.shape)}" if self.shape else "")


def fmt_shape(shape: tuple[int, ...]) -> str:
    return "×".join(str(d) for d in shape) or "scalar"


def _squeeze(shape: tuple[int, ...] | None) -> tuple[int, ...] | None:
    """(1,) and () are the same per-sample shape: one value per sample."""
    return () if shape == (1,) else shape


def target_problem(need: TargetNeed, have: Targets, dataset: str) -> tuple[str, str] | None:
    """(message, fix) when the dataset's targets cannot train this head, else None."""
    check = {"classification": _labels, "binary": _binary, "multilabel": _multilabel, "regression": _values}
    return check[need.task](need, have, dataset)


def _shape_problem(need: TargetNeed, have: Targets, dataset: str) -> tuple[str, str] | None:
    if have.shape is None or _squeeze(have.shape) == _squeeze(need.shape):
        return None
    return (
        f"the model's output needs targets of shape {fmt_shape(need.shape)} per sample, "
        f"but {dataset} has targets of shape {fmt_shape(have.shape)}",
        f"change the layers before the head so the output gives one value per target ({fmt_shape(have.shape)})",
    )


def _labels(need: TargetNeed, have: Targets, dataset: str):
    if have.kind != LABELS and not have.integral:
        return (
            f"{dataset} has {have.text()}, not class labels; a Classification head needs class ids",
            "use the Regression head, or a dataset with class labels",
        )
    problem = _shape_problem(need, have, dataset)
    if problem:
        return problem
    if have.classes and have.classes != need.classes:
        where = "per pixel " if need.class_axis == 1 else ""
        unit = "filters of the last convolution" if need.class_axis == 1 else "units of the last Dense layer"
        return (
            f"the model outputs {need.classes} class scores {where}but {dataset} has {have.classes} classes",
            f"set the {unit} to {have.classes}",
        )
    return None


def _binary(need: TargetNeed, have: Targets, dataset: str):
    two = have.zero_one or (have.classes == 2 and (have.kind == LABELS or have.integral))
    if not two:
        what = have.text()
        fix = (
            "use the Classification head with one unit per class" if have.kind == LABELS else "use the Regression head"
        )
        return (f"a Binary head needs two classes (0/1 labels); {dataset} has {what}", fix)
    return _shape_problem(need, have, dataset)


def _multilabel(need: TargetNeed, have: Targets, dataset: str):
    if not have.zero_one:
        fix = "use the Classification head" if have.kind == LABELS else "use the Regression head"
        return (f"a Multi-label head needs 0/1 targets, one per label; {dataset} has {have.text()}", fix)
    return _shape_problem(need, have, dataset)


def _values(need: TargetNeed, have: Targets, dataset: str):
    if have.kind == LABELS:
        return (
            f"{dataset} has class labels ({have.classes} classes); a Regression head needs numbers",
            "use the Classification head",
        )
    return _shape_problem(need, have, dataset)
