"""Issue 11 points 16–17 and the zoom of point 12: the Help menu, loud dock failures, one check for
names and values on every path, and a readable default zoom."""

from __future__ import annotations

import json
import os
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from PySide6.QtWidgets import QApplication

from app import i18n
from app.actions import ACTIONS, translate
from app.document import Document
from graph.fileformat import ProjectFileError, loads, to_document
from graph.model import GraphError
from graph.project import Project

pytestmark = pytest.mark.gui

EXAMPLES = os.path.join(os.path.dirname(__file__), "..", "..", "resources", "examples")


# ----------------------------------------------------------------------------- Help menu
def test_help_menu_has_about_shortcuts_and_layer_reference(window):
    ids = [a.id for a in ACTIONS if a.menu == "help"]
    assert ids == ["help.layers", "help.shortcuts", "help.about"]
    about = window.about()
    assert about.isVisible() and window.about() is about  # one of each, raised again
    text = about.label.text()
    from app.help_dialogs import PROJECT_ROOT, app_version

    assert app_version() == "0.1.0" and "0.1.0" in text
    assert "Python" in text and "Qt" in text and str(PROJECT_ROOT) in text
    about.close()


def test_version_falls_back_to_pyproject(monkeypatch):
    import importlib.metadata

    from app import help_dialogs

    def missing(name):
        raise importlib.metadata.PackageNotFoundError(name)

    monkeypatch.setattr(importlib.metadata, "version", missing)
    assert help_dialogs.app_version() == "0.1.0"


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_shortcuts_list_every_action_in_the_ui_language(qapp, window, lang):
    from app.help_dialogs import ShortcutsDialog

    try:
        i18n.install_translator(qapp, lang)
        dialog = ShortcutsDialog(window)
        rows = dialog.rows()
        names = [name.removesuffix(" ▸") for _, name, _ in rows]
        for spec in ACTIONS:
            plain = translate(spec.text).replace("&", "")
            if lang == "zh_CN":
                import re

                plain = re.sub(r"\((\w)\)", "", plain)
            assert plain in names, (lang, spec.id)
        by_name = {name: keys for _, name, keys in rows}
        save = "Save" if lang == "en" else "保存"
        assert by_name[save] == "Ctrl+S"
        assert "Ctrl+Shift+Z" in by_name["Redo" if lang == "en" else "重做"]
        if lang == "zh_CN":
            assert "撤销" in names and "画布" in [menu for menu, _, _ in rows]
        dialog.search.setText("Ctrl+S")
        assert all("ctrl+s" in " ".join(r).casefold() for r in dialog.rows()) and dialog.rows()
    finally:
        i18n.install_translator(qapp, "en")


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_layer_reference_lists_every_layer_searchably(qapp, window, lang):
    from app.help_dialogs import LayerReferenceDialog

    try:
        i18n.install_translator(qapp, lang)
        dialog = window.show_layer_reference()
        assert isinstance(dialog, LayerReferenceDialog)
        catalog = window.doc.graph.catalog
        assert dialog.visible_type_ids() == [s.type_id for s in catalog]
        dialog.show_layer("conv2d")
        page = dialog.page.toPlainText()
        summary = catalog["conv2d"].summary_zh if lang == "zh_CN" else catalog["conv2d"].summary
        assert summary in page and "kernel_size" in page
        dialog.search.setText("卷积" if lang == "zh_CN" else "conv")
        shown = dialog.visible_type_ids()
        assert "conv2d" in shown and "dense" not in shown
        dialog.search.setText("zzzz-nothing")
        assert dialog.visible_type_ids() == []
        dialog.close()
        window.help_dialogs.clear()
    finally:
        i18n.install_translator(qapp, "en")


# ----------------------------------------------------------------------------- loud dock failures
def test_a_dock_that_fails_to_import_stops_the_start_up_naming_it(qtbot, monkeypatch, tmp_path):
    import importlib

    from app import main_window

    real = importlib.import_module

    def broken(name, *args):
        if name == "app.docks.history":
            raise ImportError("No module named 'app.docks.history'")
        return real(name, *args)

    monkeypatch.setattr(main_window.importlib, "import_module", broken)
    with pytest.raises(main_window.DockLoadError, match=r"history panel .*app\.docks\.history\.HistoryDock"):
        main_window.MainWindow(autosave=False)
    monkeypatch.setattr(main_window, "DOCKS", (*main_window.DOCKS[:1], ("x", "app.docks.palette", "NoSuch", 1)))
    monkeypatch.setattr(main_window.importlib, "import_module", real)
    with pytest.raises(main_window.DockLoadError, match=r"app\.docks\.palette\.NoSuch.*AttributeError"):
        main_window.MainWindow(autosave=False)


# ----------------------------------------------------------------------------- one check everywhere
BAD_PARAMS = [
    ("conv2d", "filters", 0, "filters must be ≥ 1 (got 0)"),
    ("conv2d", "padding", [0, -1, 0, 0], "padding must be ≥ 0 (got -1)"),
    ("conv2d", "kernel_size", [3], "kernel_size must have 2 values (got 1)"),
    ("dense", "units", "ten", "units must be an integer"),
    ("dense", "units", 2**60, "units must be ≤ 1e+06 (got a number of about 19 digits)"),
    ("dropout", "rate", -0.5, "rate must be ≥ 0 (got -0.5)"),
    ("dense", "nope", 1, "Dense has no parameter 'nope'"),
]


