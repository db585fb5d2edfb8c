"""Translatable titles of layer and training parameters (the specs carry English titles only).

lupdate reads the QT_TRANSLATE_NOOP markers below; a title missing here simply shows in English.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

TITLES = (
    QT_TRANSLATE_NOOP("ParamTitle", "Activation"),
    QT_TRANSLATE_NOOP("ParamTitle", "Alpha"),
    QT_TRANSLATE_NOOP("ParamTitle", "Approximate"),
    QT_TRANSLATE_NOOP("ParamTitle", "Axis"),
    QT_TRANSLATE_NOOP("ParamTitle", "Batch size"),
    QT_TRANSLATE_NOOP("ParamTitle", "Beta1"),
    QT_TRANSLATE_NOOP("ParamTitle", "Beta2"),
    QT_TRANSLATE_NOOP("ParamTitle", "Bidirectional"),
    QT_TRANSLATE_NOOP("ParamTitle", "Ceil mode"),
    QT_TRANSLATE_NOOP("ParamTitle", "Channels"),
    QT_TRANSLATE_NOOP("ParamTitle", "Count include pad"),
    QT_TRANSLATE_NOOP("ParamTitle", "Dataset"),
    QT_TRANSLATE_NOOP("ParamTitle", "Dataset path"),
    QT_TRANSLATE_NOOP("ParamTitle", "Dataset target"),
    QT_TRANSLATE_NOOP("ParamTitle", "Dilation"),
    QT_TRANSLATE_NOOP("ParamTitle", "Epochs"),
    QT_TRANSLATE_NOOP("ParamTitle", "Epsilon"),
    QT_TRANSLATE_NOOP("ParamTitle", "Features"),
    QT_TRANSLATE_NOOP("ParamTitle", "Filters"),
    QT_TRANSLATE_NOOP("ParamTitle", "Framework"),
    QT_TRANSLATE_NOOP("ParamTitle", "Groups"),
    QT_TRANSLATE_NOOP("ParamTitle", "Height"),
    QT_TRANSLATE_NOOP("ParamTitle", "Input dim"),
    QT_TRANSLATE_NOOP("ParamTitle", "Interpolation"),
    QT_TRANSLATE_NOOP("ParamTitle", "Kernel size"),
    QT_TRANSLATE_NOOP("ParamTitle", "Label smoothing"),
    QT_TRANSLATE_NOOP("ParamTitle", "Learning rate"),
    QT_TRANSLATE_NOOP("ParamTitle", "Length"),
    QT_TRANSLATE_NOOP("ParamTitle", "Momentum"),
    QT_TRANSLATE_NOOP("ParamTitle", "Negative slope"),
    QT_TRANSLATE_NOOP("ParamTitle", "Noise"),
    QT_TRANSLATE_NOOP("ParamTitle", "Optimizer"),
    QT_TRANSLATE_NOOP("ParamTitle", "Order"),
    QT_TRANSLATE_NOOP("ParamTitle", "Output dim"),
    QT_TRANSLATE_NOOP("ParamTitle", "Output padding"),
    QT_TRANSLATE_NOOP("ParamTitle", "Padding"),
    QT_TRANSLATE_NOOP("ParamTitle", "Pool size"),
    QT_TRANSLATE_NOOP("ParamTitle", "Rate"),
    QT_TRANSLATE_NOOP("ParamTitle", "Return sequences"),
    QT_TRANSLATE_NOOP("ParamTitle", "Sample rate"),
    QT_TRANSLATE_NOOP("ParamTitle", "Samples"),
    QT_TRANSLATE_NOOP("ParamTitle", "Scale"),
    QT_TRANSLATE_NOOP("ParamTitle", "Seed"),
    QT_TRANSLATE_NOOP("ParamTitle", "Shuffle"),
    QT_TRANSLATE_NOOP("ParamTitle", "Spatial"),
    QT_TRANSLATE_NOOP("ParamTitle", "Steps"),
    QT_TRANSLATE_NOOP("ParamTitle", "Stride"),
    QT_TRANSLATE_NOOP("ParamTitle", "Strides"),
    QT_TRANSLATE_NOOP("ParamTitle", "Target shape"),
    QT_TRANSLATE_NOOP("ParamTitle", "Test split"),
    QT_TRANSLATE_NOOP("ParamTitle", "Tokens"),
    QT_TRANSLATE_NOOP("ParamTitle", "Units"),
    QT_TRANSLATE_NOOP("ParamTitle", "Use bias"),
    QT_TRANSLATE_NOOP("ParamTitle", "Validation split"),
    QT_TRANSLATE_NOOP("ParamTitle", "Vocab size"),
    QT_TRANSLATE_NOOP("ParamTitle", "Weight decay"),
    QT_TRANSLATE_NOOP("ParamTitle", "Width"),
)


def param_title(param) -> str:
    """The param's title in the UI language."""
    return QCoreApplication.translate("ParamTitle", param.title)
