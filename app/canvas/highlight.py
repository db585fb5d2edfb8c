"""Highlight overlays on node items: a coloured halo and a note for the tooltip (used by File ▸ Compare With).

A highlight is a child item of the NodeItem, stacked behind the card, so it moves and disappears
with its node and never takes a click, a hover or a context menu from it. The scene's tooltip adds
the note of a highlighted node (``highlight_note``). Nothing here changes the graph or the Document.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsItem, QGraphicsPathItem

from app.canvas.node_item import WIDTH

HALO = 5.0  # how far the halo reaches beyond the card
_RADIUS = 9.0


class HighlightItem(QGraphicsPathItem):
    """A rounded halo around a node's card; ``note`` is rich text for the node's tooltip."""

    def __init__(self, parent: QGraphicsItem, color: QColor, note: str = ""):
        super().__init__(parent)
        self.note = note
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemStacksBehindParent)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setAcceptHoverEvents(False)
        height = getattr(parent, "height", 74.0)
        path = QPainterPath()
        path.addRoundedRect(QRectF(-HALO, -HALO, WIDTH + 2 * HALO, height + 2 * HALO), _RADIUS, _RADIUS)
        self.setPath(path)
        self.set_color(color)

    @property
    def color(self) -> QColor:
        return self.pen().color()

    def set_color(self, color: QColor) -> None:
        self.setPen(QPen(color, 3.0))
        fill = QColor(color)
        fill.setAlpha(70)
        self.setBrush(fill)


def highlight_of(item: QGraphicsItem | None) -> HighlightItem | None:
    """The highlight on a node item, or None."""
    if item is None:
        return None
    return next((c for c in item.childItems() if isinstance(c, HighlightItem)), None)


def set_highlight(scene, node_id: str, color: QColor, note: str = "") -> HighlightItem | None:
    """Highlight one node of ``scene`` (replacing its highlight); None when the node has no item."""
    item = scene.nodes.get(node_id)
    if item is None:
        return None
    halo = highlight_of(item)
    if halo is None:
        halo = HighlightItem(item, color, note)
    else:
        halo.set_color(color)
        halo.note = note
    return halo


def clear_highlight(scene, node_id: str) -> None:
    halo = highlight_of(scene.nodes.get(node_id))
    if halo is not None:
        halo.setParentItem(None)
        if halo.scene() is not None:
            halo.scene().removeItem(halo)


def clear_highlights(scene) -> None:
    """Remove every highlight from the scene."""
    for node_id in list(scene.nodes):
        clear_highlight(scene, node_id)


def highlights(scene) -> dict[str, HighlightItem]:
    """node id → its highlight, for every highlighted node."""
    out = {}
    for node_id, item in scene.nodes.items():
        halo = highlight_of(item)
        if halo is not None:
            out[node_id] = halo
    return out


def highlight_note(item: QGraphicsItem | None) -> str:
    """The tooltip note of a node item's highlight ('' without one)."""
    halo = highlight_of(item)
    return halo.note if halo is not None else ""


__all__ = [
    "HighlightItem",
    "clear_highlight",
    "clear_highlights",
    "highlight_note",
    "highlight_of",
    "highlights",
    "set_highlight",
]
