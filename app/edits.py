"""Edits that add layers where the user is working: insert before/after, splice, replace, fixes.

Each method is ONE undo step (a macro of the thin commands in ``app.commands``) and places new
cards on free ground (``graph.placement``), shifting the chain downstream when it is in the way.
``Document`` inherits these methods; views call them, never the graph.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from app.commands import (
    AddNodeCommand,
    ConnectCommand,
    DisconnectCommand,
    MoveCommand,
    RemoveNodeCommand,
    SetParamCommand,
)
from graph import fixes
from graph.layout import X_STEP
from graph.model import Edge
from graph.placement import card_size, free_spot_in, make_room
from graph.spec import ShapeError


def tr(text: str) -> str:
    return QCoreApplication.translate("Edits", text)


class PlacedEdits:
    """Mixed into ``Document``: needs ``self.graph``, ``self.undo_stack``, ``add_node``, ``analysis`` and,
    from ``BlockEdits``, ``shown_pos``, ``hidden_layers`` and ``_join_block`` (cards of collapsed blocks)."""

    # ------------------------------------------------------------------ helpers
    def _push_moves(self, moves: dict) -> None:
        moves = {n: (self.graph.node(n).pos, p) for n, p in moves.items() if self.graph.node(n).pos != p}
        if moves:
            self.undo_stack.push(MoveCommand(self.graph, moves, "Make room"))

    def _new_params(self, type_id: str, params: dict | None) -> dict | None:
        if params:
            merged = self.graph.catalog[type_id].defaults()
            merged.update(params)
            return merged
        return self._input_params_from_data(type_id)

    def free_position(self, pos, type_id: str) -> tuple[float, float]:
        """The free spot nearest ``pos`` (a card's top-left) for a new ``type_id`` card."""
        return free_spot_in(self.graph, pos, card_size(self.graph.catalog[type_id]), self.hidden_layers())

    def add_node_free(self, type_id: str, pos, params: dict | None = None) -> str:
        """Add a layer at the free spot nearest ``pos``: never on top of another card."""
        return self.add_node(type_id, self.free_position(pos, type_id), params)

    # ------------------------------------------------------------------ splice / insert
    def splice(self, type_id: str, edge: Edge, pos=None, params: dict | None = None) -> str | None:
        """Insert a new layer into an existing connection (drop onto an edge), as one undo step.

        Returns the new node id, or (for a layer without an input or output) the reason it was refused."""
        spec = self.graph.catalog[type_id]
        if not spec.inputs or not spec.outputs:
            return f"{spec.display_name} cannot be inserted into a connection"
        src, dst = self.shown_pos(edge.src), self.shown_pos(edge.dst)  # a collapsed block: its card
        if pos is None:
            pos = ((src[0] + dst[0]) / 2, (src[1] + dst[1]) / 2)
        if dst[0] > src[0] and pos[0] > src[0] - 1:  # a left-to-right chain: right of src
            pos = (max(pos[0], src[0] + X_STEP), pos[1])
        downstream = self.graph.descendants(edge.dst) | {edge.dst}
        pos, moves = make_room(self.graph, pos, card_size(spec), downstream, self.hidden_layers())
        block = self.graph.group_of(edge.src)
        inside = block if block is not None and self.graph.group_of(edge.dst) is block else None
        self.undo_stack.beginMacro(f"Insert {spec.display_name}")
        try:
            self.undo_stack.push(DisconnectCommand(self.graph, edge))
            self._push_moves(moves)
            add = AddNodeCommand(self.graph, type_id, self._new_params(type_id, params), pos)
            self.undo_stack.push(add)
            nid = add.node_id
            self._join_block(inside, nid)  # spliced into a block's connection: one of its layers
            self.undo_stack.push(ConnectCommand(self.graph, edge.src, edge.src_port, nid, spec.inputs[0].name))
            self.undo_stack.push(ConnectCommand(self.graph, nid, spec.outputs[0].name, edge.dst, edge.dst_port))
        finally:
            self.undo_stack.endMacro()
        return nid

    def insert_before(self, node_id: str, type_id: str, params: dict | None = None, port: str | None = None) -> str:
        """A new layer in front of input ``port`` (the first one by default) of ``node_id``, wired in."""
        spec, target = self.graph.catalog[type_id], self.graph.spec(node_id)
        if not spec.outputs or not target.inputs:
            raise ValueError(f"{spec.display_name} cannot go before {target.display_name}")
        port = port or target.inputs[0].name
        edges = self.graph.in_edges(node_id, port)
        at = self.shown_pos(node_id)
        if edges and spec.inputs:
            return self.splice(type_id, edges[0], at, params)
        self.undo_stack.beginMacro(f"Insert {spec.display_name}")
        try:
            pos = self.free_position((at[0] - X_STEP, at[1]), type_id)
            add = AddNodeCommand(self.graph, type_id, self._new_params(type_id, params), pos)
            self.undo_stack.push(add)
            if self.graph.connection_problem(add.node_id, spec.outputs[0].name, node_id, port) is None:
                self.undo_stack.push(ConnectCommand(self.graph, add.node_id, spec.outputs[0].name, node_id, port))
        finally:
            self.undo_stack.endMacro()
        return add.node_id

    def insert_after(self, node_id: str, type_id: str, params: dict | None = None) -> str:
        """A new layer behind ``node_id``: fed from its first output; its consumers move behind the new
        layer when the new layer's output suits them (else it becomes a branch). One undo step."""
        graph, spec = self.graph, self.graph.catalog[type_id]
        source = graph.spec(node_id)
        node = graph.node(node_id)
        out = source.outputs[0].name if source.outputs else None
        consumers = graph.out_edges(node_id, out) if out else []
        movable = set()
        for e in consumers:
            movable |= graph.descendants(e.dst) | {e.dst}
        at = self.shown_pos(node_id)
        pos, moves = make_room(graph, (at[0] + X_STEP, at[1]), card_size(spec), movable, self.hidden_layers())
        params = self._new_params(type_id, params)
        rewire = [e for e in consumers if spec.outputs and self._fits(node_id, out, type_id, params, e)]
        block = graph.group_of(node_id)
        inside = block if block is not None and any(graph.group_of(e.dst) is block for e in rewire) else None
        self.undo_stack.beginMacro(f"Insert {spec.display_name} after {node.name}")
        try:
            self._push_moves(moves)
            add = AddNodeCommand(graph, type_id, params, pos)
            self.undo_stack.push(add)
            nid = add.node_id
            self._join_block(inside, nid)  # between two layers of a block: one of its layers
            if out and spec.inputs and graph.connection_problem(node_id, out, nid, spec.inputs[0].name) is None:
                for e in rewire:
                    self.undo_stack.push(DisconnectCommand(graph, e))
                self.undo_stack.push(ConnectCommand(graph, node_id, out, nid, spec.inputs[0].name))
                for e in rewire:
                    if graph.connection_problem(nid, spec.outputs[0].name, e.dst, e.dst_port) is None:
                        self.undo_stack.push(ConnectCommand(graph, nid, spec.outputs[0].name, e.dst, e.dst_port))
        finally:
            self.undo_stack.endMacro()
        return nid

    def _fits(self, node_id: str, out: str, type_id: str, params: dict | None, edge: Edge) -> bool:
        """Whether ``edge``'s consumer accepts what the new layer makes of ``node_id``'s output.

        A consumer that fails already, or whose input is unknown, is moved behind the new layer."""
        a = self.analysis()
        t = a.output(node_id, out)
        consumer = self.graph.spec(edge.dst)
        before = a.inputs.get(edge.dst)
        if t is None or before is None:
            return True
        spec = self.graph.catalog[type_id]
        p = params if params is not None else spec.defaults()
        try:
            made = spec.infer(p, {spec.inputs[0].name: t}).get(spec.outputs[0].name)
        except (ShapeError, KeyError, TypeError, ValueError):
            return True  # the new layer itself fails here: the user wanted it in the chain anyway
        inputs = dict(before)
        port = consumer.input_port(edge.dst_port)
        if port is not None and port.variadic:
            index = [e.key for e in self.graph.in_edges(edge.dst, edge.dst_port)].index(edge.key)
            values = list(inputs[edge.dst_port])
            values[index] = made
            inputs[edge.dst_port] = values
        else:
            inputs[edge.dst_port] = made
        try:
            consumer.infer(self.graph.node(edge.dst).params, inputs)
        except (ShapeError, KeyError, TypeError, ValueError):
            return False
        return True

    # ------------------------------------------------------------------ replace / disconnect
    def replace_node(self, node_id: str, type_id: str) -> str:
        """Swap a layer for another type, keeping its name, place, connections (by port name, else by
        position) and the parameters both types share with a value valid for the new one."""
        graph, spec = self.graph, self.graph.catalog[type_id]
        old, old_spec = graph.node(node_id), graph.spec(node_id)
        params = spec.defaults()
        for p in spec.params:
            if p.name in old.params:
                value, problem = p.coerce(old.params[p.name]), None
                problem = p.check(value)
                if problem is None:
                    params[p.name] = value
        ins = graph.in_edges(node_id)
        outs = graph.out_edges(node_id)
        block = graph.group_of(node_id)
        block = block.copy() if block is not None else None

        def mapped(name: str, old_ports, new_ports) -> str | None:
            names = [p.name for p in new_ports]
            if name in names:
                return name
            index = [p.name for p in old_ports].index(name)
            return names[index] if index < len(names) else None

        self.undo_stack.beginMacro(f"Replace {old.name} with {spec.display_name}")
        try:
            self.undo_stack.push(RemoveNodeCommand(graph, node_id))
            add = AddNodeCommand(graph, type_id, params, old.pos, old.name)
            self.undo_stack.push(add)
            nid = add.node_id
            if block is not None:  # the new layer takes the old one's place in its block
                self._replace_in_block(block, node_id, nid, old_spec, spec, mapped)
            for e in ins:
                port = mapped(e.dst_port, old_spec.inputs, spec.inputs)
                if port and graph.connection_problem(e.src, e.src_port, nid, port) is None:
                    self.undo_stack.push(ConnectCommand(graph, e.src, e.src_port, nid, port))
            for e in outs:
                port = mapped(e.src_port, old_spec.outputs, spec.outputs)
                if port and graph.connection_problem(nid, port, e.dst, e.dst_port) is None:
                    self.undo_stack.push(ConnectCommand(graph, nid, port, e.dst, e.dst_port))
        finally:
            self.undo_stack.endMacro()
        self.set_selection([nid])
        return nid

    def _replace_in_block(self, block, old_id: str, new_id: str, old_spec, spec, mapped) -> None:
        """The replacing layer takes the replaced one's place in its block, and in the block's ports."""
        members = [new_id if m == old_id else m for m in block.members]

        def port(ref, is_output: bool):
            if ref[0] != old_id:
                return ref
            olds, news = (old_spec.outputs, spec.outputs) if is_output else (old_spec.inputs, spec.inputs)
            name = mapped(ref[1], olds, news)
            return (new_id, name) if name else None

        inputs = [[p for p in (port(r, False) for r in ports) if p] for ports in block.inputs]
        outputs = [p for p in (port(r, True) for r in block.outputs) if p]
        self._regroup(block, members, [ports for ports in inputs if ports], outputs)

    def disconnect_all(self, node_id: str) -> None:
        edges = self.graph.in_edges(node_id) + self.graph.out_edges(node_id)
        if not edges:
            return
        self.undo_stack.beginMacro(f"Disconnect {self.graph.node(node_id).name}")
        try:
            for e in edges:
                self.undo_stack.push(DisconnectCommand(self.graph, e))
        finally:
            self.undo_stack.endMacro()

    # ------------------------------------------------------------------ one-click fixes
    def apply_fix(self, fix: fixes.Fix) -> str | None:
        """Apply a diagnostic's Fix as ONE undo step; returns why it cannot be applied, or None."""
        problem = fixes.problem(self.graph, fix)
        if problem:
            return problem
        self.undo_stack.beginMacro(fix_title(self.graph, fix))
        try:
            if fix.kind == fixes.INSERT_BEFORE:
                self.insert_before(fix.node_id, fix.get("type"), fix.get("params"), fix.get("port"))
            elif fix.kind == fixes.INSERT_AFTER:
                self.insert_after(fix.node_id, fix.get("type"), fix.get("params"))
            elif fix.kind == fixes.SET_PARAMS:
                spec = self.graph.spec(fix.node_id)
                for name, value in fix.get("values").items():
                    value = spec.param(name).coerce(value)
                    if self.graph.node(fix.node_id).params[name] != value:
                        self.undo_stack.push(SetParamCommand(self.graph, fix.node_id, name, value))
            elif fix.kind == fixes.CONNECT:
                self.undo_stack.push(
                    ConnectCommand(self.graph, fix.get("src"), fix.get("src_port"), fix.node_id, fix.get("port"))
                )
        finally:
            self.undo_stack.endMacro()
        return None


def fix_title(graph, fix: fixes.Fix) -> str:
    """A short description of what ``fix`` does (undo history, menus)."""
    name = graph.node(fix.node_id).name if fix.node_id in graph else "?"
    if fix.kind in (fixes.INSERT_BEFORE, fixes.INSERT_AFTER):
        layer = graph.catalog[fix.get("type")].display_name if fix.get("type") in graph.catalog else fix.get("type")
        text = tr("Insert {layer} before {name}") if fix.kind == fixes.INSERT_BEFORE else tr("Add {layer} after {name}")
        return text.format(layer=layer, name=name)
    if fix.kind == fixes.SET_PARAMS:
        values = ", ".join(f"{k} = {v}" for k, v in fix.get("values").items())
        return tr("Set {values} on {name}").format(values=values, name=name)
    src = graph.node(fix.get("src")).name if fix.get("src") in graph else "?"
    return tr("Connect {src} to {name}").format(src=src, name=name)


__all__ = ["PlacedEdits", "fix_title"]
