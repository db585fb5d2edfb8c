"""The training dock: choose framework and device, Train / Pause / Stop / Continue, live curves,
dataset preview, results, decision boundary, a GAN's generated samples, run history and the worker's log.

Worker events only append to NumPy buffers (``RunRecord.add_event``); a 10 Hz QTimer draws."""

from __future__ import annotations

import math
import os
import re
import time
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QEvent, QSettings, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDockWidget,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.training.devices import BASE, DeviceProbe, cached_devices
from app.training.drawpad import DrawPad
from app.training.history import PRECISIONS, export_csv, export_png
from app.training.inside import InsideView
from app.training.playground import PlaygroundView
from app.training.plots import LivePlots
from app.training.preview import load_preview
from app.training.runner import Trainer, runs_folder
from app.training.views import BoundaryView, DatasetPreviewWidget, ResultsView, SamplesView, split_test_images

FRAMEWORK_NAMES = (("pytorch", "PyTorch"), ("tensorflow", "TensorFlow"))
REFRESH_MS = 100  # the fastest redraw rate (10 Hz) …
MAX_REFRESH_MS = 1000  # … and the slowest, when drawing is costly here
CPU_SHARE = 0.05  # of one core for this process while a worker trains (the worker needs the rest)
RUN_ROLE = Qt.ItemDataRole.UserRole + 1
# A run's states and outcomes, as the status line and the runs list show them.
STATE_WORDS = {
    "starting": QT_TRANSLATE_NOOP("TrainingDock", "starting"),
    "running": QT_TRANSLATE_NOOP("TrainingDock", "running"),
    "pausing": QT_TRANSLATE_NOOP("TrainingDock", "pausing"),
    "paused": QT_TRANSLATE_NOOP("TrainingDock", "paused"),
    "stopping": QT_TRANSLATE_NOOP("TrainingDock", "stopping"),
    "finished": QT_TRANSLATE_NOOP("TrainingDock", "finished"),
    "stopped": QT_TRANSLATE_NOOP("TrainingDock", "stopped"),
    "failed": QT_TRANSLATE_NOOP("TrainingDock", "failed"),
}
# The runner's fixed end messages (app/training/runner.py); a failure's explanation is translated by
# app/training/protocol.py's localize_failure.
RUN_MESSAGES = {
    "generated text from the trained model": QT_TRANSLATE_NOOP("TrainingDock", "generated text from the trained model"),
    "stopped: the worker was killed before it saved its results": QT_TRANSLATE_NOOP(
        "TrainingDock", "stopped: the worker was killed before it saved its results"
    ),
    "stopped: the worker was ended before it saved its results": QT_TRANSLATE_NOOP(
        "TrainingDock", "stopped: the worker was ended before it saved its results"
    ),
    "stopped: replaced by a newer run": QT_TRANSLATE_NOOP("TrainingDock", "stopped: replaced by a newer run"),
    "finished": QT_TRANSLATE_NOOP("TrainingDock", "finished"),
    "stopped early": QT_TRANSLATE_NOOP("TrainingDock", "stopped early"),
    "test accuracy": QT_TRANSLATE_NOOP("TrainingDock", "test accuracy"),
    "test loss": QT_TRANSLATE_NOOP("TrainingDock", "test loss"),
}


def _tr(text: str) -> str:
    return QCoreApplication.translate("TrainingDock", text)


def state_text(state: str) -> str:
    """A run state or outcome (``running``, ``finished`` …) in the UI language."""
    return _tr(STATE_WORDS[state]) if state in STATE_WORDS else state


def run_message(message: str) -> str:
    """The runner's end message (English, as saved with the run) in the UI language where it is known."""
    if message in RUN_MESSAGES:
        return _tr(RUN_MESSAGES[message])
    found = re.match(r"^(finished|stopped early)(?:: (.*))?$", message or "")
    if not found:
        from app.i18n import diag, ui_language
        from app.training.protocol import localize_failure

        return localize_failure(message, ui_language(), diag)
    parts = []
    for part in (found.group(2) or "").split(", "):
        name = next((n for n in ("test accuracy", "test loss") if part.startswith(n + " ")), None)
        parts.append(f"{_tr(name)} {part[len(name) + 1 :]}" if name else part)
    head = _tr(found.group(1))
    return head + (_tr(": ") + _tr(", ").join(parts) if found.group(2) else "")


