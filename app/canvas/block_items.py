"""Blocks on the canvas: a collapsed block is one card (``BlockItem``), an expanded one a frame behind
its layers (``BlockFrameItem``).

Like the layer cards, these items only draw what the scene tells them; a click on a toggle or a
double-click asks the scene, which asks the Document (one undo step). The scene keeps them in step with
the graph's block events.
"""

from __future__ import annotations

from collections import namedtuple

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsItem

from app.canvas.node_item import (
    _NO_BRUSH,
    _WHITE,
    RADIUS,
    WIDTH,
    NodeItem,
    _draw_static,
    _fonts,
    _header_path,
    _metrics,
)
from app.icons import category_color

BLOCK_CATEGORY = "Block"
STACK = 4.0  # how far the card "under" a block card shows
FRAME_MARGIN = 14.0  # room around the member cards inside a frame
FRAME_HEADER = 24.0
TOGGLE = 16.0  # the ▸/▾ toggle's square

_PortSpec = namedtuple("_PortSpec", "name variadic")


def block_port_names(prefix: str, count: int) -> list[str]:
    """``in`` for a single input, else ``in1``, ``in2`` … (``out`` alike)."""
    return [prefix] if count == 1 else [f"{prefix}{i + 1}" for i in range(count)]


def _toggle_glyph(painter, rect: QRectF, expanded: bool, color: QColor) -> None:
    """A small triangle: pointing right (collapsed: click to expand) or down (expanded)."""
    c = rect.center()
    s = rect.width() * 0.26
    if expanded:
        points = [c + QPointF(-s, -s * 0.6), c + QPointF(s, -s * 0.6), c + QPointF(0, s * 0.8)]
    else:
        points = [c + QPointF(-s * 0.6, -s), c + QPointF(s * 0.8, 0), c + QPointF(-s * 0.6, s)]
    path = QPainterPath(points[0])
    for p in points[1:]:
        path.lineTo(p)
    path.closeSubpath()
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(color)
    painter.drawPath(path)


class BlockItem(NodeItem):
    """A collapsed block drawn as one card: its name, its kind, its ports, its first output's shape, its
    layers' parameter count and their worst problem. ``node_id`` is the block's id (ports report it)."""

    def __init__(self, group, type_name: str, colors):
        ins = [_PortSpec(n, False) for n in block_port_names("in", len(group.inputs))]
        outs = [_PortSpec(n, False) for n in block_port_names("out", len(group.outputs))]
        super().__init__(group.id, group.name, type_name, BLOCK_CATEGORY, ins, outs, colors)
        self.group_id = group.id
        self.members = list(group.members)
        self.input_map = [list(ports) for ports in group.inputs]  # block input i → member ports
        self.output_map = list(group.outputs)  # block output j → member port

    def member_ports(self, port) -> list[tuple[str, str]]:
        """The member ports one of this card's ports stands for."""
        if port.is_output:
            return [self.output_map[self.outputs.index(port)]]
        return list(self.input_map[self.inputs.index(port)])

    def port_for(self, node_id: str, port: str, is_output: bool):
        """The card port an edge at member port ``node_id.port`` attaches to (the first one when the
        member port is none of the block's), or None when the card has no port of that side."""
        ports = self.outputs if is_output else self.inputs
        if not ports:
            return None
        if is_output:
            index = next((j for j, p in enumerate(self.output_map) if p == (node_id, port)), 0)
        else:
            index = next((i for i, ps in enumerate(self.input_map) if (node_id, port) in ps), 0)
        return ports[index]

    def badge_hit(self, local: QPointF) -> bool:
        return False  # the problems are the layers'; the tooltip lists them

    def toggle_rect(self) -> QRectF:
        return QRectF(5, 5, TOGGLE, TOGGLE)

    def paint(self, painter, option, widget=None) -> None:
        if painter.worldTransform().m11() >= 0.3:  # the card underneath: this is a stack of layers
            c = self.colors
            under = QRectF(STACK, STACK, WIDTH, self.height)
            painter.setPen(QPen(c.node_border, 1.0))
            painter.setBrush(c.node)
            painter.drawRoundedRect(under, RADIUS, RADIUS)
        super().paint(painter, option, widget)

    def _paint_header(self, painter, accent: QColor) -> None:
        painter.setBrush(accent)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.drawPath(_header_path())
        _toggle_glyph(painter, self.toggle_rect(), False, _WHITE)
        name, _ = self._elided()
        painter.setFont(_fonts()[0])
        painter.setPen(_WHITE)
        left = self.toggle_rect().right() + 2
        _draw_static(painter, QRectF(left, 0, WIDTH - left - 8 - (18 if self.severity else 0), 26), False, name, 0)
        if self.severity:
            self._paint_badge(painter, QPointF(WIDTH - 13, 13))

    def _elided(self) -> tuple[str, str]:
        texts = super()._elided()
        fm = _metrics()[0]
        room = WIDTH - self.toggle_rect().right() - 10 - (18 if self.severity else 0)
        return fm.elidedText(self.name, Qt.TextElideMode.ElideRight, room), texts[1]

    def hoverEnterEvent(self, event) -> None:
        self.setToolTip(self.scene().block_tooltip(self.group_id))
        self.setZValue(3)
        QGraphicsItem.hoverEnterEvent(self, event)

    def mousePressEvent(self, event) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.toggle_rect().adjusted(-3, -3, 3, 3).contains(
            event.pos()
        ):
            event.accept()
            self.scene().request_collapsed(self.group_id, False)
            return
        super().mousePressEvent(event)

    def mouseDoubleClickEvent(self, event) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.port_at(event.pos()) is None:
            event.accept()
            self.scene().request_collapsed(self.group_id, False)
            return
        super().mouseDoubleClickEvent(event)


