"""A GAN's training in the dock: both losses live, the generated samples, saving and reloading.

A fake worker speaks the GAN side of the ``--progress jsonl`` protocol (d_loss/g_loss, ``samples``
events), so no framework is needed (pytest-qt, offscreen)."""

from __future__ import annotations

import csv
import json
import math
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["LAYERLAB_DEVICES"] = "auto,cpu"  # no device probe (it imports torch) in these tests

import numpy as np
import pytest
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from app.document import Document
from app.training.history import RunHistory, RunRecord
from app.training.panel import TrainingDock
from app.training.plots import LivePlots
from app.training.runner import Trainer
from app.training.views import SamplesView, image_grid
from graph.examples import EXAMPLES

pytestmark = pytest.mark.gui

FAKE_GAN = r"""
import argparse, json, math
from pathlib import Path

CONFIG = __CONFIG__
p = argparse.ArgumentParser()
p.add_argument("--epochs", type=int, default=CONFIG.get("epochs", 3))
p.add_argument("--out", default="out")
p.add_argument("--device", default="auto")
p.add_argument("--progress", default="text")
p.add_argument("--resume")
p.add_argument("--tensorboard")
args = p.parse_args()
out = Path(args.out)


def emit(event, **fields):
    print(json.dumps({"event": event, **fields}), flush=True)


S = CONFIG.get("steps", 4)
emit("start", framework="pytorch", device=args.device, epochs=args.epochs, batch_size=8,
     train_samples=8 * S, steps_per_epoch=S, params=99, recipe="gan")
step = 0
for epoch in range(1, args.epochs + 1):
    for _ in range(S):
        step += 1
        d, g = 1.0 + 0.01 * step, 0.5 + 0.02 * step
        emit("batch", step=step, loss=d + g, d_loss=d, g_loss=g, samples_per_s=5000.0, lr=0.0002)
    d, g = 1.0 + 0.1 * epoch, 0.5 + 0.2 * epoch
    emit("epoch", epoch=epoch, loss=d + g, d_loss=d, g_loss=g, accuracy=0.5 + 0.05 * epoch, lr=0.0002,
         seconds=0.1)
    if CONFIG.get("kind", "images") == "images":
        images = [[[((i + r + c + epoch) % 8) / 7 for c in range(8)] for r in range(8)] for i in range(16)]
        emit("samples", epoch=epoch, step=step, kind="images", images=images)
    else:
        fake = [[math.cos(k) * epoch, math.sin(k)] for k in range(40)]
        real = [[math.cos(k) * 3, math.sin(k) * 3] for k in range(50)]
        emit("samples", epoch=epoch, step=step, kind="points", points=fake, real=real)
(out / "generator.pt").write_text("weights")
emit("end", d_loss=1.3, g_loss=1.1, test_loss=None, test_accuracy=None, weights=str(out / "generator.pt"),
     stopped=False)
"""


def fake_generator(**config):
    source = FAKE_GAN.replace("__CONFIG__", repr(config))
    return lambda project, framework, project_dir: (source, [])


@pytest.fixture
def doc(tmp_path):
    d = Document(EXAMPLES["digits_mlp"]())
    d.save(str(tmp_path / "gan.json"))
    return d


def make_dock(qtbot, doc, **config):
    trainer = Trainer(generator=fake_generator(**config), stop_timeout=5.0, kill_timeout=0.5)
    dock = TrainingDock(doc, trainer=trainer)
    qtbot.addWidget(dock, before_close_func=lambda d: d.shutdown())
    return dock


def train(qtbot, dock):
    run = dock.train()
    qtbot.waitUntil(lambda: not run.active, timeout=15_000)
    assert run.record.outcome == "finished", run.record.message + "\n" + run.tail.text()
    return run


