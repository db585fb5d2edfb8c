"""Undo commands: each a thin QUndoCommand over one graph operation.

Commands never touch canvas items and never push other commands; views redraw from graph events.
Multi-part edits (delete a selection, paste, splice a layer into an edge, insert a block) are macros of these.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QUndoCommand

from graph.model import Edge, Graph, Group, RemovedNode
from graph.project import Project

# Merge ids for QUndoCommand.mergeWith (consecutive edits of one field become one step).
MERGE_PARAM = 1001
MERGE_SETUP = 1002


class AddNodeCommand(QUndoCommand):
    """Add one layer; redo after undo restores the very same node (id, name, order)."""

    def __init__(self, graph: Graph, type_id: str, params: dict | None, pos, name: str | None = None, node_id=None):
        super().__init__(f"Add {graph.catalog[type_id].display_name}")
        self.graph, self.type_id, self.params, self.pos, self.name = graph, type_id, params, pos, name
        self.node_id: str | None = node_id
        self._record: RemovedNode | None = None

    def redo(self) -> None:
        if self._record is None:
            node = self.graph.add_node(self.type_id, self.params, self.name, self.pos, node_id=self.node_id)
            self.node_id = node.id
        else:
            self.graph.restore_node(self._record)

    def undo(self) -> None:
        self._record = self.graph.remove_node(self.node_id)


class RemoveNodeCommand(QUndoCommand):
    """Remove one layer with its connections; undo puts both back exactly."""

    def __init__(self, graph: Graph, node_id: str):
        super().__init__(f"Delete {graph.node(node_id).name}")
        self.graph, self.node_id = graph, node_id
        self._record: RemovedNode | None = None

    def redo(self) -> None:
        self._record = self.graph.remove_node(self.node_id)

    def undo(self) -> None:
        self.graph.restore_node(self._record)


class ConnectCommand(QUndoCommand):
    """Connect two ports (the caller checks ``graph.connection_problem`` first)."""

    def __init__(self, graph: Graph, src: str, src_port: str, dst: str, dst_port: str):
        super().__init__(f"Connect {graph.node(src).name} → {graph.node(dst).name}")
        self.graph, self.ends = graph, (src, src_port, dst, dst_port)
        self._seq: int | None = None

    def redo(self) -> None:
        self._seq = self.graph.connect(*self.ends, seq=self._seq).seq

    def undo(self) -> None:
        self.graph.disconnect(Edge(self._seq or 0, *self.ends))


class DisconnectCommand(QUndoCommand):
    def __init__(self, graph: Graph, edge: Edge):
        super().__init__(f"Disconnect {graph.node(edge.src).name} → {graph.node(edge.dst).name}")
        self.graph, self.edge = graph, edge

    def redo(self) -> None:
        self.edge = self.graph.disconnect(self.edge)

    def undo(self) -> None:
        e = self.edge
        self.graph.connect(e.src, e.src_port, e.dst, e.dst_port, seq=e.seq)


class SetParamCommand(QUndoCommand):
    """Set one parameter; consecutive edits of the same field merge into one undo step."""

    def __init__(self, graph: Graph, node_id: str, name: str, value: Any):
        node = graph.node(node_id)
        super().__init__(f"Set {node.name}.{name}")
        self.graph, self.node_id, self.name = graph, node_id, name
        self.old, self.new = node.params[name], value

    def id(self) -> int:
        return MERGE_PARAM

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, SetParamCommand) or (other.node_id, other.name) != (self.node_id, self.name):
            return False
        self.new = other.new
        return True

    def redo(self) -> None:
        self.graph.set_param(self.node_id, self.name, self.new)

    def undo(self) -> None:
        self.graph.set_param(self.node_id, self.name, self.old)


class SetSetupCommand(QUndoCommand):
    """Change one training-setup field; consecutive edits of the same field merge."""

    def __init__(self, project: Project, name: str, value: Any):
        super().__init__(f"Set training {name.replace('_', ' ')}")
        self.project, self.name = project, name
        self.old, self.new = project.setup[name], value

    def id(self) -> int:
        return MERGE_SETUP

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, SetSetupCommand) or other.name != self.name:
            return False
        self.new = other.new
        return True

    def redo(self) -> None:
        self.project.set_setup(self.name, self.new)

    def undo(self) -> None:
        self.project.set_setup(self.name, self.old)


class MoveCommand(QUndoCommand):
    """Move nodes: one command per drag (committed on release) or per auto-layout."""

    def __init__(self, graph: Graph, moves: dict[str, tuple[tuple[float, float], tuple[float, float]]], text=""):
        super().__init__(text or ("Move " + (graph.node(next(iter(moves))).name if len(moves) == 1 else "layers")))
        self.graph, self.moves = graph, moves

    def redo(self) -> None:
        for nid, (_, new) in self.moves.items():
            self.graph.move(nid, new)

    def undo(self) -> None:
        for nid, (old, _) in self.moves.items():
            self.graph.move(nid, old)


class RenameCommand(QUndoCommand):
    def __init__(self, graph: Graph, node_id: str, name: str):
        super().__init__(f"Rename {graph.node(node_id).name} to {name}")
        self.graph, self.node_id, self.old, self.new = graph, node_id, graph.node(node_id).name, name

    def redo(self) -> None:
        self.graph.rename(self.node_id, self.new)

    def undo(self) -> None:
        self.graph.rename(self.node_id, self.old)


class AddGroupCommand(QUndoCommand):
    """Make layers one block; redo after undo restores the very same block (id, name, ports)."""

    def __init__(
        self,
        graph: Graph,
        name: str,
        title: str,
        members,
        inputs=None,
        outputs=None,
        collapsed=False,
        text="",
        group_id: str | None = None,
    ):
        super().__init__(text or f"Group into {name}")
        self.graph = graph
        self.args = (name, title, list(members), inputs, outputs, collapsed, group_id)
        self.group_id: str | None = group_id
        self._group: Group | None = None

    def redo(self) -> None:
        if self._group is None:
            self.group_id = self.graph.add_group(*self.args).id
        else:
            self.graph.restore_group(self._group)

    def undo(self) -> None:
        self._group = self.graph.remove_group(self.group_id)


class RemoveGroupCommand(QUndoCommand):
    """Ungroup: the block goes, its layers stay; undo brings the same block back."""

    def __init__(self, graph: Graph, group_id: str, text: str = ""):
        super().__init__(text or f"Ungroup {graph.group(group_id).name}")
        self.graph, self.group_id = graph, group_id
        self._group: Group | None = None

    def redo(self) -> None:
        self._group = self.graph.remove_group(self.group_id)

    def undo(self) -> None:
        self.graph.restore_group(self._group)


class SetGroupCommand(QUndoCommand):
    """Rename a block, or collapse/expand it."""

    def __init__(self, graph: Graph, group_id: str, name: str | None = None, collapsed: bool | None = None, text=""):
        group = graph.group(group_id)
        if not text and name is not None:
            text = f"Rename {group.name} to {name}"
        elif not text:
            text = f"{'Collapse' if collapsed else 'Expand'} {group.name}"
        super().__init__(text)
        self.graph, self.group_id, self.name, self.collapsed = graph, group_id, name, collapsed
        self._old: Group | None = None

    def redo(self) -> None:
        self._old = self.graph.set_group(self.group_id, self.name, self.collapsed)

    def undo(self) -> None:
        old = self._old
        self.graph.set_group(self.group_id, old.name if self.name is not None else None, old.collapsed)
