"""Layered left-to-right auto-layout (longest-path layering, barycentre ordering)."""

from __future__ import annotations

from graph.model import Graph

X_STEP = 240.0
Y_STEP = 150.0


def layered_positions(graph: Graph) -> dict[str, tuple[float, float]]:
    """Positions for every node: column = longest path from a source, rows ordered by parents."""
    order = graph.topological_order()
    column: dict[str, int] = {}
    for nid in order:
        parents = [e.src for e in graph.in_edges(nid)]
        column[nid] = 1 + max((column[p] for p in parents), default=-1)
    columns: dict[int, list[str]] = {}
    for nid in order:
        columns.setdefault(column[nid], []).append(nid)
    row: dict[str, float] = {}
    for col in sorted(columns):
        members = columns[col]
        members.sort(key=lambda n: _barycentre(graph, n, row))
        offset = (len(members) - 1) / 2.0
        for i, nid in enumerate(members):
            row[nid] = i - offset
    return {nid: (column[nid] * X_STEP, row[nid] * Y_STEP) for nid in order}


def _barycentre(graph: Graph, nid: str, row: dict[str, float]) -> float:
    parents = [row[e.src] for e in graph.in_edges(nid) if e.src in row]
    return sum(parents) / len(parents) if parents else 0.0
