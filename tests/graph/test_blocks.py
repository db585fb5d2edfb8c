"""Blocks in the graph: a named group of layers with its own ports, saved in the project, copied and
pasted whole, kept one unit (no path may leave it and come back), and reusable from a library."""

from __future__ import annotations

import json

import pytest

from graph.analysis import analyze
from graph.blocks import bundled_blocks, check_fragment, insert_block, load_library, local_name, save_to_library
from graph.clipboard import copy_nodes, plan_paste
from graph.fileformat import ProjectFileError, dumps, loads
from graph.model import Graph, GraphError
from graph.project import Project


def _residual_graph():
    g = Graph()
    image = g.add_node("input.image", {"channels": 4, "height": 6, "width": 6}, "image")
    conv = g.add_node("conv2d", {"filters": 4, "kernel_size": [3, 3], "padding": [1, 1, 1, 1]}, "conv")
    relu = g.add_node("relu", None, "relu")
    add = g.add_node("add", None, "add")
    flat = g.add_node("flatten", None, "flat")
    g.connect(image.id, "out", conv.id, "in")
    g.connect(conv.id, "out", relu.id, "in")
    g.connect(relu.id, "out", add.id, "in")
    g.connect(image.id, "out", add.id, "in")
    g.connect(add.id, "out", flat.id, "in")
    return g, image, conv, relu, add, flat


def test_a_group_gets_its_ports_from_the_connections():
    g, image, conv, relu, add, flat = _residual_graph()
    events = []
    g.events.group_added.connect(lambda gr: events.append(("added", gr.name)))
    group = g.add_group("res", "Residual block", [add.id, conv.id, relu.id])
    assert group.members == [conv.id, relu.id, add.id]  # graph order
    assert group.inputs == [[(conv.id, "in"), (add.id, "in")]]  # one source feeding two member ports
    assert group.outputs == [(add.id, "out")]
    assert g.group_of(relu.id) is group and g.group_of(flat.id) is None
    assert events == [("added", "res")]


@pytest.mark.parametrize(
    "pick, words",
    [
        (lambda ids: [ids["image"], ids["conv"]], "input or an output head"),
        (lambda ids: [ids["conv"], ids["add"]], "comes back into it at add"),  # relu outside: a way round
        (lambda ids: [], "at least one layer"),
    ],
)
def test_groups_that_are_not_one_unit_are_refused(pick, words):
    g, image, conv, relu, add, flat = _residual_graph()
    ids = {"image": image.id, "conv": conv.id, "add": add.id}
    with pytest.raises(GraphError, match=words):
        g.add_group("b", "Block", pick(ids))
    assert g.groups() == []


def test_nested_and_same_named_blocks_are_refused():
    g, image, conv, relu, add, flat = _residual_graph()
    g.add_group("res", "Residual block", [conv.id, relu.id, add.id])
    with pytest.raises(GraphError, match="already belongs to block res"):
        g.add_group("outer", "Block", [conv.id, flat.id])
    with pytest.raises(GraphError, match="already named 'res'"):
        g.add_group("res", "Block", [flat.id])


def test_a_connection_that_would_split_a_block_is_refused():
    g = Graph()
    a, c, d = (g.add_node("dense", {"units": 3}, n) for n in "acd")
    b = g.add_node("add", None, "b")
    g.connect(a.id, "out", b.id, "in")
    g.add_group("blk", "Block", [a.id, b.id])
    g.connect(a.id, "out", c.id, "in")  # leaving the block is fine
    with pytest.raises(GraphError, match="leave block blk and come back"):
        g.connect(c.id, "out", b.id, "in")
    g.connect(c.id, "out", d.id, "in")
    e = g.add_node("dense", {"units": 3}, "e")
    assert g.connection_problem(b.id, "out", e.id, "in") is None  # out of the block, never back


def test_removing_a_member_and_undoing_it_restores_the_block_exactly():
    g, image, conv, relu, add, flat = _residual_graph()
    group = g.add_group("res", "Residual block", [conv.id, relu.id, add.id], collapsed=True)
    before = group.copy()
    records = [g.remove_node(n) for n in (add.id, relu.id)]
    assert g.group(group.id).members == [conv.id] and g.group(group.id).inputs == [[(conv.id, "in")]]
    last = g.remove_node(conv.id)
    assert g.groups() == []  # the last member took the block with it
    g.restore_node(last)
    for record in reversed(records):
        g.restore_node(record)
    assert g.group(group.id) == before


def test_rename_collapse_and_ungroup_are_reversible():
    g, image, conv, relu, add, flat = _residual_graph()
    group = g.add_group("res", "Residual block", [conv.id, relu.id, add.id])
    old = g.set_group(group.id, name="res2", collapsed=True)
    assert (group.name, group.collapsed, old.name, old.collapsed) == ("res2", True, "res", False)
    removed = g.remove_group(group.id)
    assert g.groups() == [] and g.group_of(conv.id) is None
    g.restore_group(removed)
    assert g.group(group.id) == removed


def test_blocks_are_saved_and_loaded_and_files_without_blocks_stay_version_1():
    g, image, conv, relu, add, flat = _residual_graph()
    plain = json.loads(dumps(Project(g)))
    assert plain["version"] == 1 and "groups" not in plain
    g.add_group("res", "Residual block", [conv.id, relu.id, add.id], collapsed=True)
    text = dumps(Project(g))
    doc = json.loads(text)
    assert doc["version"] == 2 and doc["groups"][0]["members"] == [conv.id, relu.id, add.id]
    again = loads(text).graph
    assert again.groups() == g.groups()


