"""Training in the app: runner, history, devices, preview and the dock (pytest-qt, offscreen).

A fake worker script (below) speaks the ``--progress jsonl`` protocol in a few hundred milliseconds,
so these tests need no framework; one end-to-end test trains the digits example with PyTorch."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["LAYERLAB_DEVICES"] = "auto,cpu"  # no device probe (it imports torch) in these tests

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.document import Document
from app.training import devices
from app.training.history import RunHistory, RunRecord, export_csv
from app.training.panel import TrainingDock
from app.training.preview import load_preview
from app.training.protocol import LineBuffer, explain_failure, parse_event
from app.training.runner import Trainer
from graph.examples import DATA_DIR as EXAMPLES_DATA
from graph.examples import EXAMPLES
from graph.fileformat import dumps

pytestmark = pytest.mark.gui
ROOT = Path(__file__).resolve().parents[2]

FAKE_WORKER = r"""
import argparse, json, math, signal, sys, time
from pathlib import Path

CONFIG = __CONFIG__

p = argparse.ArgumentParser()
p.add_argument("--epochs", type=int, default=CONFIG.get("epochs", 2))
p.add_argument("--out", default="out")
p.add_argument("--device", default="auto")
p.add_argument("--progress", default="text")
p.add_argument("--resume")
p.add_argument("--generate", type=int, default=0)
p.add_argument("--temperature", type=float, default=1.0)
p.add_argument("--prompt", default="")
p.add_argument("--generate-only", action="store_true")
p.add_argument("--tensorboard")
args = p.parse_args()
if args.tensorboard:
    print(json.dumps({"event": "tensorboard", "logdir": args.tensorboard}), flush=True)
if args.generate_only:  # like the real script: sample from --resume, no training
    print(json.dumps({"event": "text", "text": args.prompt + "twinkle twinkle"}), flush=True)
    sys.exit(0)
out = Path(args.out)
mode = CONFIG.get("mode", "ok")


def emit(event, **fields):
    print(json.dumps({"event": event, **fields}), flush=True)


if mode == "missing":
    sys.exit("error: dataset file not found: /no/such/data.csv")
if mode == "shape":
    raise RuntimeError("mat1 and mat2 shapes cannot be multiplied (32x64 and 10x128)")
if mode == "oom":
    print("torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB", file=sys.stderr)
    sys.exit(1)
if mode == "hang":
    signal.signal(signal.SIGTERM, signal.SIG_IGN)

print("fake worker: loading data")  # a plain log line among the events
epoch0, step = 0, 0
if args.resume:
    state = json.loads(Path(args.resume).with_suffix(".json").read_text())
    epoch0, step = state["epoch"], state["step"]
S = CONFIG.get("steps", 5)
emit("start", framework="pytorch", device=args.device, epochs=args.epochs, batch_size=4,
     train_samples=4 * S, steps_per_epoch=S, params=42)
# A line split across two writes: the app must wait for its end.
sys.stdout.write('{"event": "batch", "step": ' + str(step) + ', ')
sys.stdout.flush()
time.sleep(0.02)
sys.stdout.write('"loss": 2.5, "samples_per_s": 100.0}\n')
sys.stdout.flush()
stopped = False
for epoch in range(epoch0, args.epochs):
    for _ in range(S):
        step += 1
        time.sleep(CONFIG.get("sleep", 0.005))
        loss = 2.0 / step
        if mode == "nan" and step >= CONFIG.get("nan_step", 3):
            emit("error", message=f"training stopped: the loss became nan at step {step}")
            sys.exit(1)
        emit("batch", step=step, loss=loss, samples_per_s=1000.0 + step)
        if mode == "hang" and step >= 2:
            while True:
                time.sleep(0.05)
        if (out / "pause").exists():
            emit("paused")
            while (out / "pause").exists() and not (out / "stop").exists():
                time.sleep(0.01)
            emit("resumed")
        if (out / "stop").exists():
            stopped = True
            break
    (out / "checkpoint.pt").write_text("weights")
    (out / "checkpoint.json").write_text(json.dumps({"epoch": epoch + 1, "step": step}))
    emit("epoch", epoch=epoch + 1, loss=1.0 / (epoch + 1), accuracy=0.5 + 0.1 * epoch,
         val_loss=1.2 / (epoch + 1), val_accuracy=0.45 + 0.1 * epoch, seconds=0.1)
    if CONFIG.get("boundary"):
        emit("boundary", epoch=epoch + 1, x_range=[-1, 1], y_range=[-1, 1], shape=[4, 5], classes=2,
             values=[float((i + epoch) % 2) for i in range(20)])
    if stopped:
        break
