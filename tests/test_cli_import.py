"""`layerlab import`: a PyTorch module, a Keras file and an ONNX file become projects with their weights,
training starts from them in both frameworks, and a model with unsupported ops is refused with the whole
list and exit 1, writing nothing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.cli import main

ROOT = Path(__file__).resolve().parents[1]
MODELS = ROOT / "tests" / "codegen" / "import_models" / "reference_models.py"

pytestmark = pytest.mark.frameworks

DIGITS_NET = '''
import torch
from torch import nn


class DigitsNet(nn.Module):
    """A user's own small network for the 8x8 digits."""

    def __init__(self, hidden=32):
        super().__init__()
        self.body = nn.Sequential(nn.Flatten(), nn.Linear(64, hidden), nn.ReLU())
        self.classifier = nn.Linear(hidden, 10)

    def forward(self, digits):
        return self.classifier(self.body(digits))
'''


def test_a_pytorch_module_imports_and_fine_tunes_in_both_frameworks(tmp_path, capsys):
    user = tmp_path / "digits_net.py"
    user.write_text(DIGITS_NET, encoding="utf-8")
    out = tmp_path / "digits_net.json"
    code = main(
        ["import", str(user), "--class", "DigitsNet", "--args", "[24]", "--input", "digits:1x8x8", "-o", str(out)]
    )
    text = capsys.readouterr().out
    assert code == 0, text
    assert "outputs match the source model's" in text and "weights: 4 tensors" in text
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["training"]["dataset"] == "digits"  # the bundled data fit the imported model as it is
    assert doc["training"]["initial_weights"] == "digits_net.weights.npz"
    assert [n["type"] for n in doc["nodes"]] == [
        "input.image", "flatten", "dense", "relu", "dense", "output.classification"
    ]  # fmt: skip
    assert main(["check", str(out)]) == 0
    capsys.readouterr()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "OMP_NUM_THREADS": "1", "TF_CPP_MIN_LOG_LEVEL": "3"}
    for framework in ("pytorch", "tensorflow"):
        proc = subprocess.run(
            [sys.executable, "-m", "app.cli", "train", str(out), "-f", framework, "--epochs", "1",
             "--out", str(tmp_path / framework)],
            capture_output=True, text=True, env=env, timeout=600,
        )  # fmt: skip
        assert proc.returncode == 0, proc.stderr[-2000:]
        assert "initial weights:" in proc.stderr and "keep their initial values" not in proc.stderr, proc.stderr


def test_unsupported_ops_are_all_listed_and_nothing_is_written(tmp_path, capsys):
    out = tmp_path / "roll.json"
    code = main(["import", str(MODELS), "--class", "UsesRoll", "--input", "signal:2x12", "-o", str(out)])
    err = capsys.readouterr().err
    assert code == 1
    assert "torch.roll" in err and "torch.cumsum" in err and "line" in err, err
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_an_existing_project_is_not_replaced_without_force(tmp_path, capsys):
    out = tmp_path / "keep.json"
    out.write_text("{}", encoding="utf-8")
    assert main(["import", str(MODELS), "--class", "LeNet5", "--input", "image:1x28x28", "-o", str(out)]) == 1
    assert "exists" in capsys.readouterr().err and out.read_text(encoding="utf-8") == "{}"


def test_a_keras_file_and_an_onnx_file_import(tmp_path, capsys):
    from codegen.api import generate
    from codegen.onnx_export import export_onnx
    from graph.examples import EXAMPLES

    project = EXAMPLES["small_cnn"]()
    model_py = tmp_path / "small_cnn_model.py"
    model_py.write_text(generate(project, "tensorflow", form="model").source, encoding="utf-8")
    keras_file = tmp_path / "small_cnn.keras"
    save = f"import runpy; runpy.run_path({str(model_py)!r})['build_model']().save({str(keras_file)!r})"
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
    subprocess.run([sys.executable, "-c", save], check=True, capture_output=True, env=env, timeout=300)
    onnx_file = tmp_path / "small_cnn.onnx"
    assert export_onnx(project, str(onnx_file)).ok
    for source in (keras_file, onnx_file):
        out = tmp_path / f"{source.suffix[1:]}.json"
        assert main(["import", str(source), "--head", "classification", "-o", str(out)]) == 0, capsys.readouterr()
        assert "outputs match" in capsys.readouterr().out
        doc = json.loads(out.read_text(encoding="utf-8"))
        names = sorted(n["name"] for n in doc["nodes"] if n["type"] in ("conv2d", "dense", "batch_norm"))
        assert names == sorted(n.name for n in project.graph.nodes() if n.type in ("conv2d", "dense", "batch_norm"))
        assert (tmp_path / f"{out.stem}.weights.npz").is_file()


def test_a_file_of_unknown_kind_is_refused(tmp_path, capsys):
    other = tmp_path / "model.pt"
    other.write_bytes(b"\x80")
    assert main(["import", str(other), "-o", str(tmp_path / "x.json")]) == 1
    assert "cannot tell the model's kind" in capsys.readouterr().err
