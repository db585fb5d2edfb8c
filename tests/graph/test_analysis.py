"""Shape inference over whole graphs, parameter totals, and diagnostics as data."""

from __future__ import annotations

import pytest

from graph.analysis import ERROR, WARNING, analyze
from graph.datasets import describe
from graph.examples import EXAMPLES, mnist_mlp
from graph.model import Graph


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_every_example_checks_clean_against_its_dataset(name):
    project = EXAMPLES[name]()
    info, problem = project.dataset_info(base_dir="resources/examples")
    assert problem is None
    result = analyze(project.graph, info)
    assert result.diagnostics == [] or all(d.severity != ERROR for d in result.diagnostics), result.diagnostics


def test_mnist_mlp_has_the_keras_parameter_count_and_labelled_shapes():
    project = mnist_mlp()
    result = analyze(project.graph)
    assert result.total == 101_770
    g = project.graph
    labels = [result.output(n).label() for n in result.order if result.output(n)]
    assert labels == ["N×1×28×28 (N,C,H,W)", "N×784 (N,F)", "N×128 (N,F)", "N×10 (N,F)"]
    assert g.find_by_name("hidden") is not None


def build(*types_and_params):
    g = Graph()
    ids = []
    for t, p in types_and_params:
        ids.append(g.add_node(t, p).id)
    for a, b in zip(ids, ids[1:], strict=False):
        g.connect(a, "out", b, "in")
    return g, ids


def test_dense_on_feature_map_suggests_flatten():
    g, ids = build(("input.image", {}), ("dense", {"units": 4}), ("output.classification", {}))
    result = analyze(g)
    [d] = result.for_node(ids[1])
    assert d.severity == ERROR and d.code == "shape"
    assert "Flatten" in d.fix
    assert result.output(ids[2]) is None and not result.for_node(ids[2])  # no cascade of errors


def test_unconnected_input_and_missing_head():
    g, ids = build(("input.vector", {}), ("dense", {"units": 3}))
    lonely = g.add_node("relu").id
    result = analyze(g)
    codes = {(d.node_id, d.code) for d in result.diagnostics}
    assert (lonely, "unconnected") in codes
    assert (ids[1], "no-head") in codes
    h1, h2 = g.add_node("output.classification").id, g.add_node("output.regression").id
    g.connect(ids[1], "out", h1, "in")
    g.connect(ids[1], "out", h2, "in")
    result = analyze(g)
    # Several heads are a multi-task model (tests/graph/test_multi_io.py): only the lonely ReLU is wrong.
    assert {d.node_id for d in result.errors} == {lonely}


def test_unused_output_is_a_warning_once_a_head_exists():
    g, ids = build(("input.vector", {}), ("dense", {"units": 3}), ("output.classification", {}))
    extra = g.add_node("relu").id
    g.connect(ids[0], "out", extra, "in")
    result = analyze(g)
    [d] = result.for_node(extra)
    assert d.severity == WARNING and result.ok


def test_empty_graph_is_an_error_not_an_exception():
    result = analyze(Graph())
    assert not result.ok and result.errors[0].code == "empty"


def test_merge_shape_mismatch_names_both_shapes():
    g = Graph()
    x = g.add_node("input.vector", {"features": 4}).id
    a, b = g.add_node("dense", {"units": 3}).id, g.add_node("dense", {"units": 5}).id
    add = g.add_node("add").id
    for d in (a, b):
        g.connect(x, "out", d, "in")
        g.connect(d, "out", add, "in")
    [diag] = [d for d in analyze(g).for_node(add) if d.code == "shape"]
    assert "3" in diag.message and "5" in diag.message


def test_dataset_mismatch_is_reported_on_input_and_head():
    g, ids = build(("input.vector", {"features": 3}), ("dense", {"units": 4}), ("output.classification", {}))
    result = analyze(g, describe({"kind": "digits"}))
    by_code = {d.code: d for d in result.diagnostics}
    assert by_code["data-shape"].node_id == ids[0] and "64 values" in by_code["data-shape"].message
    assert by_code["data-target"].node_id == ids[2] and "10" in by_code["data-target"].fix


