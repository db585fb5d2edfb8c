"""The undo history: every edit as one entry; clicking an entry undoes or redoes up to it."""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QDockWidget, QUndoView


class HistoryDock(QDockWidget):
    """A QUndoView over the document's undo stack."""

    def __init__(self, document, parent=None):
        super().__init__(self.tr("History"), parent)
        self.setObjectName("HistoryDock")
        self.document = document
        self.view = QUndoView(document.undo_stack)
        self.view.setEmptyLabel(self.tr("<original>"))
        self.setWidget(self.view)
        document.project_replaced.connect(self._on_project_replaced)

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.LanguageChange:
            self.setWindowTitle(self.tr("History"))
            self.view.setEmptyLabel(self.tr("<original>"))

    def _on_project_replaced(self) -> None:
        # The Document keeps one stack (cleared on replace); rebinding covers a stack swapped later.
        if self.view.stack() is not self.document.undo_stack:
            self.view.setStack(self.document.undo_stack)