(out / "model.pt").write_text("weights")
emit("end", test_loss=0.3, test_accuracy=0.9, weights=str(out / "model.pt"), stopped=stopped,
     confusion=[[5, 1], [0, 4]], misclassified=[{"index": 0, "label": 1, "predicted": 0}])
if args.generate:
    emit("text", text=args.prompt + "twinkle twinkle")
"""


def fake_source(**config) -> str:
    return FAKE_WORKER.replace("__CONFIG__", repr(config))


def fake_generator(**config):
    """A Trainer generator producing the fake worker (ignores the project)."""
    return lambda project, framework, project_dir: (fake_source(**config), [])


# ----------------------------------------------------------------------------- fixtures
@pytest.fixture
def doc(tmp_path):
    """The digits example, saved in tmp_path (so runs go to tmp_path/digits.runs)."""
    d = Document(EXAMPLES["digits_mlp"]())
    d.save(str(tmp_path / "digits.json"))
    return d


def make_dock(qtbot, doc, **config):
    stop_timeout = config.pop("stop_timeout", 5.0)
    trainer = Trainer(generator=fake_generator(**config), stop_timeout=stop_timeout, kill_timeout=0.5)
    dock = TrainingDock(doc, trainer=trainer)
    qtbot.addWidget(dock, before_close_func=lambda d: d.shutdown())
    return dock


def wait_done(qtbot, trainer, timeout=10_000):
    qtbot.waitUntil(lambda: trainer.current is not None and not trainer.current.active, timeout=timeout)
    return trainer.current


def wait_events(qtbot, trainer, n_batches=1, timeout=10_000):
    qtbot.waitUntil(
        lambda: trainer.current is not None and trainer.current.record.batches.n >= n_batches, timeout=timeout
    )


# ----------------------------------------------------------------------------- protocol (no Qt)
def test_line_buffer_joins_partial_lines_and_keeps_text():
    buf = LineBuffer()
    assert buf.feed(b'{"event": "batch", "st') == []
    assert buf.feed(b'ep": 3}\nhello\n{"ev') == ['{"event": "batch", "step": 3}', "hello"]
    assert buf.flush() == ['{"ev']
    assert parse_event('{"event": "batch", "step": 3}') == {"event": "batch", "step": 3}
    for line in ("hello", "{not json", "[1, 2]", '{"no_event": 1}', '{"event": 5}'):
        assert parse_event(line) is None
    assert buf.feed("é\n".encode()[:1]) == [] and buf.feed("é\n".encode()[1:]) == ["é"]


def test_failures_are_explained():
    assert "memory" in explain_failure(1, False, ["RuntimeError: CUDA out of memory. Tried to allocate"])
    assert "shape" in explain_failure(1, False, ["RuntimeError: mat1 and mat2 shapes cannot be multiplied"])
    assert "could not be found" in explain_failure(1, False, ["error: dataset file not found: x.csv"])
    assert "SIGKILL" in explain_failure(9, True, [])
    assert "exit code 3" in explain_failure(3, False, [])


# ----------------------------------------------------------------------------- runs through the dock
def test_run_plots_points_and_finishes_with_metrics(qtbot, doc, tmp_path):
    dock = make_dock(qtbot, doc, epochs=3, steps=6, boundary=True)
    dock.resize(1000, 700)
    dock.show()
    before = dumps(doc.project)
    run = dock.train()
    assert run.folder.parent == tmp_path / "digits.runs"
    wait_done(qtbot, dock.trainer)
    rec = run.record
    assert rec.outcome == "finished", rec.message
    assert rec.batches.n == 1 + 3 * 6 and list(rec.epochs.column("epoch")) == [1, 2, 3]
    assert rec.metrics["test_accuracy"] == 0.9 and "test accuracy 90.00%" in rec.message
    qtbot.wait(50)  # a paint: the view range follows the data, clipping to view then shows every point
    x, y = dock.plots.curves["raw"].getData()
    assert len(x) == rec.batches.n and np.isfinite(y).all()
    assert len(dock.plots.curves["raw"].xData) == rec.batches.n
    assert len(dock.plots.curves["val_acc"].getData()[0]) == 3
    assert dock.results.confusion.rowCount() == 2 and dock.results.gallery.count == 1
    assert dock.boundary.shown_epoch == 3 and dock.boundary.image.image is not None
    assert "fake worker: loading data" in dock.log.toPlainText()
    assert dock.progress.value() == 1000 and dock.train_button.isEnabled()
    saved = RunRecord.load(run.folder)  # the history is on disk too
    assert saved.outcome == "finished" and saved.epochs.n == 3 and saved.batches.n == rec.batches.n
    assert (run.folder / "train.py").exists() and (run.folder / "project.json").read_text() == before
    assert dumps(doc.project) == before


def test_edits_during_a_run_do_not_reach_it(qtbot, doc):
    dock = make_dock(qtbot, doc, epochs=2, steps=10, sleep=0.02)
    snapshot = dumps(doc.project)
    run = dock.train()
    wait_events(qtbot, dock.trainer)
    doc.set_setup("epochs", 99)
    doc.remove_nodes([n.id for n in doc.graph.nodes()][:1])
    wait_done(qtbot, dock.trainer)
    assert run.record.outcome == "finished"
    assert run.record.setup["epochs"] == 5 and (run.folder / "project.json").read_text() == snapshot


def test_stop_ends_the_worker_gracefully(qtbot, doc):
    dock = make_dock(qtbot, doc, epochs=50, steps=20, sleep=0.02)
    run = dock.train()
    wait_events(qtbot, dock.trainer, 3)
    pid = run.process.processId()
    qtbot.mouseClick(dock.stop_button, Qt.MouseButton.LeftButton)
    wait_done(qtbot, dock.trainer)
    assert run.record.outcome == "stopped" and run.record.metrics.get("stopped") is True
    assert run.record.epochs.n == 1  # the script finished the epoch it was in, saved, and ended
    assert not _alive(pid)


def test_stop_escalates_to_kill_when_the_worker_hangs(qtbot, doc):
    dock = make_dock(qtbot, doc, mode="hang", stop_timeout=0.3)
    run = dock.train()
    wait_events(qtbot, dock.trainer, 2)
    pid = run.process.processId()
    dock.trainer.stop()
    wait_done(qtbot, dock.trainer, 5000)
    assert run.record.outcome == "stopped" and "killed" in run.record.message
    assert not _alive(pid)


def test_sigkill_at_random_points_never_hurts_the_gui(qtbot, doc):
    """Fault injection: 20 runs killed at random moments; the editor says so, the project file is untouched."""
    dock = make_dock(qtbot, doc, epochs=20, steps=10, sleep=0.01)
    before = dumps(doc.project)
    file_before = Path(doc.path).read_bytes()
    rng, killed = random.Random(5), 0
    for _ in range(20):
        run = dock.train()
        qtbot.waitUntil(lambda r=run: r.process is not None and r.process.processId() > 0, timeout=5000)
        qtbot.wait(rng.randint(0, 400))
        if run.active:
            os.kill(run.process.processId(), signal.SIGKILL)
            killed += 1
        wait_done(qtbot, dock.trainer)
        if run.record.outcome != "finished":
            assert run.record.outcome == "failed"
            assert "killed (SIGKILL)" in dock.message.text()
            assert "last lines of the worker's output" in dock.log.toPlainText()
        assert dock.train_button.isEnabled() and not dock.stop_button.isEnabled()
        assert dumps(doc.project) == before and not doc.modified
        assert Path(doc.path).read_bytes() == file_before
    QApplication.processEvents()
    assert killed >= 15


def test_nan_loss_is_reported(qtbot, doc):
    dock = make_dock(qtbot, doc, mode="nan", nan_step=4)
    run = dock.train()
    wait_done(qtbot, dock.trainer)
    assert run.record.outcome == "failed"
    assert "NaN" in dock.message.text() and "step 4" in dock.message.text()
    assert run.record.batches.n == 4  # the points before the NaN are kept


@pytest.mark.parametrize(
    ("mode", "words"),
    [("missing", "dataset could not be found"), ("shape", "do not fit the model"), ("oom", "out of memory")],
)
def test_worker_failures_end_with_a_clear_message(qtbot, doc, mode, words):
    dock = make_dock(qtbot, doc, mode=mode)
    run = dock.train()
    wait_done(qtbot, dock.trainer)
    assert run.record.outcome == "failed" and words in run.record.message
    assert run.tail.text()  # the details view has the worker's last lines


def test_pause_and_resume_at_batch_boundaries(qtbot, doc):
    dock = make_dock(qtbot, doc, epochs=2, steps=60, sleep=0.02)  # long enough to be paused on a busy machine
    run = dock.train()
    wait_events(qtbot, dock.trainer, 3)
    dock.pause_button.click()
    qtbot.waitUntil(lambda: run.state == "paused", timeout=5000)
    assert dock.pause_button.text() == "Resume"
    count = run.record.batches.n
    qtbot.wait(300)
    assert run.record.batches.n == count and run.active
    dock.pause_button.click()
    qtbot.waitUntil(lambda: run.state == "running", timeout=5000)
    wait_done(qtbot, dock.trainer)
    assert run.record.outcome == "finished" and run.record.batches.n == 1 + 120


def test_stale_messages_from_an_old_run_are_ignored(qtbot, doc):
    dock = make_dock(qtbot, doc, epochs=50, steps=20, sleep=0.01)
    old = dock.train()
    wait_events(qtbot, dock.trainer, 2)
    got = []
    dock.trainer.event_received.connect(lambda run_id, ev: got.append(run_id))
    new = dock.trainer.start(doc.project, project_path=doc.path)  # replaces (and kills) the old run
    assert old.record.outcome == "stopped" and old.run_id != new.run_id
    n_old = old.record.batches.n
    dock.trainer._take_lines(old, ['{"event": "batch", "step": 999, "loss": 5.0}'], False)  # a late line
    wait_events(qtbot, dock.trainer, 3)
    assert dock.trainer.stale_dropped >= 1 and old.record.batches.n == n_old
    assert set(got) == {new.run_id} and 999 not in new.record.batches.column("step")
    dock.trainer.stop()
    wait_done(qtbot, dock.trainer)


def test_resume_from_checkpoint_continues_the_curve(qtbot, doc):
    dock = make_dock(qtbot, doc, epochs=2, steps=4)
    first = dock.train()
    wait_done(qtbot, dock.trainer)
    dock.more_epochs.setValue(2)
    second = dock.continue_training()
    assert second.record.parent == first.run_id
    wait_done(qtbot, dock.trainer)
    rec = second.record
    assert rec.outcome == "finished", rec.message
    assert list(rec.epochs.column("epoch")) == [1, 2, 3, 4]
    steps = rec.batches.column("step")
    assert steps[0] == 0 and steps[-1] == 16 and (np.diff(steps) >= 0).all()


def test_text_generation_and_overlays_and_exports(qtbot, doc, tmp_path):
    doc.set_setup("dataset", "text")
    dock = make_dock(qtbot, doc, epochs=1, steps=3)
    dock.results.prompt.setText("Mary ")
    first = dock.train()
    wait_done(qtbot, dock.trainer)
    assert dock.results.generated.toPlainText() == "Mary twinkle twinkle"
    dock.results.prompt.setText("Jack ")
    dock.results.generate_button.click()  # samples from the checkpoint: a resume with no more epochs
    wait_done(qtbot, dock.trainer)
    assert dock.results.generated.toPlainText() == "Jack twinkle twinkle"
    item = dock.runs.item(dock.runs.count() - 1)
    item.setCheckState(Qt.CheckState.Checked)
    assert first.run_id in dock.plots.overlays
    dock._export_csv(str(tmp_path / "curves.csv"))
    dock._export_png(str(tmp_path / "plots.png"))
    assert (tmp_path / "plots.png").stat().st_size > 1000
    assert first.run_id in (tmp_path / "curves.csv").read_text()


def test_saved_runs_reload_with_the_project(qtbot, doc):
    dock = make_dock(qtbot, doc, epochs=1, steps=2)
    run = dock.train()
    wait_done(qtbot, dock.trainer)
    history = RunHistory()
    assert history.load_folder(run.folder.parent) == 1
    assert history.get(run.run_id).epochs.n == 1


def test_model_problems_fail_before_starting(qtbot):
    from PySide6.QtWidgets import QMainWindow

    win = QMainWindow()
    qtbot.addWidget(win)
    d = Document()
    dock = TrainingDock(d, win)  # the main window's way: TrainingDock(document, parent)
    win.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
    run = dock.train()
    assert run.record.outcome == "failed" and "cannot be trained yet" in dock.message.text()
    assert run.process is None and dock.train_button.isEnabled()


# ----------------------------------------------------------------------------- devices, preview
def test_device_probe_output_and_cache(tmp_path, monkeypatch):
    assert devices.devices_from_probe({"torch": 2}) == ["auto", "cpu", "cuda:0", "cuda:1"]
    assert devices.devices_from_probe({}) == ["auto", "cpu"]
    assert devices.parse_probe_output('noise\n{"torch": 1}\n') == {"torch": 1}
    monkeypatch.delenv("LAYERLAB_DEVICES")
    cache = tmp_path / "devices.json"
    assert devices.cached_devices(cache) is None
    devices.save_cache({"torch": 1}, cache)
    assert devices.cached_devices(cache) == ["auto", "cpu", "cuda:0"]


def test_dataset_previews(tmp_path):
    setup = EXAMPLES["digits_mlp"]().setup
    p = load_preview(setup)
    assert p.images.shape[1:] == (8, 8) and sum(p.class_counts.values()) == 1797
    p = load_preview({**setup, "dataset": "spirals", "samples": 200})
    assert p.points.shape == (200, 2) and p.class_counts == {0: 100, 1: 100}
    (tmp_path / "t.csv").write_text("a,b,label\n1,2,x\n3,4,y\n5,6,x\n")
    p = load_preview({**setup, "dataset": "csv", "dataset_path": str(tmp_path / "t.csv")})
    assert p.header == ["a", "b", "label"] and p.class_counts == {"x": 2, "y": 1}
    p = load_preview({**setup, "dataset": "csv", "dataset_path": str(tmp_path / "nope.csv")})
    assert "not found" in p.error


def test_history_csv_export(tmp_path):
    rec = RunRecord("r1", "pytorch", "cpu", {"learning_rate": 0.01})
    for i in range(600):  # past the initial capacity: buffers grow by doubling
        rec.add_event({"event": "batch", "step": i, "loss": 1.0, "samples_per_s": 5.0})
    rec.add_event({"event": "epoch", "epoch": 1, "loss": 0.5, "val_loss": float("nan")})
    assert rec.batches.n == 600 and rec.batches.column("lr")[0] == 0.01
    export_csv([rec], tmp_path / "e.csv")
    assert (tmp_path / "e.csv").read_text().splitlines()[1].startswith("r1,pytorch,1.0,0.5")


def test_gui_process_never_imports_a_framework():
    code = (
        "import os; os.environ['QT_QPA_PLATFORM']='offscreen'; os.environ['LAYERLAB_DEVICES']='auto,cpu'\n"
        "import sys\nfrom PySide6.QtWidgets import QApplication\napp = QApplication([])\n"
        "from app.document import Document\nfrom app.training.panel import TrainingDock\n"
        "from graph.examples import EXAMPLES\n"
        "dock = TrainingDock(Document(EXAMPLES['spiral']()))\n"
        "import codegen; codegen.generate(dock.document.project, 'pytorch')\n"
        "bad = [m for m in ('torch', 'tensorflow', 'keras') if m in sys.modules]\n"
        "assert not bad, bad\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie is dead for our purposes
        return Path(f"/proc/{pid}/status").read_text().find("zombie") < 0
    except OSError:
        return True


# ----------------------------------------------------------------------------- the real thing
@pytest.mark.frameworks
@pytest.mark.slow
@pytest.mark.parametrize("framework", ["pytorch", "tensorflow"])
def test_default_digits_example_trains_to_95_percent_in_both_frameworks(qtbot, doc, framework):
    from codegen import generate

    assert not generate(doc.project, framework).problems
    assert doc.project.setup["epochs"] == 5
    trainer = Trainer(doc)  # owned by the document, so it cannot outlive this test's Qt objects
    run = trainer.start(doc.project, framework, "cpu", project_path=doc.path)
    try:
        qtbot.waitUntil(lambda: not run.active, timeout=300_000)
    finally:
        trainer.shutdown()
    rec = run.record
    assert rec.outcome == "finished", rec.message + "\n" + run.tail.text()
    assert rec.batches.n >= 1 and rec.epochs.n == 5
    assert rec.metrics["test_accuracy"] >= 0.95 and Path(rec.metrics["weights"]).exists()
    assert json.loads((run.folder / "run.json").read_text())["outcome"] == "finished"


@pytest.mark.frameworks
@pytest.mark.slow
def test_char_lstm_trains_in_the_panel_and_shows_generated_text(qtbot, tmp_path, request):
    d = Document(EXAMPLES["char_lstm"]())
    d.save(str(tmp_path / "char_lstm.json"))  # relative data path: copy the text beside it
    data = Path(EXAMPLES_DATA) / "pride_and_prejudice.txt"
    (tmp_path.parent / "data").mkdir(exist_ok=True)
    (tmp_path.parent / "data" / data.name).write_text(data.read_text(encoding="utf-8"), encoding="utf-8")
    d.set_setup("epochs", 1)
    dock = TrainingDock(d)
    qtbot.addWidget(dock)
    request.addfinalizer(dock.shutdown)
    dock.results.prompt.setText("Twinkle")
    run = dock.train()
    qtbot.waitUntil(lambda: not run.active, timeout=300_000)
    assert run.record.outcome == "finished", run.record.message + "\n" + run.tail.text()
    text = dock.results.generated.toPlainText()
    assert text.startswith("Twinkle") and len(text) > len("Twinkle") + 20
    metrics_shown = dock.results.metrics.text()
    assert "test accuracy" in metrics_shown
    again = dock.generate_text("Jack", 0.5, 40)  # sampling again needs no training
    qtbot.waitUntil(lambda: not again.active, timeout=120_000)
    assert dock.results.generated.toPlainText().startswith("Jack")
    assert again.record.outcome == "finished", again.record.message  # it was reported as a failed run
    assert "failed" not in dock.message.text() and dock.results.metrics.text() == metrics_shown
    assert again.record.epochs.n == run.record.epochs.n  # the curve it inherited, nothing new


def test_tensorboard_checkbox_passes_the_flag_and_says_where_logs_go(qtbot, doc):
    dock = make_dock(qtbot, doc, epochs=1, steps=2)
    dock.tensorboard.setChecked(True)
    run = dock.train()
    wait_done(qtbot, dock.trainer)
    expected = str(run.folder / "tensorboard")  # the fake worker reports the flag it was given
    assert expected in dock.log.toPlainText() and expected in dock.message.text()


@pytest.mark.frameworks
@pytest.mark.slow
@pytest.mark.parametrize(
    "name,framework",
    [
        ("text_classifier", "tensorflow"),
        ("denoising_autoencoder", "pytorch"),
        ("unet_segmenter", "tensorflow"),
        ("audio_cnn", "pytorch"),
        ("binary_moons", "tensorflow"),
        # The families of issue 9, each in both frameworks.
        *[
            (name, framework)
            for name in ("transformer_classifier", "squeeze_excitation", "two_input_digits", "multi_task_digits")
            for framework in ("pytorch", "tensorflow")
        ],
        ("mobilenet_block", "pytorch"),
        ("gan_moons", "pytorch"),
        ("gan_moons", "tensorflow"),
        ("gan_digits", "tensorflow"),
    ],
)
def test_task_examples_train_in_the_app(qtbot, tmp_path, name, framework):
    """The new task kinds train through the app's trainer on the bundled example data (one epoch)."""
    from graph.examples import example_path
    from graph.fileformat import load

    project = load(example_path(name))
    if project.setup["dataset_path"]:  # the bundled data, seen from a saved copy of the example
        project.setup["dataset_path"] = str((example_path(name).parent / project.setup["dataset_path"]).resolve())
    d = Document(project)
    d.project.setup["epochs"] = 1
    d.save(str(tmp_path / f"{name}.json"))
    trainer = Trainer(d)
    run = trainer.start(d.project, framework, "cpu", project_path=d.path)
    try:
        qtbot.waitUntil(lambda: not run.active, timeout=300_000)
    finally:
        trainer.shutdown()
    rec = run.record
    assert rec.outcome == "finished", rec.message + "\n" + run.tail.text()
    assert rec.epochs.n == 1 and Path(rec.metrics["weights"]).exists()
    if name.startswith("gan_"):  # both losses, and what the generator made
        assert rec.is_gan and rec.metrics["d_loss"] is not None and rec.metrics["g_loss"] is not None
        return
    assert (rec.metrics["test_accuracy"] is None) == (name == "denoising_autoencoder")


