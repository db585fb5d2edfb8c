"""Run history: each run's setup, outcome and curves, in memory and saved in its run folder.

Curves live in preallocated NumPy buffers grown by doubling, so appending a point is O(1) and
the plots read plain array views. No Qt at import time (PNG export imports pyqtgraph lazily)."""

from __future__ import annotations

import csv
import json
import math
import os
from dataclasses import dataclass, field
from pathlib import Path

from app.training.lazy import np

# A GAN's runs also have d_loss and g_loss (discriminator, generator; ``loss`` is their sum). Columns
# are only ever added at the end: a saved CSV is read by its header, so older runs (without the
# newer columns) load with NaN there.
BATCH_COLUMNS = ("step", "loss", "smoothed", "samples_per_s", "lr", "d_loss", "g_loss", "d_smoothed", "g_smoothed")
EPOCH_COLUMNS = ("epoch", "loss", "accuracy", "val_loss", "val_accuracy", "lr", "seconds", "d_loss", "g_loss")
PRECISIONS = ("fp32", "bf16", "fp16")  # the scripts' --precision choices
SMOOTHING = 0.9  # exponential moving average weight of the smoothed batch loss between close points
SMOOTHING_PER_STEP = 0.98  # … decayed per optimisation step, so sparse points (one every ~0.2 s) still follow


class Series:
    """Named float columns in buffers that double when full; missing values are NaN."""

    def __init__(self, columns: tuple[str, ...], capacity: int = 256):
        self.columns = columns
        self._index = {c: i for i, c in enumerate(columns)}
        self._data = np.full((capacity, len(columns)), np.nan)
        self.n = 0
        self.saved = 0  # rows already in the CSV file (saving appends only the rest)

    def append(self, **values) -> None:
        if self.n == len(self._data):
            grown = np.full((2 * len(self._data), len(self.columns)), np.nan)
            grown[: self.n] = self._data
            self._data = grown
        row = self._data[self.n]
        for name, value in values.items():
            row[self._index[name]] = _number(value)
        self.n += 1

    def column(self, name: str) -> np.ndarray:
        """A view of one column's filled part (no copy)."""
        return self._data[: self.n, self._index[name]]

    def last(self, name: str) -> float:
        return float(self._data[self.n - 1, self._index[name]]) if self.n else math.nan

    def rows(self, start: int = 0) -> list[list[float]]:
        return self._data[start : self.n].tolist()

    def extend_from(self, other: Series, keep) -> None:
        """Copy the rows of ``other`` for which ``keep(row_dict)`` is true (curve continuation)."""
        for row in other.rows():
            values = dict(zip(other.columns, row, strict=True))
            if keep(values):
                self.append(**{k: v for k, v in values.items() if k in self._index})


def _number(value) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return math.nan


