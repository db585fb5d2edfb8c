"""Where new cards go: free spots that do not cover other cards, and room made in a chain.

Plain geometry on ``Node.pos`` (a card's top-left corner). The card sizes match the canvas's
(``app.canvas.node_item``: 156 wide, 74 high plus 17 per extra port row); a test keeps them equal.
"""

from __future__ import annotations

from graph.layout import X_STEP
from graph.model import Graph

CARD_WIDTH = 156.0
CARD_HEIGHT = 74.0
PORT_STEP = 17.0
GAP = 24.0  # cards closer than this count as touching
STEP = 20.0  # the canvas grid: candidate spots lie on it

Rect = tuple[float, float, float, float]  # x, y, width, height


def card_size(spec) -> tuple[float, float]:
    rows = max(len(spec.inputs), len(spec.outputs), 1)
    return CARD_WIDTH, CARD_HEIGHT + (rows - 1) * PORT_STEP


def node_rect(graph: Graph, node_id: str) -> Rect:
    x, y = graph.node(node_id).pos
    return (x, y, *card_size(graph.spec(node_id)))


def overlaps(a: Rect, b: Rect, gap: float = GAP) -> bool:
    return (
        a[0] < b[0] + b[2] + gap and b[0] < a[0] + a[2] + gap and a[1] < b[1] + b[3] + gap and b[1] < a[1] + a[3] + gap
    )


def _snap(v: float) -> float:
    return round(v / STEP) * STEP


def free_spot(
    rects: list[Rect], pos: tuple[float, float], size: tuple[float, float], radius: float = 2000.0
) -> tuple[float, float]:
    """The grid spot nearest ``pos`` (top-left) where a card of ``size`` touches none of ``rects``."""
    x0, y0 = _snap(pos[0]), _snap(pos[1])
    near = [r for r in rects if overlaps(r, (x0 - radius, y0 - radius, 2 * radius + size[0], 2 * radius + size[1]))]
    if not any(overlaps((x0, y0, *size), r) for r in near):
        return (x0, y0)
    rings = int(radius / STEP)
    for ring in range(1, rings + 1):
        spots = []
        for i in range(-ring, ring + 1):
            spots += [(i, -ring), (i, ring)]
            if abs(i) != ring:
                spots += [(-ring, i), (ring, i)]
        spots.sort(key=lambda s: (s[0] * s[0] + s[1] * s[1], abs(s[1]), s))
        for dx, dy in spots:
            cand = (x0 + dx * STEP, y0 + dy * STEP, *size)
            if not any(overlaps(cand, r) for r in near):
                return cand[0], cand[1]
    right = max((r[0] + r[2] for r in rects), default=x0)
    return (_snap(right + X_STEP - CARD_WIDTH), y0)


def free_spot_in(graph: Graph, pos, size, exclude=()) -> tuple[float, float]:
    """``free_spot`` among the cards of ``graph`` (except ``exclude``)."""
    skip = set(exclude)
    return free_spot([node_rect(graph, n) for n in graph.node_ids() if n not in skip], pos, size)


def make_room(
    graph: Graph, pos: tuple[float, float], size: tuple[float, float], movable: set[str], exclude=()
) -> tuple[tuple[float, float], dict[str, tuple[float, float]]]:
    """Room for a new card at ``pos``: (its position, {node: new position} for the cards to shift).

    Cards in ``movable`` (the chain downstream of the insertion) that the new card would cover move
    right, together with the rest of ``movable`` to their right, so the chain keeps its shape; when
    another card is in the way, the new card goes to the nearest free spot instead."""
    skip = set(exclude)
    pos = (_snap(pos[0]), _snap(pos[1]))
    rect = (*pos, *size)
    others = [n for n in graph.node_ids() if n not in skip]
    hit = [n for n in others if overlaps(rect, node_rect(graph, n))]
    moves: dict[str, tuple[float, float]] = {}
    if hit and all(n in movable for n in hit):
        left = min(graph.node(n).pos[0] for n in hit)
        dx = _snap(pos[0] + size[0] + (X_STEP - CARD_WIDTH) - left)
        if dx > 0:
            for n in movable:
                x, y = graph.node(n).pos
                if x >= left - 1:
                    moves[n] = (x + dx, y)
    placed = {n: ((*moves[n], *card_size(graph.spec(n))) if n in moves else node_rect(graph, n)) for n in others}
    if any(overlaps(rect, r) for r in placed.values()):
        pos = free_spot(list(placed.values()), pos, size)
    return pos, moves


def group_offset(graph: Graph, rects: list[Rect], wanted: tuple[float, float] = (40.0, 40.0)) -> tuple[float, float]:
    """An offset near ``wanted`` that puts a group of cards (``rects``, before moving) on free ground."""
    if not rects:
        return wanted
    existing = [node_rect(graph, n) for n in graph.node_ids()]
    left = min(r[0] for r in rects)
    top = min(r[1] for r in rects)
    width = max(r[0] + r[2] for r in rects) - left
    height = max(r[1] + r[3] for r in rects) - top
    # first try the wanted offset itself, then the bounding box as one card, searched around it
    moved = [(r[0] + wanted[0], r[1] + wanted[1], r[2], r[3]) for r in rects]
    if not any(overlaps(m, e) for m in moved for e in existing):
        return wanted
    x, y = free_spot(existing, (left + wanted[0], top + wanted[1]), (width, height))
    return (x - left, y - top)


__all__ = [
    "CARD_HEIGHT",
    "CARD_WIDTH",
    "card_size",
    "free_spot",
    "free_spot_in",
    "group_offset",
    "make_room",
    "node_rect",
    "overlaps",
]