@pytest.mark.parametrize(
    "damage, where",
    [
        (lambda d: d["groups"][0].update(members=["nope"]), "groups[0].members[0]"),
        (lambda d: d["groups"][0].update(collapsed="yes"), "groups[0].collapsed"),
        (lambda d: d["groups"][0].update(outputs=[["n2", "zzz"]]), "groups[0]"),
        (lambda d: d["groups"][0].update(members=["n1"]), "groups[0]"),  # an Input in a block
        (lambda d: d["groups"].append(dict(d["groups"][0], id="g9")), "groups[1]"),  # nested
        (lambda d: d["groups"][0].update(extra=1), "groups[0].extra"),
    ],
)
def test_a_damaged_block_is_refused_with_its_field(damage, where):
    g, image, conv, relu, add, flat = _residual_graph()
    g.add_group("res", "Residual block", [conv.id, relu.id, add.id])
    doc = json.loads(dumps(Project(g)))
    damage(doc)
    with pytest.raises(ProjectFileError) as info:
        loads(json.dumps(doc), source="p.json")
    assert info.value.where.startswith(where), str(info.value)


def test_copy_paste_keeps_a_whole_block_and_names_its_layers_after_the_new_block():
    g, image, conv, relu, add, flat = _residual_graph()
    g.add_group("res", "Residual block", [conv.id, relu.id, add.id])
    text = copy_nodes(g, [conv.id, relu.id, add.id, flat.id])
    plan = plan_paste(text, g)
    assert [n[2] for n in plan.nodes] == ["res_1_conv", "res_1_relu", "res_1_add", "flat_1"]
    (name, title, members, inputs, outputs, collapsed) = plan.groups[0]
    assert (name, title, members) == ("res_1", "Residual block", [0, 1, 2])
    assert inputs == [[(0, "in"), (2, "in")]] and outputs == [(2, "out")]
    assert plan_paste(copy_nodes(g, [conv.id, relu.id]), g).groups == []  # half a block is just layers


@pytest.mark.parametrize("entry", bundled_blocks(), ids=lambda e: e.key)
def test_bundled_blocks_fit_their_input_and_analyse_cleanly(entry):
    kind = "transformer" in entry.key
    g = Graph()
    if kind:
        src = g.add_node("input.sequence", {"steps": 7, "features": 24})
    else:
        src = g.add_node("input.image", {"channels": 12, "height": 5, "width": 5})
    group = insert_block(g, entry, src.id, 24 if kind else 12)
    head = g.add_node("output.regression")
    g.connect(group.outputs[0][0], "out", head.id, "in")
    analysis = analyze(g)
    assert not analysis.errors, [d.text() for d in analysis.errors]
    out = analysis.output(group.outputs[0][0])
    assert out.dims == ((None, 7, 24) if kind else (None, 12, 5, 5))
    assert all(local_name(g.node(n).name, group.name) != g.node(n).name for n in group.members)


def test_the_library_saves_blocks_and_reports_bad_files(tmp_path):
    g, image, conv, relu, add, flat = _residual_graph()
    group = g.add_group("res", "My residual", [conv.id, relu.id, add.id])
    first = save_to_library(tmp_path, g, group.id)
    second = save_to_library(tmp_path, g, group.id)
    assert first.name == "my_residual.layerlab-block.json" and second != first  # never overwritten
    (tmp_path / "broken.layerlab-block.json").write_text("{not json")
    (tmp_path / "two.layerlab-block.json").write_text(copy_nodes(g, [conv.id, relu.id, add.id, flat.id]))
    entries, problems = load_library(tmp_path)
    assert [e.title for e in entries] == ["My residual", "My residual"]
    assert len(problems) == 2 and any("broken" in p and "not valid JSON" in p for p in problems)
    assert any("exactly one block" in p for p in problems)
    assert check_fragment(entries[0].text, "x").graph.groups()[0].title == "My residual"
    assert load_library(tmp_path / "missing") == ([], [])


def test_model_diff_reports_blocks_added_removed_and_changed():
    from graph.diff import diff_projects

    g, image, conv, relu, add, flat = _residual_graph()
    a = loads(dumps(Project(g)))
    group = g.add_group("res", "Residual block", [conv.id, relu.id])
    b = loads(dumps(Project(g)))
    d = diff_projects(a, b)
    assert d.blocks_added == ["res (Residual block)"] and not d.equal and "blocks added (1)" in d.text()
    g.remove_group(group.id)
    g.add_group("res", "Residual block", [conv.id, relu.id, add.id], collapsed=True)
    c = loads(dumps(Project(g)))
    assert diff_projects(b, c).blocks_changed == ["res: + add"]
    assert diff_projects(c, a).blocks_removed == ["res (Residual block)"]
    assert "删除的块" in diff_projects(c, a).text(lang="zh")


def test_a_restored_block_keeps_its_place_among_the_blocks():
    g = Graph()
    layers = [g.add_node("dense", {"units": 2}, f"d{i}") for i in range(3)]
    blocks = [g.add_group(f"b{i}", "Block", [n.id]) for i, n in enumerate(layers)]
    removed = g.remove_group(blocks[0].id)
    record = g.remove_node(layers[1].id)  # b1 goes with its only layer
    g.restore_group(removed)
    g.restore_node(record)
    assert [b.name for b in g.groups()] == ["b0", "b1", "b2"]
