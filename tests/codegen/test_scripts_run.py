"""The generated scripts run end to end as child processes (slowest tests: TensorFlow starts in ~3 s)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest
from codegen_helpers import EXAMPLES, ROOT, example

from codegen import generate

pytestmark = pytest.mark.frameworks


def _run(project, framework, tmp_path, *args, env=None, project_dir=EXAMPLES):
    script = tmp_path / f"train_{framework}.py"
    script.write_text(generate(project, framework, str(project_dir)).source)
    out = tmp_path / f"out_{framework}"
    full_env = {**os.environ, "PYTHONPATH": str(ROOT), "TF_CPP_MIN_LOG_LEVEL": "3", **(env or {})}
    cmd = [sys.executable, str(script), "--out", str(out), "--progress", "jsonl", "--device", "cpu", *args]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=full_env, timeout=240)
    events = [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]
    return proc, events, out


@pytest.mark.parametrize("framework", ["pytorch", "tensorflow"])
def test_digits_mlp_reaches_95_percent_in_5_epochs(framework, tmp_path):
    proc, events, out = _run(example("digits_mlp"), framework, tmp_path, "--epochs", "5")
    assert proc.returncode == 0, proc.stderr[-3000:]
    kinds = [e["event"] for e in events]
    assert kinds[0] == "start" and kinds[-1] == "end" and kinds.count("epoch") == 5
    assert "batch" in kinds
    end = events[-1]
    assert end["test_accuracy"] >= 0.95, end
    assert os.path.exists(end["weights"])
    assert end["classes"] == [str(d) for d in range(10)]
    confusion = np.array(end["confusion"])
    assert confusion.shape == (10, 10)
    assert np.trace(confusion) / confusion.sum() == pytest.approx(end["test_accuracy"], abs=1e-6)
    wrong = end["misclassified"]
    assert len(wrong) == min(48, confusion.sum() - np.trace(confusion))
    assert all(s["label"] != s["predicted"] and "x" not in s for s in wrong)  # the app rebuilds digits


@pytest.mark.parametrize("framework", ["pytorch", "tensorflow"])
def test_mnist_mlp_from_keras_cache(framework, tmp_path):
    home = tmp_path / "home"
    cache = home / ".keras" / "datasets"
    cache.mkdir(parents=True)
    rng = np.random.default_rng(0)
    arrays = {
        "x_train": rng.integers(0, 256, (256, 28, 28), dtype=np.uint8),
        "y_train": rng.integers(0, 10, 256).astype(np.uint8),
        "x_test": rng.integers(0, 256, (64, 28, 28), dtype=np.uint8),
        "y_test": rng.integers(0, 10, 64).astype(np.uint8),
    }
    np.savez(cache / "mnist.npz", **arrays)
    proc, events, _ = _run(example("mnist_mlp"), framework, tmp_path, "--epochs", "1", env={"HOME": str(home)})
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert events[0]["params"] == 101_770
    assert events[-1]["event"] == "end"


@pytest.mark.parametrize("framework", ["pytorch", "tensorflow"])
def test_char_lstm_trains_and_generates(framework, tmp_path):
    args = ("--epochs", "1", "--generate", "40", "--prompt", "Twinkle")
    proc, events, _ = _run(example("char_lstm"), framework, tmp_path, *args)
    assert proc.returncode == 0, proc.stderr[-3000:]
    text = [e for e in events if e["event"] == "text"]
    assert text and text[0]["text"].startswith("Twinkle") and len(text[0]["text"]) == len("Twinkle") + 40
    assert text[0]["prompt"] == "Twinkle" and text[0]["temperature"] == 1.0
    end = next(e for e in events if e["event"] == "end")
    assert "confusion" not in end  # per-character targets: no confusion matrix


def test_stop_file_stops_gracefully(tmp_path):
    out = tmp_path / "out_pytorch"
    out.mkdir()
    (out / "stop").write_text("")
    proc, events, _ = _run(example("digits_mlp"), "pytorch", tmp_path, "--epochs", "5")
    assert proc.returncode == 0, proc.stderr[-3000:]
    # Stopped after the first batch: the partial epoch does not count, so a resume starts it again.
    assert [e["event"] for e in events].count("epoch") == 0
    assert events[-1]["event"] == "end" and events[-1]["stopped"] is True
    assert (out / "model.pt").exists() and (out / "checkpoint.pt").exists()
    assert json.loads((out / "checkpoint.json").read_text()) == {"epoch": 0, "step": 1}


DRIVER = """
import contextlib, importlib.util, io, json, sys
results = {}
for name, path, out in json.loads(sys.argv[1]):
    spec = importlib.util.spec_from_file_location(f"script_{name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        code = module.main(["--epochs", "1", "--out", out, "--progress", "jsonl", "--device", "cpu"])
    events = [json.loads(l) for l in buffer.getvalue().splitlines() if l.startswith("{")]
    results[name] = {"code": code, "kinds": [e["event"] for e in events], "end": events[-1] if events else None}
print(json.dumps(results))
"""


@pytest.mark.parametrize("framework", ["pytorch", "tensorflow"])
def test_every_other_example_runs_one_epoch(framework, tmp_path):
    """The examples not run above train for one epoch on bundled data (one process per framework)."""
    jobs = []
    for name in ("small_cnn", "residual_block", "two_branch", "spiral"):
        path = tmp_path / f"{name}_{framework}.py"
        path.write_text(generate(example(name), framework, str(EXAMPLES)).source)
        jobs.append((name, str(path), str(tmp_path / f"out_{name}")))
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TF_CPP_MIN_LOG_LEVEL": "3"}
    proc = subprocess.run(
        [sys.executable, "-c", DRIVER, json.dumps(jobs)], capture_output=True, text=True, env=env, timeout=400
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    results = json.loads(proc.stdout.strip().splitlines()[-1])
    for name, result in results.items():
        assert result["code"] == 0, (name, result)
        assert result["kinds"].count("epoch") == 1 and result["kinds"][-1] == "end", name
        assert 0.0 <= result["end"]["test_accuracy"] <= 1.0 and os.path.exists(result["end"]["weights"]), name
