"""The generated PyTorch script runs unchanged under torchrun (DistributedDataParallel, gloo on CPU): two
processes with half the batch each reach the same weights as one process with the whole batch."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from codegen_helpers import EXAMPLES, ROOT, example

from codegen import generate
from codegen.launch import free_ports, tf_config

pytestmark = pytest.mark.frameworks
torch = pytest.importorskip("torch")


def test_two_processes_with_half_batches_train_like_one_with_the_whole_batch(tmp_path):
    project = example("digits_mlp")
    project.setup.update(epochs=1, optimizer="sgd", learning_rate=0.1, momentum=0.0)
    script = tmp_path / "train.py"
    script.write_text(generate(project, "pytorch", str(EXAMPLES)).source)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "OMP_NUM_THREADS": "1"}
    args = [str(script), "--progress", "jsonl", "--device", "cpu", "--batch-size", "64"]
    one = subprocess.run(
        [sys.executable, *args, "--out", str(tmp_path / "one")], capture_output=True, text=True, env=env
    )
    assert one.returncode == 0, one.stderr[-2000:]
    torchrun = Path(sys.executable).with_name("torchrun")
    cmd = [str(torchrun), "--nproc-per-node", "2", "--master-addr", "127.0.0.1", "--master-port", str(free_ports(1)[0])]
    two = subprocess.run(
        [*cmd, *args, "--out", str(tmp_path / "two")], capture_output=True, text=True, env=env, timeout=300
    )
    assert two.returncode == 0, two.stderr[-3000:]
    events = [json.loads(x) for x in two.stdout.splitlines() if x.startswith("{")]
    assert [e["event"] for e in events].count("end") == 1  # only the first process reports
    steps = [e for e in events if e["event"] == "batch"][-1]["step"]
    assert steps >= 20  # 20 full batches of 64 and the last, shorter one
    a = torch.load(tmp_path / "one" / "model.pt", weights_only=True)
    b = torch.load(tmp_path / "two" / "model.pt", weights_only=True)
    assert a.keys() == b.keys() and max(float((a[k] - b[k]).abs().max()) for k in a) <= 1e-5
    end_one = json.loads(one.stdout.strip().splitlines()[-1])
    assert events[-1]["test_loss"] == pytest.approx(end_one["test_loss"], rel=1e-5)


def test_every_process_stops_at_the_same_step_when_asked(tmp_path):
    """DIR/stop under torchrun: the processes agree at the next 20-step mark, the first one saves a
    checkpoint of that step, and all exit cleanly (none waits for a peer that has stopped)."""
    project = example("digits_mlp")
    project.setup.update(epochs=3, optimizer="sgd", learning_rate=0.1, momentum=0.0)
    script = tmp_path / "train.py"
    script.write_text(generate(project, "pytorch", str(EXAMPLES)).source)
    out = tmp_path / "two"
    out.mkdir()
    (out / "stop").touch()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "OMP_NUM_THREADS": "1"}
    torchrun = Path(sys.executable).with_name("torchrun")
    cmd = [str(torchrun), "--nproc-per-node", "2", "--master-addr", "127.0.0.1", "--master-port", str(free_ports(1)[0])]
    cmd += [str(script), "--progress", "jsonl", "--device", "cpu", "--batch-size", "64", "--out", str(out)]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    end = [json.loads(x) for x in proc.stdout.splitlines() if x.startswith("{")][-1]
    assert end["event"] == "end" and end["stopped"] is True
    assert json.loads((out / "checkpoint.json").read_text()) == {"epoch": 0, "step": 20}


# --- Keras: tf.distribute.MultiWorkerMirroredStrategy with TF_CONFIG ------------------------------------


def _moons(shuffle: bool, epochs: int):
    """Moons with 640 training samples: 20 SGD steps of 32 an epoch, every batch split evenly."""
    project = example("binary_moons")
    project.setup.update(
        epochs=epochs, optimizer="sgd", learning_rate=0.1, momentum=0.0, samples=800,
        validation_split=0.0, test_split=0.2, shuffle=shuffle,
    )  # fmt: skip
    return project


def _keras_workers(script: Path, outs: list[Path], extra: list[str]) -> list[subprocess.CompletedProcess]:
    """Local workers of one MultiWorkerMirroredStrategy cluster (TF_CONFIG on localhost), one per --out."""
    n = len(outs)
    hosts = [f"127.0.0.1:{port}" for port in free_ports(n)]
    procs = []
    for i in range(n):
        env = {**os.environ, "PYTHONPATH": str(ROOT), "OMP_NUM_THREADS": "1", "TF_CONFIG": tf_config(hosts, i)}
        cmd = [sys.executable, str(script), "--progress", "jsonl", "--device", "cpu", "--out", str(outs[i]), *extra]
        procs.append(subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env))
    done = []
    for p in procs:
        stdout, stderr = p.communicate(timeout=300)
        done.append(subprocess.CompletedProcess(p.args, p.returncode, stdout, stderr))
    return done


def _events(text: str) -> list[dict]:
    return [json.loads(x) for x in text.splitlines() if x.startswith("{")]


def test_two_keras_workers_with_half_batches_train_like_model_fit_with_the_whole_batch(tmp_path):
    """20 SGD steps: model.fit in one process (batch 32) and two MultiWorkerMirroredStrategy workers
    (16 each) reach the same weights and the same test loss; only the chief reports."""
    keras = pytest.importorskip("keras")
    script = tmp_path / "train.py"
    script.write_text(generate(_moons(shuffle=False, epochs=1), "tensorflow", str(EXAMPLES)).source)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "OMP_NUM_THREADS": "1"}
    env.pop("TF_CONFIG", None)
    one = subprocess.run(
        [sys.executable, str(script), "--progress", "jsonl", "--device", "cpu", "--out", str(tmp_path / "one")],
        capture_output=True, text=True, env=env, timeout=300,
    )  # fmt: skip
    assert one.returncode == 0, one.stderr[-2000:]
    chief, other = _keras_workers(script, [tmp_path / "two"] * 2, [])
    assert chief.returncode == 0 and other.returncode == 0, chief.stderr[-2000:] + other.stderr[-2000:]
    assert _events(other.stdout) == []  # the second worker is quiet and writes into DIR/worker_1
    events = _events(chief.stdout)
    assert [e["step"] for e in events if e["event"] == "batch"][-1] == 20
    a = keras.models.load_model(tmp_path / "one" / "model.keras").get_weights()
    b = keras.models.load_model(tmp_path / "two" / "model.keras").get_weights()
    assert (tmp_path / "two" / "worker_1" / "model.keras").exists()
    assert len(a) == len(b) and max(float(abs(u - v).max()) for u, v in zip(a, b, strict=True)) <= 1e-5
    assert events[-1]["test_loss"] == pytest.approx(_events(one.stdout)[-1]["test_loss"], rel=1e-5)


def test_every_keras_worker_stops_at_the_same_step_when_one_is_asked(tmp_path):
    """Only the chief sees DIR/stop (the other worker has another folder): they agree at the 20-step mark,
    both save that step and exit cleanly, none left waiting for a peer."""
    script = tmp_path / "train.py"
    script.write_text(generate(_moons(shuffle=True, epochs=3), "tensorflow", str(EXAMPLES)).source)
    asked, other_dir = tmp_path / "asked", tmp_path / "other"
    asked.mkdir()
    (asked / "stop").touch()
    chief, other = _keras_workers(script, [asked, other_dir], [])
    assert chief.returncode == 0 and other.returncode == 0, chief.stderr[-2000:] + other.stderr[-2000:]
    end = _events(chief.stdout)[-1]
    assert end["event"] == "end" and end["stopped"] is True
    assert json.loads((asked / "checkpoint.json").read_text()) == {"epoch": 0, "step": 20}
    assert json.loads((other_dir / "worker_1" / "checkpoint.json").read_text()) == {"epoch": 0, "step": 20}
