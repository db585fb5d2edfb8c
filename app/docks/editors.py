"""One editor widget per parameter kind, generated from a Param.

An editor never holds state of its own: it shows the value it is given (``set_value``, which emits
nothing) and emits ``edited(value)`` with what the user entered. The owner validates and applies it
through the Document, and shows the refusal with ``show_error``.
"""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.i18n import pick
from app.icons import severity_color
from graph.spec import BOOL, CHOICE, FLOAT, INT, INTS, Param

INT32 = 2**31 - 1


def format_float(value: float) -> str:
    """Shortest exact text for a float: 0.001, 1e-07, 2.5."""
    text = repr(float(value))
    return text[:-2] if text.endswith(".0") and "e" not in text else text


def parse_float(text: str) -> float:
    """A float from user text; accepts a decimal comma. Raises ValueError."""
    return float(text.strip().replace(",", "."))


def parse_ints(text: str) -> list[int]:
    """Integers separated by commas and/or spaces (brackets allowed): ``"1, -1"`` → ``[1, -1]``."""
    parts = [p for p in re.split(r"[\s,;]+", text.strip().strip("[]()")) if p]
    return [int(p) for p in parts]


def part_labels(param: Param) -> list[str]:
    """Sub-labels of a fixed-length INTS param, read from its doc: ``[top, bottom, left, right]``."""
    found = re.findall(r"\[([^\[\]]+)\]", pick(param.doc, param.doc_zh)) or re.findall(r"\[([^\[\]]+)\]", param.doc)
    for group in reversed(found):
        labels = [s.strip() for s in re.split(r"[,，]", group)]
        if len(labels) == param.length:
            return labels
    return [str(i + 1) for i in range(param.length or 0)]


def param_tooltip(param: Param) -> str:
    """The doc for the UI language, plus the allowed range."""
    text = pick(param.doc, param.doc_zh)
    low, high = param.minimum, param.maximum
    if param.kind in (INT, FLOAT, INTS) and (low is not None or high is not None):
        low_text = "−∞" if low is None else f"{low:g}"
        high_text = "∞" if high is None else f"{high:g}"
        text += "\n" + QCoreApplication.translate("ParamEditor", "Range: {low} … {high}").format(
            low=low_text, high=high_text
        )
    return text


