"""Layers named like the frameworks' own attributes (train, forward, to, parameters…) give scripts that run."""

from __future__ import annotations

import numpy as np
import pytest
from codegen_helpers import chain
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from codegen import generate
from codegen.reserved import KERAS_MODEL, TORCH_MODULE
from codegen.verify import exec_source
from graph.model import name_problem

pytestmark = pytest.mark.frameworks

REPORTED = [
    "train",
    "forward",
    "to",
    "cuda",
    "cpu",
    "parameters",
    "modules",
    "apply",
    "state_dict",
    "zero_grad",
    "children",
    "half",
    "double",
    "register_buffer",
    "extra_repr",
    "add_module",
    "register_module",
    "get_submodule",
    "named_parameters",
    "bfloat16",
    "share_memory",
    "ipu",
    "training",
    "call",
    "build",
]


def _named_chain(names):
    """Input → Dense named names[0] → ReLU named names[1] → … → Dense → head."""
    layers = [("input.vector", {"features": 4}), ("dense", {"units": 5})]
    layers += [("relu", {}) for _ in names[1:]]
    project = chain([*layers, ("dense", {"units": 3})], "output.classification")
    nodes = [n for n in project.graph.nodes() if n.type in ("dense", "relu")][: len(names)]
    for node, name in zip(nodes, names, strict=True):
        project.graph.rename(node.id, name)
    return project


def test_every_framework_attribute_name_builds_and_trains_one_step():
    import torch

    names = sorted(set(REPORTED) | TORCH_MODULE | KERAS_MODEL)
    project = _named_chain(names)
    tns = exec_source(generate(project, "pytorch").source, "<reserved torch>")
    model = tns["Model"]()
    optimizer = tns["make_optimizer"](model, 0.01)
    x, y = torch.randn(8, 4), torch.randint(0, 3, (8,))
    loss = tns["compute_loss"](model(x), y)
    loss.backward()
    optimizer.step()
    assert torch.isfinite(loss)
    kns = exec_source(generate(project, "tensorflow").source, "<reserved keras>")
    kmodel = kns["build_model"]()
    kmodel.compile(optimizer=kns["make_optimizer"](0.01), loss=kns["LOSS"])
    assert np.isfinite(kmodel.train_on_batch(x.numpy(), y.numpy()))
    layer_names = {layer.name for layer in kmodel.layers}
    assert "train" in {n.name for n in project.graph.nodes()} and "train" not in layer_names


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.text(min_size=1, max_size=30), min_size=2, max_size=2))
def test_any_name_the_graph_allows_gives_a_pytorch_script_that_runs(names):
    """Fuzzing keeps names safe: whatever the graph accepts, the script builds and computes."""
    import torch

    names = [n for n in names if name_problem(n) is None]
    if len(set(names)) != 2:
        return
    project = _named_chain(names)
    tns = exec_source(generate(project, "pytorch").source, "<fuzzed names>")
    out = tns["Model"]()(torch.randn(2, 4))
    assert out.shape == (2, 3)
