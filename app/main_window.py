"""The main window: the canvas in the centre, the docks around it, menus from ``app.actions``.

File operations ask before discarding unsaved work; a file that fails to load is reported in a
dialog and the current project stays open. Dialogs are attributes (``confirm_discard``,
``show_error``, ``get_open_path``, ``get_save_path``, ``ask_restore``) so tests can answer them.
"""

from __future__ import annotations

import importlib
import json
from pathlib import Path

from PySide6.QtCore import QByteArray, QEvent, QMimeData, QRect, QSettings, Qt, QTimer
from PySide6.QtGui import QActionGroup, QGuiApplication
from PySide6.QtWidgets import QFileDialog, QLabel, QMainWindow, QMessageBox

from app.actions import build_menus, retranslate_menus
from app.autosave import Autosave, offer_recovery
from app.canvas.scene import GraphScene
from app.canvas.view import GraphView
from app.document import Document
from app.mime import PROJECT_MIME
from app.theme import canvas_colors
from graph.fileformat import ProjectFileError, load
from graph.project import Project

EXAMPLES_DIR = Path(__file__).resolve().parent.parent / "resources" / "examples"
MAX_RECENT = 8
# The window's geometry and dock layout are kept in these settings; a layout saved under another
# LAYOUT_VERSION (bump it when the docks change) is ignored and the default is used.
LAYOUT_VERSION = 1
LAYOUT_KEYS = {
    "version": "window/layout_version",
    "geometry": "window/geometry",
    "rect": "window/rect",
    "state": "window/state",
}

# (key, module, class, area): every dock is required; one that fails to import stops the start-up
# with DockLoadError naming it (a silently missing panel looked like a bug in the others).
DOCKS = (
    ("palette", "app.docks.palette", "PaletteDock", Qt.DockWidgetArea.LeftDockWidgetArea),
    ("inspector", "app.docks.inspector", "InspectorDock", Qt.DockWidgetArea.RightDockWidgetArea),
    ("code", "app.docks.code", "CodeDock", Qt.DockWidgetArea.RightDockWidgetArea),
    ("problems", "app.docks.problems", "ProblemsDock", Qt.DockWidgetArea.BottomDockWidgetArea),
    ("history", "app.docks.history", "HistoryDock", Qt.DockWidgetArea.BottomDockWidgetArea),
    ("summary", "app.docks.summary", "SummaryDock", Qt.DockWidgetArea.BottomDockWidgetArea),
    ("training", "app.training.panel", "TrainingDock", Qt.DockWidgetArea.BottomDockWidgetArea),
)


def example_files() -> list[Path]:
    return sorted(EXAMPLES_DIR.glob("*.json"))


def example_titles() -> list[tuple[Path, str, str]]:
    """(file, title, description) of every bundled example, sorted by title."""
    out = []
    for path in example_files():
        try:
            meta = json.loads(path.read_text(encoding="utf-8")).get("meta", {})
        except (OSError, ValueError):
            meta = {}
        out.append((path, meta.get("title") or path.stem.replace("_", " "), meta.get("description", "")))
    return sorted(out, key=lambda item: item[1].lower())


class DockLoadError(ImportError):
    """A dock's module or class could not be loaded; the message names both and the cause."""

    def __init__(self, key: str, module: str, cls: str, cause: BaseException):
        super().__init__(f"the {key} panel could not be loaded: {module}.{cls}: {type(cause).__name__}: {cause}")
        self.key, self.module, self.cls = key, module, cls


