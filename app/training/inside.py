"""The teaching views ("Inside" tab): what each layer computes for one sample, a convolution's arithmetic
at one position, and weights and gradients per layer over training.

Everything shown comes from the training script's ``--inspect`` output (``inspect`` events and the
NPZ files they name), so it is what the exported code computes. The arrays are drawn here with NumPy
only (``activation_rgb``); the kernel arithmetic is ``graph.teaching.conv2d_at``. Never imports a
framework.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QCoreApplication, QRectF, Qt, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.training.lazy import np, pg
from app.training.plots import plot_colors, style_plot

MAX_MAPS = 16  # feature maps drawn per layer
KERNEL_PX = 84  # the kernel view's pictures


def _tr(text: str) -> str:
    return QCoreApplication.translate("InsideView", text)


# ----------------------------------------------------------------------------- arrays → pictures
def _diverging(a: np.ndarray, scale: float) -> np.ndarray:
    """Values as colours: negative blue, zero white, positive red (scaled by ``scale``); (…, 3) uint8."""
    t = np.clip(np.asarray(a, dtype=np.float64) / (scale or 1.0), -1.0, 1.0)
    pos, neg = np.clip(t, 0, 1), np.clip(-t, 0, 1)
    r = 1.0 - 0.75 * neg
    g = 1.0 - 0.8 * pos - 0.55 * neg
    b = 1.0 - 0.8 * pos
    return (np.stack([r, g, b], axis=-1) * 255).astype(np.uint8)


def grid_shape(n: int) -> tuple[int, int]:
    cols = math.ceil(math.sqrt(n))
    return math.ceil(n / cols), cols


def picture_kind(spec, a) -> str | None:
    """How a layer's output is drawn: a head's probabilities, an image Input in grey levels, else values."""
    if spec.is_head and spec.head is not None and spec.head.task in ("classification", "binary", "multilabel"):
        return "probabilities"
    return "image" if spec.is_input and a is not None and np.ndim(a) == 3 else None


def activation_rgb(a: np.ndarray, kind: str | None = None) -> np.ndarray:
    """One layer's output for one sample as an RGB picture (h, w, 3): a grid of feature maps for
    (C, H, W), a row of maps for a volume's middle slice, a time × feature heatmap for (T, F), one row
    of cells for a vector. ``kind`` "probabilities": a vector drawn from 0 to 1."""
    a = np.asarray(a, dtype=np.float64)
    if a.ndim == 0:
        a = a.reshape(1)
    if a.ndim == 4:  # (C, D, H, W): the middle depth slice of each channel
        a = a[:, a.shape[1] // 2]
    scale = float(np.abs(a).max(initial=0.0)) or 1.0
    if kind == "image":  # an Input image: grey levels, darkest = largest (ink on paper)
        chans = a[:3] if a.ndim == 3 else a[None]
        lo, hi = float(chans.min(initial=0.0)), float(chans.max(initial=1.0))
        g = 1.0 - (chans - lo) / ((hi - lo) or 1.0)
        picture = np.moveaxis(g, 0, -1) if len(chans) == 3 else np.repeat(g[0][..., None], 3, axis=-1)
        return (np.clip(picture, 0, 1) * 255).astype(np.uint8)
    if kind == "probabilities":
        cells = np.clip(a.reshape(1, -1), 0, 1)
        return (np.stack([1 - 0.8 * cells, 1 - 0.5 * cells, 1 - 0.1 * cells], axis=-1) * 255).astype(np.uint8)
    if a.ndim == 1:
        return _diverging(a.reshape(1, -1), scale)
    if a.ndim == 2:  # (T, F) or (C, L): rows are time steps / channels
        return _diverging(a, scale)
    maps = a[:MAX_MAPS]
    rows, cols = grid_shape(len(maps))
    h, w = maps.shape[1:]
    out = np.full((rows * (h + 1) - 1, cols * (w + 1) - 1, 3), 205, np.uint8)  # light grey between maps
    for i, m in enumerate(maps):
        r, c = divmod(i, cols)
        out[r * (h + 1) : r * (h + 1) + h, c * (w + 1) : c * (w + 1) + w] = _diverging(m, scale)
    return out


def rgb_pixmap(rgb: np.ndarray, width: int, height: int | None = None) -> QPixmap:
    """An RGB array as a pixmap scaled (nearest neighbour, so cells stay sharp) into width × height."""
    rgb = np.ascontiguousarray(rgb)
    h, w = rgb.shape[:2]
    image = QImage(rgb.data, w, h, 3 * w, QImage.Format.Format_RGB888).copy()
    pix = QPixmap.fromImage(image)
    target_h = height or max(1, round(width * h / w))
    return pix.scaled(width, target_h, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.FastTransformation)


def thumbnail(a: np.ndarray, kind: str | None = None, size: int = 44) -> QPixmap:
    """The small picture a card shows (a vector as a strip of cells)."""
    rgb = activation_rgb(a, kind)
    if rgb.shape[0] == 1:  # a vector: a strip of cells
        return rgb_pixmap(rgb, min(150, max(size, 4 * rgb.shape[1])), 10)
    return rgb_pixmap(rgb, size, size)


# ----------------------------------------------------------------------------- the view
class InsideView(QWidget):
    """The Inside tab: pick a layer on the canvas; see its output, its kernel arithmetic, its gradients."""

    sample_changed = Signal(int)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.graph = None
        self.layer: str | None = None
        self.inspections: list[dict] = []
        self.arrays: dict[str, np.ndarray] = {}
        self.position = (0, 0, 0)
        self.sample = QSpinBox(minimum=0, maximum=99_999)
        self.sample.valueChanged.connect(self.sample_changed)
        self.sample_label, self.title, self.hint = QLabel(), QLabel(), QLabel()
        self.hint.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.sample_label)
        top.addWidget(self.sample)
        self.picture = QLabel(alignment=Qt.AlignmentFlag.AlignCenter)
        self.picture.setMinimumSize(120, 90)
        self.picture.mousePressEvent = self._picture_clicked
        activation = QWidget()
        al = self._activation_layout = QVBoxLayout(activation)  # the values' plot goes under the picture
        al.addWidget(self.picture, 1)
        # kernel view
        self.kernel_pictures = [QLabel(alignment=Qt.AlignmentFlag.AlignCenter) for _ in range(3)]
        for pic in self.kernel_pictures:
            pic.setMinimumSize(KERNEL_PX + 4, KERNEL_PX + 4)
        self.kernel_captions = [QLabel(alignment=Qt.AlignmentFlag.AlignCenter) for _ in range(3)]
        self.formula = QLabel(wordWrap=True)
        self.formula.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        kernel = QWidget()
        kl = QVBoxLayout(kernel)
        grid = QGridLayout()
        for i, (pic, cap) in enumerate(zip(self.kernel_pictures, self.kernel_captions, strict=True)):
            grid.addWidget(pic, 0, i)
            grid.addWidget(cap, 1, i)
        kl.addLayout(grid)
        kl.addWidget(self.formula)
        kl.addStretch(1)
        # gradients: the plots go side by side (a short bottom dock still gives each its full height)
        self.dead = QLabel()
        gradients = QWidget()
        gl = QVBoxLayout(gradients)
        self._gradient_row = QHBoxLayout()
        gl.addLayout(self._gradient_row, 1)
        gl.addWidget(self.dead)
        self._plots: tuple | None = None  # (values, flow, hist, grad_hist): made when first shown or drawn on
        self.tabs = QTabWidget()
        self.tabs.addTab(activation, "")
        self.tabs.addTab(kernel, "")
        self.tabs.addTab(gradients, "")
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.hint)
        lay.addWidget(self.tabs, 1)
        self.tabs.currentChanged.connect(lambda _i: self.refresh())
        self.retranslate()
        self._restyle()

    def retranslate(self) -> None:
        self.sample_label.setText(_tr("Sample"))
        self.sample.setToolTip(_tr("The test sample whose activations are shown (used by the next run)"))
        for i, text in enumerate((_tr("Activation"), _tr("Kernel"), _tr("Gradients"))):
            self.tabs.setTabText(i, text)
        for cap, text in zip(self.kernel_captions, (_tr("input patch"), _tr("kernel"), _tr("products")), strict=True):
            cap.setText(text)
        self._retranslate_plots()
        self.refresh()

    def _retranslate_plots(self) -> None:
        if self._plots is None:  # titled when they are made
            return
        self.flow.setTitle(_tr("Gradient norm per layer (log scale)"))
        self.flow.setLabel("bottom", _tr("step"))
        self.hist.setTitle(_tr("Weights"))
        self.grad_hist.setTitle(_tr("Gradients"))

    def _plot_widgets(self) -> tuple:
        """The four plots (pyqtgraph is imported when they are first needed: this tab is seldom in front)."""
        if self._plots is None:
            values = pg.PlotWidget()
            values.setMinimumHeight(80)
            values.hide()  # shown for a vector's values
            self._activation_layout.addWidget(values, 1)
            flow = pg.PlotWidget()
            flow.setLogMode(y=True)
            flow.addLegend(offset=(-10, 10))
            hist = pg.PlotWidget()
            grad_hist = pg.PlotWidget()  # its own axis: gradients can be 10,000 times smaller than weights
            for plot, stretch in ((flow, 3), (hist, 2), (grad_hist, 2)):
                self._gradient_row.addWidget(plot, stretch)
            self._plots = (values, flow, hist, grad_hist)
            self._retranslate_plots()
            self._restyle()
        return self._plots

    values_plot = property(lambda self: self._plot_widgets()[0])
    flow = property(lambda self: self._plot_widgets()[1])
    hist = property(lambda self: self._plot_widgets()[2])
    grad_hist = property(lambda self: self._plot_widgets()[3])

    def showEvent(self, event) -> None:
        if self._plots is None:
            self._plot_widgets()
            self.refresh()  # what was skipped while there were no plots
        super().showEvent(event)

    def _restyle(self) -> None:
        if self._plots is None:  # styled when they are made
            return
        bg, fg = plot_colors(self)
        for w in self._plots:
            w.setBackground(bg)
            style_plot(w.getPlotItem(), bg, fg)

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == event.Type.PaletteChange:
            self._restyle()

    # ------------------------------------------------------------------ data in
    def set_graph(self, graph) -> None:
        self.graph = graph
        self.refresh()

    def select(self, layer: str | None) -> None:
        if layer != self.layer:
            self.layer, self.position = layer, (0, 0, 0)
            self.refresh()

    def clear(self) -> None:
        self.inspections, self.arrays = [], {}
        self.refresh()

    def show_inspections(self, inspections: list[dict]) -> None:
        """The run's inspect events so far (the last one's file is read)."""
        self.inspections = inspections
        self.arrays = load_arrays(inspections[-1]["file"]) if inspections else {}
        self.refresh()

    # ------------------------------------------------------------------ drawing
    def _node(self):
        if self.graph is None or self.layer is None:
            return None
        return self.graph.find_by_name(self.layer)

    def refresh(self) -> None:
        node = self._node()
        last = self.inspections[-1] if self.inspections else None
        if last is None:
            self.hint.setText(
                _tr("Check Inspect and train: every layer's output for the chosen sample appears here and on its card.")
            )
        elif node is None:
            self.hint.setText(_tr("Select a layer on the canvas to see what it computes."))
        else:
            self.hint.setText(_tr("Epoch {epoch}, sample {sample}").format(epoch=last["epoch"], sample=last["sample"]))
        self.title.setText(f"<b>{node.name}</b>" if node is not None else "")
        # Only the tab in front is drawn (the others when they are shown): the GUI shares the CPU with
        # the training worker, and a redraw of every plot per inspection would stall it for tens of ms.
        tab = self.tabs.currentIndex()
        if tab == 0:
            self._draw_activation(node)
        elif tab == 1:
            self._draw_kernel(node)
        elif tab == 2:
            self._draw_gradients(node)

    def _kind(self, node) -> str | None:
        return None if node is None else picture_kind(self.graph.spec(node.id), self.arrays.get(node.name))

    def _draw_activation(self, node) -> None:
        a = self.arrays.get(node.name) if node is not None else None
        if a is None:
            self.picture.clear()
            if self._plots is not None:  # (a plot not made yet is hidden and empty)
                self.values_plot.clear()
                self.values_plot.hide()
            return
        self.values_plot.clear()
        chars = self._characters() if a.ndim == 2 else None
        if chars is not None and len(chars) == a.shape[0]:  # LSTMVis: hidden units against the characters
            room = max(60, self.picture.height())
            self.picture.setPixmap(text_heatmap(a, chars, max(160, min(self.picture.width(), 900)), room))
        else:
            rgb = activation_rgb(a, self._kind(node))
            width = max(120, min(self.picture.width(), 420))
            self.picture.setPixmap(rgb_pixmap(rgb, width, max(60, min(self.picture.height(), 320))))
        self.picture.setToolTip(_tr("{n} values, shape {shape}; blue < 0 < red").format(n=a.size, shape=tuple(a.shape)))
        flat = np.asarray(a, dtype=np.float64).ravel()
        if a.ndim == 1 and flat.size <= 512:  # a vector: its values as bars
            self.values_plot.show()
            self.values_plot.addItem(pg.BarGraphItem(x=np.arange(flat.size), height=flat, width=0.8, brush="#d62728"))
        else:
            self.values_plot.hide()

    def _characters(self) -> list[str] | None:
        """The sample's characters, for a model on character ids whose run saved its vocabulary."""
        if self.graph is None or not self.inspections:
            return None
        inputs = [n for n in self.graph.nodes() if n.type == "input.tokens"]
        if len(inputs) != 1 or inputs[0].name not in self.arrays:
            return None
        vocab = load_vocab(self.inspections[-1].get("file", ""))
        if not vocab:
            return None
        ids = np.asarray(self.arrays[inputs[0].name]).astype(int).ravel()
        return [vocab[i] if 0 <= i < len(vocab) else "?" for i in ids]

    def _picture_clicked(self, event) -> None:
        """On a convolution's feature maps: choose the output position the kernel view works out."""
        node = self._node()
        a = self.arrays.get(node.name) if node is not None else None
        pix = self.picture.pixmap()
        if a is None or a.ndim != 3 or pix is None or pix.isNull():
            return
        rows, cols = grid_shape(min(len(a), MAX_MAPS))
        h, w = a.shape[1:]
        ox = (self.picture.width() - pix.width()) / 2
        oy = (self.picture.height() - pix.height()) / 2
        px = (event.position().x() - ox) / pix.width() * (cols * (w + 1) - 1)
        py = (event.position().y() - oy) / pix.height() * (rows * (h + 1) - 1)
        c = int(py // (h + 1)) * cols + int(px // (w + 1))
        r, q = int(py % (h + 1)), int(px % (w + 1))
        if 0 <= c < min(len(a), MAX_MAPS) and r < h and q < w:
            self.position = (c, r, q)
            self._draw_kernel(node)
            self.tabs.setCurrentIndex(1)

    def kernel_step(self, node=None):
        """The kernel view's arithmetic at the chosen position, or None (not a Conv2D, no data)."""
        node = node or self._node()
        if node is None or node.type != "conv2d" or f"kernel/{node.name}" not in self.arrays:
            return None
        src = self.graph.in_edges(node.id)
        if not src:
            return None
        x = self.arrays.get(self.graph.node(src[0].src).name)
        if x is None or np.ndim(x) != 3:
            return None
        from graph.teaching import conv2d_at  # NumPy: imported with the first inspection, not at start-up

        c, r, q = self.position
        bias = self.arrays.get(f"bias/{node.name}")
        return conv2d_at(x, self.arrays[f"kernel/{node.name}"], bias, node.params, c, r, q)

    def _draw_kernel(self, node) -> None:
        step = self.kernel_step(node)
        if step is None:
            for pic in self.kernel_pictures:
                pic.clear()
            self.formula.setText(_tr("Select a Conv2D layer, then click a point of its feature maps."))
            return
        scale = max(float(np.abs(step.patch).max(initial=0.0)), 1e-9)
        patch = activation_rgb(step.patch) if step.patch.shape[0] > 1 else _diverging(step.patch[0], scale)
        self.kernel_pictures[0].setPixmap(rgb_pixmap(patch, KERNEL_PX, KERNEL_PX))
        self.kernel_pictures[1].setPixmap(rgb_pixmap(activation_rgb(step.kernel), KERNEL_PX, KERNEL_PX))
        self.kernel_pictures[2].setPixmap(rgb_pixmap(activation_rgb(step.products), KERNEL_PX, KERNEL_PX))
        computed = self.arrays.get(node.name)
        got = float(computed[step.channel, step.row, step.col]) if computed is not None else float("nan")
        text = _tr("Output channel {c}, row {r}, column {q}: Σ (patch × kernel) + bias").format(
            c=step.channel, r=step.row, q=step.col
        )
        check = _tr("the layer computed {v:.4g}").format(v=got)
        self.formula.setText(f"{text}<br><tt>{step.formula()}</tt><br>{check}")

    def _draw_gradients(self, node) -> None:
        if not self.inspections:
            self.dead.clear()
            if self._plots is not None:
                self.flow.clear()
                self.hist.clear()
                self.grad_hist.clear()
            return
        self.flow.clear()
        self.hist.clear()
        self.grad_hist.clear()
        names = list(self.inspections[-1].get("grad_norms", {}))
        colors = [pg.intColor(i, hues=max(len(names), 1)) for i in range(len(names))]
        for name, color in zip(names, colors, strict=True):
            ys = [max(float(e.get("grad_norms", {}).get(name) or 0.0), 1e-12) for e in self.inspections]
            xs = [float(e.get("step") or 0) for e in self.inspections]
            width = 3 if node is not None and node.name == name else 1
            self.flow.plot(xs, ys, pen=pg.mkPen(color, width=width), symbol="o", symbolSize=4, name=name)
        last = self.inspections[-1]
        if node is not None and node.name in last.get("weights", {}):
            for key, brush, plot in (
                ("weights", (128, 128, 128, 180), self.hist),
                ("gradients", (214, 39, 40, 180), self.grad_hist),
            ):
                h = last[key][node.name]
                if h["counts"]:
                    edges = np.asarray(h["edges"])
                    centers = (edges[:-1] + edges[1:]) / 2
                    bars = pg.BarGraphItem(x=centers, height=h["counts"], width=float(edges[1] - edges[0]), brush=brush)
                    plot.addItem(bars)
        dead = last.get("dead", {})
        if node is not None and dead.get(node.name) is not None:
            self.dead.setText(_tr("Dead units (0 for every sample of the batch): {p:.0%}").format(p=dead[node.name]))
        else:
            shown = ", ".join(f"{k} {v:.0%}" for k, v in dead.items() if v is not None)
            self.dead.setText(_tr("Dead ReLU units: {list}").format(list=shown) if shown else "")


def text_heatmap(a: np.ndarray, chars: list[str], width: int, height: int = 260) -> QPixmap:
    """A recurrent layer's (steps, units) output as units × steps, with each step's character under it."""
    from PySide6.QtGui import QColor, QFont, QPainter

    rgb = _diverging(np.asarray(a, dtype=np.float64).T, float(np.abs(a).max(initial=0.0)) or 1.0)
    steps, units = len(chars), rgb.shape[0]
    cell = max(6, min(18, width // max(steps, 1)))
    row = min(12.0, max(0.5, (height - 20) / max(units, 1)))  # the characters' line always fits under it
    grid_h = max(1, round(row * units))
    pix = QPixmap(cell * steps, grid_h + 18)
    pix.fill(QColor("white"))
    painter = QPainter(pix)
    image = QImage(np.ascontiguousarray(rgb).data, steps, units, 3 * steps, QImage.Format.Format_RGB888)
    painter.drawImage(QRectF(0, 0, cell * steps, grid_h), image)
    font = QFont("monospace")
    font.setPixelSize(max(8, min(13, cell)))
    painter.setFont(font)
    painter.setPen(QColor("black"))
    for i, ch in enumerate(chars):
        shown = {"\n": "⏎", " ": "·", "\t": "⇥"}.get(ch, ch)
        painter.drawText(QRectF(i * cell, grid_h + 1, cell, 16), Qt.AlignmentFlag.AlignCenter, shown)
    painter.end()
    return pix


def load_vocab(inspect_file: str) -> list[str] | None:
    """The run's character vocabulary (vocab.json beside the inspect folder), or None."""
    import json
    from pathlib import Path

    try:
        path = Path(inspect_file).parent.parent / "vocab.json"
        vocab = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return [str(v) for v in vocab] if isinstance(vocab, list) else None


def load_arrays(path: str) -> dict[str, np.ndarray]:
    """An inspection file's arrays (NPZ read without pickle); {} when it cannot be read."""
    try:
        with np.load(path, allow_pickle=False) as data:
            return {k: np.asarray(data[k]) for k in data.files}
    except (OSError, ValueError):
        return {}


__all__ = ["InsideView", "activation_rgb", "load_arrays", "thumbnail"]
