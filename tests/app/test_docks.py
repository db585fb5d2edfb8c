"""The docks: palette, inspector, problems, code, history (pytest-qt, offscreen)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from PySide6.QtCore import Qt

from app.docks.code import CodeDock, load_generator
from app.docks.history import HistoryDock
from app.docks.inspector import InspectorDock, NodePanel, SetupPanel
from app.docks.palette import TYPE_ROLE, PaletteDock
from app.docks.problems import NODE_ROLE, ProblemsDock
from app.document import Document
from app.mime import LAYER_MIME
from app.quick_add import QuickAddPopup
from graph.project import Project

pytestmark = pytest.mark.gui


@pytest.fixture
def doc():
    return Document()


@pytest.fixture
def mlp(doc):
    """input → dense → classification head; returns (doc, ids)."""
    ids = {"in": doc.add_node("input.image", params={"channels": 1, "height": 8, "width": 8})}
    ids["flat"] = doc.add_node("flatten")
    ids["dense"] = doc.add_node("dense", params={"units": 10})
    ids["head"] = doc.add_node("output.classification")
    doc.connect(ids["in"], "out", ids["flat"], "in")
    doc.connect(ids["flat"], "out", ids["dense"], "in")
    doc.connect(ids["dense"], "out", ids["head"], "in")
    doc.undo_stack.clear()
    return doc, ids


def _commit(line_edit, text: str) -> None:
    line_edit.setText(text)
    line_edit.editingFinished.emit()


# ----------------------------------------------------------------------------- palette
def test_palette_search_filters_in_both_languages(qtbot, doc):
    dock = PaletteDock(doc)
    qtbot.addWidget(dock)
    everything = dock.visible_type_ids()
    assert "dense" in everything and "conv2d" in everything
    dock.search.setText("conv")
    shown = dock.visible_type_ids()
    assert "conv2d" in shown and "conv1d" in shown and "dense" not in shown
    dock.search.setText("卷积")
    assert "conv2d" in dock.visible_type_ids() and "dense" not in dock.visible_type_ids()
    dock.search.setText("zzz-no-such-layer")
    assert dock.visible_type_ids() == []
    dock.search.clear()
    assert dock.visible_type_ids() == everything


def test_palette_drag_carries_type_id(qtbot, doc):
    dock = PaletteDock(doc)
    qtbot.addWidget(dock)
    item = next(it for it in dock.layer_items() if it.data(0, TYPE_ROLE) == "dense")
    mime = dock.tree.mimeData([item])
    assert mime.hasFormat(LAYER_MIME)
    assert bytes(mime.data(LAYER_MIME)).decode() == "dense"
    assert "Dense" in item.toolTip(0) and "x·W" in item.toolTip(0)  # explanation and formula


def test_palette_double_click_requests_add_or_adds_itself(qtbot, doc):
    dock = PaletteDock(doc)
    qtbot.addWidget(dock)
    item = next(it for it in dock.layer_items() if it.data(0, TYPE_ROLE) == "relu")
    dock.tree.itemDoubleClicked.emit(item, 0)  # nobody listening: the dock adds at (0, 0)
    assert [n.type for n in doc.graph.nodes()] == ["relu"]
    assert doc.graph.nodes()[0].pos == (0.0, 0.0)
    with qtbot.waitSignal(dock.add_requested) as blocker:
        dock.add_requested.connect(lambda t: None)
        dock.tree.itemDoubleClicked.emit(item, 0)
    assert blocker.args == ["relu"] and len(doc.graph) == 1


def test_quick_add_popup_chooses_by_typing(qtbot, doc):
    popup = QuickAddPopup(doc.graph.catalog)
    qtbot.addWidget(popup)
    popup.edit.setText("全连接")
    assert popup.visible_type_ids() == ["dense"]
    with qtbot.waitSignal(popup.chosen) as blocker:
        qtbot.keyClick(popup.edit, Qt.Key.Key_Return)
    assert blocker.args == ["dense"]


# ----------------------------------------------------------------------------- inspector
def test_inspector_edit_is_one_undo_step_and_merges(qtbot, mlp):
    doc, ids = mlp
    dock = InspectorDock(doc)
    qtbot.addWidget(dock)
    doc.set_selection([ids["dense"]])
    assert isinstance(dock.panel, NodePanel)
    spin = dock.editor("units").spin
    spin.setValue(11)
    spin.setValue(12)
    assert doc.graph.node(ids["dense"]).params["units"] == 12
    assert doc.undo_stack.count() == 1  # consecutive edits of one field merged
    doc.undo_stack.undo()
    assert doc.graph.node(ids["dense"]).params["units"] == 10
    assert spin.value() == 10  # the editor follows the graph
    assert doc.undo_stack.count() == 1 and doc.undo_stack.index() == 0


def test_inspector_rows_lists_and_choices(qtbot, doc):
    conv = doc.add_node("conv2d")
    reshape = doc.add_node("reshape")
    dock = InspectorDock(doc)
    qtbot.addWidget(dock)
    doc.set_selection([conv])
    pad = dock.editor("padding")
    assert len(pad.spins) == 4
    pad.spins[2].setValue(1)
    assert doc.graph.node(conv).params["padding"] == [0, 0, 1, 0]
    doc.set_selection([reshape])
    _commit(dock.editor("target_shape").edit, "2, -1")
    assert doc.graph.node(reshape).params["target_shape"] == [2, -1]


def test_inspector_invalid_value_shows_message_and_changes_nothing(qtbot, doc):
    drop = doc.add_node("dropout")
    doc.undo_stack.clear()
    dock = InspectorDock(doc)
    qtbot.addWidget(dock)
    doc.set_selection([drop])
    editor = dock.editor("rate")
    before = doc.graph.node(drop).params["rate"]
    _commit(editor.edit, "5")
    assert not editor.error.isHidden() and "rate" in editor.error.text()
    _commit(editor.edit, "abc")
    assert "not a number" in editor.error.text()
    assert doc.graph.node(drop).params["rate"] == before and doc.undo_stack.count() == 0
    _commit(editor.edit, "0.25")
    assert editor.error.isHidden() and doc.graph.node(drop).params["rate"] == 0.25


def test_inspector_rename_and_shape(qtbot, mlp):
    doc, ids = mlp
    dock = InspectorDock(doc)
    qtbot.addWidget(dock)
    doc.set_selection([ids["dense"]])
    _commit(dock.panel.name_edit, "  ")
    assert "empty" in dock.panel.name_error.text()
    taken = doc.graph.node(ids["flat"]).name
    _commit(dock.panel.name_edit, taken)
    assert "already" in dock.panel.name_error.text()
    _commit(dock.panel.name_edit, "logits")
    assert doc.graph.node(ids["dense"]).name == "logits"
    assert "10" in dock.panel.shape_label.text()
    assert dock.panel.count_label.text() == "650"


def test_setup_shown_and_edited_when_nothing_selected(qtbot, doc):
    dock = InspectorDock(doc)
    qtbot.addWidget(dock)
    assert isinstance(dock.panel, SetupPanel)
    _commit(dock.editor("learning_rate").edit, "1e-7")
    assert doc.project.setup["learning_rate"] == 1e-7
    assert dock.editor("learning_rate").edit.text() == "1e-07"
    assert dock.editor("momentum").isHidden() and not dock.editor("beta1").isHidden()
    combo = dock.editor("optimizer").combo
    combo.setCurrentIndex(combo.findData("sgd"))
    assert doc.project.setup["optimizer"] == "sgd"
    assert not dock.editor("momentum").isHidden() and dock.editor("beta1").isHidden()
    assert dock.editor("dataset_path").isHidden()  # bundled digits need no path
    doc.undo_stack.undo()
    assert combo.currentData() == "adam" and dock.editor("momentum").isHidden()


def test_inspector_rebinds_on_project_replaced(qtbot, doc):
    dock = InspectorDock(doc)
    qtbot.addWidget(dock)
    doc.replace_project(Project(), None)
    nid = doc.add_node("dense")
    doc.set_selection([nid])
    doc.set_param(nid, "units", 7)
    assert dock.editor("units").spin.value() == 7


# ----------------------------------------------------------------------------- problems, history
def test_problems_click_selects_and_focuses(qtbot, doc):
    lonely = doc.add_node("dense")
    dock = ProblemsDock(doc)
    qtbot.addWidget(dock)
    qtbot.waitUntil(lambda: dock.tree.topLevelItemCount() > 0)
    item = next(
        dock.tree.topLevelItem(i)
        for i in range(dock.tree.topLevelItemCount())
        if dock.tree.topLevelItem(i).data(0, NODE_ROLE) == lonely
    )
    with qtbot.waitSignal(doc.focus_requested) as blocker:
        rect = dock.tree.visualItemRect(item)
        qtbot.mouseClick(dock.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert blocker.args == [lonely] and doc.selection() == [lonely]


def test_history_lists_undo_stack(qtbot, doc):
    dock = HistoryDock(doc)
    qtbot.addWidget(dock)
    doc.add_node("dense")
    assert dock.view.stack() is doc.undo_stack
    assert dock.view.model().rowCount() == 2  # "<original>" + one command


# ----------------------------------------------------------------------------- code
@dataclass
class FakeCode:
    framework: str
    source: str
    node_lines: dict = field(default_factory=dict)
    problems: list = field(default_factory=list)


def fake_generate(project, framework, project_dir=None):
    """One line per layer after a header, like the real generator's contract."""
    lines, node_lines = [f"# {framework}", "import x"], {}
    for node in project.graph.nodes():
        lines.append(f"{node.name} = layer({node.type}, {node.params.get('units', '')})")
        node_lines[node.id] = [(len(lines), len(lines))]
    return FakeCode(framework, "\n".join(lines) + "\n", node_lines)


