"""A node card: category header strip with the name, then type, parameter count, ports and output shape.

The item only draws what the scene tells it; it never reads or edits the graph itself.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFontMetricsF, QPainterPath, QPen, QPolygonF, QStaticText
from PySide6.QtWidgets import QGraphicsItem, QGraphicsRectItem

from app.canvas.port_item import COMPATIBLE, DIMMED, HIT, PortItem
from app.canvas.port_item import RADIUS as PORT_RADIUS
from app.icons import category_color
from app.theme import mono_font, ui_font
from graph.analysis import ERROR, INFO, WARNING

WIDTH = 156.0
HEADER = 26.0
HEIGHT = 74.0
RADIUS = 6.0
PORT_Y = 57.0  # the first port row, in item coordinates
PORT_STEP = 17.0  # further port rows (an attention layer's query, value and mask) go this much lower

_NAME_FONT = None
_SMALL_FONT = None
_MONO_FONT = None
_METRICS = None
_HEADER_PATH = None
_UNSEEN = object()
_NO_BRUSH = QBrush(Qt.BrushStyle.NoBrush)
_WHITE = QColor("#ffffff")
_LEFT = Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft
_RIGHT = Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight
_STATIC: dict = {}  # (text, font index) -> QStaticText laid out once
_PENS: dict = {}  # (id(colors), what) -> (colors, pen)


def _fonts():
    global _NAME_FONT, _SMALL_FONT, _MONO_FONT
    if _NAME_FONT is None:
        _NAME_FONT = ui_font(9.5, bold=True)
        _SMALL_FONT = ui_font(8.0)
        _MONO_FONT = mono_font(8.0)
    return _NAME_FONT, _SMALL_FONT, _MONO_FONT


def _metrics() -> tuple[QFontMetricsF, QFontMetricsF]:
    """Metrics of the name and the small font (made once, not per paint)."""
    global _METRICS
    if _METRICS is None:
        name, small, _ = _fonts()
        _METRICS = (QFontMetricsF(name), QFontMetricsF(small))
    return _METRICS


def _header_path() -> QPainterPath:
    """The header strip: rounded top corners, square bottom (built once, not per paint)."""
    global _HEADER_PATH
    if _HEADER_PATH is None:
        path = QPainterPath()
        path.addRoundedRect(QRectF(0, 0, WIDTH, HEADER + RADIUS), RADIUS, RADIUS)
        clip = QPainterPath()
        clip.addRect(QRectF(0, 0, WIDTH, HEADER))
        _HEADER_PATH = path.intersected(clip)
    return _HEADER_PATH


def _static(text: str, font_index: int) -> QStaticText:
    key = (text, font_index)
    st = _STATIC.get(key)
    if st is None:
        st = _STATIC[key] = QStaticText(text)
        st.setTextFormat(Qt.TextFormat.PlainText)
        st.prepare(font=_fonts()[font_index])
    return st


def _draw_static(painter, rect: QRectF, right: bool, text: str, font_index: int) -> None:
    """Draw ``text`` vertically centred in ``rect``, at its left or right end (a cached QStaticText)."""
    if not text:
        return
    st = _static(text, font_index)
    size = st.size()
    x = rect.right() - size.width() if right else rect.left()
    painter.drawStaticText(QPointF(x, rect.top() + (rect.height() - size.height()) / 2), st)


def _pen(colors, what: str, make) -> QPen:
    key = (id(colors), what)
    hit = _PENS.get(key)
    if hit is None or hit[0] is not colors:
        hit = _PENS[key] = (colors, make())
    return hit[1]


def _cosmetic(color: QColor, width: float) -> QPen:
    pen = QPen(color, width)
    pen.setCosmetic(True)
    return pen


# Port names as the cards show them (the graph's port ids stay English).
PORT_WORDS = {
    name: QT_TRANSLATE_NOOP("NodeItem", name)
    for name in ("in", "out", "a", "b", "query", "value", "mask", "weights", "state")
}


def port_label(name: str) -> str:
    """A port's name in the UI language (``in`` → 输入; a block's ``in2`` → 输入2)."""
    if name in PORT_WORDS:
        return QCoreApplication.translate("NodeItem", PORT_WORDS[name])
    base = name.rstrip("0123456789")
    if base in PORT_WORDS and base != name:
        return QCoreApplication.translate("NodeItem", PORT_WORDS[base]) + name[len(base) :]
    return name


def format_count(n: int | None) -> str:
    """``1,234 params`` / ``1.2M params``; an empty string when unknown."""
    if n is None:
        return ""
    if n >= 1_000_000:
        num = f"{n / 1_000_000:.1f}M"
    elif n >= 100_000:
        num = f"{n / 1000:.0f}k"
    else:
        num = f"{n:,}"
    return QCoreApplication.translate("NodeItem", "{n} params").format(n=num)


class NodeItem(QGraphicsRectItem):
    """One layer on the canvas. ``pos()`` is the node's top-left corner, equal to ``Node.pos``.

    A QGraphicsRectItem only so that ``boundingRect`` stays in C++ (the view asks every item for it
    on every frame); the rect is the card plus its shadow and ports, and ``paint`` draws the card.
    """

    def __init__(self, node_id: str, name: str, type_name: str, category: str, inputs, outputs, colors):
        rows = max(len(inputs), len(outputs), 1)
        self.height = HEIGHT + (rows - 1) * PORT_STEP  # one row per port: several ports never overlap
        super().__init__(QRectF(-HIT, -3, WIDTH + 2 * HIT, self.height + 9))
        self.setPen(QPen(Qt.PenStyle.NoPen))
        self.node_id = node_id
        self.name, self.type_name, self.category = name, type_name, category
        self.colors = colors
        self.shape_text, self.count_text, self.severity = "", "", None
        self.seen_out = self.seen_counts = _UNSEEN  # the analysis tables last shown (see GraphScene)
        self.accent = category_color(category, dark=False)  # deep tones: white text stays legible
        self._texts: tuple | None = None  # elided name and type, for (name, severity, count_text)
        self.edges: set = set()
        self.frame = None  # the frame of the expanded block this card belongs to (it follows the card)
        self.thumbnail = None  # the teaching views' picture of this layer's output, under the card
        self.inputs = [
            PortItem(self, p.name, False, p.variadic, QPointF(0.0, PORT_Y + i * PORT_STEP))
            for i, p in enumerate(inputs)
        ]
        self.outputs = [
            PortItem(self, p.name, True, False, QPointF(WIDTH, PORT_Y + i * PORT_STEP)) for i, p in enumerate(outputs)
        ]
        self._connecting = False
        self.setFlags(
            QGraphicsItem.GraphicsItemFlag.ItemIsMovable
            | QGraphicsItem.GraphicsItemFlag.ItemIsSelectable
            | QGraphicsItem.GraphicsItemFlag.ItemSendsGeometryChanges
        )
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.setAcceptHoverEvents(True)
        self.setZValue(1)

    # ------------------------------------------------------------------ state from the scene
    def port(self, name: str, is_output: bool) -> PortItem | None:
        return next((p for p in (self.outputs if is_output else self.inputs) if p.name == name), None)

    def set_name(self, name: str) -> None:
        self.name = name
        self.update()

    def set_colors(self, colors) -> None:
        self.colors = colors
        self.update()

    def set_type_name(self, type_name: str) -> None:
        """The layer type shown under the name (after a language change)."""
        self.type_name, self._texts = type_name, None
        self.update()

    def set_thumbnail(self, pixmap, tooltip: str = "") -> None:
        """Show ``pixmap`` (what the layer computed for the chosen sample) under the card; None removes it.

        It sits in the gap the auto-layout leaves between rows, and is not part of the card's shape."""
        from PySide6.QtWidgets import QGraphicsPixmapItem

        if pixmap is None or pixmap.isNull():
            if self.thumbnail is not None:
                self.thumbnail.setParentItem(None)
                if self.thumbnail.scene() is not None:
                    self.thumbnail.scene().removeItem(self.thumbnail)
                self.thumbnail = None
            return
        if self.thumbnail is None:
            self.thumbnail = QGraphicsPixmapItem(self)
            self.thumbnail.setTransformationMode(Qt.TransformationMode.FastTransformation)
            self.thumbnail.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.thumbnail.setPixmap(pixmap)
        self.thumbnail.setPos((WIDTH - pixmap.width()) / 2, self.height + 4)
        self.thumbnail.setToolTip(tooltip)

    def set_info(self, shape_text: str, count_text: str, severity: str | None) -> None:
        """Update the analysis labels; repaints only when something changed."""
        if (shape_text, count_text, severity) != (self.shape_text, self.count_text, self.severity):
            self.shape_text, self.count_text, self.severity = shape_text, count_text, severity
            self.update()

    # ------------------------------------------------------------------ geometry
    def shape(self) -> QPainterPath:
        path = QPainterPath()
        path.setFillRule(Qt.FillRule.WindingFill)  # the port discs overlap the card: union, not XOR
        path.addRoundedRect(QRectF(0, 0, WIDTH, self.height), RADIUS, RADIUS)
        for port in self.inputs + self.outputs:
            path.addEllipse(port.offset, HIT, HIT)
        return path

    def port_at(self, local: QPointF) -> PortItem | None:
        return next((p for p in self.inputs + self.outputs if p.hit(local)), None)

    def center(self) -> QPointF:
        return self.pos() + QPointF(WIDTH / 2, self.height / 2)

    def itemChange(self, change, value):
        if change == QGraphicsItem.GraphicsItemChange.ItemPositionChange:
            scene = self.scene()
            if scene is not None and scene.is_dragging():
                return scene.snapped(value)
        elif change == QGraphicsItem.GraphicsItemChange.ItemPositionHasChanged:
            for edge in self.edges:
                edge.update_path()
            if self.frame is not None:
                self.frame.refresh()
        return super().itemChange(change, value)

    # ------------------------------------------------------------------ painting
    def paint(self, painter, option, widget=None) -> None:
        c = self.colors
        selected = self.isSelected()  # not option.state: enum arithmetic costs more than a C++ call
        lod = painter.worldTransform().m11()  # the level of detail (the view only scales uniformly)
        body = QRectF(0, 0, WIDTH, self.height)
        if lod < 0.3:
            painter.fillRect(body, c.node)
            painter.fillRect(QRectF(0, 0, WIDTH, HEADER), self.accent)
            if selected or self.severity in (ERROR, WARNING):
                painter.setPen(QPen(c.selected if selected else self._sev_color(), 0))
                painter.setBrush(_NO_BRUSH)
                painter.drawRect(body)
            return
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(c.shadow)
        painter.drawRoundedRect(body.translated(1.5, 2.5), RADIUS, RADIUS)
        painter.setBrush(c.node)
        painter.drawRoundedRect(body, RADIUS, RADIUS)
        self._paint_header(painter, self.accent)
        self._paint_body(painter, lod)
        self._paint_border(painter, body, selected)
        for port in self.inputs + self.outputs:
            self._paint_port(painter, port)

    def _elided(self) -> tuple[str, str]:
        """The name and type texts fitted to their room (kept until the name or the labels change)."""
        key = (self.name, self.severity, self.count_text, self.type_name)
        if self._texts is None or self._texts[0] != key:
            name_fm, fm = _metrics()
            room = WIDTH - 16 - (18 if self.severity else 0)
            name = name_fm.elidedText(self.name, Qt.TextElideMode.ElideRight, room)
            count = self.count_text
            want = fm.horizontalAdvance(self.type_name)
            if count and want > WIDTH - 16 - fm.horizontalAdvance(count) - 8:
                # A long type ("LSTM 长短期记忆") keeps its room: the count drops its word ("12,345").
                number = re.search(r"[\d.,]+[kM]?", count)
                count = number.group(0) if number else count
            room = WIDTH - 16 - (fm.horizontalAdvance(count) + 8 if count else 0)
            self._texts = (key, name, fm.elidedText(self.type_name, Qt.TextElideMode.ElideRight, room), count)
        return self._texts[1], self._texts[2]

    def shown_count(self) -> str:
        """The count text as drawn (without its word when the type name needs the room)."""
        self._elided()
        return self._texts[3]

    def _paint_port(self, painter, port: PortItem) -> None:
        c = self.colors
        lit = port.state == COMPATIBLE or port.hover
        r = PORT_RADIUS + (2.0 if lit else 0.0)
        fill = c.port_ok if port.state == COMPATIBLE else c.port
        if port.state == DIMMED:
            painter.setOpacity(0.3)
        if port.connected or lit:
            painter.setPen(_pen(c, "port-ring", lambda: QPen(c.node, 1.5)))
            painter.setBrush(fill)
        else:
            painter.setPen(QPen(fill, 2.0) if port.state == COMPATIBLE else _pen(c, "port", lambda: QPen(c.port, 2.0)))
            painter.setBrush(c.node)
        painter.drawEllipse(port.offset, r, r)
        if port.state == DIMMED:
            painter.setOpacity(1.0)

    def _paint_header(self, painter, accent: QColor) -> None:
        painter.setBrush(accent)
        painter.drawPath(_header_path())
        name, _ = self._elided()
        painter.setFont(_fonts()[0])
        painter.setPen(_WHITE)
        room = WIDTH - 16 - (18 if self.severity else 0)
        _draw_static(painter, QRectF(8, 0, room, HEADER), False, name, 0)
        if self.severity:
            self._paint_badge(painter, QPointF(WIDTH - 13, HEADER / 2))

    def _paint_body(self, painter, lod: float) -> None:
        c = self.colors
        _, type_text = self._elided()
        painter.setFont(_fonts()[1])
        painter.setPen(c.text_dim)
        row1 = QRectF(8, HEADER + 3, WIDTH - 16, 18)
        _draw_static(painter, row1, False, type_text, 1)
        _draw_static(painter, row1, True, self._texts[3], 1)
        row2 = QRectF(12, PORT_Y - 9, WIDTH - 24, 18)
        for port in self.inputs:
            _draw_static(painter, row2.translated(0, port.offset.y() - PORT_Y), False, port_label(port.name), 1)
        if self.outputs:
            fm = _metrics()[1]
            out_w = max(fm.horizontalAdvance(port_label(p.name)) for p in self.outputs) + 6
            for port in self.outputs:
                _draw_static(painter, row2.translated(0, port.offset.y() - PORT_Y), True, port_label(port.name), 1)
            painter.setFont(_fonts()[2])
            painter.setPen(c.text if self.shape_text else c.text_dim)
            _draw_static(painter, row2.adjusted(24, 0, -out_w, 0), True, self.shape_text or "?", 2)

    def _paint_border(self, painter, body: QRectF, selected: bool) -> None:
        c = self.colors
        painter.setBrush(_NO_BRUSH)
        if selected:
            pen = _pen(c, "selected", lambda: QPen(c.selected, 2.0))
        elif self.severity in (ERROR, WARNING):
            pen = QPen(self._sev_color(), 1.6)
        else:
            pen = _pen(c, "border", lambda: _cosmetic(c.node_border, 1.0))
        painter.setPen(pen)
        painter.drawRoundedRect(body, RADIUS, RADIUS)

    def _sev_color(self) -> QColor:
        c = self.colors
        return {ERROR: c.error, WARNING: c.warning, INFO: c.info}.get(self.severity, c.node_border)

    def _paint_badge(self, painter, at: QPointF) -> None:
        """A vector icon: a red disc with '!' (error), an amber triangle (warning) or a blue 'i' (info)."""
        color = self._sev_color()
        painter.setPen(QPen(QColor("#ffffff"), 1.2))
        painter.setBrush(color)
        if self.severity == WARNING:
            tri = QPolygonF([at + QPointF(0, -7), at + QPointF(7, 5.5), at + QPointF(-7, 5.5)])
            painter.drawPolygon(tri)
        else:
            painter.drawEllipse(at, 6.5, 6.5)
        painter.setPen(QPen(QColor("#ffffff"), 1.6, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
        if self.severity == INFO:
            painter.drawPoint(at + QPointF(0, -3))
            painter.drawLine(at + QPointF(0, -0.5), at + QPointF(0, 3.5))
        else:
            dy = 1.0 if self.severity == WARNING else 0.0
            painter.drawLine(at + QPointF(0, -3.5 + dy), at + QPointF(0, 0.8 + dy))
            painter.drawPoint(at + QPointF(0, 3.2 + dy))

    def hoverMoveEvent(self, event) -> None:
        hovered = self.port_at(event.pos())
        for port in self.inputs + self.outputs:
            if port.hover != (port is hovered):
                port.hover = port is hovered
                self.update()
        self.setCursor(Qt.CursorShape.CrossCursor if hovered else Qt.CursorShape.ArrowCursor)
        super().hoverMoveEvent(event)

    def badge_hit(self, local: QPointF) -> bool:
        """Whether ``local`` is on the problem badge (top right of the header)."""
        if not self.severity:
            return False
        at = QPointF(WIDTH - 13, HEADER / 2)
        return (local.x() - at.x()) ** 2 + (local.y() - at.y()) ** 2 <= 10.0**2

    def mousePressEvent(self, event) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.badge_hit(event.pos()):
            event.accept()  # a click on the badge applies the fix; it does not start a move
            self.scene().badge_clicked(self.node_id, event.screenPos())
            return
        port = self.port_at(event.pos()) if event.button() == Qt.MouseButton.LeftButton else None
        if port is None:
            super().mousePressEvent(event)
            return
        self._connecting = True  # a press on a port starts a connection, never a move
        event.accept()
        self.scene().begin_connect(port, event.scenePos())

    def mouseMoveEvent(self, event) -> None:
        if self._connecting:
            self.scene().update_connect(event.scenePos())
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event) -> None:
        if self._connecting:
            self._connecting = False
            self.scene().end_connect(event.scenePos(), event.screenPos())
            return
        super().mouseReleaseEvent(event)

    def hoverEnterEvent(self, event) -> None:
        # the tooltip is built on demand: cheaper than refreshing 1,000 of them per edit
        self.setToolTip(self.scene().tooltip_for(self.node_id))
        self.setZValue(3)
        super().hoverEnterEvent(event)

    def hoverLeaveEvent(self, event) -> None:
        for port in self.inputs + self.outputs:
            port.hover = False
        self.update()
        self.setZValue(1)
        super().hoverLeaveEvent(event)


__all__ = ["HEADER", "HEIGHT", "NodeItem", "WIDTH", "format_count"]
