"""The main window: undo/redo, clipboard, files, prompts, status bar, and what the process imports."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from app.mime import PROJECT_MIME
from graph.fileformat import dumps

pytestmark = pytest.mark.gui
ROOT = Path(__file__).resolve().parents[2]


def settle() -> None:
    QApplication.processEvents()
    QApplication.processEvents()


def _mirrors(window) -> bool:
    """The scene holds exactly one item per graph node and edge."""
    graph, scene = window.doc.graph, window.scene
    return set(scene.nodes) == set(graph.node_ids()) and set(scene.edges) == {e.key for e in graph.edges()}


def _random_edit(doc, rng: random.Random) -> None:
    graph = doc.graph
    ids = graph.node_ids()
    op = rng.choice(
        [
            "add",
            "add",
            "connect",
            "connect",
            "remove",
            "param",
            "move",
            "rename",
            "disconnect",
            "splice",
            "paste",
            "layout",
        ]
    )
    if op == "add" or not ids:
        doc.add_node(
            rng.choice(["input.vector", "dense", "relu", "dropout", "add", "output.regression"]),
            (rng.randrange(0, 2000, 20), rng.randrange(0, 1000, 20)),
        )
    elif op == "connect":
        a, b = rng.choice(ids), rng.choice(ids)
        doc.connect(a, "out", b, "in")  # refusals are fine: they change nothing
    elif op == "remove":
        doc.remove_nodes(rng.sample(ids, min(len(ids), rng.randint(1, 2))))
    elif op == "param":
        dense = [n for n in ids if graph.node(n).type == "dense"]
        if dense:
            doc.set_param(rng.choice(dense), "units", rng.randint(1, 300))
    elif op == "move":
        nid = rng.choice(ids)
        doc.move_nodes({nid: (graph.node(nid).pos, (rng.randrange(0, 2000, 20), rng.randrange(0, 1000, 20)))})
    elif op == "rename":
        nid = rng.choice(ids)
        doc.rename(nid, f"layer_{rng.randint(0, 10**6)}")
    elif op == "disconnect" and graph.edges():
        doc.disconnect(rng.choice(graph.edges()))
    elif op == "splice" and graph.edges():
        doc.splice("relu", rng.choice(graph.edges()), (100.0, 100.0))
    elif op == "paste":
        doc.paste(doc.copy(rng.sample(ids, min(3, len(ids)))))
    elif op == "layout":
        doc.auto_layout()


def test_long_random_undo_redo_restores_the_graph_exactly(window):
    doc, rng = window.doc, random.Random(4)
    states = [dumps(doc.project)]
    for _ in range(150):
        before = doc.undo_stack.index()
        _random_edit(doc, rng)
        if doc.undo_stack.index() != before:
            states.append(dumps(doc.project))
    assert len(states) > 100
    settle()
    assert _mirrors(window)
    for expected in reversed(states[:-1]):
        doc.undo_stack.undo()
        assert dumps(doc.project) == expected
    assert _mirrors(window)
    for expected in states[1:]:
        doc.undo_stack.redo()
        assert dumps(doc.project) == expected
    settle()
    assert _mirrors(window)
    for nid, item in window.scene.nodes.items():
        assert (item.pos().x(), item.pos().y()) == doc.graph.node(nid).pos


def test_copy_paste_through_the_clipboard(mlp):
    window, ids = mlp
    window.doc.set_selection([ids["flat"], ids["dense"]])
    assert window.copy()
    mime = QGuiApplication.clipboard().mimeData()
    assert mime.hasFormat(PROJECT_MIME) and json.loads(mime.text())["format"] == "layerlab-project"
    new = window.paste()
    graph = window.doc.graph
    assert len(new) == 2 and len(graph) == 6
    assert any(e.src == new[0] and e.dst == new[1] for e in graph.edges())  # the inner edge came along
    assert window.doc.selection() == new
    window.undo()
    assert len(graph) == 4 and _mirrors(window)


def test_paste_of_plain_text_json_and_of_garbage(window):
    QGuiApplication.clipboard().setText("not a project")
    assert window.paste() == [] and len(window.doc.graph) == 0
    assert "clipboard" in window.statusBar().currentMessage().lower()


def test_cut_duplicate_delete_and_select_all(mlp):
    window, ids = mlp
    doc = window.doc
    doc.set_selection([ids["dense"]])
    window.duplicate()
    assert len(doc.graph) == 5
    window.select_all()
    assert len(doc.selection()) == 5
    doc.set_selection([ids["head"]])
    window.cut()
    assert ids["head"] not in doc.graph
    doc.set_selection([])
    edge = next(e for e in doc.graph.edges() if e.src == ids["flat"])
    window.scene.edges[edge.key].setSelected(True)
    window.delete_selection()
    assert edge.key not in {e.key for e in doc.graph.edges()}
    assert _mirrors(window)


def test_save_then_open_round_trip_and_modified_mark(mlp, tmp_path):
    window, _ = mlp
    target = tmp_path / "model.json"
    assert window.isWindowModified()
    window.get_save_path = lambda: str(tmp_path / "model")
    assert window.save()
    assert target.exists() and not window.isWindowModified() and "model.json" in window.windowTitle()
    saved = dumps(window.doc.project)
    window.doc.add_node("relu")
    assert window.isWindowModified()
    assert window.open_file(str(target))  # confirm_discard answers "discard"
    assert dumps(window.doc.project) == saved and not window.isWindowModified()
    assert _mirrors(window)


def test_cancelled_prompt_keeps_the_work(mlp):
    window, _ = mlp
    window.confirm_discard = lambda: "cancel"
    window.new_project()
    assert len(window.doc.graph) == 4


def test_a_file_that_fails_to_load_shows_why_and_keeps_the_work(mlp, tmp_path):
    window, _ = mlp
    before = dumps(window.doc.project)
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "layerlab-project", "version": 1, "nodes": [{"id": 3}]}')
    assert not window.open_file(str(bad))
    assert window.errors and "bad.json" in window.errors[0]
    assert dumps(window.doc.project) == before and _mirrors(window)


def test_status_bar_shows_parameters_state_and_selection(mlp):
    window, ids = mlp
    assert "650" in window.params_label.text()
    assert "valid" in window.state_label.text()
    window.doc.set_selection([ids["dense"]])
    assert window.selection_label.text() == window.doc.graph.node(ids["dense"]).name
    window.doc.remove_nodes([ids["head"]])
    settle()
    assert "error" in window.state_label.text()


def test_examples_menu_opens_every_example(window):
    from app.main_window import example_files

    files = example_files()
    assert files
    for path in files:
        assert window.open_example(path), path
        assert _mirrors(window) and len(window.doc.graph) > 0
        assert window.doc.path is None  # an untitled copy
        # …whose bundled data is still found (the char LSTM's text file is relative to the example)
        assert not [d for d in window.doc.analysis().diagnostics if d.severity == "error"], path
        assert window.doc.project.dataset_info(window.doc.base_dir)[1] is None, path


def test_the_gui_process_imports_neither_torch_nor_tensorflow():
    code = (
        "import os, sys; os.environ['QT_QPA_PLATFORM'] = 'offscreen'\n"
        "from app.cli_gui import build_window\n"
        "w, _ = build_window(None, autosave=False); w.show()\n"
        "from PySide6.QtWidgets import QApplication; QApplication.processEvents()\n"
        "assert 'torch' not in sys.modules and 'tensorflow' not in sys.modules, "
        "[m for m in sys.modules if m.split('.')[0] in ('torch', 'tensorflow')]\n"
        "print('ok')\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "ok" in result.stdout


def test_the_window_fits_a_small_screen(qtbot, tmp_path, monkeypatch):
    """Defect: 1400×900 whatever the screen; on 1280×720 the docks and status bar were off-screen."""
    from PySide6.QtCore import QRect

    from app.main_window import MainWindow

    class Screen:
        def availableGeometry(self):
            return QRect(0, 0, 1280, 690)

    monkeypatch.setattr(MainWindow, "screen", lambda self: Screen())
    win = MainWindow(recovery_folder=tmp_path / "r")
    qtbot.addWidget(win)
    assert win.width() <= 1280 and win.height() <= 690 and win.x() >= 0 and win.y() >= 0


def test_the_default_layout_shows_the_training_plots(window):
    """Defect: the plots got about 30 px and the Problems tab was in front."""
    training = window.docks["training"]
    settle()
    assert not training.visibleRegion().isEmpty()
    assert training.height() >= 200 and training.plots.layout_widget.height() >= 100


def test_examples_menu_shows_titles_and_recent_files_their_folder(window, tmp_path):
    from PySide6.QtWidgets import QMenu

    menu = QMenu()
    window.fill_examples_menu(menu)
    texts = [a.text() for a in menu.actions()]
    assert "Tiny U-Net" in texts and "Digits MLP" in texts and not any("_" in t for t in texts)
    path = tmp_path / "mine" / "project.json"
    path.parent.mkdir()
    window.doc.save(str(path))
    window.add_recent(str(path))
    window.fill_recent_menu(menu)
    assert menu.actions()[0].text() == f"project.json — {path.parent.resolve()}"


def test_dialogs_never_start_in_the_bundled_examples(window):
    from app.main_window import EXAMPLES_DIR

    window.add_recent(str(EXAMPLES_DIR / "digits_mlp.json"))
    assert Path(window._dialog_dir()).resolve() != EXAMPLES_DIR.resolve()


def test_a_saved_notice_does_not_outlive_its_project(window, tmp_path):
    window.doc.save(str(tmp_path / "a.json"))
    window.statusBar().showMessage("Saved a.json", 5000)
    from app.main_window import example_files

    window.open_example(example_files()[0])
    assert window.statusBar().currentMessage() == ""