class MainWindow(QMainWindow):
    """One editor window on one Document."""

    def __init__(
        self,
        document: Document | None = None,
        theme=None,
        autosave: bool = True,
        recovery_folder: Path | None = None,
        parent=None,
        remember_layout: bool = False,
    ):
        """``remember_layout``: restore the geometry and dock layout the last window saved, save them on close
        (the application's window does; test and screenshot windows start from the default layout)."""
        super().__init__(parent)
        self.setObjectName("MainWindow")
        self.doc = document or Document(parent=self)
        self.theme = theme
        colors = theme.colors if theme is not None else canvas_colors(_palette_is_dark())
        self.scene = GraphScene(self.doc, colors, self)
        self.view = GraphView(self.scene, self)
        self.setCentralWidget(self.view)
        self.confirm_discard = self._confirm_discard
        self.show_error = self._show_error
        self.get_open_path = self._get_open_path
        self.get_save_path = self._get_save_path
        self.save_file_name = QFileDialog.getSaveFileName  # injectable: (parent, caption, dir, filter)
        self.ask_restore = self._ask_restore
        self.import_request = self._import_request  # injectable: the dialog's request, or None
        self.docks = self._add_docks()
        self.action_map = build_menus(self, self.menuBar())
        self._build_status_bar()
        from app.compare import install as install_compare

        self.compare = install_compare(self)  # File ▸ Compare With…
        self._connect_signals()
        self.action_map["view.snap"].setChecked(QSettings().value("canvas/snap", True, type=bool))
        self.autosave = Autosave(self.doc, recovery_folder, parent=self) if autosave else None
        self.remember_layout = remember_layout
        self._saved_state = None  # the dock layout to restore at the first show
        if not (remember_layout and self._restore_layout()):
            self._fit_to_screen()
        self._update_title()
        self._update_undo_actions()
        self._update_status()
        self._built = True  # from now on a language change retranslates the window

    # ------------------------------------------------------------------ building
    def _fit_to_screen(self, preferred=(1400, 900)) -> None:
        """The preferred size, or 92 % of a smaller screen's free area, centred on it."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is None:
            self.resize(*preferred)
            return
        free = screen.availableGeometry()
        width = min(preferred[0], int(free.width() * 0.92))
        height = min(preferred[1], int(free.height() * 0.92))
        self.resize(width, height)
        self.move(free.x() + (free.width() - width) // 2, free.y() + (free.height() - height) // 2)

    def _restore_layout(self) -> bool:
        """Restore the saved geometry (the dock layout follows at the first show); False when there is none,
        it was saved by another layout version, or it does not fit an available screen (off-screen, too large)."""
        settings = QSettings()
        if settings.value(LAYOUT_KEYS["version"], 0, type=int) != LAYOUT_VERSION:
            return False
        geometry, rect, state = (settings.value(LAYOUT_KEYS[k]) for k in ("geometry", "rect", "state"))
        if not isinstance(rect, QRect) or not isinstance(geometry, QByteArray) or not fits_a_screen(rect):
            return False
        if not self.restoreGeometry(geometry):  # the maximized state, the screen
            return False
        if not self.isMaximized() and not self.isFullScreen():
            self.setGeometry(rect)  # as saved: it fits (restoreGeometry may move it to another screen's size)
        self._saved_state = state if isinstance(state, QByteArray) else None
        return True

    def save_layout(self) -> None:
        """Remember the geometry and dock layout for the next start."""
        settings = QSettings()
        settings.setValue(LAYOUT_KEYS["version"], LAYOUT_VERSION)
        settings.setValue(LAYOUT_KEYS["geometry"], self.saveGeometry())
        settings.setValue(LAYOUT_KEYS["rect"], self.normalGeometry() if self.isMaximized() else self.geometry())
        settings.setValue(LAYOUT_KEYS["state"], self.saveState(LAYOUT_VERSION))

    def reset_layout(self) -> None:
        """View ▸ Panels ▸ Reset Layout: every dock docked, shown and grouped as at a first start."""
        groups = {}
        for key, _module, _cls, area in DOCKS:
            dock = self.docks.get(key)
            if dock is None:
                continue
            dock.setFloating(False)
            self.addDockWidget(area, dock)  # takes it out of any tab group or other area
            dock.show()
            groups.setdefault(area, []).append(dock)
        sides = [d for k, d in self.docks.items() if k in ("palette", "inspector")]
        self.resizeDocks(sides, [220, 320][: len(sides)], Qt.Orientation.Horizontal)
        self._tabify([g for g in groups.values() if len(g) > 1])

    def _tabify(self, groups) -> None:
        for group in groups:
            for dock in group[1:]:
                self.tabifyDockWidget(group[0], dock)
            group[0].raise_()
            if self.dockWidgetArea(group[0]) == Qt.DockWidgetArea.BottomDockWidgetArea:
                # The training plots are what a first run needs to see: their tab in front, and room.
                training = self.docks.get("training") if hasattr(self, "docks") else None
                if training in group:
                    training.raise_()
                self.resizeDocks([group[0]], [max(300, int(self.height() * 0.48))], Qt.Orientation.Vertical)

    def _add_docks(self) -> dict:
        docks, by_area = {}, {}
        for key, module, cls, area in DOCKS:
            try:
                dock_cls = getattr(importlib.import_module(module), cls)
            except (ImportError, AttributeError) as err:
                raise DockLoadError(key, module, cls, err) from err
            dock = dock_cls(self.doc, self)
            if not dock.objectName():
                dock.setObjectName(cls)
            self.addDockWidget(area, dock)
            by_area.setdefault(area, []).append(dock)
            docks[key] = dock
        # Qt 6.11 leaves a stray, visible duplicate tab bar when two areas are tabified before the
        # window is shown, so tabify on the first show.
        self._pending_tabs = [g for g in by_area.values() if len(g) > 1]
        if "palette" in docks and hasattr(docks["palette"], "add_requested"):
            docks["palette"].add_requested.connect(self.view.add_layer_smart)  # behind the selection
        if "palette" in docks and hasattr(docks["palette"], "block_requested"):
            docks["palette"].block_requested.connect(self.view.add_block_smart)
        sides = [d for k, d in docks.items() if k in ("palette", "inspector")]
        self.resizeDocks(sides, [220, 320][: len(sides)], Qt.Orientation.Horizontal)
        bottom = by_area.get(Qt.DockWidgetArea.BottomDockWidgetArea, [])[:1]
        self.resizeDocks(bottom, [140] * len(bottom), Qt.Orientation.Vertical)
        return docks

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.selection_label, self.params_label, self.state_label = QLabel(), QLabel(), QLabel()
        for label in (self.selection_label, self.params_label, self.state_label):
            label.setContentsMargins(8, 0, 8, 0)
            bar.addPermanentWidget(label)

    def _connect_signals(self) -> None:
        stack = self.doc.undo_stack
        stack.cleanChanged.connect(self._update_title)
        stack.canUndoChanged.connect(self._update_undo_actions)
        stack.canRedoChanged.connect(self._update_undo_actions)
        stack.indexChanged.connect(self._update_undo_actions)
        self.doc.path_changed.connect(self._update_title)
        self.doc.project_replaced.connect(self._on_project_replaced)
        self.doc.analysis_changed.connect(self._update_status)
        self.doc.selection_changed.connect(self._update_status)
        self.scene.message.connect(lambda text: self.statusBar().showMessage(text, 10_000))
        training = self.docks.get("training")
        if training is not None:  # the teaching views draw each layer's output under its card
            training.inspection_shown.connect(self.scene.show_inspection)
        self.doc.blocks.problem.connect(lambda text: self.statusBar().showMessage(text, 15_000))
        if self.doc.blocks.problems:  # found while the window was being built: shown once, now
            self.statusBar().showMessage(self.doc.blocks.problem_text(self.doc.blocks.problems[-1]), 15_000)
        if self.theme is not None:
            self.theme.changed.connect(self._on_theme_changed)

    def _on_theme_changed(self, colors) -> None:
        """New canvas colours, drawn at once: the view caches its background (the dot grid)."""
        self.scene.set_colors(colors)
        self.view.resetCachedContent()
        self.view.viewport().update()
        self._update_status()  # the status colours come from the canvas colours

    # ------------------------------------------------------------------ title and status
    def display_name(self) -> str:
        if self.doc.path:
            return Path(self.doc.path).name
        return self.doc.project.meta.get("title") or self.tr("Untitled")

    def _update_title(self, *_args) -> None:
        self.setWindowTitle(f"{self.display_name()}[*] — LayerLab")
        self.setWindowModified(self.doc.modified)

    def _update_undo_actions(self, *_args) -> None:
        stack = self.doc.undo_stack
        for key, can, text in (
            ("edit.undo", stack.canUndo(), stack.undoText()),
            ("edit.redo", stack.canRedo(), stack.redoText()),
        ):
            action = self.action_map[key]
            action.setEnabled(can)
            action.setStatusTip(text)
            action.setToolTip(text)

    def _update_status(self) -> None:
        a, graph = self.doc.analysis(), self.doc.graph
        self.params_label.setText(self.tr("Parameters: {n}").format(n=f"{a.total:,}"))
        errors = len(a.errors)
        if errors:
            self.state_label.setText(self.tr("%n error(s)", "", errors))
            style = f"color: {self.scene.colors.error.name()}; font-weight: bold"
        else:
            self.state_label.setText(self.tr("✓ valid"))
            style = f"color: {self.scene.colors.port_ok.name()}"
        if self.state_label.styleSheet() != style:  # setting a style sheet re-polishes: only on a change
            self.state_label.setStyleSheet(style)
        sel = self.doc.selection()
        block = self.doc.block_of_selection(sel) if len(sel) > 1 else None
        if len(sel) == 1:
            self.selection_label.setText(graph.node(sel[0]).name)
        elif block is not None:  # a block card (or all of a block's layers)
            self.selection_label.setText(graph.group(block).name)
        elif sel:
            self.selection_label.setText(self.tr("%n layer(s) selected", "", len(sel)))
        else:
            self.selection_label.setText(self.tr("%n layer(s)", "", len(graph)))

    def _on_project_replaced(self) -> None:
        self.statusBar().clearMessage()  # a "Saved …" notice was about the previous project
        self._update_title()
        self._update_status()
        QTimer.singleShot(0, self.view.fit_all)

    # ------------------------------------------------------------------ files
    def maybe_save(self) -> bool:
        """True when it is fine to drop the current project (saved, discarded, or unmodified)."""
        if not self.doc.modified:
            return True
        answer = self.confirm_discard()
        if answer == "save":
            return self.save()
        return answer == "discard"

    def new_project(self) -> None:
        if self.maybe_save():
            self.doc.replace_project(Project(), None)

    def open_dialog(self) -> None:
        path = self.get_open_path()
        if path:
            self.open_file(path)

    def open_file(self, path: str, ask: bool = True) -> bool:
        """Open ``path``; on failure show why and keep the current project. Returns success."""
        if ask and not self.maybe_save():
            return False
        try:
            self.doc.open(str(path))
        except (ProjectFileError, OSError) as err:
            self.show_error(self.tr("Cannot open file"), str(err))
            return False
        self._layout_if_unplaced()
        self.add_recent(str(path))
        return True

    def import_dialog(self) -> None:
        """File ▸ Import Model: ask what to import, run it in a child process, open the new project."""
        request = self.import_request()
        if request is None:
            return
        from app.import_dialog import start_import

        self.statusBar().showMessage(self.tr("Importing {name}…").format(name=Path(request["path"]).name))
        start_import(self, request, self._import_done)

    def _import_request(self) -> dict | None:
        from app.import_dialog import ImportDialog

        dialog = ImportDialog(self, self._dialog_dir())
        return dialog.request() if dialog.exec() else None

    def _import_done(self, report) -> None:
        self.last_import = report
        if not report.ok:
            self.statusBar().clearMessage()
            problems = "\n".join(f"• {p}" for p in report.problems)
            self.show_error(self.tr("Cannot import the model"), f"{report.message}\n\n{problems}".strip())
            return
        if self.open_file(report.project):
            text = self.tr("Imported {layers} layers").format(layers=report.layers)
            if report.weights:
                text += self.tr(", with their weights (training starts from them)")
            self.statusBar().showMessage(text, 10000)

    def open_example(self, path: Path) -> bool:
        """Open an example as an untitled copy, so Save never overwrites the bundled file."""
        if not self.maybe_save():
            return False
        try:
            project = load(path)
        except (ProjectFileError, OSError) as err:
            self.show_error(self.tr("Cannot open example"), str(err))
            return False
        project.meta.setdefault("title", path.stem)
        data = project.setup.get("dataset_path")
        if data and not Path(data).expanduser().is_absolute():  # the copy has no folder: anchor bundled data
            project.setup["dataset_path"] = str((Path(path).parent / data).resolve())
        self.doc.replace_project(project, None)
        self._layout_if_unplaced()
        return True

    def _layout_if_unplaced(self) -> None:
        """A graph without positions (all nodes at one point) gets the layered layout on opening."""
        positions = {n.pos for n in self.doc.graph.nodes()}
        if len(self.doc.graph) > 1 and len(positions) == 1:
            self.doc.auto_layout()
            self.doc.undo_stack.clear()  # the layout is part of what was opened, not an edit

    def save(self) -> bool:
        if not self.doc.path:
            return self.save_as()
        return self._save_to(self.doc.path)

    def save_as(self) -> bool:
        path = self.get_save_path()
        if not path:
            return False
        if not Path(path).suffix:
            path += ".json"
        return self._save_to(path)

    def _save_to(self, path: str) -> bool:
        try:
            self.doc.save(path)
        except OSError as err:
            self.show_error(self.tr("Cannot save file"), str(err))
            return False
        self.add_recent(path)
        self.statusBar().showMessage(self.tr("Saved {path}").format(path=path), 5000)
        return True

    def fill_export_menu(self, menu) -> None:
        """File ▸ Export As: the other forms of the code (the Code dock's framework; ONNX from PyTorch), the diagram."""
        menu.clear()
        dock = self.docks.get("code") if hasattr(self, "docks") else None
        entries = (
            ("minimal", self.tr("Short Script…")),
            ("model", self.tr("Model Only…")),
            ("notebook", self.tr("Jupyter Notebook…")),
            ("onnx", self.tr("ONNX (PyTorch model)…")),
        )
        for form, text in entries:
            action = menu.addAction(text, lambda f=form: dock.export_form(f) if dock is not None else None)
            action.setEnabled(dock is not None and hasattr(dock, "export_form"))
        menu.addSeparator()
        menu.addAction(self.tr("Diagram (PNG)…"), lambda: self.export_diagram("png"))
        menu.addAction(self.tr("Diagram (SVG)…"), lambda: self.export_diagram("svg"))

    def export_diagram(self, fmt: str) -> str | None:
        """File ▸ Export As ▸ Diagram: the canvas's drawing of the model, fitted, as PNG or SVG."""
        from app.diagram import render

        stem = Path(self.doc.path).stem if self.doc.path else "model"
        start = str(Path(self.doc.base_dir or self._dialog_dir()) / f"{stem}_diagram.{fmt}")
        filters = self.tr("PNG images (*.png)") if fmt == "png" else self.tr("SVG images (*.svg)")
        path, _ = self.save_file_name(self, self.tr("Export Diagram"), start, filters)
        if not path:
            return None
        if not Path(path).suffix:
            path += f".{fmt}"
        try:
            render(self.doc, fmt, path, colors=self.scene.colors)
        except OSError as err:
            self.show_error(self.tr("Cannot export the diagram"), str(err))
            return None
        self.statusBar().showMessage(self.tr("Saved {path}").format(path=path), 5000)
        return path

    def export_code(self) -> None:
        """Hook for the code dock: it exports when it offers ``export_code()``."""
        dock = self.docks.get("code")
        if dock is not None and hasattr(dock, "export_code"):
            dock.export_code()
        else:
            self.statusBar().showMessage(self.tr("Code export is not available"), 5000)

    def recent_files(self) -> list[str]:
        value = QSettings().value("recent_files", []) or []
        return [value] if isinstance(value, str) else list(value)

    def add_recent(self, path: str) -> None:
        path = str(Path(path).resolve())
        files = [path] + [p for p in self.recent_files() if p != path]
        QSettings().setValue("recent_files", files[:MAX_RECENT])

    def fill_recent_menu(self, menu) -> None:
        menu.clear()
        for path in self.recent_files():
            shown = f"{Path(path).name} — {Path(path).parent}"  # the folder tells same-named projects apart
            menu.addAction(shown, lambda p=path: self.open_file(p)).setStatusTip(path)
        if menu.isEmpty():
            menu.addAction(self.tr("(none)")).setEnabled(False)
        else:
            menu.addSeparator()
            menu.addAction(self.tr("Clear List"), lambda: QSettings().setValue("recent_files", []))

    def fill_lessons_menu(self, menu) -> None:
        from app.lessons import lesson_title
        from graph.lessons import LESSONS

        menu.clear()
        for key in LESSONS:
            menu.addAction(lesson_title(key), lambda k=key: self.show_lesson(k))

    def show_lesson(self, key: str):
        """The Lessons panel on this lesson, with its first project open."""
        from app.lessons import LessonDock
        from graph.lessons import LESSONS

        dock = getattr(self, "lesson_dock", None)
        if dock is None:
            dock = self.lesson_dock = LessonDock(self)
            self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
        dock.show_lesson(key)
        dock.open_variant(next(iter(LESSONS[key].variants)))
        return dock

    def fill_examples_menu(self, menu) -> None:
        menu.clear()
        from app.i18n import ui_language
        from graph.glossary import example_description, example_title

        lang = ui_language()
        for path, title, description in example_titles():
            action = menu.addAction(example_title(title, lang), lambda p=path: self.open_example(p))
            description = example_description(path.stem, description, lang)
            action.setStatusTip(description)
            action.setToolTip(description)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        groups, self._pending_tabs = self._pending_tabs, []
        self._tabify(groups)
        state, self._saved_state = self._saved_state, None
        if state is not None and not self.restoreState(state, LAYOUT_VERSION):
            self.reset_layout()  # a damaged layout: the default, not half of it

    def closeEvent(self, event) -> None:
        if not self.maybe_save():
            event.ignore()
            return
        if self.autosave is not None:
            self.autosave.shutdown()
        for dock in self.docks.values():  # training workers and probes end with the window
            if hasattr(dock, "shutdown"):
                dock.shutdown()
        if self.remember_layout:
            self.save_layout()
        event.accept()

    def check_recovery(self, ask=None) -> bool:
        """Offer to restore a recovery file a crashed session left behind."""
        folder = self.autosave.folder if self.autosave is not None else None
        return offer_recovery(self.doc, ask or self.ask_restore, folder)

    # ------------------------------------------------------------------ edit
    def undo(self) -> None:
        self.doc.undo_stack.undo()

    def redo(self) -> None:
        self.doc.undo_stack.redo()

    def copy(self) -> bool:
        """Put the selection on the clipboard as project JSON (also as plain text)."""
        ids = self.doc.selection()
        if not ids:
            return False
        text = self.doc.copy(ids)
        mime = QMimeData()
        mime.setData(PROJECT_MIME, text.encode("utf-8"))
        mime.setText(text)
        QGuiApplication.clipboard().setMimeData(mime)
        return True

    def cut(self) -> None:
        if self.copy():
            self.doc.remove_nodes(self.doc.selection())

    def paste(self) -> list[str]:
        mime = QGuiApplication.clipboard().mimeData()
        if mime is None:
            return []
        text = bytes(mime.data(PROJECT_MIME)).decode("utf-8") if mime.hasFormat(PROJECT_MIME) else mime.text()
        try:
            return self.doc.paste(text)
        except ProjectFileError:
            self.statusBar().showMessage(self.tr("The clipboard holds no LayerLab layers"), 5000)
            return []

    def duplicate(self) -> None:
        if self.doc.selection():
            self.doc.duplicate()

    def delete_selection(self) -> None:
        """Delete the selected layers (with their connections) and the selected connections."""
        self.doc.delete(self.doc.selection(), self.scene.selected_edges())

    def select_all(self) -> None:
        self.doc.set_selection(self.doc.graph.node_ids())

    def group_selection(self) -> str | None:
        """Edit ▸ Group into Block: the selected layers become one block; a refusal goes to the status bar."""
        from app.i18n import diag

        problem = self.doc.group_selection(self.doc.selection())
        if problem:
            self.statusBar().showMessage(diag(problem), 10_000)
        return problem

    def ungroup_selection(self) -> int:
        """Edit ▸ Ungroup: every block holding a selected layer goes (its layers stay)."""
        count = self.doc.ungroup_nodes(self.doc.selection())
        if not count:
            self.statusBar().showMessage(self.tr("No selected layer is in a block"), 5000)
        return count

    # ------------------------------------------------------------------ view
    def fit_view(self) -> None:
        self.view.fit_all(readable=False)  # asked for: the whole graph, however small

    def zoom_in(self) -> None:
        self.view.zoom_in()

    def zoom_out(self) -> None:
        self.view.zoom_out()

    def auto_layout(self) -> None:
        self.doc.auto_layout()
        self.view.fit_all()

    def set_snap(self, on: bool) -> None:
        self.scene.snap_enabled = bool(on)
        settings = QSettings()
        if settings.value("canvas/snap", True, type=bool) != bool(on):  # (writing the file costs ~10 ms)
            settings.setValue("canvas/snap", bool(on))

    def quick_add(self) -> None:
        self.view.setFocus()
        self.view.open_quick_add()

    def fill_theme_menu(self, menu) -> None:
        menu.clear()
        group = QActionGroup(menu)
        current = self.theme.mode if self.theme is not None else "auto"
        for mode, text in (("auto", self.tr("Follow System")), ("light", self.tr("Light")), ("dark", self.tr("Dark"))):
            action = menu.addAction(text, lambda m=mode: self.theme and self.theme.set_mode(m))
            action.setCheckable(True)
            action.setChecked(mode == current)
            action.setEnabled(self.theme is not None)
            group.addAction(action)

    def fill_language_menu(self, menu) -> None:
        from app import i18n

        menu.clear()
        group = QActionGroup(menu)
        current = i18n.saved_language()
        for lang, text in (("auto", self.tr("Follow System")), ("en", "English"), ("zh_CN", "简体中文")):
            action = menu.addAction(text, lambda lang=lang: self._set_language(lang))
            action.setCheckable(True)
            action.setChecked(lang == current)
            group.addAction(action)

    def _set_language(self, lang: str) -> None:
        """Remember the choice and apply it now: every widget gets a LanguageChange event and retranslates."""
        from PySide6.QtCore import QCoreApplication

        from app import i18n

        i18n.save_language(lang)
        app = QCoreApplication.instance()
        if app is not None:
            i18n.install_translator(app, lang)

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        # A language change can arrive while the window is still being built (a dock processing events):
        # the menus, made after the docks, then start in the new language anyway.
        if event.type() == QEvent.Type.LanguageChange and getattr(self, "_built", False):
            self.retranslate()

    def retranslate(self) -> None:
        """Menus, status bar, title and the cards' type names in the UI language (docks do their own)."""
        from app.i18n import pick

        retranslate_menus(self.menuBar(), self.action_map)
        for node_id, item in self.scene.nodes.items():
            if node_id in self.doc.graph:
                spec = self.doc.graph.spec(node_id)
                item.set_type_name(pick(spec.display_name, spec.display_name_zh))
        if hasattr(self.scene, "retranslate"):
            self.scene.retranslate()
        self.view.viewport().update()
        self._update_title()
        self._update_undo_actions()
        self._update_status()

    def fill_docks_menu(self, menu) -> None:
        menu.clear()
        for dock in self.docks.values():
            menu.addAction(dock.toggleViewAction())
        menu.addSeparator()
        reset = menu.addAction(self.tr("&Reset Layout"), self.reset_layout)
        reset.setObjectName("view.reset_layout")
        reset.setStatusTip(self.tr("Put every panel back where it is at the first start"))

    def about(self):
        """Help ▸ About: version, Python and Qt versions, where LayerLab is installed."""
        return self._show_help("about")

    def show_shortcuts(self):
        """Help ▸ Keyboard Shortcuts: every action of ``app.actions.ACTIONS`` with its keys."""
        return self._show_help("shortcuts")

    def show_layer_reference(self):
        """Help ▸ Layer Reference (F1): every catalog layer with its explanation, searchable; at the
        selected layer when one is selected."""
        dialog = self._show_help("layers")
        ids = self.doc.selection()
        if len(ids) == 1 and ids[0] in self.doc.graph:
            dialog.show_layer(self.doc.graph.node(ids[0]).type)
        return dialog

    def _show_help(self, kind: str):
        """Show (non-modal, one of each kind) and return a Help dialog."""
        from app import help_dialogs
        from app.i18n import ui_language

        dialogs = self.__dict__.setdefault("help_dialogs", {})
        dialog = dialogs.get(kind)
        if dialog is not None and dialog.property("lang") != ui_language():  # the language was switched
            dialog.close()
            dialog.deleteLater()
            dialog = None
        if dialog is None:
            if kind == "layers":
                dialog = help_dialogs.LayerReferenceDialog(self.doc.graph.catalog, self)
            else:
                dialog = {"about": help_dialogs.AboutDialog, "shortcuts": help_dialogs.ShortcutsDialog}[kind](self)
            dialog.setProperty("lang", ui_language())
            dialogs[kind] = dialog
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()
        return dialog

    # ------------------------------------------------------------------ default dialogs
    def _confirm_discard(self) -> str:
        buttons = QMessageBox.StandardButton
        answer = QMessageBox.question(
            self,
            self.tr("Unsaved changes"),
            self.tr("{name} has unsaved changes. Save them first?").format(name=self.display_name()),
            buttons.Save | buttons.Discard | buttons.Cancel,
            buttons.Save,
        )
        return {buttons.Save: "save", buttons.Discard: "discard"}.get(answer, "cancel")

    def _show_error(self, title: str, message: str) -> None:
        QMessageBox.critical(self, title, message)

    def _get_open_path(self) -> str | None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Open Project"), self._dialog_dir(), self.tr("LayerLab projects (*.json);;All files (*)")
        )
        return path or None

    def _get_save_path(self) -> str | None:
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Save Project"), self.doc.path or self._dialog_dir(), self.tr("LayerLab projects (*.json)")
        )
        return path or None

    def _dialog_dir(self) -> str:
        """Where file dialogs start: the last project's folder, never the bundled examples (read-only copies)."""
        for path in self.recent_files():
            folder = Path(path).parent
            if folder.resolve() != EXAMPLES_DIR.resolve() and folder.is_dir():
                return str(folder)
        return str(Path.home())

    def _ask_restore(self, path: Path) -> bool:
        buttons = QMessageBox.StandardButton
        answer = QMessageBox.question(
            self,
            self.tr("Restore unsaved work?"),
            self.tr("LayerLab did not close properly last time. Restore the unsaved work from the recovery file?"),
            buttons.Yes | buttons.No,
            buttons.Yes,
        )
        return answer == buttons.Yes


def available_areas() -> list[QRect]:
    """Each screen's area free for windows (without task bars and docks)."""
    return [screen.availableGeometry() for screen in QGuiApplication.screens()]


def fits_a_screen(rect: QRect) -> bool:
    """Whether ``rect`` (a window's geometry) lies inside one screen's available area."""
    return any(area.contains(rect) for area in available_areas())


def _palette_is_dark() -> bool:
    from app.icons import is_dark

    return is_dark()


__all__ = ["LAYOUT_VERSION", "DockLoadError", "MainWindow", "example_files", "fits_a_screen"]