@dataclass
class RunRecord:
    """One training run as the history keeps it."""

    run_id: str
    framework: str
    device: str
    setup: dict
    title: str = ""
    folder: str = ""
    parent: str | None = None  # the run this one resumed from
    outcome: str = "running"  # running | finished | stopped | failed
    message: str = ""
    metrics: dict = field(default_factory=dict)  # the end event without "event"
    start_info: dict = field(default_factory=dict)  # the start event without "event"
    extras: dict = field(default_factory=dict)  # confusion, text, boundary … (optional script features)
    batches: Series = field(default_factory=lambda: Series(BATCH_COLUMNS))
    epochs: Series = field(default_factory=lambda: Series(EPOCH_COLUMNS))
    processes: int = 1  # training processes (torchrun's, or Keras workers)
    precision: str = "fp32"  # --precision: fp32, or mixed bf16/fp16
    compile: bool = False  # --compile (PyTorch) or --xla on (Keras)

    @property
    def label(self) -> str:
        short = "PyTorch" if self.framework == "pytorch" else "TensorFlow"
        return f"{self.run_id} · {self.title or 'model'} · {short}"

    def add_event(self, event: dict) -> None:
        """Fold one protocol event into the curves and results."""
        kind = event.get("event")
        lr = event.get("lr", event.get("learning_rate", self.setup.get("learning_rate")))
        if kind == "batch":
            prev_step = self.batches.last("step")
            gap = max(1.0, _number(event.get("step")) - prev_step) if not math.isnan(prev_step) else 1.0
            weight = min(SMOOTHING, SMOOTHING_PER_STEP**gap)
            values = {c: _number(event.get(c)) for c in ("loss", "d_loss", "g_loss")}
            smooth = {
                s: self._smooth(s, values[c], weight)
                for c, s in (("loss", "smoothed"), ("d_loss", "d_smoothed"), ("g_loss", "g_smoothed"))
            }
            self.batches.append(
                step=event.get("step"), samples_per_s=event.get("samples_per_s"), lr=lr, **values, **smooth
            )
        elif kind == "epoch":
            self.epochs.append(**{c: event.get(c) for c in EPOCH_COLUMNS if c != "lr"}, lr=lr)
        elif kind == "start":
            self.start_info = _without_event(event)
        elif kind == "end":
            self.metrics = _without_event(event)
            for key in ("confusion", "misclassified", "classes"):
                if key in event:
                    self.extras[key] = event[key]
        elif kind in ("text", "boundary", "confusion", "misclassified", "tensorboard", "samples"):
            self.extras[kind] = _without_event(event)
        elif kind == "inspect":  # the teaching views' data (--inspect): kept in order, the files stay on disk
            self.extras.setdefault("inspect", []).append(_without_event(event))

    def _smooth(self, column: str, value: float, weight: float) -> float:
        """The exponential moving average ``column`` after ``value`` (the first value as it is)."""
        prev = self.batches.last(column)
        if math.isnan(value):
            return math.nan
        return value if math.isnan(prev) else weight * prev + (1 - weight) * value

    @property
    def is_gan(self) -> bool:
        """A GAN's run: the start event said so, or the curves have a discriminator's loss."""
        return (
            self.start_info.get("recipe") == "gan"
            or not math.isnan(self.batches.last("d_loss"))
            or not math.isnan(self.epochs.last("d_loss"))
        )

    def continue_from(self, parent: RunRecord, epoch: int, step: int) -> None:
        """Start this run's curves with the parent's, up to the checkpoint it resumes from."""
        self.batches.extend_from(parent.batches, lambda r: r["step"] <= step)
        self.epochs.extend_from(parent.epochs, lambda r: r["epoch"] <= epoch)

    # ------------------------------------------------------------------ files
    def save(self) -> None:
        """run.json, batches.csv and epochs.csv in the run folder (best effort: never raises)."""
        if not self.folder:
            return
        folder = Path(self.folder)
        try:
            folder.mkdir(parents=True, exist_ok=True)
            _write_csv(folder / "batches.csv", self.batches)
            _write_csv(folder / "epochs.csv", self.epochs)
            meta = {
                k: getattr(self, k)
                for k in (
                    "run_id",
                    "framework",
                    "device",
                    "setup",
                    "title",
                    "parent",
                    "outcome",
                    "message",
                    "metrics",
                    "start_info",
                    "processes",
                    "precision",
                    "compile",
                )
            }
            # Live views only (a decision map, generated samples): large, and redrawn by the next run.
            meta["extras"] = {k: v for k, v in self.extras.items() if k not in ("boundary", "samples", "inspect")}
            _atomic_write(folder / "run.json", json.dumps(_clean(meta), indent=2))
        except OSError:
            pass

    @classmethod
    def load(cls, folder: str | os.PathLike) -> RunRecord:
        """Read a run saved by ``save``; raises OSError/ValueError/KeyError for a broken folder."""
        folder = Path(folder)
        meta = json.loads((folder / "run.json").read_text(encoding="utf-8"))
        rec = cls(
            meta["run_id"],
            meta["framework"],
            meta["device"],
            meta["setup"],
            meta.get("title", ""),
            str(folder),
            meta.get("parent"),
            meta.get("outcome", "failed"),
            meta.get("message", ""),
            meta.get("metrics", {}),
            meta.get("start_info", {}),
            meta.get("extras", {}),
        )
        processes = meta.get("processes")
        rec.processes = processes if isinstance(processes, int) and processes > 1 else 1
        rec.precision = meta.get("precision") if meta.get("precision") in PRECISIONS else "fp32"
        rec.compile = bool(meta.get("compile"))
        _read_csv(folder / "batches.csv", rec.batches)
        _read_csv(folder / "epochs.csv", rec.epochs)
        rec.batches.saved, rec.epochs.saved = rec.batches.n, rec.epochs.n
        return rec


