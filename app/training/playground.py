"""The playground view for 2-D data (after TensorFlow Playground): every neuron's map over the plane,
the connections between them coloured by the weight's sign and drawn as thick as its size, and the
data's noise and the weight decay as controls, with one click to train again.

The maps and weights are the training script's ``--inspect`` output for 2-D points (``grid/<layer>``:
each unit's output on a grid over the data; ``dense/<layer>``: the weight matrix, out × in).
Never imports a framework.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPen
from PySide6.QtWidgets import QDoubleSpinBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.training.inside import _diverging
from app.training.lazy import np

MAX_UNITS = 12  # neurons drawn per layer (the largest weights' first)
CELL = 34  # a neuron's map, in pixels


def _tr(text: str) -> str:
    return QCoreApplication.translate("PlaygroundView", text)


def columns(graph, arrays: dict) -> list[tuple[str, np.ndarray, np.ndarray | None]]:
    """[(layer name, its units' maps (k, n, n), weights into it (k, previous k) or None)] from the Input
    through each Dense layer (shown after its activation) to the head."""
    if graph is None:
        return []
    order = graph.topological_order()
    out = []
    for nid in order:
        node = graph.node(nid)
        spec = graph.spec(nid)
        if spec.is_input and f"grid/{node.name}" in arrays:
            out.append((node.name, arrays[f"grid/{node.name}"], None))
        elif node.type == "dense" and f"dense/{node.name}" in arrays:
            shown = node
            while True:  # through the activation and dropout right after it, if they are its only consumer
                nxt = graph.out_edges(shown.id)
                if len(nxt) != 1:
                    break
                after = graph.node(nxt[0].dst)
                if after.type not in ("relu", "tanh", "sigmoid", "leaky_relu", "elu", "gelu", "silu", "dropout"):
                    break
                shown = after
            maps = arrays.get(f"grid/{shown.name}")
            if maps is not None:
                out.append((shown.name, maps, arrays[f"dense/{node.name}"]))
        elif spec.is_head and f"grid/{node.name}" in arrays:
            out.append((node.name, arrays[f"grid/{node.name}"][-1:], None))  # the last class's probability
    return out


class PlaygroundCanvas(QWidget):
    """The neurons as small maps in columns, with their weighted connections."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.cols: list = []
        self.setMinimumSize(320, 220)

    def set_columns(self, cols) -> None:
        self.cols = cols
        self.update()

    def positions(self) -> list[list[QRectF]]:
        """Each drawn neuron's square, column by column (as many as fit the height, at most MAX_UNITS)."""
        if not self.cols:
            return []
        room = self.height() - 30
        fit = max(1, int(room // 18))  # at least 15 px a map and 3 px apart
        biggest = min(max(len(maps) for _n, maps, _w in self.cols), MAX_UNITS, fit)
        cell = max(12.0, min(CELL, room / biggest - 3))
        gap_x = (self.width() - cell - 24) / max(len(self.cols) - 1, 1)
        out = []
        for c, (_name, maps, _w) in enumerate(self.cols):
            k = min(len(maps), biggest)
            step = cell + 3
            top = 22 + (room - step * k) / 2
            out.append([QRectF(12 + c * gap_x, top + i * step, cell, cell) for i in range(k)])
        return out

    def paintEvent(self, _event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        text = self.palette().color(self.foregroundRole())
        rects = self.positions()
        if not rects:
            painter.setPen(text)
            painter.drawText(
                self.rect(),
                Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                _tr(
                    "Train a model on 2-D points (spirals, moons, circles, XOR) with Inspect checked: each neuron's "
                    "map over the plane appears here."
                ),
            )
            return
        for c in range(1, len(self.cols)):  # connections first, maps on top
            w = self.cols[c][2]
            if w is None:
                continue
            w = np.asarray(w)[: len(rects[c]), : len(rects[c - 1])]
            top = float(np.abs(w).max(initial=0.0)) or 1.0
            for i, dst in enumerate(rects[c]):
                for j, src in enumerate(rects[c - 1]):
                    v = float(w[i, j]) / top
                    color = QColor(240, 140, 40) if v > 0 else QColor(40, 110, 220)
                    color.setAlphaF(min(1.0, 0.15 + abs(v)))
                    painter.setPen(QPen(color, 0.3 + 3.5 * abs(v)))
                    painter.drawLine(QPointF(src.right(), src.center().y()), QPointF(dst.left(), dst.center().y()))
        for (name, maps, _w), col in zip(self.cols, rects, strict=True):
            scale = float(np.abs(maps).max(initial=0.0)) or 1.0
            for m, rect in zip(maps, col, strict=False):
                rgb = np.ascontiguousarray(_diverging(np.flipud(m), scale))  # rows follow y: up is larger
                h, w = rgb.shape[:2]
                image = QImage(rgb.data, w, h, 3 * w, QImage.Format.Format_RGB888)
                painter.drawImage(rect, image)
                painter.setPen(QPen(text, 0.6))
                painter.drawRect(rect)
            painter.setPen(text)
            more = f" (+{len(maps) - len(col)})" if len(maps) > len(col) else ""
            label = name + more
            width = painter.fontMetrics().horizontalAdvance(label) + 4
            left = min(max(2.0, col[0].center().x() - width / 2), self.width() - width - 2)
            painter.drawText(QRectF(left, 2, width, 18), Qt.AlignmentFlag.AlignLeft, label)


class PlaygroundView(QWidget):
    """The canvas and its controls; ``restart`` asks the dock to train again with the new settings."""

    restart = Signal()

    def __init__(self, document, parent=None):
        super().__init__(parent)
        self.document = document
        self.canvas = PlaygroundCanvas()
        self.noise = QDoubleSpinBox(minimum=0.0, maximum=5.0, singleStep=0.05, decimals=2)
        self.decay = QDoubleSpinBox(minimum=0.0, maximum=1.0, singleStep=0.0005, decimals=4)
        self.noise_label, self.decay_label = QLabel(), QLabel()
        self.restart_button = QPushButton()
        self.restart_button.clicked.connect(self.restart)
        self.noise.valueChanged.connect(lambda v: self._set("noise", v))
        self.decay.valueChanged.connect(lambda v: self._set("weight_decay", v))
        row = QHBoxLayout()
        for w in (self.noise_label, self.noise, self.decay_label, self.decay, self.restart_button):
            row.addWidget(w)
        row.addStretch(1)
        lay = QVBoxLayout(self)
        lay.addLayout(row)
        lay.addWidget(self.canvas, 1)
        self.retranslate()
        self.sync()

    def retranslate(self) -> None:
        self.noise_label.setText(_tr("Noise"))
        self.decay_label.setText(_tr("Weight decay"))
        self.restart_button.setText(_tr("Train again"))
        self.restart_button.setToolTip(_tr("Stop the current run and train from the start with these settings"))
        self.canvas.update()

    def sync(self) -> None:
        """The controls from the project's training setup."""
        setup = self.document.project.setup
        for box, key in ((self.noise, "noise"), (self.decay, "weight_decay")):
            box.blockSignals(True)
            box.setValue(float(setup.get(key, 0.0)))
            box.blockSignals(False)

    def _set(self, key: str, value: float) -> None:
        if abs(float(self.document.project.setup.get(key, 0.0)) - value) > 1e-12:
            self.document.set_setup(key, value)

    def show_arrays(self, arrays: dict) -> None:
        self.canvas.set_columns(columns(self.document.graph, arrays))


__all__ = ["PlaygroundView", "columns"]
