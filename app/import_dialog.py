"""File ▸ Import Model: a Keras, ONNX or PyTorch model into a new project, in a child process.

The dialog asks what ``layerlab import`` asks (for a PyTorch file also the class, its arguments and the
input shapes, and it says that this runs the file's code); the import runs in a pool thread that waits
for the child (``codegen.importers.run``), so the editor never freezes and never imports a framework.
On success the new project opens (after the usual "save changes?"); on failure every problem is listed
and nothing is written.
"""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from codegen.importers.run import ImportReport, import_file, kind_of, parse_input

HEAD_CHOICES = ("auto", "classification", "binary", "multilabel", "regression")


def parse_inputs(text: str) -> list[dict]:
    """ "images:1x28x28, ids:64:int64" -> [{"name", "shape", "dtype"}]; ValueError naming the bad part."""
    parts = [p.strip() for p in text.replace(";", ",").split(",") if p.strip()]
    out = []
    for part in parts:
        try:
            out.append(parse_input(part))
        except ValueError:
            raise ValueError(part) from None
    return out


class ImportDialog(QDialog):
    """What to import and where to write the project."""

    def __init__(self, parent=None, start_dir: str = ""):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Import Model"))
        self.start_dir = start_dir
        self.open_file_name = QFileDialog.getOpenFileName  # injectable for tests
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.source = QLineEdit()
        self.source.setPlaceholderText(self.tr("a .keras, .json (Keras config), .onnx or .py (PyTorch) file"))
        self.source.textChanged.connect(self._source_changed)
        browse = QPushButton(self.tr("Browse…"))
        browse.clicked.connect(self._browse)
        row = QWidget()
        row_layout = QHBoxLayout(row)
        row_layout.setContentsMargins(0, 0, 0, 0)
        row_layout.addWidget(self.source, 1)
        row_layout.addWidget(browse)
        form.addRow(self.tr("Model file"), row)
        self.kind = QLabel()
        form.addRow(self.tr("Kind"), self.kind)
        self.class_name = QLineEdit()
        self.class_name.setPlaceholderText("Net")
        self.ctor_args = QLineEdit()
        self.ctor_args.setPlaceholderText(self.tr('JSON, e.g. [10] or {"classes": 10}; empty: none'))
        self.inputs = QLineEdit()
        self.inputs.setPlaceholderText("images:1x28x28  ·  ids:64:int64")
        self.torch_rows = [
            (QLabel(self.tr("Module class")), self.class_name),
            (QLabel(self.tr("Constructor arguments")), self.ctor_args),
            (QLabel(self.tr("Inputs (per sample)")), self.inputs),
        ]
        for label, widget in self.torch_rows:
            form.addRow(label, widget)
        self.warning = QLabel(
            self.tr(
                "Importing a PyTorch module runs the code in this file (in a separate process). "
                "Only import files you trust."
            )
        )
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet("color: #b35c00;")
        form.addRow(self.warning)
        self.head = QComboBox()
        titles = {
            "auto": self.tr("Automatic (from the last layer)"),
            "classification": self.tr("Classification"),
            "binary": self.tr("Binary"),
            "multilabel": self.tr("Multi-label"),
            "regression": self.tr("Regression"),
        }
        for key in HEAD_CHOICES:
            self.head.addItem(titles[key], key)
        form.addRow(self.tr("Loss of each output"), self.head)
        self.output = QLineEdit()
        form.addRow(self.tr("New project"), self.output)
        layout.addLayout(form)
        self.error = QLabel()
        self.error.setStyleSheet("color: #c62828;")
        self.error.setWordWrap(True)
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Import"))
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.resize(560, self.sizeHint().height())
        self._source_changed("")

    def _browse(self) -> None:
        path, _ = self.open_file_name(
            self,
            self.tr("Import Model"),
            self.start_dir,
            self.tr("Models (*.keras *.json *.onnx *.py);;All files (*)"),
        )
        if path:
            self.source.setText(path)

    def _source_changed(self, text: str) -> None:
        kind = kind_of(text) if text else None
        names = {"keras": "Keras", "onnx": "ONNX", "pytorch": "PyTorch (torch.fx)"}
        self.kind.setText(names.get(kind, self.tr("unknown: choose a .keras, .json, .onnx or .py file")))
        torch = kind == "pytorch"
        for label, widget in self.torch_rows:
            label.setVisible(torch)
            widget.setVisible(torch)
        self.warning.setVisible(torch)
        if text:
            src = Path(text)
            self.output.setText(str(src.with_name(src.stem + "_imported.json")))

    def request(self) -> dict:
        """The import's arguments (``codegen.importers.run.import_file``); ValueError with a message."""
        src = self.source.text().strip()
        if not src or not Path(src).is_file():
            raise ValueError(self.tr("Choose the model file to import."))
        kind = kind_of(src)
        if kind is None:
            raise ValueError(self.tr("LayerLab imports .keras, .json (Keras config), .onnx and .py (PyTorch) files."))
        out = self.output.text().strip()
        if not out.endswith(".json"):
            raise ValueError(self.tr("The new project needs a file name ending in .json."))
        req = {"path": src, "out": out, "heads": [self.head.currentData()], "kind": kind}
        if kind == "pytorch":
            if not self.class_name.text().strip():
                raise ValueError(self.tr("Name the nn.Module class to import."))
            req["class_name"] = self.class_name.text().strip()
            text = self.ctor_args.text().strip()
            try:
                req["args"] = json.loads(text) if text else None
            except json.JSONDecodeError:
                raise ValueError(self.tr("The constructor arguments must be JSON, e.g. [10].")) from None
            try:
                req["inputs"] = parse_inputs(self.inputs.text()) or None
            except ValueError as err:
                raise ValueError(
                    self.tr("Write each input as name:shape, e.g. images:1x28x28 (not {part}).").format(part=err)
                ) from None
        return req

    def _accept(self) -> None:
        try:
            self.request()
        except ValueError as err:
            self.error.setText(str(err))
            return
        if Path(self.output.text().strip()).exists():
            answer = QMessageBox.question(
                self, self.tr("Import Model"), self.tr("{path} exists. Replace it?").format(path=self.output.text())
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        self.accept()


class _Signals(QObject):
    done = Signal(object)  # ImportReport


class ImportTask(QRunnable):
    """The import in a pool thread: it only waits for the child process."""

    def __init__(self, request: dict):
        super().__init__()
        self.request = dict(request)
        self.signals = _Signals()

    def run(self) -> None:
        req = dict(self.request)
        try:
            report = import_file(req.pop("path"), req.pop("out"), **req)
        except Exception as err:  # shown to the user, never a crash of the pool thread
            report = ImportReport(False, f"{type(err).__name__}: {err}")
        self.signals.done.emit(report)


def start_import(window, request: dict, on_done) -> ImportTask:
    """Run ``request`` in the background; ``on_done(report)`` is called in the GUI thread."""
    task = ImportTask(request)
    task.setAutoDelete(False)
    task.signals.done.connect(on_done)
    window._import_task = task  # keep the task (and its signals) alive until it reports
    QThreadPool.globalInstance().start(task)
    return task
