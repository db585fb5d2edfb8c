"""Small views of the training dock: dataset preview, decision boundary, a GAN's generated samples,
results (metrics, confusion matrix, misclassified samples, generated text)."""

from __future__ import annotations

import re

from PySide6.QtCore import QEvent, QRectF, Qt, Signal
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

from app.i18n import diag, ui_language
from app.training.lazy import np, pg
from app.training.plots import plot_colors, style_plot
from app.training.preview import Preview, synthetic_points
from graph.glossary import choice_label

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
        self._scatter: tuple | None = None  # (plot widget, scatter item), made for the first 2-D data set
        self.text = QPlainTextEdit(readOnly=True)
        self.counts = QLabel()
        self.counts.setWordWrap(True)
        lay = QVBoxLayout(self)
        for w in (self.summary, self.gallery, self.table, self.text, self.counts):
            lay.addWidget(w)
        self.preview: Preview | None = None
        self.show_preview(Preview("digits"))

    @property
    def scatter_plot(self) -> pg.PlotWidget:
        return self._scatter_items()[0]

    @property
    def scatter(self) -> pg.ScatterPlotItem:
        return self._scatter_items()[1]

    def _scatter_items(self) -> tuple:
        """The points' plot, made when first needed (pyqtgraph is imported then), above the text view."""
        if self._scatter is None:
            plot = pg.PlotWidget()
            scatter = pg.ScatterPlotItem(size=4, pen=None)
            plot.addItem(scatter)
            plot.setAspectLocked(True)
            plot.hide()
            self.layout().insertWidget(self.layout().indexOf(self.text), plot)
            self._scatter = (plot, scatter)
            _themed(plot, self)
        return self._scatter

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            if self._scatter is not None:
                _themed(self._scatter[0], self)
        elif event.type() == QEvent.Type.LanguageChange and self.preview is not None:
            self.show_preview(self.preview)

    def show_preview(self, preview: Preview) -> None:
        self.preview = preview
        for w in (self.gallery, self.table, self.text):
            w.hide()
        if self._scatter is not None:
            self._scatter[0].hide()
        kind = choice_label(preview.kind, ui_language())
        self.summary.setText(f"<b>{kind}</b> — " + (diag(preview.error) or _tr_numbers(self, preview.summary)))
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
        text = self.tr("Class counts: %1").replace("%1", ", ".join(f"{k}: {v}" for k, v in counts.items()))
        self.counts.setText(text if counts else "")

    def _fill_table(self, header: list[str], rows: list[list[str]]) -> None:
        self.table.clear()
        self.table.setColumnCount(len(header))
        self.table.setRowCount(len(rows))
        self.table.setHorizontalHeaderLabels(header)
        for r, row in enumerate(rows):
            for c, value in enumerate(row[: len(header)]):
                self.table.setItem(r, c, QTableWidgetItem(str(value)))


def _tr_numbers(widget: QWidget, text: str) -> str:
    """``text`` translated with its numbers as %1, %2 … ("1797 images, 8×8, 10 classes"); else unchanged."""
    numbers = re.findall(r"\d+", text or "")
    template = re.sub(r"\d+", lambda m, c=iter(range(1, 99)): f"%{next(c)}", text or "")
    translated = widget.tr(template)
    if not text or translated == template:
        return text
    for i in range(len(numbers), 0, -1):  # %10 before %1
        translated = translated.replace(f"%{i}", numbers[i - 1])
    return translated


def _brushes(labels, n: int) -> list:
    if labels is None:
        return [pg.mkBrush(*POINT_COLORS[0], 160)] * n
    palette = [pg.mkBrush(*c, 170) for c in POINT_COLORS]
    return [palette[int(v) % len(palette)] for v in np.asarray(labels).reshape(-1)[:n]]


