"""Property test: random catalog graphs (test_random_graphs' generator) exported to a PyTorch model file
and to a Keras model come back as the same graph and compute the same function (1e-5)."""

from __future__ import annotations

import pytest
from catalog_cases import case_id, cases
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from roundtrip import differences, head_kinds
from test_random_graphs import OPS, _build

pytestmark = pytest.mark.frameworks

CASE_IDS = [case_id(c) for c in cases()]
CHOICES = st.lists(st.tuples(st.integers(0, len(OPS) - 1), st.integers(0, 30), st.integers(0, 30)), max_size=10)


def _exact(project, expected_cases, expected_types=()) -> bool:
    """False when a layer of the graph has the settings of a case the file cannot hold literally (each
    test file lists them with the reason); the graph comparison is then skipped, the outputs are still
    compared."""
    special = [(t, p) for (t, _k, p), cid in zip(cases(), CASE_IDS, strict=True) if cid in expected_cases]
    for n in project.graph.nodes():
        if n.type in expected_types:
            return False
        if any(n.type == t and all(str(n.params.get(k)) == str(v) for k, v in p.items()) for t, p in special):
            return False
    return True


def _live(project):
    """The project without branches that lead to no head (the random builder leaves some): a model file
    holds only what its outputs are computed from."""
    g = project.graph
    heads = [n.id for n in g.nodes() if not g.spec(n.id).outputs]
    keep = set(heads).union(*(g.ancestors(h) for h in heads))
    for nid in [n for n in g.node_ids() if n not in keep]:
        g.remove_node(nid)
    return project


@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
@given(CHOICES)
def test_random_graphs_round_trip_through_pytorch(choices):
    from test_import_torch import EXPECTED_DIFFERENT, check_outputs, comparable, round_trip

    project = _live(_build(choices))
    imported, reference = round_trip(project)
    if _exact(project, EXPECTED_DIFFERENT):
        diffs = differences(comparable(project, imported.project), imported.project)
        assert diffs == [] or all("'input.signal'" in d or "'input.sequence'" in d for d in diffs), diffs
    check_outputs(imported, reference)


@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
@given(CHOICES)
def test_random_graphs_round_trip_through_keras(choices):
    from test_import_keras import EXPECTED_DIFFERENT, EXPECTED_DIFFERENT_TYPES, check, keras_model, keras_visible

    from codegen.importers.keras_import import import_keras_model

    project = _live(_build(choices))
    imported, reference = import_keras_model(keras_model(project), heads=head_kinds(project))
    # A pooling setting with no effect at this size (ceil_mode without a partial window, count_include_pad
    # without padding) is not in the Keras layer (test_import_keras lists those cases too).
    pools = [n for n in project.graph.nodes() if "pool" in n.type]
    no_effect = any(n.params.get("ceil_mode") or n.params.get("count_include_pad") is False for n in pools)
    if _exact(project, EXPECTED_DIFFERENT, EXPECTED_DIFFERENT_TYPES) and not no_effect:
        assert differences(keras_visible(project), imported.project) == []
    check(imported, reference)


@settings(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck))
@given(choices=CHOICES)
def test_random_graphs_round_trip_through_onnx(choices, tmp_path_factory):
    """The same through ONNX, with the layer types whose ONNX form LayerLab reads back exactly
    (test_import_onnx lists the others and why)."""
    pytest.importorskip("onnxscript")
    from onnx_roundtrip import assert_same
    from test_import_onnx import CATALOG_CASES, NOT_EXACT, _rename_inputs, export_in_process

    from codegen.importers.finish import complete
    from codegen.importers.onnx_import import import_onnx

    readable = {t for t, _k, _p in CATALOG_CASES} - set(NOT_EXACT)
    project = _live(_build([c for c in choices if OPS[c[0]][0] in readable]))
    assume(len(project.graph) > 2)  # an Input wired straight to its head: ONNX renames the pass-through
    _rename_inputs(project)
    out = tmp_path_factory.mktemp("onnx") / "random.onnx"
    export_in_process(project, out)
    imported, reference = import_onnx(str(out), heads=head_kinds(project))
    assert_same(project, imported.project)
    result = complete(imported, reference)
    assert result["compared"] and result["max_diff"] <= 1e-5
