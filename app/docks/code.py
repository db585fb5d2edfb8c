"""Live generated code: PyTorch and TensorFlow/Keras side by side in tabs, following every edit.

Regeneration is debounced (edits in quick succession regenerate once). It runs in the GUI thread
while it is fast; once a run takes longer than ``SLOW_MS`` it moves to a QThreadPool worker that
works on a snapshot of the project, and results of superseded runs are dropped by a generation id.
"""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QEvent, QObject, QRunnable, Qt, QThreadPool, QTimer, Signal
from PySide6.QtGui import QColor, QFontDatabase, QGuiApplication, QPalette, QTextCursor, QTextFormat
from PySide6.QtWidgets import (
    QDockWidget,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.docks.highlighter import PythonHighlighter
from app.i18n import diag
from app.icons import is_dark, severity_color
from graph.fileformat import dumps, loads

FRAMEWORKS = ("pytorch", "tensorflow")
DEBOUNCE_MS = 250
SLOW_MS = 30.0
THEME_EVENTS = (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange)


def load_generator():
    """``codegen.generate``, or None while the code generator is not available."""
    try:
        from codegen import generate
    except ImportError:
        return None
    return generate


def generate_all(generate, project, project_dir) -> dict:
    """{framework: GeneratedCode or the exception it raised}."""
    out = {}
    for framework in FRAMEWORKS:
        try:
            out[framework] = generate(project, framework, project_dir=project_dir)
        except Exception as err:  # a generator bug must not take the editor down
            out[framework] = err
    return out


class _WorkerSignals(QObject):
    done = Signal(int, object, float)


class _ExportSignals(QObject):
    done = Signal(str, object)  # path, the report (or the exception)


class _OnnxTask(QRunnable):
    """ONNX export in a pool thread: it waits for its child process, so the editor never freezes."""

    def __init__(self, snapshot: str, path: str, project_dir):
        super().__init__()
        self.snapshot, self.path, self.project_dir = snapshot, path, project_dir
        self.signals = _ExportSignals()

    def run(self) -> None:
        try:
            from codegen.onnx_export import export_onnx

            result = export_onnx(loads(self.snapshot), self.path, self.project_dir)
        except Exception as err:  # reported in the dock
            result = err
        self.signals.done.emit(self.path, result)


# form -> (file suffix, file filter, caption): File ▸ Export As
EXPORT_FORMS = {
    "minimal": (
        "_short.py",
        QT_TRANSLATE_NOOP("CodeDock", "Python files (*.py)"),
        QT_TRANSLATE_NOOP("CodeDock", "Export short script"),
    ),
    "model": (
        "_model.py",
        QT_TRANSLATE_NOOP("CodeDock", "Python files (*.py)"),
        QT_TRANSLATE_NOOP("CodeDock", "Export model only"),
    ),
    "notebook": (
        ".ipynb",
        QT_TRANSLATE_NOOP("CodeDock", "Jupyter notebooks (*.ipynb)"),
        QT_TRANSLATE_NOOP("CodeDock", "Export notebook"),
    ),
    "onnx": (
        ".onnx",
        QT_TRANSLATE_NOOP("CodeDock", "ONNX models (*.onnx)"),
        QT_TRANSLATE_NOOP("CodeDock", "Export ONNX"),
    ),
}


class _GenerateTask(QRunnable):
    """Generates both scripts from a project snapshot in a pool thread."""

    def __init__(self, generation: int, generate, snapshot: str, project_dir):
        super().__init__()
        self.generation, self.generate, self.snapshot, self.project_dir = generation, generate, snapshot, project_dir
        self.signals = _WorkerSignals()

    def run(self) -> None:
        started = time.perf_counter()
        results = generate_all(self.generate, loads(self.snapshot), self.project_dir)
        self.signals.done.emit(self.generation, results, (time.perf_counter() - started) * 1000)


def _bmp_only(text: str) -> bool:
    return text.isascii() or all(ord(ch) <= 0xFFFF for ch in text)


def _common_prefix(a: str, b: str) -> int:
    """The length of the common prefix of ``a`` and ``b`` (a binary search over C-speed comparisons)."""
    lo, hi = 0, min(len(a), len(b))
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if a[:mid] == b[:mid]:
            lo = mid
        else:
            hi = mid - 1
    return lo


class CodeView(QPlainTextEdit):
    """A read-only, monospaced, highlighted view of one generated script."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setReadOnly(True)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        self.setFont(font)
        self.setTabStopDistance(4 * self.fontMetrics().horizontalAdvance(" "))
        self.highlighter = PythonHighlighter(self.document(), is_dark(self.palette()))

    def set_source(self, text: str) -> None:
        """Replace the text, keeping the scroll position (nothing happens when it is unchanged)."""
        if text == self.toPlainText():
            return
        bar = self.verticalScrollBar()
        value = bar.value()
        old = self.toPlainText()
        if not old or not _bmp_only(old) or not _bmp_only(text):  # cursor positions count UTF-16 units
            self.setPlainText(text)
        else:
            # Replace only the changed middle: an edit changes a few lines of a long script, and
            # setPlainText would lay out and re-highlight every line in the GUI thread.
            start = _common_prefix(old, text)
            end = _common_prefix(old[start:][::-1], text[start:][::-1])
            cursor = QTextCursor(self.document())
            cursor.beginEditBlock()
            cursor.setPosition(start)
            cursor.setPosition(len(old) - end, QTextCursor.MoveMode.KeepAnchor)
            cursor.insertText(text[start : len(text) - end])
            cursor.endEditBlock()
            self.document().clearUndoRedoStacks()
        bar.setValue(min(value, bar.maximum()))

    def highlight_lines(self, ranges: list[tuple[int, int]], scroll: bool = True) -> None:
        """Mark the 1-based inclusive line ranges with a background; scroll the first into view."""
        color = QColor(self.palette().color(QPalette.ColorRole.Highlight))
        color.setAlpha(70)
        selections = []
        for start, end in ranges:
            for line in range(start, end + 1):
                block = self.document().findBlockByNumber(line - 1)
                if not block.isValid():
                    break
                sel = QTextEdit.ExtraSelection()
                sel.format.setBackground(color)
                sel.format.setProperty(QTextFormat.Property.FullWidthSelection, True)
                sel.cursor = QTextCursor(block)
                selections.append(sel)
        self.setExtraSelections(selections)
        if scroll and ranges:
            self._scroll_to(ranges[0])

    def _scroll_to(self, line_range: tuple[int, int]) -> None:
        block = self.document().findBlockByNumber(line_range[0] - 1)
        if block.isValid():
            self.setTextCursor(QTextCursor(block))
            self.centerCursor()

    def highlighted_lines(self) -> list[int]:
        """1-based numbers of the highlighted lines (for tests)."""
        return [sel.cursor.blockNumber() + 1 for sel in self.extraSelections()]

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() in THEME_EVENTS and self.highlighter.dark != is_dark(self.palette()):
            self.highlighter.set_dark(is_dark(self.palette()))


class CodeDock(QDockWidget):
    """The generated PyTorch and Keras scripts, with export and copy buttons."""

    def __init__(self, document, parent=None):
        super().__init__(self.tr("Code"), parent)
        self.setObjectName("CodeDock")
        self.document = document
        self.generate = load_generator()  # replaceable in tests
        self.save_file_name = QFileDialog.getSaveFileName  # injectable: (parent, caption, dir, filter)
        self.results: dict = {}
        self.generation = 0
        self.last_ms = 0.0
        self.pool = QThreadPool.globalInstance()
        self._tasks: dict[int, _GenerateTask] = {}
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.regenerate)
        self._build()
        document.analysis_changed.connect(self.schedule)
        document.setup_changed.connect(self.schedule)
        document.project_replaced.connect(self.schedule)
        document.selection_changed.connect(self._on_selection_changed)
        self.regenerate()

    def _build(self) -> None:
        self.views = {fw: CodeView() for fw in FRAMEWORKS}
        self.tabs = QTabWidget()
        self.tabs.addTab(self.views["pytorch"], self.tr("PyTorch"))
        self.tabs.addTab(self.views["tensorflow"], self.tr("TensorFlow / Keras"))
        self.tabs.currentChanged.connect(self._show_problems)
        self.problems = QLabel()
        self.problems.setWordWrap(True)
        self.problems.setStyleSheet(f"color: {severity_color('warning').name()};")
        self.problems.hide()
        self.export_buttons = {
            "pytorch": QPushButton(self.tr("Export PyTorch…")),
            "tensorflow": QPushButton(self.tr("Export Keras…")),
        }
        self.split_button = QPushButton(self.tr("Side by side"))
        self.split_button.setCheckable(True)
        self.split_button.setToolTip(self.tr("Show the PyTorch and Keras code next to each other"))
        self.split_button.toggled.connect(self.set_side_by_side)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.tabs)
        self.stack.addWidget(self.splitter)
        self.copy_button = QPushButton(self.tr("Copy"))
        self.copy_button.setToolTip(self.tr("Copy the code of the current tab"))
        self.copy_button.clicked.connect(self.copy)
        self.status = QLabel()
        buttons = QHBoxLayout()
        for fw, button in self.export_buttons.items():
            button.clicked.connect(lambda _=False, f=fw: self.export(f))
            buttons.addWidget(button)
        buttons.addWidget(self.copy_button)
        buttons.addWidget(self.split_button)
        buttons.addWidget(self.status, 1)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(buttons)
        layout.addWidget(self.problems)
        layout.addWidget(self.stack, 1)
        self.setWidget(body)

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.LanguageChange:
            self.setWindowTitle(self.tr("Code"))
            for i, text in enumerate((self.tr("PyTorch"), self.tr("TensorFlow / Keras"))[: self.tabs.count()]):
                self.tabs.setTabText(i, text)
            self.export_buttons["pytorch"].setText(self.tr("Export PyTorch…"))
            self.export_buttons["tensorflow"].setText(self.tr("Export Keras…"))
            self.split_button.setText(self.tr("Side by side"))
            self.split_button.setToolTip(self.tr("Show the PyTorch and Keras code next to each other"))
            self.copy_button.setText(self.tr("Copy"))
            self.copy_button.setToolTip(self.tr("Copy the code of the current tab"))
            self.status.clear()
            self._show_problems()

    def set_side_by_side(self, on: bool) -> None:
        """Both scripts next to each other (a selected layer's lines are marked in both), or in tabs."""
        if (self.stack.currentWidget() is self.splitter) == on:
            return
        if on:
            for fw in FRAMEWORKS:
                self.splitter.addWidget(self.views[fw])  # leaves the tab widget…
                self.views[fw].show()  # …which had hidden the page that was not current
            self.splitter.setSizes([1, 1])  # half each
            self.stack.setCurrentWidget(self.splitter)
        else:
            self.tabs.addTab(self.views["pytorch"], self.tr("PyTorch"))
            self.tabs.addTab(self.views["tensorflow"], self.tr("TensorFlow / Keras"))
            self.stack.setCurrentWidget(self.tabs)
        if self.split_button.isChecked() != on:
            self.split_button.setChecked(on)

    # ------------------------------------------------------------------ generation
    def schedule(self, *_) -> None:
        """Regenerate after the debounce interval (restarted by every edit)."""
        self._timer.start()

    def regenerate(self) -> None:
        """Generate both scripts now (in a worker when the last run was slow)."""
        self._timer.stop()
        self.generation += 1
        available = self.generate is not None
        for button in self.export_buttons.values():
            button.setEnabled(available)
        if not available:
            self._show_placeholder()
            return
        if self.last_ms > SLOW_MS:
            self._start_worker(self.generation)
            return
        started = time.perf_counter()
        results = generate_all(self.generate, self.document.project, self.document.base_dir)
        self.last_ms = (time.perf_counter() - started) * 1000
        self._apply(self.generation, results)

    def _start_worker(self, generation: int) -> None:
        task = _GenerateTask(generation, self.generate, dumps(self.document.project), self.document.base_dir)
        task.setAutoDelete(False)
        task.signals.done.connect(self._on_worker_done)
        self._tasks[generation] = task
        self.pool.start(task)

    def _on_worker_done(self, generation: int, results: dict, elapsed_ms: float) -> None:
        self._tasks.pop(generation, None)
        self.last_ms = elapsed_ms
        self._apply(generation, results)

    def _apply(self, generation: int, results: dict) -> None:
        if generation != self.generation:
            return  # a newer edit superseded this run
        self.results = results
        for fw, view in self.views.items():
            result = results.get(fw)
            if isinstance(result, Exception):
                view.set_source(self.tr("# Code generation failed: %1").replace("%1", str(result)))
            else:
                view.set_source(result.source)
        self._show_problems()
        self._highlight_selection()

    def _show_placeholder(self) -> None:
        text = self.tr("# The code generator is not available yet.\n# The generated script will appear here.")
        for view in self.views.values():
            view.set_source(text)
        self.results = {}
        self._show_problems()

    def _show_problems(self, *_) -> None:
        fw = FRAMEWORKS[max(0, self.tabs.currentIndex())]
        result = self.results.get(fw)
        problems = list(getattr(result, "problems", []) or [])
        self.problems.setText("\n".join(f"⚠ {self._problem_text(str(p))}" for p in problems))
        self.problems.setVisible(bool(problems))

    def _problem_text(self, text: str) -> str:
        """A code generator's problem ("where: message — fix: fix", from graph/) in the UI language."""
        where, sep, rest = text.partition(": ")
        if not sep:
            return diag(text)
        message, sep, fix = rest.partition(" — fix: ")
        where = self.tr("model") if where == "model" else where
        return f"{where}: {diag(message)}" + (" — " + self.tr("fix: %1").replace("%1", diag(fix)) if sep else "")

    # ------------------------------------------------------------------ selection
    def _on_selection_changed(self) -> None:
        self._highlight_selection()

    def _highlight_selection(self) -> None:
        selection = self.document.selection()
        for fw, view in self.views.items():
            result = self.results.get(fw)
            lines = getattr(result, "node_lines", None) or {}
            ranges = [r for nid in selection for r in lines.get(nid, [])]
            view.highlight_lines(ranges)

    # ------------------------------------------------------------------ export and copy
    def current_framework(self) -> str:
        return FRAMEWORKS[max(0, self.tabs.currentIndex())]

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.views[self.current_framework()].toPlainText())
        self.status.setText(self.tr("Copied."))

    def export_code(self) -> str | None:
        """Export the script of the current tab (the main window's File ▸ Export hook)."""
        return self.export(self.current_framework())

    def export_form(self, form: str, framework: str | None = None) -> str | None:
        """File ▸ Export As: a short script, the model only, a notebook (both languages) or ONNX (PyTorch)."""
        framework = "pytorch" if form == "onnx" else framework or self.current_framework()
        suffix, filters, caption = EXPORT_FORMS[form]
        stem = Path(self.document.path).stem if self.document.path else "model"
        tag = "" if form == "onnx" else ("_pytorch" if framework == "pytorch" else "_keras")
        start = str(Path(self.document.base_dir or Path.cwd()) / f"{stem}{tag}{suffix}")
        path, _ = self.save_file_name(self, self.tr(caption), start, self.tr(filters))
        if not path:
            return None
        project_dir = self.document.base_dir
        try:
            if form == "onnx":
                task = _OnnxTask(dumps(self.document.project), path, project_dir)
                task.signals.done.connect(self._onnx_done)
                self._onnx_task = task  # keep the signals alive until the export ends
                self.status.setStyleSheet("")
                self.status.setText(self.tr("Exporting %1 to ONNX…").replace("%1", Path(path).name))
                self.pool.start(task)
                return path
            if form == "notebook":
                import nbformat

                from app.i18n import ui_language
                from codegen.notebook import notebook

                nb, problems = notebook(self.document.project, framework, project_dir, lang=ui_language())
                if nb is None:
                    raise ValueError("; ".join(problems))
                text = nbformat.writes(nb)
            else:
                result = self.generate(self.document.project, framework, project_dir=project_dir, form=form)
                if result.problems:
                    raise ValueError("; ".join(result.problems))
                text = result.source
            Path(path).write_text(text, encoding="utf-8")
        except Exception as err:  # a model the format cannot express, a full disk: say so, keep the editor
            self._export_failed(err)
            return None
        self.status.setStyleSheet("")
        self.status.setText(self.tr("Saved %1").replace("%1", Path(path).name))
        return path

    def _onnx_done(self, path: str, report) -> None:
        self._onnx_task = None
        if isinstance(report, Exception) or not report.ok:
            self._export_failed(report if isinstance(report, Exception) else report.message)
            return
        self.status.setStyleSheet("")
        text = self.tr("Saved %1 (onnxruntime agrees with PyTorch within %2)")
        self.status.setText(text.replace("%1", Path(path).name).replace("%2", f"{report.max_diff:.1g}"))

    def _export_failed(self, err) -> None:
        self.status.setText(self.tr("Export failed: %1").replace("%1", str(err)))
        self.status.setStyleSheet(f"color: {severity_color('error').name()};")

    def export(self, framework: str) -> str | None:
        """Ask for a file name and write the freshly generated script there; returns the path."""
        if self.generate is None:
            return None
        suffix = "pytorch" if framework == "pytorch" else "keras"
        stem = Path(self.document.path).stem if self.document.path else "model"
        start = str(Path(self.document.base_dir or Path.cwd()) / f"{stem}_{suffix}.py")
        caption = self.tr("Export PyTorch script") if framework == "pytorch" else self.tr("Export Keras script")
        path, _ = self.save_file_name(self, caption, start, self.tr("Python files (*.py)"))
        if not path:
            return None
        try:
            result = self.generate(self.document.project, framework, project_dir=self.document.base_dir)
            Path(path).write_text(result.source, encoding="utf-8")
        except Exception as err:  # show any failure (disk full, generator bug) instead of crashing
            self.status.setText(self.tr("Export failed: %1").replace("%1", str(err)))
            self.status.setStyleSheet(f"color: {severity_color('error').name()};")
            return None
        self.status.setStyleSheet("")
        self.status.setText(self.tr("Saved %1").replace("%1", Path(path).name))
        return path
