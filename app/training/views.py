"""Small views of the training dock: dataset preview, decision boundary, results (metrics, confusion
matrix, misclassified samples, generated text)."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QColor, QImage, QPixmap
from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.training.preview import Preview, synthetic_points

POINT_COLORS = [(31, 119, 180), (255, 127, 14), (44, 160, 44), (214, 39, 40), (148, 103, 189), (140, 86, 75)]


def array_pixmap(image: np.ndarray, size: int = 48) -> QPixmap:
    """A grayscale (h, w) or RGB (h, w, 3) array with values 0–1 as a pixmap ``size`` pixels wide."""
    arr = np.ascontiguousarray(np.clip(np.asarray(image, dtype="float32"), 0, 1) * 255).astype("uint8")
    h, w = arr.shape[:2]
    if arr.ndim == 3:
        qimg = QImage(arr.data, w, h, 3 * w, QImage.Format.Format_RGB888).copy()
    else:
        qimg = QImage(arr.data, w, h, w, QImage.Format.Format_Grayscale8).copy()
    return QPixmap.fromImage(qimg).scaledToWidth(size, Qt.TransformationMode.FastTransformation)


def _tile(pixmap: QPixmap, caption: str) -> QWidget:
    box = QWidget()
    lay = QVBoxLayout(box)
    lay.setContentsMargins(2, 2, 2, 2)
    img = QLabel()
    img.setPixmap(pixmap)
    lay.addWidget(img, alignment=Qt.AlignmentFlag.AlignCenter)
    lay.addWidget(QLabel(caption), alignment=Qt.AlignmentFlag.AlignCenter)
    return box


class Gallery(QScrollArea):
    """A grid of captioned images."""

    def __init__(self, columns: int = 8, parent=None):
        super().__init__(parent)
        self.columns = columns
        self.setWidgetResizable(True)
        self.count = 0
        self.set_items([])

    def set_items(self, items: list[tuple[QPixmap, str]]) -> None:
        inner = QWidget()
        grid = QGridLayout(inner)
        for i, (pixmap, caption) in enumerate(items):
            grid.addWidget(_tile(pixmap, caption), i // self.columns, i % self.columns)
        self.setWidget(inner)
        self.count = len(items)


class DatasetPreviewWidget(QWidget):
    """What the chosen dataset looks like: images, rows, points or text, and the class counts."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.gallery = Gallery()
        self.table = QTableWidget()
        self.scatter_plot = pg.PlotWidget(background="w")
        self.scatter = pg.ScatterPlotItem(size=4, pen=None)
        self.scatter_plot.addItem(self.scatter)
        self.scatter_plot.setAspectLocked(True)
        self.text = QPlainTextEdit(readOnly=True)
        self.counts = QLabel()
        self.counts.setWordWrap(True)
        lay = QVBoxLayout(self)
        for w in (self.summary, self.gallery, self.table, self.scatter_plot, self.text, self.counts):
            lay.addWidget(w)
        self.preview: Preview | None = None
        self.show_preview(Preview("digits"))

    def show_preview(self, preview: Preview) -> None:
        self.preview = preview
        for w in (self.gallery, self.table, self.scatter_plot, self.text):
            w.hide()
        self.summary.setText(f"<b>{preview.kind}</b> — " + (preview.error or preview.summary))
        if preview.images is not None:
            labels = preview.image_labels or [""] * len(preview.images)
            self.gallery.set_items(
                [(array_pixmap(im), str(lb)) for im, lb in zip(preview.images, labels, strict=False)]
            )
            self.gallery.show()
        elif preview.kind == "image_folder" and preview.rows:
            items = [
                (QPixmap(path).scaled(48, 48, Qt.AspectRatioMode.KeepAspectRatio), label)
                for path, label in preview.rows
            ]
            self.gallery.set_items(items)
            self.gallery.show()
        elif preview.points is not None:
            self.scatter.setData(pos=preview.points, brush=_brushes(preview.point_labels, len(preview.points)))
            self.scatter_plot.show()
        elif preview.rows:
            self._fill_table(preview.header, preview.rows)
            self.table.show()
        elif preview.text:
            self.text.setPlainText(preview.text)
            self.text.show()
        counts = preview.class_counts
        self.counts.setText(("Class counts: " + ", ".join(f"{k}: {v}" for k, v in counts.items())) if counts else "")

    def _fill_table(self, header: list[str], rows: list[list[str]]) -> None:
        self.table.clear()
        self.table.setColumnCount(len(header))
        self.table.setRowCount(len(rows))
        self.table.setHorizontalHeaderLabels(header)
        for r, row in enumerate(rows):
            for c, value in enumerate(row[: len(header)]):
                self.table.setItem(r, c, QTableWidgetItem(str(value)))


