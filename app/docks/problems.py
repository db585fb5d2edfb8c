"""The problems list: every diagnostic of the current analysis; clicking one shows its layer."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QAbstractItemView, QDockWidget, QHeaderView, QTreeWidget, QTreeWidgetItem

from app.icons import severity_icon

NODE_ROLE = Qt.ItemDataRole.UserRole + 1
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
        self.tree.setHeaderLabels([self.tr("Layer"), self.tr("Problem"), self.tr("Suggested fix")])
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
            (w, d.node_id, d.severity, d.message, d.fix, d.text()) for w, d in zip(wheres, diagnostics, strict=True)
        )
        if not force and shown == self._shown:
            return
        self._shown = shown
        self.tree.clear()
        for where, d in zip(wheres, diagnostics, strict=True):
            item = QTreeWidgetItem([where, d.message, d.fix or ""])
            item.setIcon(0, severity_icon(d.severity))
            item.setToolTip(0, self._severity_names.get(d.severity, d.severity))
            item.setToolTip(1, d.text())
            item.setToolTip(2, d.fix or "")
            item.setData(0, NODE_ROLE, d.node_id or "")
            self.tree.addTopLevelItem(item)
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

    def _on_item_clicked(self, item: QTreeWidgetItem, column: int = 0) -> None:
        node_id = item.data(0, NODE_ROLE)
        if node_id and node_id in self.document.graph:
            self.document.set_selection([node_id])
            self.document.focus_requested.emit(node_id)