def test_code_dock_follows_edits_after_debounce_and_highlights(qtbot, mlp, tmp_path):
    doc, ids = mlp
    dock = CodeDock(doc)
    qtbot.addWidget(dock)
    dock.generate = fake_generate
    dock.last_ms = 0.0  # the real generator's first run (imports) may have been slow
    dock.regenerate()
    view = dock.views["pytorch"]
    assert "layer(dense, 10)" in view.toPlainText()
    doc.set_param(ids["dense"], "units", 33)
    assert "layer(dense, 10)" in view.toPlainText()  # debounced: not yet
    qtbot.waitUntil(lambda: "layer(dense, 33)" in view.toPlainText(), timeout=10_000)  # a busy 2-core CI can be slow
    doc.set_selection([ids["dense"]])
    line = dock.results["pytorch"].node_lines[ids["dense"]][0][0]
    assert view.highlighted_lines() == [line]
    assert dock.views["tensorflow"].highlighted_lines() == [line]
    doc.set_selection([])
    assert view.highlighted_lines() == []
    target = tmp_path / "out.py"
    dock.save_file_name = lambda *a: (str(target), "")
    assert dock.export("tensorflow") == str(target)
    assert target.read_text(encoding="utf-8").startswith("# tensorflow")


def test_code_dock_worker_drops_stale_results(qtbot, mlp):
    doc, ids = mlp
    dock = CodeDock(doc)
    qtbot.addWidget(dock)
    dock.generate = fake_generate
    dock.last_ms = 1000.0  # pretend generation is slow: use the thread pool
    dock.regenerate()
    stale = dock.generation
    doc.set_param(ids["dense"], "units", 44)
    dock.regenerate()
    qtbot.waitUntil(lambda: "layer(dense, 44)" in dock.views["pytorch"].toPlainText(), timeout=3000)
    dock._apply(stale, {fw: fake_generate(Project(), fw) for fw in ("pytorch", "tensorflow")})
    assert "layer(dense, 44)" in dock.views["pytorch"].toPlainText()  # the stale result was dropped