class TrainingDock(QDockWidget):
    """Trains the document's project in a child process and shows how it goes."""

    inspection_shown = Signal(dict, dict)  # the last inspect event, its arrays ({} {}: cleared)

    def __init__(self, document, parent=None, trainer: Trainer | None = None):
        super().__init__(self.tr("Training"), parent)
        self.setObjectName("TrainingDock")
        self.document = document
        self.trainer = trainer or Trainer(self)
        if self.trainer.parent() is None:  # the dock owns its workers: they die with it, never outlive it
            self.trainer.setParent(self)
        self._dirty = False
        self._inside_seen = 0  # inspections shown (the teaching views)
        self._end: tuple | None = None  # (run id, outcome, message, TensorBoard folder, temporary folder)
        self._tensorboard_dir: str | None = None  # where the current run writes TensorBoard logs
        self._probe = DeviceProbe(self)
        self._build()
        self._connect()
        self._timer = QTimer(self)
        self._timer.setInterval(REFRESH_MS)
        self._cpu_mark: tuple[float, float] | None = None  # (process CPU time, wall time) at the last tick
        self._timer.timeout.connect(self._on_tick)
        self._preview_timer = QTimer(self, singleShot=True, interval=200)
        self._preview_timer.timeout.connect(self._refresh_preview)
        self._probe.finished.connect(self._on_devices_found)
        self._set_devices(cached_devices() or list(BASE), probe=cached_devices() is None)
        self._on_project_replaced()
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.shutdown)

    # ------------------------------------------------------------------ building
    def _build(self) -> None:
        self.framework = QComboBox()
        for key, name in FRAMEWORK_NAMES:
            self.framework.addItem(name, key)
        self.device = QComboBox()
        self.refresh_devices = QToolButton(text="↻")
        self.processes = QSpinBox(minimum=1, maximum=max(os.cpu_count() or 1, 1))
        self.processes.setValue(_int(QSettings().value("training/processes", 1), 1))
        self.precision = QComboBox()
        for name in PRECISIONS:
            self.precision.addItem(name, name)
        self.precision.setCurrentIndex(max(self.precision.findData(QSettings().value("training/precision")), 0))
        self.compile = QCheckBox(checked=_bool(QSettings().value("training/compile", False)))
        self.train_button = QPushButton()
        self.pause_button = QPushButton(checkable=True)
        self.stop_button = QPushButton()
        self.more_epochs = QSpinBox(minimum=1, maximum=10_000, value=5, prefix="+")
        self.continue_button = QPushButton()
        self.tensorboard = QCheckBox()
        self.inspect = QCheckBox()
        self.framework_label, self.device_label, self.processes_label = QLabel(), QLabel(), QLabel()
        self.precision_label = QLabel()
        # Two rows, how to train and then the run's buttons beside its progress: one row would make the
        # dock wider than a laptop screen, and the progress bar on its own row would take the plots' room.
        how = _row(
            self.framework_label,
            self.framework,
            self.device_label,
            self.device,
            self.refresh_devices,
            self.processes_label,
            self.processes,
            self.precision_label,
            self.precision,
            self.compile,
        )
        self.progress = QProgressBar(minimum=0, maximum=1000, textVisible=False)
        actions = _row(
            self.train_button,
            self.pause_button,
            self.stop_button,
            self.more_epochs,
            self.continue_button,
            self.tensorboard,
            self.inspect,
            fill=self.progress,
        )
        self.status = QLabel()
        # Its text changes every tick: it must never ask the layout for more room (no relayout).
        self.status.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # One line kept for it even when empty: clearing it at a run's start (or setting it at the end)
        # would otherwise resize the tabs below, and every plot and axis would be redrawn.
        self.message.setMinimumHeight(self.message.fontMetrics().lineSpacing())
        self.plots = LivePlots()
        self.preview = DatasetPreviewWidget()
        self.results = ResultsView()
        self.boundary = BoundaryView()
        self.samples = SamplesView()
        self.inside = InsideView()
        self.inside.set_graph(self.document.graph)
        self.playground = PlaygroundView(self.document)
        self.inside.tabs.addTab(self.playground, "")
        self.drawpad = DrawPad()
        self.inside.tabs.addTab(self.drawpad, "")
        self.playground.restart.connect(self._train_again)
        self._again = False  # train again when the stopped run has ended (the playground's button)
        self.runs = QListWidget()
        self.export_png_button = QPushButton()
        self.export_csv_button = QPushButton()
        self.log = QPlainTextEdit(readOnly=True)
        self.log.setMaximumBlockCount(5000)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.plots, "")
        self.tabs.addTab(self.preview, "")
        self.setup_tab = self._setup_tab()
        self.tabs.addTab(_scrolled(self.results), "")
        self.tabs.addTab(self.boundary, "")
        self.tabs.addTab(self.samples, "")
        self.tabs.addTab(self.inside, "")
        self.tabs.addTab(self._runs_tab(), "")
        self.tabs.addTab(self.log, "")
        body = QWidget()
        lay = QVBoxLayout(body)
        lay.addLayout(how)
        lay.addLayout(actions)
        lay.addWidget(self.status)
        lay.addWidget(self.message)
        lay.addWidget(self.tabs, 1)
        self.tabs.setMinimumHeight(60)  # let the dock share the bottom area with small panels
        self.tabs.currentChanged.connect(self._on_tab_changed)
        self.setWidget(body)
        self.status.setText(self.tr("Ready."))
        self.retranslate()

    def retranslate(self) -> None:
        """Every fixed text in the UI language (at the start and when the language changes)."""
        self.setWindowTitle(self.tr("Training"))
        self.refresh_devices.setToolTip(self.tr("Look for GPUs again"))
        self.train_button.setText(self.tr("Train"))
        self.stop_button.setText(self.tr("Stop"))
        self.more_epochs.setSuffix(self.tr(" epochs"))
        self.continue_button.setText(self.tr("Continue"))
        self.continue_button.setToolTip(self.tr("Resume the selected (or last) run from its checkpoint"))
        self.tensorboard.setText(self.tr("TensorBoard logs"))
        self.tensorboard.setToolTip(
            self.tr("Also write TensorBoard logs into the run folder (needs the tensorboard package)")
        )
        self.inside.tabs.setTabText(self.inside.tabs.indexOf(self.playground), self.tr("Playground"))
        self.inside.tabs.setTabText(self.inside.tabs.indexOf(self.drawpad), self.tr("Draw"))
        self.drawpad.retranslate()
        self.playground.retranslate()
        self.inside.retranslate()
        self.inspect.setText(self.tr("Inspect"))
        self.inspect.setToolTip(
            self.tr(
                "Show inside the network while it trains: every layer's output for a sample, gradients (Inside tab)"
            )
        )
        self.framework_label.setText(self.tr("Framework"))
        self.device_label.setText(self.tr("Device"))
        self.processes_label.setText(self.tr("Processes"))
        tip = self.tr(
            "Train with this many processes on this machine, each on its share of every batch: "
            "torchrun for PyTorch, tf.distribute workers for Keras (one per GPU on GPUs). "
            "The first process reports progress; Stop ends them all."
        )
        self.processes.setToolTip(tip)
        self.processes_label.setToolTip(tip)
        self.precision_label.setText(self.tr("Precision"))
        tip = self.tr(
            "The number format of training: fp32, or mixed precision (the weights stay fp32). "
            "bf16 is for NVIDIA GPUs from Ampere on (RTX 30, A100 and later); fp16 adds loss scaling. "
            "On a CPU half precision is usually slower."
        )
        self.precision.setToolTip(tip)
        self.precision_label.setToolTip(tip)
        self.compile.setText(self.tr("Compile"))
        self.compile.setToolTip(
            self.tr(
                "Compile the model: torch.compile for PyTorch, XLA for Keras. A slow start (the first steps "
                "compile), then faster steps on a GPU. Unchecked, Keras uses XLA on GPUs only."
            )
        )
        self.export_png_button.setText(self.tr("Export plots as PNG…"))
        self.export_csv_button.setText(self.tr("Export curves as CSV…"))
        self.runs_hint.setText(self.tr("Check runs to overlay their curves on the plots."))
        tabs = [
            (self.plots, self.tr("Curves")),
            (self.preview, self.tr("Data")),
            (self.boundary, self.tr("Boundary")),
            (self.samples, self.tr("Samples")),
            (self.inside, self.tr("Inside")),
            (self.log, self.tr("Log")),
        ]
        for widget, text in tabs:
            self.tabs.setTabText(self.tabs.indexOf(widget), text)
        for i in range(self.tabs.count()):
            inner = getattr(self.tabs.widget(i), "widget", lambda: None)()
            if inner is self.results:
                self.tabs.setTabText(i, self.tr("Results"))
            elif inner is not None and inner is self.setup_tab:
                self.tabs.setTabText(i, self.tr("Setup"))
            elif self.tabs.widget(i) is self.runs_box:
                self.tabs.setTabText(i, self.tr("Runs"))
        run = self.trainer.current
        if run is None:
            self.status.setText(self.tr("Ready."))
        elif run.active:
            self.status.setText(_status_text(run))
        else:
            self.status.setText(f"{state_text(run.record.outcome)}: {run.run_id}")
        if self._end is not None:  # the last run's end message
            self._show_message(self._end_text(*self._end), error=self._end[1] == "failed")
        for i in range(self.runs.count()):
            self._update_run_item(self.runs.item(i).data(RUN_ROLE))
        self._update_buttons()

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.LanguageChange:
            self._rebuild_setup_tab()
            self.retranslate()

    def _rebuild_setup_tab(self) -> None:
        """A new setup editor in the UI language (its titles and choice labels are set when built)."""
        if self.setup_tab is None:
            return
        from app.docks.inspector import SetupPanel

        area = next(
            (
                w
                for w in map(self.tabs.widget, range(self.tabs.count()))
                if getattr(w, "widget", None) and w.widget() is self.setup_tab
            ),
            None,
        )
        if area is None:
            return
        area.takeWidget().deleteLater()
        self.setup_tab = SetupPanel(self.document, self._browse_dataset)
        area.setWidget(self.setup_tab)
        self.document.analysis_changed.connect(self.setup_tab.update_analysis)
        self.setup_tab.update_analysis()

    def _setup_tab(self):
        """The inspector's setup editor (hyperparameters, dataset) when that module is available."""
        try:
            from app.docks.inspector import SetupPanel
        except ImportError:
            return None
        panel = SetupPanel(self.document, self._browse_dataset)
        self.tabs.insertTab(2, _scrolled(panel), "")
        return panel

    def _runs_tab(self) -> QWidget:
        box = self.runs_box = QWidget()
        lay = QVBoxLayout(box)
        self.runs_hint = QLabel()
        lay.addWidget(self.runs_hint)
        lay.addWidget(self.runs, 1)
        row = QHBoxLayout()
        row.addWidget(self.export_png_button)
        row.addWidget(self.export_csv_button)
        lay.addLayout(row)
        return box

    def _connect(self) -> None:
        self.document.selection_changed.connect(self._on_selection_changed)
        self.document.analysis_changed.connect(self._sync_drawpad)
        t = self.trainer
        t.run_started.connect(self._on_run_started)
        t.event_received.connect(self._on_event)
        t.log_received.connect(self._on_log)
        t.state_changed.connect(self._on_state_changed)
        t.run_finished.connect(self._on_run_finished)
        self.train_button.clicked.connect(self.train)
        self.pause_button.clicked.connect(self._on_pause_clicked)
        self.stop_button.clicked.connect(self.trainer.stop)
        self.continue_button.clicked.connect(self.continue_training)
        self.refresh_devices.clicked.connect(self._probe.start)
        self.framework.activated.connect(self._on_framework_chosen)
        self.device.activated.connect(self._on_device_chosen)
        self.processes.valueChanged.connect(lambda n: QSettings().setValue("training/processes", n))
        self.precision.currentIndexChanged.connect(
            lambda: QSettings().setValue("training/precision", self.precision.currentData())
        )
        self.compile.toggled.connect(lambda on: QSettings().setValue("training/compile", on))
        self.runs.itemChanged.connect(self._on_runs_checked)
        self.export_png_button.clicked.connect(self._export_png)
        self.export_csv_button.clicked.connect(self._export_csv)
        self.results.generate_requested.connect(self.generate_text)
        self.visibilityChanged.connect(lambda visible: visible and self._on_tab_changed(-1))
        d = self.document
        d.project_replaced.connect(self._on_project_replaced)
        d.path_changed.connect(self._load_saved_runs)
        d.setup_changed.connect(self._on_setup_changed)
        if self.setup_tab is not None:
            d.analysis_changed.connect(self.setup_tab.update_analysis)

    # ------------------------------------------------------------------ actions
    def train(self):
        """Train the project as it is now (a snapshot) with the chosen framework and device."""
        self.log.clear()
        self._tensorboard_dir = None
        extra = self._text_args() if self.document.project.setup["dataset"] == "text" else []
        if self.tensorboard.isChecked():
            extra += ["--tensorboard", "tensorboard"]  # relative to the run folder (the worker's cwd)
        if self.inspect.isChecked():
            extra += ["--inspect", "--inspect-sample", str(self.inside.sample.value())]
            drawn = self.drawpad.sample()
            if drawn is not None:  # the script reads it before it trains; a fresh file per run
                import tempfile

                import numpy as np

                fd, path = tempfile.mkstemp(prefix="layerlab-drawn-", suffix=".npy")
                with os.fdopen(fd, "wb") as fh:
                    np.save(fh, drawn.astype("float32"))
                extra += ["--inspect-input", path]
        return self.trainer.start(
            self.document.project,
            self.framework.currentData(),
            self.device.currentText(),
            project_path=self.document.path,
            extra_args=extra,
            processes=self.processes.value(),
            **self._speed(),
        )

    def continue_training(self):
        """Resume the selected (or last) run from its checkpoint for ``more_epochs`` more epochs."""
        rec = self._selected_run()
        if rec is None:
            self._show_message(self.tr("There is no run with a checkpoint to continue."), error=True)
            return None
        done = int(rec.epochs.last("epoch")) if rec.epochs.n else 0
        extra = self._text_args() if rec.setup.get("dataset") == "text" else []
        return self.trainer.start(
            None,
            device=self.device.currentText(),
            epochs=done + self.more_epochs.value(),
            project_path=self.document.path,
            resume=rec.run_id,
            extra_args=extra,
            processes=self.processes.value(),
            **self._speed(),
        )

    def generate_text(self, prompt: str, temperature: float, length: int):
        """Sample text from the last run's checkpoint (a resume with no further epochs)."""
        rec = self._selected_run()
        if rec is None:
            self._show_message(self.tr("Train the model first."), error=True)
            return None
        done = int(rec.epochs.last("epoch")) if rec.epochs.n else 0
        args = ["--generate-only", "--generate", str(length), "--temperature", str(temperature), "--prompt", prompt]
        return self.trainer.start(
            None,
            device=self.device.currentText(),
            epochs=done,
            project_path=self.document.path,
            resume=rec.run_id,
            extra_args=args,
        )

    def _speed(self) -> dict:
        """The Precision and Compile choices as ``Trainer.start``'s keywords."""
        return {"precision": self.precision.currentData(), "compile": self.compile.isChecked()}

    def _text_args(self) -> list[str]:
        r = self.results
        return [
            "--generate",
            str(r.length.value()),
            "--temperature",
            str(r.temperature.value()),
            "--prompt",
            r.prompt.text(),
        ]

    def shutdown(self) -> None:
        self._probe.stop()
        self.trainer.shutdown()

    def _on_pause_clicked(self, checked: bool) -> None:
        (self.trainer.pause if checked else self.trainer.resume)()

    def _on_framework_chosen(self) -> None:
        self.document.set_setup("framework", self.framework.currentData())

    def _browse_dataset(self) -> None:
        kind = self.document.project.setup["dataset"]
        start = self.document.base_dir or ""
        if kind == "image_folder":
            path = QFileDialog.getExistingDirectory(self, self.tr("Choose the image folder"), start)
        else:
            path, _ = QFileDialog.getOpenFileName(self, self.tr("Choose the data file"), start)
        if path:
            self.document.set_setup("dataset_path", path)

    # ------------------------------------------------------------------ trainer signals
    def _on_run_started(self, run_id: str) -> None:
        rec = self.trainer.history.get(run_id)
        self.plots.set_record(rec)
        run = self.trainer.current
        if run is not None and run.sampling:  # sampling text keeps the trained run's results on screen
            self._show_results(run_id)
        else:
            self.results.clear()
            self.samples.clear()
        self.results.set_text_mode(rec.setup.get("dataset") == "text")
        self._inside_seen = 0
        self.inside.clear()
        self.inspection_shown.emit({}, {})
        self.message.clear()
        self._end = None
        _set_progress(self.progress, 0)
        self.status.setText(self.tr("Starting %1…").replace("%1", rec.label))
        if rec.setup.get("dataset") in ("spirals", "moons", "circles", "xor"):
            self.boundary.set_points(rec.setup)
        self._add_run_item(rec)
        self._cpu_mark = None  # starting the run (writing the script) is not drawing: measure from the first tick
        self._timer.start(REFRESH_MS)

    def _on_event(self, run_id: str, event: dict) -> None:
        self._dirty = True
        kind = event.get("event")
        if kind == "end":
            self._show_results(run_id)
        elif kind == "text":
            self.results.show_text(str(event.get("text", "")))
        elif kind == "tensorboard":
            logdir = event.get("logdir")
            run = self.trainer.current
            if run is not None and logdir and not Path(logdir).is_absolute():
                logdir = str(run.folder / logdir)
            self._on_log(run_id, f"TensorBoard logs: {logdir}")
            self._tensorboard_dir = logdir
            self._show_message(self.tr("TensorBoard logs go to {0} (tensorboard --logdir {0})").format(logdir))

    def _on_log(self, run_id: str, line: str) -> None:
        self.log.appendPlainText(line)

    def _on_state_changed(self, run_id: str, state: str) -> None:
        self._update_buttons()
        self._dirty = True

    def _on_run_finished(self, run_id: str, outcome: str, message: str) -> None:
        if self._again:
            self._again = False
            QTimer.singleShot(0, self.train)
        self._timer.stop()
        self._on_tick(force=True)
        failed = outcome == "failed"
        run = self.trainer.current
        ours = run is not None and run.run_id == run_id
        self._end = (
            run_id,
            outcome,
            message,
            self._tensorboard_dir if ours else None,
            str(run.folder) if ours and self.document.path is None else None,
        )
        self._show_message(self._end_text(*self._end), error=failed)
        self.log.appendPlainText(f"{run_id}: {message}")  # the Log tab tells every run's end, not only failures
        if failed and run is not None and run.run_id == run_id:
            self.log.appendPlainText("\n--- last lines of the worker's output ---\n" + run.tail.text(60))
            self.tabs.setCurrentWidget(self.log)
        self.status.setText(f"{state_text(outcome)}: {run_id}")
        self._update_run_item(run_id)
        self._update_buttons()

    def _end_text(self, _run_id, _outcome, message: str, tensorboard: str | None, temp_folder: str | None) -> str:
        """The end message of a run in the UI language, with where its files went."""
        text = run_message(message)
        if tensorboard:
            text += "\n" + self.tr("TensorBoard logs: {0}").format(tensorboard)
        if temp_folder:
            text += "\n" + self.tr(
                "The project is not saved, so this run's files are in a temporary folder ({0}); "
                "save the project to keep its runs beside it."
            ).format(temp_folder)
        return text

    def _on_tick(self, force: bool = False) -> None:
        """The GUI timer: draw whatever arrived since the last tick.

        Views on hidden tabs (or in a hidden dock) are left alone until they are shown: the worker
        shares the CPU with this process, and drawing what nobody sees would slow training down."""
        if not force:
            self._pace()
        if not (self._dirty or force):
            return
        self._dirty = False
        if force or self.plots.isVisible():
            self.plots.refresh(tight=force)
        run = self.trainer.current
        if run is None:
            return
        _set_progress(self.progress, int(1000 * run.fraction()))
        text = _status_text(run)
        if text != self.status.text():
            self.status.setText(text)
        boundary = run.record.extras.get("boundary")
        if boundary and (force or self.boundary.isVisible()):
            self.boundary.show_boundary(boundary)
        samples = run.record.extras.get("samples")
        if samples and (force or self.samples.isVisible()):
            self.samples.show_samples(samples)
        self._show_inside(run.record, force)

    def _train_again(self) -> None:
        """The playground's button: stop the run (if one is going) and train from the start, inspected."""
        self.inspect.setChecked(True)
        if self.trainer.is_running():
            self._again = True
            self.trainer.stop()
        else:
            self.train()

    def _on_selection_changed(self) -> None:
        """The Inside tab follows the canvas: the selected layer's output, kernel and gradients."""
        ids = self.document.selection()
        graph = self.document.graph
        self.inside.select(graph.node(ids[0]).name if len(ids) == 1 and ids[0] in graph else None)

    def _show_inside(self, record, force: bool = False) -> None:
        """The Inside tab and the cards' thumbnails, when a new inspection arrived."""
        inspections = record.extras.get("inspect") or []
        if not inspections or (len(inspections) == self._inside_seen and not force):
            return
        self._inside_seen = len(inspections)
        self.inside.show_inspections(inspections)
        self.playground.show_arrays(self.inside.arrays)
        self.inspection_shown.emit(inspections[-1], self.inside.arrays)

    def _pace(self) -> None:
        """Space the ticks so this process (reading the worker's output and drawing) stays near
        CPU_SHARE of a core: on a small machine the worker competes with it for the CPU."""
        cpu, now = time.process_time(), time.monotonic()
        mark, self._cpu_mark = self._cpu_mark, (cpu, now)
        if mark is None or now <= mark[1]:
            return
        used = cpu - mark[0]
        wanted = used / CPU_SHARE * 1000  # the interval at which the last one's cost is CPU_SHARE
        interval = int(min(max(wanted, REFRESH_MS), MAX_REFRESH_MS))
        if abs(interval - self._timer.interval()) > REFRESH_MS / 4:
            self._timer.setInterval(interval)

    def _on_tab_changed(self, _index: int) -> None:
        """A tab came into view: bring it up to date (hidden views are not drawn during a run)."""
        if self.plots.isVisible():
            self.plots.refresh()
        run = self.trainer.current
        boundary = run.record.extras.get("boundary") if run is not None else None
        if boundary and self.boundary.isVisible():
            self.boundary.show_boundary(boundary)
        samples = run.record.extras.get("samples") if run is not None else None
        if samples and self.samples.isVisible():
            self.samples.show_samples(samples)
        if run is not None and self.inside.isVisible():
            self._show_inside(run.record, force=True)

    def _show_results(self, run_id: str) -> None:
        rec = self.trainer.history.get(run_id)
        self.results.show_metrics(rec.metrics)
        if "confusion" in rec.extras:
            self.results.show_confusion(rec.extras["confusion"], rec.extras.get("classes"))
        if rec.extras.get("misclassified"):
            self.results.show_misclassified(rec.extras["misclassified"], split_test_images(rec.setup))

    def _show_message(self, text: str, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setStyleSheet("color: #c62828;" if error else "")

    def _update_buttons(self) -> None:
        run = self.trainer.current
        active = run is not None and run.active
        self.train_button.setEnabled(not active)
        self.continue_button.setEnabled(not active)
        self.framework.setEnabled(not active)
        self.device.setEnabled(not active)
        self.processes.setEnabled(not active)
        self.precision.setEnabled(not active)
        self.compile.setEnabled(not active)
        self.pause_button.setEnabled(active and run.state not in ("stopping", "starting"))
        self.stop_button.setEnabled(active and run.state != "stopping")
        paused = active and run.state in ("pausing", "paused")
        self.pause_button.setChecked(paused)
        self.pause_button.setText(self.tr("Resume") if paused else self.tr("Pause"))

    # ------------------------------------------------------------------ devices
    def _set_devices(self, devices: list[str], probe: bool = False) -> None:
        wanted = self.device.currentText() or str(QSettings().value("training/device", "auto"))
        self.device.clear()
        self.device.addItems(devices)
        self.device.setCurrentIndex(max(self.device.findText(wanted), 0))
        self._limit_processes()
        if probe:
            self._probe.start()

    def _on_devices_found(self, devices: list) -> None:
        self._set_devices([str(d) for d in devices])

    def _on_device_chosen(self) -> None:
        QSettings().setValue("training/device", self.device.currentText())
        self._limit_processes()

    def _limit_processes(self) -> None:
        """At most one process per GPU when training on GPUs, else one per CPU core."""
        gpus = sum(self.device.itemText(i).startswith("cuda") for i in range(self.device.count()))
        on_gpu = gpus and self.device.currentText() != "cpu"
        wanted = _int(QSettings().value("training/processes", self.processes.value()), 1)
        self.processes.blockSignals(True)  # a narrower limit must not overwrite the saved choice
        self.processes.setMaximum(gpus if on_gpu else max(os.cpu_count() or 1, 1))
        self.processes.setValue(wanted)
        self.processes.blockSignals(False)

    # ------------------------------------------------------------------ runs list
    def _add_run_item(self, rec) -> None:
        item = QListWidgetItem(rec.label)
        item.setData(RUN_ROLE, rec.run_id)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Unchecked)
        self.runs.blockSignals(True)
        self.runs.insertItem(0, item)
        self.runs.blockSignals(False)
        self._update_run_item(rec.run_id)

    def _update_run_item(self, run_id: str) -> None:
        rec = self.trainer.history.get(run_id)
        for i in range(self.runs.count()):
            item = self.runs.item(i)
            if item.data(RUN_ROLE) == run_id:
                acc = rec.metrics.get("test_accuracy")
                extra = (
                    " · " + self.tr("test acc %1").replace("%1", f"{acc:.2%}") if isinstance(acc, int | float) else ""
                )
                self.runs.blockSignals(True)
                item.setText(f"{rec.label} · {state_text(rec.outcome)}{extra}")
                item.setToolTip(run_message(rec.message))
                self.runs.blockSignals(False)

    def _checked_runs(self) -> list:
        out = []
        for i in range(self.runs.count()):
            item = self.runs.item(i)
            if item.checkState() == Qt.CheckState.Checked:
                rec = self.trainer.history.get(item.data(RUN_ROLE))
                if rec is not None:
                    out.append(rec)
        return out

    def _selected_run(self):
        item = self.runs.currentItem()
        rec = self.trainer.history.get(item.data(RUN_ROLE)) if item is not None else None
        if rec is None and self.trainer.current is not None:
            rec = self.trainer.current.record
        return rec if rec is not None and self.trainer.checkpoint_of(rec.run_id) else None

    def _on_runs_checked(self, _item) -> None:
        current = self.plots.record
        self.plots.set_overlays([r for r in self._checked_runs() if r is not current])

    def _load_saved_runs(self) -> None:
        root = runs_folder(self.document.path)
        if self.trainer.history.load_folder(root):
            known = {self.runs.item(i).data(RUN_ROLE) for i in range(self.runs.count())}
            for rec in self.trainer.history.records():
                if rec.run_id not in known:
                    self._add_run_item(rec)

    def _export_png(self, path: str | None = None) -> None:
        if not path:
            path, _ = QFileDialog.getSaveFileName(self, self.tr("Export plots"), "training.png", "PNG (*.png)")
        if path:
            export_png(self.plots.layout_widget.scene(), path)

    def _export_csv(self, path: str | None = None) -> None:
        if not path:
            path, _ = QFileDialog.getSaveFileName(self, self.tr("Export curves"), "training.csv", "CSV (*.csv)")
        if path:
            runs = self._checked_runs() or ([self.plots.record] if self.plots.record else [])
            export_csv(runs, path, "epochs")
            export_csv(runs, str(Path(path).with_suffix("")) + "_batches.csv", "batches")

    # ------------------------------------------------------------------ document
    def _on_project_replaced(self) -> None:
        self.inside.set_graph(self.document.graph)
        self._sync_drawpad()
        self._sync_framework()
        if self.setup_tab is not None:
            self.setup_tab.update_all()
        if not self.trainer.is_running():  # another project: the previous one's runs and results go
            self.trainer.history.runs.clear()
            self.runs.clear()
            self.plots.set_record(None)
            self.results.clear()
            self.boundary.clear()
            self.samples.clear()
            self.inside.clear()
            self.playground.show_arrays({})
            self.playground.sync()
            self.inspection_shown.emit({}, {})
            self.message.clear()
            self._end = None
            self.status.setText(self.tr("Ready."))
        self._load_saved_runs()
        self._preview_timer.start()

    def _sync_drawpad(self) -> None:
        """Drawing applies to a model with one grey-level image Input: its size follows that Input."""
        inputs = [n for n in self.document.graph.nodes() if n.type == "input.image"]
        others = [n for n in self.document.graph.nodes() if self.document.graph.spec(n.id).is_input]
        if len(inputs) == 1 and len(others) == 1:
            p = inputs[0].params
            self.drawpad.set_input((int(p["channels"]), int(p["height"]), int(p["width"])))
        else:
            self.drawpad.set_input(None)

    def _on_setup_changed(self, name: str) -> None:
        self.playground.sync()
        if name == "framework":
            self._sync_framework()
        if self.setup_tab is not None:
            self.setup_tab.update_field(name)
        if name in ("dataset", "dataset_path", "dataset_target", "samples", "noise", "seed"):
            self._preview_timer.start()

    def _sync_framework(self) -> None:
        index = self.framework.findData(self.document.project.setup.get("framework", "pytorch"))
        self.framework.setCurrentIndex(max(index, 0))

    def _refresh_preview(self) -> None:
        setup = self.document.project.setup
        self.preview.show_preview(load_preview(setup, self.document.base_dir))
        if setup.get("dataset") in ("spirals", "moons", "circles", "xor"):
            self.boundary.set_points(setup)


