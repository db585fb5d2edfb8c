"""Generated graphs of a given size for benchmarks (residual MLP chains with merges)."""

from __future__ import annotations

import random

from graph.layout import layered_positions
from graph.model import Graph
from graph.project import Project


def residual_chain(n_nodes: int, seed: int = 0) -> Project:
    """An Input, then blocks of Dense → ReLU with skip Adds, ending in a Classification head."""
    rng = random.Random(seed)
    g = Graph()
    prev = g.add_node("input.vector", {"features": 16}).id
    while len(g) < n_nodes - 2:
        dense = g.add_node("dense", {"units": 16}).id
        act = g.add_node(rng.choice(["relu", "tanh", "gelu"])).id
        add = g.add_node("add").id
        g.connect(prev, "out", dense, "in")
        g.connect(dense, "out", act, "in")
        g.connect(act, "out", add, "in")
        g.connect(prev, "out", add, "in")
        prev = add
    scores = g.add_node("dense", {"units": 4}).id
    head = g.add_node("output.classification").id
    g.connect(prev, "out", scores, "in")
    g.connect(scores, "out", head, "in")
    for nid, pos in layered_positions(g).items():
        g.move(nid, pos)
    return Project(g)
