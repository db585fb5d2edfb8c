"""Property test: random valid graphs (up to ~15 nodes) generate, pass ruff's parser, run and verify."""

from __future__ import annotations

import ast

import pytest
from catalog_cases import CATALOG, cases
from codegen_helpers import no_data_project
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from codegen import generate
from graph.analysis import analyze
from graph.model import GraphError

pytestmark = pytest.mark.frameworks

# Every catalog case (tests/codegen/catalog_cases.py): a step that does not fit where it lands is dropped.
OPS = [(t, p) for t, _, p in cases()]


def _build(choices):
    project = no_data_project()
    g = project.graph
    nodes = [g.add_node("input.image", {"channels": 2, "height": 6, "width": 6})]
    for op_index, a, b in choices:
        type_id, params = OPS[op_index]
        node = g.add_node(type_id, dict(params))
        sources = [nodes[a % len(nodes)]]
        if any(port.variadic for port in CATALOG[type_id].inputs):
            sources.append(nodes[b % len(nodes)])
        try:
            for src in dict.fromkeys(s.id for s in sources):
                g.connect(src, "out", node.id, "in")
        except GraphError:
            g.remove_node(node.id)
            continue
        result = analyze(g)
        if node.id not in result.shapes:
            g.remove_node(node.id)
            continue
        nodes.append(node)
    head = g.add_node("output.regression")
    g.connect(nodes[-1].id, "out", head.id, "in")
    return project


@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.tuples(st.integers(0, len(OPS) - 1), st.integers(0, 30), st.integers(0, 30)), max_size=14))
def test_random_graph_generates_and_verifies(choices):
    from codegen.verify import verify

    project = _build(choices)
    for fw in ("pytorch", "tensorflow"):
        code = generate(project, fw)
        assert not code.problems, code.problems
        ast.parse(code.source)
    report = verify(project)
    assert report.ok, report.text()
