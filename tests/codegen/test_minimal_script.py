"""`layerlab export --format minimal`: a short script with the same data, model, loss and optimiser."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
from codegen_helpers import EXAMPLE_NAMES, EXAMPLES, ROOT, example, tool

from codegen import generate

SHORT = [n for n in EXAMPLE_NAMES if not n.startswith("gan_") and n not in ("two_input_digits", "multi_task_digits")]
SHORT = [n for n in SHORT if example(n).setup["dataset"] not in ("text", "text_classes")]


@pytest.mark.parametrize("framework", ["pytorch", "tensorflow"])
def test_short_scripts_are_ruff_clean_and_shorter(framework, tmp_path):
    for name in SHORT:
        short = generate(example(name), framework, str(EXAMPLES), form="minimal")
        assert not short.problems, (name, short.problems)
        full = generate(example(name), framework, str(EXAMPLES))
        assert len(short.source.splitlines()) < len(full.source.splitlines()) / 2
        (tmp_path / f"{name}_{framework}.py").write_text(short.source, encoding="utf-8")
    config = ["--config", str(ROOT / "pyproject.toml")]
    for args in (["check", *config, str(tmp_path)], ["format", "--check", *config, str(tmp_path)]):
        proc = subprocess.run([tool("ruff"), *args], capture_output=True, text=True)
        assert proc.returncode == 0, proc.stdout + proc.stderr


def test_what_the_short_script_does_not_cover_is_said():
    code = generate(example("gan_moons"), "pytorch", str(EXAMPLES), form="minimal")
    assert code.problems == ["the short script does not cover a GAN yet; export the full script"]


def _mnist_like(path):
    """An MNIST-format file (the Keras cache's x_train/y_train/x_test/y_test, 28×28 uint8) made from the
    bundled 8×8 digits, each pixel a 3×3 block in a 2-pixel border: MNIST's layout without the download."""
    import numpy as np

    with np.load(ROOT / "resources" / "data" / "digits.npz") as d:
        x, y = d["x"].reshape(-1, 8, 8), d["y"]
    big = np.pad(np.kron(x, np.ones((3, 3))), ((0, 0), (2, 2), (2, 2))) * (255 / 16)
    big = big.astype("uint8")
    np.savez(path, x_train=big[:1400], y_train=y[:1400], x_test=big[1400:], y_test=y[1400:])
    return path


@pytest.mark.frameworks
@pytest.mark.slow
@pytest.mark.parametrize("framework", ["pytorch", "tensorflow"])
@pytest.mark.parametrize("name", ["digits_mlp", "mnist_mlp"])
def test_the_short_script_trains_like_the_full_one(framework, name, tmp_path):
    """Same data, split, model, loss, optimiser and seed: the same test accuracy as the full script's run
    (MNIST in its own file format, made from the bundled digits since nothing is downloaded here)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TF_CPP_MIN_LOG_LEVEL": "3", "OMP_NUM_THREADS": "1"}
    project = example(name)
    if name == "mnist_mlp":
        project.setup["dataset_path"] = str(_mnist_like(tmp_path / "mnist.npz"))
    accuracy = {}
    for form in ("minimal", "script"):
        script = tmp_path / f"{form}.py"
        script.write_text(generate(project, framework, str(EXAMPLES), form=form).source, "utf-8")
        args = [] if form == "minimal" else ["--out", str(tmp_path / "out"), "--device", "cpu"]
        proc = subprocess.run(
            [sys.executable, str(script), *args], capture_output=True, text=True, env=env, cwd=tmp_path
        )
        assert proc.returncode == 0, proc.stderr[-2000:]
        accuracy[form] = float(re.findall(r"test[_ ]accuracy (\d\.\d+)", proc.stdout)[-1])
    assert accuracy["minimal"] >= (0.94 if name == "digits_mlp" else 0.85)  # README bound; MNIST-like: 1,260 samples
    assert abs(accuracy["minimal"] - accuracy["script"]) <= 0.01, accuracy


def test_the_short_mnist_mlp_is_short():
    """The seed's MNIST MLP in about a hundred lines per framework (the full script: four times that)."""
    for framework in ("pytorch", "tensorflow"):
        short = generate(example("mnist_mlp"), framework, form="minimal").source
        full = generate(example("mnist_mlp"), framework).source
        assert len(short.splitlines()) <= 140, framework
        assert len(full.splitlines()) >= 3 * len(short.splitlines()), framework
        assert "DataError" not in short and "read_data" not in short
