"""Blocks in the editor: group a selection (one undo step), collapse to one card and expand again, drag
and connect a block card, insert the bundled blocks from the palette behind a layer, save a block to
the library and read a library with a bad file, keep a collapsed block through save and reopen."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtTest import QTest

from app.canvas.block_items import BlockFrameItem, BlockItem
from app.context_menus import find_action
from app.docks.palette import BLOCK_ROLE
from graph.fileformat import to_document
from tests.app.conftest import settle

pytestmark = pytest.mark.gui


@pytest.fixture(autouse=True)
def library(tmp_path, monkeypatch):
    """Every test gets its own, empty block library."""
    folder = tmp_path / "library"
    monkeypatch.setenv("LAYERLAB_BLOCK_LIBRARY", str(folder))
    return folder


def _snapshot(doc) -> str:
    document = to_document(doc.project)
    document.get("groups", []).sort(key=lambda g: g["id"])  # a restored block may come back last
    return json.dumps(document, sort_keys=True)


def _one_step(doc, run):
    """Run ``run``: exactly one undo step, which undo takes back exactly and redo makes again."""
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


def _grouped(mlp):
    """The MLP with Flatten and Dense grouped into one block; returns (window, ids, group)."""
    window, ids = mlp
    assert window.doc.group_selection([ids["flat"], ids["dense"]]) is None
    settle()
    return window, ids, window.doc.graph.groups()[0]


def _collapsed(mlp):
    window, ids, group = _grouped(mlp)
    window.doc.set_group_collapsed(group.id, True)
    settle()
    return window, ids, group


def _entry(doc, key: str):
    return next(e for e in doc.blocks.entries() if e.key == key)


def _view_at(window, scene_pos: QPointF) -> QPoint:
    view = window.view
    view.resetTransform()
    view.centerOn(scene_pos)
    settle()
    return view.mapFromScene(scene_pos)


# ----------------------------------------------------------------------------- grouping
def test_group_selection_via_the_edit_action_is_one_undo_step(mlp):
    window, ids = mlp
    doc = window.doc
    doc.set_selection([ids["flat"], ids["dense"]])
    action = window.action_map["edit.group"]
    assert action.shortcut().toString() == "Ctrl+G"
    assert window.action_map["edit.ungroup"].shortcut().toString() == "Ctrl+Shift+G"
    _one_step(doc, action.trigger)
    (group,) = doc.graph.groups()
    assert group.members == [ids["flat"], ids["dense"]] and group.name == "block"
    assert group.inputs == [[(ids["flat"], "in")]] and group.outputs == [(ids["dense"], "out")]
    frame = window.scene.frames[group.id]  # expanded: a frame behind the two cards
    cards = [window.scene.nodes[n] for n in group.members]
    assert all(frame.frame_rect().contains(c.sceneBoundingRect().adjusted(8, 8, -8, -8)) for c in cards)
    doc.undo_stack.undo()
    settle()
    assert not doc.graph.groups() and not window.scene.frames
    doc.undo_stack.redo()
    settle()
    assert [g.id for g in doc.graph.groups()] == [group.id] and group.id in window.scene.frames
    doc.set_selection([ids["dense"]])
    _one_step(doc, window.action_map["edit.ungroup"].trigger)
    assert not doc.graph.groups() and not window.scene.frames


def test_a_refused_grouping_says_why_in_the_status_bar(mlp):
    window, ids = mlp
    window.doc.set_selection([ids["in"], ids["flat"]])
    count = window.doc.undo_stack.count()
    window.action_map["edit.group"].trigger()
    assert not window.doc.graph.groups() and window.doc.undo_stack.count() == count
    assert "input or an output head" in window.statusBar().currentMessage()


def test_the_frame_follows_its_layers_and_its_header_drags_them(mlp, qtbot):
    window, ids, group = _grouped(mlp)
    doc, scene = window.doc, window.scene
    frame = scene.frames[group.id]
    left = frame.frame_rect().left()
    doc.move_nodes({ids["flat"]: ((240.0, 0.0), (200.0, 100.0))})
    settle()
    assert frame.frame_rect().left() < left and frame.frame_rect().bottom() >= 100 + 74
    header = frame.header_rect().center() + QPointF(30, 0)
    start = _view_at(window, header)
    vp = window.view.viewport()
    before = {n: doc.graph.node(n).pos for n in group.members}
    count = doc.undo_stack.count()
    QTest.mousePress(vp, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
    for step in (10, 30, 60):
        QTest.mouseMove(vp, start + QPoint(step, 0))
    QTest.mouseRelease(vp, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start + QPoint(60, 0))
    settle()
    assert doc.undo_stack.count() == count + 1 and doc.selection() == group.members
    after = {n: doc.graph.node(n).pos for n in group.members}
    shifts = {(after[n][0] - before[n][0], after[n][1] - before[n][1]) for n in group.members}
    assert len(shifts) == 1 and next(iter(shifts))[0] > 0  # every layer by the same offset


# ----------------------------------------------------------------------------- collapse and expand
def test_collapse_draws_one_card_with_the_blocks_ports_and_outside_edges(mlp):
    window, ids, group = _grouped(mlp)
    doc, scene = window.doc, window.scene
    menu = window.view.menus.menu_for_block(group.id)
    _one_step(doc, find_action(menu, "block.toggle").trigger)
    assert doc.graph.group(group.id).collapsed
    card = scene.blocks[group.id]
    assert isinstance(card, BlockItem) and group.id not in scene.frames
    assert not any(scene.nodes[n].isVisible() for n in group.members)
    assert [p.name for p in card.inputs] == ["in"] and [p.name for p in card.outputs] == ["out"]
    assert card.name == "block" and card.type_name == "Block"
    assert card.shape_text == "10" and card.count_text == "650 params"  # Dense(64 → 10)
    into = scene.edges[(ids["in"], "out", ids["flat"], "in")]
    out = scene.edges[(ids["dense"], "out", ids["head"], "in")]
    inside = scene.edges[(ids["flat"], "out", ids["dense"], "in")]
    assert into.dst_port is card.inputs[0] and out.src_port is card.outputs[0]
    assert into.isVisible() and out.isVisible() and not inside.isVisible()
    assert into._path.pointAtPercent(1.0) == card.inputs[0].center()
    assert scene.cards().count(card) == 1 and len(scene.cards()) == 3
    assert "Layers (2): flatten, dense" in scene.block_tooltip(group.id)


def test_double_click_expands_and_the_card_selection_is_the_layers(mlp, qtbot):
    window, ids, group = _collapsed(mlp)
    doc, scene = window.doc, window.scene
    card = scene.blocks[group.id]
    card.setSelected(True)
    assert doc.selection() == group.members  # a selected card selects its layers (delete, copy …)
    at = _view_at(window, card.pos() + QPointF(80, 40))
    QTest.mouseDClick(window.view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, at)
    settle()
    assert not doc.graph.group(group.id).collapsed
    assert not scene.blocks and isinstance(scene.frames[group.id], BlockFrameItem)
    assert all(scene.nodes[n].isVisible() and scene.nodes[n].isSelected() for n in group.members)
    into = scene.edges[(ids["in"], "out", ids["flat"], "in")]
    assert into.dst_port is scene.nodes[ids["flat"]].inputs[0]
    assert all(e.isVisible() for e in scene.edges.values())


def test_the_toggles_collapse_and_expand(mlp):
    window, ids, group = _grouped(mlp)
    doc, scene, vp = window.doc, window.scene, window.view.viewport()
    at = _view_at(window, scene.frames[group.id].toggle_rect().center())
    QTest.mouseClick(vp, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, at)
    settle()
    assert doc.graph.group(group.id).collapsed and group.id in scene.blocks
    card = scene.blocks[group.id]
    at = _view_at(window, card.pos() + card.toggle_rect().center())
    QTest.mouseClick(vp, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, at)
    settle()
    assert not doc.graph.group(group.id).collapsed and group.id in scene.frames


def test_dragging_a_block_card_moves_its_layers_by_one_offset(mlp):
    window, ids, group = _collapsed(mlp)
    doc, scene = window.doc, window.scene
    card = scene.blocks[group.id]
    before = {n: doc.graph.node(n).pos for n in group.members}
    start = _view_at(window, card.pos() + QPointF(60, 12))
    vp = window.view.viewport()
    count = doc.undo_stack.count()
    QTest.mousePress(vp, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
    for dx in (10, 40, 80):
        QTest.mouseMove(vp, start + QPoint(dx, dx))
    QTest.mouseRelease(vp, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start + QPoint(80, 80))
    settle()
    assert doc.undo_stack.count() == count + 1
    after = {n: doc.graph.node(n).pos for n in group.members}
    (shift,) = {(after[n][0] - before[n][0], after[n][1] - before[n][1]) for n in group.members}
    assert shift[0] > 0 and shift[1] > 0
    assert (card.pos().x(), card.pos().y()) == after[group.members[0]]
    doc.undo_stack.undo()
    settle()
    assert {n: doc.graph.node(n).pos for n in group.members} == before
    assert (card.pos().x(), card.pos().y()) == before[group.members[0]]  # redrawn from the graph


def test_collapsing_closes_the_gap_and_expanding_makes_room_again(window):
    doc = window.doc
    a = doc.add_node("input.image", (0, 0), {"channels": 1, "height": 8, "width": 8})
    conv = doc.add_node("conv2d", (250, 0), {"filters": 4})
    doc.connect(a, "out", conv, "in")
    settle()
    doc.set_selection([conv])
    ids = window.view.add_block_smart(_entry(doc, "bundled:residual"))
    settle()
    relu = doc.insert_after(ids[-1], "relu")
    settle()
    gid = doc.graph.group_of(ids[0]).id
    x_open = doc.graph.node(relu).pos[0]
    _one_step(doc, lambda: doc.set_group_collapsed(gid, True))
    x_shut = doc.graph.node(relu).pos[0]
    assert x_shut < x_open - 1000  # the chain follows the card instead of leaving seven cards of room
    assert x_shut > doc.graph.node(ids[0]).pos[0] + 156
    doc.set_group_collapsed(gid, False)
    settle()
    assert doc.graph.node(relu).pos[0] >= x_open - 20
    assert not any(doc.analysis().for_node(n) for n in ids)


# ----------------------------------------------------------------------------- connecting
def test_connecting_to_a_collapsed_block_input_wires_every_member_port(window):
    doc, scene = window.doc, window.scene
    a = doc.add_node("input.image", (0, 0), {"channels": 1, "height": 8, "width": 8})
    conv = doc.add_node("conv2d", (250, 0), {"filters": 16, "kernel_size": [3, 3], "padding": [1, 1, 1, 1]})
    doc.connect(a, "out", conv, "in")
    ids = doc.insert_block(_entry(doc, "bundled:residual"), at=(600.0, 300.0))
    gid = doc.graph.group_of(ids[0]).id
    doc.set_group_collapsed(gid, True)
    settle()
    card = scene.blocks[gid]
    src, dst = scene.nodes[conv].outputs[0], card.inputs[0]
    scene.begin_connect(src, src.center())
    assert dst.state == 1  # the card's input lights up as compatible
    count = doc.undo_stack.count()
    assert scene.end_connect(dst.center()) is None
    settle()
    assert doc.undo_stack.count() == count + 1
    wired = sorted((e.dst, e.dst_port) for e in doc.graph.out_edges(conv))
    assert wired == sorted(doc.graph.group(gid).inputs[0]) and len(wired) == 2  # conv1 and the Add
    shown = [scene.edges[(conv, "out", d, p)] for d, p in wired]
    assert all(e.dst_port is dst and e.isVisible() for e in shown)
    assert doc.analysis().output(*doc.graph.group(gid).outputs[0]).dims == (None, 16, 8, 8)
    assert card.shape_text == "16×8×8"
    doc.undo_stack.undo()
    settle()
    assert not doc.graph.out_edges(conv) and not dst.connected
    relu = doc.add_node("relu", (600.0, 600.0))
    settle()
    out, into = card.outputs[0], scene.nodes[relu].inputs[0]
    scene.begin_connect(out, out.center())
    assert scene.end_connect(into.center()) is None  # from the card's output: from the block's last layer
    assert [(e.src, e.src_port) for e in doc.graph.in_edges(relu)] == [doc.graph.group(gid).outputs[0]]


# ----------------------------------------------------------------------------- the palette
def _double_click_block(window, key: str) -> None:
    palette = window.docks["palette"]
    item = next(it for it in palette.block_items() if it.data(0, BLOCK_ROLE) == key)
    tree = palette.tree
    tree.scrollToItem(item)
    at = tree.visualItemRect(item).center()
    QTest.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, at)
    QTest.mouseDClick(tree.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, at)
    settle()


def _image_chain(doc):
    """digits-like images → conv(8) → flatten → dense(10) → classification; returns the conv's id."""
    a = doc.add_node("input.image", (0, 0), {"channels": 1, "height": 8, "width": 8})
    conv = doc.add_node("conv2d", (250, 0), {"filters": 8, "kernel_size": [3, 3], "padding": [1, 1, 1, 1]})
    flat = doc.add_node("flatten", (500, 0))
    dense = doc.add_node("dense", (750, 0), {"units": 10})
    head = doc.add_node("output.classification", (1000, 0))
    for s, d in ((a, conv), (conv, flat), (flat, dense), (dense, head)):
        doc.connect(s, "out", d, "in")
    return conv, flat


