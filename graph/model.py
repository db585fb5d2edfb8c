"""The framework-neutral model graph, held in a networkx MultiDiGraph with port-aware edges.

The graph changes only through a small set of validated, reversible operations (add/remove node,
connect/disconnect, set parameter, move, rename); each emits one change event. Removing a node
returns a record that ``restore_node`` uses to put back the node, its edges and its position in
the node order exactly.
"""

from __future__ import annotations

import copy
import heapq
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from graph.catalog import Catalog, default_catalog
from graph.events import GraphEvents
from graph.messages import message
from graph.spec import LayerSpec


class GraphError(ValueError):
    """An operation was refused; the message says why in words a user understands."""


@dataclass
class Node:
    """One layer instance. ``params`` holds JSON-native values only."""

    id: str
    type: str
    name: str
    params: dict[str, Any]
    pos: tuple[float, float] = (0.0, 0.0)


@dataclass(frozen=True, order=True)
class Edge:
    """A connection from an output port to an input port. ``seq`` orders edges (and variadic inputs)."""

    seq: int
    src: str
    src_port: str
    dst: str
    dst_port: str

    @property
    def key(self) -> tuple[str, str, str, str]:
        return (self.src, self.src_port, self.dst, self.dst_port)


Port = tuple[str, str]  # (node id, port name)


@dataclass
class Group:
    """A block: named member layers shown (and exported) as one unit with its own ports.

    The graph stays flat: a group only names a set of nodes. ``inputs[i]`` lists the member input
    ports that block input ``i`` feeds (a residual block's input feeds its first layer and its Add);
    ``outputs[j]`` is the member output port that block output ``j`` is. ``title`` is the kind of block
    ("Residual block"); ``name`` is this instance's name. ``collapsed``: drawn as one card.
    """

    id: str
    name: str
    title: str
    members: list[str]
    inputs: list[list[Port]] = field(default_factory=list)
    outputs: list[Port] = field(default_factory=list)
    collapsed: bool = False

    def copy(self) -> Group:
        return copy.deepcopy(self)


@dataclass
class RemovedNode:
    """Everything needed to undo a node removal exactly."""

    node: Node
    index: int
    edges: list[Edge] = field(default_factory=list)
    group: Group | None = None  # the node's block as it was before the removal


MAX_NAME = 80
# Unicode categories a layer name may not contain: controls (C0, DEL, C1), format characters (bidi
# overrides, zero-width characters, the BOM: "Trojan Source"), line/paragraph separators, surrogates,
# private-use and unassigned code points.
_REFUSED_CATEGORIES = {"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"}


def name_problem(name) -> str | None:
    """Why ``name`` cannot be a layer name, or None. The one check every path uses (editor, file, graph)."""
    if not isinstance(name, str):
        return message("name.text")
    if not name.strip():
        return message("name.empty")
    if len(name) > MAX_NAME:
        return message("name.long", max=MAX_NAME, n=len(name))
    for ch in name:
        if unicodedata.category(ch) in _REFUSED_CATEGORIES:
            what = unicodedata.name(ch, "") if unicodedata.category(ch) != "Cs" else "a lone surrogate"
            label = f"U+{ord(ch):04X}" + (f" {what}" if what else "")
            return message("name.invisible", char=label)
    return None


