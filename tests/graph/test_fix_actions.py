"""One-click fixes as data: produced by the shape rules and the analysis, checked against the graph."""

from __future__ import annotations

from graph import fixes
from graph.analysis import analyze
from graph.placement import card_size, free_spot, group_offset, make_room, overlaps
from graph.project import Project


def _chain(g, *steps):
    ids = []
    for type_id, params in steps:
        ids.append(g.add_node(type_id, params).id)
    for a, b in zip(ids, ids[1:], strict=False):
        g.connect(a, "out", b, "in")
    return ids


def _digits():
    project = Project()
    info, _ = project.dataset_info(None)
    return project.graph, info


def _action(a, code, node_id=None):
    return next(d.action for d in a.diagnostics if d.code == code and (node_id is None or d.node_id == node_id))


def test_dense_on_a_feature_map_carries_insert_flatten():
    g, info = _digits()
    i, c, d = _chain(g, ("input.image", {"channels": 1, "height": 8, "width": 8}), ("conv2d", None), ("dense", None))
    fix = _action(analyze(g, info), "shape", d)
    assert fix == fixes.insert_before("flatten", node_id=d)
    assert fix.get("type") == "flatten" and fix.get("params") == {} and fixes.problem(g, fix) is None
    hash(fix)  # frozen all the way down: diagnostics stay hashable


def test_dataset_checks_carry_input_shape_class_count_and_head():
    g, info = _digits()
    i, f, d = _chain(g, ("input.image", {"channels": 1, "height": 28, "width": 8}), ("flatten", None), ("dense", None))
    a = analyze(g, info)
    assert _action(a, "data-shape", i) == fixes.set_params(i, {"channels": 1, "height": 8, "width": 8})
    assert _action(a, "no-head", d) == fixes.insert_after("output.classification", node_id=d)
    r = g.add_node("relu").id
    h = g.add_node("output.classification").id
    g.connect(d, "out", r, "in")
    g.connect(r, "out", h, "in")
    a = analyze(g, info)
    assert _action(a, "data-target", h) == fixes.set_params(d, {"units": 10})  # back through the ReLU


def test_unconnected_port_gets_its_only_possible_source():
    g, info = _digits()
    i = g.add_node("input.vector", {"features": 64}).id
    d = g.add_node("dense").id
    assert _action(analyze(g, info), "unconnected", d) == fixes.connect(d, "in", i, "out")
    g.add_node("input.vector")  # two candidates: nothing is obvious any more
    assert all(x.action is None for x in analyze(g, info).diagnostics if x.code == "unconnected")


def test_reshape_and_sequence_fixes_from_the_shape_rules():
    g, info = _digits()
    i, c = _chain(g, ("input.vector", {"features": 64}), ("conv2d", None))
    fix = _action(analyze(g, info), "shape", c)
    assert fix.kind == fixes.INSERT_BEFORE and fix.get("params") == {"target_shape": [1, 8, 8]}
    g2, _ = _digits()
    i, lstm = _chain(g2, ("input.image", {"channels": 1, "height": 8, "width": 8}), ("lstm", None))
    assert _action(analyze(g2, info), "shape", lstm).get("params") == {"target_shape": [8, 8]}


def test_a_stale_fix_is_refused():
    g, _ = _digits()
    n = g.add_node("dense").id
    assert fixes.problem(g, fixes.set_params(n, {"units": 0}))
    assert fixes.problem(g, fixes.set_params("gone", {"units": 3}))
    assert fixes.problem(g, fixes.insert_before("nope", node_id=n))


def test_placement_finds_free_ground_and_makes_room():
    w, h = card_size(Project().graph.catalog["dense"])
    rects = [(0.0, 0.0, w, h)]
    x, y = free_spot(rects, (0.0, 0.0), (w, h))
    assert not overlaps((x, y, w, h), rects[0])
    g, _ = _digits()
    a, b = _chain(g, ("input.vector", None), ("dense", None))
    g.move(b, (240.0, 0.0))
    pos, moves = make_room(g, (240.0, 0.0), (w, h), {b})
    assert pos == (240.0, 0.0) and moves[b][0] >= 240.0 + w
    assert group_offset(g, [(0.0, 0.0, w, h)]) != (40.0, 40.0)  # a copy of ``a`` would cover it


def test_a_model_without_input_gets_an_input_shaped_like_the_data():
    g, info = _digits()
    f, d = _chain(g, ("flatten", None), ("dense", None))
    fix = _action(analyze(g, info), "no-input")
    assert fix == fixes.insert_before("input.image", {"channels": 1, "height": 8, "width": 8}, node_id=f)
    assert fixes.problem(g, fix) is None
    no_data = next(x for x in analyze(g, None).diagnostics if x.code == "no-input")
    assert no_data.action is None  # without known data there is no shape to give the Input