class BlockFrameItem(QGraphicsItem):
    """An expanded block: a rounded frame behind its layer cards, with a header (toggle, name, kind).

    The frame follows its members' items (``refresh`` runs when one of them moves). Only the header
    takes the mouse: a press there selects the block's layers and drags them together."""

    def __init__(self, group, type_name: str, members: list[NodeItem], colors):
        super().__init__()
        self.group_id, self.name, self.type_name = group.id, group.name, type_name
        self.members = members
        self.colors = colors
        self._rect = QRectF()
        self.setZValue(-1)
        self.setAcceptHoverEvents(True)
        self.refresh()

    # ------------------------------------------------------------------ geometry
    def refresh(self) -> None:
        """Fit the frame around the member cards where they are now."""
        box = QRectF()
        for item in self.members:
            box = box.united(QRectF(item.pos(), item.pos() + QPointF(WIDTH, item.height)))
        m = FRAME_MARGIN
        rect = box.adjusted(-m, -m - FRAME_HEADER, m + STACK, m)
        if rect != self._rect:
            self.prepareGeometryChange()
            self._rect = rect

    def frame_rect(self) -> QRectF:
        return QRectF(self._rect)

    def header_rect(self) -> QRectF:
        return QRectF(self._rect.left(), self._rect.top(), self._rect.width(), FRAME_HEADER)

    def toggle_rect(self) -> QRectF:
        top = self._rect.top() + (FRAME_HEADER - TOGGLE) / 2
        return QRectF(self._rect.left() + 5, top, TOGGLE, TOGGLE)

    def boundingRect(self) -> QRectF:
        return self._rect.adjusted(-2, -2, 2, 2)

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        path.addRect(self.header_rect())  # the body lets clicks through to the canvas (rubber band)
        return path

    # ------------------------------------------------------------------ look
    def set_colors(self, colors) -> None:
        self.colors = colors
        self.update()

    def set_type_name(self, type_name: str) -> None:
        self.type_name = type_name
        self.update()

    def paint(self, painter, option, widget=None) -> None:
        c = self.colors
        deep = category_color(BLOCK_CATEGORY, dark=False)
        line = category_color(BLOCK_CATEGORY, dark=c.dark)
        fill = QColor(line)
        fill.setAlpha(34 if c.dark else 20)
        painter.setPen(QPen(line, 1.4))
        painter.setBrush(fill)
        painter.drawRoundedRect(self._rect, 9, 9)
        header = self.header_rect()
        path = QPainterPath()  # rounded top corners, square bottom ones
        path.addRoundedRect(header, 9, 9)
        bottom = QPainterPath()
        bottom.addRect(header.adjusted(0, FRAME_HEADER / 2, 0, 0))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(deep)
        painter.drawPath(path.united(bottom))
        _toggle_glyph(painter, self.toggle_rect(), True, _WHITE)
        self._paint_titles(painter, header, _WHITE)
        painter.setBrush(_NO_BRUSH)

    def _paint_titles(self, painter, header: QRectF, color: QColor) -> None:
        name_fm, fm = _metrics()
        left = self.toggle_rect().right() + 4
        room = header.right() - 8 - left
        name = name_fm.elidedText(self.name, Qt.TextElideMode.ElideRight, room)
        painter.setPen(color)
        painter.setFont(_fonts()[0])
        painter.drawText(QRectF(left, header.top(), room, header.height()), Qt.AlignmentFlag.AlignVCenter, name)
        rest = room - name_fm.horizontalAdvance(name) - 10
        if rest > 24 and self.type_name:
            kind = fm.elidedText(self.type_name, Qt.TextElideMode.ElideRight, rest)
            painter.setFont(_fonts()[1])
            at = QRectF(left + name_fm.horizontalAdvance(name) + 10, header.top(), rest, header.height())
            painter.setPen(QColor(255, 255, 255, 205))
            painter.drawText(at, Qt.AlignmentFlag.AlignVCenter, kind)

    # ------------------------------------------------------------------ mouse
    def hoverEnterEvent(self, event) -> None:
        self.setToolTip(self.scene().block_tooltip(self.group_id))
        super().hoverEnterEvent(event)

    def mousePressEvent(self, event) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            event.ignore()
            return
        event.accept()
        if self.toggle_rect().adjusted(-3, -3, 3, 3).contains(event.pos()):
            self.scene().request_collapsed(self.group_id, True)
            return
        self.scene().begin_frame_drag(self.group_id)

    def mouseMoveEvent(self, event) -> None:
        delta = event.scenePos() - event.buttonDownScenePos(Qt.MouseButton.LeftButton)
        self.scene().drag_frame(self.group_id, delta)

    def mouseReleaseEvent(self, event) -> None:
        event.accept()

    def mouseDoubleClickEvent(self, event) -> None:
        event.accept()
        self.scene().request_collapsed(self.group_id, True)


__all__ = ["BLOCK_CATEGORY", "BlockFrameItem", "BlockItem", "block_port_names"]
