"""Training with several processes from the app: the Processes box, torchrun and Keras workers.

A fake worker (below) plays each process: worker 0 (RANK 0 under torchrun, task 0 of TF_CONFIG) speaks
the --progress protocol, every worker honours RUN/stop. No framework is imported by the workers;
torchrun itself (the PyTorch launcher) imports torch."""

from __future__ import annotations

import json
import os
import signal
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["LAYERLAB_DEVICES"] = "auto,cpu"  # no device probe in these tests

import pytest
from PySide6.QtCore import QSettings, Qt

from app.document import Document
from app.training.panel import TrainingDock
from app.training.processes import descendants
from app.training.runner import Trainer
from graph.examples import EXAMPLES

pytestmark = pytest.mark.gui

FAKE = r"""
import argparse, json, os, signal, sys, time
from pathlib import Path

MODE = __MODE__
p = argparse.ArgumentParser()
for flag in ("--out", "--device", "--progress", "--epochs", "--strategy"):
    p.add_argument(flag)
args = p.parse_args()
config = json.loads(os.environ.get("TF_CONFIG") or "{}")
index = int(os.environ.get("RANK") or config.get("task", {}).get("index", 0))
world = int(os.environ.get("WORLD_SIZE") or len(config.get("cluster", {}).get("worker", [])) or 1)
out = Path(args.out)
(out / f"seen{index}.json").write_text(json.dumps({"pid": os.getpid(), "world": world, "argv": sys.argv[1:],
                                                  "omp": os.environ.get("OMP_NUM_THREADS")}))
if MODE == "hang":
    signal.signal(signal.SIGTERM, signal.SIG_IGN)


def emit(event, **fields):
    if index == 0:
        print(json.dumps({"event": event, **fields}), flush=True)


emit("start", framework="pytorch", device=args.device, epochs=1, batch_size=4, train_samples=800,
     steps_per_epoch=200, params=1)
for step in range(1, 21 if MODE == "quick" else 201):
    time.sleep(0.02)
    emit("batch", step=step, loss=1.0 / step, samples_per_s=100.0)
    if MODE == "crash" and index == 1 and step == 3:
        raise RuntimeError("worker one fell over")
    if MODE != "hang" and (out / "stop").exists():
        break
while MODE == "hang":  # trains on until killed
    time.sleep(0.05)
emit("end", test_loss=0.5, test_accuracy=0.75, stopped=(out / "stop").exists())
"""


@pytest.fixture
def doc(tmp_path):
    QSettings().remove("training/processes")
    d = Document(EXAMPLES["digits_mlp"]())
    d.save(str(tmp_path / "digits.json"))
    yield d
    QSettings().remove("training/processes")  # later tests start with one process


def make_dock(qtbot, doc, framework: str, mode: str = "ok", **timeouts) -> TrainingDock:
    source = FAKE.replace("__MODE__", repr(mode))
    trainer = Trainer(generator=lambda *_: (source, []), stop_timeout=timeouts.get("stop", 5.0), kill_timeout=0.5)
    dock = TrainingDock(doc, trainer=trainer)
    qtbot.addWidget(dock, before_close_func=lambda d: d.shutdown())
    dock.framework.setCurrentIndex(dock.framework.findData(framework))
    return dock


def wait_done(qtbot, trainer, timeout=20_000):
    qtbot.waitUntil(lambda: trainer.current is not None and not trainer.current.active, timeout=timeout)
    return trainer.current


def wait_seen(qtbot, run, n, timeout=20_000):
    """Until all ``n`` workers have started (each writes RUN/seen<i>.json); their pids."""
    paths = [run.folder / f"seen{i}.json" for i in range(n)]
    qtbot.waitUntil(
        lambda: all(p.exists() and p.stat().st_size for p in paths) and run.record.batches.n > 0, timeout=timeout
    )
    return [json.loads(p.read_text())["pid"] for p in paths]