class NoWheelSpinBox(QSpinBox):
    """A spin box that ignores the mouse wheel unless focused (so scrolling the form changes nothing)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setKeyboardTracking(False)

    def wheelEvent(self, event):
        if self.hasFocus():
            super().wheelEvent(event)
        else:
            event.ignore()


class NoWheelComboBox(QComboBox):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def wheelEvent(self, event):
        if self.hasFocus():
            super().wheelEvent(event)
        else:
            event.ignore()


class ParamEditor(QWidget):
    """Base editor: a control row above an inline error line (hidden when there is no error)."""

    edited = Signal(object)

    def __init__(self, param: Param, parent=None):
        super().__init__(parent)
        self.param = param
        self.row = QHBoxLayout()
        self.row.setContentsMargins(0, 0, 0, 0)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet(f"color: {severity_color('error').name()};")
        self.error.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(self.row)
        layout.addWidget(self.error)
        self.setToolTip(param_tooltip(param))

    def set_value(self, value: Any) -> None:
        """Show ``value`` without emitting ``edited``."""
        self.blockSignals(True)
        try:
            self._show(value)
        finally:
            self.blockSignals(False)

    def _show(self, value: Any) -> None:
        raise NotImplementedError

    def show_error(self, message: str | None) -> None:
        self.error.setText(message or "")
        self.error.setVisible(bool(message))

    def _emit(self, value: Any) -> None:
        self.edited.emit(value)


class IntEditor(ParamEditor):
    def __init__(self, param: Param, parent=None):
        super().__init__(param, parent)
        self.spin = _spin(param)
        self.spin.valueChanged.connect(self._emit)
        self.row.addWidget(self.spin)

    def _show(self, value):
        self.spin.blockSignals(True)
        self.spin.setValue(int(value))
        self.spin.blockSignals(False)


class FloatEditor(ParamEditor):
    """A line edit that takes any float notation (1e-7, 0.001); parsed and checked on Enter/focus-out."""

    def __init__(self, param: Param, parent=None):
        super().__init__(param, parent)
        self.edit = QLineEdit()
        self.edit.setInputMethodHints(Qt.InputMethodHint.ImhFormattedNumbersOnly)
        self.edit.editingFinished.connect(self._on_editing_finished)
        self.row.addWidget(self.edit)

    def _show(self, value):
        self.edit.setText(format_float(value))

    def _on_editing_finished(self):
        try:
            value = parse_float(self.edit.text())
        except ValueError:
            self.show_error(
                QCoreApplication.translate("ParamEditor", "“{text}” is not a number").format(
                    text=self.edit.text().strip()
                )
            )
            return
        self._emit(value)


class BoolEditor(ParamEditor):
    def __init__(self, param: Param, parent=None):
        super().__init__(param, parent)
        self.check = QCheckBox()
        self.check.toggled.connect(self._emit)
        self.row.addWidget(self.check)

    def _show(self, value):
        self.check.blockSignals(True)
        self.check.setChecked(bool(value))
        self.check.blockSignals(False)


class ChoiceEditor(ParamEditor):
    def __init__(self, param: Param, parent=None):
        super().__init__(param, parent)
        self.combo = NoWheelComboBox()
        for choice in param.choices:
            self.combo.addItem(choice, choice)
        self.combo.currentIndexChanged.connect(self._on_index_changed)
        self.row.addWidget(self.combo)

    def _show(self, value):
        self.combo.blockSignals(True)
        self.combo.setCurrentIndex(max(0, self.combo.findData(value)))
        self.combo.blockSignals(False)

    def _on_index_changed(self, index: int):
        if index >= 0:
            self._emit(self.combo.itemData(index))


class IntsRowEditor(ParamEditor):
    """A row of labelled spin boxes for fixed-length lists (kernel [kh, kw], padding [t, b, l, r])."""

    def __init__(self, param: Param, parent=None):
        super().__init__(param, parent)
        self.spins: list[QSpinBox] = []
        grid = QGridLayout()
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(4)
        per_row = 2 if (param.length or 0) > 2 else max(1, param.length or 1)  # [t, b, l, r] as 2×2
        for i, label in enumerate(part_labels(param)):
            caption = QLabel(label)
            caption.setEnabled(False)  # drawn dimmed: a caption, not a field name
            spin = _spin(param)
            spin.setToolTip(label)
            spin.valueChanged.connect(self._on_part_changed)
            r, c = divmod(i, per_row)
            grid.addWidget(caption, r, 2 * c)
            grid.addWidget(spin, r, 2 * c + 1)
            grid.setColumnStretch(2 * c + 1, 1)
            self.spins.append(spin)
        self.row.addLayout(grid)
        self.link: QCheckBox | None = None
        if param.length == 2:  # kernel, strides, pool size, scale: square unless the user unlinks them
            self.link = QCheckBox(self.tr("square"))
            self.link.setToolTip(self.tr("Keep both values equal (a square kernel or window)"))
            self.link.setChecked(True)
            self.row.addWidget(self.link)

    def _show(self, value):
        for spin, v in zip(self.spins, value, strict=False):
            spin.blockSignals(True)
            spin.setValue(int(v))
            spin.blockSignals(False)
        if self.link is not None and len(set(value)) > 1:
            self.link.setChecked(False)  # a non-square value: the link would change it

    def _on_part_changed(self, _):
        values = [s.value() for s in self.spins]
        if self.link is not None and self.link.isChecked():
            changed = self.sender()
            values = [changed.value()] * len(values) if changed in self.spins else values
            self._show(values)
        self._emit(values)


class IntsTextEditor(ParamEditor):
    """A line edit for lists of any length: ``1, -1``."""

    def __init__(self, param: Param, parent=None):
        super().__init__(param, parent)
        self.edit = QLineEdit()
        self.edit.setPlaceholderText("1, -1")
        self.edit.editingFinished.connect(self._on_editing_finished)
        self.row.addWidget(self.edit)

    def _show(self, value):
        self.edit.setText(", ".join(str(v) for v in value))

    def _on_editing_finished(self):
        try:
            values = parse_ints(self.edit.text())
        except ValueError:
            self.show_error(
                QCoreApplication.translate("ParamEditor", "Enter whole numbers separated by commas, e.g. 1, -1")
            )
            return
        if not values:
            self.show_error(QCoreApplication.translate("ParamEditor", "Enter at least one number"))
            return
        self._emit(values)


class StrEditor(ParamEditor):
    def __init__(self, param: Param, parent=None):
        super().__init__(param, parent)
        self.edit = QLineEdit()
        self.edit.editingFinished.connect(lambda: self._emit(self.edit.text()))
        self.row.addWidget(self.edit)

    def _show(self, value):
        self.edit.setText(str(value))

    def add_button(self, text: str, callback) -> QPushButton:
        """A small button after the field (e.g. "…" to browse for a file)."""
        button = QPushButton(text)
        button.setFixedWidth(32)
        button.clicked.connect(callback)
        self.row.addWidget(button)
        return button


def _spin(param: Param) -> QSpinBox:
    spin = NoWheelSpinBox()
    low = -INT32 if param.minimum is None else max(-INT32, int(param.minimum))
    high = INT32 if param.maximum is None else min(INT32, int(param.maximum))
    spin.setRange(low, high)
    spin.setAccelerated(True)
    spin.setMinimumWidth(48)  # the hint for a ±2³¹ range would make the inspector scroll sideways
    return spin


def make_editor(param: Param, parent=None) -> ParamEditor:
    """The editor for a param's kind."""
    if param.kind == INT:
        return IntEditor(param, parent)
    if param.kind == FLOAT:
        return FloatEditor(param, parent)
    if param.kind == BOOL:
        return BoolEditor(param, parent)
    if param.kind == CHOICE:
        return ChoiceEditor(param, parent)
    if param.kind == INTS:
        return IntsRowEditor(param, parent) if param.length else IntsTextEditor(param, parent)
    return StrEditor(param, parent)
