"""Copy/paste fragments: a selection serialised as a (valid) project document.

The clipboard holds project JSON, so pasting between windows, or into a text editor and back,
uses the same strict loader as opening a file.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from graph.fileformat import ProjectFileError, loads, to_document
from graph.model import Graph
from graph.project import Project

MIME_TYPE = "application/x-layerlab-project+json"


def copy_nodes(graph: Graph, node_ids: list[str]) -> str:
    """The selected nodes and the edges among them, as project JSON text."""
    chosen = set(node_ids)
    fragment = Graph(graph.catalog)
    for node in graph.nodes():
        if node.id in chosen:
            fragment.add_node(node.type, node.params, node.name, node.pos, node_id=node.id)
    for e in graph.edges():
        if e.src in chosen and e.dst in chosen:
            fragment.connect(e.src, e.src_port, e.dst, e.dst_port)
    for group in graph.groups():  # a block copied whole stays a block
        if set(group.members) <= chosen:
            fragment.restore_group(group)
    return json.dumps(to_document(Project(fragment)), ensure_ascii=False)


@dataclass
class PastePlan:
    """Nodes to add (type, params, name, pos) and edges between them, by index into ``nodes``."""

    nodes: list[tuple[str, dict, str, tuple[float, float]]]
    edges: list[tuple[int, str, int, str]]
    # blocks: (name, title, member indices, inputs [[(index, port)]], outputs [(index, port)], collapsed)
    groups: list[tuple] = field(default_factory=list)


def plan_paste(text: str, target: Graph, offset: tuple[float, float] = (40.0, 40.0)) -> PastePlan:
    """Parse clipboard text into a plan with fresh names; raises ProjectFileError for bad text."""
    project = loads(text, source="clipboard", catalog=target.catalog)
    src = project.graph
    index = {nid: i for i, nid in enumerate(src.node_ids())}
    taken = {n.name for n in target.nodes()}
    taken_blocks = {g.name for g in target.groups()} | taken
    block_names = {}
    for gr in src.groups():  # a pasted block gets a fresh name, and its layers are named after it
        name = _fresh_name(gr.name, taken_blocks)
        taken_blocks.add(name)
        block_names[gr.id] = name
    nodes = []
    for node in src.nodes():
        gr = src.group_of(node.id)
        wanted = node.name
        if gr is not None:
            wanted = f"{block_names[gr.id]}_{local_name(node.name, gr.name)}"
        name = _fresh_name(wanted, taken)
        taken.add(name)
        pos = (node.pos[0] + offset[0], node.pos[1] + offset[1])
        nodes.append((node.type, dict(node.params), name, pos))
    edges = [(index[e.src], e.src_port, index[e.dst], e.dst_port) for e in src.edges()]
    groups = []
    for gr in src.groups():
        inputs = [[(index[n], p) for n, p in ports] for ports in gr.inputs]
        outputs = [(index[n], p) for n, p in gr.outputs]
        groups.append((block_names[gr.id], gr.title, [index[n] for n in gr.members], inputs, outputs, gr.collapsed))
    return PastePlan(nodes, edges, groups)


def apply_paste(graph: Graph, plan: PastePlan) -> tuple[list[str], list]:
    """Add a paste plan's layers, connections and blocks to ``graph`` directly (no undo: scripts,
    tests and builders; the editor pushes one command per operation instead). Returns (ids, groups)."""
    ids = [graph.add_node(t, p, n, pos).id for t, p, n, pos in plan.nodes]
    for si, sp, di, dp in plan.edges:
        graph.connect(ids[si], sp, ids[di], dp)
    groups = []
    for name, title, members, inputs, outputs, collapsed in plan.groups:
        ins = [[(ids[i], p) for i, p in ports] for ports in inputs]
        outs = [(ids[i], p) for i, p in outputs]
        groups.append(graph.add_group(name, title, [ids[i] for i in members], ins, outs, collapsed))
    return ids, groups


def local_name(node_name: str, block_name: str) -> str:
    """A member's name inside its block: ``res1_conv1`` in block ``res1`` is ``conv1``."""
    prefix = f"{block_name}_"
    return node_name[len(prefix) :] if node_name.startswith(prefix) and len(node_name) > len(prefix) else node_name


def _fresh_name(name: str, taken: set[str]) -> str:
    if name not in taken:
        return name
    base = name.rstrip("0123456789").rstrip("_") or name
    i = 1
    while f"{base}_{i}" in taken:
        i += 1
    return f"{base}_{i}"


__all__ = ["MIME_TYPE", "PastePlan", "ProjectFileError", "apply_paste", "copy_nodes", "local_name", "plan_paste"]