def test_opening_another_project_clears_the_previous_runs_curves_and_results(qtbot, doc, tmp_path):
    """Defect: the previous project's curves, results and decision boundary stayed on screen."""
    dock = make_dock(qtbot, doc, epochs=2, steps=4, boundary=True)
    run = dock.train()
    wait_done(qtbot, dock.trainer)
    assert run.record.outcome == "finished" and dock.runs.count() == 1
    assert dock.boundary.image.image is not None and dock.plots.record is run.record
    other = Document(EXAMPLES["small_cnn"]())
    (tmp_path / "other").mkdir()
    other.save(str(tmp_path / "other" / "cnn.json"))
    doc.replace_project(other.project, other.path)
    QApplication.processEvents()
    assert dock.runs.count() == 0 and dock.plots.record is None
    assert dock.boundary.image.image is None and dock.message.text() == ""
    assert "Train a model" in dock.results.metrics.text()


def test_plots_and_confusion_matrix_follow_the_dark_theme(qtbot):
    """Defect: in the dark theme plots stayed white and the confusion matrix had light-grey numbers."""
    from PySide6.QtGui import QPalette

    from app.theme import _palette
    from app.training.plots import LivePlots
    from app.training.views import ResultsView

    plots = LivePlots()
    qtbot.addWidget(plots)
    plots.setPalette(_palette(True))  # what switching the application to dark does
    QApplication.processEvents()
    dark_base = _palette(True).color(QPalette.ColorRole.Base)
    assert plots.layout_widget.backgroundBrush().color() == dark_base
    assert plots.plots["loss"].getAxis("left").textPen().color() == _palette(True).color(QPalette.ColorRole.Text)
    results = ResultsView()
    qtbot.addWidget(results)
    results.show_confusion([[5, 1], [2, 7]], ["a", "b"])
    cell = results.confusion.item(0, 1)
    assert cell.foreground().color().lightness() < 60 and cell.background().color().lightness() > 150


