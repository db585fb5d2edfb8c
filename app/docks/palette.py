"""The layer palette: every catalog layer by category, then the blocks (bundled, the project's, the
user's library), searchable in English and Chinese, draggable."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QMimeData, QPoint, Qt, Signal
from PySide6.QtGui import QColor, QDrag, QFontMetrics, QPainter, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QLineEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.block_shelf import entry_description, entry_title
from app.i18n import pick, ui_language
from app.icons import category_icon, layer_icon
from app.mime import BLOCK_MIME, LAYER_MIME
from graph.catalog import CATEGORY_ZH

TYPE_ROLE = Qt.ItemDataRole.UserRole + 1
BLOCK_ROLE = Qt.ItemDataRole.UserRole + 2  # a block's key (on the Blocks category: "")
BLOCK_CATEGORY = "Block"


def layer_mime(type_id: str) -> QMimeData:
    """The drag payload for one layer type (read by the canvas on drop)."""
    mime = QMimeData()
    mime.setData(LAYER_MIME, type_id.encode("utf-8"))
    mime.setText(type_id)
    return mime


def search_text(spec) -> str:
    """Everything a palette search matches against: id, names and summaries in both languages."""
    parts = (spec.type_id, spec.display_name, spec.display_name_zh, spec.summary, spec.summary_zh)
    return " ".join(parts).casefold()


def matches(spec, query: str) -> bool:
    """True when every word of ``query`` occurs in the spec's names, id or summaries."""
    haystack = search_text(spec)
    return all(word in haystack for word in query.casefold().split())


def layer_tooltip(spec) -> str:
    """Rich tooltip: name in both languages, the explanation for the UI language, and the formula."""
    name = f"<b>{_esc(pick(spec.display_name, spec.display_name_zh))}</b>"
    other = spec.display_name if ui_language() == "zh" else spec.display_name_zh
    summary = pick(spec.summary, spec.summary_zh)
    html = f"{name} <span style='color:gray'>{_esc(other)} · {_esc(spec.type_id)}</span><br>{_esc(summary)}"
    if spec.formula:
        html += f"<pre style='margin-top:6px'>{_esc(spec.formula)}</pre>"
    return f"<qt>{html}</qt>"


def block_mime(key: str) -> QMimeData:
    """The drag payload for one block (its palette key)."""
    mime = QMimeData()
    mime.setData(BLOCK_MIME, key.encode("utf-8"))
    return mime


def block_matches(entry, query: str) -> bool:
    """True when every word of ``query`` occurs in the block's titles, descriptions or key."""
    parts = (entry.key, entry.title, entry.title_zh, entry.description, entry.description_zh)
    haystack = " ".join(parts).casefold()
    return all(word in haystack for word in query.casefold().split())


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class LayerTree(QTreeWidget):
    """A tree whose leaf items drag out as LAYER_MIME with their type id."""

    def mimeTypes(self) -> list[str]:
        return [LAYER_MIME, BLOCK_MIME, "text/plain"]

    def mimeData(self, items) -> QMimeData:
        ids = [it.data(0, TYPE_ROLE) for it in items if it.data(0, TYPE_ROLE)]
        if ids:
            return layer_mime(ids[0])
        keys = [it.data(0, BLOCK_ROLE) for it in items if it.data(0, BLOCK_ROLE)]
        return block_mime(keys[0]) if keys else QMimeData()

    def supportedDropActions(self):
        return Qt.DropAction.CopyAction

    def startDrag(self, actions) -> None:
        """Drag with a small preview below and right of the cursor, so the connection under the
        cursor (a splice target) stays visible."""
        item = self.currentItem()
        if item is None or not (item.data(0, TYPE_ROLE) or item.data(0, BLOCK_ROLE)):
            return
        drag = QDrag(self)
        drag.setMimeData(self.mimeData([item]))
        pixmap = drag_preview(item.icon(0), item.text(0), self.font(), self.devicePixelRatioF())
        drag.setPixmap(pixmap)
        drag.setHotSpot(QPoint(-DRAG_PREVIEW_OFFSET, -DRAG_PREVIEW_OFFSET))
        drag.exec(Qt.DropAction.CopyAction)


DRAG_PREVIEW_OFFSET = 18  # pixels between the cursor and the preview's top-left corner