def _sequence_chain(doc):
    a = doc.add_node("input.sequence", (0, 0), {"steps": 8, "features": 8})
    pool = doc.add_node("global_avg_pool", (250, 0))
    dense = doc.add_node("dense", (500, 0), {"units": 10})
    head = doc.add_node("output.classification", (750, 0))
    for s, d in ((a, pool), (pool, dense), (dense, head)):
        doc.connect(s, "out", d, "in")
    return a, pool


@pytest.mark.parametrize(
    ("key", "build"),
    [
        ("bundled:residual", _image_chain),
        ("bundled:se", _image_chain),
        ("bundled:transformer_encoder", _sequence_chain),
    ],
)
def test_a_bundled_block_from_the_palette_goes_behind_the_selected_layer(window, key, build):
    doc = window.doc
    after, consumer = build(doc)
    settle()
    assert doc.analysis().ok
    doc.set_selection([after])
    count = doc.undo_stack.count()
    _double_click_block(window, key)
    assert doc.undo_stack.count() == count + 1
    (group,) = doc.graph.groups()
    assert doc.selection() == group.members
    assert sorted((e.dst, e.dst_port) for e in doc.graph.out_edges(after)) == sorted(group.inputs[0])
    assert [e.src for e in doc.graph.in_edges(consumer)] == [group.outputs[0][0]]  # the chain reads the block
    assert doc.analysis().ok, [d.message for d in doc.analysis().errors]  # fitted to 8 channels / features
    xs = [doc.graph.node(n).pos[0] for n in group.members]
    assert min(xs) > doc.graph.node(after).pos[0] and doc.graph.node(consumer).pos[0] > max(xs)
    doc.undo_stack.undo()
    settle()
    assert not doc.graph.groups() and [e.dst for e in doc.graph.out_edges(after)] == [consumer]


