"""The canvas view: wheel zoom about the cursor, pan, fit, rubber band, palette drops and Tab quick-add."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QPointF, QRectF, Qt
from PySide6.QtGui import QCursor, QPainter
from PySide6.QtWidgets import QFrame, QGraphicsView

from app.canvas.node_item import HEIGHT, WIDTH
from app.mime import LAYER_MIME

MIN_SCALE, MAX_SCALE, FIT_MAX_SCALE = 0.05, 3.0, 1.25


class GraphView(QGraphicsView):
    """Shows a GraphScene; adds layers dropped from the palette (onto an edge: spliced in)."""

    def __init__(self, scene, parent=None):
        super().__init__(scene, parent)
        self.doc = scene.doc
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.MinimalViewportUpdate)
        self.setCacheMode(QGraphicsView.CacheModeFlag.CacheBackground)
        self.setOptimizationFlags(QGraphicsView.OptimizationFlag.DontSavePainterState)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setDragMode(QGraphicsView.DragMode.RubberBandDrag)
        self.setRubberBandSelectionMode(Qt.ItemSelectionMode.IntersectsItemShape)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setAcceptDrops(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._pan_from: QPointF | None = None
        self._space = False
        self._hot_edge = None
        self._quick = None
        self._quick_pos = QPointF()
        self.doc.focus_requested.connect(self.focus_node)
        scene.emptiness_changed.connect(lambda _empty: self.viewport().update())  # the hint comes or goes

    # ------------------------------------------------------------------ the empty canvas
    def empty_hint(self) -> str:
        """What an empty canvas says, or "" when it has layers."""
        if self.scene().nodes:
            return ""
        return QCoreApplication.translate(
            "GraphView",
            "Drag a layer here from the palette (start with an Input), double-click one there,\n"
            "or press Tab for a quick search. File ▸ Examples opens a ready model.",
        )

    def drawForeground(self, painter, rect) -> None:
        super().drawForeground(painter, rect)
        hint = self.empty_hint()
        if not hint:
            return
        painter.save()
        painter.resetTransform()  # in viewport pixels: readable at any zoom
        painter.setPen(self.scene().colors.text_dim)
        painter.drawText(self.viewport().rect(), Qt.AlignmentFlag.AlignCenter, hint)
        painter.restore()

    # ------------------------------------------------------------------ zoom and pan
    def zoom(self) -> float:
        return self.transform().m11()

    def zoom_by(self, factor: float) -> None:
        target = min(MAX_SCALE, max(MIN_SCALE, self.zoom() * factor))
        self.scale(target / self.zoom(), target / self.zoom())

    def zoom_in(self) -> None:
        self.zoom_by(1.25)

    def zoom_out(self) -> None:
        self.zoom_by(0.8)

    def fit_all(self) -> None:
        """Show every node (never magnified past FIT_MAX_SCALE, so small graphs keep a sane size)."""
        scene = self.scene()
        if not scene.nodes:
            self.resetTransform()
            self.centerOn(0, 0)
            return
        rect = QRectF()
        for item in scene.nodes.values():
            rect = rect.united(QRectF(item.pos(), item.pos() + QPointF(WIDTH, item.height)))
        rect = rect.adjusted(-50, -50, 50, 50)
        self.fitInView(rect, Qt.AspectRatioMode.KeepAspectRatio)
        if self.zoom() > FIT_MAX_SCALE:
            self.resetTransform()
            self.scale(FIT_MAX_SCALE, FIT_MAX_SCALE)
        self.centerOn(rect.center())

    def focus_node(self, node_id: str) -> None:
        """Select a node and centre it (e.g. a click in the Problems dock)."""
        item = self.scene().nodes.get(node_id)
        if item is not None:
            self.doc.set_selection([node_id])
            self.centerOn(item.center())

    def wheelEvent(self, event) -> None:
        delta = event.angleDelta().y() or event.angleDelta().x()
        if delta:
            self.zoom_by(1.0015**delta)
        event.accept()

    def mousePressEvent(self, event) -> None:
        pan = event.button() in (Qt.MouseButton.MiddleButton, Qt.MouseButton.RightButton)
        if pan or (self._space and event.button() == Qt.MouseButton.LeftButton):
            self._pan_from = event.position()
            self.viewport().setCursor(Qt.CursorShape.ClosedHandCursor)
            event.accept()
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event) -> None:
        if self._pan_from is not None:
            delta = event.position() - self._pan_from
            self._pan_from = event.position()
            self.pan_by(delta.x(), delta.y())
            event.accept()
            return
        super().mouseMoveEvent(event)

    def pan_by(self, dx: float, dy: float) -> None:
        """Scroll by ``dx, dy`` viewport pixels (content follows the mouse)."""
        h, v = self.horizontalScrollBar(), self.verticalScrollBar()
        h.setValue(h.value() - round(dx))
        v.setValue(v.value() - round(dy))

    def mouseReleaseEvent(self, event) -> None:
        if self._pan_from is not None:
            self._pan_from = None
            self.viewport().unsetCursor()
            event.accept()
            return
        super().mouseReleaseEvent(event)

    # ------------------------------------------------------------------ keys
    def event(self, event) -> bool:
        # Tab would move the focus to the next widget; here it opens quick-add instead
        if event.type() == QEvent.Type.KeyPress and event.key() == Qt.Key.Key_Tab:
            self.open_quick_add()
            return True
        return super().event(event)

    def keyPressEvent(self, event) -> None:
        if event.key() == Qt.Key.Key_Space and not event.isAutoRepeat():
            self._space = True
        super().keyPressEvent(event)

    def keyReleaseEvent(self, event) -> None:
        if event.key() == Qt.Key.Key_Space and not event.isAutoRepeat():
            self._space = False
        super().keyReleaseEvent(event)

    def open_quick_add(self):
        """Show the quick-add field at the cursor (or the view centre when the cursor is outside)."""
        local = self.viewport().mapFromGlobal(QCursor.pos())
        if not self.viewport().rect().contains(local):
            local = self.viewport().rect().center()
        self._quick_pos = self.mapToScene(local)
        if self._quick is None:
            from app.quick_add import QuickAddPopup

            self._quick = QuickAddPopup(self.doc.graph.catalog, self)
            self._quick.chosen.connect(self._on_quick_chosen)
        self._quick.popup(self.viewport().mapToGlobal(local))
        return self._quick

    def _on_quick_chosen(self, type_id: str) -> None:
        self.add_layer_at(type_id, self._quick_pos)

    # ------------------------------------------------------------------ adding layers
    def add_layer_at(self, type_id: str, scene_pos: QPointF, splice: bool = False) -> str | None:
        """Add a layer centred on ``scene_pos``; on an edge (``splice``) insert it into that connection."""
        scene = self.scene()
        top_left = scene.snapped(scene_pos - QPointF(WIDTH / 2, HEIGHT / 2))
        pos = (top_left.x(), top_left.y())
        spec = self.doc.graph.catalog[type_id]
        edge = scene.edge_at(scene_pos) if splice and spec.inputs and spec.outputs else None
        if edge is not None:
            node_id = self.doc.splice(type_id, edge.edge, pos)
        else:
            node_id = self.doc.add_node(type_id, pos)
        self.doc.set_selection([node_id])
        return node_id

    def add_layer_at_center(self, type_id: str) -> str | None:
        return self.add_layer_at(type_id, self.mapToScene(self.viewport().rect().center()))

    def dragEnterEvent(self, event) -> None:
        if event.mimeData().hasFormat(LAYER_MIME):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event) -> None:
        if not event.mimeData().hasFormat(LAYER_MIME):
            event.ignore()
            return
        edge = self.scene().edge_at(self.mapToScene(event.position().toPoint()))
        self._set_hot_edge(edge)
        event.acceptProposedAction()

    def dragLeaveEvent(self, event) -> None:
        self._set_hot_edge(None)

    def dropEvent(self, event) -> None:
        self._set_hot_edge(None)
        data = event.mimeData()
        if not data.hasFormat(LAYER_MIME):
            event.ignore()
            return
        type_id = bytes(data.data(LAYER_MIME)).decode("utf-8").strip()
        if type_id not in self.doc.graph.catalog:
            event.ignore()
            return
        event.acceptProposedAction()
        self.add_layer_at(type_id, self.mapToScene(event.position().toPoint()), splice=True)
        self.setFocus()

    def _set_hot_edge(self, edge) -> None:
        if edge is not self._hot_edge:
            if self._hot_edge is not None and self._hot_edge.scene() is not None:
                self._hot_edge.set_hot(False)
            self._hot_edge = edge
            if edge is not None:
                edge.set_hot(True)


__all__ = ["GraphView"]