def test_code_dock_with_real_generator(qtbot, mlp):
    generate = load_generator()
    doc, ids = mlp
    for fw in ("pytorch", "tensorflow"):
        assert not generate(doc.project, fw).problems
    dock = CodeDock(doc)
    qtbot.addWidget(dock)
    doc.rename(ids["dense"], "scores_layer")  # (changing units would break the digits head)
    qtbot.waitUntil(lambda: "scores_layer" in dock.views["pytorch"].toPlainText(), timeout=3000)
    assert "scores_layer" in dock.views["tensorflow"].toPlainText()
    doc.set_selection([ids["dense"]])
    for fw in ("pytorch", "tensorflow"):
        lines = dock.views[fw].highlighted_lines()
        assert lines and lines == [n for a, b in dock.results[fw].node_lines[ids["dense"]] for n in range(a, b + 1)]


def test_code_dock_side_by_side_shows_both_scripts_and_back(qtbot, mlp):
    doc, ids = mlp
    dock = CodeDock(doc)
    qtbot.addWidget(dock)
    dock.show()
    dock.set_side_by_side(True)
    assert dock.split_button.isChecked() and dock.stack.currentWidget() is dock.splitter
    assert [dock.splitter.widget(i) for i in range(2)] == [dock.views["pytorch"], dock.views["tensorflow"]]
    assert dock.tabs.count() == 0
    qtbot.waitUntil(lambda: all(dock.views[fw].isVisible() for fw in ("pytorch", "tensorflow")), timeout=2000)
    assert all(dock.views[fw].width() > 50 for fw in ("pytorch", "tensorflow"))  # both shown, not collapsed
    doc.set_selection([ids["dense"]])
    assert dock.views["pytorch"].highlighted_lines() and dock.views["tensorflow"].highlighted_lines()
    dock.split_button.setChecked(False)
    assert dock.tabs.count() == 2 and dock.stack.currentWidget() is dock.tabs
    assert dock.tabs.widget(0) is dock.views["pytorch"]
    dock.set_side_by_side(True)  # and again: a view hidden by the tab widget must come back
    qtbot.waitUntil(lambda: all(dock.views[fw].isVisible() for fw in ("pytorch", "tensorflow")), timeout=2000)


def test_kernel_sizes_stay_square_unless_unlinked(qtbot):
    """Defect: kh = 5 silently gave a 5×3 kernel (separate fields, no link)."""
    from app.docks.editors import make_editor
    from graph.catalog import default_catalog

    editor = make_editor(default_catalog()["conv2d"].param("kernel_size"))
    qtbot.addWidget(editor)
    got = []
    editor.edited.connect(got.append)
    editor.set_value([3, 3])
    editor.spins[0].setValue(5)
    assert got[-1] == [5, 5] and editor.spins[1].value() == 5
    editor.link.setChecked(False)
    editor.spins[0].setValue(7)
    assert got[-1] == [7, 5]
    editor.set_value([2, 4])  # a layer whose kernel is not square shows unlinked
    assert not editor.link.isChecked()
    padding = make_editor(default_catalog()["conv2d"].param("padding"))  # four sides: no link
    qtbot.addWidget(padding)
    assert padding.link is None
