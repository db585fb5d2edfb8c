"""The whole Chinese UI (issue 11): every visible text of the main window and the training dock, after a
short fake run, is Chinese except names and values; the language switches without a restart; the graph's
problems and fixes come in Chinese from a Qt-free catalog; dark-theme and plot defects stay fixed."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import re
import sys

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QDockWidget,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QSpinBox,
    QTabWidget,
    QTreeWidget,
)

from app import i18n
from app.training.plots import PLOTS, LivePlots
from graph.examples import EXAMPLES
from graph.messages import MESSAGES, known, layer_words, localize
from tests.app.conftest import settle

pytestmark = pytest.mark.gui

# Names and values that are no words to translate: frameworks, formats, the app's name, units.
NAMES = {
    "PyTorch",
    "TensorFlow",
    "Keras",
    "TensorBoard",
    "ONNX",
    "PNG",
    "SVG",
    "CSV",
    "NPZ",
    "JSON",
    "GPU",
    "GPUs",
    "CPU",
    "cuda",
    "auto",
    "LayerLab",
    "MNIST",
    "English",
    "Jupyter",
    "Notebook",
    "Adam",
    "AdamW",
    "SGD",
    "RMSprop",
    "Swish",
    "tensorboard",
    "logdir",
    "WAV",
    "onnxruntime",
    "Dense",
    "Tab",
    "Ctrl",
    "Shift",
    "Del",
    "Backspace",
    "Alt",
    "relu",
    "tanh",
    "sigmoid",
    "softmax",
    "gelu",
    "elu",
    "npz",
    "csv",
    "txt",
    "json",
    "png",
    "svg",
    "MAE",
    "MSE",
    "ETA",
    "cpu",
    "KiB",
    "MiB",
    "GiB",
    "FLOPs",
    "GAN",
    "CNN",
    "MLP",
    "LSTM",
    "Net",
    "MobileNet",
    "Transformer",
    "Esc",
}
WORD = re.compile(r"[A-Za-z][A-Za-z']{2,}")
FAKE_WORKER = """
import argparse, json, sys, time
from pathlib import Path
p = argparse.ArgumentParser()
for a in ("--epochs", "--out", "--device", "--progress", "--resume", "--prompt", "--tensorboard"):
    p.add_argument(a)
p.add_argument("--generate", type=int, default=0)
p.add_argument("--temperature", type=float, default=1.0)
p.add_argument("--generate-only", action="store_true")
args = p.parse_args()
out = Path(args.out)
def emit(event, **f):
    print(json.dumps({"event": event, **f}), flush=True)
emit("start", framework="pytorch", device="cpu", epochs=3, batch_size=4, train_samples=16, steps_per_epoch=4, params=42)
step = 0
for epoch in range(3):
    for _ in range(4):
        step += 1
        emit("batch", step=step, loss=2.0 / step, samples_per_s=1000.0 + 10 * step, lr=0.001)
        time.sleep(0.005)
    (out / "checkpoint.pt").write_text("w")
    (out / "checkpoint.json").write_text(json.dumps({"epoch": epoch + 1, "step": step}))
    emit("epoch", epoch=epoch + 1, loss=1.0 / (epoch + 1), accuracy=0.6 + 0.1 * epoch,
         val_loss=1.2 / (epoch + 1), val_accuracy=0.55 + 0.1 * epoch, seconds=0.05)
(out / "model.pt").write_text("w")
emit("end", test_loss=0.3, test_accuracy=0.9, weights="model.pt", stopped=False,
     confusion=[[5, 1], [0, 4]], misclassified=[{"index": 0, "label": 1, "predicted": 0}])
