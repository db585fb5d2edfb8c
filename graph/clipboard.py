"""Copy/paste fragments: a selection serialised as a (valid) project document.

The clipboard holds project JSON, so pasting between windows, or into a text editor and back,
uses the same strict loader as opening a file.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

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
    return json.dumps(to_document(Project(fragment)), ensure_ascii=False)


@dataclass
class PastePlan:
    """Nodes to add (type, params, name, pos) and edges between them, by index into ``nodes``."""

    nodes: list[tuple[str, dict, str, tuple[float, float]]]
    edges: list[tuple[int, str, int, str]]


def plan_paste(text: str, target: Graph, offset: tuple[float, float] = (40.0, 40.0)) -> PastePlan:
    """Parse clipboard text into a plan with fresh names; raises ProjectFileError for bad text."""
    project = loads(text, source="clipboard", catalog=target.catalog)
    src = project.graph
    index = {nid: i for i, nid in enumerate(src.node_ids())}
    taken = {n.name for n in target.nodes()}
    nodes = []
    for node in src.nodes():
        name = _fresh_name(node.name, taken)
        taken.add(name)
        pos = (node.pos[0] + offset[0], node.pos[1] + offset[1])
        nodes.append((node.type, dict(node.params), name, pos))
    edges = [(index[e.src], e.src_port, index[e.dst], e.dst_port) for e in src.edges()]
    return PastePlan(nodes, edges)


def _fresh_name(name: str, taken: set[str]) -> str:
    if name not in taken:
        return name
    base = name.rstrip("0123456789").rstrip("_") or name
    i = 1
    while f"{base}_{i}" in taken:
        i += 1
    return f"{base}_{i}"


__all__ = ["MIME_TYPE", "PastePlan", "ProjectFileError", "copy_nodes", "plan_paste"]
