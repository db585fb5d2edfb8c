"""The model summary: a Keras-like table of every layer with its FLOPs and activation memory.

Rows follow the analysis order; the figures come from ``graph.costs`` (its docstring has the
conventions). The table follows graph events and fresh analyses, coalesced, and rebuilds only when
what it shows changed (and only while it is visible); clicking a row selects and shows the layer.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QHeaderView,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.docks.binding import GraphListener
from app.i18n import pick
from graph.costs import compute_costs, format_bytes, format_flops

NODE_ROLE = Qt.ItemDataRole.UserRole + 1
COLUMNS = ("layer", "type", "shape", "params", "flops", "memory", "batch")
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


class SummaryDock(QDockWidget):
    """Layer, type, output shape, parameters, FLOPs and activation memory (per sample, per batch)."""

    def __init__(self, document, parent=None):
        super().__init__(self.tr("Summary"), parent)
        self.setObjectName("SummaryDock")
        self.document = document
        self.tree = QTreeWidget()
        self.tree.setRootIsDecorated(False)
        self.tree.setAlternatingRowColors(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self._set_headers()
        header = self.tree.header()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(False)
        self.tree.itemClicked.connect(self._on_item_clicked)
        self.tree.itemActivated.connect(self._on_item_clicked)
        self.totals = QLabel()
        self.totals.setWordWrap(True)
        self.totals.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.tree)
        layout.addWidget(self.totals)
        self.setWidget(body)
        self._shown: tuple | None = None  # what the table shows, so an unchanged model rebuilds nothing
        self._items: dict[str, QTreeWidgetItem] = {}  # node id -> its row
        self._stale = True
        self._selection_stale = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._on_timer)
        self._listener = GraphListener(self, {"changed": self.schedule})
        self._listener.bind(document.graph)
        document.project_replaced.connect(self._on_project_replaced)
        document.analysis_changed.connect(self.schedule)
        document.setup_changed.connect(self._on_setup_changed)
        document.selection_changed.connect(self._on_selection_changed)
        self.visibilityChanged.connect(self._on_visibility_changed)

    def _set_headers(self) -> None:
        self.tree.setHeaderLabels(
            [
                self.tr("Layer"),
                self.tr("Type"),
                self.tr("Output shape"),
                self.tr("Parameters"),
                self.tr("FLOPs"),
                self.tr("Memory / sample"),
                self.tr("Memory / batch"),
            ]
        )
        for column in range(3, len(COLUMNS)):
            self.tree.headerItem().setTextAlignment(column, _RIGHT)

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.LanguageChange:
            self.setWindowTitle(self.tr("Summary"))
            self._set_headers()
            self._shown = None  # layer type names and texts follow the language too
            self.schedule()

    # ------------------------------------------------------------------ updates
    def schedule(self, *_args) -> None:
        """Refresh once the current burst of events is over."""
        self._stale = True
        self._timer.start()

    def seen(self) -> bool:
        """Whether the table can be seen: shown, and not behind another panel's tab (a tabbed dock stays
        "visible" behind the front tab; its visible region is then empty)."""
        return self.isVisible() and not self.visibleRegion().isEmpty()

    def _on_timer(self) -> None:
        if self.seen():
            self.refresh()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._catch_up()

    def _on_visibility_changed(self, visible: bool) -> None:
        if visible:  # its tab came to the front (or the dock was shown)
            self._catch_up()

    def _catch_up(self) -> None:
        if self._stale:
            self.refresh()
        elif self._selection_stale:
            self._sync_selection()

    def _on_project_replaced(self) -> None:
        self._listener.bind(self.document.graph)
        self.schedule()

    def _on_setup_changed(self, name: str) -> None:
        if name == "batch_size":
            self.schedule()

    def rows(self) -> list[tuple[str, ...]]:
        """The table's texts, one tuple per layer, in the columns' order."""
        return [row for _, row, _ in self._model()[0]]

    def _model(self):
        doc = self.document
        graph, analysis = doc.graph, doc.analysis()
        batch = int(doc.project.setup.get("batch_size", 1) or 1)
        costs = compute_costs(graph, analysis, batch)
        rows = []
        for nid, cost in costs.layers.items():
            node, spec = graph.node(nid), graph.spec(nid)
            if spec.is_head:
                t = analysis.inputs.get(nid, {}).get("in")
                shape = self.tr("loss on {shape}").format(shape=t.label()) if t is not None else "?"
            else:
                shapes = analysis.shapes.get(nid)
                shape = ", ".join(t.label() for t in shapes.values()) if shapes else "?"
            counts = analysis.counts.get(nid)
            row = (
                node.name,
                pick(spec.display_name, spec.display_name_zh),
                shape,
                f"{sum(counts):,}" if counts is not None else "?",
                format_flops(cost.flops),
                format_bytes(cost.bytes),
                format_bytes(cost.batch_bytes(batch)),
            )
            rows.append((nid, row, cost.flops))
        return rows, costs, analysis

    def refresh(self, force: bool = False) -> None:
        """Rebuild the table from the document's analysis (only when what it shows changed, or ``force``)."""
        self._stale = False
        rows, costs, analysis = self._model()
        totals = self._totals_text(costs, analysis)
        shown = (tuple(rows), totals)
        if not force and shown == self._shown:
            return
        self._shown = shown
        self.tree.clear()
        self._items = {}
        items = []
        for nid, row, flops in rows:
            item = QTreeWidgetItem(list(row))
            item.setData(0, NODE_ROLE, nid)
            self._items[nid] = item
            for column in range(3, len(COLUMNS)):
                item.setTextAlignment(column, _RIGHT)
            if flops is not None:
                item.setToolTip(4, self.tr("{n} FLOPs per sample").format(n=f"{flops:,}"))
            items.append(item)
        self.tree.addTopLevelItems(items)
        self.totals.setText(totals)
        self._sync_selection()

    def _totals_text(self, costs, analysis) -> str:
        text = self.tr(
            "Total: {params} parameters · {flops} FLOPs per sample · activations {memory} per sample, "
            "{batch} for a batch of {n}"
        ).format(
            params=f"{analysis.total:,}",
            flops=format_flops(costs.flops),
            memory=format_bytes(costs.bytes),
            batch=format_bytes(costs.batch_bytes),
            n=costs.batch_size,
        )
        if not costs.complete:
            text += " " + self.tr("(layers marked ? are not counted)")
        return text

    # ------------------------------------------------------------------ selection
    def _on_selection_changed(self) -> None:
        if self.seen():
            self._sync_selection()
        else:  # synced when the table comes into view
            self._selection_stale = True

    def _sync_selection(self) -> None:
        """Select the rows of the selected layers (only the rows whose state changes are touched)."""
        self._selection_stale = False
        selected = set(self.document.selection())
        self.tree.blockSignals(True)
        try:
            for item in self.tree.selectedItems():
                if item.data(0, NODE_ROLE) not in selected:
                    item.setSelected(False)
            for nid in selected:
                item = self._items.get(nid)
                if item is not None and not item.isSelected():
                    item.setSelected(True)
        finally:
            self.tree.blockSignals(False)

    def _on_item_clicked(self, item: QTreeWidgetItem, column: int = 0) -> None:
        node_id = item.data(0, NODE_ROLE)
        if node_id and node_id in self.document.graph:
            self.document.set_selection([node_id])
            self.document.focus_requested.emit(node_id)


__all__ = ["SummaryDock"]
