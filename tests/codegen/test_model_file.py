"""`layerlab export --format model`: an importable module with only the model, the same as the script's."""

from __future__ import annotations

import subprocess

import numpy as np
import pytest
from codegen_helpers import EXAMPLE_NAMES, EXAMPLES, ROOT, example, tool

from codegen import generate
from codegen.verify import exec_source


@pytest.mark.parametrize("framework", ["pytorch", "tensorflow"])
def test_model_modules_are_ruff_clean_and_deterministic(framework, tmp_path):
    for name in EXAMPLE_NAMES:
        first = generate(example(name), framework, str(EXAMPLES), form="model")
        assert not first.problems, (name, first.problems)
        assert first.source == generate(example(name), framework, str(EXAMPLES), form="model").source
        assert "argparse" not in first.source and "def train" not in first.source  # the model only
        (tmp_path / f"{name}_{framework}.py").write_text(first.source, encoding="utf-8")
    config = ["--config", str(ROOT / "pyproject.toml")]
    for args in (["check", *config, str(tmp_path)], ["format", "--check", *config, str(tmp_path)]):
        proc = subprocess.run([tool("ruff"), *args], capture_output=True, text=True)
        assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.frameworks
@pytest.mark.parametrize("name", ["transformer_classifier", "multi_task_digits", "text_classifier", "gan_moons"])
def test_the_module_builds_the_scripts_model(name):
    """Same parameters (PyTorch: the same state dict; Keras: the same layers), same outputs with its weights."""
    import torch

    project = example(name)
    script = exec_source(generate(project, "pytorch", str(EXAMPLES)).source, "<script>")
    module = exec_source(generate(project, "pytorch", str(EXAMPLES), form="model").source, "<model.py>")
    cls = "Generator" if name.startswith("gan_") else "Model"
    a, b = script[cls](), module[cls]()
    assert a.state_dict().keys() == b.state_dict().keys()
    b.load_state_dict(a.state_dict())
    a.eval(), b.eval()
    plan = generate(project, "pytorch", str(EXAMPLES)).plan
    steps = [s for s in plan.steps if s.id == plan.gan.noise] if plan.gan else plan.inputs
    rng = np.random.default_rng(0)
    feed = {
        s.var: torch.as_tensor(
            rng.integers(0, s.params["vocab_size"], (2, *s.out.features))
            if s.out.dtype == "int64"
            else rng.standard_normal((2, *s.out.features)).astype("float32")
        )
        for s in steps
    }
    with torch.no_grad():
        out_a, out_b = a(**feed), b(**feed)
    out_a, out_b = (o if isinstance(o, tuple) else (o,) for o in (out_a, out_b))
    for x, y in zip(out_a, out_b, strict=True):
        assert torch.equal(x, y)
    keras_script = exec_source(generate(project, "tensorflow", str(EXAMPLES)).source, "<keras script>")
    keras_module = exec_source(generate(project, "tensorflow", str(EXAMPLES), form="model").source, "<keras model>")
    fn = "build_generator" if name.startswith("gan_") else "build_model"
    k_a, k_b = keras_script[fn](), keras_module[fn]()
    assert [layer.name for layer in k_a.layers] == [layer.name for layer in k_b.layers]
    assert k_a.count_params() == k_b.count_params()
