"""Model diff (graph/diff.py): matching by id then name, parameters, renames, connections, setup."""

from __future__ import annotations

import copy

from graph.diff import diff_projects, match_nodes
from graph.examples import small_cnn
from graph.fileformat import dumps, loads
from graph.model import Graph
from graph.project import Project


def clone(project: Project) -> Project:
    return loads(dumps(project))


def by_name(project: Project, name: str) -> str:
    return project.graph.find_by_name(name).id


def test_a_project_equals_its_copy_and_positions_do_not_count():
    a = small_cnn()
    b = clone(a)
    for node in b.graph.nodes():
        b.graph.move(node.id, (node.pos[0] + 50, node.pos[1] - 10))
    b.meta["title"] = "another title"
    diff = diff_projects(a, b)
    assert diff.equal and diff.text("a.json", "b.json") == "no differences between a.json and b.json"


def test_changed_parameters_renames_and_setup():
    a = small_cnn()
    b = clone(a)
    conv = by_name(b, "conv1")
    b.graph.set_param(conv, "filters", 8)
    b.graph.rename(by_name(b, "bn1"), "norm1")
    b.set_setup("batch_size", 64)
    b.set_setup("momentum", 0.5)  # the setup's optimiser ignores momentum: no difference
    diff = diff_projects(a, b)
    assert not diff.equal
    assert [(c.name, [(ch.name, ch.old, ch.new) for ch in c.changes]) for c in diff.changed] == [
        ("conv1", [("filters", 16, 8)])
    ]
    assert [(r.old, r.new) for r in diff.renamed] == [("bn1", "norm1")]
    assert [(c.name, c.old, c.new) for c in diff.setup] == [("batch_size", 32, 64)]
    assert not diff.added and not diff.removed and not diff.connections_added and not diff.connections_removed
    text = diff.text("a", "b")
    assert "conv1: filters: 16 → 8" in text and "bn1 → norm1" in text and "batch_size: 32 → 64" in text


def test_added_and_removed_layers_with_their_connections():
    a = small_cnn()
    b = clone(a)
    dropout = by_name(b, "dropout")
    flatten, scores = by_name(b, "flatten"), by_name(b, "scores")
    b.graph.remove_node(dropout)
    relu = b.graph.add_node("relu", name="extra").id
    b.graph.connect(flatten, "out", relu, "in")
    b.graph.connect(relu, "out", scores, "in")
    diff = diff_projects(a, b)
    assert [(r.name, r.type) for r in diff.removed] == [("dropout", "dropout")]
    assert [(r.id, r.name) for r in diff.added] == [(relu, "extra")]
    assert sorted(c.text() for c in diff.connections_removed) == ["dropout.out → scores.in", "flatten.out → dropout.in"]
    assert sorted(c.text() for c in diff.connections_added) == ["extra.out → scores.in", "flatten.out → extra.in"]
    assert diff.counts()["connections"] == 4


def test_matching_by_name_when_ids_differ():
    a = Graph()
    a.add_node("input.vector", {"features": 4}, name="x", node_id="a1")
    a.add_node("dense", {"units": 8}, name="hidden", node_id="a2")
    a.connect("a1", "out", "a2", "in")
    b = Graph()
    b.add_node("input.vector", {"features": 4}, name="x", node_id="b7")
    b.add_node("dense", {"units": 16}, name="hidden", node_id="b9")
    b.connect("b7", "out", "b9", "in")
    assert match_nodes(a, b) == {"a1": "b7", "a2": "b9"}
    diff = diff_projects(Project(graph=a), Project(graph=b))
    assert [(c.old_id, c.id, c.text()) for c in diff.changed] == [("a2", "b9", "units: 8 → 16")]
    assert not diff.connections_added and not diff.connections_removed and not diff.renamed


def test_same_id_but_another_layer_is_not_a_match():
    """Two unrelated files both number their layers n1, n2…: same id, other type and name."""
    a, b = Graph(), Graph()
    a.add_node("input.vector", name="x", node_id="n1")
    a.add_node("relu", name="act", node_id="n2")
    a.connect("n1", "out", "n2", "in")
    b.add_node("input.vector", name="x", node_id="n1")
    b.add_node("dense", name="fc", node_id="n2")
    b.connect("n1", "out", "n2", "in")
    diff = diff_projects(Project(graph=a), Project(graph=b))
    assert [r.name for r in diff.removed] == ["act"] and [r.name for r in diff.added] == ["fc"]
    assert [c.text() for c in diff.connections_removed] == ["x.out → act.in"]
    assert [c.text() for c in diff.connections_added] == ["x.out → fc.in"]


def test_same_id_with_another_type_is_a_type_change():
    a, b = Graph(), Graph()
    a.add_node("relu", name="act", node_id="n1")
    b.add_node("tanh", name="act", node_id="n1")
    diff = diff_projects(Project(graph=a), Project(graph=b))
    assert [ch.text() for ch in diff.changed[0].changes] == ["type: relu → tanh"]


def test_diff_does_not_modify_the_projects():
    a = small_cnn()
    b = clone(a)
    b.graph.set_param(by_name(b, "scores"), "units", 12)
    before = (copy.deepcopy(dumps(a)), copy.deepcopy(dumps(b)))
    diff_projects(a, b)
    assert (dumps(a), dumps(b)) == before
