"""The open project: graph + undo stack + selection + (coalesced) analysis.

Every user edit goes through one method here that pushes one undo command (or one macro).
Views listen to the graph's events and to this object's signals; they never edit the graph directly.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoStack

from app.block_edits import BlockEdits
from app.block_shelf import BlockShelf
from app.commands import (
    AddNodeCommand,
    ConnectCommand,
    DisconnectCommand,
    MoveCommand,
    RemoveNodeCommand,
    RenameCommand,
    SetParamCommand,
    SetSetupCommand,
)
from app.edits import PlacedEdits
from graph.analysis import Analysis, analyze
from graph.clipboard import copy_nodes, plan_paste
from graph.fileformat import load, save
from graph.layout import layered_positions
from graph.messages import message
from graph.model import Edge, GraphError
from graph.placement import card_size, group_offset
from graph.project import Project


class Document(PlacedEdits, BlockEdits, QObject):
    """One project being edited."""

    analysis_changed = Signal()  # a fresh Analysis is available (coalesced after edits)
    selection_changed = Signal()
    project_replaced = Signal()  # new/open: views must rebind to ``self.graph``
    path_changed = Signal()
    setup_changed = Signal(str)  # training-setup field name
    focus_requested = Signal(str)  # a view asks the canvas to select and centre this node

    def __init__(self, project: Project | None = None, path: str | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self.undo_stack = QUndoStack(self)
        self._selection: list[str] = []
        self._analysis: Analysis | None = None
        self._last: Analysis | None = None  # the previous analysis, reused for incremental updates
        self._dirty: set[str] | None = None  # nodes touched since ``_last`` (None: redo everything)
        self._dataset = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._refresh_analysis)
        self.project: Project = project or Project()
        self.path: str | None = path
        self._bind()
        self.blocks = BlockShelf(self)  # the blocks the palette offers

    # ------------------------------------------------------------------ state
    @property
    def graph(self):
        return self.project.graph

    @property
    def modified(self) -> bool:
        return not self.undo_stack.isClean()

    @property
    def base_dir(self) -> str | None:
        return str(Path(self.path).parent) if self.path else None

    def analysis(self) -> Analysis:
        """The analysis of the current graph (recomputed now if an edit made it stale).

        After small edits only the touched nodes and their descendants are inferred again."""
        if self._analysis is None:
            info, problem = self.dataset_info()
            incremental = self._last is not None and self._dirty is not None
            self._analysis = analyze(
                self.graph,
                info,
                self._last if incremental else None,
                self._dirty if incremental else None,
                dataset_problem=problem,
            )
            self._last, self._dirty = self._analysis, set()
        return self._analysis

    def dataset_info(self):
        """(descriptor, None) or (None, problem) for the training data, read once per setup change."""
        if self._dataset is None:
            self._dataset = self.project.dataset_info(self.base_dir)
        return self._dataset

    def selection(self) -> list[str]:
        return [n for n in self._selection if n in self.graph]

    def set_selection(self, node_ids: list[str]) -> None:
        ids = [n for n in dict.fromkeys(node_ids) if n in self.graph]
        if ids != self._selection:
            self._selection = ids
            self.selection_changed.emit()

    # ------------------------------------------------------------------ files
    def replace_project(self, project: Project, path: str | None) -> None:
        """Swap in another project (new/open/restore): clears undo history and selection."""
        self.project, self.path = project, path
        self.undo_stack.clear()
        self._selection = []
        self._bind()
        self.project_replaced.emit()
        self.path_changed.emit()
        self._refresh_analysis()

    def open(self, path: str) -> None:
        """Load ``path``; raises ProjectFileError (and leaves the current project untouched)."""
        project = load(path)
        self.replace_project(project, os.path.abspath(path))  # runs and relative data paths stay put

    def save(self, path: str | None = None) -> None:
        target = path or self.path
        if not target:
            raise ValueError("no file name")
        save(self.project, target)
        self.undo_stack.setClean()
        target = os.path.abspath(target)
        if target != self.path:
            self.path = target
            self._analysis, self._dirty, self._dataset = None, None, None  # relative data paths moved
            self.path_changed.emit()
            self._timer.start()

    # ------------------------------------------------------------------ edits
    def add_node(self, type_id: str, pos=(0.0, 0.0), params: dict | None = None) -> str:
        """Add a layer as one undo step; a new Input takes its shape from the training data when it can."""
        if params is None:
            params = self._input_params_from_data(type_id)
        cmd = AddNodeCommand(self.graph, type_id, params, pos)
        self.undo_stack.push(cmd)
        return cmd.node_id

    def _input_params_from_data(self, type_id: str) -> dict | None:
        info, _ = self.dataset_info()
        shape = info.sample_shape if info is not None else None
        if not shape or not self.graph.catalog[type_id].is_input:
            return None
        names = self.graph.catalog[type_id].extra.get("shape_params")  # in the sample's dim order
        if not names or len(names) != len(shape) or info.dtype == "int64":
            return None
        return dict(zip(names, shape, strict=True))

    def remove_nodes(self, node_ids: list[str]) -> None:
        ids = [n for n in node_ids if n in self.graph]
        if not ids:
            return
        self._macro(
            f"Delete {len(ids)} layers" if len(ids) > 1 else None, [RemoveNodeCommand(self.graph, n) for n in ids]
        )

    def delete(self, node_ids: list[str], edges: list[Edge] = ()) -> None:
        """Delete layers (with their connections) and other connections, as one undo step."""
        nodes = [n for n in dict.fromkeys(node_ids) if n in self.graph]
        loose = [e for e in edges if e.src not in nodes and e.dst not in nodes]
        commands = [DisconnectCommand(self.graph, e) for e in loose]
        commands += [RemoveNodeCommand(self.graph, n) for n in nodes]
        if commands:
            count = len(nodes) + len(loose)
            self._macro(None if count == 1 else f"Delete {count} items", commands)

    def connect(self, src: str, src_port: str, dst: str, dst_port: str) -> str | None:
        """Connect two ports; returns why it was refused, or None on success."""
        problem = self.graph.connection_problem(src, src_port, dst, dst_port)
        if problem is None:
            self.undo_stack.push(ConnectCommand(self.graph, src, src_port, dst, dst_port))
        return problem

    def disconnect(self, edge: Edge) -> None:
        self.undo_stack.push(DisconnectCommand(self.graph, edge))

    def set_param(self, node_id: str, name: str, value: Any, text: str | None = None) -> str | None:
        """Set a parameter; returns the validation message (and changes nothing) when invalid.

        With ``text`` the change is an undo step of that name that never merges with typed edits."""
        value, problem = self.graph.spec(node_id).validate_param(name, value)
        if problem:
            return problem
        if self.graph.node(node_id).params[name] != value:
            command = SetParamCommand(self.graph, node_id, name, value)
            if text is None:
                self.undo_stack.push(command)  # merges with the previous edit of this field
            else:
                self._macro(text, [command])  # a step of its own (e.g. "same" padding)
        return None

    def set_setup(self, name: str, value: Any) -> str | None:
        from graph.project import SETUP_BY_NAME

        param = SETUP_BY_NAME.get(name)
        if param is None:
            return message("setup.unknown", name=repr(name))
        value, problem = param.validate(value)
        if problem:
            return problem
        if self.project.setup[name] != value:
            self.undo_stack.push(SetSetupCommand(self.project, name, value))
        return None

    def move_nodes(self, moves: dict[str, tuple[tuple[float, float], tuple[float, float]]]) -> None:
        """Record a finished drag: {id: (old_pos, new_pos)} (positions already applied are fine)."""
        moves = {k: v for k, v in moves.items() if v[0] != v[1] and k in self.graph}
        if moves:
            self.undo_stack.push(MoveCommand(self.graph, moves))

    def rename(self, node_id: str, name: str) -> str | None:
        """Rename through one undo step; a refused name returns the reason and changes nothing."""
        problem = self.graph.name_problem(name, node_id)
        if problem:
            return problem
        if name != self.graph.node(node_id).name:
            self.undo_stack.push(RenameCommand(self.graph, node_id, name))
        return None

    def auto_layout(self) -> None:
        positions = layered_positions(self.graph)
        moves = {nid: (self.graph.node(nid).pos, pos) for nid, pos in positions.items()}
        moves = {k: v for k, v in moves.items() if v[0] != v[1]}
        if moves:
            self.undo_stack.push(MoveCommand(self.graph, moves, "Auto-layout"))

    # ------------------------------------------------------------------ clipboard
    def copy(self, node_ids: list[str] | None = None) -> str:
        return copy_nodes(self.graph, node_ids if node_ids is not None else self.selection())

    def paste(self, text: str, offset=(40.0, 40.0), at=None) -> list[str]:
        """Paste project JSON; returns the new node ids (selected). Raises ProjectFileError on bad text.

        The layers land near ``offset`` from where they were copied (or with their top-left corner
        near the scene point ``at``), moved further where they would cover existing cards."""
        plan = plan_paste(text, self.graph, (0.0, 0.0))
        if not plan.nodes:
            return []
        rects = [(*pos, *card_size(self.graph.catalog[t])) for t, _p, _n, pos in plan.nodes]
        if at is not None:
            offset = (at[0] - min(r[0] for r in rects), at[1] - min(r[1] for r in rects))
        dx, dy = group_offset(self.graph, rects, offset)
        plan.nodes = [(t, p, n, (pos[0] + dx, pos[1] + dy)) for t, p, n, pos in plan.nodes]
        self.undo_stack.beginMacro(f"Paste {len(plan.nodes)} layers")
        try:
            ids, _groups = self._push_plan(plan)  # a block copied whole comes back as a block
        finally:
            self.undo_stack.endMacro()
        self.set_selection(ids)
        return ids

    def duplicate(self, node_ids: list[str] | None = None) -> list[str]:
        return self.paste(self.copy(node_ids))

    # ------------------------------------------------------------------ internals
    def _macro(self, text: str | None, commands) -> None:
        if len(commands) == 1 and text is None:
            self.undo_stack.push(commands[0])
            return
        self.undo_stack.beginMacro(text or commands[0].text())
        try:
            for cmd in commands:
                self.undo_stack.push(cmd)
        finally:
            self.undo_stack.endMacro()

    def _bind(self) -> None:
        self._analysis, self._last, self._dirty, self._dataset = None, None, None, None
        ev = self.graph.events
        ev.changed.connect(self._on_graph_changed)
        ev.node_added.connect(lambda node: self._touch(node.id))
        ev.param_changed.connect(lambda node, *_: self._touch(node.id))
        ev.edge_added.connect(lambda edge: self._touch(edge.dst))
        ev.edge_removed.connect(lambda edge: self._touch(edge.dst))
        self.project.setup_changed.connect(self._on_setup_changed)

    def _touch(self, node_id: str) -> None:
        if self._dirty is not None:
            self._dirty.add(node_id)

    def _on_graph_changed(self) -> None:
        self._analysis = None
        self._timer.start()

    def _on_setup_changed(self, name: str, old, new) -> None:
        self._analysis, self._dirty, self._dataset = None, None, None
        self._timer.start()
        self.setup_changed.emit(name)

    def _refresh_analysis(self) -> None:
        self.analysis()
        self.analysis_changed.emit()


__all__ = ["Document", "GraphError"]