class Graph:
    """A directed acyclic graph of layers whose every change goes through one method."""

    def __init__(self, catalog: Catalog | None = None):
        self.catalog = catalog or default_catalog()
        self._g = nx.MultiDiGraph()
        self._order: list[str] = []
        self._names: dict[str, str] = {}  # name -> node id
        self._suffixes: dict[str, int] = {}  # base name -> first suffix unique_name may try
        self._topo: list[str] | None = None  # cached topological order
        self._version = 0  # counts structure changes (nodes and edges added or removed)
        self._type_counts: dict[str, int] = {}  # layer type -> how many nodes of it
        self._node_list: list[Node] | None = None  # ``nodes()``, until a node is added or removed
        self._next_id = 1
        self._next_seq = 1
        self._groups: dict[str, Group] = {}  # in creation order
        self._group_of: dict[str, str] = {}  # member node id -> group id
        self._group_rank: dict[str, int] = {}  # group id -> its place in groups(), kept when it is removed
        self.events = GraphEvents()

    # ----------------------------------------------------------------- reading
    def __len__(self) -> int:
        return len(self._order)

    def __contains__(self, node_id: str) -> bool:
        return node_id in self._g

    def node(self, node_id: str) -> Node:
        try:
            return self._g._node[node_id]["node"]
        except KeyError:
            raise GraphError(f"no node with id {node_id!r}") from None

    def nodes(self) -> list[Node]:
        """All nodes in insertion order (a new list: the caller may change it)."""
        if self._node_list is None:
            attrs = self._g._node
            self._node_list = [attrs[n]["node"] for n in self._order]
        return list(self._node_list)

    def node_ids(self) -> list[str]:
        return list(self._order)

    def spec(self, node_id: str) -> LayerSpec:
        return self.catalog[self.node(node_id).type]

    def edges(self) -> list[Edge]:
        """All edges in creation order."""
        # the raw adjacency, not ``self._g.edges``: that view is cached on the networkx graph and refers
        # back to it, and such a cycle would keep a dropped graph alive until the cyclic collector ran
        return sorted(d["edge"] for nbrs in self._g._succ.values() for keyed in nbrs.values() for d in keyed.values())

    def in_edges(self, node_id: str, port: str | None = None) -> list[Edge]:
        """Edges into ``node_id`` (optionally one port), in creation order."""
        es = [d["edge"] for keyed in self._g._pred[node_id].values() for d in keyed.values()]
        es.sort()
        return es if port is None else [e for e in es if e.dst_port == port]

    def out_edges(self, node_id: str, port: str | None = None) -> list[Edge]:
        es = [d["edge"] for keyed in self._g._succ[node_id].values() for d in keyed.values()]
        es.sort()
        return es if port is None else [e for e in es if e.src_port == port]

    def in_ports(self, node_id: str) -> dict[str, list[Edge]]:
        """Edges into ``node_id`` by input port, each port's edges in creation order (one pass)."""
        by_port: dict[str, list[Edge]] = {}
        for keyed in self._g._pred[node_id].values():
            for d in keyed.values():
                edge = d["edge"]
                edges = by_port.get(edge.dst_port)
                if edges is None:
                    by_port[edge.dst_port] = [edge]
                else:
                    edges.append(edge)
        for edges in by_port.values():
            if len(edges) > 1:  # a variadic port (seq numbers are unique: the order of ``in_edges``)
                edges.sort(key=_seq)
        return by_port

    def has_successors(self, node_id: str) -> bool:
        return bool(self._g._succ[node_id])

    def sinks(self) -> list[str]:
        """Node ids without outgoing edges, in insertion order."""
        succ = self._g._succ
        return [nid for nid in self._order if not succ[nid]]

    def types(self) -> list[str]:
        """The layer types present, each once."""
        return [t for t, n in self._type_counts.items() if n]

    def has_type(self, type_id: str) -> bool:
        """Whether any node is of layer type ``type_id``."""
        return self._type_counts.get(type_id, 0) > 0

    @property
    def structure_version(self) -> int:
        """A number that changes whenever a node or an edge is added or removed (not on parameter edits,
        moves or renames): what depends on the structure alone can be kept while it stays the same."""
        return self._version

    def find_by_name(self, name: str) -> Node | None:
        nid = self._names.get(name)
        return None if nid is None else self.node(nid)

    def topological_order(self) -> list[str]:
        """Node ids in a deterministic topological order (ties broken by insertion order).

        Cached until the structure changes (parameter edits and moves keep it)."""
        if self._topo is None:
            self._topo = self._kahn()
        return list(self._topo)

    def _kahn(self) -> list[str]:
        """Kahn's algorithm over the raw adjacency dicts; a heap of insertion ranks breaks ties (ranks in
        lists, not a tuple per node)."""
        order, pred, succ = self._order, self._g._pred, self._g._succ
        rank = {nid: i for i, nid in enumerate(order)}
        waiting = [len(pred[nid]) for nid in order]
        ready = [i for i, w in enumerate(waiting) if not w]  # ascending: already a heap
        out: list[str] = []
        while ready:
            nid = order[heapq.heappop(ready)]
            out.append(nid)
            for nxt in succ[nid]:
                j = rank[nxt]
                waiting[j] -= 1
                if not waiting[j]:
                    heapq.heappush(ready, j)
        if len(out) != len(order):
            raise GraphError("the graph has a cycle")
        return out

    def successors(self, node_id: str) -> list[str]:
        return list(dict.fromkeys(self._g.successors(node_id)))

    def successor_ids(self, node_id: str):
        """The successors' ids (each once) as a live view of the adjacency: read it at once."""
        return self._g._succ[node_id].keys()

    def descendants(self, node_id: str) -> set[str]:
        return nx.descendants(self._g, node_id)

    def ancestors(self, node_id: str) -> set[str]:
        return nx.ancestors(self._g, node_id)

    def find_cycle(self) -> list[str] | None:
        """Node ids on one cycle, or None when the graph is acyclic.

        Kahn's algorithm, not networkx's DAG test: it caches the order analysis needs next, and
        networkx caches an in-degree view that refers back to the graph (a reference cycle)."""
        try:
            self.topological_order()
        except GraphError:
            return [u for u, *_ in nx.find_cycle(self._g)]
        return None

    @property
    def nx(self) -> nx.MultiDiGraph:
        """The underlying networkx graph (read it, never mutate it)."""
        return self._g

    # ----------------------------------------------------------------- naming
    def unique_name(self, base: str) -> str:
        """``base`` if free, else ``base_1``, ``base_2``, … (the search resumes where it last stopped)."""
        if base not in self._names:
            return base
        i = self._suffixes.get(base, 1)
        while f"{base}_{i}" in self._names:
            i += 1
        self._suffixes[base] = i
        return f"{base}_{i}"

    def new_id(self) -> str:
        while f"n{self._next_id}" in self._g:
            self._next_id += 1
        nid = f"n{self._next_id}"
        self._next_id += 1
        return nid

    # ----------------------------------------------------------------- operations
    def add_node(
        self,
        type_id: str,
        params: dict[str, Any] | None = None,
        name: str | None = None,
        pos: tuple[float, float] = (0.0, 0.0),
        node_id: str | None = None,
        index: int | None = None,
    ) -> Node:
        """Add a layer of ``type_id`` (unknown ids and invalid params are refused)."""
        spec = self.catalog.get(type_id) if type_id in self.catalog else None
        if spec is None:
            raise GraphError(f"unknown layer type {type_id!r}")
        values = spec.defaults()
        for key, value in (params or {}).items():
            values[key] = self._checked_value(spec, key, value)
        if node_id is None:
            node_id = self.new_id()
        elif node_id in self._g:
            raise GraphError(f"a node with id {node_id!r} already exists")
        name = self._checked_name(name or self.unique_name(_default_name(spec)), node_id)
        node = Node(node_id, spec.type_id, name, values, (float(pos[0]), float(pos[1])))
        self._insert(node, len(self._order) if index is None else index)
        self.events.node_added.emit(node)
        self.events.changed.emit()
        return node

    def remove_node(self, node_id: str) -> RemovedNode:
        """Remove a node and its edges; the returned record restores both exactly."""
        node = self.node(node_id)
        edges = sorted(set(self.in_edges(node_id) + self.out_edges(node_id)))
        for edge in edges:
            self.disconnect(edge)
        index = self._order.index(node_id)
        self._order.pop(index)
        self._g.remove_node(node_id)
        self._type_counts[node.type] -= 1
        self._node_list = None
        self._topo = None
        self._version += 1
        del self._names[node.name]
        group = self._leave_group(node_id)
        self.events.node_removed.emit(node)
        self.events.changed.emit()
        return RemovedNode(node, index, edges, group)

    def restore_node(self, record: RemovedNode) -> Node:
        """Undo ``remove_node``: the node at its old index, then its old edges with their old order."""
        if record.node.id in self._g:
            raise GraphError(f"a node with id {record.node.id!r} already exists")
        node = copy.deepcopy(record.node)
        self._insert(node, record.index)
        self.events.node_added.emit(node)
        self.events.changed.emit()
        if record.group is not None:  # back into its block, which comes back if it had gone
            old = record.group.copy()
            if old.id in self._groups:
                self._replace_group(old)
            else:
                self._store_group(old)
                self.events.group_added.emit(old)
            self.events.changed.emit()
        for edge in record.edges:
            self.connect(edge.src, edge.src_port, edge.dst, edge.dst_port, seq=edge.seq)
        return node

    def connect(
        self, src: str, src_port: str, dst: str, dst_port: str, seq: int | None = None, check_cycle: bool = True
    ) -> Edge:
        """Connect an output port to an input port; refused with a reason if it is not allowed.

        ``check_cycle=False`` is for bulk loading only: the loader checks acyclicity once at the end.
        """
        problem = self.connection_problem(src, src_port, dst, dst_port, check_cycle)
        if problem:
            raise GraphError(problem)
        if seq is None:
            seq = self._next_seq
        self._next_seq = max(self._next_seq, seq + 1)
        edge = Edge(seq, src, src_port, dst, dst_port)
        self._g.add_edge(src, dst, key=(src_port, dst_port), edge=edge)
        self._topo = None
        self._version += 1
        self.events.edge_added.emit(edge)
        self.events.changed.emit()
        return edge

    def connection_problem(
        self, src: str, src_port: str, dst: str, dst_port: str, check_cycle: bool = True
    ) -> str | None:
        """Why connecting these ports is refused, or None when it is allowed."""
        if src not in self._g or dst not in self._g:
            return message("connect.ends")
        if src == dst:
            return message("connect.self")
        s_spec, d_spec = self.spec(src), self.spec(dst)
        if not d_spec.inputs:
            return message("connect.into-input", layer=self.node(dst).name)
        if not s_spec.outputs:
            return message("connect.after-head", layer=self.node(src).name)
        if s_spec.output_port(src_port) is None:
            return message("connect.no-output", layer=self.node(src).name, port=repr(src_port))
        port = d_spec.input_port(dst_port)
        if port is None:
            return message("connect.no-input", layer=self.node(dst).name, port=repr(dst_port))
        if self._g.has_edge(src, dst, key=(src_port, dst_port)):
            return message("connect.already")
        if not port.variadic and self.in_edges(dst, dst_port):
            return message("connect.taken", port=repr(dst_port), layer=self.node(dst).name)
        if check_cycle and nx.has_path(self._g, dst, src):
            return message("connect.cycle", src=self.node(src).name, dst=self.node(dst).name)
        if self._groups and check_cycle:
            split = self._splits_group(src, dst)
            if split is not None:
                return message("connect.block-split", block=split.name)
        return None

    def _splits_group(self, src: str, dst: str) -> Group | None:
        """The block a new edge src → dst would leave and re-enter (a block must stay one call)."""
        gs, gd = self._group_of.get(src), self._group_of.get(dst)
        if gs is not None and gs == gd:
            return None
        before = nx.ancestors(self._g, src) | {src}
        after = nx.descendants(self._g, dst) | {dst}
        for group in self._groups.values():
            members = set(group.members)
            if members & before and members & after:
                return group
        return None

    def disconnect(self, edge: Edge) -> Edge:
        """Remove one edge (looked up by its ports); returns the removed edge with its seq."""
        key = (edge.src_port, edge.dst_port)
        if edge.src not in self._g or not self._g.has_edge(edge.src, edge.dst, key=key):
            raise GraphError("there is no such connection")
        stored = self._g._succ[edge.src][edge.dst][key]["edge"]
        self._g.remove_edge(edge.src, edge.dst, key=key)
        self._topo = None
        self._version += 1
        self.events.edge_removed.emit(stored)
        self.events.changed.emit()
        return stored

    def set_param(self, node_id: str, name: str, value: Any) -> Any:
        """Set one parameter (validated against the spec); returns the old value."""
        node = self.node(node_id)
        value = self._checked_value(self.spec(node_id), name, value)
        old = node.params[name]
        node.params[name] = value
        self.events.param_changed.emit(node, name, old, value)
        self.events.changed.emit()
        return old

    def move(self, node_id: str, pos: tuple[float, float]) -> tuple[float, float]:
        """Move a node; returns the old position."""
        node = self.node(node_id)
        old = node.pos
        node.pos = (float(pos[0]), float(pos[1]))
        self.events.node_moved.emit(node, old, node.pos)
        self.events.changed.emit()
        return old

    def rename(self, node_id: str, name: str) -> str:
        """Rename a node (names are unique within a graph); returns the old name."""
        node = self.node(node_id)
        name = self._checked_name(name, node_id)
        old = node.name
        del self._names[old]
        node.name = name
        self._names[name] = node_id
        self.events.node_renamed.emit(node, old, name)
        self.events.changed.emit()
        return old

    # ----------------------------------------------------------------- blocks (groups)
    def groups(self) -> list[Group]:
        """Every block, in creation order (the stored objects: read them, change them through the methods).

        A block removed and restored (undo, or its layers changed) keeps its place."""
        return sorted(self._groups.values(), key=lambda g: self._group_rank[g.id])

    def group(self, group_id: str) -> Group:
        try:
            return self._groups[group_id]
        except KeyError:
            raise GraphError(f"no block with id {group_id!r}") from None

    def group_of(self, node_id: str) -> Group | None:
        gid = self._group_of.get(node_id)
        return None if gid is None else self._groups[gid]

    def new_group_id(self) -> str:
        i = len(self._groups) + 1
        while f"g{i}" in self._groups:
            i += 1
        return f"g{i}"

    def unique_group_name(self, base: str) -> str:
        taken = {g.name for g in self._groups.values()} | set(self._names)
        if base not in taken:
            return base
        i = 1
        while f"{base}{i}" in taken:
            i += 1
        return f"{base}{i}"

    def group_problem(self, members: list[str], group_id: str | None = None) -> str | None:
        """Why these layers cannot form one block, or None. A block holds at least one layer, no Input
        and no output head, no layer of another block, and no path may leave it and come back."""
        if not members:
            return message("block.empty")
        for nid in members:
            if nid not in self._g:
                return message("block.missing", id=repr(nid))
            spec = self.spec(nid)
            if spec.is_input or spec.is_head:
                return message("block.io", layer=self.node(nid).name)
            other = self._group_of.get(nid)
            if other is not None and other != group_id:
                return message("block.nested", layer=self.node(nid).name, block=self._groups[other].name)
        inside = set(members)
        leaving = {e.dst for nid in inside for e in self.out_edges(nid) if e.dst not in inside}
        if leaving:
            reach = set().union(*(nx.descendants(self._g, n) | {n} for n in leaving))
            back = reach & inside
            if back:
                name = self.node(sorted(back, key=self._order.index)[0]).name
                return message("block.split", layer=name)
        return None

    def boundary(self, members: list[str]) -> tuple[list[list[Port]], list[Port]]:
        """The ports a block of these layers has, from the connections: one input per outside source
        (with every member port it feeds), plus each empty member input; one output per member port
        that feeds an outside layer, plus the main output of each member that feeds nothing."""
        inside = set(members)
        order = [n for n in self._order if n in inside]
        sources: dict[Port, list[Port]] = {}
        empty: list[list[Port]] = []
        for nid in order:
            for port in self.spec(nid).inputs:
                es = self.in_edges(nid, port.name)
                if not es:
                    empty.append([(nid, port.name)])
                for e in es:
                    if e.src not in inside:
                        sources.setdefault((e.src, e.src_port), []).append((nid, port.name))
        first_seq = {}
        for nid in order:
            for e in self.in_edges(nid):
                if e.src not in inside:
                    first_seq.setdefault((e.src, e.src_port), e.seq)
        inputs = [sources[k] for k in sorted(sources, key=first_seq.__getitem__)] + empty
        outputs: list[Port] = []
        for nid in order:
            spec = self.spec(nid)
            out = self.out_edges(nid)
            for port in spec.outputs:
                if any(e.src_port == port.name and e.dst not in inside for e in out):
                    outputs.append((nid, port.name))
            if not out and spec.outputs:
                outputs.append((nid, spec.outputs[0].name))
        return inputs, outputs

    def add_group(
        self,
        name: str,
        title: str,
        members: list[str],
        inputs: list[list[Port]] | None = None,
        outputs: list[Port] | None = None,
        collapsed: bool = False,
        group_id: str | None = None,
    ) -> Group:
        """Make these layers one block; without ``inputs``/``outputs`` its ports come from ``boundary``."""
        if group_id is None:
            group_id = self.new_group_id()
        elif group_id in self._groups:
            raise GraphError(f"a block with id {group_id!r} already exists")
        problem = self.group_problem(list(members)) or self.group_name_problem(name, group_id)
        if problem:
            raise GraphError(problem)
        chosen = set(members)
        members = [n for n in self._order if n in chosen]  # graph order
        if inputs is None or outputs is None:
            found_in, found_out = self.boundary(members)
            inputs = found_in if inputs is None else inputs
            outputs = found_out if outputs is None else outputs
        group = Group(group_id, name, str(title or name), list(members), [], [], bool(collapsed))
        group.inputs = [[tuple(p) for p in ports] for ports in inputs]
        group.outputs = [tuple(p) for p in outputs]
        problem = self._ports_problem(group)
        if problem:
            raise GraphError(problem)
        self._store_group(group)
        self.events.group_added.emit(group)
        self.events.changed.emit()
        return group

    def remove_group(self, group_id: str) -> Group:
        """Ungroup: the layers stay, the block goes; returns it for ``restore_group``."""
        group = self.group(group_id)
        del self._groups[group_id]
        for nid in group.members:
            self._group_of.pop(nid, None)
        self.events.group_removed.emit(group)
        self.events.changed.emit()
        return group.copy()

    def restore_group(self, group: Group) -> Group:
        """Undo ``remove_group`` (or re-add a block exactly as it was)."""
        return self.add_group(
            group.name, group.title, group.members, group.inputs, group.outputs, group.collapsed, group.id
        )

    def set_group(self, group_id: str, name: str | None = None, collapsed: bool | None = None) -> Group:
        """Rename a block or collapse/expand it; returns the block as it was."""
        group = self.group(group_id)
        old = group.copy()
        if name is not None and name != group.name:
            problem = self.group_name_problem(name, group_id)
            if problem:
                raise GraphError(problem)
            group.name = name
        if collapsed is not None:
            group.collapsed = bool(collapsed)
        self.events.group_changed.emit(group, old)
        self.events.changed.emit()
        return old

    def group_name_problem(self, name, group_id: str | None = None) -> str | None:
        problem = name_problem(name)
        if problem:
            return problem
        if any(g.name == name and g.id != group_id for g in self._groups.values()):
            return message("block.name-taken", name=repr(name))
        return None

    def _ports_problem(self, group: Group) -> str | None:
        members = set(group.members)
        for ports in group.inputs:
            for nid, port in ports:
                if nid not in members or self.spec(nid).input_port(port) is None:
                    return message("block.bad-port", port=f"{nid}.{port}")
        for nid, port in group.outputs:
            if nid not in members or self.spec(nid).output_port(port) is None:
                return message("block.bad-port", port=f"{nid}.{port}")
        return None

    def _store_group(self, group: Group) -> None:
        self._group_rank.setdefault(group.id, len(self._group_rank))
        self._groups[group.id] = group
        for nid in group.members:
            self._group_of[nid] = group.id

    def _replace_group(self, group: Group) -> None:
        current = self._groups[group.id]
        for nid in current.members:
            self._group_of.pop(nid, None)
        old = current.copy()
        current.name, current.title, current.collapsed = group.name, group.title, group.collapsed
        current.members, current.inputs, current.outputs = group.members, group.inputs, group.outputs
        for nid in current.members:
            self._group_of[nid] = current.id
        self.events.group_changed.emit(current, old)

    def _leave_group(self, node_id: str) -> Group | None:
        """Take a removed node out of its block (a block left empty goes); returns the block as it was."""
        gid = self._group_of.pop(node_id, None)
        if gid is None:
            return None
        group = self._groups[gid]
        old = group.copy()
        group.members = [n for n in group.members if n != node_id]
        if not group.members:
            del self._groups[gid]
            self.events.group_removed.emit(old)
            return old
        group.inputs = [kept for ports in group.inputs if (kept := [p for p in ports if p[0] != node_id])]
        group.outputs = [p for p in group.outputs if p[0] != node_id]
        self.events.group_changed.emit(group, old)
        return old

    # ----------------------------------------------------------------- helpers
    def _insert(self, node: Node, index: int) -> None:
        self._g.add_node(node.id, node=node)
        self._type_counts[node.type] = self._type_counts.get(node.type, 0) + 1
        self._node_list = None
        self._topo = None
        self._version += 1
        self._names[node.name] = node.id
        self._order.insert(max(0, min(index, len(self._order))), node.id)
        m = re.fullmatch(r"n(\d+)", node.id)
        if m:
            self._next_id = max(self._next_id, int(m.group(1)) + 1)

    def _checked_value(self, spec: LayerSpec, name: str, value: Any) -> Any:
        value, problem = spec.validate_param(name, value)
        if problem:
            raise GraphError(problem)
        return copy.deepcopy(value)

    def name_problem(self, name, node_id: str | None = None) -> str | None:
        """Why ``name`` cannot be the name of ``node_id`` (or of a new layer) here: ``name_problem``
        plus uniqueness. The one check renames and additions use, in the graph and the Document."""
        problem = name_problem(name)
        if problem:
            return problem
        clash = self.find_by_name(name)
        if clash is not None and clash.id != node_id:
            return message("name.taken", name=repr(name))
        return None

    def _checked_name(self, name: str, node_id: str) -> str:
        problem = self.name_problem(name, node_id)
        if problem:
            raise GraphError(problem)
        return name


def _seq(edge: Edge) -> int:
    return edge.seq


def _default_name(spec: LayerSpec) -> str:
    return spec.extra.get("base_name") or re.sub(r"\W+", "_", spec.display_name.lower()).strip("_")