def alive(pid: int) -> bool:
    try:
        return "zombie" not in Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False


def test_the_processes_box_is_remembered_and_one_process_runs_the_script_as_before(qtbot, doc):
    dock = make_dock(qtbot, doc, "pytorch", mode="quick")
    assert dock.processes.value() == 1 and dock.processes.maximum() == (os.cpu_count() or 1)
    run = dock.train()
    assert run.process.program() == sys.executable and run.process.arguments()[0] == str(run.folder / "train.py")
    assert len(run.workers) == 1 and wait_done(qtbot, dock.trainer).record.outcome == "finished"
    dock.processes.setValue(2)
    assert int(QSettings().value("training/processes")) == 2
    assert make_dock(qtbot, doc, "pytorch").processes.value() == 2


def test_keras_workers_each_get_their_tf_config_and_worker_0_alone_reports(qtbot, doc):
    dock = make_dock(qtbot, doc, "tensorflow", mode="quick")
    dock.processes.setValue(2)
    run = dock.train()
    assert len(run.workers) == 2
    configs = [json.loads(w.process.processEnvironment().value("TF_CONFIG")) for w in run.workers]
    assert [c["task"]["index"] for c in configs] == [0, 1] and configs[0]["cluster"] == configs[1]["cluster"]
    assert all(w.process.arguments()[-2:] == ["--strategy", "multiworker"] for w in run.workers)
    done = wait_done(qtbot, dock.trainer)
    assert done.record.outcome == "finished", done.record.message
    assert done.record.batches.n == 20 and done.record.metrics["test_accuracy"] == 0.75  # worker 0's events only
    seen = [json.loads((run.folder / f"seen{i}.json").read_text()) for i in range(2)]
    assert [s["world"] for s in seen] == [2, 2]
    assert json.loads((run.folder / "run.json").read_text())["processes"] == 2


def test_a_failing_keras_worker_ends_the_run_naming_it_and_the_others_are_ended(qtbot, doc):
    dock = make_dock(qtbot, doc, "tensorflow", mode="crash")
    dock.processes.setValue(2)
    run = dock.train()
    pids = wait_seen(qtbot, run, 2)
    wait_done(qtbot, dock.trainer)
    assert run.record.outcome == "failed"
    assert run.record.message.startswith("worker 1 of 2 failed:") and "worker one fell over" in run.record.message
    assert "[worker 1] RuntimeError: worker one fell over" in dock.log.toPlainText()
    assert not any(alive(p) for p in pids)  # worker 0 would have trained on alone: it was ended


