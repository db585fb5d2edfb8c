"""The graph scene: mirrors the Document's graph through its events, one item per node and edge.

Items are created, removed and updated from graph events through ``node_id → item`` and
``edge key → item`` maps (blocks, as cards or frames, through ``app.canvas.scene_blocks``); the whole
scene is rebuilt only when the project is replaced. Edits (connect, move) go through the Document,
never to the graph or to items directly.
"""

from __future__ import annotations

import html
import math

from PySide6.QtCore import QCoreApplication, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QPen
from PySide6.QtWidgets import QGraphicsScene, QToolTip

from app.canvas.block_items import BlockItem
from app.canvas.edge_item import DragEdgeItem, EdgeItem
from app.canvas.node_item import WIDTH, NodeItem, format_count
from app.canvas.port_item import COMPATIBLE, DIMMED, NORMAL, PortItem
from app.canvas.scene_blocks import BlockScene, worst
from app.i18n import diag, pick
from app.theme import canvas_colors
from graph.analysis import ERROR, WARNING

GRID = 20.0
MARGIN = 1500.0


def tr(text: str) -> str:
    return QCoreApplication.translate("GraphScene", text)


class GraphScene(BlockScene, QGraphicsScene):
    """Canvas items for one Document; emits ``message`` with refusals and hints for the status bar."""

    message = Signal(str)
    emptiness_changed = Signal(bool)  # True when the last layer went, False when the first one came

    def __init__(self, document, colors=None, parent=None):
        super().__init__(parent)
        self.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.NoIndex)
        self.doc = document
        self.colors = colors or canvas_colors(False)
        self.snap_enabled = True
        self.nodes: dict[str, NodeItem] = {}
        self.edges: dict[tuple, EdgeItem] = {}
        self._graph = None
        self._drag_start: dict[str, QPointF] | None = None
        self._connect_from: PortItem | None = None
        self._drag_line: DragEdgeItem | None = None
        self._syncing = False
        self._diags: dict[str, list] = {}
        self._short_cache: dict = {}  # TensorType -> its short label
        self._count_cache: dict = {}  # parameter count -> "1,234 params"
        self._init_blocks()
        document.project_replaced.connect(self.rebuild)
        document.analysis_changed.connect(self._on_analysis_changed)
        document.selection_changed.connect(self._on_doc_selection_changed)
        self.selectionChanged.connect(self._on_scene_selection_changed)
        self.rebuild()

    # ------------------------------------------------------------------ binding
    def _handlers(self):
        ev = self._graph.events
        return [
            (ev.node_added, self._on_node_added),
            (ev.node_removed, self._on_node_removed),
            (ev.edge_added, self._on_edge_added),
            (ev.edge_removed, self._on_edge_removed),
            (ev.node_moved, self._on_node_moved),
            (ev.node_renamed, self._on_node_renamed),
            *self._block_handlers(),
        ]

    def rebuild(self) -> None:
        """Drop every item and mirror the current graph (only on project replacement)."""
        if self._graph is not None:
            for event, handler in self._handlers():
                event.disconnect(handler)
        self._syncing = True
        try:
            self._cancel_connect()
            self.clear()
            self.nodes.clear()
            self._clear_blocks()
            self.emptiness_changed.emit(True)
            self.edges.clear()
            self._short_cache.clear()
            self._count_cache.clear()
            self._graph = self.doc.graph
            for node in self._graph.nodes():
                self._on_node_added(node)
            for edge in self._graph.edges():
                self._on_edge_added(edge)
            for group in self._graph.groups():
                self._show_group(group)
            self._reattach(n for g in self._graph.groups() if g.collapsed for n in g.members)
        finally:
            self._syncing = False
        for event, handler in self._handlers():
            event.connect(handler)
        self._on_analysis_changed()
        self.update_rect(reset=True)

    # ------------------------------------------------------------------ graph events
    def _on_node_added(self, node) -> None:
        spec = self._graph.catalog[node.type]
        name = pick(spec.display_name, spec.display_name_zh)
        item = NodeItem(node.id, node.name, name, spec.category, spec.inputs, spec.outputs, self.colors)
        item.setPos(QPointF(*node.pos))
        self.nodes[node.id] = item
        self.addItem(item)
        if len(self.nodes) == 1:
            self.emptiness_changed.emit(False)
        if not self._syncing:
            self.update_rect(item=item)

    def _on_node_removed(self, node) -> None:
        item = self.nodes.pop(node.id, None)
        if item is None:
            return
        for edge_item in list(item.edges):
            self._on_edge_removed(edge_item.edge)
        self.removeItem(item)
        if not self.nodes:
            self.emptiness_changed.emit(True)

    def _on_edge_added(self, edge) -> None:
        src, dst = self.nodes[edge.src], self.nodes[edge.dst]
        sp, dp = src.port(edge.src_port, True), dst.port(edge.dst_port, False)
        item = EdgeItem(edge, sp, dp, self.colors)
        src.edges.add(item)
        dst.edges.add(item)
        sp.set_connected(True)
        dp.set_connected(True)
        self.edges[edge.key] = item
        self.addItem(item)
        if self._collapsed_of and (edge.src in self._collapsed_of or edge.dst in self._collapsed_of):
            self._attach(item)  # drawn to a collapsed block's card

    def _on_edge_removed(self, edge) -> None:
        item = self.edges.pop(edge.key, None)
        if item is None:
            return
        for port in (item.src_port, item.dst_port):
            port.node_item.edges.discard(item)
            port.set_connected(any(port in (e.src_port, e.dst_port) for e in port.node_item.edges))
        self.removeItem(item)

    def _on_node_moved(self, node, old, new) -> None:
        item = self.nodes.get(node.id)
        if item is not None and (item.pos().x(), item.pos().y()) != tuple(new):
            item.setPos(QPointF(*new))
            self.update_rect(item=item)
        if node.id in self._collapsed_of:
            self._place_block(self._collapsed_of[node.id])

    def _on_node_renamed(self, node, old, new) -> None:
        item = self.nodes.get(node.id)
        if item is not None:
            item.set_name(new)

    def _on_analysis_changed(self) -> None:
        """Refresh shape labels, counts and diagnostic marks; items repaint only when they changed.

        The incremental analysis hands the unchanged nodes' tables on as the same objects, so an item
        whose node kept its shape and count objects (and severity) is skipped without formatting
        anything: an edit touches the edited node, its descendants and their edges, not 2,000 items."""
        a = self.doc.analysis()
        diags: dict[str, list] = {}
        for d in a.diagnostics:
            if d.node_id is not None:
                diags.setdefault(d.node_id, []).append(d)
        self._diags = diags
        worsts = {nid: worst(ds) for nid, ds in diags.items()}
        shapes, counts_of, short, count = a.shapes, a.counts, self._short, self._count
        for nid, item in self.nodes.items():
            out, counts, severity = shapes.get(nid), counts_of.get(nid), worsts.get(nid)
            if out is item.seen_out and counts is item.seen_counts and severity == item.severity:
                continue
            item.seen_out, item.seen_counts = out, counts
            shape = out.get(item.outputs[0].name) if out and item.outputs else None
            item.set_info(short(shape) if shape else "", count(sum(counts) if counts else None), severity)
        for item in self.edges.values():
            edge = item.edge
            out = shapes.get(edge.src)
            t = out.get(edge.src_port) if out else None
            if t is item.seen_type:
                continue
            item.seen_type = t
            item.set_label(short(t) if t is not None else "?", t is not None)
        self._update_blocks(a)

    def _short(self, t) -> str:
        text = self._short_cache.get(t)
        if text is None:
            text = self._short_cache[t] = t.short()
        return text

    def _count(self, n: int | None) -> str:
        text = self._count_cache.get(n)
        if text is None:
            text = self._count_cache[n] = format_count(n)
        return text

    # ------------------------------------------------------------------ tooltips
    def helpEvent(self, event) -> None:
        """Build a node's tooltip when it is about to show, so it never tells of an earlier state."""
        for item in self.items(event.scenePos()):
            if isinstance(item, BlockItem):
                item.setToolTip(self.block_tooltip(item.group_id))
                break
            if isinstance(item, NodeItem):
                item.setToolTip(self.tooltip_for(item.node_id))
                break
        super().helpEvent(event)

    def tooltip_for(self, node_id: str) -> str:
        """Rich-text tooltip: name, type, output shape, parameters, then each problem and its fix."""
        if node_id not in self._graph:
            return ""
        node, spec, a = self._graph.node(node_id), self._graph.spec(node_id), self.doc.analysis()
        lines = [f"<b>{html.escape(node.name)}</b> — {html.escape(pick(spec.display_name, spec.display_name_zh))}"]
        out = a.output(node_id, spec.outputs[0].name) if spec.outputs else None
        if out is not None:
            lines.append(tr("Output: {shape}").format(shape=html.escape(out.label())))
        counts = a.counts.get(node_id)
        if counts:
            lines.append(
                tr("Parameters: {total:,} ({trainable:,} trainable)").format(total=sum(counts), trainable=counts[0])
            )
        for d in a.for_node(node_id):  # the current analysis, not the last one the items were drawn from
            color = {ERROR: self.colors.error, WARNING: self.colors.warning}.get(d.severity, self.colors.info)
            lines.append(f"<span style='color:{color.name()}'>■</span> {html.escape(diag(d.message))}")
            if d.fix:
                lines.append("&nbsp;&nbsp;" + tr("Fix: {fix}").format(fix=html.escape(diag(d.fix))))
        from app.canvas.highlight import highlight_note  # File ▸ Compare With notes (app/compare.py)

        note = highlight_note(self.nodes.get(node_id))
        if note:
            lines.append(note)
        return "<br>".join(lines)

    # ------------------------------------------------------------------ selection
    def selected_node_ids(self) -> list[str]:
        order = {nid: i for i, nid in enumerate(self._graph.node_ids())}
        items = self.selectedItems()
        ids = [i.node_id for i in items if isinstance(i, NodeItem) and not isinstance(i, BlockItem)]
        ids += [m for i in items if isinstance(i, BlockItem) for m in i.members]  # a block card: its layers
        return sorted(dict.fromkeys(ids), key=lambda n: order.get(n, 0))

    def selected_edges(self) -> list:
        return [i.edge for i in self.selectedItems() if isinstance(i, EdgeItem)]

    def _on_scene_selection_changed(self) -> None:
        if self._syncing:
            return
        self._syncing = True
        try:
            self.doc.set_selection(self.selected_node_ids())
        finally:
            self._syncing = False

    def _on_doc_selection_changed(self) -> None:
        if not self._syncing:
            self._apply_selection()

    # ------------------------------------------------------------------ moving (one command per drag)
    def is_dragging(self) -> bool:
        return self._drag_start is not None

    def snapped(self, p: QPointF) -> QPointF:
        if not self.snap_enabled:
            return p
        return QPointF(round(p.x() / GRID) * GRID, round(p.y() / GRID) * GRID)

    def mousePressEvent(self, event) -> None:
        super().mousePressEvent(event)
        grabber = self.mouseGrabberItem()
        if isinstance(grabber, NodeItem) and not grabber._connecting:
            items = {i.node_id: i for i in self.selectedItems() if isinstance(i, NodeItem)}
            items[grabber.node_id] = grabber
            self._drag_start = {nid: QPointF(i.pos()) for nid, i in items.items()}

    def mouseReleaseEvent(self, event) -> None:
        super().mouseReleaseEvent(event)
        if self._drag_start is not None and self.mouseGrabberItem() is None:
            self.commit_drag()

    def commit_drag(self) -> None:
        """Record the finished drag as one MoveCommand (positions are already applied to the items)."""
        start, self._drag_start = self._drag_start or {}, None
        moves = {}
        for nid, p0 in start.items():
            if nid in self.blocks:
                moves.update(self._block_moves(self.blocks[nid], p0))
                continue
            item = self.nodes.get(nid)
            if item is not None and item.pos() != p0:
                moves[nid] = ((p0.x(), p0.y()), (item.pos().x(), item.pos().y()))
        if moves:
            self.doc.move_nodes(moves)
            self.update_rect()

    # ------------------------------------------------------------------ connecting
    def begin_connect(self, port: PortItem, pos: QPointF) -> None:
        """Start dragging a connection from ``port``; compatible ports light up, the others dim."""
        self._cancel_connect()
        self._connect_from = port
        self._drag_line = DragEdgeItem(port.center(), port.is_output, self.colors)
        self.addItem(self._drag_line)
        self._drag_line.set_end(pos)
        self._mark_compatible(port)

    def _mark_compatible(self, port: PortItem) -> None:
        related = self._related(port)
        for item in self.cards():
            members = item.members if isinstance(item, BlockItem) else (item.node_id,)
            clash = any(m in related for m in members)
            for other in item.outputs if not port.is_output else item.inputs:
                ok = not clash and self._problem(port, other, False) is None
                other.set_state(COMPATIBLE if ok else DIMMED)

    def _problem(self, a: PortItem, b: PortItem, check_cycle: bool = True) -> str | None:
        """Why connecting card ports ``a`` and ``b`` is refused (every layer port they stand for), or None."""
        for ends in self.port_pairs(a, b):
            problem = self._graph.connection_problem(*ends, check_cycle)
            if problem:
                return problem
        return None

    def update_connect(self, pos: QPointF) -> None:
        if self._drag_line is None:
            return
        target = self.port_at(pos, not self._connect_from.is_output)
        self._drag_line.set_end(target.center() if target is not None and target.state == COMPATIBLE else pos)

    def end_connect(self, pos: QPointF, screen_pos=None) -> str | None:
        """Finish a connection drag at ``pos``; returns (and shows) the refusal, or None."""
        start = self._connect_from
        self._cancel_connect()
        if start is None:
            return None
        exact = self._exact_port_at(pos)
        if exact is not None and exact.is_output == start.is_output and exact is not start:
            problem = (
                tr("both ports are outputs; drop on an input port (left side of a layer)")
                if start.is_output
                else tr("both ports are inputs; drop on an output port (right side of a layer)")
            )
            self._refuse(tr("Cannot connect: {reason}").format(reason=diag(problem)), screen_pos)
            return problem
        target = self.port_at(pos, not start.is_output)
        if target is None or target.node_item is start.node_item:
            return None
        pairs = self.port_pairs(start, target)
        problem = self.doc.connect(*pairs[0]) if len(pairs) == 1 else self.doc.connect_all(pairs)
        if problem:
            self._refuse(tr("Cannot connect: {reason}").format(reason=diag(problem)), screen_pos)
        return problem

    def _refuse(self, text: str, screen_pos) -> None:
        text = diag(text)
        self.message.emit(text)
        if screen_pos is not None:
            QToolTip.showText(screen_pos.toPoint() if hasattr(screen_pos, "toPoint") else screen_pos, text)

    def _exact_port_at(self, pos: QPointF) -> PortItem | None:
        """The port (either direction) right under ``pos``, not a node body's default port."""
        for item in self.items(pos):
            if isinstance(item, NodeItem):
                port = item.port_at(item.mapFromScene(pos))
                if port is not None:
                    return port
        return None

    def _cancel_connect(self) -> None:
        if self._drag_line is not None:
            self.removeItem(self._drag_line)
        self._drag_line, self._connect_from = None, None
        for item in [*self.nodes.values(), *self.blocks.values()]:
            for p in item.inputs + item.outputs:
                p.set_state(NORMAL)

    def port_at(self, pos: QPointF, want_output: bool) -> PortItem | None:
        """The port of the wanted direction under ``pos``; on a node body, that node's first such port."""
        nodes = [i for i in self.items(pos) if isinstance(i, NodeItem)]
        for item in nodes:
            port = item.port_at(item.mapFromScene(pos))
            if port is not None and port.is_output == want_output:
                return port
        for item in nodes:
            ports = item.outputs if want_output else item.inputs
            if ports and item.shape().contains(item.mapFromScene(pos)):
                return ports[0]
        return None

    def edge_at(self, pos: QPointF) -> EdgeItem | None:
        return next((i for i in self.items(pos) if isinstance(i, EdgeItem)), None)

    def node_at(self, pos: QPointF) -> NodeItem | None:
        """The card (or one of its ports) under ``pos``."""
        for item in self.items(pos):
            if isinstance(item, NodeItem) and item.shape().contains(item.mapFromScene(pos)):
                return item
        return None

    def edge_near(self, pos: QPointF, radius: float) -> EdgeItem | None:
        """The connection whose curve passes within ``radius`` of ``pos`` (the nearest one), not one
        hidden under a card."""
        if self.node_at(pos) is not None:
            return None
        box = QRectF(pos.x() - radius, pos.y() - radius, 2 * radius, 2 * radius)
        best, best_d = None, radius * radius
        for item in self.items(box):
            if not isinstance(item, EdgeItem):
                continue
            d = item.distance2(pos)
            if d <= best_d:
                best, best_d = item, d
        return best

    def badge_clicked(self, node_id: str, screen_pos=None) -> str | None:
        """A click on a card's problem badge applies the worst problem's one-click fix (one undo step);
        without one it shows the problems. Returns the applied fix's text, or None."""
        from app.context_menus import fix_text, fixable

        found = fixable(self.doc.analysis(), node_id)
        if not found:
            if screen_pos is not None:
                QToolTip.showText(screen_pos.toPoint(), self.tooltip_for(node_id))
            return None
        d = found[0]
        problem = self.doc.apply_fix(d.action)
        if problem:
            self._refuse(problem, screen_pos)
            return None
        text = fix_text(d)
        self.message.emit(tr("Fixed: {fix}").format(fix=text))
        return text

    # ------------------------------------------------------------------ teaching views
    def show_inspection(self, event: dict, arrays: dict) -> None:
        """Every card's thumbnail of what its layer computed for the inspected sample ({}: none)."""
        from app.training.inside import picture_kind, thumbnail

        sample = event.get("sample")
        for nid, item in self.nodes.items():
            if nid not in self._graph:
                continue
            node = self._graph.node(nid)
            a = arrays.get(node.name)
            if a is None:
                item.set_thumbnail(None)
                continue
            kind = picture_kind(self._graph.spec(nid), a)
            tip = tr("{layer} for test sample {sample}, epoch {epoch}").format(
                layer=node.name, sample=sample, epoch=event.get("epoch")
            )
            item.set_thumbnail(thumbnail(a, kind, 44), tip)

    # ------------------------------------------------------------------ look
    def set_colors(self, colors) -> None:
        self.colors = colors
        for item in self.nodes.values():
            item.set_colors(colors)
        for item in self.edges.values():
            item.set_colors(colors)
        self._block_colors(colors)
        self.update()

    def retranslate(self) -> None:
        """Counts ("1,234 params") in the UI language: formatted again for every card."""
        self._count_cache.clear()
        for item in self.nodes.values():
            item.seen_counts = None
        self._retranslate_blocks()
        self._on_analysis_changed()
        self.invalidate(self.sceneRect())

    def update_rect(self, reset: bool = False, item: NodeItem | None = None) -> None:
        """Keep a generous margin around the items so the view can pan past them (grows per item)."""
        if reset or not self.nodes:
            bounds = self.itemsBoundingRect() if self.nodes else QRectF(-400, -300, 800, 600)
            self.setSceneRect(bounds.adjusted(-MARGIN, -MARGIN, MARGIN, MARGIN))
            return
        items = [item] if item is not None else [self.nodes[n] for n in self.doc.selection() if n in self.nodes]
        rect = self.sceneRect()
        inner = rect.adjusted(MARGIN / 2, MARGIN / 2, -MARGIN / 2, -MARGIN / 2)
        for it in items:
            r = QRectF(it.pos(), it.pos() + QPointF(WIDTH, it.height))
            if not inner.contains(r):
                rect = rect.united(r.adjusted(-MARGIN, -MARGIN, MARGIN, MARGIN))
        if rect != self.sceneRect():
            self.setSceneRect(rect)

    def drawBackground(self, painter, rect: QRectF) -> None:
        """A dot grid: one dashed line per row (dots = zero-length dashes), so it costs ~50 calls."""
        painter.fillRect(rect, self.colors.background)
        scale = painter.worldTransform().m11()
        step = GRID
        while step * scale < 12:
            step *= 5
        dot = 1.8
        pen = QPen(self.colors.grid, dot, Qt.PenStyle.CustomDashLine, Qt.PenCapStyle.RoundCap)
        pen.setCosmetic(True)
        pen.setDashPattern([0.001, step * scale / dot - 0.001])
        painter.setPen(pen)
        left = math.floor(rect.left() / step) * step
        y = math.floor(rect.top() / step) * step
        while y < rect.bottom():
            painter.drawLine(QPointF(left, y), QPointF(rect.right(), y))
            y += step


__all__ = ["GRID", "GraphScene"]