class BoundaryView(QWidget):
    """A 2-D data set's points over the model's decision map, updated live from ``boundary`` events."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.label = QLabel()
        self.label.setWordWrap(True)
        lay = QVBoxLayout(self)
        lay.addWidget(self.label)
        self._items: tuple | None = None  # (plot, image, scatter): made when first shown or drawn on
        self.shown_epoch = None
        self._points_key = None
        self._show_label()

    @property
    def plot(self) -> pg.PlotWidget:
        return self._plot_items()[0]

    @property
    def image(self) -> pg.ImageItem:
        return self._plot_items()[1]

    @property
    def scatter(self) -> pg.ScatterPlotItem:
        return self._plot_items()[2]

    def _plot_items(self) -> tuple:
        """The plot with the decision map and the points (pyqtgraph is imported when it is first needed)."""
        if self._items is None:
            plot = pg.PlotWidget()
            plot.setAspectLocked(True)
            image = pg.ImageItem()
            plot.addItem(image)
            scatter = pg.ScatterPlotItem(size=4, pen=pg.mkPen("k", width=0.3))
            plot.addItem(scatter)
            self.layout().addWidget(plot)
            self._items = (plot, image, scatter)
            _themed(plot, self)
        return self._items

    def showEvent(self, event) -> None:
        self._plot_items()
        super().showEvent(event)

    def _show_label(self) -> None:
        if self.shown_epoch is None:
            self.label.setText(
                self.tr(
                    "The decision boundary appears here while a 2-D data set trains "
                    "(needs the script's boundary events)."
                )
            )
        else:
            self.label.setText(self.tr("Decision map after epoch %1").replace("%1", str(self.shown_epoch)))

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:  # light ↔ dark theme
            if self._items is not None:
                _themed(self._items[0], self)
        elif event.type() == QEvent.Type.LanguageChange:
            self._show_label()

    def clear(self) -> None:
        """Nothing shown (another project was opened)."""
        if self._items is not None:  # a plot not made yet shows nothing already
            self.image.clear()
            self.scatter.clear()
        self.shown_epoch, self._points_key = None, None
        self._show_label()

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
        self._show_label()


def _themed(plot: pg.PlotWidget, owner: QWidget) -> None:
    """A PlotWidget's background, axes and title in its owner's palette (dark in the dark theme); the
    owner's, because the owner hears of a palette change before its children have the new palette."""
    background, foreground = plot_colors(owner)
    plot.setBackground(background)
    style_plot(plot.getPlotItem(), background, foreground)


def _class_tints(classes: int) -> pg.ColorMap:
    """Light tints of the point colours, one flat band per class (TensorFlow-Playground style)."""
    tints = [tuple(int(255 - 0.35 * (255 - c)) for c in POINT_COLORS[i % len(POINT_COLORS)]) for i in range(classes)]
    positions = np.linspace(0.0, 1.0, classes)
    return pg.ColorMap(positions, tints, mapping=pg.ColorMap.CLIP)


