"""Blocks in the graph scene: one card per collapsed block, one frame per expanded block.

Mixed into ``GraphScene``. Everything here follows the graph's block events (``group_added``,
``group_removed``, ``group_changed``) and node moves; edits go through the Document. A collapsed
block hides its layer cards and the connections among them; a connection that reaches one of its
layers from outside is drawn to the block card's port that stands for that layer's port.
"""

from __future__ import annotations

import html

import networkx as nx
from PySide6.QtCore import QCoreApplication, QPointF, QRectF, QTimer

from app.block_shelf import display_title
from app.canvas.block_items import BlockFrameItem, BlockItem
from app.i18n import diag
from graph.analysis import ERROR, INFO, WARNING

MAX_LISTED = 8  # member names a block's tooltip lists before "…"


def tr(text: str) -> str:
    return QCoreApplication.translate("GraphScene", text)


def worst(diags) -> str | None:
    """The most severe level among ``diags`` (error, warning, info), or None."""
    levels = {d.severity for d in diags}
    return next((s for s in (ERROR, WARNING, INFO) if s in levels), None)


class BlockScene:
    """Block cards and frames of a GraphScene (needs ``nodes``, ``edges``, ``_graph``, ``doc``)."""

    def _init_blocks(self) -> None:
        self.blocks: dict[str, BlockItem] = {}  # collapsed block id -> its card
        self.frames: dict[str, BlockFrameItem] = {}  # expanded block id -> its frame
        self._collapsed_of: dict[str, str] = {}  # member id -> its collapsed block's id
        self._seen_analysis = None  # the analysis the cards were last drawn from

    def _block_handlers(self):
        ev = self._graph.events
        return [
            (ev.group_added, self._on_group_added),
            (ev.group_removed, self._on_group_removed),
            (ev.group_changed, self._on_group_changed),
        ]

    def _clear_blocks(self) -> None:
        self.blocks.clear()
        self.frames.clear()
        self._collapsed_of.clear()

    # ------------------------------------------------------------------ graph events
    def _on_group_added(self, group) -> None:
        self._redraw_group(group.id, group)

    def _on_group_removed(self, group) -> None:
        self._redraw_group(group.id, None)

    def _on_group_changed(self, group, old) -> None:
        self._redraw_group(group.id, group)

    def _redraw_group(self, group_id: str, group) -> None:
        """Drop the block's card or frame and draw it again as it is now (``group`` None: it went)."""
        was, self._syncing = self._syncing, True  # hiding selected cards must not change the selection
        try:
            touched = set(self._drop_group(group_id))
            if group is not None:
                self._show_group(group)
                touched |= set(group.members)
            self._reattach(touched)
        finally:
            self._syncing = was
        if not was:
            self._apply_selection()

    def _show_group(self, group) -> None:
        members = [n for n in group.members if n in self.nodes]
        title = display_title(group.title)
        if not group.collapsed:
            frame = BlockFrameItem(group, title, [self.nodes[n] for n in members], self.colors)
            for nid in members:
                self.nodes[nid].frame = frame
            self.frames[group.id] = frame
            self.addItem(frame)
            return
        block = BlockItem(group, title, self.colors)
        self.blocks[group.id] = block
        for nid in members:
            self.nodes[nid].setVisible(False)
            self._collapsed_of[nid] = group.id
        self.addItem(block)
        self._place_block(group.id)
        if self._seen_analysis is not None:
            self._update_block(block, self._seen_analysis)

    def _drop_group(self, group_id: str) -> list[str]:
        """Remove a block's card or frame and show its layers again; returns the member ids."""
        members: list[str] = []
        block = self.blocks.pop(group_id, None)
        if block is not None:
            members = block.members
            for nid in members:
                self._collapsed_of.pop(nid, None)
                if nid in self.nodes:
                    self.nodes[nid].setVisible(True)
            self.removeItem(block)  # its connections are attached again by _reattach
        frame = self.frames.pop(group_id, None)
        if frame is not None:
            members = [item.node_id for item in frame.members]
            for item in frame.members:
                item.frame = None
            self.removeItem(frame)
        return members

    def _place_block(self, group_id: str) -> None:
        """A collapsed block's card takes the place of its first layer's card."""
        block = self.blocks[group_id]
        first = next((n for n in block.members if n in self._graph), None)
        if first is None:
            return
        pos = QPointF(*self._graph.node(first).pos)
        if block.pos() != pos:
            block.setPos(pos)
            if not self._syncing:
                self.update_rect(item=block)

    # ------------------------------------------------------------------ connections
    def _reattach(self, node_ids) -> None:
        ids = set(node_ids)
        if not ids:
            return
        for item in self.edges.values():
            if item.edge.src in ids or item.edge.dst in ids:
                self._attach(item)

    def _attach(self, item) -> None:
        """Draw a connection between the ports it shows now: a collapsed block's card ports stand
        for its layers' ports; a connection inside a collapsed block is hidden."""
        e = item.edge
        src_real = self.nodes[e.src].port(e.src_port, True)
        dst_real = self.nodes[e.dst].port(e.dst_port, False)
        sg, dg = self._collapsed_of.get(e.src), self._collapsed_of.get(e.dst)
        sp = self.blocks[sg].port_for(e.src, e.src_port, True) if sg else src_real
        dp = self.blocks[dg].port_for(e.dst, e.dst_port, False) if dg else dst_real
        visible = not (sg is not None and sg == dg) and sp is not None and dp is not None
        if not visible:
            sp, dp = src_real, dst_real
        if sp is not item.src_port or dp is not item.dst_port:
            old = (item.src_port, item.dst_port)
            for port in old:
                port.node_item.edges.discard(item)
            item.src_port, item.dst_port = sp, dp
            sp.node_item.edges.add(item)
            dp.node_item.edges.add(item)
            for port in (*old, sp, dp):
                port.set_connected(any(port in (x.src_port, x.dst_port) for x in port.node_item.edges))
            item.update_path()
        item.setVisible(visible)

    def member_ports(self, port) -> list[tuple[str, str]]:
        """The layer ports a card port stands for: itself, or a block port's member ports."""
        item = port.node_item
        return item.member_ports(port) if isinstance(item, BlockItem) else [(port.node_id, port.name)]

    def port_pairs(self, a, b) -> list[tuple[str, str, str, str]]:
        """Every (src, src port, dst, dst port) that connecting card ports ``a`` and ``b`` makes."""
        src, dst = (a, b) if a.is_output else (b, a)
        return [(s, sp, d, dp) for s, sp in self.member_ports(src) for d, dp in self.member_ports(dst)]

    def _related(self, port) -> set[str]:
        """Layers a connection from ``port`` may not reach (they would close a cycle)."""
        walk = nx.ancestors if port.is_output else nx.descendants
        related: set[str] = set()
        for nid, _ in self.member_ports(port):
            related |= walk(self._graph.nx, nid)
            related.add(nid)
        return related

    # ------------------------------------------------------------------ reading
    def cards(self) -> list:
        """The cards on show: visible layer cards and collapsed blocks' cards."""
        return [i for i in self.nodes.values() if i.isVisible()] + list(self.blocks.values())

    def card_of(self, node_id: str):
        """The card that shows a layer: its own, or its collapsed block's."""
        gid = self._collapsed_of.get(node_id)
        return self.blocks.get(gid) if gid else self.nodes.get(node_id)

    def frame_at(self, pos: QPointF) -> BlockFrameItem | None:
        """The expanded block whose frame header is under ``pos``."""
        return next((i for i in self.items(pos) if isinstance(i, BlockFrameItem)), None)

    def visible_bounds(self) -> QRectF:
        """The bounding box of everything drawn (hidden layer cards left out)."""
        rect = QRectF()
        for item in self.items():
            if item.isVisible() and item.parentItem() is None:
                rect = rect.united(item.sceneBoundingRect())
        return rect

    def _apply_selection(self) -> None:
        """Select the cards of the Document's selection (a block card when all its layers are)."""
        wanted = set(self.doc.selection())
        self._syncing = True
        try:
            for nid, item in self.nodes.items():
                if item.isVisible() and item.isSelected() != (nid in wanted):
                    item.setSelected(nid in wanted)
            for block in self.blocks.values():
                on = bool(block.members) and all(m in wanted for m in block.members)
                if block.isSelected() != on:
                    block.setSelected(on)
        finally:
            self._syncing = False

    # ------------------------------------------------------------------ analysis and look
    def _update_blocks(self, analysis) -> None:
        self._seen_analysis = analysis
        for block in self.blocks.values():
            self._update_block(block, analysis)

    def _update_block(self, block: BlockItem, a) -> None:
        out = block.output_map[0] if block.output_map else None
        t = a.output(*out) if out else None
        counts = [a.counts.get(n) for n in block.members]
        total = sum(sum(c) for c in counts if c) if any(counts) else None
        severity = worst([d for n in block.members for d in self._diags.get(n, [])])
        block.set_info(self._short(t) if t is not None else "", self._count(total), severity)

    def _block_colors(self, colors) -> None:
        for item in [*self.blocks.values(), *self.frames.values()]:
            item.set_colors(colors)

    def _group(self, group_id: str):
        """The graph's block ``group_id``, or None when it has gone."""
        return next((g for g in self._graph.groups() if g.id == group_id), None)

    def _retranslate_blocks(self) -> None:
        for gid, item in [*self.blocks.items(), *self.frames.items()]:
            group = self._group(gid)
            if group is not None:
                item.set_type_name(display_title(group.title))

    def block_tooltip(self, group_id: str) -> str:
        """Rich text: the block's name and kind, its layers, first output, parameters and problems."""
        graph, group = self._graph, self._group(group_id)
        if group is None:
            return ""
        a = self.doc.analysis()
        lines = [f"<b>{html.escape(group.name)}</b> — {html.escape(display_title(group.title))}"]
        names = [graph.node(n).name for n in group.members]
        listed = ", ".join(names[:MAX_LISTED]) + (", …" if len(names) > MAX_LISTED else "")
        lines.append(tr("Layers ({n}): {names}").format(n=len(names), names=html.escape(listed)))
        out = a.output(*group.outputs[0]) if group.outputs else None
        if out is not None:
            lines.append(tr("Output: {shape}").format(shape=html.escape(out.label())))
        counts = [a.counts[n] for n in group.members if a.counts.get(n)]
        if counts:
            total, trainable = sum(sum(c) for c in counts), sum(c[0] for c in counts)
            lines.append(tr("Parameters: {total:,} ({trainable:,} trainable)").format(total=total, trainable=trainable))
        for nid in group.members:
            for d in a.for_node(nid):
                color = {ERROR: self.colors.error, WARNING: self.colors.warning}.get(d.severity, self.colors.info)
                text = f"{graph.node(nid).name}: {diag(d.message)}"
                lines.append(f"<span style='color:{color.name()}'>■</span> {html.escape(text)}")
        hint = tr("Double-click to expand") if group.collapsed else tr("Click ▾ to collapse")
        lines.append(f"<i>{html.escape(hint)}</i>")
        return "<br>".join(lines)

    # ------------------------------------------------------------------ mouse (the items call these)
    def request_collapsed(self, group_id: str, collapsed: bool) -> None:
        """Collapse or expand a block after the current mouse event (its items are replaced)."""
        QTimer.singleShot(0, self, lambda: self._set_collapsed(group_id, collapsed))

    def _set_collapsed(self, group_id: str, collapsed: bool) -> None:
        if self._group(group_id) is not None and hasattr(self.doc, "set_group_collapsed"):
            self.doc.set_group_collapsed(group_id, collapsed)

    def begin_frame_drag(self, group_id: str) -> None:
        """A press on a frame's header: select the block's layers and start moving them together."""
        frame = self.frames.get(group_id)
        if frame is None:
            return
        self.doc.set_selection([i.node_id for i in frame.members])
        self._drag_start = {i.node_id: QPointF(i.pos()) for i in frame.members}

    def drag_frame(self, group_id: str, delta: QPointF) -> None:
        for nid, p0 in (self._drag_start or {}).items():
            item = self.nodes.get(nid)
            if item is not None:
                item.setPos(p0 + delta)

    def _block_moves(self, block: BlockItem, start: QPointF) -> dict:
        """The member moves a dragged block card stands for (every layer by the card's offset)."""
        dx, dy = block.pos().x() - start.x(), block.pos().y() - start.y()
        if not dx and not dy:
            return {}
        moves = {}
        for nid in block.members:
            if nid in self._graph:
                x, y = self._graph.node(nid).pos
                moves[nid] = ((x, y), (x + dx, y + dy))
        return moves


__all__ = ["BlockScene", "worst"]