def gan_events(epochs=3, steps=4):
    """The events a GAN script prints (no samples)."""
    yield {"event": "start", "epochs": epochs, "steps_per_epoch": steps, "recipe": "gan"}
    step = 0
    for epoch in range(1, epochs + 1):
        for _ in range(steps):
            step += 1
            d, g = 1.0 + 0.01 * step, 0.5 + 0.02 * step
            yield {"event": "batch", "step": step, "loss": d + g, "d_loss": d, "g_loss": g, "samples_per_s": 50.0}
        d, g = 1.0 + 0.1 * epoch, 0.5 + 0.2 * epoch
        yield {"event": "epoch", "epoch": epoch, "loss": d + g, "d_loss": d, "g_loss": g, "accuracy": 0.6}


def gan_record(folder="") -> RunRecord:
    rec = RunRecord("gan-run", "pytorch", "cpu", {"learning_rate": 0.0002}, "gan", str(folder))
    for event in gan_events():
        rec.add_event(event)
    return rec


def npoints(curve) -> int:
    return 0 if curve.yData is None else len(curve.yData)


def legend_names(plot) -> list[str]:
    return [label.text for _sample, label in plot.legend.items]


# ----------------------------------------------------------------------------- history
def test_history_records_both_losses_per_batch_and_epoch():
    rec = gan_record()
    assert rec.is_gan and rec.batches.n == 12 and rec.epochs.n == 3
    assert np.allclose(rec.batches.column("d_loss"), 1.0 + 0.01 * np.arange(1, 13))
    assert np.allclose(rec.batches.column("g_loss"), 0.5 + 0.02 * np.arange(1, 13))
    assert np.allclose(rec.epochs.column("d_loss"), [1.1, 1.2, 1.3])
    assert np.allclose(rec.epochs.column("g_loss"), [0.7, 0.9, 1.1])
    assert np.allclose(rec.epochs.column("loss"), [1.8, 2.1, 2.4])  # the sum, as before
    d_smooth = rec.batches.column("d_smoothed")  # smoothed like the loss: lags behind a rising curve
    assert d_smooth[0] == 1.01 and (np.diff(d_smooth) > 0).all() and d_smooth[-1] < 1.12


def test_a_saved_gan_run_reloads_with_both_losses(tmp_path):
    rec = gan_record(tmp_path / "runs" / "gan-run")
    rec.add_event({"event": "samples", "epoch": 3, "kind": "points", "points": [[0, 0]], "real": [[1, 1]]})
    rec.add_event({"event": "end", "d_loss": 1.3, "g_loss": 1.1, "test_loss": None, "weights": "generator.pt"})
    rec.outcome = "finished"
    rec.save()
    header = (tmp_path / "runs" / "gan-run" / "epochs.csv").read_text().splitlines()[0].split(",")
    assert "d_loss" in header and "g_loss" in header
    assert "samples" not in json.loads((tmp_path / "runs" / "gan-run" / "run.json").read_text())["extras"]
    history = RunHistory()
    assert history.load_folder(tmp_path / "runs") == 1
    back = history.get("gan-run")
    assert back.is_gan and back.start_info["recipe"] == "gan" and back.metrics["d_loss"] == 1.3
    for series in ("batches", "epochs"):
        for column in ("d_loss", "g_loss", "loss"):
            assert np.array_equal(getattr(back, series).column(column), getattr(rec, series).column(column))


OLD_BATCHES = "step,loss,smoothed,samples_per_s,lr\n1,2.0,2.0,100.0,0.01\n2,1.5,1.95,110.0,0.01\n"
OLD_EPOCHS = "epoch,loss,accuracy,val_loss,val_accuracy,lr,seconds\n1,1.2,0.7,1.3,0.65,0.01,0.5\n"


def write_old_run(folder):
    """A run saved before d_loss/g_loss existed."""
    folder.mkdir(parents=True)
    meta = {"run_id": folder.name, "framework": "pytorch", "device": "cpu", "setup": {}, "outcome": "finished"}
    (folder / "run.json").write_text(json.dumps(meta))
    (folder / "batches.csv").write_text(OLD_BATCHES)
    (folder / "epochs.csv").write_text(OLD_EPOCHS)


