"""Helpers shared by the layer specs: parameter shorthands and shape checks."""

from __future__ import annotations

from graph import fixes
from graph.spec import BOOL, CHOICE, FLOAT, INT, INTS, Param, ShapeError
from graph.tensors import TensorType


def int_param(name, default, doc, doc_zh, minimum=None, maximum=None, label=""):
    return Param(name, INT, default, doc, doc_zh, minimum=minimum, maximum=maximum, label=label)


def float_param(name, default, doc, doc_zh, minimum=None, maximum=None, label=""):
    return Param(name, FLOAT, default, doc, doc_zh, minimum=minimum, maximum=maximum, label=label)


def bool_param(name, default, doc, doc_zh, label=""):
    return Param(name, BOOL, default, doc, doc_zh, label=label)


def choice_param(name, default, choices, doc, doc_zh, label=""):
    return Param(name, CHOICE, default, doc, doc_zh, choices=tuple(choices), label=label)


def ints_param(name, default, doc, doc_zh, length=None, minimum=None, maximum=None, label=""):
    return Param(name, INTS, list(default), doc, doc_zh, length=length, minimum=minimum, maximum=maximum, label=label)


def use_bias_param():
    return bool_param("use_bias", True, "Learn an additive bias.", "学习一个加性偏置。")


def expect_axes(t: TensorType, allowed: tuple[tuple[str, ...], ...], layer: str, fix: str | None = None) -> None:
    """Raise ShapeError unless ``t`` has one of the allowed axis layouts."""
    if t.axes in allowed:
        return
    want = " or ".join("(" + ",".join(a) + ")" for a in allowed)
    raise ShapeError(f"{layer} expects input {want}, got {t.label()}", fix)


def expect_rank(t: TensorType, ranks: tuple[int, ...], layer: str, fix: str | None = None) -> None:
    if t.rank not in ranks:
        want = " or ".join(str(r - 1) for r in ranks)
        raise ShapeError(f"{layer} expects a {want}-D sample, got {t.label()}", fix)


def expect_float(t: TensorType, layer: str) -> None:
    if t.dtype != "float32":
        raise ShapeError(
            f"{layer} expects float values, got {t.dtype} token ids",
            "insert an Embedding layer first",
            action=fixes.insert_before("embedding"),
        )


def conv_out(size: int, k: int, s: int, pad_total: int, d: int = 1, layer: str = "layer") -> int:
    """Output length of a convolution or pool along one axis (floor mode)."""
    eff = d * (k - 1) + 1
    if size + pad_total < eff:
        raise ShapeError(
            f"{layer}: kernel {k} (dilation {d}) is larger than the padded input ({size + pad_total})",
            "use a smaller kernel, add padding, or remove a pooling layer before it",
        )
    return (size + pad_total - eff) // s + 1


def same_pads(size: int, k: int, s: int = 1, d: int = 1) -> tuple[int, int]:
    """TensorFlow's 'same' padding (before, after) along one axis: the extra pixel goes at the end."""
    out = -(-size // s)
    total = max((out - 1) * s + (k - 1) * d + 1 - size, 0)
    return total // 2, total - total // 2