class SamplesView(QWidget):
    """A GAN's latest ``samples`` event: its generated images in a grid, or its generated 2-D points
    over the real ones; the colours follow the theme like the curves'."""

    GAP = 1  # pixels between the images of the grid (the background shows through)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.label = QLabel()
        self.label.setWordWrap(True)
        lay = QVBoxLayout(self)
        lay.addWidget(self.label)
        self._plot: dict | None = None  # the pyqtgraph items, made when first shown or drawn on
        self.kind: str | None = None  # "images" | "points" | None (nothing shown)
        self.image_count = 0
        self.shown: tuple | None = None  # (epoch, step) of the event shown
        self.clear()

    def _items(self) -> dict:
        """The plot and its items (pyqtgraph is imported when they are first needed), cleared."""
        if self._plot is None:
            layout_widget = pg.GraphicsLayoutWidget()
            plot = layout_widget.addPlot()
            plot.setAspectLocked(True)
            plot.setMenuEnabled(False)
            plot.hideButtons()
            image = pg.ImageItem(axisOrder="row-major")
            plot.addItem(image)
            legend = plot.addLegend(offset=(-5, 5))
            real = pg.ScatterPlotItem(size=4, pen=None, brush=pg.mkBrush(128, 128, 128, 110))
            generated = pg.ScatterPlotItem(size=5, pen=None, brush=pg.mkBrush(*POINT_COLORS[1], 200))
            for item in (real, generated):
                plot.addItem(item)
            self.layout().addWidget(layout_widget, 1)
            self._plot = dict(layout_widget=layout_widget, plot=plot, image=image, legend=legend)
            self._plot.update(real=real, generated=generated)
            self._clear_plot()
        return self._plot

    layout_widget = property(lambda self: self._items()["layout_widget"])
    plot = property(lambda self: self._items()["plot"])
    image = property(lambda self: self._items()["image"])
    legend = property(lambda self: self._items()["legend"])
    real = property(lambda self: self._items()["real"])
    generated = property(lambda self: self._items()["generated"])

    def showEvent(self, event) -> None:
        self._items()
        super().showEvent(event)

    def apply_palette(self) -> None:
        if self._plot is None:  # drawn in the current palette when it is made
            return
        background, foreground = plot_colors(self)
        self.layout_widget.setBackground(background)
        style_plot(self.plot, background, foreground)
        self.legend.setLabelTextColor(foreground)
        for _sample, label in self.legend.items:
            label.setText(label.text, color=foreground.name())

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.PaletteChange:  # light ↔ dark theme
            self.apply_palette()
        elif event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _retranslate(self) -> None:
        if self.kind is None:
            self.label.setText(self.tr("A GAN's generated samples appear here after each epoch while it trains."))
            return
        if self._title == "":
            self.plot.setTitle(self.tr("Generated samples"))
        elif self._title is not None:
            self.plot.setTitle(self.tr("Generated samples after epoch %1").replace("%1", str(self._title)))
        for sample, label in self.legend.items:
            if sample.item is self.real:
                label.setText(self.tr("real"))
            elif sample.item is self.generated:
                label.setText(self.tr("generated"))
        self.apply_palette()

    def clear(self) -> None:
        """Nothing shown (a new run, another project)."""
        self.kind, self.image_count, self.shown = None, 0, None
        self.label.setText(self.tr("A GAN's generated samples appear here after each epoch while it trains."))
        self.label.show()
        self._title = None
        if self._plot is not None:  # a plot not made yet shows nothing already
            self._clear_plot()

    def _clear_plot(self) -> None:
        self.image.clear()
        self.real.clear()
        self.generated.clear()
        self.legend.clear()
        self.plot.titleLabel.setText("")  # (style_plot redraws a title that has text)
        self.plot.setTitle(None)
        self._axes(False)
        self.apply_palette()

    def _axes(self, on: bool) -> None:
        for name in ("left", "bottom"):
            self.plot.showAxis(name, on)
        self.plot.showGrid(x=on, y=on, alpha=0.2)
        self.plot.invertY(not on)  # an image's first row on top

    def show_samples(self, event: dict | None) -> bool:
        """Show one ``samples`` event (``images``: a list of H×W arrays 0–1; ``points``: generated and
        ``real`` [x, y] lists); True when it was drawn (a malformed or already shown event is not)."""
        if not event:
            return False
        key = (event.get("epoch"), event.get("step"))
        if key == self.shown and self.kind is not None:
            return False
        kind = event.get("kind") or ("images" if "images" in event else "points")
        try:
            drawn = self._show_images(event["images"]) if kind == "images" else self._show_points(event)
        except (KeyError, ValueError, TypeError):
            return False
        if not drawn:
            return False
        self.shown = key
        epoch = event.get("epoch")
        if epoch is None:
            title = self.tr("Generated samples")
        else:
            title = self.tr("Generated samples after epoch %1").replace("%1", str(epoch))
        self.plot.setTitle(title)
        self._title = epoch if epoch is not None else ""
        self.label.hide()
        self.apply_palette()
        return True

    def _show_images(self, images) -> bool:
        arr = np.asarray(images, dtype="float32")
        if arr.ndim == 4 and arr.shape[1] in (1, 3) and arr.shape[-1] not in (1, 3):  # (n, c, h, w)
            arr = np.moveaxis(arr, 1, -1)
        if arr.ndim == 4 and arr.shape[-1] == 1:  # (n, h, w, 1): one channel
            arr = arr[..., 0]
        if arr.ndim == 2:  # one image
            arr = arr[None]
        if arr.ndim not in (3, 4) or (arr.ndim == 4 and arr.shape[-1] != 3) or not arr.size:
            return False
        self.image.setImage(image_grid(arr, self.GAP), autoLevels=False)
        self.real.clear()
        self.generated.clear()
        self.legend.clear()
        self.kind, self.image_count = "images", len(arr)
        self._axes(False)
        self.plot.autoRange(padding=0.02)
        return True

    def _show_points(self, event: dict) -> bool:
        fake = _points(event.get("points"))
        if fake is None:
            return False
        real = _points(event.get("real"))
        self.image.clear()
        self.legend.clear()
        self.real.setData(pos=real if real is not None else np.zeros((0, 2)))
        self.generated.setData(pos=fake)
        if real is not None:
            self.legend.addItem(self.real, self.tr("real"))
        self.legend.addItem(self.generated, self.tr("generated"))
        self.kind, self.image_count = "points", 0
        self._axes(True)
        self.plot.autoRange(padding=0.05)
        return True


def _points(value) -> np.ndarray | None:
    """An (n, 2) float array of the finite [x, y] pairs in ``value``, or None when there are none."""
    if value is None:
        return None
    arr = np.asarray(value, dtype="float64")
    if arr.ndim != 2 or arr.shape[1] < 2 or not len(arr):
        return None
    arr = arr[:, :2]
    arr = arr[np.isfinite(arr).all(axis=1)]
    return arr if len(arr) else None