def test_old_runs_without_gan_losses_still_load_and_plot_as_before(qtbot, tmp_path):
    write_old_run(tmp_path / "runs" / "old")
    history = RunHistory()
    assert history.load_folder(tmp_path / "runs") == 1
    old = history.get("old")
    assert not old.is_gan and old.batches.n == 2 and old.epochs.n == 1
    assert list(old.batches.column("loss")) == [2.0, 1.5] and old.epochs.last("val_accuracy") == 0.65
    assert np.isnan(old.batches.column("d_loss")).all() and np.isnan(old.epochs.column("g_loss")).all()
    plots = LivePlots()
    qtbot.addWidget(plots)
    plots.set_record(old)
    assert list(plots.curves["raw"].yData) == [2.0, 1.5] and list(plots.curves["val_acc"].yData) == [0.65]
    assert plots.curves["raw"].isVisible() and not plots.curves["d_smoothed"].isVisible()
    assert legend_names(plots.plots["loss"]) == ["train", "validation"]
    assert legend_names(plots.plots["accuracy"]) == ["train", "validation"]


def test_saving_more_rows_of_an_old_run_rewrites_its_csv_with_the_new_columns(tmp_path):
    """Appending rows under the old header would have shifted every value after ``lr``."""
    write_old_run(tmp_path / "old")
    rec = RunRecord.load(tmp_path / "old")
    rec.add_event({"event": "batch", "step": 3, "loss": 1.4, "samples_per_s": 120.0, "lr": 0.01})
    rec.save()
    with open(tmp_path / "old" / "batches.csv", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [float(r["step"]) for r in rows] == [1, 2, 3] and rows[2]["lr"] == "0.01" and rows[2]["d_loss"] == ""
    assert RunRecord.load(tmp_path / "old").batches.column("samples_per_s")[2] == 120.0


# ----------------------------------------------------------------------------- curves
def test_gan_losses_are_two_named_curves_on_both_loss_plots(qtbot):
    rec = gan_record()
    plots = LivePlots()
    qtbot.addWidget(plots)
    plots.set_record(rec)
    c = plots.curves
    assert np.array_equal(c["d_raw"].yData, rec.batches.column("d_loss"))
    assert np.array_equal(c["g_raw"].yData, rec.batches.column("g_loss"))
    assert np.array_equal(c["d_smoothed"].yData, rec.batches.column("d_smoothed"))
    assert np.array_equal(c["g_smoothed"].xData, np.arange(1, 13))
    assert np.allclose(c["d_loss"].yData, [1.1, 1.2, 1.3]) and np.allclose(c["g_loss"].yData, [0.7, 0.9, 1.1])
    assert np.allclose(c["train_acc"].yData, [0.6, 0.6, 0.6])  # the discriminator's accuracy
    for key in ("raw", "smoothed", "train_loss", "val_loss"):  # the summed loss is not drawn
        assert not c[key].isVisible() and npoints(c[key]) == 0
    assert legend_names(plots.plots["batch_loss"]) == ["discriminator", "generator"]
    assert legend_names(plots.plots["loss"]) == ["discriminator", "generator"]
    assert legend_names(plots.plots["accuracy"]) == ["discriminator"]
    low, high = plots._ranges["loss"][1]  # fitted to the two losses (0.7–1.3), not to their sum (2.4)
    assert low <= 0.7 and 1.3 <= high < 2.0
    assert np.allclose(c["lr"].yData, 0.0002) and np.allclose(c["speed"].yData, 50.0)  # as before

    plain = RunRecord("plain", "pytorch", "cpu", {})
    plain.add_event({"event": "batch", "step": 1, "loss": 0.9})
    plots.set_record(plain)  # back to a classifier's curves
    assert list(c["raw"].yData) == [0.9] and not c["d_raw"].isVisible() and npoints(c["d_loss"]) == 0
    assert legend_names(plots.plots["batch_loss"]) == ["raw", "smoothed"]


def test_the_curves_switch_to_gan_losses_when_the_first_ones_arrive(qtbot):
    """Live: the record is set at the run's start, before any event says it is a GAN."""
    rec = RunRecord("live", "pytorch", "cpu", {})
    plots = LivePlots()
    qtbot.addWidget(plots)
    plots.set_record(rec)
    assert not plots.gan
    rec.add_event({"event": "batch", "step": 1, "loss": 1.5, "d_loss": 1.0, "g_loss": 0.5})
    plots.refresh()
    assert plots.gan and list(plots.curves["d_raw"].yData) == [1.0] and list(plots.curves["g_raw"].yData) == [0.5]
    assert npoints(plots.curves["raw"]) == 0


def test_gan_curve_names_are_translated(qtbot):
    from app import i18n

    app = QApplication.instance()
    try:
        assert i18n.install_translator(app, "zh_CN") == "zh_CN"
        plots = LivePlots()
        qtbot.addWidget(plots)
        plots.set_record(gan_record())
        assert legend_names(plots.plots["loss"]) == ["判别器", "生成器"]
        view = SamplesView()
        qtbot.addWidget(view)
        view.show_samples({"event": "samples", "epoch": 2, "kind": "points", "points": [[0, 1]], "real": [[1, 0]]})
        assert view.plot.titleLabel.text == "第 2 轮后的生成样本"
        assert [label.text for _s, label in view.legend.items] == ["真实", "生成"]
    finally:
        i18n.install_translator(app, "en")


# ----------------------------------------------------------------------------- samples view
def test_samples_view_shows_sixteen_images_in_a_four_by_four_grid(qtbot):
    view = SamplesView()
    qtbot.addWidget(view)
    images = np.random.default_rng(0).random((16, 8, 6))
    assert view.show_samples({"event": "samples", "epoch": 5, "step": 40, "kind": "images", "images": images.tolist()})
    assert view.kind == "images" and view.image_count == 16
    grid = view.image.image
    assert grid.shape == (4 * 9 - 1, 4 * 7 - 1, 4)  # 4×4 images of 8×6 with 1-pixel gaps
    last = grid[27:35, 21:27, 0]  # row 3, column 3: the 16th image, grey
    assert np.array_equal(last, (images[15] * 255).astype("uint8"))
    assert np.array_equal(grid[0:8, 0:6, 1], grid[0:8, 0:6, 2]) and (grid[8, :, 3] == 0).all()  # a gap
    assert view.plot.titleLabel.text == "Generated samples after epoch 5" and view.label.isHidden()
    assert not view.plot.getAxis("left").isVisible()


def test_samples_view_shows_real_points_under_the_generated_ones(qtbot):
    view = SamplesView()
    qtbot.addWidget(view)
    real, fake = [[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], [[0.5, 0.5], [float("nan"), 1.0]]
    event = {"event": "samples", "epoch": 2, "step": 8, "kind": "points", "points": fake, "real": real}
    assert view.show_samples(event)
    assert view.kind == "points" and view.image.image is None
    x, y = view.real.getData()
    assert list(x) == [1.0, 3.0, 5.0] and list(y) == [2.0, 4.0, 6.0]
    x, y = view.generated.getData()
    assert list(x) == [0.5] and list(y) == [0.5]  # the NaN point is left out
    assert view.generated.zValue() >= view.real.zValue()  # added after: drawn over the real points
    brush = view.real.opts["brush"].color()
    assert brush.red() == brush.green() == brush.blue()  # real: grey; generated: coloured
    gen = view.generated.opts["brush"].color()
    assert gen.red() != gen.blue()
    assert view.plot.titleLabel.text == "Generated samples after epoch 2"
    assert not view.show_samples(event)  # the same event again: nothing to redraw
    assert not view.show_samples({"event": "samples", "kind": "points", "points": "junk"})
    assert view.kind == "points"  # a malformed event leaves the last samples shown


def test_image_grid_handles_channels_and_odd_counts():
    rgb = np.ones((5, 4, 4, 3)) * [1.0, 0.0, 0.5]
    grid = image_grid(rgb, gap=0)
    assert grid.shape == (8, 12, 4) and tuple(grid[0, 0]) == (255, 0, 127, 255)
    assert (grid[4:, 8:, 3] == 0).all()  # 5 images in 3 columns: the last cell is empty


def test_samples_view_follows_the_dark_theme(qtbot):
    from app.theme import _palette

    view = SamplesView()
    qtbot.addWidget(view)
    view.show_samples({"event": "samples", "epoch": 1, "kind": "points", "points": [[0, 1]], "real": [[1, 0]]})
    view.setPalette(_palette(True))
    QApplication.processEvents()
    dark = _palette(True)
    assert view.layout_widget.backgroundBrush().color() == dark.color(QPalette.ColorRole.Base)
    text = dark.color(QPalette.ColorRole.Text)
    assert view.plot.getAxis("left").textPen().color() == text
    assert view.plot.titleLabel.opts["color"] == text.name()
    view.setPalette(_palette(False))
    QApplication.processEvents()
    assert view.layout_widget.backgroundBrush().color() == _palette(False).color(QPalette.ColorRole.Base)


# ----------------------------------------------------------------------------- the dock
def test_a_gan_run_in_the_dock_shows_both_losses_samples_and_its_results(qtbot, doc):
    dock = make_dock(qtbot, doc, epochs=3, steps=4)
    dock.show()
    dock.tabs.setCurrentWidget(dock.samples)
    run = train(qtbot, dock)
    rec = run.record
    assert rec.start_info["recipe"] == "gan" and rec.batches.n == 12
    assert np.allclose(dock.plots.curves["d_loss"].yData, [1.1, 1.2, 1.3])
    assert np.allclose(dock.plots.curves["g_loss"].yData, [0.7, 0.9, 1.1])
    assert np.array_equal(dock.plots.curves["g_raw"].yData, 0.5 + 0.02 * np.arange(1, 13))
    assert dock.samples.kind == "images" and dock.samples.image_count == 16
    assert dock.samples.shown == (3, 12)  # the last epoch's samples
    assert dock.samples.plot.titleLabel.text == "Generated samples after epoch 3"
    assert dock.tabs.tabText(dock.tabs.indexOf(dock.samples)) == "Samples"
    assert "discriminator loss" in dock.results.metrics.text() and "1.3000" in dock.results.metrics.text()
    history = RunHistory()  # saved with the project
    assert history.load_folder(run.folder.parent) == 1
    assert np.allclose(history.get(run.run_id).epochs.column("g_loss"), [0.7, 0.9, 1.1])


def test_samples_update_after_every_epoch_while_training(qtbot, doc):
    dock = make_dock(qtbot, doc, epochs=2, steps=2, kind="points")
    dock.show()
    dock.tabs.setCurrentWidget(dock.samples)
    run = dock.train()
    seen = []
    dock.trainer.event_received.connect(
        lambda _id, e: e["event"] == "samples" and (dock._on_tick(), seen.append(dock.samples.shown))
    )
    qtbot.waitUntil(lambda: not run.active, timeout=15_000)
    assert seen == [(1, 2), (2, 4)]
    assert dock.samples.kind == "points" and len(dock.samples.real.getData()[0]) == 50
    x, _y = dock.samples.generated.getData()
    assert len(x) == 40 and math.isclose(float(x.max()), 2.0)  # epoch 2's points (cos · epoch)


def test_opening_another_project_clears_the_samples_view(qtbot, doc, tmp_path):
    dock = make_dock(qtbot, doc, epochs=1, steps=2)
    train(qtbot, dock)
    assert dock.samples.kind == "images" and dock.samples.image.image is not None
    other = Document(EXAMPLES["small_cnn"]())
    (tmp_path / "other").mkdir()
    other.save(str(tmp_path / "other" / "cnn.json"))
    doc.replace_project(other.project, other.path)
    QApplication.processEvents()
    assert dock.samples.kind is None and dock.samples.image.image is None and dock.samples.image_count == 0
    assert len(dock.samples.generated.getData()[0]) == 0 and not dock.samples.label.isHidden()
    assert dock.plots.record is None and not dock.plots.gan


def test_a_new_run_clears_the_previous_runs_samples(qtbot, doc):
    dock = make_dock(qtbot, doc, epochs=1, steps=2)
    train(qtbot, dock)
    assert dock.samples.kind == "images"
    dock.trainer.generator = lambda project, framework, project_dir: ("import sys; sys.exit(3)\n", [])
    run = dock.train()
    assert dock.samples.kind is None
    qtbot.waitUntil(lambda: not run.active, timeout=15_000)
    assert dock.samples.kind is None
