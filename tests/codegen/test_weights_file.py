"""A LayerLab weights file (an import writes one) starts both generated scripts from the same function,
and a layer whose shape changed keeps its initial values (fine-tuning a new head)."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from codegen_helpers import example

from codegen.api import generate
from codegen.verify import build_scripts, exec_source, keras_outputs, sample_inputs, torch_outputs
from codegen.weights import module_arrays
from codegen.weights_file import read_weights, write_weights


def _trained_like_weights(project):
    """A PyTorch model of the project with random weights (and BatchNorm statistics), as arrays per module."""
    plan, tns, _ = build_scripts(project)
    torch.manual_seed(3)
    model = tns["Model"]()
    with torch.no_grad():
        for p in model.parameters():
            p.add_(0.1 * torch.randn_like(p))
        for name, b in model.named_buffers():
            if "running_var" in name:
                b.uniform_(0.5, 2.0)
            elif "running_mean" in name:
                b.normal_()
    arrays = {
        s.name: module_arrays(getattr(model, s.name))
        for s in plan.steps
        if module_arrays(getattr(model, s.name, torch.nn.Module()))
    }
    return plan, model, arrays


@pytest.mark.parametrize("name", ["small_cnn", "char_lstm", "two_input_digits"])
def test_both_scripts_start_from_the_file(tmp_path, capsys, name):
    project = example(name)
    plan, reference, arrays = _trained_like_weights(project)
    path = tmp_path / "model.weights.npz"
    assert write_weights(path, plan, arrays) == sum(len(v) for v in arrays.values())
    entries = read_weights(path)
    assert all(v.dtype != object for v in entries.values())
    project.setup["initial_weights"] = path.name
    tsrc = generate(project, "pytorch", str(tmp_path)).source
    ksrc = generate(project, "tensorflow", str(tmp_path)).source
    assert f'INITIAL_WEIGHTS = "{path}"' in tsrc and "--weights" in ksrc
    tns, kns = exec_source(tsrc, "<t>"), exec_source(ksrc, "<k>")
    tmodel, kmodel = tns["Model"](), kns["build_model"]()
    tns["load_initial_weights"](tmodel, str(path))
    kns["load_initial_weights"](kmodel, str(path))
    for key, value in reference.state_dict().items():
        assert torch.equal(tmodel.state_dict()[key], value), key
    x = sample_inputs(plan, 4, seed=1)
    tmodel.eval()
    want = torch_outputs(plan, reference.eval(), x)
    for head, got in torch_outputs(plan, tmodel, x).items():
        np.testing.assert_array_equal(got, want[head])
    for head, got in keras_outputs(plan, kmodel, x).items():
        np.testing.assert_allclose(got, want[head], atol=1e-4, rtol=1e-4)
    assert "initial weights:" in capsys.readouterr().err


def test_a_changed_head_keeps_its_initial_values(tmp_path, capsys):
    project = example("digits_mlp")
    plan, reference, arrays = _trained_like_weights(project)
    path = tmp_path / "w.npz"
    write_weights(path, plan, arrays)
    g = project.graph
    last = [n for n in g.nodes() if n.type == "dense"][-1]
    g.set_param(last.id, "units", 7)  # a new task with 7 classes: the old head no longer fits
    head = next(n for n in g.nodes() if n.type.startswith("output."))
    project.setup["dataset"], project.setup["dataset_path"] = "npz", ""
    assert head is not None
    project.setup["initial_weights"] = str(path)
    for framework, builder in (("pytorch", "Model"), ("tensorflow", "build_model")):
        ns = exec_source(generate(project, framework).source, f"<{framework}>")
        model = ns[builder]()
        ns["load_initial_weights"](model, str(path))
        err = capsys.readouterr().err
        assert last.name in err and "keep their initial values" in err, err
    first = [n for n in g.nodes() if n.type == "dense"][0].name
    tns = exec_source(generate(project, "pytorch").source, "<t>")
    model = tns["Model"]()
    tns["load_initial_weights"](model, str(path))
    assert torch.equal(getattr(model, first).weight, getattr(reference, first).weight)


def test_a_file_that_is_not_a_weights_file_is_refused(tmp_path):
    bad = tmp_path / "bad.npz"
    np.savez(bad, x=np.zeros(3))
    with pytest.raises(ValueError, match="not a LayerLab weights file"):
        read_weights(bad)
    (tmp_path / "junk.npz").write_bytes(b"not a zip")
    with pytest.raises(ValueError, match="not a readable weights file"):
        read_weights(tmp_path / "junk.npz")
    project = example("digits_mlp")
    project.setup["initial_weights"] = str(bad)
    tns = exec_source(generate(project, "pytorch").source, "<t>")
    with pytest.raises(tns["DataError"], match="no tensor"):
        tns["load_initial_weights"](tns["Model"](), str(bad))
