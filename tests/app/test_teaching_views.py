"""The teaching views in the app: a real run with Inspect checked fills the Inside tab (activation,
kernel arithmetic, gradients) and the playground, from the script's own --inspect output."""

from __future__ import annotations

import json

import numpy as np
import pytest

from app.document import Document
from app.training.inside import InsideView, activation_rgb, load_vocab, text_heatmap, thumbnail
from app.training.panel import TrainingDock
from app.training.playground import columns
from graph.examples import EXAMPLES

pytestmark = pytest.mark.frameworks


def _train_inspected(qtbot, tmp_path, example: str, epochs: int = 1):
    doc = Document(EXAMPLES[example]())
    doc.save(str(tmp_path / f"{example}.json"))
    doc.set_setup("epochs", epochs)
    doc.set_setup("framework", "pytorch")
    dock = TrainingDock(doc)
    qtbot.addWidget(dock, before_close_func=lambda d: d.shutdown())
    dock.show()
    shown = []
    dock.inspection_shown.connect(lambda event, arrays: shown.append((event, arrays)))
    dock.inspect.setChecked(True)
    dock.inside.sample.setValue(3)
    run = dock.train()
    qtbot.waitUntil(lambda: not run.active, timeout=120_000)
    dock._on_tick(force=True)
    assert run.record.outcome == "finished", run.record.message + "\n" + run.tail.text()
    return doc, dock, run, shown


def test_an_inspected_run_fills_the_inside_tab(qtbot, tmp_path):
    doc, dock, run, shown = _train_inspected(qtbot, tmp_path, "small_cnn")
    inspections = run.record.extras["inspect"]
    assert inspections[0]["epoch"] == 0 and inspections[-1]["sample"] == 3
    saved = json.loads((run.folder / "run.json").read_text())
    assert "inspect" not in saved.get("extras", {})  # histograms per inspection stay out of run.json
    event, arrays = shown[-1]
    assert event["file"] == inspections[-1]["file"] and "conv1" in arrays
    inside = dock.inside
    dock.tabs.setCurrentWidget(inside)
    doc.set_selection([doc.graph.find_by_name("conv1").id])  # the canvas selection drives the view
    assert inside.layer == "conv1" and not inside.picture.pixmap().isNull()
    inside.position = (2, 4, 7)
    step = inside.kernel_step()
    assert step is not None and abs(step.value - float(arrays["conv1"][2, 4, 7])) < 1e-4
    inside._draw_kernel(doc.graph.find_by_name("conv1"))
    assert "=" in inside.formula.text() and not inside.kernel_pictures[1].pixmap().isNull()
    weighted = set(inspections[-1]["grad_norms"])
    assert not inside.flow.getPlotItem().listDataItems()  # a tab behind is drawn when it is shown
    inside.tabs.setCurrentIndex(2)
    assert len(inside.flow.getPlotItem().listDataItems()) == len(weighted)
    doc.set_selection([doc.graph.find_by_name("relu1").id])
    assert "%" in inside.dead.text()
    inside.tabs.setCurrentIndex(0)
    doc.set_selection([doc.graph.find_by_name("digit").id])  # the head: probabilities
    assert not inside.picture.pixmap().isNull()


def test_the_playground_draws_every_neuron_of_a_2d_model(qtbot, tmp_path):
    doc, dock, run, shown = _train_inspected(qtbot, tmp_path, "spiral")
    arrays = shown[-1][1]
    cols = columns(doc.graph, arrays)
    assert [name for name, _m, _w in cols] == ["point", "hidden1", "hidden2", "scores", "arm"]
    assert cols[1][1].shape == (32, 40, 40) and cols[1][2].shape == (32, 2)
    canvas = dock.playground.canvas
    canvas.resize(600, 400)
    assert [len(c) for c in canvas.positions()] == [2, 12, 12, 2, 1]
    image = canvas.grab().toImage()
    colors = {image.pixel(x, y) for x in range(0, 600, 7) for y in range(0, 400, 7)}
    assert len(colors) > 20  # maps and coloured connections, not an empty widget
    dock.playground.noise.setValue(0.3)
    assert doc.project.setup["noise"] == pytest.approx(0.3)  # one undoable setup edit
    doc.undo_stack.undo()
    assert dock.playground.noise.value() == pytest.approx(doc.project.setup["noise"])