@pytest.mark.frameworks
def test_torchrun_runs_the_processes_and_stop_ends_every_one(qtbot, doc):
    pytest.importorskip("torch")  # torchrun
    dock = make_dock(qtbot, doc, "pytorch")
    dock.processes.setValue(2)
    run = dock.train()
    args = run.process.arguments()
    assert args[:5] == ["-m", "torch.distributed.run", "--standalone", "--nproc-per-node", "2"]
    assert args[5] == str(run.folder / "train.py") and len(run.workers) == 1
    pids = wait_seen(qtbot, run, 2)
    qtbot.mouseClick(dock.stop_button, Qt.MouseButton.LeftButton)
    wait_done(qtbot, dock.trainer)
    assert run.record.outcome == "stopped" and run.record.metrics.get("stopped") is True, run.record.message
    assert not any(alive(p) for p in pids)
    seen = json.loads((run.folder / "seen1.json").read_text())
    assert seen["world"] == 2 and seen["omp"] == str(max(1, ((os.cpu_count() or 2) - 1) // 2))


@pytest.mark.frameworks
def test_a_rank_that_fails_under_torchrun_is_named(qtbot, doc):
    pytest.importorskip("torch")  # torchrun
    dock = make_dock(qtbot, doc, "pytorch", mode="crash")
    dock.processes.setValue(2)
    run = dock.train()
    wait_done(qtbot, dock.trainer)
    assert run.record.outcome == "failed"
    assert run.record.message.startswith("worker 1 of 2 failed:") and "worker one fell over" in run.record.message


@pytest.mark.frameworks
def test_workers_of_a_killed_torchrun_are_ended_too(qtbot, doc):
    """torchrun starts each worker in a session of its own: killing torchrun alone would leave them
    training. Here they ignore SIGTERM and RUN/stop, and torchrun is SIGKILLed from outside."""
    pytest.importorskip("torch")  # torchrun
    dock = make_dock(qtbot, doc, "pytorch", mode="hang")
    dock.processes.setValue(2)
    run = dock.train()
    pids = wait_seen(qtbot, run, 2)
    qtbot.waitUntil(lambda: set(pids) <= set(run.workers[0].tree), timeout=5000)  # noted every second
    assert set(pids) <= set(descendants(run.process.processId()))
    os.kill(run.process.processId(), signal.SIGKILL)
    wait_done(qtbot, dock.trainer)
    deadline = time.monotonic() + 2
    while any(alive(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert run.record.outcome == "failed" and not any(alive(p) for p in pids)


@pytest.mark.frameworks
def test_stop_of_workers_that_ignore_it_ends_torchrun_and_every_worker(qtbot, doc):
    pytest.importorskip("torch")  # torchrun
    dock = make_dock(qtbot, doc, "pytorch", mode="hang", stop=0.3)
    dock.processes.setValue(2)
    run = dock.train()
    pids = wait_seen(qtbot, run, 2)
    dock.trainer.stop()  # RUN/stop and SIGTERM are ignored: SIGKILL for torchrun and its workers
    wait_done(qtbot, dock.trainer)
    assert run.record.outcome == "stopped" and "killed" in run.record.message
    assert not any(alive(p) for p in pids)


def test_stop_ends_every_keras_worker(qtbot, doc):
    dock = make_dock(qtbot, doc, "tensorflow")
    dock.processes.setValue(2)
    run = dock.train()
    pids = wait_seen(qtbot, run, 2)
    qtbot.mouseClick(dock.stop_button, Qt.MouseButton.LeftButton)
    wait_done(qtbot, dock.trainer)
    assert run.record.outcome == "stopped" and run.record.metrics.get("stopped") is True
    assert not any(alive(p) for p in pids) and all(w.process is None for w in run.workers)


@pytest.mark.frameworks
def test_the_digits_example_trains_with_two_torchrun_processes_in_the_app(qtbot, doc):
    pytest.importorskip("torch")
    doc.set_setup("epochs", 1)
    trainer = Trainer(doc)
    try:
        run = trainer.start(doc.project, "pytorch", "cpu", project_path=doc.path, processes=2)
        qtbot.waitUntil(lambda: not run.active, timeout=60_000)
    finally:
        trainer.shutdown()
    rec = run.record
    assert rec.outcome == "finished", rec.message + "\n" + run.tail.text()
    assert rec.epochs.n == 1 and rec.batches.n >= 2 and rec.metrics["test_accuracy"] > 0.5
    assert (run.folder / "model.pt").exists()


@pytest.mark.parametrize("processes", [1, 2])
def test_an_interpreter_that_cannot_start_fails_the_run_once(qtbot, doc, processes):
    trainer = Trainer(doc, generator=lambda *_: (FAKE.replace("__MODE__", "'quick'"), []), python="/no/such/python")
    ended = []
    trainer.run_finished.connect(lambda *args: ended.append(args))
    run = trainer.start(doc.project, "tensorflow", project_path=doc.path, processes=processes)
    qtbot.waitUntil(lambda: not run.active, timeout=5000)
    qtbot.wait(50)
    assert run.record.outcome == "failed" and "could not start the training process" in run.record.message
    assert len(ended) == 1 and run.running() == []
