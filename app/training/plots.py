"""Live training curves with pyqtgraph: curves created once, data set from a GUI timer.

The dock appends points to a RunRecord's NumPy buffers as events arrive; ``refresh()`` (called by
a ~10 Hz QTimer) hands array views to ``setData``. Long series use peak downsampling and clip to
view, so drawing cost stays flat however long a run is (pyqtgraph's own examples).

The plots are made right after the window's first frame (or at once when something needs them):
importing pyqtgraph is the largest part of the editor's start-up."""

from __future__ import annotations

import math

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QEvent, QTimer
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QGraphicsItem, QVBoxLayout, QWidget

from app.training.history import RunRecord
from app.training.lazy import np, pg

COLORS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf"]

# (plot key, title, left label, x axis: "batches" | "epochs"); texts are translated where they are shown.
PLOTS = (
    (
        "batch_loss",
        QT_TRANSLATE_NOOP("LivePlots", "Training loss per batch"),
        QT_TRANSLATE_NOOP("LivePlots", "loss"),
        "batches",
    ),
    ("loss", QT_TRANSLATE_NOOP("LivePlots", "Loss per epoch"), QT_TRANSLATE_NOOP("LivePlots", "loss"), "epochs"),
    (
        "accuracy",
        QT_TRANSLATE_NOOP("LivePlots", "Accuracy per epoch"),
        QT_TRANSLATE_NOOP("LivePlots", "accuracy"),
        "epochs",
    ),
    ("lr", QT_TRANSLATE_NOOP("LivePlots", "Learning rate"), QT_TRANSLATE_NOOP("LivePlots", "lr"), "batches"),
    ("speed", QT_TRANSLATE_NOOP("LivePlots", "Throughput"), QT_TRANSLATE_NOOP("LivePlots", "samples/s"), "batches"),
)
AXIS_WORDS = (QT_TRANSLATE_NOOP("LivePlots", "step"), QT_TRANSLATE_NOOP("LivePlots", "epoch"))
CURVE_WORDS = tuple(
    QT_TRANSLATE_NOOP("LivePlots", w) for w in ("raw", "smoothed", "train", "validation", "lr", "samples/s")
)


def _tr(text: str) -> str:
    return QCoreApplication.translate("LivePlots", text)


PLOT_AXES = {key: xaxis for key, _, _, xaxis in PLOTS}
# (curve key, plot key, series, x column, y column, name, width, alpha)
CURVES = (
    ("raw", "batch_loss", "batches", "step", "loss", "raw", 1, 90),
    ("smoothed", "batch_loss", "batches", "step", "smoothed", "smoothed", 2, 255),
    ("train_loss", "loss", "epochs", "epoch", "loss", "train", 2, 255),
    ("val_loss", "loss", "epochs", "epoch", "val_loss", "validation", 2, 255),
    ("train_acc", "accuracy", "epochs", "epoch", "accuracy", "train", 2, 255),
    ("val_acc", "accuracy", "epochs", "epoch", "val_accuracy", "validation", 2, 255),
    ("lr", "lr", "batches", "step", "lr", "lr", 2, 255),
    ("speed", "speed", "batches", "step", "samples_per_s", "samples/s", 2, 255),
    # A GAN's two losses, shown instead of the summed loss (and its validation, which a GAN has not).
    ("d_raw", "batch_loss", "batches", "step", "d_loss", "", 1, 90),
    ("d_smoothed", "batch_loss", "batches", "step", "d_smoothed", "discriminator", 2, 255),
    ("g_raw", "batch_loss", "batches", "step", "g_loss", "", 1, 90),
    ("g_smoothed", "batch_loss", "batches", "step", "g_smoothed", "generator", 2, 255),
    ("d_loss", "loss", "epochs", "epoch", "d_loss", "discriminator", 2, 255),
    ("g_loss", "loss", "epochs", "epoch", "g_loss", "generator", 2, 255),
)
GAN_ONLY = {"d_raw", "d_smoothed", "g_raw", "g_smoothed", "d_loss", "g_loss"}
NOT_GAN = {"raw", "smoothed", "train_loss", "val_loss", "val_acc"}
CURVE_COLORS = {"d": COLORS[0], "g": COLORS[1]}  # discriminator blue, generator orange
# Overlaid runs show the curves that compare best: smoothed batch loss, validation loss and accuracy.
OVERLAY = ("smoothed", "val_loss", "val_acc", "train_loss", "train_acc")
# Where each plot's legend goes, (x, y) offsets as pyqtgraph takes them (negative: from the right or the
# bottom), chosen where that plot's curves seldom are: a loss falls away from the top right, an accuracy
# rises away from the bottom right. One-curve plots (learning rate, throughput) need no legend: the axis
# title names the curve.
LEGEND_OFFSETS = {"batch_loss": (-5, 5), "loss": (-5, 5), "accuracy": (-5, -5)}
RANGE_CHANGES_PER_FRAME = 1  # axis redraws are the costly part of a frame: spread them over frames
LEFT_AXIS_WIDTH = 64  # pixels for tick labels and the rotated axis title ("0.0005", "30000")