def _int(value, default: int) -> int:
    """A QSettings value as an int (it may come back as a string)."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _bool(value) -> bool:
    """A QSettings value as a bool (it may come back as the string "true" or "false")."""
    return value.lower() == "true" if isinstance(value, str) else bool(value)


def _row(*widgets: QWidget, fill: QWidget | None = None) -> QHBoxLayout:
    """``widgets`` side by side, left-aligned; ``fill`` (when given) takes the rest of the row."""
    row = QHBoxLayout()
    for widget in widgets:
        row.addWidget(widget)
    if fill is not None:
        row.addWidget(fill, 1)
    else:
        row.addStretch(1)
    return row


def _set_progress(bar: QProgressBar, value: int) -> None:
    """``bar.setValue`` without its synchronous repaint: the bar is drawn with the next frame."""
    if bar.value() == value:
        return
    bar.setUpdatesEnabled(False)  # QProgressBar.setValue calls repaint(), which paints at once
    bar.setValue(value)
    bar.setUpdatesEnabled(True)  # … this schedules an ordinary update() instead


def _scrolled(widget: QWidget) -> QScrollArea:
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setWidget(widget)
    return area


def _status_text(run) -> str:
    rec, info = run.record, run.record.start_info
    parts = [state_text(run.state)]
    if info.get("epochs"):
        done = int(rec.epochs.last("epoch")) if rec.epochs.n else 0
        parts.append(_tr("epoch %1/%2").replace("%1", str(done)).replace("%2", str(info["epochs"])))
    if rec.batches.n:
        parts.append(_tr("step %1").replace("%1", str(int(rec.batches.last("step")))))
        d_loss, g_loss = rec.batches.last("d_smoothed"), rec.batches.last("g_smoothed")
        if math.isnan(d_loss) or math.isnan(g_loss):
            parts.append(_tr("loss %1").replace("%1", f"{rec.batches.last('smoothed'):.4g}"))
        else:  # a GAN: its discriminator's and generator's losses
            text = _tr("D loss %1 · G loss %2")
            parts.append(text.replace("%1", f"{d_loss:.4g}").replace("%2", f"{g_loss:.4g}"))
        speed = rec.batches.last("samples_per_s")
        if not math.isnan(speed):
            parts.append(_tr("%1 samples/s").replace("%1", f"{speed:,.0f}"))
    eta = run.eta()
    if eta is not None and run.state == "running":
        parts.append(_tr("ETA %1").replace("%1", f"{int(eta // 60)}:{int(eta % 60):02d}"))
    return " · ".join(parts)
