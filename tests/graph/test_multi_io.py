"""Several Inputs and heads: which .npz array feeds each, and what the analysis says when one is missing."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from graph.analysis import analyze
from graph.datasets import DatasetError, describe, parse_arrays
from graph.examples import multi_task_digits, two_input_digits
from graph.model import Graph

EXAMPLES = Path(__file__).resolve().parents[2] / "resources" / "examples"


def _npz(tmp_path, **arrays) -> str:
    path = tmp_path / "data.npz"
    np.savez(path, **arrays)
    return str(path)


def _two_heads(g: Graph):
    src = g.add_node("input.vector", {"features": 3}, "features")
    a = g.add_node("dense", {"units": 4})
    b = g.add_node("dense", {"units": 1})
    g.connect(src.id, "out", a.id, "in")
    g.connect(src.id, "out", b.id, "in")
    cls = g.add_node("output.classification", {}, "label")
    reg = g.add_node("output.regression", {"loss_weight": 0.5}, "amount")
    g.connect(a.id, "out", cls.id, "in")
    g.connect(b.id, "out", reg.id, "in")
    return src, cls, reg


def test_arrays_are_found_by_layer_name_and_by_mapping(tmp_path):
    path = _npz(tmp_path, features=np.zeros((8, 3)), label=np.arange(8) % 4, amount=np.zeros((8, 1)))
    g = Graph()
    _two_heads(g)
    assert analyze(g, describe({"kind": "npz", "path": path})).ok
    # Renamed arrays: the setup's Arrays maps layers to them.
    path = _npz(tmp_path, f=np.zeros((8, 3)), c=np.arange(8) % 4, r=np.zeros((8, 1)))
    info = describe({"kind": "npz", "path": path})
    errors = analyze(g, info).errors
    assert {d.code for d in errors} == {"data-array"}
    assert "no array 'features' for the Input 'features' (its arrays: c, f, r)" in errors[0].message
    assert "Arrays" in errors[0].fix
    mapped = describe({"kind": "npz", "path": path, "arrays": "features=f, label=c, amount=r"})
    assert analyze(g, mapped).ok


def test_each_head_is_checked_against_its_own_array(tmp_path):
    path = _npz(tmp_path, features=np.zeros((8, 3)), label=np.arange(8) % 6, amount=np.zeros((8, 1)))
    g = Graph()
    _, cls, _ = _two_heads(g)
    [err] = analyze(g, describe({"kind": "npz", "path": path})).errors
    assert err.node_id == cls.id and err.code == "data-target" and "6" in err.message  # 6 classes, 4 scores


def test_several_heads_need_named_arrays():
    g = Graph()
    _two_heads(g)
    [err] = analyze(g, describe({"kind": "digits"})).errors
    assert err.code == "several-arrays" and "NPZ" in err.fix


def test_arrays_setting_is_validated():
    assert parse_arrays(" a = x1 ,b=x2,,") == {"a": "x1", "b": "x2"}
    for bad in ("a", "=x", "a=", "a=x, a=y"):
        with pytest.raises(DatasetError, match="Arrays"):
            parse_arrays(bad)


def test_arrays_must_have_the_same_samples(tmp_path):
    path = _npz(tmp_path, a=np.zeros((8, 3)), b=np.zeros(7))
    with pytest.raises(DatasetError, match="same number of samples"):
        describe({"kind": "npz", "path": path})


@pytest.mark.parametrize("build", [two_input_digits, multi_task_digits])
def test_bundled_multi_examples_check_clean(build):
    project = build()
    info, problem = project.dataset_info(str(EXAMPLES))
    assert problem is None
    assert analyze(project.graph, info).ok


def test_the_plan_lists_inputs_and_heads_in_order():
    from codegen.emitter import build_plan

    plan = build_plan(multi_task_digits().graph)
    assert [s.var for s in plan.inputs] == ["image"]
    assert [(h.name, h.loss_weight, h.output_var) for h in plan.heads] == [
        ("digit", 1.0, "digit_logits"),
        ("ink", 10.0, "ink_outputs"),
    ]
    assert plan.multi
