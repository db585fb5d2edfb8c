"""Graph operations: validation, events, and exact reversal."""

from __future__ import annotations

import random

import pytest

from graph.fileformat import dumps
from graph.model import Edge, Graph, GraphError
from graph.project import Project


def chain(catalog):
    g = Graph(catalog)
    a = g.add_node("input.vector", {"features": 4})
    b = g.add_node("dense", {"units": 8})
    c = g.add_node("relu")
    g.connect(a.id, "out", b.id, "in")
    g.connect(b.id, "out", c.id, "in")
    return g, a, b, c


def snapshot(g: Graph) -> str:
    return dumps(Project(g))


def test_add_node_uses_defaults_and_unique_names(small_catalog):
    g = Graph(small_catalog)
    first, second = g.add_node("dense"), g.add_node("dense")
    assert first.params == {"units": 64, "use_bias": True, "activation": "linear"}
    assert (first.name, second.name) == ("dense", "dense_1")
    assert first.id != second.id


def test_unknown_type_and_bad_params_are_refused(small_catalog):
    g = Graph(small_catalog)
    with pytest.raises(GraphError, match="unknown layer type"):
        g.add_node("conv9d")
    with pytest.raises(GraphError, match="units must be ≥ 1"):
        g.add_node("dense", {"units": 0})
    with pytest.raises(GraphError, match="no parameter"):
        g.add_node("dense", {"unitz": 3})
    assert len(g) == 0


def test_connect_refuses_bad_arity_and_ports(small_catalog):
    g, a, b, c = chain(small_catalog)
    with pytest.raises(GraphError, match="already connected"):
        g.connect(a.id, "out", b.id, "in")
    d = g.add_node("dense")
    with pytest.raises(GraphError, match="disconnect it first"):
        g.connect(d.id, "out", b.id, "in")
    with pytest.raises(GraphError, match="no input named"):
        g.connect(a.id, "out", d.id, "nope")
    with pytest.raises(GraphError, match="itself"):
        g.connect(d.id, "out", d.id, "in")
    with pytest.raises(GraphError, match="input layer"):
        g.connect(d.id, "out", a.id, "in")
    assert len(g.edges()) == 2


def test_cycle_is_refused(small_catalog):
    g = Graph(small_catalog)
    x = g.add_node("input.vector")
    add1, add2 = g.add_node("add"), g.add_node("add")
    g.connect(x.id, "out", add1.id, "in")
    g.connect(add1.id, "out", add2.id, "in")
    with pytest.raises(GraphError, match="would create a cycle"):
        g.connect(add2.id, "out", add1.id, "in")
    assert g.find_cycle() is None


def test_variadic_port_keeps_edge_order(small_catalog):
    g = Graph(small_catalog)
    x = g.add_node("input.vector")
    d1, d2 = g.add_node("dense"), g.add_node("dense")
    cat = g.add_node("concatenate")
    for d in (d1, d2):
        g.connect(x.id, "out", d.id, "in")
    g.connect(d2.id, "out", cat.id, "in")
    g.connect(d1.id, "out", cat.id, "in")
    assert [e.src for e in g.in_edges(cat.id, "in")] == [d2.id, d1.id]


def test_every_operation_emits_one_event(small_catalog):
    g = Graph(small_catalog)
    log = []
    for ev in g.events.all():
        if ev.name != "changed":
            ev.connect(lambda *a, n=ev.name: log.append(n))
    a = g.add_node("input.vector")
    b = g.add_node("dense")
    e = g.connect(a.id, "out", b.id, "in")
    g.set_param(b.id, "units", 3)
    g.move(b.id, (10, 20))
    g.rename(b.id, "hidden")
    g.disconnect(e)
    g.remove_node(b.id)
    assert log == [
        "node_added",
        "node_added",
        "edge_added",
        "param_changed",
        "node_moved",
        "node_renamed",
        "edge_removed",
        "node_removed",
    ]


def test_remove_then_restore_is_exact(small_catalog):
    g, a, b, c = chain(small_catalog)
    g.add_node("dense", name="tail")
    before = snapshot(g)
    record = g.remove_node(b.id)
    assert b.id not in g and not g.edges()
    g.restore_node(record)
    assert snapshot(g) == before
    assert g.node_ids().index(b.id) == 1


def test_rename_refuses_duplicates_and_set_param_returns_old(small_catalog):
    g, a, b, c = chain(small_catalog)
    with pytest.raises(GraphError, match="already named"):
        g.rename(c.id, b.name)
    assert g.set_param(b.id, "units", 5) == 8
    with pytest.raises(GraphError):
        g.set_param(b.id, "units", "five")
    assert g.node(b.id).params["units"] == 5


def test_disconnect_missing_edge_is_refused(small_catalog):
    g, a, b, c = chain(small_catalog)
    with pytest.raises(GraphError):
        g.disconnect(Edge(0, a.id, "out", c.id, "in"))


def test_random_removals_restore_in_reverse_order(small_catalog):
    rng = random.Random(3)
    g = Graph(small_catalog)
    src = g.add_node("input.vector").id
    ids = [src]
    for _ in range(30):
        nid = g.add_node(rng.choice(["dense", "relu", "add"])).id
        parent = rng.choice(ids)
        if g.connection_problem(parent, "out", nid, "in") is None:
            g.connect(parent, "out", nid, "in")
        ids.append(nid)
    before = snapshot(g)
    records = [g.remove_node(n) for n in rng.sample(ids, 12)]
    for record in reversed(records):
        g.restore_node(record)
    assert snapshot(g) == before


def test_a_dropped_graph_is_freed_at_once_without_the_cycle_collector(small_catalog):
    """networkx caches views (in-degree, edges) that refer back to their graph: such a cycle kept every
    dropped project alive until a full collection, which made loading large files slower each time."""
    import gc
    import weakref

    from graph.analysis import analyze
    from graph.fileformat import loads

    g, a, b, c = chain(small_catalog)
    loaded = loads(dumps(Project(g)), catalog=small_catalog).graph
    for graph in (g, loaded):
        assert graph.find_cycle() is None and graph.edges() and graph.topological_order()
        graph.disconnect(graph.edges()[-1])
        analyze(graph)
    refs = [weakref.ref(g.nx), weakref.ref(loaded.nx)]
    gc.disable()
    try:
        del g, loaded, graph
        assert [r() for r in refs] == [None, None]
    finally:
        gc.enable()


def test_structure_version_and_type_index_follow_every_structural_change(small_catalog):
    g, a, b, c = chain(small_catalog)
    version = g.structure_version
    g.set_param(b.id, "units", 3)
    g.move(b.id, (5.0, 5.0))
    g.rename(b.id, "renamed")
    assert g.structure_version == version  # parameters, places and names are not structure
    edge = g.disconnect(g.in_edges(c.id)[0])
    assert g.structure_version > version and g.sinks() == [b.id, c.id]
    g.connect(edge.src, edge.src_port, edge.dst, edge.dst_port)
    assert g.sinks() == [c.id] and g.in_ports(c.id) == {"in": g.in_edges(c.id)}
    record = g.remove_node(b.id)
    assert not g.has_type("dense") and sorted(g.types()) == ["input.vector", "relu"]
    g.restore_node(record)
    assert g.has_type("dense") and g.successors(a.id) == [b.id]