def test_a_selected_block_counts_as_its_output_for_the_next_insert(window):
    doc = window.doc
    after, consumer = _image_chain(doc)
    settle()
    doc.set_selection([after])
    window.view.add_block_smart(_entry(doc, "bundled:residual"))
    settle()
    (first,) = doc.graph.groups()
    window.view.add_block_smart(_entry(doc, "bundled:se"))  # the residual block is selected
    settle()
    second = next(g for g in doc.graph.groups() if g.id != first.id)
    assert {e.src for e in doc.graph.in_edges(second.members[0])} == {first.outputs[0][0]}
    assert doc.analysis().ok


# ----------------------------------------------------------------------------- the library
def test_save_a_block_to_the_library_and_the_palette_lists_it(mlp, library):
    window, ids, group = _grouped(mlp)
    doc = window.doc
    find_action(window.view.menus.menu_for_block(group.id), "block.save").trigger()
    (saved,) = sorted(library.glob("*.layerlab-block.json"))
    assert str(saved) in window.statusBar().currentMessage()
    settle()
    keys = [it.data(0, BLOCK_ROLE) for it in window.docks["palette"].block_items()]
    assert f"library:{saved.name}" in keys and "project:Block" in keys
    assert keys.index("bundled:residual") < keys.index("project:Block") < keys.index(f"library:{saved.name}")
    count = len(doc.graph)
    doc.set_selection([])
    _double_click_block(window, f"library:{saved.name}")
    assert len(doc.graph) == count + 2 and len(doc.graph.groups()) == 2


