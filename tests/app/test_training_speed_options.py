"""The training setup's speed options (issue 13): Precision and Compile reach the scripts' flags
(docs/speed.md), are remembered, recorded with the run, and the defaults keep today's command line.

A fake worker (below) notes its arguments and speaks the --progress protocol; no framework is imported."""

from __future__ import annotations

import json
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["LAYERLAB_DEVICES"] = "auto,cpu"  # no device probe in these tests

import pytest
from PySide6.QtCore import QSettings

from app.document import Document
from app.training.history import RunRecord
from app.training.panel import TrainingDock
from app.training.runner import Trainer, speed_arguments
from codegen import generate
from graph.examples import EXAMPLES

pytestmark = pytest.mark.gui
KEYS = ("training/precision", "training/compile", "training/processes")

FAKE = r"""
import json, sys
from pathlib import Path

args = sys.argv[1:]
out = Path(args[args.index("--out") + 1])
(out / "argv.json").write_text(json.dumps(args))


def emit(event, **fields):
    print(json.dumps({"event": event, **fields}), flush=True)


emit("start", framework="pytorch", device="cpu", epochs=1, batch_size=4, train_samples=8, steps_per_epoch=2, params=1)
emit("batch", step=2, loss=0.5, samples_per_s=100.0)
(out / "checkpoint.pt").write_text("w")
(out / "checkpoint.keras").write_text("w")
(out / "checkpoint.json").write_text(json.dumps({"epoch": 1, "step": 2}))
emit("epoch", epoch=1, loss=0.5, accuracy=0.5, val_loss=0.6, val_accuracy=0.5, seconds=0.01)
emit("end", test_loss=0.5, test_accuracy=0.5, stopped=False)
"""


@pytest.fixture
def doc(tmp_path):
    for key in KEYS:
        QSettings().remove(key)
    d = Document(EXAMPLES["digits_mlp"]())
    d.save(str(tmp_path / "digits.json"))
    yield d
    for key in KEYS:  # later tests start with the defaults
        QSettings().remove(key)


def make_dock(qtbot, doc, framework: str = "pytorch") -> TrainingDock:
    dock = TrainingDock(doc, trainer=Trainer(generator=lambda *_: (FAKE, [])))
    qtbot.addWidget(dock, before_close_func=lambda d: d.shutdown())
    dock.framework.setCurrentIndex(dock.framework.findData(framework))
    doc.set_setup("framework", framework)
    return dock


def train(qtbot, dock, **kwargs):
    """Train (or continue, ``resume=True``) and wait: the script's arguments after train.py, and the run."""
    run = dock.continue_training() if kwargs.get("resume") else dock.train()
    qtbot.waitUntil(lambda: not run.active, timeout=15_000)
    assert run.record.outcome == "finished", run.record.message
    return json.loads((run.folder / "argv.json").read_text()), run


@pytest.mark.parametrize("framework", ["pytorch", "tensorflow"])
def test_the_defaults_give_todays_command_line(qtbot, doc, framework):
    dock = make_dock(qtbot, doc, framework)
    assert dock.precision.currentText() == "fp32" and not dock.compile.isChecked()
    args, run = train(qtbot, dock)
    assert args == ["--progress", "jsonl", "--out", str(run.folder), "--device", "auto"]
    assert (run.record.precision, run.record.compile) == ("fp32", False)


def test_pytorch_gets_precision_and_compile(qtbot, doc):
    dock = make_dock(qtbot, doc, "pytorch")
    dock.precision.setCurrentIndex(dock.precision.findData("bf16"))
    dock.compile.setChecked(True)
    args, run = train(qtbot, dock)
    assert args[6:] == ["--precision", "bf16", "--compile"]
    assert "--xla" not in args


def test_keras_gets_precision_and_xla_on(qtbot, doc):
    dock = make_dock(qtbot, doc, "tensorflow")
    dock.precision.setCurrentIndex(dock.precision.findData("fp16"))
    dock.compile.setChecked(True)
    args, _run = train(qtbot, dock)
    assert args[6:] == ["--precision", "fp16", "--xla", "on"]
    assert "--compile" not in args


def test_keras_compile_unchecked_leaves_xla_to_the_script(qtbot, doc):
    dock = make_dock(qtbot, doc, "tensorflow")
    dock.precision.setCurrentIndex(dock.precision.findData("bf16"))
    args, _run = train(qtbot, dock)
    assert args[6:] == ["--precision", "bf16"]  # no --xla: the script's auto (on GPUs only)


def test_the_options_persist_across_a_new_panel_and_are_recorded_with_the_run(qtbot, doc):
    dock = make_dock(qtbot, doc, "pytorch")
    dock.precision.setCurrentIndex(dock.precision.findData("fp16"))
    dock.compile.setChecked(True)
    _args, run = train(qtbot, dock)
    again = make_dock(qtbot, doc, "pytorch")
    assert again.precision.currentData() == "fp16" and again.compile.isChecked()
    saved = json.loads((run.folder / "run.json").read_text())
    assert (saved["precision"], saved["compile"]) == ("fp16", True)
    loaded = RunRecord.load(run.folder)
    assert (loaded.precision, loaded.compile) == ("fp16", True)


def test_continue_uses_the_chosen_options(qtbot, doc):
    dock = make_dock(qtbot, doc, "pytorch")
    train(qtbot, dock)
    dock.compile.setChecked(True)
    args, _run = train(qtbot, dock, resume=True)
    assert "--resume" in args and args[-1] == "--compile"


def test_a_gan_run_gets_no_speed_flags(qtbot, doc):
    """The GAN scripts have no --precision or --compile: passing them would stop the run at once."""
    doc.replace_project(EXAMPLES["gan_moons"](), doc.path)
    dock = make_dock(qtbot, doc, "pytorch")
    dock.precision.setCurrentIndex(dock.precision.findData("bf16"))
    dock.compile.setChecked(True)
    args, run = train(qtbot, dock)
    assert "--precision" not in args and "--compile" not in args
    assert (run.record.precision, run.record.compile) == ("fp32", False)


def test_speed_arguments():
    assert speed_arguments("pytorch") == speed_arguments("tensorflow") == []
    assert speed_arguments("pytorch", "fp32", True) == ["--compile"]
    assert speed_arguments("tensorflow", "fp32", True) == ["--xla", "on"]
    assert speed_arguments("tensorflow", "bf16") == ["--precision", "bf16"]


def test_the_generated_scripts_accept_the_flags_the_runner_sends():
    """The contract with codegen (no framework imported): each flag is declared by the script it goes to."""
    project = EXAMPLES["digits_mlp"]()
    torch_source = generate(project, "pytorch").source
    keras_source = generate(project, "tensorflow").source
    assert all(f'"{flag}"' in torch_source for flag in ("--precision", "--compile"))
    assert all(f'"{flag}"' in keras_source for flag in ("--precision", "--xla"))
    gan = generate(EXAMPLES["gan_moons"](), "pytorch").source
    assert '"--precision"' not in gan, "the GAN scripts take the speed flags now: let the runner pass them"