def test_pictures_of_each_kind_of_output(qtbot, tmp_path):
    maps = np.random.default_rng(0).standard_normal((20, 5, 6))
    assert activation_rgb(maps).shape == (4 * 6 - 1, 4 * 7 - 1, 3)  # 16 maps in a 4×4 grid, 1 px apart
    assert activation_rgb(np.ones(10)).shape == (1, 10, 3)
    assert activation_rgb(np.ones((7, 3))).shape == (7, 3, 3)
    assert not thumbnail(maps).isNull() and not thumbnail(np.ones(4), "probabilities").isNull()
    (tmp_path / "inspect").mkdir()
    (tmp_path / "vocab.json").write_text(json.dumps(list("ab c")))
    vocab = load_vocab(str(tmp_path / "inspect" / "00001.npz"))
    assert vocab == ["a", "b", " ", "c"]
    pix = text_heatmap(np.ones((4, 8)), [vocab[i] for i in (0, 1, 2, 3)], 200)
    assert pix.width() >= 4 * 6 and pix.height() > 8
    view = InsideView()
    qtbot.addWidget(view)
    view.refresh()
    assert "Inspect" in view.hint.text()  # says how to get the views before any run


def test_every_card_of_the_small_cnn_shows_its_output_while_it_trains(qtbot, window, tmp_path):
    """The acceptance path: the small CNN example opened in the window, Inspect checked, Train; while the
    run goes on every layer's card shows a thumbnail of its output for the chosen sample."""
    from graph.examples import example_path

    assert window.open_file(str(example_path("small_cnn")), ask=False)
    doc = window.doc
    doc.save(str(tmp_path / "small_cnn.json"))
    doc.set_setup("epochs", 3)
    doc.set_setup("framework", "pytorch")
    dock = window.docks["training"]
    dock.inspect.setChecked(True)
    seen_running = []
    dock.inspection_shown.connect(lambda e, a: seen_running.append(bool(e) and dock.trainer.is_running()))
    run = dock.train()
    qtbot.waitUntil(lambda: not run.active, timeout=120_000)
    assert run.record.outcome == "finished", run.record.message
    assert any(seen_running)  # thumbnails came during the run, not only at its end
    cards = window.scene.nodes
    assert len(cards) == len(doc.graph) and all(item.thumbnail is not None for item in cards.values())
    conv = cards[doc.graph.find_by_name("conv1").id]
    assert conv.thumbnail.pixmap().width() <= 156 and "conv1" in conv.thumbnail.toolTip()
    window.grab().save(str(tmp_path / "teaching.png"))


def test_a_lesson_opens_from_the_menu_with_its_steps_in_the_ui_language(qtbot, window):
    from graph.lessons import LESSONS

    lessons = window.action_map["file.lessons"].menu()
    window.fill_lessons_menu(lessons)
    assert len(lessons.actions()) == len(LESSONS)
    next(a for a in lessons.actions() if "Vanishing" in a.text()).trigger()
    dock = window.lesson_dock
    assert dock.isVisible() and "smaller with sigmoid" in dock.steps.text()
    assert window.doc.project.meta["title"] == "Deep MLP, Sigmoid" and window.doc.path is None  # an untitled copy
    buttons = [dock.buttons.itemAt(i).widget() for i in range(dock.buttons.count())]
    next(b for b in buttons if b is not None and "relu" in b.text()).click()
    assert window.doc.project.meta["title"] == "Deep MLP, ReLU"


def test_a_drawn_digit_goes_through_the_network(qtbot, tmp_path):
    """Draw on the pad, check its box, train with Inspect: the Input's activation is the drawing."""
    from PySide6.QtCore import QPointF, Qt

    doc = Document(EXAMPLES["small_cnn"]())
    doc.save(str(tmp_path / "small_cnn.json"))
    doc.set_setup("epochs", 1)
    dock = TrainingDock(doc)
    qtbot.addWidget(dock, before_close_func=lambda d: d.shutdown())
    dock.show()
    pad = dock.drawpad
    assert pad.isEnabled() and pad.canvas.ink.shape == (8, 8)
    pad.canvas.resize(160, 160)
    for y in range(30, 140, 10):  # a vertical stroke down the middle
        qtbot.mousePress(pad.canvas, Qt.MouseButton.LeftButton, pos=QPointF(80, y).toPoint())
    assert pad.canvas.ink[:, 4].sum() > 5 and pad.canvas.ink[:, 0].sum() == 0
    pad.use.setChecked(True)
    dock.inspect.setChecked(True)
    run = dock.train()
    qtbot.waitUntil(lambda: not run.active, timeout=120_000)
    dock._on_tick(force=True)
    assert run.record.outcome == "finished", run.record.message + run.tail.text()
    first = run.record.extras["inspect"][0]
    assert first["sample"] == -1
    image = dock.inside.arrays["images"][0]
    assert image[:, 4].mean() > image[:, 0].mean()  # the stroke, scaled onto the digits' range
    doc.replace_project(EXAMPLES["spiral"](), None)  # no image Input: drawing does not apply
    assert not pad.isEnabled() and pad.sample() is None
