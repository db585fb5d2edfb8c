"""The problems list: every diagnostic of the current analysis; clicking one shows its layer."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QHeaderView,
    QMenu,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
)

from app.i18n import diag
from app.icons import severity_icon

NODE_ROLE = Qt.ItemDataRole.UserRole + 1
ROW_ROLE = Qt.ItemDataRole.UserRole + 2  # index into ``ProblemsDock.rows``
FIX_COLUMN = 3
_RANK = {"error": 0, "warning": 1, "info": 2}


class ProblemsDock(QDockWidget):
    """Severity, layer, message and suggested fix of each diagnostic, errors first."""

    def __init__(self, document, parent=None):
        super().__init__(self.tr("Problems"), parent)
        self.setObjectName("ProblemsDock")
        self.document = document
        self.tree = QTreeWidget()
        self.tree.setRootIsDecorated(False)
        self.tree.setAlternatingRowColors(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setHeaderLabels([self.tr("Layer"), self.tr("Problem"), self.tr("Suggested fix"), ""])
        self.tree.header().setStretchLastSection(False)
        self.tree.header().setSectionResizeMode(FIX_COLUMN, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.itemDoubleClicked.connect(self._on_item_double_clicked)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._on_context_menu)
        self.rows: list = []  # the diagnostics shown, in row order
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.header().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.tree.header().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.tree.setWordWrap(True)
        self.tree.itemClicked.connect(self._on_item_clicked)
        self.tree.itemActivated.connect(self._on_item_clicked)
        self.setWidget(self.tree)
        self._severity_names = {"error": self.tr("Error"), "warning": self.tr("Warning"), "info": self.tr("Note")}
        self._shown: tuple | None = None  # what the list shows, so an unchanged analysis rebuilds nothing
        document.analysis_changed.connect(self.refresh)
        document.project_replaced.connect(self.refresh)
        self.refresh()

    def refresh(self, force: bool = False) -> None:
        """Rebuild the list from ``document.analysis()`` (only when what it shows changed, or ``force``)."""
        analysis, graph = self.document.analysis(), self.document.graph
        diagnostics = sorted(analysis.diagnostics, key=lambda d: _RANK.get(d.severity, 3))
        wheres = [graph.node(d.node_id).name if d.node_id in graph else self.tr("Model") for d in diagnostics]
        shown = tuple(
            (w, d.node_id, d.severity, d.message, d.fix, d.text(), d.action)
            for w, d in zip(wheres, diagnostics, strict=True)
        )
        if not force and shown == self._shown:
            return
        self._shown = shown
        self.tree.clear()
        self.rows = list(diagnostics)
        for where, d in zip(wheres, diagnostics, strict=True):
            message, fix = diag(d.message), diag(d.fix) or ""
            item = QTreeWidgetItem([where, message, fix])
            item.setIcon(0, severity_icon(d.severity))
            item.setToolTip(0, self._severity_names.get(d.severity, d.severity))
            item.setToolTip(1, message + (" — " + self.tr("fix: %1").replace("%1", fix) if fix else ""))
            item.setToolTip(2, fix)
            item.setData(0, NODE_ROLE, d.node_id or "")
            item.setData(0, ROW_ROLE, self.tree.topLevelItemCount())
            self.tree.addTopLevelItem(item)
            if d.action is not None:
                self.tree.setItemWidget(item, FIX_COLUMN, self._fix_button(item, fix))
        errors = len(analysis.errors)
        title = (
            self.tr("Problems") if not diagnostics else self.tr("Problems (%1)").replace("%1", str(len(diagnostics)))
        )
        self.setWindowTitle(title)
        self.setToolTip(self.tr("%n error(s)", "", errors))

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            self.refresh(force=True)  # severity icons are tuned to the theme
        elif event.type() == QEvent.Type.LanguageChange:
            self.tree.setHeaderLabels([self.tr("Layer"), self.tr("Problem"), self.tr("Suggested fix"), ""])
            self._severity_names = {"error": self.tr("Error"), "warning": self.tr("Warning"), "info": self.tr("Note")}
            self.refresh(force=True)  # messages and fixes in the new language

    def _on_item_clicked(self, item: QTreeWidgetItem, column: int = 0) -> None:
        node_id = item.data(0, NODE_ROLE)
        if node_id and node_id in self.document.graph:
            self.document.set_selection([node_id])
            self.document.focus_requested.emit(node_id)

    # ------------------------------------------------------------------ one-click fixes
    def _fix_button(self, item: QTreeWidgetItem, fix: str) -> QToolButton:
        button = QToolButton()
        button.setText(self.tr("Fix"))
        button.setToolTip(self.tr("Apply this fix (one undo step): %1").replace("%1", fix))
        button.clicked.connect(lambda _checked=False, row=item.data(0, ROW_ROLE): self.apply_row(row))
        return button

    def fix_button(self, row: int) -> QToolButton | None:
        """The Fix button of a row (None when that problem has no one-click fix)."""
        item = self.tree.topLevelItem(row)
        widget = self.tree.itemWidget(item, FIX_COLUMN) if item is not None else None
        return widget if isinstance(widget, QToolButton) else None

    def apply_row(self, row: int) -> bool:
        """Apply the one-click fix of row ``row``; True when it was applied."""
        if not isinstance(row, int) or not 0 <= row < len(self.rows) or self.rows[row].action is None:
            return False
        problem = self.document.apply_fix(self.rows[row].action)
        if problem:
            self.setToolTip(problem)
            return False
        return True

    def _on_item_double_clicked(self, item: QTreeWidgetItem, column: int = 0) -> None:
        self.apply_row(item.data(0, ROW_ROLE))

    def menu_for_row(self, row: int) -> QMenu:
        """The context menu of one problem: Fix (when it has one) and Select Layer."""
        menu = QMenu(self.tree)
        d = self.rows[row] if 0 <= row < len(self.rows) else None
        if d is not None and d.action is not None:
            from app.context_menus import fix_text

            action = menu.addAction(self.tr("Fix: %1").replace("%1", fix_text(d)), lambda: self.apply_row(row))
            action.setObjectName("problem.fix")
        action = menu.addAction(self.tr("Select Layer"), lambda: self._on_item_clicked(self.tree.topLevelItem(row)))
        action.setObjectName("problem.select")
        action.setEnabled(d is not None and d.node_id is not None and d.node_id in self.document.graph)
        return menu

    def _on_context_menu(self, point) -> None:
        item = self.tree.itemAt(point)
        if item is None:
            return
        menu = self.menu_for_row(self.tree.indexOfTopLevelItem(item))
        menu.popup(self.tree.viewport().mapToGlobal(point))
