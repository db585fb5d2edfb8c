"""A port: a small circle on a node card's edge where connection drags start and end.

Ports are plain records drawn by their NodeItem (not QGraphicsItems): with 1,000 nodes that saves
2,000 items whose Python ``boundingRect`` the view would otherwise call on every frame.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF

RADIUS = 5.0
HIT = 10.0  # the clickable radius is larger than the drawn one

NORMAL, COMPATIBLE, DIMMED = 0, 1, 2


class PortItem:
    """An input or output port of a NodeItem; the scene handles the connection drag."""

    __slots__ = ("node_item", "name", "is_output", "variadic", "offset", "state", "connected", "hover")

    def __init__(self, node_item, name: str, is_output: bool, variadic: bool, offset: QPointF):
        self.node_item, self.name, self.is_output, self.variadic = node_item, name, is_output, variadic
        self.offset = offset  # in node coordinates
        self.state, self.connected, self.hover = NORMAL, False, False

    @property
    def node_id(self) -> str:
        return self.node_item.node_id

    def center(self) -> QPointF:
        """The port centre in scene coordinates (where edges attach)."""
        return self.node_item.pos() + self.offset

    def hit(self, local: QPointF) -> bool:
        """Whether ``local`` (node coordinates) is on this port."""
        d = local - self.offset
        return d.x() * d.x() + d.y() * d.y() <= HIT * HIT

    def set_state(self, state: int) -> None:
        if state != self.state:
            self.state = state
            self.node_item.update()

    def set_connected(self, connected: bool) -> None:
        if connected != self.connected:
            self.connected = connected
            self.node_item.update()


__all__ = ["COMPATIBLE", "DIMMED", "HIT", "NORMAL", "RADIUS", "PortItem"]