def drag_preview(icon, text: str, font, ratio: float = 1.0) -> QPixmap:
    """A small, half-transparent chip with the layer's icon and name."""
    metrics = QFontMetrics(font)
    width, height = metrics.horizontalAdvance(text) + 34, max(metrics.height() + 8, 24)
    pixmap = QPixmap(int(width * ratio), int(height * ratio))
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setOpacity(0.85)
    painter.setBrush(QColor(250, 250, 250))
    painter.setPen(QColor(120, 120, 120))
    painter.drawRoundedRect(0.5, 0.5, width - 1, height - 1, 5, 5)
    icon.paint(painter, 5, (height - 16) // 2, 16, 16)
    painter.setPen(QColor(30, 30, 30))
    painter.setFont(font)
    painter.drawText(26, 0, width - 28, height, int(Qt.AlignmentFlag.AlignVCenter), text)
    painter.end()
    return pixmap


class PaletteDock(QDockWidget):
    """Layers grouped by category. Drag one onto the canvas, or double-click it to add it."""

    add_requested = Signal(str)  # type id; the main window adds it at the view centre
    block_requested = Signal(object)  # a BlockEntry; the main window inserts it where the user works

    def __init__(self, document, parent=None):
        super().__init__(self.tr("Layers"), parent)
        self.setObjectName("PaletteDock")
        self.document = document
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Search layers (English or 中文)…"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._on_search_changed)
        self.search.returnPressed.connect(self._on_search_return)
        self.tree = LayerTree()
        self.tree.setHeaderHidden(True)
        self.tree.setDragEnabled(True)
        self.tree.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.tree.setDefaultDropAction(Qt.DropAction.CopyAction)
        self.tree.itemDoubleClicked.connect(self._on_item_double_clicked)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._layer_menu)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.search)
        layout.addWidget(self.tree)
        self.setWidget(body)
        self._entries: dict = {}  # block key -> entry, as listed
        self._catalog = None  # the catalog the layer items were made from
        self._populate()
        document.project_replaced.connect(self._on_project_replaced)
        document.blocks.changed.connect(self._on_blocks_changed)

    # ------------------------------------------------------------------ building
    def _populate(self) -> None:
        self.tree.clear()
        zh = ui_language() == "zh"
        self._catalog = self.document.graph.catalog
        for category, specs in self._catalog.by_category().items():
            top = QTreeWidgetItem([CATEGORY_ZH.get(category, category) if zh else category])
            top.setIcon(0, category_icon(category))
            top.setFlags(Qt.ItemFlag.ItemIsEnabled)
            top.setToolTip(0, category if zh else CATEGORY_ZH.get(category, ""))
            for spec in specs:
                top.addChild(self._layer_item(spec))
            self.tree.addTopLevelItem(top)
        top = QTreeWidgetItem([self.tr("Blocks")])
        top.setIcon(0, category_icon(BLOCK_CATEGORY))
        top.setFlags(Qt.ItemFlag.ItemIsEnabled)
        top.setToolTip(0, self.tr("Groups of layers to insert as one: bundled, this project's and your library's"))
        top.setData(0, BLOCK_ROLE, "")
        self.tree.addTopLevelItem(top)
        self._fill_blocks()
        self.tree.expandAll()

    def _blocks_top(self) -> QTreeWidgetItem | None:
        for i in range(self.tree.topLevelItemCount()):
            top = self.tree.topLevelItem(i)
            if top.data(0, BLOCK_ROLE) is not None:
                return top
        return None

    def _fill_blocks(self) -> None:
        top = self._blocks_top()
        if top is None:
            return
        top.takeChildren()
        self._entries = {e.key: e for e in self.document.blocks.entries()}  # for the search
        for entry in self._entries.values():
            top.addChild(self._block_item(entry))
        top.setExpanded(True)

    def _block_item(self, entry) -> QTreeWidgetItem:
        item = QTreeWidgetItem([entry_title(entry)])
        item.setIcon(0, category_icon(BLOCK_CATEGORY))
        item.setToolTip(0, self.block_tooltip(entry))
        item.setData(0, BLOCK_ROLE, entry.key)
        item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled)
        return item

    def block_tooltip(self, entry) -> str:
        """Rich tooltip: the block's title, where it comes from, and what it does, in the UI language."""
        where = {
            "bundled": self.tr("bundled with LayerLab"),
            "project": self.tr("used in this project"),
            "library": self.tr("from your block library"),
        }.get(entry.source, entry.source)
        title = f"<b>{_esc(entry_title(entry))}</b> <span style='color:gray'>{_esc(where)}</span>"
        return f"<qt>{title}<br>{_esc(entry_description(entry))}</qt>"

    def block_items(self) -> list[QTreeWidgetItem]:
        """Every block item, visible or not."""
        top = self._blocks_top()
        return [top.child(j) for j in range(top.childCount())] if top is not None else []

    def visible_block_keys(self) -> list[str]:
        return [it.data(0, BLOCK_ROLE) for it in self.block_items() if not it.isHidden() and not it.parent().isHidden()]

    def _layer_item(self, spec) -> QTreeWidgetItem:
        item = QTreeWidgetItem([pick(spec.display_name, spec.display_name_zh)])
        item.setIcon(0, layer_icon(spec))
        item.setToolTip(0, layer_tooltip(spec))
        item.setData(0, TYPE_ROLE, spec.type_id)
        item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled)
        return item

    def layer_items(self) -> list[QTreeWidgetItem]:
        """Every layer (leaf) item, visible or not."""
        out = []
        for i in range(self.tree.topLevelItemCount()):
            top = self.tree.topLevelItem(i)
            if top.data(0, BLOCK_ROLE) is None:
                out += [top.child(j) for j in range(top.childCount())]
        return out

    def visible_type_ids(self) -> list[str]:
        """Type ids of the layers the current search shows."""
        return [it.data(0, TYPE_ROLE) for it in self.layer_items() if not it.isHidden() and not it.parent().isHidden()]

    # ------------------------------------------------------------------ slots
    def _on_search_changed(self, text: str) -> None:
        catalog = self.document.graph.catalog
        for i in range(self.tree.topLevelItemCount()):
            top = self.tree.topLevelItem(i)
            shown = 0
            for j in range(top.childCount()):
                child = top.child(j)
                key = child.data(0, BLOCK_ROLE)
                if key:
                    entry = self._entries.get(key)
                    ok = entry is not None and block_matches(entry, text)
                else:
                    ok = matches(catalog[child.data(0, TYPE_ROLE)], text)
                child.setHidden(not ok)
                shown += ok
            top.setHidden(shown == 0)
        self.tree.expandAll()

    def _on_search_return(self) -> None:
        if not self.search.text().strip():
            return
        visible = self.visible_type_ids()
        if visible:
            self.request_add(visible[0])
        elif self.visible_block_keys():
            self.request_block(self.visible_block_keys()[0])

    def _layer_menu(self, pos) -> None:
        """A layer's menu in the palette: its page in the Layer Reference."""
        from PySide6.QtWidgets import QMenu

        item = self.tree.itemAt(pos)
        type_id = item.data(0, TYPE_ROLE) if item is not None else None
        if not type_id:
            return
        menu = QMenu(self)
        menu.addAction(self.tr("Show in Layer Reference"), lambda: _show_reference(self, type_id))
        menu.exec(self.tree.viewport().mapToGlobal(pos))

    def _on_item_double_clicked(self, item: QTreeWidgetItem, column: int) -> None:
        type_id = item.data(0, TYPE_ROLE)
        if type_id:
            self.request_add(type_id)
        elif item.data(0, BLOCK_ROLE):
            self.request_block(item.data(0, BLOCK_ROLE))

    def request_block(self, key: str) -> list[str]:
        """Ask the window to insert a block; with no one listening, insert it near the origin."""
        entry = self.document.blocks.entry(key)
        if entry is None:
            return []
        meta = self.metaObject()
        if self.isSignalConnected(meta.method(meta.indexOfSignal("block_requested(PyObject)"))):
            self.block_requested.emit(entry)
            return []
        return self.document.insert_block(entry, at=(0.0, 0.0))

    def _on_blocks_changed(self) -> None:
        self._fill_blocks()
        self._on_search_changed(self.search.text())

    def request_add(self, type_id: str) -> None:
        """Ask the window to add a layer; with no one listening, add it at the origin."""
        if self.isSignalConnected(self.metaObject().method(self.metaObject().indexOfSignal("add_requested(QString)"))):
            self.add_requested.emit(type_id)
        else:
            node_id = self.document.add_node(type_id, (0.0, 0.0))
            self.document.set_selection([node_id])

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            self._refresh_icons()  # category colours differ between light and dark themes
        elif event.type() == QEvent.Type.LanguageChange:
            self.setWindowTitle(self.tr("Layers"))
            self.search.setPlaceholderText(self.tr("Search layers (English or 中文)…"))
            self._populate()  # layer and category names in the new language
            self._on_search_changed(self.search.text())

    def _refresh_icons(self) -> None:
        catalog = self.document.graph.catalog
        for i in range(self.tree.topLevelItemCount()):
            top = self.tree.topLevelItem(i)
            if top.data(0, BLOCK_ROLE) is not None:
                top.setIcon(0, category_icon(BLOCK_CATEGORY))
                for j in range(top.childCount()):
                    top.child(j).setIcon(0, category_icon(BLOCK_CATEGORY))
                continue
            for j in range(top.childCount()):
                spec = catalog[top.child(j).data(0, TYPE_ROLE)]
                top.child(j).setIcon(0, layer_icon(spec))
                top.setIcon(0, category_icon(spec.category))

    def _on_project_replaced(self) -> None:
        # A new project may come with another catalog (else only its blocks differ); the search stays as typed.
        if self.document.graph.catalog is self._catalog:  # the layer items stay: reset them as new ones
            self.tree.setCurrentItem(None)
            self.tree.clearSelection()
            self._fill_blocks()
            self.tree.expandAll()
            self.tree.scrollToTop()
        else:
            self._populate()
        self._on_search_changed(self.search.text())


def _show_reference(widget, type_id: str) -> None:
    from app.help_dialogs import show_layer_reference  # loads matplotlib: only when asked

    show_layer_reference(widget, type_id)
