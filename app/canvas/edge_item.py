"""Connections drawn as horizontal bezier curves, labelled with the tensor shape they carry."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QFontMetricsF, QPainterPath, QPainterPathStroker, QPen
from PySide6.QtWidgets import QGraphicsItem, QGraphicsPathItem, QStyle

from app.theme import mono_font

_LABEL_FONT = None


def _label_font():
    global _LABEL_FONT
    if _LABEL_FONT is None:
        _LABEL_FONT = mono_font(7.5)
    return _LABEL_FONT


ARC_SPAN = 260.0  # a nearly level edge longer than this would cross the cards between its ends


def bezier(p1: QPointF, p2: QPointF) -> QPainterPath:
    """A curve leaving ``p1`` to the right and entering ``p2`` from the left.

    Long, nearly level forward edges (skip connections) arc above the row so they do not run
    through the cards in between.
    """
    span = p2.x() - p1.x()
    if span < -20.0:
        return _wrap_path(p1, p2)
    dx = max(abs(span) * 0.5, 50.0)
    lift = 0.0
    if span > ARC_SPAN and abs(p2.y() - p1.y()) < 40:
        lift = min(110.0 + span * 0.03, 200.0)
        dx = min(dx, 120.0)
    path = QPainterPath(p1)
    path.cubicTo(QPointF(p1.x() + dx, p1.y() - lift), QPointF(p2.x() - dx, p2.y() - lift), p2)
    return path


def _wrap_path(p1: QPointF, p2: QPointF) -> QPainterPath:
    """A backward edge (a wrapped chain, or a user's odd placement): out to the right, along the
    gap halfway between the two rows, and in from the left, with rounded corners."""
    r = 24.0
    mid = (p1.y() + p2.y()) / 2.0
    if abs(p2.y() - p1.y()) < 4 * r:  # same row: go below both cards instead
        mid = max(p1.y(), p2.y()) + 70.0
    down = 1.0 if mid >= p1.y() else -1.0
    up = 1.0 if p2.y() >= mid else -1.0
    path = QPainterPath(p1)
    path.lineTo(p1.x() + r, p1.y())
    path.quadTo(p1.x() + 2 * r, p1.y(), p1.x() + 2 * r, p1.y() + down * r)
    path.lineTo(p1.x() + 2 * r, mid - down * r)
    path.quadTo(p1.x() + 2 * r, mid, p1.x() + r, mid)
    path.lineTo(p2.x() - r, mid)
    path.quadTo(p2.x() - 2 * r, mid, p2.x() - 2 * r, mid + up * r)
    path.lineTo(p2.x() - 2 * r, p2.y() - up * r)
    path.quadTo(p2.x() - 2 * r, p2.y(), p2.x() - r, p2.y())
    path.lineTo(p2)
    return path


class EdgeItem(QGraphicsPathItem):
    """One graph edge between two ports; ``edge`` is the graph's Edge record.

    A QGraphicsPathItem only so that ``boundingRect`` stays in C++: its path is the curve's bounds
    plus the label, and ``paint`` draws the curve and the label itself.
    """

    def __init__(self, edge, src_port, dst_port, colors):
        super().__init__()
        self.setPen(QPen(Qt.PenStyle.NoPen))
        self.edge, self.src_port, self.dst_port, self.colors = edge, src_port, dst_port, colors
        self.label = ""
        self.known = True
        self.hot = False  # a layer dragged from the palette hovers over it
        self._path = QPainterPath()
        self._label_rect = QRectF()
        self.setFlags(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
        self.setAcceptHoverEvents(True)
        self.setZValue(0)
        self.update_path()

    def set_label(self, text: str, known: bool) -> None:
        if (text, known) != (self.label, self.known):
            self.label, self.known = text, known
            self._layout_label()
            self.update()

    def set_hot(self, hot: bool) -> None:
        if hot != self.hot:
            self.hot = hot
            self.update()

    def set_colors(self, colors) -> None:
        self.colors = colors
        self.update()

    def update_path(self) -> None:
        self._path = bezier(self.src_port.center(), self.dst_port.center())
        self._layout_label()

    def _layout_label(self) -> None:
        mid = self._path.pointAtPercent(0.5)
        if self.label:
            fm = QFontMetricsF(_label_font())
            w, h = fm.horizontalAdvance(self.label) + 10, fm.height() + 3
            self._label_rect = QRectF(mid.x() - w / 2, mid.y() - h / 2, w, h)
        else:
            self._label_rect = QRectF(mid, mid)
        bounds = QPainterPath()
        bounds.addRect(self._path.boundingRect().united(self._label_rect).adjusted(-4, -4, 4, 4))
        self.setPath(bounds)

    def shape(self) -> QPainterPath:
        stroker = QPainterPathStroker()
        stroker.setWidth(10)
        shape = stroker.createStroke(self._path)
        shape.addRect(self._label_rect)
        return shape

    def paint(self, painter, option, widget=None) -> None:
        c = self.colors
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        hover = bool(option.state & QStyle.StateFlag.State_MouseOver)
        color = c.selected if (selected or self.hot) else c.edge
        width = 3.0 if (selected or self.hot or hover) else 1.8
        pen = QPen(color, width, Qt.PenStyle.SolidLine if self.known else Qt.PenStyle.DashLine)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(self._path)
        if not self.label or option.levelOfDetailFromTransform(painter.worldTransform()) < 0.45:
            return
        painter.setPen(QPen(color, 1.0))
        painter.setBrush(c.label_bg)
        r = self._label_rect.height() / 2
        painter.drawRoundedRect(self._label_rect, r, r)
        painter.setFont(_label_font())
        painter.setPen(c.text if self.known else c.text_dim)
        painter.drawText(self._label_rect, Qt.AlignmentFlag.AlignCenter, self.label)


class DragEdgeItem(QGraphicsItem):
    """The temporary curve that follows the mouse while connecting two ports."""

    def __init__(self, anchor: QPointF, from_output: bool, colors):
        super().__init__()
        self.anchor, self.from_output, self.colors = anchor, from_output, colors
        self.end = anchor
        self._path = QPainterPath()
        self.setZValue(5)

    def set_end(self, end: QPointF) -> None:
        self.prepareGeometryChange()
        self.end = end
        p1, p2 = (self.anchor, end) if self.from_output else (end, self.anchor)
        self._path = bezier(p1, p2)

    def boundingRect(self) -> QRectF:
        return self._path.boundingRect().adjusted(-4, -4, 4, 4)

    def paint(self, painter, option, widget=None) -> None:
        pen = QPen(self.colors.selected, 2.0, Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.drawPath(self._path)


__all__ = ["DragEdgeItem", "EdgeItem", "bezier"]
