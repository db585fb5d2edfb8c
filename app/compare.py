"""File ▸ Compare With…: the differences between a project file and the editor's model, on the canvas.

The file is the "before", the editor the "after" (``graph.diff.diff_projects(file, editor)``):
layers the editor added are outlined green, changed or renamed ones orange (their tooltip lists
the changes, old → new); removed layers are not on the canvas, so a panel in the status bar names
them, with the connection and training-setup changes in its tooltip. The comparison follows
edits until it is cleared (Esc or the panel's Clear button) or another project is opened.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QMenu, QPushButton, QWidget

from app.canvas.highlight import clear_highlights, set_highlight
from app.i18n import ui_language
from graph.fileformat import ProjectFileError, load

if TYPE_CHECKING:
    from graph.diff import ModelDiff

ADDED = QColor("#2ea043")
CHANGED = QColor("#e8890c")
MAX_LISTED = 4  # removed layers named in the panel itself; the tooltip lists all


class CompareController(QObject):
    """The comparison shown in one MainWindow. ``get_path`` is injectable (tests answer the dialog)."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.doc = window.doc
        self.other = None  # the project compared with, or None
        self.label = ""
        self.diff: ModelDiff | None = None
        self.get_path = self._get_path
        self.action = QAction(window)
        self.action.setObjectName("file.compare")
        self.action.triggered.connect(lambda _checked=False: self.choose())
        self.clear_action = QShortcut(QKeySequence(Qt.Key.Key_Escape), window)
        self.clear_action.setContext(Qt.ShortcutContext.WindowShortcut)
        self.clear_action.setEnabled(False)
        self.clear_action.activated.connect(self.clear)
        self.panel = QWidget()
        self.panel.setObjectName("ComparePanel")
        layout = QHBoxLayout(self.panel)
        layout.setContentsMargins(8, 0, 8, 0)
        self.summary = QLabel()
        self.clear_button = QPushButton()
        self.clear_button.clicked.connect(self.clear)
        layout.addWidget(self.summary)
        layout.addWidget(self.clear_button)
        self.panel.hide()
        self.panel.installEventFilter(self)  # a QObject gets no LanguageChange: the panel's tells
        self.retranslate()
        window.statusBar().insertPermanentWidget(0, self.panel)
        self.doc.analysis_changed.connect(self._on_model_changed)
        self.doc.project_replaced.connect(self.clear)

    def retranslate(self) -> None:
        self.action.setText(self.tr("&Compare With…"))
        self.action.setStatusTip(self.tr("Show how the model differs from a project file"))
        self.clear_button.setText(self.tr("Clear Comparison"))
        self.clear_button.setToolTip(self.tr("Stop showing the differences (Esc)"))
        if self.active:
            self.refresh()

    def eventFilter(self, watched, event) -> bool:
        if watched is self.panel and event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        return False

    @property
    def active(self) -> bool:
        return self.other is not None

    # ------------------------------------------------------------------ choosing
    def choose(self) -> ModelDiff | None:
        path = self.get_path()
        return self.compare_with(path) if path else None

    def _get_path(self) -> str | None:
        start = self.doc.base_dir or self.window._dialog_dir()
        path, _ = QFileDialog.getOpenFileName(
            self.window,
            self.tr("Compare With Project"),
            start,
            self.tr("LayerLab projects (*.json);;All files (*)"),
        )
        return path or None

    def compare_with(self, path: str) -> ModelDiff | None:
        """Compare the editor's model with the project in ``path``; None when it cannot be read."""
        try:
            other = load(path)
        except (ProjectFileError, OSError) as err:
            self.window.show_error(self.tr("Cannot compare"), str(err))
            return None
        self.other, self.label = other, Path(path).name
        self.clear_action.setEnabled(True)
        return self.refresh()

    # ------------------------------------------------------------------ showing
    def _on_model_changed(self) -> None:
        if self.active:
            self.refresh()

    def refresh(self) -> ModelDiff | None:
        """Compute the differences again and redraw the highlights and the panel."""
        if self.other is None:
            return None
        from graph.diff import diff_projects  # imported when first used, not at the editor's start-up

        diff = self.diff = diff_projects(self.other, self.doc.project)
        scene = self.window.scene
        clear_highlights(scene)
        for ref in diff.added:
            set_highlight(scene, ref.id, ADDED, self._note(self.tr("Added since {file}"), []))
        lang = ui_language()
        changed = {c.id: [html.escape(ch.text(lang, c.type)) for ch in c.changes] for c in diff.changed}
        for r in diff.renamed:
            changed.setdefault(r.id, []).insert(
                0, html.escape(self.tr("name: {old} → {new}").format(old=r.old, new=r.new))
            )
        for node_id, lines in changed.items():
            set_highlight(scene, node_id, CHANGED, self._note(self.tr("Changed since {file}"), lines))
        self._show_panel(diff)
        return diff

    def _note(self, title: str, lines: list[str]) -> str:
        color = ADDED if not lines else CHANGED
        head = f"<span style='color:{color.name()}'>■</span> <b>{html.escape(title.format(file=self.label))}</b>"
        return "<br>".join([head] + ["&nbsp;&nbsp;" + line for line in lines])

    def _show_panel(self, diff: ModelDiff) -> None:
        if diff.equal:
            text = self.tr("No differences from {file}").format(file=self.label)
        else:
            text = self.tr("Compared with {file}: {added} added, {changed} changed, {removed} removed").format(
                file=self.label,
                added=len(diff.added),
                changed=len({c.id for c in diff.changed} | {r.id for r in diff.renamed}),
                removed=len(diff.removed),
            )
            if diff.removed:
                names = ", ".join(r.name for r in diff.removed[:MAX_LISTED])
                if len(diff.removed) > MAX_LISTED:
                    names += ", …"
                text += " — " + self.tr("removed: {names}").format(names=names)
        self.summary.setText(text)
        self.summary.setToolTip(
            f"<pre>{html.escape(diff.text(self.label, self.tr('this model'), ui_language()))}</pre>"
        )
        self.panel.show()

    def clear(self) -> None:
        """Stop showing the comparison."""
        self.other, self.diff, self.label = None, None, ""
        self.clear_action.setEnabled(False)
        clear_highlights(self.window.scene)
        self.panel.hide()


def install(window) -> CompareController:
    """Add File ▸ Compare With… to ``window`` (after Examples) and return its controller."""
    controller = CompareController(window)
    save = window.action_map.get("file.save")
    menu = next((w for w in save.associatedObjects() if isinstance(w, QMenu)), None) if save else None
    if menu is None:
        menu = window.menuBar().actions()[0].menu()
    actions = menu.actions()
    before = None
    if save in actions:
        i = actions.index(save)
        before = actions[i - 1] if i and actions[i - 1].isSeparator() else save
    if before is not None:
        menu.insertAction(before, controller.action)
    else:
        menu.addAction(controller.action)
    window.addAction(controller.action)
    window.action_map["file.compare"] = controller.action
    return controller


__all__ = ["ADDED", "CHANGED", "CompareController", "install"]