def test_a_corrupt_library_file_gives_one_message_and_the_rest_loads(window, library, qtbot):
    from graph.blocks import bundled_blocks

    library.mkdir()
    (library / "good.layerlab-block.json").write_text(bundled_blocks()[1].text, encoding="utf-8")
    (library / "broken.layerlab-block.json").write_text("{not json", encoding="utf-8")
    shelf = window.doc.blocks
    with qtbot.waitSignal(shelf.problem) as signal:
        problems = shelf.reload_library()
    assert len(problems) == 1 and "broken.layerlab-block.json" in signal.args[0]
    assert "broken.layerlab-block.json" in window.statusBar().currentMessage()
    settle()
    keys = [it.data(0, BLOCK_ROLE) for it in window.docks["palette"].block_items()]
    assert "library:good.layerlab-block.json" in keys and "library:broken.layerlab-block.json" not in keys
    emitted = []
    shelf.problem.connect(emitted.append)
    shelf.reload_library()
    assert not emitted  # said once


# ----------------------------------------------------------------------------- files and clipboard
def test_a_collapsed_block_stays_collapsed_after_save_and_reopen(mlp, tmp_path):
    window, ids, group = _collapsed(mlp)
    path = tmp_path / "blocks.json"
    window.doc.save(str(path))
    assert window.open_file(str(path))
    settle()
    (loaded,) = window.doc.graph.groups()
    assert loaded.collapsed and loaded.members == group.members
    card = window.scene.blocks[loaded.id]
    assert not any(window.scene.nodes[n].isVisible() for n in loaded.members)
    assert window.scene.edges[(ids["in"], "out", ids["flat"], "in")].dst_port is card.inputs[0]


