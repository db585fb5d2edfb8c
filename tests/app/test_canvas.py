"""The canvas: drops, connections (scene API and mouse), refusals, moves, labels, quick-add."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt
from PySide6.QtGui import QDropEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from app.canvas.node_item import HEIGHT, WIDTH
from app.mime import LAYER_MIME

pytestmark = pytest.mark.gui


def settle() -> None:
    """Let the coalesced analysis run."""
    QApplication.processEvents()
    QApplication.processEvents()


def _drop(view, type_id: str, scene_pos: QPointF) -> None:
    mime = QMimeData()
    mime.setData(LAYER_MIME, type_id.encode())
    at = view.mapFromScene(scene_pos)
    event = QDropEvent(
        QPointF(at), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    view.dropEvent(event)


def test_drop_from_palette_adds_a_node_at_the_drop_point(window):
    _drop(window.view, "dense", QPointF(300, 200))
    graph = window.doc.graph
    assert len(graph) == 1
    node = graph.nodes()[0]
    assert node.type == "dense"
    assert abs(node.pos[0] + WIDTH / 2 - 300) <= 20 and abs(node.pos[1] + HEIGHT / 2 - 200) <= 20
    assert set(window.scene.nodes) == {node.id}
    assert window.doc.selection() == [node.id]


def test_drop_onto_an_edge_splices_the_layer_in(mlp):
    window, ids = mlp
    edge_item = window.scene.edges[(ids["flat"], "out", ids["dense"], "in")]
    _drop(window.view, "dropout", edge_item._path.pointAtPercent(0.5))
    graph = window.doc.graph
    new = [n for n in graph.nodes() if n.type == "dropout"][0]
    assert [e.src for e in graph.in_edges(new.id)] == [ids["flat"]]
    assert [e.dst for e in graph.out_edges(new.id)] == [ids["dense"]]
    assert (ids["flat"], "out", ids["dense"], "in") not in window.scene.edges
    window.doc.undo_stack.undo()  # one step
    assert len(graph) == 4 and (ids["flat"], "out", ids["dense"], "in") in window.scene.edges


def test_connect_through_the_scene_api(window):
    doc, scene = window.doc, window.scene
    a = doc.add_node("input.vector", (0, 0))
    b = doc.add_node("dense", (300, 0))
    out_port, in_port = scene.nodes[a].outputs[0], scene.nodes[b].inputs[0]
    scene.begin_connect(out_port, out_port.center())
    assert in_port.state == 1  # compatible ports light up while dragging
    scene.update_connect(in_port.center())
    assert scene.end_connect(in_port.center()) is None
    assert [(e.src, e.dst) for e in doc.graph.edges()] == [(a, b)]
    assert len(scene.edges) == 1 and in_port.state == 0


def test_connect_with_mouse_events(window, qtbot):
    doc, scene, view = window.doc, window.scene, window.view
    a = doc.add_node("input.vector", (0, 0))
    b = doc.add_node("dense", (300, 60))
    view.resetTransform()
    view.centerOn(QPointF(230, 60))
    settle()
    start = view.mapFromScene(scene.nodes[a].outputs[0].center())
    end = view.mapFromScene(scene.nodes[b].inputs[0].center())
    vp = view.viewport()
    QTest.mousePress(vp, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
    for t in (0.3, 0.6, 1.0):
        QTest.mouseMove(vp, start + (end - start) * t)
    QTest.mouseRelease(vp, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, end)
    assert [(e.src, e.dst) for e in doc.graph.edges()] == [(a, b)]


def test_incompatible_connection_is_refused_with_the_reason(mlp, qtbot):
    window, ids = mlp
    scene = window.scene
    src = scene.nodes[ids["dense"]].outputs[0]
    dst = scene.nodes[ids["flat"]].inputs[0]  # already connected, and it would make a cycle
    scene.begin_connect(src, src.center())
    assert dst.state == 2  # dimmed
    with qtbot.waitSignal(scene.message) as signal:
        problem = scene.end_connect(dst.center())
    assert problem and ("cycle" in problem or "already connected" in problem)
    assert problem in signal.args[0]
    assert len(window.doc.graph.edges()) == 3
    assert problem in window.statusBar().currentMessage()


def test_a_drag_is_one_move_command(mlp, qtbot):
    window, ids = mlp
    view, scene, doc = window.view, window.scene, window.doc
    view.resetTransform()
    item = scene.nodes[ids["dense"]]
    view.centerOn(item.center())
    settle()
    start = view.mapFromScene(item.pos() + QPointF(40, 10))  # on the header
    vp = view.viewport()
    before = doc.undo_stack.count()
    QTest.mousePress(vp, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
    for dx in (10, 30, 60, 90):
        QTest.mouseMove(vp, start + QPoint(dx, dx // 2))
    QTest.mouseRelease(vp, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start + QPoint(90, 45))
    assert doc.undo_stack.count() == before + 1
    x, y = doc.graph.node(ids["dense"]).pos
    assert (x, y) != (480, 0) and x % 20 == 0 and y % 20 == 0  # snapped to the grid
    assert (item.pos().x(), item.pos().y()) == (x, y)
    doc.undo_stack.undo()
    assert doc.graph.node(ids["dense"]).pos == (480, 0) and item.pos() == QPointF(480, 0)


def test_labels_show_shapes_counts_and_diagnostics(mlp):
    window, ids = mlp
    scene = window.scene
    assert scene.edges[(ids["flat"], "out", ids["dense"], "in")].label == "64"
    dense = scene.nodes[ids["dense"]]
    assert dense.shape_text == "10" and dense.count_text == "650 params" and dense.severity is None
    window.doc.remove_nodes([ids["flat"]])
    settle()
    assert dense.severity == "error"
    tip = scene.tooltip_for(ids["dense"])
    assert "not connected" in tip or "no input" in tip
    assert "Fix:" in tip


def test_items_follow_graph_events_without_rebuilding(mlp):
    window, ids = mlp
    scene, doc = window.scene, window.doc
    dense_item = scene.nodes[ids["dense"]]
    doc.rename(ids["dense"], "hidden")
    doc.set_param(ids["dense"], "units", 32)
    settle()
    assert scene.nodes[ids["dense"]] is dense_item  # same item: updated, not rebuilt
    assert dense_item.name == "hidden" and dense_item.shape_text == "32"


def test_selection_syncs_both_ways(mlp):
    window, ids = mlp
    window.doc.set_selection([ids["dense"]])
    assert window.scene.nodes[ids["dense"]].isSelected()
    window.scene.clearSelection()
    assert window.doc.selection() == []
    window.scene.nodes[ids["head"]].setSelected(True)
    assert window.doc.selection() == [ids["head"]]


def test_tab_quick_add_adds_at_the_cursor(window):
    popup = window.view.open_quick_add()
    assert popup.isVisible()
    popup.choose("relu")
    assert [n.type for n in window.doc.graph.nodes()] == ["relu"]


def test_fit_shows_every_node(mlp):
    window, _ = mlp
    window.resize(1900, 900)  # room for the graph at a readable zoom (fit never shrinks text below 9 px)
    settle()
    window.view.fit_all()
    assert window.view.zoom() >= window.view.readable_scale()
    visible = window.view.mapToScene(window.view.viewport().rect()).boundingRect()
    for item in window.scene.nodes.values():
        assert visible.contains(item.sceneBoundingRect())


def test_a_node_tooltip_follows_edits_made_while_hovering(mlp):
    """Defect: after connecting, a valid node still said 'has no input connected'."""
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QHelpEvent

    window, ids = mlp
    doc, scene, view = window.doc, window.scene, window.view
    edge = next(e for e in doc.graph.in_edges(ids["dense"]))
    doc.disconnect(edge)
    settle()
    item = scene.nodes[ids["dense"]]
    point = view.mapFromScene(item.sceneBoundingRect().center())
    QTest.mouseMove(view.viewport(), point)  # hover: the tooltip of this moment is built
    settle()
    doc.connect(ids["flat"], "out", ids["dense"], "in")
    settle()
    help_event = QHelpEvent(QEvent.Type.ToolTip, point, view.viewport().mapToGlobal(point))
    QApplication.sendEvent(view.viewport(), help_event)
    assert "650" in item.toolTip() and "no input" not in item.toolTip() and "not connected" not in item.toolTip()


def test_an_output_dropped_on_an_output_says_so(mlp):
    """Defect: it said 'already connected' (the drop fell back to the layer's connected input)."""
    window, ids = mlp
    scene = window.scene
    src = scene.nodes[ids["in"]].outputs[0]
    other_output = scene.nodes[ids["dense"]].outputs[0]
    scene.begin_connect(src, src.center())
    problem = scene.end_connect(other_output.center())
    assert problem and "both ports are outputs" in problem and "already" not in problem
    assert len(window.doc.graph.edges()) == 3


def test_the_empty_canvas_says_how_to_start(window):
    """Defect: the empty canvas gave no hint."""
    assert "palette" in window.view.empty_hint()
    image = window.view.viewport().grab().toImage()
    middle = image.copy(image.width() // 3, image.height() // 2 - 20, image.width() // 3, 40)
    background = middle.pixelColor(0, 0)
    assert any(
        middle.pixelColor(x, y) != background for x in range(0, middle.width(), 3) for y in range(middle.height())
    )
    window.doc.add_node("input.vector", (0, 0))
    assert window.view.empty_hint() == ""


def test_the_hint_goes_as_soon_as_the_first_layer_comes(window, qtbot):
    with qtbot.waitSignal(window.scene.emptiness_changed) as signal:
        node = window.doc.add_node("input.vector", (0, 0))
    assert signal.args == [False]
    with qtbot.waitSignal(window.scene.emptiness_changed) as signal:
        window.doc.remove_nodes([node])
    assert signal.args == [True]