def image_grid(images: np.ndarray, gap: int = 1) -> np.ndarray:
    """(n, h, w) grey or (n, h, w, 3) RGB images 0–1 as one RGBA uint8 grid (row-major), about square
    (16 images: 4×4), the gaps between them transparent."""
    n, h, w = images.shape[:3]
    cols = int(np.ceil(np.sqrt(n)))
    rows = int(np.ceil(n / cols))
    grid = np.zeros((rows * (h + gap) - gap, cols * (w + gap) - gap, 4), dtype="uint8")
    pixels = (np.clip(np.nan_to_num(images), 0.0, 1.0) * 255).astype("uint8")
    for i in range(n):
        r, c = divmod(i, cols)
        y, x = r * (h + gap), c * (w + gap)
        grid[y : y + h, x : x + w, :3] = pixels[i][..., None] if pixels.ndim == 3 else pixels[i]
        grid[y : y + h, x : x + w, 3] = 255
    return grid


class ResultsView(QWidget):
    """After training: test metrics, confusion matrix, misclassified samples, generated text."""

    generate_requested = Signal(str, float, int)  # prompt, temperature, length

    def __init__(self, parent=None):
        super().__init__(parent)
        self.metrics = QLabel()
        self.metrics.setWordWrap(True)
        self.metrics.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.confusion = QTableWidget()
        self.confusion_label = QLabel()
        self.gallery = Gallery()
        self.gallery_label = QLabel()
        self._metrics: tuple | None = None  # (metrics, message) shown, for a language change
        self.text_box = QWidget()
        self.generated = QPlainTextEdit(readOnly=True)
        self.prompt = QLineEdit()
        self.temperature = QDoubleSpinBox(minimum=0.05, maximum=5.0, singleStep=0.1, value=0.8)
        self.length = QSpinBox(minimum=10, maximum=5000, value=300)
        self.generate_button = QPushButton()
        self.generate_button.clicked.connect(self._on_generate_clicked)
        self._build()
        self.clear()

    def _build(self) -> None:
        form = QFormLayout()
        self.prompt_label, self.temperature_label, self.length_label = QLabel(), QLabel(), QLabel()
        form.addRow(self.prompt_label, self.prompt)
        row = QHBoxLayout()
        for label, w in ((self.temperature_label, self.temperature), (self.length_label, self.length)):
            row.addWidget(label)
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
        self.retranslate()

    def retranslate(self) -> None:
        self.confusion_label.setText(self.tr("Confusion matrix (rows: true class, columns: predicted)"))
        self.gallery_label.setText(self.tr("Misclassified test samples (true → predicted)"))
        self.generate_button.setText(self.tr("Generate"))
        self.prompt_label.setText(self.tr("Prompt"))
        self.temperature_label.setText(self.tr("Temperature"))
        self.length_label.setText(self.tr("Characters"))
        if self._metrics is None:
            self.metrics.setText(self.tr("Train a model to see its test metrics."))
        else:
            self.show_metrics(*self._metrics)

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()

    def clear(self) -> None:
        self._metrics = None
        self.metrics.setText(self.tr("Train a model to see its test metrics."))
        for w in (self.confusion_label, self.confusion, self.gallery_label, self.gallery):
            w.hide()

    def set_text_mode(self, on: bool) -> None:
        self.text_box.setVisible(on)

    def show_metrics(self, metrics: dict, message: str = "") -> None:
        self._metrics = (metrics, message)
        rows = [
            (self._metric_name(k), _fmt(v))
            for k, v in metrics.items()
            if (k.startswith("test_") and v is not None) or k == "weights"
        ]
        for key, name in (("d_loss", self.tr("discriminator loss")), ("g_loss", self.tr("generator loss"))):
            if isinstance(metrics.get(key), int | float):  # a GAN's last losses
                rows.append((name, _fmt(float(metrics[key]))))
        if metrics.get("stopped") is True:
            rows.append((self.tr("stopped"), self.tr("early, by request")))
        body = "".join(f"<tr><td>{k}</td><td><b>{v}</b></td></tr>" for k, v in rows)
        self.metrics.setText((f"<p>{message}</p>" if message else "") + f"<table>{body}</table>")

    def _metric_name(self, key: str) -> str:
        names = {
            "test_accuracy": self.tr("test accuracy"),
            "test_loss": self.tr("test loss"),
            "weights": self.tr("weights"),
            "test_mae": self.tr("test MAE"),
            "test_mse": self.tr("test MSE"),
            "test_perplexity": self.tr("test perplexity"),
        }
        return names.get(key, key.replace("_", " "))

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
