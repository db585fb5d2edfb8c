"""Small project builders for the code-generation tests."""

from __future__ import annotations

from pathlib import Path

from graph.fileformat import load
from graph.project import Project

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "resources" / "examples"
EXAMPLE_NAMES = sorted(p.stem for p in EXAMPLES.glob("*.json"))

INPUTS = {
    "vector": ("input.vector", {"features": 6}),
    "image": ("input.image", {"channels": 3, "height": 9, "width": 8}),
    "signal": ("input.signal", {"channels": 3, "length": 10}),
    "sequence": ("input.sequence", {"steps": 5, "features": 4}),
    "tokens": ("input.tokens", {"steps": 7, "vocab_size": 11}),
    "volume": ("input.volume", {"channels": 2, "depth": 4, "height": 6, "width": 5}),
}


def example(name: str) -> Project:
    return load(EXAMPLES / f"{name}.json")


def no_data_project() -> Project:
    """A project whose dataset is not described, so any head/shape is accepted (for layer tests)."""
    project = Project()
    project.setup["dataset"] = "npz"
    project.setup["dataset_path"] = ""
    return project


def chain(kinds: list[tuple[str, dict]], head: str = "output.regression", project: Project | None = None) -> Project:
    """Input → layers… → head, each (type, params)."""
    project = project or no_data_project()
    g = project.graph
    prev = None
    for type_id, params in kinds:
        node = g.add_node(type_id, params)
        if prev is not None:
            g.connect(prev.id, "out", node.id, "in")
        prev = node
    h = g.add_node(head)
    g.connect(prev.id, "out", h.id, "in")
    return project


def single_layer(input_kind: str, type_id: str, params: dict) -> Project:
    """One layer alone between an Input of the given kind and a regression head."""
    return chain([INPUTS[input_kind], (type_id, params)])


def merge_project(type_id: str, params: dict, input_kind: str = "image") -> Project:
    """Input → (ReLU, Tanh) → merge → head: a variadic layer with two inputs."""
    project = no_data_project()
    g = project.graph
    src = g.add_node(*INPUTS[input_kind])
    a, b = g.add_node("relu"), g.add_node("tanh")
    g.connect(src.id, "out", a.id, "in")
    g.connect(src.id, "out", b.id, "in")
    m = g.add_node(type_id, params)
    g.connect(a.id, "out", m.id, "in")
    g.connect(b.id, "out", m.id, "in")
    h = g.add_node("output.regression")
    g.connect(m.id, "out", h.id, "in")
    return project


def tool(name: str) -> str:
    """A console script from this venv (ruff), else from PATH."""
    import shutil
    import sys

    local = Path(sys.executable).parent / name
    return str(local) if local.exists() else (shutil.which(name) or name)


def add_block(graph, key: str, after: str, features: int | None = None):
    """Insert a bundled block (graph/blocks.py) after node ``after``, wired to its input 0; returns the Group."""
    from graph.blocks import bundled_blocks, insert_block

    entry = next(b for b in bundled_blocks() if b.key == f"bundled:{key}")
    return insert_block(graph, entry, after, features)