def test_runs_of_an_unsaved_project_say_where_their_files_went(qtbot):
    """Defect: runs of an unsaved example went to a temporary folder without a word."""
    unsaved = Document(EXAMPLES["digits_mlp"]())
    dock = make_dock(qtbot, unsaved, epochs=1, steps=2)
    run = dock.train()
    wait_done(qtbot, dock.trainer)
    assert run.record.outcome == "finished"
    assert "temporary folder" in dock.message.text() and str(run.folder) in dock.message.text()
    assert f"{run.run_id}: finished" in dock.log.toPlainText()  # the Log tab was empty after a success


def test_a_constant_learning_rate_is_drawn_in_the_middle_of_its_plot(qtbot):
    """Defect: a constant lr sat on the bottom edge under ticks 1.01–1.03 (×0.001)."""
    from app.training.plots import LivePlots

    plots = LivePlots()
    qtbot.addWidget(plots)
    curve = plots.curves["lr"]
    curve.setData([1.0, 2.0, 3.0], [0.001, 0.001, 0.001])
    plots._follow_data("lr")
    low, high = plots._ranges["lr"][1]
    assert low < 0.001 < high and abs((0.001 - low) - (high - 0.001)) < 1e-12


def test_a_project_opened_by_a_relative_path_trains(qtbot, tmp_path, monkeypatch):
    """`layerlab open examples/x.json` from another folder: the run's script is found (it was not)."""
    monkeypatch.chdir(tmp_path)
    Document(EXAMPLES["spiral"]()).save("spiral.json")
    d = Document(EXAMPLES["spiral"]())
    d.open("spiral.json")
    assert Path(d.path).is_absolute()
    d.project.setup["epochs"] = 1
    trainer = Trainer(d)
    run = trainer.start(d.project, "pytorch", "cpu", project_path=d.path)
    try:
        qtbot.waitUntil(lambda: not run.active, timeout=120_000)
    finally:
        trainer.shutdown()
    assert run.record.outcome == "finished", run.record.message + "\n" + run.tail.text()
