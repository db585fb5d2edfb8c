"""The canvas view: wheel zoom about the cursor, pan, fit, rubber band, palette drops and Tab quick-add."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QPointF, QRectF, Qt
from PySide6.QtGui import QCursor, QPainter
from PySide6.QtWidgets import QFrame, QGraphicsView

from app.canvas.block_items import BlockItem
from app.canvas.node_item import HEIGHT, WIDTH, _fonts
from app.mime import BLOCK_MIME, LAYER_MIME, PROJECT_MIME

MIN_SCALE, MAX_SCALE, FIT_MAX_SCALE = 0.05, 3.0, 1.25
SPLICE_RADIUS_PX = 20.0  # a layer dropped this close (screen pixels) to a connection is spliced into it
CLICK_SLOP_PX = 5.0  # a right press that moves less than this is a click (context menu), not a pan
MIN_TEXT_PX = 9.0  # Fit never zooms out so far that node text is smaller than this on screen (issue 12)
FIT_MARGIN = 50.0


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
        self._quick_chosen = None  # a one-shot handler for the next quick-add choice (context menus)
        self._right_from: QPointF | None = None
        self._right_moved = 0.0
        from app.context_menus import CanvasMenus

        self.menus = CanvasMenus(self)
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

    def readable_scale(self) -> float:
        """The smallest zoom at which the smallest node text is MIN_TEXT_PX pixels tall on screen."""
        small = _fonts()[1]  # the shape and count lines
        pixels = small.pixelSize() if small.pixelSize() > 0 else small.pointSizeF() * self.logicalDpiY() / 72
        return min(FIT_MAX_SCALE, MIN_TEXT_PX / max(pixels, 1.0))

    def fit_scale(self, rect: QRectF, readable: bool = True) -> float:
        """The zoom that fits ``rect`` in the viewport, at most FIT_MAX_SCALE and, when ``readable``, at
        least readable_scale."""
        view = self.viewport().rect()
        if rect.isEmpty() or view.isEmpty():
            return 1.0
        fit = min(FIT_MAX_SCALE, view.width() / rect.width(), view.height() / rect.height())
        return max(self.readable_scale(), fit) if readable else fit

    def fit_all(self, readable: bool = True) -> None:
        """Show every node, or, when that would make the text unreadable, the graph's start at a
        readable zoom (never below readable_scale, never magnified past FIT_MAX_SCALE). The view a
        project opens with is readable; Fit to View (``readable=False``) shows the whole graph."""
        scene = self.scene()
        if not scene.nodes:
            self.resetTransform()
            self.centerOn(0, 0)
            return
        rect = QRectF()
        for item in scene.cards():
            rect = rect.united(QRectF(item.pos(), item.pos() + QPointF(WIDTH, item.height)))
        for frame in scene.frames.values():
            rect = rect.united(frame.frame_rect())
        rect = rect.adjusted(-FIT_MARGIN, -FIT_MARGIN, FIT_MARGIN, FIT_MARGIN)
        scale = self.fit_scale(rect, readable)
        self.resetTransform()
        self.scale(scale, scale)
        self.centerOn(self._fit_center(rect, scale))

    def _fit_center(self, rect: QRectF, scale: float) -> QPointF:
        """The centre of the graph along each axis where it fits; else the start of the graph: its
        left edge (inputs come first in the layout), and vertically the inputs' middle, kept inside."""
        view = self.viewport().rect()
        half_w, half_h = view.width() / scale / 2, view.height() / scale / 2
        x, y = rect.center().x(), rect.center().y()
        if rect.width() > 2 * half_w:
            x = rect.left() + half_w
        if rect.height() > 2 * half_h:
            starts = [item for nid, item in self.scene().nodes.items() if nid in self._start_ids()]
            middle = sum(i.pos().y() + i.height / 2 for i in starts) / len(starts) if starts else rect.top()
            y = min(max(middle, rect.top() + half_h), rect.bottom() - half_h)
        return QPointF(x, y)

    def _start_ids(self) -> set[str]:
        """Where the graph starts: its Input layers (else the layers nothing feeds)."""
        graph = self.doc.graph
        ids = {n.id for n in graph.nodes() if graph.spec(n.id).is_input}
        return ids or {nid for nid in graph.node_ids() if not graph.in_edges(nid)}

    def focus_node(self, node_id: str) -> None:
        """Select a node and centre it (e.g. a click in the Problems dock)."""
        item = self.scene().card_of(node_id)
        if item is not None:
            self.doc.set_selection(item.members if isinstance(item, BlockItem) else [node_id])
            self.centerOn(item.center())

    def wheelEvent(self, event) -> None:
        delta = event.angleDelta().y() or event.angleDelta().x()
        if delta:
            self.zoom_by(1.0015**delta)
        event.accept()

    def mousePressEvent(self, event) -> None:
        pan = event.button() in (Qt.MouseButton.MiddleButton, Qt.MouseButton.RightButton)
        if event.button() == Qt.MouseButton.RightButton:
            self._right_from, self._right_moved = event.position(), 0.0
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
            self._right_moved += abs(delta.x()) + abs(delta.y())
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
            clicked = self._right_from is not None and self._right_moved < CLICK_SLOP_PX
            if event.button() == Qt.MouseButton.RightButton and clicked:
                self.show_context_menu(event.position().toPoint())
            self._right_from = None
            return
        super().mouseReleaseEvent(event)

    # ------------------------------------------------------------------ context menus
    def contextMenuEvent(self, event) -> None:
        # a right click opens the menu on release (a right drag pans); the menu key opens it here
        if event.reason() != event.Reason.Mouse:
            local = self.viewport().mapFromGlobal(QCursor.pos())
            if not self.viewport().rect().contains(local):
                local = self.viewport().rect().center()
            self.show_context_menu(local)
        event.accept()

    def context_menu_at(self, view_pos):
        """The menu for what lies at viewport point ``view_pos``: a layer, a connection or the canvas.

        A right click on an unselected layer selects it first. Returned unshown (tests trigger it)."""
        scene = self.scene()
        scene_pos = self.mapToScene(view_pos)
        node = scene.node_at(scene_pos)
        if isinstance(node, BlockItem):
            if not set(node.members) <= set(self.doc.selection()):
                self.doc.set_selection(node.members)
            return self.menus.menu_for_block(node.group_id)
        frame = scene.frame_at(scene_pos) if node is None else None
        if frame is not None:
            return self.menus.menu_for_block(frame.group_id)
        if node is not None:
            if node.node_id not in self.doc.selection():
                self.doc.set_selection([node.node_id])
            return self.menus.menu_for_node(node.node_id)
        edge = scene.edge_near(scene_pos, SPLICE_RADIUS_PX / max(self.zoom(), 1e-6))
        if edge is not None:
            return self.menus.menu_for_edge(edge.edge, scene_pos)
        return self.menus.menu_for_canvas(scene_pos)

    def show_context_menu(self, view_pos) -> None:
        menu = self.context_menu_at(view_pos)
        menu.popup(self.viewport().mapToGlobal(view_pos))

    def card_pos(self, scene_pos: QPointF) -> tuple[float, float]:
        """The top-left corner of a card centred on ``scene_pos`` (on the grid)."""
        top_left = self.scene().snapped(scene_pos - QPointF(WIDTH / 2, HEIGHT / 2))
        return (top_left.x(), top_left.y())

    def paste_at(self, scene_pos: QPointF) -> list[str]:
        """Paste the clipboard's layers with their top-left corner near ``scene_pos`` (one undo step)."""
        from PySide6.QtGui import QGuiApplication

        from graph.fileformat import ProjectFileError

        mime = QGuiApplication.clipboard().mimeData()
        if mime is None:
            return []
        text = bytes(mime.data(PROJECT_MIME)).decode("utf-8") if mime.hasFormat(PROJECT_MIME) else mime.text()
        try:
            return self.doc.paste(text, at=(scene_pos.x(), scene_pos.y()))
        except ProjectFileError:
            self.scene().message.emit(QCoreApplication.translate("GraphView", "The clipboard holds no LayerLab layers"))
            return []

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

    def open_quick_add(self, on_chosen=None):
        """Show the quick-add field at the cursor (or the view centre when the cursor is outside).

        ``on_chosen(type_id)`` handles the choice once (context menus); by default the layer is added
        where the user is (``add_layer_smart``)."""
        self._quick_chosen = on_chosen
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
        handler, self._quick_chosen = self._quick_chosen, None
        if handler is not None:
            handler(type_id)
        elif self._one_selected_source(type_id) is not None:
            self.add_layer_smart(type_id)
        else:
            self.add_layer_at(type_id, self._quick_pos, free=True)

    def _one_selected_source(self, type_id: str | None = None) -> str | None:
        """The one selected layer a new ``type_id`` layer (None: a block) can follow, or None. A
        selected block counts as the layer of its first output."""
        graph, sel = self.doc.graph, self.doc.selection()
        gid = self.doc.block_of_selection(sel) if len(sel) > 1 else None
        if gid is not None and graph.group(gid).outputs:
            sel = [graph.group(gid).outputs[0][0]]
        if type_id is not None and not graph.catalog[type_id].inputs:
            return None
        if len(sel) == 1 and graph.spec(sel[0]).outputs:
            return sel[0]
        return None

    def add_layer_smart(self, type_id: str) -> str | None:
        """Add a layer where the user is working (palette double-click, quick add): behind the one
        selected layer, wired in; else at a free spot in the middle of the view."""
        source = self._one_selected_source(type_id)
        if source is None:
            return self.add_layer_at(type_id, self.mapToScene(self.viewport().rect().center()), free=True)
        node_id = self.doc.insert_after(source, type_id)
        self.doc.set_selection([node_id])
        self._show_card(node_id)
        return node_id

    def _show_card(self, node_id: str) -> None:
        item = self.scene().card_of(node_id)
        if item is not None:
            self.ensureVisible(QRectF(item.pos(), item.pos() + QPointF(WIDTH, item.height)), 40, 40)

    def add_block_smart(self, entry, scene_pos: QPointF | None = None) -> list[str]:
        """Insert a block where the user is: behind the one selected layer (or block), fitted and wired
        in; else at a free spot near ``scene_pos`` (the middle of the view by default)."""
        source = self._one_selected_source() if scene_pos is None else None
        if source is not None:
            ids = self.doc.insert_block(entry, after=source)
        else:
            at = scene_pos if scene_pos is not None else self.mapToScene(self.viewport().rect().center())
            ids = self.doc.insert_block(entry, at=self.card_pos(at))
        if ids:
            self._show_card(ids[-1])
            self._show_card(ids[0])
        return ids

    # ------------------------------------------------------------------ adding layers
    def add_layer_at(self, type_id: str, scene_pos: QPointF, splice: bool = False, free: bool = False) -> str | None:
        """Add a layer centred on ``scene_pos``; near an edge (``splice``) insert it into that connection;
        with ``free``, at the nearest spot where it covers no other card."""
        scene = self.scene()
        pos = self.card_pos(scene_pos)
        spec = self.doc.graph.catalog[type_id]
        radius = SPLICE_RADIUS_PX / max(self.zoom(), 1e-6)
        edge = scene.edge_near(scene_pos, radius) if splice and spec.inputs and spec.outputs else None
        if edge is not None:
            node_id = self.doc.splice(type_id, edge.edge, pos)
        elif free:
            node_id = self.doc.add_node_free(type_id, pos)
        else:
            node_id = self.doc.add_node(type_id, pos)
        self.doc.set_selection([node_id])
        return node_id

    def add_layer_at_center(self, type_id: str) -> str | None:
        return self.add_layer_at(type_id, self.mapToScene(self.viewport().rect().center()), free=True)

    def dragEnterEvent(self, event) -> None:
        if event.mimeData().hasFormat(LAYER_MIME) or event.mimeData().hasFormat(BLOCK_MIME):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event) -> None:
        if event.mimeData().hasFormat(BLOCK_MIME):
            event.acceptProposedAction()
            return
        if not event.mimeData().hasFormat(LAYER_MIME):
            event.ignore()
            return
        radius = SPLICE_RADIUS_PX / max(self.zoom(), 1e-6)
        edge = self.scene().edge_near(self.mapToScene(event.position().toPoint()), radius)
        self._set_hot_edge(edge)
        event.acceptProposedAction()

    def dragLeaveEvent(self, event) -> None:
        self._set_hot_edge(None)

    def dropEvent(self, event) -> None:
        self._set_hot_edge(None)
        data = event.mimeData()
        if data.hasFormat(BLOCK_MIME):
            self._drop_block(event)
            return
        if not data.hasFormat(LAYER_MIME):
            event.ignore()
            return
        type_id = bytes(data.data(LAYER_MIME)).decode("utf-8").strip()
        if type_id not in self.doc.graph.catalog:
            event.ignore()
            return
        event.acceptProposedAction()
        self.add_layer_at(type_id, self.mapToScene(event.position().toPoint()), splice=True, free=True)
        self.setFocus()

    def _drop_block(self, event) -> None:
        """A block dragged from the palette: inserted with its first card centred on the drop point."""
        key = bytes(event.mimeData().data(BLOCK_MIME)).decode("utf-8").strip()
        entry = self.doc.blocks.entry(key)
        if entry is None:
            event.ignore()
            return
        event.acceptProposedAction()
        self.add_block_smart(entry, self.mapToScene(event.position().toPoint()))
        self.setFocus()

    def _set_hot_edge(self, edge) -> None:
        if edge is not self._hot_edge:
            if self._hot_edge is not None and self._hot_edge.scene() is not None:
                self._hot_edge.set_hot(False)
            self._hot_edge = edge
            if edge is not None:
                edge.set_hot(True)


__all__ = ["GraphView"]
