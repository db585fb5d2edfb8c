"""The Summary dock: the Keras-like table with FLOPs and memory, live updates, row clicks select."""

from __future__ import annotations

import pytest
from conftest import build_mlp, settle

from app.docks.summary import NODE_ROLE, SummaryDock
from app.document import Document
from graph.costs import format_bytes, format_flops

pytestmark = pytest.mark.gui


@pytest.fixture
def dock(qtbot):
    doc = Document()
    ids = build_mlp(doc)
    dock = SummaryDock(doc)
    qtbot.addWidget(dock)
    dock.show()
    settle()
    return dock, doc, ids


def column(dock, index: int) -> list[str]:
    return [row[index] for row in dock.rows()]


def test_rows_show_shapes_parameters_flops_and_memory(dock):
    dock, doc, ids = dock
    tree = dock.tree
    assert tree.topLevelItemCount() == 4
    dense = next(tree.topLevelItem(i) for i in range(4) if tree.topLevelItem(i).data(0, NODE_ROLE) == ids["dense"])
    assert dense.text(3) == "650"  # 64·10 + 10
    assert dense.text(4) == format_flops(2 * 64 * 10 + 10)
    assert dense.text(5) == "40 B" and dense.text(6) == format_bytes(40 * 32)  # the setup's batch of 32
    assert "N×10" in dense.text(2)
    assert "FLOPs" in dock.totals.text() and "a batch of 32" in dock.totals.text()


def test_follows_edits_renames_and_the_batch_size(dock):
    dock, doc, ids = dock
    doc.set_param(ids["dense"], "units", 20)
    settle()
    assert format_flops(2 * 64 * 20 + 20) in column(dock, 4)
    doc.graph.rename(ids["flat"], "flat_renamed")
    settle()
    assert "flat_renamed" in column(dock, 0)
    doc.set_setup("batch_size", 2)
    settle()
    assert "a batch of 2" in dock.totals.text()
    doc.remove_nodes([ids["flat"]])
    settle()
    assert "flat_renamed" not in column(dock, 0) and "?" in column(dock, 4)  # the dense lost its input


def test_clicking_a_row_selects_the_layer(dock, qtbot):
    dock, doc, ids = dock
    item = next(
        dock.tree.topLevelItem(i)
        for i in range(dock.tree.topLevelItemCount())
        if dock.tree.topLevelItem(i).data(0, NODE_ROLE) == ids["dense"]
    )
    with qtbot.waitSignal(doc.focus_requested) as focus:
        dock.tree.itemClicked.emit(item, 0)
    assert doc.selection() == [ids["dense"]] and focus.args == [ids["dense"]]
    doc.set_selection([ids["flat"]])
    selected = [i.data(0, NODE_ROLE) for i in dock.tree.selectedItems()]
    assert selected == [ids["flat"]]


def test_hidden_dock_waits_until_shown(qtbot):
    doc = Document()
    dock = SummaryDock(doc)
    qtbot.addWidget(dock)
    build_mlp(doc)
    settle()
    assert dock.tree.topLevelItemCount() == 0  # not shown yet: no work
    dock.show()
    settle()
    assert dock.tree.topLevelItemCount() == 4


def test_main_window_tabs_it_with_the_bottom_docks(window):
    settle()
    summary = window.docks["summary"]
    assert window.tabifiedDockWidgets(summary)
    assert window.docks["training"] in window.tabifiedDockWidgets(summary)
    assert not window.docks["training"].visibleRegion().isEmpty()  # the plots stay in front


def test_a_dock_behind_another_tab_waits_until_its_tab_is_raised(window):
    """Tabbed behind Training it stays "visible" to Qt, with nothing on screen: edits must not rebuild it."""
    settle()
    summary, doc = window.docks["summary"], window.doc
    assert summary.isVisible() and not summary.seen()
    dense = build_mlp(doc)["dense"]
    settle()
    summary.refresh(force=True)
    rebuilt = []
    summary.tree.model().modelReset.connect(lambda: rebuilt.append(1))
    summary.tree.model().rowsInserted.connect(lambda *_: rebuilt.append(1))
    doc.set_param(dense, "units", 7)
    doc.set_selection([dense])
    settle()
    assert not rebuilt and not summary.tree.selectedItems()  # nothing done behind the tab
    summary.raise_()
    settle()
    assert summary.seen()
    item = next(
        summary.tree.topLevelItem(i) for i in range(4) if summary.tree.topLevelItem(i).data(0, NODE_ROLE) == dense
    )
    assert item.text(3) == "455"  # 64·7 + 7: the edit made behind the tab
    assert [i.data(0, NODE_ROLE) for i in summary.tree.selectedItems()] == [dense]
