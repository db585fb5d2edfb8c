"""Acceptance: build the digits CNN by mouse, counting the user's actions, the new way and the old way.

Image Input → Conv2D → ReLU → MaxPool2D → Flatten → Dense(10) → Classification, from File ▸ New
with the digits dataset. The new way uses palette double-clicks (each new layer lands behind the
selected one, wired in) and one-click fixes; the old way drags every layer, drags every connection
and types into the inspector. Both must end in a valid model; the new way must take fewer actions.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt
from PySide6.QtGui import QDropEvent
from PySide6.QtTest import QTest

from app.canvas.node_item import HEADER, WIDTH
from app.docks.palette import TYPE_ROLE
from app.mime import LAYER_MIME
from tests.app.conftest import settle

pytestmark = pytest.mark.gui

CNN = ("input.image", "conv2d", "relu", "maxpool2d", "flatten", "dense", "output.classification")


class Actions:
    """Counts what the user does (one click, double-click, drag or typed field is one action)."""

    def __init__(self):
        self.count = 0
        self.log: list[str] = []

    def __call__(self, what: str) -> None:
        self.count += 1
        self.log.append(what)


def _file_new(window, act) -> None:
    act("File ▸ New")
    window.action_map["file.new"].trigger()
    settle()
    assert len(window.doc.graph) == 0 and window.doc.project.setup["dataset"] == "digits"


def _double_click_palette(window, type_id: str, act) -> None:
    tree = window.docks["palette"].tree
    item = next(it for it in window.docks["palette"].layer_items() if it.data(0, TYPE_ROLE) == type_id)
    tree.scrollToItem(item)
    at = tree.visualItemRect(item).center()
    act(f"double-click {type_id} in the palette")
    # a double-click: the first press and release, then the second press
    QTest.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, at)
    QTest.mouseDClick(tree.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, at)
    settle()


def _model_types(graph) -> list[str]:
    start = next(n.id for n in graph.nodes() if graph.spec(n.id).is_input)
    chain = [start]
    while graph.out_edges(chain[-1]):
        chain.append(graph.out_edges(chain[-1])[0].dst)
    return [graph.node(n).type for n in chain]


def build_new_way(window) -> int:
    act = Actions()
    doc, view, scene = window.doc, window.view, window.scene
    _file_new(window, act)
    for type_id in ("input.image", "conv2d", "relu", "maxpool2d", "dense", "output.classification"):
        _double_click_palette(window, type_id, act)
    # Dense reads a feature map: its card shows an error badge; one click inserts Flatten
    dense = next(n.id for n in doc.graph.nodes() if n.type == "dense")
    item = scene.nodes[dense]
    badge = view.mapFromScene(item.pos() + QPointF(WIDTH - 13, HEADER / 2))
    if not view.viewport().rect().contains(badge):
        act("Fit (F)")
        view.fit_all()
        settle()
        badge = view.mapFromScene(item.pos() + QPointF(WIDTH - 13, HEADER / 2))
    act("click the error badge on Dense")
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, badge)
    settle()
    assert any(n.type == "flatten" for n in doc.graph.nodes())
    # Dense has 64 units, digits has 10 classes: the Problems dock's Fix button sets them
    dock = window.docks["problems"]
    act("show the Problems tab")
    dock.raise_()
    settle()
    row = next(i for i, d in enumerate(dock.rows) if d.code == "data-target")
    button = dock.fix_button(row)
    act("click Fix in the Problems dock")
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)
    settle()
    assert _model_types(doc.graph) == list(CNN)
    assert doc.analysis().ok, [d.text() for d in doc.analysis().errors]
    return act.count


def _drop(view, type_id: str, scene_pos: QPointF) -> None:
    mime = QMimeData()
    mime.setData(LAYER_MIME, type_id.encode())
    event = QDropEvent(
        QPointF(view.mapFromScene(scene_pos)),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    view.dropEvent(event)


def build_old_way(window) -> int:
    """Drag each layer onto the canvas, drag each connection, type the units into the inspector."""
    act = Actions()
    doc, view, scene = window.doc, window.view, window.scene
    _file_new(window, act)
    ids = []
    for i, type_id in enumerate(CNN):
        act(f"drag {type_id} from the palette")
        _drop(view, type_id, QPointF(100 + 240 * i, 300 + 200 * (i % 2)))  # apart from each other
        settle()
        ids.append(doc.selection()[0])
    for a, b in zip(ids, ids[1:], strict=False):
        act("drag a connection")
        out_port, in_port = scene.nodes[a].outputs[0], scene.nodes[b].inputs[0]
        scene.begin_connect(out_port, out_port.center())
        assert scene.end_connect(in_port.center()) is None
    settle()
    act("select Dense")
    doc.set_selection([ids[5]])
    act("type 10 into Units")
    assert doc.set_param(ids[5], "units", 10) is None
    settle()
    assert _model_types(doc.graph) == list(CNN)
    assert doc.analysis().ok, [d.text() for d in doc.analysis().errors]
    return act.count


def test_build_the_digits_cnn_by_mouse_in_fewer_actions(window):
    new = build_new_way(window)
    old = build_old_way(window)
    print(f"\ndigits CNN by mouse: {new} actions with one-click fixes and insert-after, {old} the old way")
    assert new < old
