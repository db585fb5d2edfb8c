"""A small canvas to draw a sample for the teaching views (a digit for an image model): the next
inspected run shows what every layer computes for it (``--inspect-input``). Never imports a framework."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QRectF, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.training.lazy import np


def _tr(text: str) -> str:
    return QCoreApplication.translate("DrawPad", text)


class DrawCanvas(QWidget):
    """Cells of ink from 0 to 1: the left button draws (softly around the pen), the right one erases."""

    def __init__(self, height: int = 8, width: int = 8, parent=None):
        super().__init__(parent)
        self.size_hw = (height, width)
        self._ink = None  # made when first drawn on or read (NumPy is not needed before)
        self.setMinimumSize(120, 120)
        self.setMouseTracking(False)

    @property
    def ink(self):
        """The cells, (height, width) float32 values from 0 to 1."""
        if self._ink is None:
            self._ink = np.zeros(self.size_hw, np.float32)
        return self._ink

    @ink.setter
    def ink(self, value) -> None:
        self._ink = value
        self.size_hw = tuple(value.shape)

    def set_size(self, height: int, width: int) -> None:
        if self.size_hw != (height, width):
            self.size_hw, self._ink = (height, width), None
            self.update()

    def clear(self) -> None:
        if self._ink is not None:
            self._ink[:] = 0
        self.update()

    def _cell_rect(self) -> QRectF:
        h, w = self.size_hw
        side = min(self.width() / w, self.height() / h)
        return QRectF((self.width() - side * w) / 2, (self.height() - side * h) / 2, side * w, side * h)

    def paint_at(self, x: float, y: float, erase: bool = False) -> None:
        """Ink (or erase) around the point (widget coordinates): full at the pen, half beside it."""
        rect = self._cell_rect()
        h, w = self.ink.shape
        r, c = (y - rect.top()) / rect.height() * h, (x - rect.left()) / rect.width() * w
        for dr in (-1, 0, 1):
            for dc in (-1, 0, 1):
                rr, cc = int(r) + dr, int(c) + dc
                if 0 <= rr < h and 0 <= cc < w:
                    amount = 1.0 if (dr, dc) == (0, 0) else 0.35
                    if erase:
                        self.ink[rr, cc] = max(0.0, self.ink[rr, cc] - amount)
                    else:
                        self.ink[rr, cc] = min(1.0, self.ink[rr, cc] + amount)
        self.update()

    def mousePressEvent(self, event) -> None:
        self.paint_at(event.position().x(), event.position().y(), event.button() == Qt.MouseButton.RightButton)

    def mouseMoveEvent(self, event) -> None:
        erase = bool(event.buttons() & Qt.MouseButton.RightButton)
        self.paint_at(event.position().x(), event.position().y(), erase)

    def paintEvent(self, _event) -> None:
        painter = QPainter(self)
        rect = self._cell_rect()
        h, w = self.ink.shape
        side = rect.width() / w
        for r in range(h):
            for c in range(w):
                g = int(255 * (1.0 - float(self.ink[r, c])))
                painter.fillRect(QRectF(rect.left() + c * side, rect.top() + r * side, side, side), QColor(g, g, g))
        painter.setPen(QColor(160, 160, 160))
        painter.drawRect(rect)


class DrawPad(QWidget):
    """The canvas, Clear, and whether the next inspected run uses the drawing."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.canvas = DrawCanvas()
        self.use = QCheckBox()
        self.clear_button = QPushButton()
        self.clear_button.clicked.connect(self.canvas.clear)
        self.hint = QLabel(wordWrap=True)
        side = QVBoxLayout()
        side.addWidget(self.hint)
        side.addWidget(self.use)
        side.addWidget(self.clear_button)
        side.addStretch(1)
        lay = QHBoxLayout(self)
        lay.addWidget(self.canvas, 1)
        lay.addLayout(side, 1)
        self.shape: tuple[int, ...] | None = None
        self.retranslate()

    def retranslate(self) -> None:
        self.use.setText(_tr("Inspect my drawing instead of a test sample"))
        self.clear_button.setText(_tr("Clear"))
        if self.shape is None:
            self.hint.setText(_tr("Drawing needs a model with one grey-level image Input."))
        else:
            self.hint.setText(
                _tr(
                    "Draw with the left button, erase with the right. The next run with Inspect shows every layer's output for it."
                )
            )

    def set_input(self, shape: tuple[int, ...] | None) -> None:
        """The model's Input (channels, height, width), or None when drawing does not apply."""
        self.shape = shape if shape is not None and len(shape) == 3 and shape[0] == 1 else None
        self.setEnabled(self.shape is not None)
        if self.shape is not None:
            self.canvas.set_size(self.shape[1], self.shape[2])
        else:
            self.use.setChecked(False)
        self.retranslate()

    def sample(self) -> np.ndarray | None:
        """The drawing as the script reads it (channels first, values 0–1), when it is to be used."""
        if self.shape is None or not self.use.isChecked():
            return None
        return self.canvas.ink[None].copy()


__all__ = ["DrawCanvas", "DrawPad"]
