"""The last English texts of the Chinese UI: parameter and name refusals, Compare With's change lines,
the runner's failure explanations and the Examples menu's descriptions are Chinese in the Chinese UI,
while the English texts (read by the CLI, the scripts and the tests) stay byte for byte as they were."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import json
import re

import pytest
from PySide6.QtWidgets import QApplication, QMenu

from app import i18n
from app.docks.inspector import InspectorDock, NodePanel
from app.document import Document
from app.training.protocol import FAILURE_MESSAGES, explain_failure, localize_failure
from graph.catalog import default_catalog
from graph.diff import diff_projects
from graph.examples import EXAMPLES
from graph.glossary import EXAMPLE_DESCRIPTIONS_ZH, example_description
from graph.messages import known, layer_words, localize
from graph.model import Graph, name_problem
from tests.app.conftest import settle

pytestmark = pytest.mark.gui


def _han(text: str | None) -> bool:
    return bool(text) and bool(re.search(r"[\u4e00-\u9fff]", text))


@pytest.fixture
def zh():
    """The Chinese UI installed for one test (English again afterwards)."""
    app = QApplication.instance()
    i18n.install_translator(app, "zh_CN")
    settle()
    yield
    i18n.install_translator(app, "en")
    settle()


def test_parameter_and_name_refusals_keep_their_english_and_have_chinese():
    conv = default_catalog()["conv2d"]
    act = next(p for s in default_catalog() for p in s.params if p.name == "activation")
    dense = default_catalog()["dense"]
    english = {
        conv.validate_param("filters", 0)[1]: "filters must be ≥ 1 (got 0)",
        conv.validate_param("filters", 1.5)[1]: "filters must be an integer",
        conv.validate_param("kernel_size", [3])[1]: "kernel_size must have 2 values (got 1)",
        conv.validate_param("kernel_size", "x")[1]: "kernel_size must be a list of integers",
        conv.validate_param("nope", 1)[1]: "Conv2D has no parameter 'nope'",
        dense.validate_param("use_bias", 1)[1]: "use_bias must be true or false",
        act.check("zzz"): f"activation must be one of {', '.join(act.choices)} (got 'zzz')",
        name_problem(""): "a layer name cannot be empty",
        name_problem(3): "a layer name must be text",
        name_problem("a\u200bb"): "a layer name cannot contain the invisible or control character U+200B "
        "ZERO WIDTH SPACE",
    }
    for got, want in english.items():
        assert got == want  # byte-identical English
    g = Graph()
    a = g.add_node("dense", name="hidden")
    b = g.add_node("dense", name="other")
    assert g.name_problem("hidden", b) == "another layer is already named 'hidden'" and a
    zh = {text: localize(text, "zh", layer_words()) for text in [*english, g.name_problem("hidden", b)]}
    assert all(known(t) and _han(z) for t, z in zh.items()), zh
    assert zh["filters must be ≥ 1 (got 0)"] == "卷积核个数 必须 ≥ 1（当前为 0）"
    assert zh["a layer name cannot be empty"] == "层名称不能为空"
    assert zh["Conv2D has no parameter 'nope'"].startswith(conv.display_name_zh)
    assert localize("filters must be ≥ 1 (got 0)", "en") == "filters must be ≥ 1 (got 0)"


def test_the_inspector_shows_refusals_in_chinese(qtbot, zh):
    doc = Document()
    src = doc.add_node("input.image", params={"channels": 3, "height": 7, "width": 7})
    conv = doc.add_node("conv2d", params={"filters": 4})
    doc.connect(src, "out", conv, "in")
    settle()
    dock = InspectorDock(doc)
    qtbot.addWidget(dock)
    dock.show()
    doc.set_selection([conv])
    panel = dock.panel
    assert isinstance(panel, NodePanel)
    assert doc.set_param(conv, "filters", 0) == "filters must be ≥ 1 (got 0)"  # the Document stays English
    panel._on_param_edited("filters", 0)
    error = dock.editor("filters").error.text()
    assert error == "卷积核个数 必须 ≥ 1（当前为 0）", error
    panel.name_edit.setText("   ")
    panel.name_edit.editingFinished.emit()
    assert panel.name_error.text() == "层名称不能为空"


def _changed_pair():
    a, b = EXAMPLES["digits_mlp"](), EXAMPLES["digits_mlp"]()
    dense = next(n for n in b.graph.nodes() if n.type == "dense")
    b.graph.set_param(dense.id, "units", 64)
    b.graph.rename(dense.id, "wide")
    b.setup["epochs"] = 9
    b.graph.add_node("dropout", name="drop")
    return a, b


def test_diff_lines_are_chinese_for_the_ui_and_english_for_the_cli():
    a, b = _changed_pair()
    diff = diff_projects(a, b)
    en = diff.text("a.json", "b.json")
    assert "  ~ wide: units: 128 → 64" in en and "  ~ epochs: 5 → 9" in en and "layers added (1):" in en
    assert "  + drop (dropout)" in en and not _han(en)
    assert diff.changed[0].text() == "units: 128 → 64" and diff.changed[0].changes[0].text() == "units: 128 → 64"
    zh = diff.text("a.json", "本模型", lang="zh")
    assert "单元数：128 → 64" in zh and "训练轮数：5 → 9" in zh and "新增的层（1）：" in zh, zh
    assert "重命名的层（1）：" in zh and "hidden → wide" in zh
    assert not re.search(r"layers|units|epochs|training setup", zh), zh


def test_compare_with_shows_chinese_change_lines(qtbot, window, tmp_path):
    doc = window.doc
    doc.replace_project(EXAMPLES["digits_mlp"](), None)
    settle()
    before = tmp_path / "before.json"
    doc.save(str(before))
    dense = next(n for n in doc.graph.nodes() if n.type == "dense")
    doc.set_param(dense.id, "units", 64)
    settle()
    from app.canvas.highlight import highlight_of

    try:
        window._set_language("zh_CN")
        settle()
        window.compare.compare_with(str(before))
        settle()
        note = highlight_of(window.scene.nodes[dense.id]).note
        assert "单元数：128 → 64" in note and "units" not in note, note
        tip = window.compare.summary.toolTip()
        assert "修改的层" in tip and "单元数：128 → 64" in tip, tip
        window._set_language("en")
        settle()
        note = highlight_of(window.scene.nodes[dense.id]).note
        assert "units: 128 → 64" in note and "units: 128 → 64" in window.compare.summary.toolTip()
    finally:
        i18n.install_translator(QApplication.instance(), "en")
        i18n.save_language("auto")
        settle()


def test_failure_explanations_are_chinese_and_their_english_is_unchanged(zh):
    from app.training.panel import run_message

    cases = {
        (1, False, ("RuntimeError: CUDA out of memory",)): "the worker ran out of memory; try a smaller batch size "
        "or model, or train on the CPU: RuntimeError: CUDA out of memory",
        (1, False, ("ValueError: mat1 and mat2 shapes cannot be multiplied",)): "the data do not fit the model's "
        "Input (shape mismatch): ValueError: mat1 and mat2 shapes cannot be multiplied",
        (9, True, ()): "the training process was killed (SIGKILL) (the system may have run out of memory)",
        (137, False, ()): "the training process was killed (SIGKILL; the system may have run out of memory)",
        (3, False, ()): "the training process ended unexpectedly (exit code 3)",
        (2, False, ("error: boom",)): "the training process failed (exit code 2): boom",
    }
    for (code, crashed, tail), want in cases.items():
        english = explain_failure(code, crashed, list(tail))
        assert english == want
        shown = run_message(english)
        assert _han(shown) and not shown.startswith("the "), shown
    assert run_message("the training process ended unexpectedly (exit code 3)") == "训练进程意外结束（退出码 3）"
    assert run_message("the model cannot be trained yet: the model is empty") == "模型还不能训练：模型是空的"
    assert run_message("something else entirely") == "something else entirely"
    for english, chinese in FAILURE_MESSAGES:
        assert set(re.findall(r"\{(\w+)\}", english)) == set(re.findall(r"\{(\w+)\}", chinese)), english
    assert localize_failure(cases[(3, False, ())], "en") == cases[(3, False, ())]


def test_examples_menu_tooltips_are_chinese_in_the_chinese_ui(window):
    from app.main_window import example_files

    stems = {p.stem for p in example_files()}
    assert stems <= set(EXAMPLE_DESCRIPTIONS_ZH), stems - set(EXAMPLE_DESCRIPTIONS_ZH)
    menu = QMenu()
    window.fill_examples_menu(menu)
    english = {json.loads(p.read_text(encoding="utf-8"))["meta"]["description"] for p in example_files()}
    assert {a.toolTip() for a in menu.actions()} == english  # English UI: the files' own descriptions
    app = QApplication.instance()
    try:
        i18n.install_translator(app, "zh_CN")
        window.fill_examples_menu(menu)
        tips = [a.toolTip() for a in menu.actions()]
        assert len(tips) == len(stems) and all(_han(t) for t in tips), tips
        assert all(a.statusTip() == a.toolTip() for a in menu.actions())
    finally:
        i18n.install_translator(app, "en")
        settle()
    assert example_description("spiral", "x", "en") == "x"


def test_connection_refusals_keep_their_english_and_are_chinese_in_the_ui(qtbot, zh):
    g = Graph()
    src = g.add_node("input.vector", name="Input").id
    dense = g.add_node("dense", name="hidden").id
    other = g.add_node("dense", name="other").id
    head = g.add_node("output.regression", name="head").id
    g.connect(src, "out", dense, "in")
    g.connect(dense, "out", other, "in")
    english = {
        g.connection_problem(src, "out", "nope", "in"): "both ends of a connection must be layers in this graph",
        g.connection_problem(dense, "out", dense, "in"): "a layer cannot be connected to itself",
        g.connection_problem(dense, "out", src, "in"): "Input is an input layer; nothing can be connected into it",
        g.connection_problem(head, "out", dense, "in"): "head is an output head; nothing can follow it",
        g.connection_problem(src, "x", other, "in"): "Input has no output named 'x'",
        g.connection_problem(src, "out", other, "y"): "other has no input named 'y'",
        g.connection_problem(src, "out", dense, "in"): "these ports are already connected",
        g.connection_problem(src, "out", other, "in"): "input 'in' of other is already connected; disconnect it first",
        g.connection_problem(other, "out", dense, "in"): "input 'in' of hidden is already connected; disconnect "
        "it first",
    }
    for got, want in english.items():
        assert got == want  # byte-identical English
    g2 = Graph()
    a, b = g2.add_node("add", name="sum").id, g2.add_node("dense", name="d").id
    g2.connect(a, "out", b, "in")
    cycle = g2.connection_problem(b, "out", a, "in")
    assert cycle == "connecting d to sum would create a cycle"
    for text in [*english, cycle]:
        shown = i18n.diag(text)
        assert known(text) and _han(shown) and shown != text, (text, shown)
        assert localize(text, "en") == text
    assert i18n.diag("these ports are already connected") == "这两个端口已经连接"
    assert i18n.diag("input 'in' of hidden is already connected; disconnect it first") == (
        "hidden 的输入 'in' 已经连接；请先断开它"
    )
    assert i18n.diag("Input is an input layer; nothing can be connected into it").startswith("输入层 是输入层")


def test_a_refused_drag_shows_its_reason_in_chinese(window, qtbot, zh):
    doc, scene = window.doc, window.scene
    a = doc.add_node("input.vector", (0, 0), {"features": 4})
    b = doc.add_node("input.vector", (0, 200), {"features": 4})
    dense = doc.add_node("dense", (240, 0))
    doc.connect(a, "out", dense, "in")
    settle()
    src, dst = scene.nodes[b].outputs[0], scene.nodes[dense].inputs[0]
    scene.begin_connect(src, src.center())
    with qtbot.waitSignal(scene.message) as signal:
        problem = scene.end_connect(dst.center())
    assert problem == "input 'in' of dense is already connected; disconnect it first".replace(
        "dense", doc.graph.node(dense).name
    )  # the Document stays English
    shown = signal.args[0]
    assert shown.startswith("无法连接：") and "已经连接；请先断开它" in shown and "already" not in shown, shown
