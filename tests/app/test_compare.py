"""File ▸ Compare With…: added layers green, changed orange with their changes, removed ones in the panel."""

from __future__ import annotations

import re

import pytest
from conftest import settle
from PySide6.QtCore import Qt

from app import i18n
from app.canvas.highlight import highlights
from app.compare import ADDED, CHANGED
from graph.fileformat import save

pytestmark = pytest.mark.gui


@pytest.fixture
def compared(mlp, tmp_path):
    """The MLP saved as the "before" file, then edited in the window: a changed, an added, a removed layer."""
    window, ids = mlp
    before = tmp_path / "before.json"
    save(window.doc.project, before)
    doc = window.doc
    doc.set_param(ids["dense"], "units", 12)
    doc.graph.rename(ids["flat"], "flat2")
    doc.remove_nodes([ids["head"]])
    ids["new"] = doc.add_node("relu", (900, 0))  # another type and name: not the removed head
    doc.connect(ids["dense"], "out", ids["new"], "in")
    settle()
    window.compare.get_path = lambda: str(before)
    return window, ids


def test_compare_with_highlights_the_canvas(compared):
    window, ids = compared
    window.action_map["file.compare"].trigger()
    marks = highlights(window.scene)
    assert set(marks) == {ids["dense"], ids["flat"], ids["new"]}
    assert marks[ids["new"]].color == ADDED and marks[ids["dense"]].color == CHANGED
    tip = window.scene.tooltip_for(ids["dense"])
    assert "units: 10 → 12" in tip
    assert "flatten → flat2" in window.scene.tooltip_for(ids["flat"])
    panel = window.compare
    assert panel.panel.isVisible()
    text = panel.summary.text()
    assert "before.json" in text and "1 added" in text and "2 changed" in text and "1 removed" in text
    removed_name = panel.diff.removed[0].name
    assert removed_name in text


def test_the_comparison_follows_edits_and_clears(compared, qtbot):
    window, ids = compared
    window.compare.choose()
    window.doc.set_param(ids["dense"], "units", 10)
    settle()
    assert ids["dense"] not in highlights(window.scene)  # back to the file's value
    window.compare.clear_button.click()
    assert not highlights(window.scene) and not window.compare.panel.isVisible()
    assert window.compare.clear_action.isEnabled() is False
    window.compare.choose()
    assert highlights(window.scene)
    window.view.setFocus()
    window.compare.clear_action.activated.emit()  # what Esc does
    assert not highlights(window.scene) and not window.compare.active


def test_escape_clears_only_while_comparing(compared, qtbot):
    window, ids = compared
    window.compare.choose()
    window.activateWindow()
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_Escape)
    assert not window.compare.active and not highlights(window.scene)


def test_equal_files_and_unreadable_files(mlp, tmp_path):
    window, ids = mlp
    same = tmp_path / "same.json"
    save(window.doc.project, same)
    diff = window.compare.compare_with(str(same))
    assert diff.equal and not highlights(window.scene)
    assert "No differences" in window.compare.summary.text()
    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    assert window.compare.compare_with(str(bad)) is None and window.errors
    window.new_project()  # another project: the comparison ends
    assert not window.compare.active and not window.compare.panel.isVisible()


def test_highlights_never_take_clicks_from_the_node(compared):
    window, ids = compared
    window.compare.choose()
    item = window.scene.nodes[ids["dense"]]
    top = window.scene.items(item.mapToScene(item.boundingRect().center()))[0]
    assert top is item


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_file_menu_mnemonics_stay_unique(qapp, tmp_path, qtbot, lang):
    from app.main_window import MainWindow

    try:
        i18n.install_translator(qapp, lang)
        win = MainWindow(recovery_folder=tmp_path / "r")
        qtbot.addWidget(win)
        menu = win.menuBar().actions()[0].menu()
        keys = [m.group(1).lower() for a in menu.actions() if (m := re.search(r"&(\w)", a.text()))]
        assert len(keys) == len(set(keys)), keys
        if lang == "zh_CN":
            assert win.action_map["file.compare"].text() != "&Compare With…"
            assert win.docks["summary"].windowTitle() != "Summary"
    finally:
        i18n.install_translator(qapp, "en")


def test_a_live_language_switch_retranslates_the_new_texts(qapp, compared):
    window, ids = compared
    window.compare.choose()
    try:
        i18n.install_translator(qapp, "zh_CN")
        settle()
        assert window.action_map["file.compare"].text() == "与文件比较(&C)…"
        assert window.compare.clear_button.text() == "清除比较"
        assert window.compare.summary.text().startswith("与 before.json 比较")
        assert window.docks["summary"].windowTitle() == "摘要"
        assert window.docks["summary"].tree.headerItem().text(2) == "输出形状"
    finally:
        i18n.install_translator(qapp, "en")
        settle()
    assert window.compare.clear_button.text() == "Clear Comparison"
