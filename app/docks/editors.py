"""One editor widget per parameter kind, generated from a Param.

An editor never holds state of its own: it shows the value it is given (``set_value``, which emits
nothing) and emits ``edited(value)`` with what the user entered. The owner validates and applies it
through the Document, and shows the refusal with ``show_error``.
"""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QValidator
from PySide6.QtWidgets import (
    QAbstractSpinBox,
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

from app.i18n import diag, pick, ui_language
from app.icons import severity_color
from graph.glossary import choice_label
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


class CheckedSpinBox(NoWheelSpinBox):
    """A spin box whose arrows stay within the parameter's bounds but which never corrects what is typed.

    A plain QSpinBox silently reverts a typed value outside its range (``0`` units) or text it cannot
    read (``abc``, an empty field) when it loses focus. This one takes any whole number typed (so the
    graph's check refuses it with a reason) and reports anything else through ``refused(text)``.
    """

    refused = Signal(str)  # the text typed, which is not a whole number

    def __init__(self, param: Param, parent=None):
        super().__init__(parent)
        self.low = -INT32 if param.minimum is None else max(-INT32, int(param.minimum))
        self.high = INT32 if param.maximum is None else min(INT32, int(param.maximum))
        self.setRange(-INT32, INT32)  # typing is not limited: the graph's check gives the reason
        self.typed: str | None = None  # the text as typed since the value was last shown
        self.lineEdit().textEdited.connect(self._on_text_edited)
        self.editingFinished.connect(self._on_editing_finished)

    def _on_text_edited(self, text: str) -> None:
        self.typed = text

    def validate(self, text: str, pos: int):
        return QValidator.State.Acceptable, text, pos  # never blocked, never "fixed up" on focus-out

    def valueFromText(self, text: str) -> int:
        number = parse_int(text)
        return number if number is not None and abs(number) <= INT32 else self.value()

    def show_value(self, value: int) -> None:
        self.blockSignals(True)
        self.setValue(int(value) if abs(int(value)) <= INT32 else self.value())
        self.blockSignals(False)
        self.typed = None

    def typed_number(self) -> int | None:
        """The whole number typed since the value was shown (any size), or None."""
        return None if self.typed is None else parse_int(self.typed)

    def _on_editing_finished(self) -> None:
        if self.typed is None:
            return
        if parse_int(self.typed) is None:
            self.refused.emit(self.typed.strip())
        elif abs(parse_int(self.typed)) > INT32:
            self.valueChanged.emit(self.value())  # the owner reads typed_number() and reports the size
        self.typed = None

    def stepBy(self, steps: int) -> None:
        self.typed = None
        self.setValue(max(self.low, min(self.high, self.value() + steps * self.singleStep())))

    def stepEnabled(self):
        flags = QAbstractSpinBox.StepEnabledFlag.StepNone
        if self.value() < self.high:
            flags |= QAbstractSpinBox.StepEnabledFlag.StepUpEnabled
        if self.value() > self.low:
            flags |= QAbstractSpinBox.StepEnabledFlag.StepDownEnabled
        return flags


def parse_int(text: str) -> int | None:
    """A whole number from user text (spaces and a leading + allowed), or None."""
    text = text.strip().replace("\u2212", "-")  # the minus sign a tooltip shows
    if not re.fullmatch(r"[+-]?\d+", text):
        return None
    return int(text)


def not_a_whole_number(text: str) -> str:
    if not text:
        return QCoreApplication.translate("ParamEditor", "Enter a whole number")
    return QCoreApplication.translate("ParamEditor", "“{text}” is not a whole number").format(text=text)


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
        """The reason a value was refused, in red under the field (and as its tooltip); None clears it.

        A refusal from graph/ (English) is shown in the UI language (``app.i18n.diag``)."""
        message = diag(message)
        self.error.setText(message or "")
        self.error.setVisible(bool(message))
        for field in self._fields():
            field.setToolTip(message or field.property("plainTip") or "")
            # the frame goes on the text part: a style sheet on a spin box or combo loses its native arrows
            text = field.lineEdit() if isinstance(field, QAbstractSpinBox | QComboBox) else field
            if text is not None:
                text.setStyleSheet(f"border: 1px solid {severity_color('error').name()};" if message else "")

    def has_error(self) -> bool:
        return not self.error.isHidden()

    def _fields(self) -> list[QWidget]:
        """The input widgets the red frame goes on."""
        return [w for name in ("spin", "edit", "combo") if isinstance(w := getattr(self, name, None), QWidget)] + list(
            getattr(self, "spins", [])
        )

    def add_button(self, text: str, callback) -> QPushButton:
        """A small button after the field (e.g. "…" to browse for a file, "same" padding)."""
        button = QPushButton(text)
        if len(text) <= 2:
            button.setFixedWidth(32)
        button.clicked.connect(callback)
        self.row.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
        return button

    def _emit(self, value: Any) -> None:
        self.edited.emit(value)


class IntEditor(ParamEditor):
    def __init__(self, param: Param, parent=None):
        super().__init__(param, parent)
        self.spin = _spin(param)
        self.spin.valueChanged.connect(self._on_value_changed)
        self.spin.refused.connect(lambda text: self.show_error(not_a_whole_number(text)))
        self.row.addWidget(self.spin)

    def _show(self, value):
        self.spin.show_value(value)

    def _on_value_changed(self, value: int) -> None:
        typed = self.spin.typed_number()
        self._emit(typed if typed is not None else value)


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
            self.combo.addItem(choice_label(choice, ui_language()), choice)
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
        self.spins: list[CheckedSpinBox] = []
        grid = QGridLayout()
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(4)
        per_row = 2 if (param.length or 0) > 2 else max(1, param.length or 1)  # [t, b, l, r] as 2×2
        for i, label in enumerate(part_labels(param)):
            caption = QLabel(label)
            caption.setEnabled(False)  # drawn dimmed: a caption, not a field name
            spin = _spin(param)
            spin.setToolTip(label)
            spin.setProperty("plainTip", label)
            spin.valueChanged.connect(self._on_part_changed)
            spin.refused.connect(lambda text, label=label: self.show_error(f"{label}: {not_a_whole_number(text)}"))
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
            spin.show_value(v)
        if self.link is not None and len(set(value)) > 1:
            self.link.setChecked(False)  # a non-square value: the link would change it

    def _part(self, spin: CheckedSpinBox) -> int:
        typed = spin.typed_number()
        return typed if typed is not None else spin.value()

    def _on_part_changed(self, _):
        values = [self._part(s) for s in self.spins]
        if self.link is not None and self.link.isChecked():
            changed = self.sender()
            if changed in self.spins:
                values = [self._part(changed)] * len(values)
                for spin in self.spins:
                    if spin is not changed:
                        spin.show_value(values[0])
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


def _spin(param: Param) -> CheckedSpinBox:
    spin = CheckedSpinBox(param)
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