def test_copy_paste_and_delete_of_a_block_card(mlp):
    window, ids, group = _collapsed(mlp)
    doc, scene = window.doc, window.scene
    scene.blocks[group.id].setSelected(True)
    assert window.copy()
    pasted = _one_step(doc, window.paste)
    assert len(pasted) == 2 and len(doc.graph.groups()) == 2
    copy = doc.graph.group_of(pasted[0])
    assert copy.collapsed and copy.name != group.name and copy.id in scene.blocks
    assert doc.graph.node(pasted[0]).name.startswith(f"{copy.name}_")
    doc.set_selection(group.members)
    _one_step(doc, window.delete_selection)
    assert group.id not in scene.blocks and ids["flat"] not in doc.graph


def test_block_menu_rename_and_ungroup(mlp):
    window, ids, group = _collapsed(mlp)
    doc, menus = window.doc, window.view.menus
    menus.ask_text = lambda title, label, text: "stem"
    _one_step(doc, find_action(menus.menu_for_block(group.id), "block.rename").trigger)
    assert doc.graph.group(group.id).name == "stem" and window.scene.blocks[group.id].name == "stem"
    menu = menus.menu_for_node(ids["flat"])
    assert not find_action(menu, "node.group").isEnabled() and find_action(menu, "node.ungroup") is not None
    _one_step(doc, find_action(menus.menu_for_block(group.id), "block.ungroup").trigger)
    assert not doc.graph.groups() and all(window.scene.nodes[n].isVisible() for n in group.members)


# ----------------------------------------------------------------------------- edits inside a block
def _mlp_spread_collapsed(mlp):
    """The MLP with its head far below the block, so collapsing moves nothing; then collapsed."""
    window, ids = mlp
    window.doc.move_nodes({ids["head"]: ((720.0, 0.0), (0.0, 300.0))})
    return _collapsed((window, ids))