def test_large_graph_analysis_is_linear_enough():
    g = Graph()
    prev = g.add_node("input.vector", {"features": 8}).id
    for _ in range(300):
        nid = g.add_node("dense", {"units": 8}).id
        g.connect(prev, "out", nid, "in")
        prev = nid
    result = analyze(g)
    assert len(result.shapes) == 301 and result.total == 300 * 72


def test_incremental_analysis_equals_full_analysis_after_random_edits():
    import random

    from bench.graphs import residual_chain

    rng = random.Random(7)
    g = residual_chain(120).graph
    previous = analyze(g)
    for _ in range(60):
        dense = [n.id for n in g.nodes() if n.type == "dense"]
        nid = rng.choice(dense)
        dirty = {nid}
        if rng.random() < 0.7:
            g.set_param(nid, "units", rng.choice([8, 16, 16, 32]))
        else:
            edge = g.in_edges(nid)[0]
            g.disconnect(edge)
            if rng.random() < 0.8:
                g.connect(edge.src, edge.src_port, edge.dst, edge.dst_port)
        incremental = analyze(g, previous=previous, dirty=dirty)
        full = analyze(g)
        assert incremental.shapes == full.shapes
        assert incremental.counts == full.counts
        assert incremental.diagnostics == full.diagnostics
        previous = incremental


def test_incremental_analysis_of_the_error_cascade_equals_full_analysis():
    """A width that breaks the first Add (every layer after it loses its shape) and back, with a layer
    whose parameter stays invalid (its diagnostic is kept while only its inputs change) and the data check
    (its Inputs and heads are kept while the structure stays, found again when it changes)."""
    from bench.graphs import residual_chain

    project = residual_chain(60)
    g = project.graph
    info, problem = project.dataset_info(None)
    dense = [n.id for n in g.nodes() if n.type == "dense"]
    g.node(dense[7]).params["units"] = "many"  # as a hand-edited file could leave it
    previous = analyze(g, info, dataset_problem=problem)
    head = next(n.id for n in g.nodes() if n.type == "output.classification")

    def second_dense_units(units):
        g.set_param(dense[2], "units", units)  # the first block's second Dense feeds its Add
        return {dense[2]}

    def remove_head():
        record = g.remove_node(head)
        steps.append(lambda: (g.restore_node(record), {head})[1])
        return {e.dst for e in record.edges}

    steps, inferred = [lambda: second_dense_units(7), lambda: second_dense_units(16), remove_head], []
    for step in steps:  # remove_head appends the restore
        dirty = step()
        incremental = analyze(g, info, previous=previous, dirty=dirty, dataset_problem=problem)
        full = analyze(g, info, dataset_problem=problem)
        assert incremental.shapes == full.shapes and incremental.counts == full.counts
        assert incremental.diagnostics == full.diagnostics and incremental.node_diags == full.node_diags
        inferred.append(len(incremental.shapes))
        previous = incremental
    assert inferred[0] < 12 < inferred[1] and inferred[1] == inferred[3]  # the cascade, and back
    assert any(d.code == "bad-param" for d in previous.diagnostics)


def test_setup_fields_are_relevant_only_for_their_dataset_or_optimiser():
    from graph.project import default_setup, setup_field_relevant

    setup = default_setup()  # digits, adam
    assert not setup_field_relevant("dataset_path", setup) and not setup_field_relevant("momentum", setup)
    assert setup_field_relevant("beta1", setup) and setup_field_relevant("learning_rate", setup)
    setup.update(dataset="text", optimizer="sgd")
    assert setup_field_relevant("dataset_path", setup) and setup_field_relevant("momentum", setup)
    assert not setup_field_relevant("beta1", setup)
