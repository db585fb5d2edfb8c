"""The teaching views' inspection (--inspect) reads every layer's output from the generated code itself,
and the same sample gives the same outputs in PyTorch and Keras, layer by layer (layouts converted)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest
from codegen_helpers import EXAMPLES, ROOT, example

from codegen import generate
from codegen.verify import build_scripts, sample_inputs
from codegen.weights import copy_torch_to_keras

pytestmark = pytest.mark.frameworks
torch = pytest.importorskip("torch")


def _outputs_both(project):
    """Every layer's output for one batch, from each framework's own code (weights copied)."""
    import keras

    plan, tns, kns = build_scripts(project, str(EXAMPLES))
    torch.manual_seed(0)
    tmodel = tns["Model"]()
    kmodel, ktaps = kns["build_traced"](kns["build_model"])
    copy_torch_to_keras(plan, tmodel, kmodel)
    x = sample_inputs(plan, 2, seed=1)
    tmodel.eval()
    paths = {id(m): (name or None) for name, m in tmodel.named_modules()}
    feed = {k: torch.as_tensor(v) for k, v in x.items()} if plan.multi else torch.as_tensor(x)
    with torch.no_grad(), tns["LayerTaps"](lambda frame: paths.get(id(frame.f_locals.get("self")))) as taps:
        tmodel(**feed) if plan.multi else tmodel(feed)
    ours = {k: v.numpy() for k, v in taps.items() if torch.is_tensor(v)}
    probe = keras.Model(kmodel.input, {k: v for k, v in ktaps.items() if keras.backend.is_keras_tensor(v)})
    from codegen.verify import to_keras_layout

    if plan.multi:
        kx = {s.var: to_keras_layout(x[s.var], s.out) for s in plan.inputs}
    else:
        kx = to_keras_layout(x, plan.input_step.out)
    theirs = {}
    for name, v in probe(kx, training=False).items():
        a = keras.ops.convert_to_numpy(v)
        axes = kns["KERAS_AXES"].get(name)
        theirs[name] = a.transpose(axes) if axes is not None and a.ndim == len(axes) else a
    return plan, ours, theirs


@pytest.mark.parametrize("name", ["small_cnn", "residual_block", "char_lstm", "transformer_classifier", "two_branch"])
def test_every_layer_computes_the_same_in_both_frameworks(name):
    plan, ours, theirs = _outputs_both(example(name))
    layers = [s.display for s in plan.steps if not (s.fold and s.type == s.fold)]
    missing = [n for n in layers if n not in ours or n not in theirs]
    assert not missing, f"no output recorded for {missing}"
    for n in layers:
        a, b = ours[n], theirs[n]
        assert a.shape == b.shape, (n, a.shape, b.shape)
        scale = max(float(np.abs(a).max(initial=0.0)), 1.0)
        assert float(np.abs(a - b).max(initial=0.0)) <= 1e-4 * scale, n
    heads = [hp.display for hp in plan.heads]
    assert all(h in ours and h in theirs for h in heads)


@pytest.mark.parametrize("framework", ["pytorch", "tensorflow"])
def test_inspect_reports_activations_weights_and_gradients_while_training(framework, tmp_path):
    project = example("small_cnn")
    project.setup["epochs"] = 2
    script = tmp_path / f"train_{framework}.py"
    script.write_text(generate(project, framework, str(EXAMPLES)).source)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TF_CPP_MIN_LOG_LEVEL": "3"}
    out = tmp_path / "out"
    cmd = [sys.executable, str(script), "--out", str(out), "--progress", "jsonl", "--device", "cpu", "--inspect"]
    proc = subprocess.run([*cmd, "--inspect-sample", "5"], capture_output=True, text=True, env=env, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    events = [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]
    shown = [e for e in events if e["event"] == "inspect"]
    assert shown[0]["epoch"] == 0 and shown[-1]["epoch"] == 2  # before training, while, and the trained model
    last = shown[-1]
    names = {n.name for n in project.graph.nodes()}
    with np.load(last["file"], allow_pickle=False) as arrays:
        layers = {f for f in arrays.files if "/" not in f}  # kernel/… and bias/…: the kernel view's
        assert layers == names  # every layer, the Input and the head included
        assert {f"kernel/{n.name}" for n in project.graph.nodes() if n.type == "conv2d"} <= set(arrays.files)
        head = next(n.name for n in project.graph.nodes() if n.type == "output.classification")
        assert arrays[head].shape == (10,) and abs(float(arrays[head].sum()) - 1.0) < 1e-5  # probabilities
        conv = next(n.name for n in project.graph.nodes() if n.type == "conv2d")
        assert arrays[conv].ndim == 3  # channels, height, width (channels first in both frameworks)
    assert last["sample"] == 5
    assert set(last["grad_norms"]) == set(last["weights"]) and all(v > 0 for v in last["grad_norms"].values())
    assert all(len(h["counts"]) == 24 for h in last["weights"].values())
    assert all(0.0 <= v <= 1.0 for v in last["dead"].values() if v is not None)


def test_inspection_does_not_change_training(tmp_path):
    """The same seed trains to the same loss with and without --inspect (no random draw, no BN update)."""
    project = example("small_cnn")
    project.setup["epochs"] = 1
    script = tmp_path / "train.py"
    script.write_text(generate(project, "pytorch", str(EXAMPLES)).source)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    losses = []
    for extra in ([], ["--inspect"]):
        cmd = [sys.executable, str(script), "--out", str(tmp_path / f"o{len(extra)}"), "--progress", "jsonl"]
        proc = subprocess.run([*cmd, "--device", "cpu", *extra], capture_output=True, text=True, env=env, timeout=300)
        assert proc.returncode == 0, proc.stderr[-2000:]
        end = [json.loads(x) for x in proc.stdout.splitlines() if x.startswith("{")][-1]
        losses.append(end["test_loss"])
    assert losses[0] == losses[1]


@pytest.mark.parametrize("framework", ["pytorch", "tensorflow"])
def test_the_kernel_view_sum_is_the_value_the_framework_computed(framework, tmp_path):
    """CNN Explainer's arithmetic (graph/teaching.py) on what --inspect recorded: input patch · kernel +
    bias equals the convolution's own output at every position checked, padding included."""
    from graph.teaching import conv2d_at

    project = example("small_cnn")
    project.setup["epochs"] = 1
    script = tmp_path / "train.py"
    script.write_text(generate(project, framework, str(EXAMPLES)).source)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TF_CPP_MIN_LOG_LEVEL": "3"}
    cmd = [sys.executable, str(script), "--out", str(tmp_path / "o"), "--progress", "jsonl", "--device", "cpu"]
    proc = subprocess.run([*cmd, "--inspect"], capture_output=True, text=True, env=env, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    last = [json.loads(x) for x in proc.stdout.splitlines() if '"inspect"' in x][-1]
    g = project.graph
    checked = 0
    with np.load(last["file"], allow_pickle=False) as arrays:
        for node in g.nodes():
            if node.type != "conv2d":
                continue
            src = g.node(g.in_edges(node.id)[0].src).name
            x, y = arrays[src], arrays[node.name]
            kernel = arrays[f"kernel/{node.name}"]
            bias = arrays[f"bias/{node.name}"] if f"bias/{node.name}" in arrays.files else None
            for c, r, col in [(0, 0, 0), (1, y.shape[1] // 2, y.shape[2] - 1), (y.shape[0] - 1, y.shape[1] - 1, 1)]:
                step = conv2d_at(x, kernel, bias, node.params, c, r, col)
                assert abs(step.value - float(y[c, r, col])) <= 1e-4 * max(1.0, abs(step.value)), (node.name, c, r, col)
                assert step.products.shape == kernel.shape[1:] and "=" in step.formula()
                checked += 1
    assert checked >= 6


@pytest.mark.parametrize("framework", ["pytorch", "tensorflow"])
def test_2d_data_get_every_neurons_map_over_the_plane(framework, tmp_path):
    """The playground view's data: each unit's output on a 40×40 grid over the points, the Dense weights."""
    project = example("spiral")
    script = tmp_path / "train.py"
    script.write_text(generate(project, framework, str(EXAMPLES)).source)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TF_CPP_MIN_LOG_LEVEL": "3"}
    cmd = [sys.executable, str(script), "--out", str(tmp_path / "o"), "--progress", "jsonl", "--device", "cpu"]
    proc = subprocess.run([*cmd, "--inspect", "--epochs", "1"], capture_output=True, text=True, env=env, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    last = [json.loads(x) for x in proc.stdout.splitlines() if '"inspect"' in x][-1]
    x0, x1, y0, y1 = last["grid_range"]
    with np.load(last["file"], allow_pickle=False) as a:
        assert a["grid/hidden1"].shape == (32, 40, 40) and a["dense/hidden1"].shape == (32, 2)
        assert a["dense/hidden2"].shape == (32, 32) and a["dense/scores"].shape == (2, 32)
        point = a["grid/point"]  # the Input's map is the plane itself: x along columns, y along rows
        assert np.allclose(point[0, 0, [0, -1]], [x0, x1], atol=1e-5) and np.allclose(point[1, [0, -1], 0], [y0, y1])
        probs = a["grid/arm"]
        assert np.allclose(probs.sum(axis=0), 1.0, atol=1e-5)  # the head: class probabilities everywhere


@pytest.mark.parametrize("framework", ["pytorch", "tensorflow"])
def test_a_drawn_sample_is_shown_instead_of_a_test_sample(framework, tmp_path):
    """--inspect-input: a digit drawn in the app (0…1, channels first) goes through the network, scaled
    onto the training data's range; a sample of the wrong shape is refused with a message."""
    project = example("small_cnn")
    script = tmp_path / "train.py"
    script.write_text(generate(project, framework, str(EXAMPLES)).source)
    drawn = np.zeros((1, 8, 8), np.float32)
    drawn[0, 1:7, 3:5] = 1.0  # a "1"
    np.save(tmp_path / "drawn.npy", drawn)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TF_CPP_MIN_LOG_LEVEL": "3"}
    cmd = [sys.executable, str(script), "--out", str(tmp_path / "o"), "--progress", "jsonl", "--device", "cpu"]
    cmd += ["--inspect", "--epochs", "0", "--inspect-input"]
    proc = subprocess.run([*cmd, str(tmp_path / "drawn.npy")], capture_output=True, text=True, env=env, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    first = next(json.loads(x) for x in proc.stdout.splitlines() if '"inspect"' in x)
    assert first["sample"] == -1
    with np.load(first["file"], allow_pickle=False) as a:
        image = a["images"]
        assert image.shape == (1, 8, 8) and image[0, 0, 0] == image.min() and image[0, 3, 3] == image.max() > 0
    np.save(tmp_path / "wrong.npy", np.zeros((3, 8, 8), np.float32))
    bad = subprocess.run([*cmd, str(tmp_path / "wrong.npy")], capture_output=True, text=True, env=env, timeout=300)
    assert bad.returncode != 0 and "drawn sample has shape (3, 8, 8)" in bad.stdout + bad.stderr
