"""Context menus (layer, connection, canvas), adding where the user is, paste offsets, splice hit area.

Every action is checked to be one undo step that undo takes back exactly."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt
from PySide6.QtGui import QDropEvent
from PySide6.QtTest import QTest

from app.context_menus import find_action
from app.docks.palette import DRAG_PREVIEW_OFFSET, drag_preview
from app.mime import LAYER_MIME
from graph.fileformat import to_document
from graph.placement import CARD_HEIGHT, CARD_WIDTH, PORT_STEP, node_rect, overlaps
from tests.app.conftest import settle

pytestmark = pytest.mark.gui


def _snapshot(doc) -> str:
    return json.dumps(to_document(doc.project), sort_keys=True)


def _no_overlaps(graph) -> bool:
    rects = [node_rect(graph, n) for n in graph.node_ids()]
    return not any(overlaps(a, b, 0) for i, a in enumerate(rects) for b in rects[i + 1 :])


def _one_step(doc, run):
    """Run ``run``; assert it added exactly one undo step, undo it and compare with before."""
    before, count = _snapshot(doc), doc.undo_stack.count()
    result = run()
    settle()
    assert doc.undo_stack.count() == count + 1, doc.undo_stack.text(doc.undo_stack.count() - 1)
    after = _snapshot(doc)
    doc.undo_stack.undo()
    settle()
    assert _snapshot(doc) == before
    doc.undo_stack.redo()
    settle()
    assert _snapshot(doc) == after
    return result


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


def _chain(graph, node_id: str) -> list[str]:
    out = [node_id]
    while graph.out_edges(out[-1]):
        out.append(graph.out_edges(out[-1])[0].dst)
    return [graph.node(n).type for n in out]


def test_card_sizes_match_the_canvas():
    from app.canvas import node_item

    assert (CARD_WIDTH, CARD_HEIGHT, PORT_STEP) == (node_item.WIDTH, node_item.HEIGHT, node_item.PORT_STEP)


def test_node_menu_insert_before_and_after_are_wired_and_one_step(mlp):
    window, ids = mlp
    doc, menus = window.doc, window.view.menus
    menu = menus.menu_for_node(ids["dense"])
    _one_step(doc, find_action(menu, "node.insert_before:relu").trigger)
    assert _chain(doc.graph, ids["in"]) == ["input.image", "flatten", "relu", "dense", "output.classification"]
    assert _no_overlaps(doc.graph) and doc.analysis().ok
    menu = menus.menu_for_node(ids["flat"])
    _one_step(doc, find_action(menu, "node.insert_after:dropout").trigger)
    assert _chain(doc.graph, ids["in"])[:3] == ["input.image", "flatten", "dropout"]
    assert _no_overlaps(doc.graph) and doc.analysis().ok
    assert find_action(menus.menu_for_node(ids["head"]), "node.insert_after") is None  # a head ends the model


def test_node_menu_other_opens_quick_add_and_inserts(mlp):
    window, ids = mlp
    doc, view = window.doc, window.view
    find_action(view.menus.menu_for_node(ids["flat"]), "node.insert_after:other").trigger()
    popup = view._quick
    assert popup is not None and popup.isVisible()
    _one_step(doc, lambda: popup.choose("batch_norm"))
    assert _chain(doc.graph, ids["in"])[:3] == ["input.image", "flatten", "batch_norm"]


def test_replace_keeps_compatible_params_name_and_connections(window):
    doc = window.doc
    a = doc.add_node("input.image", (0, 0), {"channels": 1, "height": 8, "width": 8})
    pool = doc.add_node("maxpool2d", (240, 0))
    flat = doc.add_node("flatten", (480, 0))
    doc.connect(a, "out", pool, "in")
    doc.connect(pool, "out", flat, "in")
    doc.set_param(pool, "pool_size", [4, 4]) if "pool_size" in doc.graph.node(pool).params else None
    settle()
    old = doc.graph.node(pool)
    menu = window.view.menus.menu_for_node(pool)
    new = _one_step(doc, lambda: doc.replace_node(pool, "avgpool2d"))
    node = doc.graph.node(new)
    assert node.type == "avgpool2d" and node.name == old.name and node.pos == old.pos
    shared = {k: v for k, v in old.params.items() if k in node.params}
    assert shared and all(node.params[k] == v for k, v in shared.items())
    assert [e.src for e in doc.graph.in_edges(new)] == [a] and [e.dst for e in doc.graph.out_edges(new)] == [flat]
    assert find_action(menu, "node.replace:avgpool2d") is not None


def test_rename_disconnect_all_and_delete(mlp):
    window, ids = mlp
    doc, menus = window.doc, window.view.menus
    menus.ask_text = lambda title, label, text: "features"
    _one_step(doc, find_action(menus.menu_for_node(ids["flat"]), "node.rename").trigger)
    assert doc.graph.node(ids["flat"]).name == "features"
    _one_step(doc, find_action(menus.menu_for_node(ids["flat"]), "node.disconnect").trigger)
    assert not doc.graph.in_edges(ids["flat"]) and not doc.graph.out_edges(ids["flat"])
    _one_step(doc, find_action(menus.menu_for_node(ids["flat"]), "node.delete").trigger)
    assert ids["flat"] not in doc.graph


def test_edge_menu_splices_and_deletes(mlp):
    window, ids = mlp
    doc, view = window.doc, window.view
    edge = next(e for e in doc.graph.edges() if e.src == ids["flat"])
    at = window.scene.edges[edge.key]._path.pointAtPercent(0.5)
    menu = view.context_menu_at(view.mapFromScene(at))
    _one_step(doc, find_action(menu, "edge.insert:dropout").trigger)
    assert _chain(doc.graph, ids["in"])[:3] == ["input.image", "flatten", "dropout"]
    assert _no_overlaps(doc.graph)
    edge = next(e for e in doc.graph.edges() if e.src == ids["in"])
    menu = view.menus.menu_for_edge(edge, at)
    _one_step(doc, find_action(menu, "edge.delete").trigger)
    assert not doc.graph.in_edges(ids["flat"])


def test_canvas_menu_add_paste_layout_fit(mlp):
    window, ids = mlp
    doc, view = window.doc, window.view
    spot = QPointF(300, 400)
    menu = view.context_menu_at(view.mapFromScene(spot))
    assert find_action(menu, "canvas.add") is not None
    new = _one_step(doc, lambda: find_action(menu, "canvas.add:dense").trigger())
    added = [n for n in doc.graph.nodes() if n.type == "dense" and n.id != ids["dense"]]
    assert len(added) == 1 and abs(added[0].pos[0] + CARD_WIDTH / 2 - 300) <= 20 and _no_overlaps(doc.graph)
    del new
    doc.set_selection([ids["dense"]])
    window.copy()
    _one_step(doc, find_action(view.menus.menu_for_canvas(QPointF(0, 600)), "canvas.paste").trigger)
    pasted = [n for n in doc.graph.nodes() if n.name not in {doc.graph.node(i).name for i in ids.values()}]
    assert any(abs(n.pos[0]) <= 40 and abs(n.pos[1] - 600) <= 40 for n in pasted) and _no_overlaps(doc.graph)
    doc.graph.move(ids["head"], (5.0, 5.0))  # a mess for auto-layout to clean up
    _one_step(doc, find_action(view.menus.menu_for_canvas(spot), "canvas.layout").trigger)
    find_action(view.menus.menu_for_canvas(spot), "canvas.fit").trigger()  # view only: no undo step


def test_right_click_opens_the_menu_and_a_right_drag_pans(mlp, monkeypatch):
    window, ids = mlp
    view = window.view
    shown = []
    monkeypatch.setattr(view, "show_context_menu", lambda pos: shown.append(pos))
    vp, none = view.viewport(), Qt.KeyboardModifier.NoModifier
    centre = view.mapFromScene(window.scene.nodes[ids["dense"]].center())
    QTest.mouseClick(vp, Qt.MouseButton.RightButton, none, centre)
    assert len(shown) == 1
    assert view.context_menu_at(centre) is not None and window.doc.selection() == [ids["dense"]]
    scroll = view.horizontalScrollBar().value()
    QTest.mousePress(vp, Qt.MouseButton.RightButton, none, centre)
    QTest.mouseMove(vp, centre + QPoint(60, 0))
    QTest.mouseRelease(vp, Qt.MouseButton.RightButton, none, centre + QPoint(60, 0))
    assert len(shown) == 1 and view.horizontalScrollBar().value() != scroll  # a drag pans, no menu


def test_palette_double_click_inserts_after_the_selection(mlp):
    window, ids = mlp
    doc, palette = window.doc, window.docks["palette"]
    doc.set_selection([ids["flat"]])
    count = doc.undo_stack.count()
    palette.request_add("dropout")
    settle()
    assert doc.undo_stack.count() == count + 1
    assert doc.graph.node(doc.selection()[0]).type == "dropout"  # the new layer is selected: the next follows it
    assert _chain(doc.graph, ids["in"])[:4] == ["input.image", "flatten", "dropout", "dense"]
    assert _no_overlaps(doc.graph) and doc.analysis().ok
    doc.set_selection([])
    palette.request_add("relu")  # nothing selected: a free spot in view, on top of nothing
    assert _no_overlaps(doc.graph)


def test_insert_after_keeps_consumers_the_new_layer_cannot_feed(window):
    doc = window.doc
    a = doc.add_node("input.image", (0, 0), {"channels": 1, "height": 8, "width": 8})
    conv = doc.add_node("conv2d", (240, 0))
    doc.connect(a, "out", conv, "in")
    settle()
    flat = doc.insert_after(a, "flatten")  # Conv2D cannot read a flat vector: Flatten becomes a branch
    assert [e.src for e in doc.graph.in_edges(conv)] == [a]
    assert [e.src for e in doc.graph.in_edges(flat)] == [a] and _no_overlaps(doc.graph)


def test_quick_add_with_one_selected_inserts_after_it(mlp):
    window, ids = mlp
    doc, view = window.doc, window.view
    doc.set_selection([ids["dense"]])
    popup = view.open_quick_add()
    popup.choose("softmax")
    settle()
    assert _chain(doc.graph, ids["dense"])[:3] == ["dense", "softmax", "output.classification"]


def test_paste_and_duplicate_do_not_cover_the_originals(mlp):
    window, ids = mlp
    doc = window.doc
    doc.set_selection([ids["flat"], ids["dense"]])
    new = _one_step(doc, window.doc.duplicate)
    assert len(new) == 2 and _no_overlaps(doc.graph)
    doc.set_selection([ids["flat"], ids["dense"]])
    window.copy()
    window.paste()
    window.paste()
    assert len(doc.graph) == 10 and _no_overlaps(doc.graph)


def test_splice_hit_area_is_generous_and_the_new_card_fits(mlp):
    window, ids = mlp
    doc, view = window.doc, window.view
    view.resetTransform()
    edge = next(e for e in doc.graph.edges() if e.src == ids["flat"])
    mid = window.scene.edges[edge.key]._path.pointAtPercent(0.5)
    view.centerOn(mid)
    _drop(view, "dropout", mid + QPointF(0, 16))  # 16 px off the curve: still spliced
    settle()
    new = [n for n in doc.graph.nodes() if n.type == "dropout"]
    assert len(new) == 1 and [e.src for e in doc.graph.in_edges(new[0].id)] == [ids["flat"]]
    assert _no_overlaps(doc.graph)
    doc.undo_stack.undo()
    settle()
    _drop(view, "dropout", mid + QPointF(0, 60))  # well away from it: a loose layer
    settle()
    new = [n for n in doc.graph.nodes() if n.type == "dropout"]
    assert len(new) == 1 and not doc.graph.in_edges(new[0].id)
    assert (ids["flat"], "out", ids["dense"], "in") in {e.key for e in doc.graph.edges()}


def test_drag_preview_sits_off_the_cursor(window):
    palette = window.docks["palette"]
    item = palette.layer_items()[0]
    pixmap = drag_preview(item.icon(0), item.text(0), palette.font())
    assert not pixmap.isNull() and DRAG_PREVIEW_OFFSET >= 12
