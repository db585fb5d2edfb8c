"""Arrays mapped in the training setup reach the scripts: a two-head model trains on renamed .npz arrays."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest
from codegen_helpers import ROOT, example

from codegen import generate

pytestmark = pytest.mark.frameworks


@pytest.mark.parametrize("framework", ["pytorch", "tensorflow"])
def test_a_multi_task_model_trains_on_mapped_arrays(framework, tmp_path):
    with np.load(ROOT / "resources" / "data" / "digits_views.npz") as d:
        np.savez(tmp_path / "views.npz", pixels=d["image"][:300], label=d["digit"][:300], mean_ink=d["ink"][:300])
    project = example("multi_task_digits")
    project.setup.update(dataset_path=str(tmp_path / "views.npz"), arrays="image=pixels, digit=label, ink=mean_ink")
    info, problem = project.dataset_info()
    assert problem is None
    code = generate(project, framework)
    assert not code.problems, code.problems
    assert '"image": "pixels"' in code.source and '"ink": "mean_ink"' in code.source
    script = tmp_path / "train.py"
    script.write_text(code.source, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TF_CPP_MIN_LOG_LEVEL": "3", "OMP_NUM_THREADS": "1"}
    cmd = [sys.executable, str(script), "--out", str(tmp_path / "out"), "--epochs", "2", "--progress", "jsonl"]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    events = [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]
    end = events[-1]
    assert end["event"] == "end" and np.isfinite(end["test_loss"]) and end["test_accuracy"] is not None
    epochs = [e for e in events if e["event"] == "epoch"]
    assert len(epochs) == 2 and epochs[1]["loss"] < epochs[0]["loss"]
