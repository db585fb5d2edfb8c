"""Quick add: a small popup (opened on Tab over the canvas) to find a layer by typing its name."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, Qt, Signal
from PySide6.QtWidgets import QFrame, QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout

from app.docks.palette import layer_tooltip, matches
from app.i18n import pick, ui_language
from app.icons import layer_icon

TYPE_ROLE = Qt.ItemDataRole.UserRole + 1


class QuickAddPopup(QFrame):
    """A search field over a list of every layer; Enter or a click emits ``chosen(type_id)``."""

    chosen = Signal(str)

    def __init__(self, catalog, parent=None):
        super().__init__(parent, Qt.WindowType.Popup)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.catalog = catalog
        self.edit = QLineEdit()
        self.edit.setPlaceholderText(self.tr("Add layer: type a name…"))
        self.edit.textChanged.connect(self._on_text_changed)
        self.edit.installEventFilter(self)
        self.list = QListWidget()
        self.list.setUniformItemSizes(True)
        self.list.itemActivated.connect(self._on_item_activated)
        self.list.itemClicked.connect(self._on_item_activated)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(4)
        layout.addWidget(self.edit)
        layout.addWidget(self.list)
        self.resize(300, 320)
        self._fill()

    def _fill(self) -> None:
        other_zh = ui_language() != "zh"
        for spec in self.catalog:
            other = spec.display_name_zh if other_zh else spec.display_name
            item = QListWidgetItem(layer_icon(spec), f"{pick(spec.display_name, spec.display_name_zh)}   {other}")
            item.setData(TYPE_ROLE, spec.type_id)
            item.setToolTip(layer_tooltip(spec))
            self.list.addItem(item)
        self._on_text_changed("")

    def popup(self, global_pos: QPoint) -> None:
        """Show at ``global_pos`` with an empty search and the keyboard in the field."""
        self.edit.clear()
        self.move(global_pos)
        self.show()
        self.edit.setFocus()

    def visible_type_ids(self) -> list[str]:
        return [self.list.item(i).data(TYPE_ROLE) for i in range(self.list.count()) if not self.list.item(i).isHidden()]

    def _on_text_changed(self, text: str) -> None:
        first = None
        for i in range(self.list.count()):
            item = self.list.item(i)
            ok = matches(self.catalog[item.data(TYPE_ROLE)], text)
            item.setHidden(not ok)
            if ok and first is None:
                first = item
        self.list.setCurrentItem(first)

    def _on_item_activated(self, item: QListWidgetItem) -> None:
        self.choose(item.data(TYPE_ROLE))

    def choose(self, type_id: str) -> None:
        self.hide()
        self.chosen.emit(type_id)

    def eventFilter(self, obj, event) -> bool:
        # Arrow keys move in the list while typing continues in the field.
        if obj is self.edit and event.type() == QEvent.Type.KeyPress:
            key = event.key()
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up):
                self._step(1 if key == Qt.Key.Key_Down else -1)
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                item = self.list.currentItem()
                if item is not None and not item.isHidden():
                    self.choose(item.data(TYPE_ROLE))
                return True
            if key == Qt.Key.Key_Escape:
                self.hide()
                return True
        return super().eventFilter(obj, event)

    def _step(self, delta: int) -> None:
        rows = [i for i in range(self.list.count()) if not self.list.item(i).isHidden()]
        if not rows:
            return
        current = self.list.currentRow()
        pos = rows.index(current) if current in rows else -1
        self.list.setCurrentRow(rows[max(0, min(len(rows) - 1, pos + delta))])
