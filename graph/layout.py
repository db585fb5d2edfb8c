"""Layered left-to-right auto-layout.

Columns come from longest-path layering; an edge that spans several columns gets a placeholder
in each column it crosses, so rows are ordered (barycentre heuristic, a few sweeps) with room
left for it and it never runs behind a node. Long chains wrap into bands of at most
``max_columns`` columns, top to bottom, so a deep network stays readable at a normal zoom.
"""

from __future__ import annotations

from graph.model import Graph

X_STEP = 250.0
Y_STEP = 130.0
BAND_GAP = 90.0
MAX_COLUMNS = 8  # a graph up to this deep stays on one band


def layered_positions(graph: Graph, max_columns: int = MAX_COLUMNS) -> dict[str, tuple[float, float]]:
    """A position for every node (top-left of its card)."""
    order = graph.topological_order()
    column = _columns(graph, order)
    columns = _with_placeholders(graph, order, column)
    rows = _order_rows(graph, columns)
    return _place(columns, rows, column, max_columns)


def _columns(graph: Graph, order: list[str]) -> dict[str, int]:
    column: dict[str, int] = {}
    for nid in order:
        column[nid] = 1 + max((column[e.src] for e in graph.in_edges(nid)), default=-1)
    # Sources (Inputs) sit just before their first consumer rather than all in column 0.
    for nid in order:
        succ = [column[e.dst] for e in graph.out_edges(nid)]
        if not graph.in_edges(nid) and succ:
            column[nid] = min(succ) - 1
    return column


def _with_placeholders(graph: Graph, order: list[str], column: dict[str, int]) -> list[list[str]]:
    """Members of each column: node ids, plus ``"~src~dst~k"`` placeholders for long edges."""
    width = max(column.values(), default=-1) + 1
    columns: list[list[str]] = [[] for _ in range(width)]
    for nid in order:
        columns[column[nid]].append(nid)
    for e in graph.edges():
        for k in range(column[e.src] + 1, column[e.dst]):
            columns[k].append(f"~{e.src}~{e.dst}~{k}")
    return columns


def _parents(graph: Graph, member: str, column_of: dict[str, int]) -> list[str]:
    if member.startswith("~"):
        _, src, dst, k = member.split("~")
        k = int(k)
        return [src] if column_of[src] == k - 1 else [f"~{src}~{dst}~{k - 1}"]
    out = []
    for e in graph.in_edges(member):
        gap = column_of[member] - column_of[e.src]
        out.append(e.src if gap == 1 else f"~{e.src}~{member}~{column_of[member] - 1}")
    return out


def _order_rows(graph: Graph, columns: list[list[str]]) -> dict[str, float]:
    column_of = {m: i for i, members in enumerate(columns) for m in members if not m.startswith("~")}
    row: dict[str, float] = {}
    for members in columns:
        members.sort(key=lambda m: _mean([row[p] for p in _parents(graph, m, column_of) if p in row]))
        offset = (len(members) - 1) / 2.0
        for i, m in enumerate(members):
            row[m] = i - offset
    return row


def _mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def _place(columns, rows, column, max_columns) -> dict[str, tuple[float, float]]:
    per_band = len(columns) or 1
    if len(columns) > max_columns:  # balanced bands of at most max_columns - 1 columns
        n_bands = -(-len(columns) // (max_columns - 1))
        per_band = -(-len(columns) // n_bands)
    bands = [columns[i : i + per_band] for i in range(0, len(columns), per_band)]
    positions: dict[str, tuple[float, float]] = {}
    top = 0.0
    for band in bands:
        lo = min((rows[m] for col in band for m in col), default=0.0)
        hi = max((rows[m] for col in band for m in col), default=0.0)
        for c, members in enumerate(band):
            for m in members:
                if not m.startswith("~"):
                    positions[m] = (c * X_STEP, top + (rows[m] - lo) * Y_STEP)
        top += (hi - lo + 1) * Y_STEP + BAND_GAP
    return {nid: positions[nid] for nid in column}
