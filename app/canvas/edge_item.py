"""Connections drawn as horizontal bezier curves, labelled with the tensor shape they carry."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QFontMetricsF, QPainterPath, QPainterPathStroker, QPen, QStaticText
from PySide6.QtWidgets import QGraphicsItem, QGraphicsPathItem

from app.theme import mono_font

_LABEL_FONT = None
_LABEL_METRICS = None
_NO_BRUSH = QBrush(Qt.BrushStyle.NoBrush)
_UNSEEN = object()
LABEL_LOD = 0.45  # below this zoom the labels are not drawn
# Paint-time caches (paint runs for every visible edge on every frame: keep it to a few C++ calls):
# {(id(colors), highlighted, thick, known): (colors, curve pen, label pen, text pen, label brush)}
_PENS: dict = {}
_STATIC: dict[str, QStaticText] = {}  # label text -> laid-out static text
_LABEL_SIZES: dict[str, tuple[float, float, float, float]] = {}  # label text -> (box w, box h, text w, text h)


def _label_font():
    global _LABEL_FONT
    if _LABEL_FONT is None:
        _LABEL_FONT = mono_font(7.5)
    return _LABEL_FONT


def _label_metrics() -> QFontMetricsF:
    global _LABEL_METRICS
    if _LABEL_METRICS is None:
        _LABEL_METRICS = QFontMetricsF(_label_font())
    return _LABEL_METRICS


def _pens(colors, highlighted: bool, thick: bool, known: bool) -> tuple:
    key = (id(colors), highlighted, thick, known)
    pens = _PENS.get(key)
    if pens is None or pens[0] is not colors:
        color = colors.selected if highlighted else colors.edge
        pen = QPen(color, 3.0 if thick else 1.8, Qt.PenStyle.SolidLine if known else Qt.PenStyle.DashLine)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        pens = _PENS[key] = (
            colors,
            pen,
            QPen(color, 1.0),
            QPen(colors.text if known else colors.text_dim),
            QBrush(colors.label_bg),
        )
    return pens


def _static_text(text: str) -> QStaticText:
    st = _STATIC.get(text)
    if st is None:
        st = _STATIC[text] = QStaticText(text)
        st.setTextFormat(Qt.TextFormat.PlainText)
        st.prepare(font=_label_font())
    return st


def _label_size(text: str) -> tuple[float, float, float, float]:
    """The label box's width and height and its laid-out text's, measured once per text."""
    size = _LABEL_SIZES.get(text)
    if size is None:
        fm, st = _label_metrics(), _static_text(text).size()
        size = _LABEL_SIZES[text] = (fm.horizontalAdvance(text) + 10, fm.height() + 3, st.width(), st.height())
    return size


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
        self.hovered = False
        self.seen_type = _UNSEEN  # the analysis output this label was last made from (see GraphScene)
        self._path = QPainterPath()
        self._mid = (0.0, 0.0)  # the curve's midpoint, where the label sits
        self._curve_box = (0.0, 0.0, 0.0, 0.0)  # the curve's bounds (left, top, right, bottom)
        self._room = 0.0  # half the width a label may have and stay within the curve's bounds
        self._bounds: tuple | None = None  # the item's bounds as last given to setPath
        self._bounds_fit = False  # they were made for a label within the room (so any such label keeps them)
        self._label_qt: tuple[QRectF, QPointF] | None = None  # the label's box and text origin, made when drawn
        self._label_radius = 0.0
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
        mid, box = self._path.pointAtPercent(0.5), self._path.boundingRect()
        x, y = self._mid = (mid.x(), mid.y())
        self._curve_box = (box.left(), box.top(), box.right(), box.bottom())
        self._room = min(x - box.left(), box.right() - x)
        self._bounds_fit = False
        self._layout_label()

    def _layout_label(self) -> None:
        """Fit the item's bounds to the curve and the label at its midpoint. The midpoint and the curve's
        bounds are kept from ``update_path`` and label sizes per text, so a new label (every edge downstream
        of an edit that changes a shape) walks no curve; one within the curve's width (the label's height
        is the same for every text) keeps the bounds as they are."""
        self._label_qt = None
        if self.label:
            w, h = _label_size(self.label)[:2]
            self._label_radius = h / 2
            fits = w / 2 <= self._room
            if fits and self._bounds_fit:
                return
            x, y = self._mid
            left, top, right, bottom = x - w / 2, y - h / 2, x + w / 2, y + h / 2
        else:
            fits = False
            left = right = self._mid[0]
            top = bottom = self._mid[1]
        cl, ct, cr, cb = self._curve_box
        bounds = (min(cl, left) - 4, min(ct, top) - 4, max(cr, right) + 4, max(cb, bottom) + 4)
        self._bounds_fit = fits
        if bounds != self._bounds:
            self._bounds = bounds
            path = QPainterPath()
            path.addRect(bounds[0], bounds[1], bounds[2] - bounds[0], bounds[3] - bounds[1])
            self.setPath(path)

    def _label_geometry(self) -> tuple[QRectF, QPointF]:
        """The label's box and its text's origin (made when first drawn or hit-tested after a change)."""
        if self._label_qt is None:
            x, y = self._mid
            if self.label:
                w, h, tw, th = _label_size(self.label)
                self._label_qt = (QRectF(x - w / 2, y - h / 2, w, h), QPointF(x - tw / 2, y - th / 2))
            else:
                self._label_qt = (QRectF(x, y, 0.0, 0.0), QPointF(x, y))
        return self._label_qt

    def shape(self) -> QPainterPath:
        stroker = QPainterPathStroker()
        stroker.setWidth(10)
        shape = stroker.createStroke(self._path)
        shape.addRect(self._label_geometry()[0])
        return shape

    def distance2(self, pos: QPointF, samples: int = 48) -> float:
        """The squared distance from ``pos`` to the curve (sampled), for a generous drop target."""
        best = float("inf")
        path = self._path
        for i in range(samples + 1):
            p = path.pointAtPercent(i / samples)
            d = (p.x() - pos.x()) ** 2 + (p.y() - pos.y()) ** 2
            if d < best:
                best = d
        return best

    def hoverEnterEvent(self, event) -> None:
        self.hovered = True
        super().hoverEnterEvent(event)

    def hoverLeaveEvent(self, event) -> None:
        self.hovered = False
        super().hoverLeaveEvent(event)

    def paint(self, painter, option, widget=None) -> None:
        # isSelected()/hovered instead of option.state flags: enum arithmetic costs more than the drawing
        highlighted = self.hot or self.isSelected()
        _, pen, label_pen, text_pen, label_brush = _pens(
            self.colors, highlighted, highlighted or self.hovered, self.known
        )
        painter.setPen(pen)
        painter.setBrush(_NO_BRUSH)
        painter.drawPath(self._path)
        if not self.label or painter.worldTransform().m11() < LABEL_LOD:
            return
        painter.setPen(label_pen)
        painter.setBrush(label_brush)
        r = self._label_radius
        rect, origin = self._label_geometry()
        painter.drawRoundedRect(rect, r, r)
        painter.setFont(_label_font())
        painter.setPen(text_pen)
        painter.drawStaticText(origin, _static_text(self.label))


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
