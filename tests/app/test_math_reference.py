"""The Layer Reference shows every formula rendered by matplotlib's mathtext, in the theme's colours, in
English and Chinese, with the plain text as the fallback; matplotlib is loaded only when it opens."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QColor, QImage

from app import i18n, math_render
from app.help_dialogs import LayerReferenceDialog, show_layer_reference
from graph.catalog import Catalog, default_catalog
from graph.concepts import concept

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.gui


@pytest.fixture(params=["en", "zh_CN"])
def lang(request, qapp):
    i18n.install_translator(qapp, request.param)
    yield request.param
    i18n.install_translator(qapp, "en")


def _dialog(qtbot, catalog=None) -> LayerReferenceDialog:
    dialog = LayerReferenceDialog(catalog)
    qtbot.addWidget(dialog)
    dialog.resize(900, 600)
    return dialog


def _ink(image: QImage) -> QColor:
    """The colour of the most opaque pixel: the formula's text colour."""
    image = image.convertToFormat(QImage.Format.Format_ARGB32)
    best = max(
        (image.pixelColor(x, y) for y in range(0, image.height(), 2) for x in range(0, image.width(), 2)),
        key=lambda c: c.alpha(),
    )
    assert best.alpha() > 200
    return best


def test_conv2d_and_a_concept_show_a_rendered_formula_in_the_ui_language(qtbot, lang):
    dialog = _dialog(qtbot)
    zh = lang.startswith("zh")
    spec = default_catalog()["conv2d"]
    assert dialog.show_layer("conv2d")
    image = dialog.formula_image()
    assert image is not None and image.width() > 100 and image.height() > 30
    page = dialog.page.toPlainText()
    assert (spec.summary_zh if zh else spec.summary) in page
    assert "H_out" in page  # the plain-text formula, to copy
    assert dialog.show_concept("gradient_descent")
    assert dialog.tabs.currentWidget() is dialog.concept_list
    image = dialog.formula_image()
    assert image is not None and not image.isNull()
    c = concept("gradient_descent")
    page = dialog.page.toPlainText()
    assert (c.text_zh if zh else c.text) in page and (c.title_zh if zh else c.title) in page
    assert "θ ← θ − η·∇_θ L" in page


def test_formulas_follow_the_theme(qtbot):
    from app.theme import _palette

    dialog = _dialog(qtbot)
    dialog.show_concept("softmax")
    assert _ink(dialog.formula_image()).lightness() < 80  # dark text on the light palette
    dialog.setPalette(_palette(True))
    qtbot.waitUntil(lambda: _ink(dialog.formula_image()).lightness() > 180)  # light text on the dark one


def test_a_broken_formula_falls_back_to_its_plain_text(qtbot):
    broken = dataclasses.replace(default_catalog()["dense"], formula_tex=r"y = \frac{x")
    catalog = Catalog([default_catalog()["input.vector"], broken])
    dialog = _dialog(qtbot, catalog)
    dialog.show_layer("dense")
    assert dialog.formula_image() is None
    assert "y = activation(x·W + b)" in dialog.page.toPlainText()
    assert math_render.render(r"\frac{") is None and math_render.problem(r"\frac{")


def test_without_matplotlib_the_reference_shows_plain_text(qtbot, monkeypatch):
    math_render.clear_cache()
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # import matplotlib now raises ImportError
    try:
        dialog = _dialog(qtbot)
        dialog.show_layer("relu")
        assert dialog.formula_image() is None
        assert "f(x) = max(0, x)" in dialog.page.toPlainText()
    finally:
        math_render.clear_cache()


def test_links_lead_from_a_layer_to_its_concepts_and_back(qtbot):
    dialog = _dialog(qtbot)
    dialog.show_layer("output.regression")
    assert "mean squared error" in dialog.page.toHtml().casefold()
    dialog.page.anchorClicked.emit(QUrl("concept:mse"))
    assert dialog.page.toPlainText().startswith("Mean squared error")
    dialog.page.anchorClicked.emit(QUrl("layer:output.regression"))
    assert dialog.tabs.currentWidget() is dialog.list
    assert dialog.list.currentItem().text() == "Regression"


def test_search_finds_concepts_in_either_language(qtbot):
    dialog = _dialog(qtbot)
    dialog.search.setText("链式法则")  # the chain rule
    assert dialog.visible_concepts() == ["backpropagation"]
    assert dialog.tabs.currentWidget() is dialog.concept_list  # no layer matches: the concepts are shown
    assert dialog.formula_image() is not None
    dialog.show_layer("dense")  # a layer hidden by the search: the search is cleared
    assert dialog.search.text() == "" and dialog.list.currentItem().text() == "Dense"


def test_the_entry_point_reuses_the_main_windows_reference(qtbot, window):
    palette = window.docks["palette"]
    dialog = show_layer_reference(palette, "lstm")
    assert dialog is window.help_dialogs["layers"] and dialog.isVisible()
    assert dialog.list.currentItem().text() == "LSTM"
    assert dialog.formula_image() is not None
    assert show_layer_reference(palette, concept="tensor") is dialog
    assert dialog.tabs.currentWidget() is dialog.concept_list
    dialog.close()
    window.help_dialogs.clear()


def test_the_editor_starts_without_matplotlib_and_loads_it_with_the_reference():
    code = (
        "import os, sys; os.environ['QT_QPA_PLATFORM'] = 'offscreen'\n"
        "from app.cli_gui import build_window\n"
        "w, _ = build_window(None, autosave=False); w.show()\n"
        "from PySide6.QtWidgets import QApplication; QApplication.processEvents()\n"
        "assert 'matplotlib' not in sys.modules, sorted(m for m in sys.modules if 'matplotlib' in m)[:5]\n"
        "d = w.show_layer_reference(); d.show_layer('conv2d'); QApplication.processEvents()\n"
        "assert 'matplotlib' in sys.modules and d.formula_image() is not None\n"
        "print('ok')\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "ok" in result.stdout


def test_f1_opens_the_reference_at_the_selected_layer(qtbot, window):
    nid = window.doc.add_node("conv2d", (0, 0))
    window.doc.set_selection([nid])
    dialog = window.show_layer_reference()
    qtbot.addWidget(dialog)
    assert "conv2d" in dialog.page.toPlainText() or "Conv2D" in dialog.page.toPlainText()