"""


def _plain(text: str) -> str:
    return re.sub(r"<[^>]+>|&\w+;", " ", text or "")


def english_words(text: str, names: set[str]) -> list[str]:
    """Words of ``text`` that look untranslated: ASCII words that are not names, paths or identifiers."""
    text = re.sub(r"\S*[/\\]\S*", " ", _plain(text))  # paths
    text = re.sub(r"\S+\.(json|py|pt|npz|csv|png|svg)\b", " ", text)
    text = re.sub(r"&(?=\w)", "", text)  # mnemonics
    return [w for w in WORD.findall(text) if w not in names and w.strip("'") not in names]


def ui_texts(window) -> list[tuple[str, str]]:
    """(where, text) of everything the user can read in the window: widgets, menus, tabs, plots, cards."""
    out = []
    for w in window.findChildren(QLabel):
        out.append(("label", w.text()))
    for w in window.findChildren(QAbstractButton):
        out += [("button", w.text()), ("tooltip", w.toolTip())]
    for w in window.findChildren(QLineEdit):
        out.append(("placeholder", w.placeholderText()))
    for w in window.findChildren(QComboBox):
        if w.objectName() != "qt_spinbox_lineedit":
            out += [("combo", w.itemText(i)) for i in range(w.count())]
    for w in window.findChildren(QSpinBox):
        out += [("suffix", w.suffix())]
    for w in window.findChildren(QTabWidget):
        out += [("tab", w.tabText(i)) for i in range(w.count())]
    for w in window.findChildren(QDockWidget):
        out += [("dock", w.windowTitle())]
    for w in window.findChildren(QGroupBox):
        out += [("group", w.title())]
    for w in window.findChildren(QTreeWidget):
        header = w.headerItem()
        out += [("header", header.text(c)) for c in range(header.columnCount())]
        if w.objectName() != "palette":
            items = [w.topLevelItem(i) for i in range(w.topLevelItemCount())]
            out += [("tree", it.text(c)) for it in items for c in range(w.columnCount())]
    for w in window.findChildren(QListWidget):
        out += [("list", w.item(i).text()) for i in range(w.count())]
    menus = [a.menu() for a in window.menuBar().actions() if a.menu() is not None]
    while menus:
        menu = menus.pop()
        menu.aboutToShow.emit()  # submenus fill themselves when they open
        for action in menu.actions():
            if action.menu() is not None and action.menu() is not menu:
                menus.append(action.menu())
            out.append(("menu", action.text()))
        out.append(("menu", menu.title()))
    plots = window.docks["training"].plots
    for plot in plots.plots.values():
        out.append(("plot title", plot.titleLabel.text))
        out += [("axis", plot.getAxis(a).labelText) for a in ("left", "bottom")]
        out += [("legend", label.text) for _sample, label in plot.legend.items]
    for item in window.scene.nodes.values():
        out += [("card type", item.type_name), ("card count", item.shown_count())]
        out += [("port", port_label(p.name)) for p in item.inputs + item.outputs]
    out += [("status", w.text()) for w in (window.params_label, window.state_label)]
    return [(where, text) for where, text in out if text]


def port_label(name: str) -> str:
    from app.canvas.node_item import port_label as label

    return label(name)


def _names(window) -> set[str]:
    names = set(NAMES)
    for node in window.doc.graph.nodes():
        names.update(WORD.findall(node.name))
    for _english, chinese in layer_words():  # English parts of layer names ("LSTM 长短期记忆")
        names.update(WORD.findall(chinese))
    rec = window.docks["training"].plots.record
    if rec is not None:
        names.update(WORD.findall(rec.label))
    names.update(WORD.findall(window.doc.project.meta.get("title", "")))
    return names


def _fake_run(qtbot, window):
    dock = window.docks["training"]
    dock.trainer.generator = lambda project, framework, project_dir: (FAKE_WORKER, [])
    dock.trainer.python = sys.executable
    run = dock.train()
    qtbot.waitUntil(lambda: not run.active, timeout=15_000)
    settle()
    return run


@pytest.fixture
def zh_window(qtbot, tmp_path):
    """A main window started in Chinese (as at a start with ui/language zh_CN)."""
    from app.main_window import MainWindow

    app = QApplication.instance()
    i18n.install_translator(app, "zh_CN")
    settle()
    win = MainWindow(recovery_folder=tmp_path / "recovery")
    win.confirm_discard = lambda: "discard"
    qtbot.addWidget(win)
    win.resize(1200, 800)
    win.show()
    qtbot.waitExposed(win)
    yield win
    i18n.install_translator(app, "en")
    settle()


def test_the_chinese_ui_has_no_untranslated_text_after_a_run(qtbot, zh_window, tmp_path):
    window = zh_window
    doc = window.doc
    doc.replace_project(EXAMPLES["digits_mlp"](), None)
    doc.save(str(tmp_path / "digits.json"))
    settle()
    run = _fake_run(qtbot, window)
    assert run.record.outcome == "finished"
    window.docks["training"].tabs.setCurrentIndex(0)
    settle()
    names = _names(window)
    bad = [(where, text, english_words(text, names)) for where, text in ui_texts(window)]
    bad = [b for b in bad if b[2]]
    assert not bad, "\n".join(f"{w}: {t!r} {words}" for w, t, words in bad)
    dock = window.docks["training"]
    assert dock.message.text().startswith("已完成")  # the "finished …" line
    assert "已完成" in dock.status.text()
    assert dock.results.confusion_label.text().startswith("混淆矩阵")


def test_problems_from_graph_are_chinese_and_unknown_ones_stay_english(qtbot, zh_window):
    window = zh_window
    doc = window.doc
    doc.replace_project(EXAMPLES["digits_mlp"](), None)
    settle()
    dense = next(n for n in doc.graph.nodes() if n.type == "dense")
    doc.delete([], [e for e in doc.graph.edges() if e.dst == dense.id])
    settle()
    problems = window.docks["problems"]
    rows = [problems.tree.topLevelItem(i) for i in range(problems.tree.topLevelItemCount())]
    texts = [r.text(1) + " " + r.text(2) for r in rows]
    assert texts and all(re.search(r"[\u4e00-\u9fff]", t) for t in texts), texts
    assert localize("no such message", "zh") == "no such message"  # unknown: English, as it was


def test_catalog_templates_round_trip_and_cover_the_common_messages():
    """Each Chinese template takes the English one's placeholders; the analysis' messages are known."""
    for key, (english, chinese) in MESSAGES.items():
        assert set(re.findall(r"\{(\w+)\}", english)) == set(re.findall(r"\{(\w+)\}", chinese)), key
    samples = [
        "Dense acts on the last axis, but its input is a feature map (N, 8, 4, 4)",
        "insert Flatten (or Global Average Pooling) before Dense",
        "the model outputs 10 class scores but digits has 3 classes",
        "set the units of the last Dense layer to 3",
        "the Input gives (N, 64) (64 values) per sample, but mnist samples are 1×28×28 (784 values)",
        "set the Input's shape to (1, 28, 28)",
        "input 'query' of MultiHeadAttention is not connected",
        "LSTM expects a sequence (N,T,F), got (N, 64)",
    ]
    for text in samples:
        assert known(text), text
        assert re.search(r"[\u4e00-\u9fff]", localize(text, "zh", layer_words())), text
    assert localize(samples[0], "zh", layer_words()).startswith("全连接层")


def test_bundled_examples_problems_are_in_the_catalog():
    """What a user meets building the examples: their problems as they are, with any one input cut, and
    with any one-in layer left out (Dense on a feature map, class-count and input-shape mismatches …)."""
    from graph.analysis import analyze
    from graph.datasets import describe

    unknown, seen = set(), 0
    for make in EXAMPLES.values():
        project = make()
        try:
            data = describe({"kind": project.setup["dataset"], **project.setup})
        except Exception:  # a dataset that needs a file: check the graph alone
            data = None
        variants = [project.graph]
        for node in project.graph.nodes():
            cut = make().graph
            for edge in cut.in_edges(node.id)[:1]:
                cut.disconnect(edge)
            variants.append(cut)
            ins, outs = project.graph.in_edges(node.id), project.graph.out_edges(node.id)
            if len(ins) == 1 and outs:
                skip = make().graph
                src = skip.in_edges(node.id)[0]
                later = skip.out_edges(node.id)
                skip.remove_node(node.id)
                for edge in later:
                    skip.connect(src.src, src.src_port, edge.dst, edge.dst_port)
                variants.append(skip)
        for graph in variants:
            for d in analyze(graph, data).diagnostics:
                for text in (d.message, d.fix):
                    seen += bool(text)
                    if text and not known(text):
                        unknown.add(text)
    assert seen > 100 and not unknown, sorted(unknown)


def test_language_switches_without_restart(qtbot, window):
    """en → zh_CN → en in one session: menus, docks, tabs, plots, cards, inspector all follow at once."""
    doc = window.doc
    doc.replace_project(EXAMPLES["digits_mlp"](), None)
    settle()
    lstm_free = next(iter(window.scene.nodes.values()))
    file_menu = window.menuBar().actions()[0]
    training = window.docks["training"]
    selection_before = doc.selection()
    try:
        window._set_language("zh_CN")
        settle()
        assert file_menu.text().startswith("文件")
        assert window.action_map["file.open"].text().startswith("打开")
        assert training.windowTitle() == "训练" and training.tabs.tabText(0) == "曲线"
        assert training.train_button.text() == "训练" and training.tensorboard.text() == "TensorBoard 日志"
        assert training.plots.plots["loss"].titleLabel.text == "每轮损失"
        assert window.docks["problems"].windowTitle().startswith("问题")
        assert re.search(r"[\u4e00-\u9fff]", lstm_free.type_name)
        settle()
        inspector = window.docks["inspector"]
        combo = inspector.editor("dataset").combo
        assert combo.currentText() == "手写数字（8×8）" and combo.currentData() == "digits"
        assert doc.selection() == selection_before and doc.undo_stack.count() == 0
        window._set_language("en")
        settle()
        assert file_menu.text() == "&File"
        assert training.tabs.tabText(0) == "Curves" and training.train_button.text() == "Train"
        assert training.plots.plots["loss"].titleLabel.text == "Loss per epoch"
        assert inspector.editor("dataset").combo.currentText() == "digits"
        assert not re.search(r"[\u4e00-\u9fff]", lstm_free.type_name)
    finally:
        i18n.install_translator(QApplication.instance(), "en")
        i18n.save_language("auto")
        settle()


def _han(text: str) -> bool:
    return bool(re.search(r"[\u4e00-\u9fff]", text or ""))


def test_summary_and_compare_switch_language_without_restart(qtbot, window, tmp_path):
    """The Summary dock (title, headers, layer types, totals) and File ▸ Compare With… (the menu entry,
    the status panel, its button, the cards' notes) follow a live en → zh_CN → en switch."""
    doc = window.doc
    doc.replace_project(EXAMPLES["digits_mlp"](), None)
    settle()
    before = tmp_path / "before.json"
    doc.save(str(before))
    dense = next(n for n in doc.graph.nodes() if n.type == "dense")
    doc.set_param(dense.id, "units", 64)
    settle()
    compare = window.compare
    compare.compare_with(str(before))
    summary = window.docks["summary"]
    summary.show()
    summary.raise_()
    settle()
    dense_row = [i for i, row in enumerate(summary.rows()) if row[0] == dense.name][0]
    item = summary.tree.topLevelItem(dense_row)
    assert item.text(1) == "Dense" and summary.tree.headerItem().text(0) == "Layer"
    assert compare.summary.text().startswith("Compared with before.json")
    from app.canvas.highlight import highlight_of

    card = window.scene.nodes[dense.id]

    def texts():
        item = summary.tree.topLevelItem(dense_row)
        header = summary.tree.headerItem()
        return {
            "dock": summary.windowTitle(),
            "headers": " ".join(header.text(c) for c in range(header.columnCount())),
            "type": item.text(1),
            "totals": summary.totals.text(),
            "panel": compare.summary.text(),
            "button": compare.clear_button.text(),
            "action": compare.action.text(),
            "note": highlight_of(card).note,  # the changed card's tooltip
        }

    try:
        window._set_language("zh_CN")
        settle()
        qtbot.waitUntil(lambda: _han(summary.tree.topLevelItem(dense_row).text(1)), timeout=2000)
        zh = texts()
        assert zh["dock"] == "摘要" and zh["type"] == "全连接层", zh
        assert all(_han(zh[k]) for k in ("headers", "totals", "panel", "button", "action", "note")), {
            k: v for k, v in zh.items() if not _han(v)
        }
        assert "before.json" in zh["panel"] and zh["action"].endswith("(&C)…")
        assert not english_words(zh["headers"], NAMES) and not english_words(zh["totals"], NAMES), zh
        assert compare.active and compare.diff is not None and not compare.diff.equal  # still comparing
        window._set_language("en")
        settle()
        qtbot.waitUntil(lambda: summary.tree.topLevelItem(dense_row).text(1) == "Dense", timeout=2000)
        en = texts()
        assert en["dock"] == "Summary" and en["headers"].startswith("Layer Type Output shape"), en
        assert en["panel"].startswith("Compared with before.json") and en["button"] == "Clear Comparison"
        assert en["action"] == "&Compare With…" and not any(_han(en[k]) for k in en if k != "note"), en
        assert en["totals"].startswith("Total:")
    finally:
        i18n.install_translator(QApplication.instance(), "en")
        i18n.save_language("auto")
        settle()


def test_a_hidden_summary_is_in_the_new_language_when_shown(qtbot, window):
    """Behind the Training tab the Summary is rebuilt when it comes to the front, in the language now used."""
    window.doc.replace_project(EXAMPLES["digits_mlp"](), None)
    summary = window.docks["summary"]
    window.docks["training"].raise_()
    settle()
    try:
        window._set_language("zh_CN")
        settle()
        summary.raise_()
        qtbot.waitUntil(lambda: summary.tree.topLevelItemCount() > 0, timeout=2000)
        settle()
        assert summary.windowTitle() == "摘要"
        assert _han(summary.totals.text()) and _han(summary.tree.topLevelItem(1).text(1))
    finally:
        i18n.install_translator(QApplication.instance(), "en")
        i18n.save_language("auto")
        settle()


def test_lstm_type_label_fits_its_card(qtbot, zh_window):
    from app.canvas.node_item import WIDTH, _metrics

    doc = zh_window.doc
    node_id = doc.add_node("lstm", (0.0, 0.0))
    settle()
    item = zh_window.scene.nodes[node_id]
    item.set_info("(N, 64)", "参数 33,024", None)
    _name, type_text = item._elided()
    assert type_text == item.type_name == "LSTM 长短期记忆"
    fm = _metrics()[1]
    assert fm.horizontalAdvance(type_text) + fm.horizontalAdvance(item.shown_count()) + 8 <= WIDTH - 16


# ----------------------------------------------------------------------------- dark theme
def _dark(window):
    from app.theme import ThemeManager

    theme = ThemeManager(QApplication.instance())
    window.theme = theme
    theme.changed.connect(window._on_theme_changed)
    return theme


def test_dark_theme_reaches_canvas_boundary_and_checkbox_at_once(qtbot, window):
    theme = _dark(window)
    try:
        theme.set_mode("dark")
        settle()
        # The canvas: its cached background (the dot grid) is redrawn with the dark colours, no pan needed.
        shot = window.view.viewport().grab().toImage()
        corner = QColor(shot.pixel(5, 5))
        assert corner.lightness() < 80, corner.name()
        # The Boundary view's plot is dark too.
        boundary = window.docks["training"].boundary
        assert boundary.plot.backgroundBrush().color().lightness() < 80
        # The TensorBoard check box: its box stands out from the dock's background.
        dock = window.docks["training"]
        dock.raise_()
        settle()
        box = dock.tensorboard
        img = window.grab(QRect(box.mapTo(window, QPoint(0, 0)), box.size())).toImage()
        h = img.height()
        values = [QColor(img.pixel(x, y)).lightness() for x in range(min(h, img.width())) for y in range(h)]
        background = dock.palette().color(QPalette.ColorRole.Window).lightness()
        assert max(values) - background > 60, (max(values), background)
    finally:
        theme.set_mode("light")
        settle()
    assert window.view.viewport().grab().toImage().pixelColor(5, 5).lightness() > 180


# ----------------------------------------------------------------------------- plots
def _record(values, steps=None, epochs=3):
    from app.training.history import RunRecord

    rec = RunRecord("r1", "t", "pytorch", {}, outcome="running")
    rec.add_event({"event": "start", "epochs": epochs, "steps_per_epoch": 10})
    for i, v in enumerate(values):
        rec.add_event({"event": "batch", "step": (steps or range(1, 999))[i], "loss": v, "samples_per_s": 10_000.0 * v})
    return rec


def test_axes_reset_for_each_run_and_throughput_fits(qtbot):
    plots = LivePlots()
    qtbot.addWidget(plots)
    plots.resize(900, 500)
    plots.show()
    plots.set_record(_record([50.0, 40.0, 30.0]))
    plots.refresh()
    for _ in range(len(PLOTS)):
        plots.refresh()
    plots.set_record(_record([]))  # a new run before its first points: not the old range
    assert plots.plots["batch_loss"].getViewBox().viewRange()[1][1] < 5
    small = _record([0.5, 0.4, 0.3, 0.2])
    plots.set_record(small)
    for _ in range(len(PLOTS) + 1):
        plots.refresh()
    (_x0, _x1), (y0, y1) = plots.plots["batch_loss"].getViewBox().viewRange()
    assert y1 < 5, "the y axis kept the previous run's range"
    (_x0, _x1), (s0, s1) = plots.plots["speed"].getViewBox().viewRange()
    speeds = small.batches.column("samples_per_s")
    assert s0 <= speeds.min() and speeds.max() <= s1 and s1 < 10 * speeds.max()


def test_accuracy_legend_does_not_cover_the_curve(qtbot):
    plots = LivePlots()
    qtbot.addWidget(plots)
    plots.resize(1000, 600)
    plots.show()
    rec = _record([1.0])
    for e in range(1, 6):
        rec.add_event(
            {
                "event": "epoch",
                "epoch": e,
                "loss": 1 / e,
                "accuracy": 0.5 + 0.1 * e,
                "val_loss": 1 / e,
                "val_accuracy": 0.45 + 0.1 * e,
            }
        )
    plots.set_record(rec)
    rec.outcome = "finished"
    plots.refresh(tight=True)
    settle()
    for key, curve_keys in (("accuracy", ("train_acc", "val_acc")), ("loss", ("train_loss", "val_loss"))):
        plot = plots.plots[key]
        box = plot.getViewBox()
        legend = box.mapSceneToView(plot.legend.sceneBoundingRect()).boundingRect()
        for ck in curve_keys:
            xs, ys = plots.curves[ck].getData()
            inside = [(x, y) for x, y in zip(xs, ys, strict=True) if legend.contains(x, y)]
            assert not inside, (key, ck, inside)
    assert not plots.plots["lr"].legend.isVisible()  # a one-curve plot: its axis title names it


def test_generated_scripts_report_every_early_step():
    """A short run (a 5-epoch digits run: ~225 steps) reports each step, not one per 0.2 s."""
    from pathlib import Path

    import codegen

    source = (Path(codegen.__file__).parent / "templates" / "_control.py.j2").read_text(encoding="utf-8")
    namespace: dict = {}
    code = source.split("{#", 1)[0] + source.split("#}", 1)[1]
    exec("import time, json, math, sys\nfrom pathlib import Path\n" + code, namespace)
    control = namespace["Control"](".", "jsonl")
    early = sum(control.due() for _ in range(namespace["EARLY_STEPS"]))
    later = sum(control.due() for _ in range(10_000))
    assert early == namespace["EARLY_STEPS"] and later <= 2
    assert np.isfinite(later)
