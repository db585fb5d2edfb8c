"""Blocks in the generated code: one nn.Module subclass / Keras function per distinct block, called once
per instance, and the two frameworks still compute, train and load weights the same (verify)."""

from __future__ import annotations

import subprocess

import numpy as np
import pytest
from codegen_helpers import add_block, no_data_project, tool

from codegen import generate
from codegen.emitter import build_plan
from codegen.verify import verify
from codegen.weights_file import weights_entries
from graph.project import Project

pytestmark = pytest.mark.frameworks


def _cnn(blocks=("residual", "residual", "se"), channels=8) -> Project:
    project = Project()  # the bundled digits: 1×8×8 images, 10 classes
    g = project.graph
    image = g.add_node("input.image", {"channels": 1, "height": 8, "width": 8}, "image")
    conv = g.add_node("conv2d", {"filters": channels, "kernel_size": [3, 3], "padding": [1, 1, 1, 1]}, "stem")
    g.connect(image.id, "out", conv.id, "in")
    last = conv.id
    for key in blocks:
        group = add_block(g, key, last, channels)
        last = group.outputs[0][0]
    flat, dense, head = g.add_node("flatten"), g.add_node("dense", {"units": 10}), g.add_node("output.classification")
    g.connect(last, "out", flat.id, "in")
    g.connect(flat.id, "out", dense.id, "in")
    g.connect(dense.id, "out", head.id, "in")
    return project


def _encoder() -> Project:
    project = no_data_project()
    g = project.graph
    tokens = g.add_node("input.tokens", {"steps": 12, "vocab_size": 30}, "tokens")
    emb = g.add_node("embedding", {"input_dim": 30, "output_dim": 16})
    pos = g.add_node("positional_embedding")
    g.connect(tokens.id, "out", emb.id, "in")
    g.connect(emb.id, "out", pos.id, "in")
    group = add_block(g, "transformer_encoder", pos.id, 16)
    pool, dense = g.add_node("global_avg_pool"), g.add_node("dense", {"units": 3})
    g.connect(group.outputs[0][0], "out", pool.id, "in")
    g.connect(pool.id, "out", dense.id, "in")
    head = g.add_node("output.regression")
    g.connect(dense.id, "out", head.id, "in")
    return project


def test_identical_blocks_share_one_class_and_one_function():
    project = _cnn()
    torch_src = generate(project, "pytorch").source
    keras_src = generate(project, "tensorflow").source
    assert torch_src.count("class ResidualBlock(nn.Module):") == 1
    assert torch_src.count("= ResidualBlock()") == 2 and "self.se = SqueezeAndExcitationBlock()" in torch_src
    assert "def forward(self, inputs):" in torch_src  # the input feeds the first conv and the shortcut
    assert keras_src.count("def residual_block(inputs, name):") == 1
    assert 'residual_block(residual, name="residual_1")' in keras_src
    assert 'name=f"{name}_conv1"' in keras_src


def test_blocks_with_different_sizes_get_their_own_class():
    project = _cnn(("residual", "residual"))
    g = project.graph
    g.set_param(g.find_by_name("residual_1_conv1").id, "filters", 4)  # a narrower middle: other code
    assert build_plan(g, project.dataset_info()[0]).ok
    torch_src = generate(project, "pytorch").source
    assert "class ResidualBlock(nn.Module):" in torch_src and "class ResidualBlock2(nn.Module):" in torch_src


@pytest.mark.parametrize("build", [_cnn, _encoder], ids=["resnet_se", "transformer"])
def test_verify_passes_with_blocks(build):
    report = verify(build())
    assert report.ok, report.text()


def test_block_code_is_ruff_clean(tmp_path):
    for framework in ("pytorch", "tensorflow"):
        for i, build in enumerate((_cnn, _encoder)):
            path = tmp_path / f"m{i}_{framework}.py"
            path.write_text(generate(build(), framework).source)
    for args in (["check", "--select", "E,F,W,I,B,UP"], ["format", "--check"]):
        proc = subprocess.run([tool("ruff"), *args, str(tmp_path)], capture_output=True, text=True)
        assert proc.returncode == 0, proc.stdout + proc.stderr


def test_weights_file_names_block_layers_in_both_layouts():
    project = _cnn(("residual",))
    plan = build_plan(project.graph, project.dataset_info()[0])
    step = next(s for s in plan.steps if s.scope)
    assert step.module == f"residual.{step.name}"
    conv = next(s for s in plan.steps if s.module == "residual.conv1")
    arrays = {conv.module: {"weight": np.ones((8, 8, 3, 3), np.float32)}}
    entries = weights_entries(plan, arrays)
    assert "pytorch/residual.conv1.weight" in entries and entries["keras/residual_conv1/0"].shape == (3, 3, 8, 8)


def test_a_block_whose_activation_the_loss_absorbs_is_written_as_plain_layers():
    project = _cnn(("residual",))
    g = project.graph
    dense = next(n for n in g.nodes() if n.type == "dense")
    flat = g.in_edges(dense.id)[0].src
    g.add_group("classifier", "Classifier", [flat, dense.id])
    g.set_param(dense.id, "activation", "softmax")
    src = generate(project, "pytorch").source
    assert "class Classifier" not in src and "class ResidualBlock" in src
    assert verify(project).ok


@pytest.mark.parametrize("framework", ["pytorch", "tensorflow"])
def test_a_model_with_blocks_trains_from_its_script(framework, tmp_path):
    """The whole path: the full script with its block classes/functions trains on the bundled digits."""
    import json
    import os
    import sys

    from codegen_helpers import ROOT

    project = _cnn(("residual", "se"))
    project.setup["epochs"] = 3
    script = tmp_path / f"train_{framework}.py"
    script.write_text(generate(project, framework).source)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TF_CPP_MIN_LOG_LEVEL": "3"}
    cmd = [sys.executable, str(script), "--out", str(tmp_path / "out"), "--progress", "jsonl", "--device", "cpu"]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    events = [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]
    epochs = [e for e in events if e["event"] == "epoch"]
    assert len(epochs) == 3 and epochs[-1]["loss"] < epochs[0]["loss"]
    assert events[-1]["event"] == "end" and events[-1]["test_accuracy"] > 0.8, events[-1]
