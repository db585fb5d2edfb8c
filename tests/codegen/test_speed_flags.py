"""GPU-ready flags of the generated scripts, checked on CPU: mixed precision, torch.compile, channels-last
memory and XLA are accepted, change what they should, and training still gives finite, sensible results."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from codegen_helpers import EXAMPLES, ROOT, example

from codegen import generate

pytestmark = pytest.mark.frameworks


def _train(tmp_path, name: str, framework: str, flags: list[str], epochs: int = 1) -> dict:
    """The end event of one run of the example's script with ``flags``."""
    project = example(name)
    project.setup.update(epochs=epochs)
    script = tmp_path / f"{name}_{framework}.py"
    script.write_text(generate(project, framework, str(EXAMPLES)).source)
    out = tmp_path / ("out" + "".join(flags).replace("-", "_"))
    env = {**os.environ, "PYTHONPATH": str(ROOT), "OMP_NUM_THREADS": "1"}
    cmd = [sys.executable, str(script), "--progress", "jsonl", "--device", "cpu", "--out", str(out), *flags]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    end = json.loads(proc.stdout.strip().splitlines()[-1])
    assert end["event"] == "end", end
    return end


def test_pytorch_mixed_precision_and_channels_last_train_a_cnn(tmp_path):
    full = _train(tmp_path, "small_cnn", "pytorch", [])
    half = _train(tmp_path, "small_cnn", "pytorch", ["--precision", "bf16", "--channels-last"])
    scaled = _train(tmp_path, "small_cnn", "pytorch", ["--precision", "fp16"])  # with a GradScaler
    for end in (half, scaled):
        assert end["test_accuracy"] > 0.6
        # Half precision rounds differently (so autocast ran) but trains the same model.
        assert end["test_loss"] != full["test_loss"]
        assert end["test_loss"] == pytest.approx(full["test_loss"], rel=0.1)


@pytest.mark.slow
def test_pytorch_compile_trains(tmp_path):
    """torch.compile on CPU (inductor compiles C++; a GPU build uses Triton): finite and as good as eager."""
    eager = _train(tmp_path, "binary_moons", "pytorch", [], epochs=2)
    compiled = _train(tmp_path, "binary_moons", "pytorch", ["--compile"], epochs=2)
    assert compiled["test_loss"] == pytest.approx(eager["test_loss"], rel=0.05)


def test_keras_mixed_precision_and_xla_train(tmp_path):
    keras = pytest.importorskip("keras")
    end = _train(tmp_path, "binary_moons", "tensorflow", ["--precision", "fp16", "--xla", "on"], epochs=2)
    assert end["test_accuracy"] > 0.75
    model = keras.models.load_model(end["weights"], compile=False)
    assert {layer.dtype_policy.name for layer in model.layers[1:]} == {"mixed_float16"}
    assert model.layers[1].weights[0].dtype == "float32"  # the weights stay fp32
