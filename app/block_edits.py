"""Block edits: group a selection into a block, ungroup, collapse/expand, rename, insert a block.

Each method is ONE undo step (a thin command from ``app.commands`` or a macro of them); the canvas
redraws from the graph's block events. ``Document`` inherits these methods.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QCoreApplication

from app.block_shelf import DEFAULT_TITLE
from app.commands import (
    AddGroupCommand,
    AddNodeCommand,
    ConnectCommand,
    DisconnectCommand,
    RemoveGroupCommand,
    SetGroupCommand,
)
from app.i18n import pick
from graph.blocks import BlockEntry
from graph.clipboard import PastePlan, plan_paste
from graph.layout import X_STEP
from graph.placement import CARD_WIDTH, STEP, card_size, free_spot_in, make_room, node_rect, overlaps


def tr(text: str) -> str:
    return QCoreApplication.translate("Blocks", text)


class BlockEdits:
    """Mixed into ``Document``: needs ``self.graph``, ``self.undo_stack``, ``analysis`` and ``_push_moves``."""

    # ------------------------------------------------------------------ grouping
    def group_selection(self, node_ids, name: str | None = None, title: str | None = None) -> str | None:
        """Make these layers one block (one undo step); returns why it was refused, or None."""
        graph = self.graph
        ids = [n for n in dict.fromkeys(node_ids) if n in graph]
        problem = graph.group_problem(ids)
        name = name if name is not None else graph.unique_group_name("block")
        problem = problem or graph.group_name_problem(name)
        if problem:
            return problem
        text = tr("Group {n} layers into {name}").format(n=len(ids), name=name)
        self.undo_stack.push(AddGroupCommand(graph, name, title or DEFAULT_TITLE, ids, text=text))
        return None

    def ungroup(self, group_id: str) -> None:
        """Take the block away; its layers stay where they are."""
        name = self.graph.group(group_id).name
        self.undo_stack.push(RemoveGroupCommand(self.graph, group_id, tr("Ungroup {name}").format(name=name)))

    def ungroup_nodes(self, node_ids) -> int:
        """Ungroup every block holding one of these layers (one undo step); returns how many."""
        gids = list(dict.fromkeys(g.id for n in node_ids if n in self.graph and (g := self.graph.group_of(n))))
        if len(gids) == 1:
            self.ungroup(gids[0])
        elif gids:
            self.undo_stack.beginMacro(tr("Ungroup {n} blocks").format(n=len(gids)))
            try:
                for gid in gids:
                    self.undo_stack.push(RemoveGroupCommand(self.graph, gid))
            finally:
                self.undo_stack.endMacro()
        return len(gids)

    def set_group_collapsed(self, group_id: str, collapsed: bool) -> None:
        """Show a block as one card (collapsed) or as its layers in a frame, as one undo step.

        Collapsing closes the gap the hidden layers leave: the layers downstream, right of the block,
        move left (when nothing is in their way); expanding makes room for the layers again."""
        group = self.graph.group(group_id)
        if group.collapsed == bool(collapsed):
            return
        text = (tr("Collapse {name}") if collapsed else tr("Expand {name}")).format(name=group.name)
        moves = self._collapse_moves(group) if collapsed else self._expand_moves(group)
        self.undo_stack.beginMacro(text)
        try:
            self.undo_stack.push(SetGroupCommand(self.graph, group_id, collapsed=bool(collapsed), text=text))
            self._push_moves(moves)
        finally:
            self.undo_stack.endMacro()

    def _collapse_moves(self, group) -> dict:
        """Moves that pull the layers downstream of a block (right of it) up to its collapsed card."""
        graph, members = self.graph, set(group.members)
        right = max(r[0] + r[2] for r in (node_rect(graph, n) for n in group.members))
        card_x = graph.node(group.members[0]).pos[0]  # the card takes the first layer's place
        dx = math.floor((right - card_x - CARD_WIDTH) / STEP) * STEP
        downstream = set().union(*(graph.descendants(n) for n in members)) - members
        moving = {n for n in downstream if graph.node(n).pos[0] >= right - 1}
        if dx <= 0 or not moving:
            return {}
        hidden = self.hidden_layers() | set(group.members[1:])
        staying = [node_rect(graph, n) for n in graph.node_ids() if n not in moving and n not in hidden]
        moves = {}
        for n in moving:
            x, y = graph.node(n).pos
            moves[n] = (x - dx, y)
            if any(overlaps((x - dx, y, *card_size(graph.spec(n))), r, 0) for r in staying):
                return {}  # another card is in the way: leave the layout as it is
        return moves

    def _expand_moves(self, group) -> dict:
        """Moves that make room for an expanded block's layers (the chain downstream shifts right)."""
        graph, members = self.graph, set(group.members)
        rects = [node_rect(graph, n) for n in group.members]
        left, top = min(r[0] for r in rects), min(r[1] for r in rects)
        size = (max(r[0] + r[2] for r in rects) - left, max(r[1] + r[3] for r in rects) - top)
        downstream = set().union(*(graph.descendants(n) for n in members)) - members
        _pos, moves = make_room(graph, (left, top), size, downstream, exclude=members | self.hidden_layers())
        return moves

    def rename_group(self, group_id: str, name: str) -> str | None:
        """Rename a block; a refused name returns the reason and changes nothing."""
        problem = self.graph.group_name_problem(name, group_id)
        if problem:
            return problem
        old = self.graph.group(group_id).name
        if name != old:
            text = tr("Rename {old} to {name}").format(old=old, name=name)
            self.undo_stack.push(SetGroupCommand(self.graph, group_id, name=name, text=text))
        return None

    def delete_group(self, group_id: str) -> None:
        """Delete a block's layers (the block goes with them)."""
        self.delete(list(self.graph.group(group_id).members))

    def _regroup(self, old, members, inputs=None, outputs=None) -> None:
        """Give block ``old`` (a copy of it as it was) other layers, keeping its id, name and ports:
        a layer spliced into it joins it, a replaced layer's successor takes its place. Pushed inside
        the caller's macro."""
        graph = self.graph
        if any(g.id == old.id for g in graph.groups()):
            self.undo_stack.push(RemoveGroupCommand(graph, old.id))
        inputs = old.inputs if inputs is None else inputs
        outputs = old.outputs if outputs is None else outputs
        command = AddGroupCommand(graph, old.name, old.title, members, inputs, outputs, old.collapsed, group_id=old.id)
        self.undo_stack.push(command)

    def _join_block(self, group, node_id: str) -> None:
        """A new layer wired between two layers of ``group`` becomes one of its layers."""
        if group is not None:
            self._regroup(group.copy(), [*group.members, node_id])

    def shown_pos(self, node_id: str) -> tuple[float, float]:
        """Where a layer is drawn: its card, or its collapsed block's card (at the block's first layer)."""
        group = self.graph.group_of(node_id)
        if group is not None and group.collapsed:
            node_id = group.members[0]
        return self.graph.node(node_id).pos

    def hidden_layers(self) -> set[str]:
        """Layers out of sight in collapsed blocks (each block's first layer stands for its card):
        new cards may go where they are, as nothing is drawn there."""
        return {n for g in self.graph.groups() if g.collapsed for n in g.members[1:]}

    def block_of_selection(self, node_ids) -> str | None:
        """The block whose layers are exactly ``node_ids`` (a selected block card), or None."""
        chosen = set(node_ids)
        for group in self.graph.groups():
            if chosen == set(group.members):
                return group.id
        return None

    def connect_all(self, pairs) -> str | None:
        """Connect several port pairs (a block port stands for several layer ports) as one undo step;
        returns why the first refused one cannot be made (nothing is connected then), or None."""
        pairs = list(dict.fromkeys(tuple(p) for p in pairs))
        for ends in pairs:
            problem = self.graph.connection_problem(*ends)
            if problem:
                return problem
        if len(pairs) == 1:
            self.undo_stack.push(ConnectCommand(self.graph, *pairs[0]))
            return None
        src, dst = self.graph.node(pairs[0][0]).name, self.graph.node(pairs[0][2]).name
        self.undo_stack.beginMacro(tr("Connect {src} → {dst} ({n} ports)").format(src=src, dst=dst, n=len(pairs)))
        try:
            for ends in pairs:
                self.undo_stack.push(ConnectCommand(self.graph, *ends))
        finally:
            self.undo_stack.endMacro()
        return None

    # ------------------------------------------------------------------ inserting a block
    def insert_block(self, entry: BlockEntry, at=None, after: str | None = None) -> list[str]:
        """Insert a block as one undo step; returns its layers' ids (selected).

        With ``after`` (a layer id) the block is fitted to that layer's output, placed behind it
        (shifting the chain downstream when it is in the way) and wired in: the layer feeds every port
        of the block's first input, and its former consumers read the block's first output. Else it
        goes on free ground near ``at`` (a top-left point)."""
        graph = self.graph
        plan = plan_paste(entry.fitted(self._features_of(after)), graph, (0.0, 0.0))
        if not plan.nodes:
            return []
        rects = [(*pos, *card_size(graph.catalog[t])) for t, _p, _n, pos in plan.nodes]
        left, top = min(r[0] for r in rects), min(r[1] for r in rects)
        size = (max(r[0] + r[2] for r in rects) - left, max(r[1] + r[3] for r in rects) - top)
        out, consumers, moves = None, [], {}
        if after is not None:
            spec, anchor = graph.spec(after), self.shown_pos(after)
            out = spec.outputs[0].name if spec.outputs else None
            consumers = graph.out_edges(after, out) if out else []
            movable = set().union(*(graph.descendants(e.dst) | {e.dst} for e in consumers))
            pos, moves = make_room(graph, (anchor[0] + X_STEP, anchor[1]), size, movable, self.hidden_layers())
        else:
            pos = free_spot_in(graph, at if at is not None else (left, top), size, self.hidden_layers())
        plan.nodes = [(t, p, n, (x + pos[0] - left, y + pos[1] - top)) for t, p, n, (x, y) in plan.nodes]
        self.undo_stack.beginMacro(tr("Insert {block}").format(block=pick(entry.title, entry.title_zh)))
        try:
            self._push_moves(moves)
            ids, gids = self._push_plan(plan)
            if out is not None and gids:
                self._wire_block(after, out, consumers, gids[0])
        finally:
            self.undo_stack.endMacro()
        self.set_selection(ids)
        return ids

    def _features_of(self, node_id: str | None) -> int | None:
        """What a block fitted behind ``node_id`` follows: channels of an image, else the last axis."""
        if node_id is None or not self.graph.spec(node_id).outputs:
            return None
        t = self.analysis().output(node_id, self.graph.spec(node_id).outputs[0].name)
        if t is None or t.rank < 2:
            return None
        value = t.dims[1] if t.channels_first else t.last
        return value if isinstance(value, int) and value > 0 else None

    def _wire_block(self, src: str, out: str, consumers, group_id: str) -> None:
        """``src`` feeds the block's first input; its consumers move behind the block's first output."""
        graph, stack = self.graph, self.undo_stack
        group = graph.group(group_id)
        if not group.inputs:
            return
        for e in consumers:
            stack.push(DisconnectCommand(graph, e))
        for nid, port in group.inputs[0]:
            if graph.connection_problem(src, out, nid, port) is None:
                stack.push(ConnectCommand(graph, src, out, nid, port))
        for e in consumers:
            ends = (*group.outputs[0], e.dst, e.dst_port) if group.outputs else None
            if ends is None or graph.connection_problem(*ends) is not None:
                ends = (e.src, e.src_port, e.dst, e.dst_port)  # the block's output does not fit: as it was
            stack.push(ConnectCommand(graph, *ends))

    def _push_plan(self, plan: PastePlan) -> tuple[list[str], list[str]]:
        """Push the layers, connections and blocks of a paste plan (inside a macro); returns their ids."""
        graph = self.graph
        adds = [AddNodeCommand(graph, t, p, pos, name) for t, p, name, pos in plan.nodes]
        for cmd in adds:
            self.undo_stack.push(cmd)
        ids = [c.node_id for c in adds]
        for si, sp, di, dp in plan.edges:
            self.undo_stack.push(ConnectCommand(graph, ids[si], sp, ids[di], dp))
        gids = []
        for name, title, members, inputs, outputs, collapsed in plan.groups:
            cmd = AddGroupCommand(
                graph,
                name,
                title,
                [ids[i] for i in members],
                [[(ids[i], p) for i, p in ports] for ports in inputs],
                [(ids[i], p) for i, p in outputs],
                collapsed,
            )
            self.undo_stack.push(cmd)
            gids.append(cmd.group_id)
        return ids, gids


__all__ = ["BlockEdits"]
