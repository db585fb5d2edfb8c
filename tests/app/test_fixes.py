"""One-click fixes in the app: from the Problems dock, the node badge and the node menu; one undo step."""

from __future__ import annotations

import json

from PySide6.QtCore import QPointF, Qt
from PySide6.QtTest import QTest

from app.canvas.node_item import HEADER, WIDTH
from app.context_menus import find_action
from graph.fileformat import to_document
from tests.app.conftest import settle


def _snapshot(doc) -> str:
    return json.dumps(to_document(doc.project), sort_keys=True)


def _cnn_without_flatten(doc) -> dict[str, str]:
    """Image(1×8×8) → Conv2D → Dense(10) → Classification: Dense gets a feature map."""
    ids = {"in": doc.add_node("input.image", (0, 0), {"channels": 1, "height": 8, "width": 8})}
    ids["conv"] = doc.add_node("conv2d", (240, 0))
    ids["dense"] = doc.add_node("dense", (480, 0), {"units": 10})
    ids["head"] = doc.add_node("output.classification", (720, 0))
    doc.connect(ids["in"], "out", ids["conv"], "in")
    doc.connect(ids["conv"], "out", ids["dense"], "in")
    doc.connect(ids["dense"], "out", ids["head"], "in")
    settle()
    return ids


def test_fix_button_in_problems_dock_applies_and_undo_restores_exactly(window):
    doc, dock = window.doc, window.docks["problems"]
    ids = _cnn_without_flatten(doc)
    before, steps = _snapshot(doc), doc.undo_stack.count()
    row = next(i for i, d in enumerate(dock.rows) if d.node_id == ids["dense"] and d.action is not None)
    button = dock.fix_button(row)
    assert button is not None and button.text()
    button.click()
    settle()
    assert doc.undo_stack.count() == steps + 1  # one step
    flat = [n for n in doc.graph.nodes() if n.type == "flatten"]
    assert len(flat) == 1 and doc.analysis().ok
    assert [e.src for e in doc.graph.in_edges(flat[0].id)] == [ids["conv"]]
    assert [e.dst for e in doc.graph.out_edges(flat[0].id)] == [ids["dense"]]
    assert not any(d.node_id == ids["dense"] for d in dock.rows)  # the problem is gone from the list
    rects = [window.scene.nodes[n].sceneBoundingRect() for n in doc.graph.node_ids()]
    assert not any(a.intersects(b) for i, a in enumerate(rects) for b in rects[i + 1 :])
    doc.undo_stack.undo()
    settle()
    assert _snapshot(doc) == before
    doc.undo_stack.redo()
    settle()
    assert doc.analysis().ok


def test_double_click_and_context_menu_on_a_problem_row(mlp):
    window, ids = mlp
    doc, dock = window.doc, window.docks["problems"]
    doc.set_param(ids["dense"], "units", 7)  # digits has 10 classes
    settle()
    row = next(i for i, d in enumerate(dock.rows) if d.code == "data-target")
    menu = dock.menu_for_row(row)
    assert find_action(menu, "problem.select").isEnabled()
    find_action(menu, "problem.fix").trigger()
    settle()
    assert doc.graph.node(ids["dense"]).params["units"] == 10 and doc.analysis().ok
    doc.undo_stack.undo()
    settle()
    assert doc.graph.node(ids["dense"]).params["units"] == 7
    row = next(i for i, d in enumerate(dock.rows) if d.code == "data-target")
    dock._on_item_double_clicked(dock.tree.topLevelItem(row))
    settle()
    assert doc.graph.node(ids["dense"]).params["units"] == 10


def test_clicking_the_error_badge_applies_the_fix(window):
    doc, scene, view = window.doc, window.scene, window.view
    ids = _cnn_without_flatten(doc)
    view.resetTransform()
    item = scene.nodes[ids["dense"]]
    view.centerOn(item.center())
    settle()
    assert item.severity == "error"
    badge = view.mapFromScene(item.pos() + QPointF(WIDTH - 13, HEADER / 2))
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, badge)
    settle()
    assert any(n.type == "flatten" for n in doc.graph.nodes()) and doc.analysis().ok
    assert doc.graph.node(ids["dense"]).pos != (480.0, 0.0)  # the chain made room, not moved by the click


def test_node_menu_offers_the_fix(window):
    doc = window.doc
    ids = _cnn_without_flatten(doc)
    menu = window.view.menus.menu_for_node(ids["dense"])
    action = find_action(menu, "node.fix")
    assert action is not None and "Flatten" in action.text()
    action.trigger()
    settle()
    assert doc.analysis().ok


def test_missing_input_is_added_from_the_data_as_one_undo_step(window):
    doc, dock = window.doc, window.docks["problems"]
    flat = doc.add_node("flatten", (240, 0))
    dense = doc.add_node("dense", (480, 0), {"units": 10})
    doc.connect(flat, "out", dense, "in")
    settle()
    before, steps = _snapshot(doc), doc.undo_stack.count()
    row = next(i for i, d in enumerate(dock.rows) if d.code == "no-input")
    assert dock.rows[row].action is not None and dock.fix_button(row) is not None
    dock.fix_button(row).click()
    settle()
    assert doc.undo_stack.count() == steps + 1  # one step
    inputs = [n for n in doc.graph.nodes() if n.type == "input.image"]
    assert len(inputs) == 1 and inputs[0].params["height"] == 8 and inputs[0].params["width"] == 8
    assert [e.dst for e in doc.graph.out_edges(inputs[0].id)] == [flat]
    assert not any(d.code == "no-input" for d in doc.analysis().diagnostics)
    doc.undo_stack.undo()
    settle()
    assert _snapshot(doc) == before
    assert any(d.code == "no-input" for d in doc.analysis().diagnostics)