def plot_colors(widget) -> tuple:
    """(background, foreground) for plots from the widget's palette: white and black in the light theme."""
    palette = widget.palette()
    return palette.color(QPalette.ColorRole.Base), palette.color(QPalette.ColorRole.Text)


def style_plot(plot: pg.PlotItem, background, foreground) -> None:
    """Axes, tick labels and title in the foreground colour (the background is the view's)."""
    for name in ("left", "bottom"):
        axis = plot.getAxis(name)
        axis.setPen(foreground)
        axis.setTextPen(foreground)
    if plot.titleLabel.text:
        plot.setTitle(plot.titleLabel.text, color=foreground.name())


class LivePlots(QWidget):
    """Five plots for the current run, plus overlaid curves of other runs; colours follow the theme."""

    def __init__(self, parent=None):
        super().__init__(parent)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self._widget = None  # the GraphicsLayoutWidget, once made (``_build``)
        self._build_planned = False
        self.record: RunRecord | None = None
        self._follow = {key: True for key, *_ in PLOTS}  # False once the user zooms or pans that plot
        self._ranges: dict[str, tuple] = {}
        self._drawn: dict[str, int] = {}  # points each curve was last given (unchanged curves are skipped)
        self._unfitted: set[str] = set()  # plots whose range change waits for the next frame
        self.overlays: dict[str, tuple[RunRecord, dict[str, pg.PlotDataItem]]] = {}
        self.points_drawn = 0  # points handed to setData by the last refresh (tests, bench)
        self.gan: bool | None = None  # the curves shown: a GAN's two losses, or the loss and its validation

    @property
    def built(self) -> bool:
        return self._widget is not None

    @property
    def layout_widget(self) -> pg.GraphicsLayoutWidget:
        self._ensure()
        return self._widget

    @property
    def plots(self) -> dict[str, pg.PlotItem]:
        self._ensure()
        return self._plots

    @property
    def curves(self) -> dict[str, pg.PlotDataItem]:
        self._ensure()
        return self._curves

    def paintEvent(self, event) -> None:
        super().paintEvent(event)
        if not self.built and not self._build_planned:  # the first frame is drawn: make the plots next
            self._build_planned = True
            QTimer.singleShot(0, self, self._ensure)  # (dropped if the widget goes first)

    def _ensure(self) -> None:
        if self._widget is None:
            self._build()
            self.layout().activate()  # laid out now, not at the next event: sizes are right at once

    def _build(self) -> None:
        """The five plots and every curve, in the state an empty, unfitted set of plots has."""
        self._widget = pg.GraphicsLayoutWidget()
        self.layout().addWidget(self._widget)
        self._plots = plots = {}
        for i, (key, title, ylabel, xaxis) in enumerate(PLOTS):
            # The three curves people watch on top; learning rate and throughput below, smaller.
            plot = self._widget.addPlot(row=0 if i < 3 else 1, col=i if i < 3 else i - 3, title=_tr(title))
            plot.setLabel("left", _tr(ylabel))
            plot.setLabel("bottom", _tr("step" if xaxis == "batches" else "epoch"))
            plot.showGrid(x=True, y=True, alpha=0.2)
            plot.setDownsampling(auto=True, mode="peak")
            plot.setClipToView(True)
            plot.addLegend(offset=LEGEND_OFFSETS.get(key, (-5, 5)), colCount=2)  # one row: little to cover
            if key not in LEGEND_OFFSETS:
                plot.legend.hide()
            for axis in ("left", "bottom"):  # axis text is the costly part of a frame: draw it only on change
                plot.getAxis(axis).setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
            # A fixed width: longer tick labels ("0.05" after "2") would otherwise resize the axis, and
            # relayout the whole grid (every plot and axis redrawn) in the middle of a run.
            plot.getAxis("left").setWidth(LEFT_AXIS_WIDTH)
            plot.legend.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
            plot.disableAutoRange()  # ranges follow the data in coarse steps (see _follow), so axes rarely redraw
            plot.getViewBox().sigRangeChangedManually.connect(lambda *_, k=key: self._follow.update({k: False}))
            plots[key] = plot
        grid = self._widget.ci.layout
        grid.setRowStretchFactor(0, 3)
        grid.setRowStretchFactor(1, 2)
        self._curves = curves = {}
        for key, plot_key, _, _, _, _name, width, alpha in CURVES:
            if key in GAN_ONLY:
                color = pg.mkColor(CURVE_COLORS[key[0]])
            else:
                color = pg.mkColor(COLORS[1] if key.startswith("val") or key == "smoothed" else COLORS[0])
            color.setAlpha(alpha)
            curves[key] = plots[plot_key].plot([], [], pen=pg.mkPen(color, width=width))
        self.apply_palette()
        self.gan = None
        self._show_gan(False)
        self.set_record(None)  # the empty plots' ranges (a run's record makes the plots before it is shown)

    def apply_palette(self) -> None:
        if not self.built:  # made in the palette of the moment
            return
        background, foreground = plot_colors(self)
        self.layout_widget.setBackground(background)
        for plot in self.plots.values():
            style_plot(plot, background, foreground)

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.PaletteChange:  # light ↔ dark theme
            self.apply_palette()
        elif event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        """Titles, axis labels and legends in the UI language."""
        if not self.built:  # made in the language of the moment
            return
        _, foreground = plot_colors(self)
        for key, title, ylabel, xaxis in PLOTS:
            plot = self.plots[key]
            plot.setTitle(_tr(title), color=foreground.name())
            plot.setLabel("left", _tr(ylabel))
            plot.setLabel("bottom", _tr("step" if xaxis == "batches" else "epoch"))
        gan, self.gan = self.gan, None
        self._show_gan(bool(gan))

    def _curve_name(self, key: str, name: str) -> str:
        """The legend's name for a curve (a GAN's accuracy is its discriminator's, on real and generated)."""
        if name == "discriminator" or (key == "train_acc" and self.gan):
            return self.tr("discriminator")
        if name == "generator":
            return self.tr("generator")
        return _tr(name) if name else name

    def _shown(self, key: str) -> bool:
        return key not in (NOT_GAN if self.gan else GAN_ONLY)

    def _show_gan(self, gan: bool) -> None:
        """Show a GAN's curves (discriminator and generator loss) or the others; legends to match."""
        if gan == self.gan:
            return
        self.gan = gan
        for key, *_ in CURVES:
            self.curves[key].setVisible(self._shown(key))
        for plot_key in {plot_key for _, plot_key, *_ in CURVES}:
            legend = self.plots[plot_key].legend
            ours = set(map(id, self.curves.values()))
            overlays = [(sample.item, label.text) for sample, label in legend.items if id(sample.item) not in ours]
            legend.clear()
            for key, pk, *_, name, _width, _alpha in CURVES:
                if pk == plot_key and name and self._shown(key):
                    legend.addItem(self.curves[key], self._curve_name(key, name))
            for item, text in overlays:
                legend.addItem(item, text)
        self._drawn.clear()  # every curve is given its data (or none) again

    def set_record(self, record: RunRecord | None) -> None:
        if record is None and not self.built:  # nothing to show: the plots, when made, show nothing
            self.record = None
            return
        self._ensure()
        self.record = record
        self._show_gan(record is not None and record.is_gan)
        self._drawn.clear()
        self._ranges.clear()
        self._unfitted.clear()
        self._follow = dict.fromkeys(self._follow, True)  # a new run: follow its data again
        self.refresh(tight=True)
        for key, plot in self.plots.items():  # plots without data yet: not the previous run's range
            if key not in self._ranges:
                plot.setRange(xRange=(0.0, 1.0), yRange=(0.0, 1.0), padding=0.02)

    def refresh(self, tight: bool = False) -> None:
        """Push the current run's buffers to the curves (called from the GUI timer).

        Only plots whose curves changed are touched. While a run goes on (``tight`` False) the
        ranges only grow, and the x axis spans the whole run from its start (epochs, steps per
        epoch), so axis text — the costly part of a frame — is redrawn a handful of times per run;
        ``tight`` (a run ended, another run shown) fits every plot to its data again."""
        if not self.built and self.record is None and not self.overlays:
            self.points_drawn = 0
            return  # no data, no plots yet: nothing to draw
        self._ensure()
        rec = self.record
        drawn = 0
        changed = set(self.plots) if tight else set()
        if rec is not None and not self.gan and rec.is_gan:  # the first GAN losses arrived
            self._show_gan(True)
            changed.update(plot_key for _, plot_key, *_ in CURVES)
        for key, plot_key, series, xcol, ycol, *_ in CURVES:
            s = getattr(rec, series) if rec is not None and self._shown(key) else None
            n = s.n if s is not None else 0
            if self._drawn.get(key) == n:
                continue  # nothing new: leave the curve (and its axes) alone, no repaint
            self._drawn[key] = n
            changed.add(plot_key)
            if s is None:  # no run, or a curve this run does not show (its data would set the range)
                self.curves[key].setData([], [])
                continue
            self.curves[key].setData(s.column(xcol), s.column(ycol), connect="finite")
            drawn += n
        self.points_drawn = drawn
        for other, curves in self.overlays.values():
            if other.outcome == "running":
                self._fill_overlay(other, curves)
                changed.update(plot_key for key, plot_key, *_ in CURVES if key in curves)
        if not tight and rec is not None and rec.start_info:  # a run that started: set its x axes early
            changed.update(key for key in self.plots if key not in self._ranges)
        changed |= self._unfitted
        self._unfitted.clear()
        budget = len(PLOTS) if tight else RANGE_CHANGES_PER_FRAME
        for key, *_ in PLOTS:
            if key not in changed:
                continue
            if budget <= 0:
                self._unfitted.add(key)
            elif self._follow_data(key, tight):
                budget -= 1

    def _expected_x(self, key: str) -> float | None:
        """Where the current run's x axis will end (last epoch or step), when its start event said."""
        info = self.record.start_info if self.record is not None and self.record.outcome == "running" else {}
        epochs = info.get("epochs") or 0
        if PLOT_AXES[key] == "epochs":
            return float(epochs) if epochs else None
        per_epoch = info.get("steps_per_epoch") or 0
        return float(epochs * per_epoch) if epochs and per_epoch else None

    def _follow_data(self, key: str, tight: bool = True) -> bool:
        """Fit the plot to its data on a 1-2-5 grid: the range (and the axis text) changes only now and then.

        True when the range changed."""
        plot = self.plots[key]
        if any(plot.getViewBox().autoRangeEnabled()):  # the user pressed the "A" button: follow again
            plot.disableAutoRange()
            self._follow[key] = True
            tight = True
        if not self._follow[key]:
            return False
        end = None if tight else self._expected_x(key)
        bounds = _bounds([(item.xData, item.yData) for item in plot.listDataItems()])  # full data, not clipped
        if bounds is None:
            if end is not None and end > 1 and key not in self._ranges:  # the run started: its x axis now,
                self._ranges[key] = ((1.0, end), None)  # not with the first points (less to redraw then)
                plot.setXRange(1.0, end, padding=0.02)
                return True
            return False
        (x0, x1), (y0, y1) = bounds
        if end is not None and end > x0 and end >= x1:
            xr = (x0, end)
        elif tight and x1 > x0:  # a finished run: exactly its steps or epochs, no empty tail
            xr = (x0, x1)
        else:
            xr = (x0, x0 + nice_up(max(x1 - x0, 1.0)))
        old = self._ranges.get(key)
        if old is not None and old[1] is None:  # only the x axis was set (before the first points)
            old = None
        if not tight and old is not None:  # growing only: keep the range while the data fit in it
            (ox0, ox1), (oy0, oy1) = old
            if ox0 <= x0 and x1 <= ox1 and xr[1] <= ox1 and oy0 <= y0 and y1 <= oy1:
                return False
            # Out of range: grow with some headroom the way the curve goes (a loss falls, an accuracy
            # rises), so the next points fit too; never below zero for data that are not negative.
            room = 0.3 * (max(y1, oy1) - min(y0, oy0))
            floor = 0.0 if y0 >= 0 else -math.inf
            y0, y1 = (max(y0 - room, floor) if y0 < oy0 else oy0), (y1 + room if y1 > oy1 else oy1)
            if end is None:
                xr = (min(xr[0], ox0), max(xr[1], ox1))
        if y1 == y0:  # a flat curve (a constant learning rate) sits in the middle, ±20 %
            half = nice_up(max(abs(y0) * 0.2, 1e-12))
            yr = (y0 - half, y0 + half)
        else:
            step = nice_up(max(y1 - y0, abs(y1) * 0.2, 1e-12)) / 5
            yr = (math.floor(y0 / step) * step, math.ceil(y1 / step) * step)
        if self._ranges.get(key) == (xr, yr):
            return False
        self._ranges[key] = (xr, yr)
        plot.setRange(xRange=xr, yRange=yr, padding=0.02)
        return True

    def set_overlays(self, records: list[RunRecord]) -> None:
        """Overlay exactly these runs (curves are created when a run is checked, removed when unchecked)."""
        if not records and not self.overlays:
            return
        self._ensure()
        wanted = {r.run_id: r for r in records}
        for run_id in list(self.overlays):
            if run_id not in wanted:
                for curve in self.overlays.pop(run_id)[1].values():
                    self._remove(curve)
        for i, (run_id, rec) in enumerate(wanted.items()):
            if run_id in self.overlays:
                continue
            color = COLORS[(i + 2) % len(COLORS)]
            curves = {}
            for key, plot_key, *_ in CURVES:
                if key in OVERLAY:
                    pen = pg.mkPen(color, width=1.5, style=pg.QtCore.Qt.PenStyle.DashLine)
                    curves[key] = self.plots[plot_key].plot([], [], pen=pen, name=f"{rec.run_id} {key}")
            self.overlays[run_id] = (rec, curves)
            self._fill_overlay(rec, curves)
        for key in self.plots:  # refit to the curves shown now
            self._follow_data(key)

    def _fill_overlay(self, rec: RunRecord, curves: dict) -> None:
        for key, _, series, xcol, ycol, *_ in CURVES:
            if key in curves:
                s = getattr(rec, series)
                curves[key].setData(s.column(xcol), s.column(ycol), connect="finite")

    def reset_view(self) -> None:
        """Follow the data again on every plot (after the user zoomed)."""
        self._ensure()
        self._follow = dict.fromkeys(self._follow, True)
        self._ranges.clear()
        for key in self.plots:
            self._follow_data(key)

    def _remove(self, curve) -> None:
        for plot in self.plots.values():
            if curve in plot.listDataItems():
                plot.removeItem(curve)
                if plot.legend is not None:
                    plot.legend.removeItem(curve)


def nice_up(value: float) -> float:
    """The smallest 1, 2 or 5 × 10^k that is ≥ value (value > 0)."""
    exp = math.floor(math.log10(value))
    for k in (1, 2, 5, 10):
        if k * 10**exp >= value * (1 - 1e-12):
            return k * 10**exp
    return 10 ** (exp + 1)


def _bounds(data: list) -> tuple | None:
    xs, ys = [], []
    for x, y in data:
        if x is None or not len(x):
            continue
        ok = np.isfinite(x) & np.isfinite(y)
        if ok.any():
            xs += [x[ok].min(), x[ok].max()]
            ys += [y[ok].min(), y[ok].max()]
    return ((min(xs), max(xs)), (min(ys), max(ys))) if xs else None