def _file_with(type_id: str, params=None, name=None) -> str:
    project = Project()
    project.graph.add_node("input.vector", name="x")
    project.graph.add_node(type_id)
    doc = to_document(project)
    if params:
        doc["nodes"][1]["params"].update(params)
    if name is not None:
        doc["nodes"][1]["name"] = name
    return json.dumps(doc)


def _cli_check(tmp_path, text: str, capsys) -> str:
    from app.cli import main

    path = tmp_path / "bad.json"
    path.write_text(text, encoding="utf-8")
    assert main(["check", str(path)]) != 0
    return capsys.readouterr().err


@pytest.mark.parametrize(("type_id", "name", "value", "reason"), BAD_PARAMS)
def test_a_bad_value_is_refused_with_one_message_on_every_path(qtbot, tmp_path, capsys, type_id, name, value, reason):
    from app.docks.inspector import InspectorDock

    doc = Document()
    nid = doc.add_node(type_id)
    doc.undo_stack.clear()
    before = dict(doc.graph.node(nid).params)
    # the Document (what every editor calls)
    assert reason in doc.set_param(nid, name, value)
    # the inspector's editor, when it has one
    if name in doc.graph.node(nid).params:
        dock = InspectorDock(doc)
        qtbot.addWidget(dock)
        doc.set_selection([nid])
        dock.editor(name).edited.emit(value)
        assert reason in dock.editor(name).error.text()
    # the graph itself (commands, paste, quick-add, the importers)
    with pytest.raises(GraphError, match=None) as err:
        doc.graph.set_param(nid, name, value)
    assert reason in str(err.value)
    with pytest.raises(GraphError) as err:
        doc.graph.add_node(type_id, {name: value})
    assert reason in str(err.value)
    # a project file, and the CLI reading one
    text = _file_with(type_id, {name: value})
    with pytest.raises(ProjectFileError) as err:
        loads(text)
    assert reason in err.value.message
    assert reason in _cli_check(tmp_path, text, capsys)
    assert doc.graph.node(nid).params == before and doc.undo_stack.count() == 0


BAD_NAMES = [
    ("   ", "a layer name cannot be empty"),
    ("x" * 81, "at most 80 characters"),
    ("evil\u202ename", "U+202E RIGHT-TO-LEFT OVERRIDE"),
    ("x", "another layer is already named 'x'"),
]


@pytest.mark.parametrize(("bad", "reason"), BAD_NAMES)
def test_a_bad_name_is_refused_with_one_message_on_every_path(qtbot, tmp_path, capsys, bad, reason):
    from app.docks.inspector import InspectorDock

    doc = Document()
    doc.add_node("input.vector")
    doc.rename(doc.graph.node_ids()[0], "x")
    nid = doc.add_node("dense")
    doc.undo_stack.clear()
    assert reason in doc.rename(nid, bad)
    assert reason in doc.graph.name_problem(bad, nid)
    dock = InspectorDock(doc)
    qtbot.addWidget(dock)
    doc.set_selection([nid])
    dock.panel.name_edit.setText(bad)
    dock.panel.name_edit.editingFinished.emit()
    assert reason in dock.panel.name_error.text()
    for call in (lambda: doc.graph.rename(nid, bad), lambda: doc.graph.add_node("dense", name=bad)):
        with pytest.raises(GraphError) as err:
            call()
        assert reason in str(err.value)
    text = _file_with("dense", name=bad)
    with pytest.raises(ProjectFileError) as err:
        loads(text)
    assert reason in err.value.message
    assert reason in _cli_check(tmp_path, text, capsys)
    assert doc.graph.node(nid).name == "dense" and doc.undo_stack.count() == 0


def test_a_bad_setup_value_is_refused_alike(tmp_path):
    doc = Document()
    reason = "batch_size must be ≥ 1 (got 0)"
    assert reason in doc.set_setup("batch_size", 0)
    with pytest.raises(GraphError, match="batch_size"):
        doc.project.set_setup("batch_size", 0)
    data = json.loads(_file_with("dense"))
    data["training"]["batch_size"] = 0
    with pytest.raises(ProjectFileError) as err:
        loads(json.dumps(data))
    assert reason in err.value.message


# ----------------------------------------------------------------------------- readable fit zoom
def test_fit_keeps_node_text_readable_on_a_large_graph(window):
    from app.canvas.node_item import _fonts
    from app.canvas.view import MIN_TEXT_PX

    window.resize(1280, 720)
    assert window.open_example(Path(EXAMPLES) / "unet_segmenter.json")
    for _ in range(3):
        QApplication.processEvents()
    view = window.view
    view.fit_all()
    small = _fonts()[1]
    text_px = small.pointSizeF() * view.logicalDpiY() / 72 * view.zoom()
    assert text_px >= MIN_TEXT_PX - 1e-6
    # the whole graph does not fit at that zoom: the view starts where the graph starts (its Input)
    visible = view.mapToScene(view.viewport().rect()).boundingRect()
    nodes = window.scene.nodes
    start = next(item for nid, item in nodes.items() if window.doc.graph.spec(nid).is_input)
    assert visible.contains(start.sceneBoundingRect())
    assert not all(visible.contains(item.sceneBoundingRect()) for item in nodes.values())
    left = min(item.pos().x() for item in nodes.values())
    assert visible.left() <= left < visible.left() + 120 / view.zoom()