def _brushes(labels, n: int) -> list:
    if labels is None:
        return [pg.mkBrush(*POINT_COLORS[0], 160)] * n
    palette = [pg.mkBrush(*c, 170) for c in POINT_COLORS]
    return [palette[int(v) % len(palette)] for v in np.asarray(labels).reshape(-1)[:n]]


class BoundaryView(QWidget):
    """A 2-D data set's points over the model's decision map, updated live from ``boundary`` events."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.plot = pg.PlotWidget(background="w")
        self.plot.setAspectLocked(True)
        self.image = pg.ImageItem()
        self.plot.addItem(self.image)
        self.scatter = pg.ScatterPlotItem(size=4, pen=pg.mkPen("k", width=0.3))
        self.plot.addItem(self.scatter)
        self.label = QLabel(
            "The decision boundary appears here while a 2-D data set trains (needs the script's boundary events)."
        )
        self.label.setWordWrap(True)
        lay = QVBoxLayout(self)
        lay.addWidget(self.label)
        lay.addWidget(self.plot)
        self.shown_epoch = None
        self._points_key = None

    def clear(self) -> None:
        """Nothing shown (another project was opened)."""
        self.image.clear()
        self.scatter.clear()
        self.shown_epoch, self._points_key = None, None
        self.label.setText(
            "The decision boundary appears here while a 2-D data set trains (needs the script's boundary events)."
        )

    def set_points(self, setup: dict) -> None:
        """Draw the training points (generated exactly as the script does)."""
        key = tuple(setup.get(k) for k in ("dataset", "samples", "noise", "seed"))
        if key == self._points_key:
            return
        self._points_key = key
        try:
            x, y = synthetic_points(setup["dataset"], int(setup["samples"]), float(setup["noise"]), int(setup["seed"]))
        except (KeyError, ValueError):
            self.scatter.clear()
            return
        self.scatter.setData(pos=x, brush=_brushes(y, len(x)))

    def show_boundary(self, event: dict | None) -> None:
        """Show one ``boundary`` event: x_range, y_range, shape [ny, nx] and values (row-major)."""
        if not event or event.get("epoch") == self.shown_epoch and event.get("step") is None:
            return
        try:
            ny, nx = (int(v) for v in event["shape"])
            values = np.asarray(event["values"], dtype="float32").reshape(ny, nx)
            (x0, x1), (y0, y1) = event["x_range"], event["y_range"]
        except (KeyError, ValueError, TypeError):
            return
        classes = int(event.get("classes") or max(int(values.max()) + 1, 2))
        self.image.setColorMap(_class_tints(classes))
        self.image.setImage(values.T, levels=(0.0, float(classes - 1)), autoLevels=False)
        self.image.setRect(QRectF(float(x0), float(y0), float(x1) - float(x0), float(y1) - float(y0)))
        self.shown_epoch = event.get("epoch")
        self.label.setText(f"Decision map after epoch {self.shown_epoch}")


def _class_tints(classes: int) -> pg.ColorMap:
    """Light tints of the point colours, one flat band per class (TensorFlow-Playground style)."""
    tints = [tuple(int(255 - 0.35 * (255 - c)) for c in POINT_COLORS[i % len(POINT_COLORS)]) for i in range(classes)]
    positions = np.linspace(0.0, 1.0, classes)
    return pg.ColorMap(positions, tints, mapping=pg.ColorMap.CLIP)


class ResultsView(QWidget):
    """After training: test metrics, confusion matrix, misclassified samples, generated text."""

    generate_requested = Signal(str, float, int)  # prompt, temperature, length

    def __init__(self, parent=None):
        super().__init__(parent)
        self.metrics = QLabel("Train a model to see its test metrics.")
        self.metrics.setWordWrap(True)
        self.metrics.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.confusion = QTableWidget()
        self.confusion_label = QLabel("Confusion matrix (rows: true class, columns: predicted)")
        self.gallery = Gallery()
        self.gallery_label = QLabel("Misclassified test samples (true → predicted)")
        self.text_box = QWidget()
        self.generated = QPlainTextEdit(readOnly=True)
        self.prompt = QLineEdit()
        self.temperature = QDoubleSpinBox(minimum=0.05, maximum=5.0, singleStep=0.1, value=0.8)
        self.length = QSpinBox(minimum=10, maximum=5000, value=300)
        self.generate_button = QPushButton("Generate")
        self.generate_button.clicked.connect(self._on_generate_clicked)
        self._build()
        self.clear()

    def _build(self) -> None:
        form = QFormLayout()
        form.addRow("Prompt", self.prompt)
        row = QHBoxLayout()
        for label, w in (("Temperature", self.temperature), ("Characters", self.length)):
            row.addWidget(QLabel(label))
            row.addWidget(w)
        row.addWidget(self.generate_button)
        text_lay = QVBoxLayout(self.text_box)
        text_lay.setContentsMargins(0, 0, 0, 0)
        text_lay.addLayout(form)
        text_lay.addLayout(row)
        text_lay.addWidget(self.generated)
        lay = QVBoxLayout(self)
        for w in (self.metrics, self.confusion_label, self.confusion, self.gallery_label, self.gallery, self.text_box):
            lay.addWidget(w)

    def clear(self) -> None:
        self.metrics.setText("Train a model to see its test metrics.")
        for w in (self.confusion_label, self.confusion, self.gallery_label, self.gallery):
            w.hide()

    def set_text_mode(self, on: bool) -> None:
        self.text_box.setVisible(on)

    def show_metrics(self, metrics: dict, message: str = "") -> None:
        rows = [
            (k.replace("_", " "), _fmt(v))
            for k, v in metrics.items()
            if (k.startswith("test_") and v is not None) or k == "weights"
        ]
        if metrics.get("stopped") is True:
            rows.append(("stopped", "early, by request"))
        body = "".join(f"<tr><td>{k}</td><td><b>{v}</b></td></tr>" for k, v in rows)
        self.metrics.setText((f"<p>{message}</p>" if message else "") + f"<table>{body}</table>")

    def show_confusion(self, matrix, classes=None) -> None:
        m = np.asarray(matrix, dtype="int64")
        if m.ndim != 2 or m.shape[0] != m.shape[1]:
            return
        n = m.shape[0]
        names = [str(c) for c in (classes or range(n))]
        self.confusion.clear()
        self.confusion.setRowCount(n)
        self.confusion.setColumnCount(n)
        self.confusion.setHorizontalHeaderLabels(names)
        self.confusion.setVerticalHeaderLabels(names)
        top = max(int(m.max()), 1)
        for r in range(n):
            for c in range(n):
                item = QTableWidgetItem(str(int(m[r, c])))
                shade = int(255 - 160 * m[r, c] / top)
                item.setBackground(QColor(shade, shade, 255) if r == c else QColor(255, shade, shade))
                item.setForeground(QColor(20, 20, 20))  # dark text on the light cells, in both themes
                self.confusion.setItem(r, c, item)
        self.confusion.resizeColumnsToContents()
        self.confusion_label.show()
        self.confusion.show()

    def show_misclassified(self, samples: list[dict], images: np.ndarray | None) -> None:
        """``samples``: [{index, label, predicted}] (index into the test split); images: that split."""
        items = []
        for s in samples[:48]:
            img = np.asarray(s["x"], dtype="float32") if "x" in s else None
            if img is None and images is not None and 0 <= int(s.get("index", -1)) < len(images):
                img = images[int(s["index"])]
            if img is not None and img.ndim >= 2:
                items.append((array_pixmap(img), f"{s.get('label')} → {s.get('predicted')}"))
        self.gallery.set_items(items)
        self.gallery_label.setVisible(bool(items))
        self.gallery.setVisible(bool(items))

    def show_text(self, text: str) -> None:
        self.generated.setPlainText(text)

    def _on_generate_clicked(self) -> None:
        self.generate_requested.emit(self.prompt.text(), self.temperature.value(), self.length.value())


def _fmt(value) -> str:
    if isinstance(value, float):
        return f"{value:.4f}"
    return str(value)


def split_test_images(setup: dict) -> np.ndarray | None:
    """The test split's images as (n, h, w), rebuilt with the script's seeded split (digits, MNIST)."""
    from app.training.preview import DIGITS, MNIST_CACHE

    kind = setup.get("dataset")
    try:
        if kind == "digits":
            with np.load(setup.get("dataset_path") or DIGITS, allow_pickle=False) as data:
                x = data["x"].reshape(-1, 8, 8) / 16.0
            order = np.random.default_rng(int(setup.get("seed", 0))).permutation(len(x))
            n_test = int(round(len(x) * float(setup.get("test_split", 0.2))))
            return x[order][:n_test]
        if kind == "mnist":
            with np.load(setup.get("dataset_path") or MNIST_CACHE, allow_pickle=False) as data:
                return data["x_test"] / 255.0
    except (OSError, ValueError, KeyError):
        return None
    return None
