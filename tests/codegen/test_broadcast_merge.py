"""Element-wise merges of broadcasting shapes, verified in both frameworks (the catalog cases only merge
equal shapes): squeeze-and-excitation, centring by a reduction, and Subtract's port order."""

from __future__ import annotations

import pytest
from codegen_helpers import no_data_project

pytestmark = pytest.mark.frameworks


def _verify(project):
    from codegen.verify import verify

    report = verify(project)
    assert report.ok, report.text()
    return report


def _se_project(scale_first: bool):
    """Conv → GlobalAvgPool → Dense(relu) → Dense(sigmoid) → Reshape (C, 1, 1) → Multiply with the feature map."""
    project = no_data_project()
    g = project.graph
    x = g.add_node("input.image", {"channels": 3, "height": 7, "width": 6})
    conv = g.add_node("conv2d", {"filters": 4, "padding": [1, 1, 1, 1]})
    gap = g.add_node("global_avg_pool")
    squeeze = g.add_node("dense", {"units": 2, "activation": "relu"})
    excite = g.add_node("dense", {"units": 4, "activation": "sigmoid"})
    shape = g.add_node("reshape", {"target_shape": [4, 1, 1]})
    scale = g.add_node("multiply")
    head = g.add_node("output.regression")
    for src, dst in ((x, conv), (conv, gap), (gap, squeeze), (squeeze, excite), (excite, shape)):
        g.connect(src.id, "out", dst.id, "in")
    for src in (shape, conv) if scale_first else (conv, shape):
        g.connect(src.id, "out", scale.id, "in")
    g.connect(scale.id, "out", head.id, "in")
    return project


@pytest.mark.parametrize("scale_first", [False, True])
def test_squeeze_and_excitation_verifies(scale_first):
    from codegen.emitter import build_plan

    project = _se_project(scale_first)
    plan = build_plan(project.graph)
    assert plan.ok, plan.problems
    step = next(s for s in plan.steps if s.type == "multiply")
    assert [t.dims[1:] for t in step.in_types] == ([(4, 1, 1), (4, 7, 6)] if scale_first else [(4, 7, 6), (4, 1, 1)])
    assert step.out.dims[1:] == (4, 7, 6)
    _verify(project)


def _centred_project(reverse_edges: bool):
    """a = Tanh(x), b = ReduceMean over the channels (Keep dims) of x: Subtract gives a − b, broadcast over C."""
    project = no_data_project()
    g = project.graph
    x = g.add_node("input.image", {"channels": 3, "height": 5, "width": 4})
    a = g.add_node("tanh")
    b = g.add_node("reduce_mean", {"axis": 1, "keepdims": True})
    sub = g.add_node("subtract")
    head = g.add_node("output.regression")
    g.connect(x.id, "out", a.id, "in")
    g.connect(x.id, "out", b.id, "in")
    ports = [(a, "a"), (b, "b")]
    for src, port in reversed(ports) if reverse_edges else ports:  # edge order must not matter, ports do
        g.connect(src.id, "out", sub.id, port)
    g.connect(sub.id, "out", head.id, "in")
    return project, a, b


@pytest.mark.parametrize("reverse_edges", [False, True])
def test_subtract_follows_its_ports_and_broadcasts(reverse_edges):
    import numpy as np
    import torch

    from codegen.api import generate
    from codegen.emitter import build_plan
    from codegen.verify import exec_source

    project, a, b = _centred_project(reverse_edges)
    plan = build_plan(project.graph)
    step = next(s for s in plan.steps if s.type == "subtract")
    var = {s.id: s.var for s in plan.steps}
    assert step.inputs == [var[a.id], var[b.id]]
    assert f"{var[a.id]} - {var[b.id]}" in generate(project, "pytorch").source
    _verify(project)
    # and the PyTorch model computes a − b, not b − a
    model = exec_source(generate(project, "pytorch").source, "<subtract>")["Model"]()
    x = torch.randn(2, 3, 5, 4)
    want = torch.tanh(x) - x.mean(dim=1, keepdim=True)
    np.testing.assert_allclose(model(x).detach().numpy(), want.numpy(), atol=1e-6)


@pytest.mark.parametrize("type_id", ["add", "average", "maximum", "minimum"])
def test_three_broadcast_inputs_on_a_sequence(type_id):
    """(N, T, F) with (N, 1, F) and (N, T, 1) from reductions that keep their axis."""
    project = no_data_project()
    g = project.graph
    x = g.add_node("input.sequence", {"steps": 5, "features": 4})
    over_time = g.add_node("reduce_max", {"axis": 1, "keepdims": True})
    over_features = g.add_node("reduce_mean", {"axis": -1, "keepdims": True})
    act = g.add_node("tanh")
    merge = g.add_node(type_id)
    head = g.add_node("output.regression")
    for node in (over_time, over_features, act):
        g.connect(x.id, "out", node.id, "in")
    for node in (over_time, act, over_features):
        g.connect(node.id, "out", merge.id, "in")
    g.connect(merge.id, "out", head.id, "in")
    _verify(project)