def test_a_layer_spliced_or_replaced_inside_a_block_stays_in_the_block(mlp):
    window, ids, group = _grouped(mlp)
    doc = window.doc
    edge = doc.graph.in_edges(ids["dense"])[0]  # flatten → dense, inside the block
    new = _one_step(doc, lambda: doc.splice("dropout", edge))
    block = doc.graph.group(group.id)
    assert new in block.members and block.inputs == group.inputs and block.outputs == group.outputs
    assert [e.src for e in doc.graph.in_edges(ids["dense"])] == [new]
    relu = _one_step(doc, lambda: doc.replace_node(new, "relu"))
    block = doc.graph.group(group.id)
    assert relu in block.members and new not in doc.graph and doc.analysis().ok
    last = _one_step(doc, lambda: doc.replace_node(ids["dense"], "dense"))
    assert doc.graph.group(group.id).outputs == [(last, "out")]  # the block's port follows its layer


def test_the_diagram_draws_a_collapsed_block_as_its_card(mlp):
    from app.diagram import Diagram

    window, ids, group = _mlp_spread_collapsed(mlp)
    with Diagram(window.doc) as diagram:
        scene = diagram.scene
        assert group.id in scene.blocks and not scene.nodes[ids["dense"]].isVisible()
        hidden = scene.nodes[ids["dense"]].sceneBoundingRect()
        assert diagram.rect.right() < hidden.right()  # the hidden layers take no room


def test_blocks_speak_chinese(qtbot, tmp_path):
    from PySide6.QtWidgets import QApplication

    from app import i18n
    from app.main_window import MainWindow
    from tests.app.conftest import build_mlp

    app = QApplication.instance()
    i18n.install_translator(app, "zh_CN")
    try:
        settle()
        window = MainWindow(recovery_folder=tmp_path / "recovery")
        window.confirm_discard = lambda: "discard"
        qtbot.addWidget(window)
        ids = build_mlp(window.doc)
        palette = window.docks["palette"]
        top = palette.block_items()[0].parent()
        assert top.text(0) == "块" and palette.block_items()[0].text(0) == "残差块"
        assert "两个带批归一化" in palette.block_items()[0].toolTip(0)
        assert window.action_map["edit.group"].text() == "组成块(&G)"
        assert window.doc.group_selection([ids["flat"], ids["dense"]]) is None
        (group,) = window.doc.graph.groups()
        assert group.title == "Block"  # data, as in English; shown translated
        menu = window.view.menus.menu_for_block(group.id)
        assert [a.text() for a in menu.actions() if a.text()][:3] == ["折叠", "重命名块…", "取消分组"]
        window.doc.set_group_collapsed(group.id, True)
        settle()
        card = window.scene.blocks[group.id]
        assert card.type_name == "块" and card.count_text == "650 个参数"
        assert "层（2）" in window.scene.block_tooltip(group.id) and "双击展开" in window.scene.block_tooltip(group.id)
        window.doc.set_selection([ids["in"], ids["flat"]])
        assert "输入层或输出头" in (window.group_selection() and window.statusBar().currentMessage())
    finally:
        i18n.install_translator(app, "en")
        settle()


def test_a_block_dropped_from_the_palette_and_found_by_search(window):
    from PySide6.QtGui import QDropEvent

    from app.docks.palette import block_mime

    doc, view, palette = window.doc, window.view, window.docks["palette"]
    palette.search.setText("残差块")
    assert palette.visible_block_keys() == ["bundled:residual"] and not palette.visible_type_ids()
    palette.search.setText("squeeze")
    assert palette.visible_block_keys() == ["bundled:se"]
    palette.search.clear()
    mime = palette.tree.mimeData([palette.block_items()[2]])
    assert bytes(mime.data(block_mime("x").formats()[0])).decode() == "bundled:transformer_encoder"
    at = QPointF(400, 300)
    event = QDropEvent(
        QPointF(view.mapFromScene(at)),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    count = doc.undo_stack.count()
    view.dropEvent(event)
    settle()
    assert doc.undo_stack.count() == count + 1
    (group,) = doc.graph.groups()
    x, y = doc.graph.node(group.members[0]).pos
    assert abs(x + 78 - at.x()) <= 40 and abs(y + 37 - at.y()) <= 40  # its first card where it was dropped