def _without_event(event: dict) -> dict:
    return {k: v for k, v in event.items() if k != "event"}


def _clean(value):
    """JSON-safe: NaN/Inf become None."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    return value


def _atomic_write(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def _write_csv(path: Path, series: Series) -> None:
    """Append the rows not yet saved (the whole file the first time), so saving each epoch stays cheap."""
    fresh = series.saved == 0 or not path.exists() or _header(path) != list(series.columns)
    with open(path, "w" if fresh else "a", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        if fresh:
            writer.writerow(series.columns)
        for row in series.rows(0 if fresh else series.saved):
            writer.writerow(["" if math.isnan(v) else repr(v) for v in row])
    series.saved = series.n


def _header(path: Path) -> list[str]:
    """The column names of a saved CSV (appending under another header would shift the values)."""
    try:
        with open(path, newline="", encoding="utf-8") as fh:
            return next(csv.reader(fh), [])
    except (OSError, UnicodeDecodeError, csv.Error):
        return []


def _read_csv(path: Path, series: Series) -> None:
    if not path.exists():
        return
    with open(path, newline="", encoding="utf-8") as fh:
        reader = csv.reader(fh)
        header = next(reader, [])
        for row in reader:
            series.append(**{h: (v or None) for h, v in zip(header, row, strict=False) if h in series.columns})


class RunHistory:
    """Every run of this session plus the runs found in the project's run folder."""

    def __init__(self):
        self.runs: dict[str, RunRecord] = {}

    def add(self, record: RunRecord) -> None:
        self.runs[record.run_id] = record

    def get(self, run_id: str) -> RunRecord | None:
        return self.runs.get(run_id)

    def records(self) -> list[RunRecord]:
        return list(self.runs.values())

    def load_folder(self, runs_root: str | os.PathLike | None) -> int:
        """Add the saved runs under ``runs_root`` not already known; returns how many were added."""
        if not runs_root or not Path(runs_root).is_dir():
            return 0
        added = 0
        for folder in sorted(Path(runs_root).iterdir()):
            if folder.name in self.runs or not (folder / "run.json").exists():
                continue
            try:
                self.add(RunRecord.load(folder))
                added += 1
            except (OSError, ValueError, KeyError, TypeError):
                continue  # a half-written or foreign folder: skip it
        return added


def export_csv(records: list[RunRecord], path: str | os.PathLike, which: str = "epochs") -> None:
    """The curves of several runs in one long-format CSV: run_id, then the series' columns."""
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        columns = EPOCH_COLUMNS if which == "epochs" else BATCH_COLUMNS
        writer.writerow(("run_id", "framework", *columns))
        for rec in records:
            series = rec.epochs if which == "epochs" else rec.batches
            for row in series.rows():
                writer.writerow([rec.run_id, rec.framework, *("" if math.isnan(v) else repr(v) for v in row)])


def export_png(item, path: str | os.PathLike, width: int = 1200) -> None:
    """A plot (PlotItem or a GraphicsLayout's scene item) as a PNG file."""
    import pyqtgraph.exporters as exporters

    exporter = exporters.ImageExporter(item)
    exporter.parameters()["width"] = width
    exporter.export(str(path))
