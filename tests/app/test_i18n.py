"""Translations: the compiled Chinese catalogue loads and translates known strings."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from PySide6.QtCore import QCoreApplication, QTranslator

from app import i18n
from app.docks.param_titles import param_title
from graph.project import SETUP_BY_NAME

pytestmark = pytest.mark.gui


def test_compiled_translation_translates_known_strings(qapp):
    translator = QTranslator()
    assert translator.load(str(i18n.qm_path("zh_CN")))
    assert translator.translate("ProblemsDock", "Problems") == "问题"
    assert translator.translate("InspectorDock", "%n layers selected", None, 3) == "已选中 %n 个层"


def test_install_translator_switches_language(qapp):
    try:
        assert i18n.install_translator(qapp, "zh_CN") == "zh_CN"
        assert i18n.ui_language() == "zh"
        assert QCoreApplication.translate("ProblemsDock", "Problems") == "问题"
        assert param_title(SETUP_BY_NAME["learning_rate"]) == "学习率"
        assert QCoreApplication.translate("InspectorDock", "%n layers selected", None, 3) == "已选中 3 个层"
        assert i18n.pick("Dense", "全连接层") == "全连接层"
    finally:
        assert i18n.install_translator(qapp, "en") == "en"
    assert i18n.ui_language() == "en"
    assert QCoreApplication.translate("ProblemsDock", "Problems") == "Problems"


def test_resolve_language():
    assert i18n.resolve_language("zh_CN") == "zh_CN"
    assert i18n.resolve_language("en") == "en"
    assert i18n.resolve_language("auto") in ("en", "zh_CN")


def test_training_plots_speak_chinese(qapp):
    """Plot titles, axis labels and legends follow the UI language (issue 11: they stayed English)."""
    from app.training.plots import LivePlots

    try:
        i18n.install_translator(qapp, "zh_CN")
        plots = LivePlots()
        assert plots.plots["batch_loss"].titleLabel.text == "每批训练损失"
        assert plots.plots["loss"].getAxis("bottom").labelText == "轮"
        assert plots.plots["accuracy"].getAxis("left").labelText == "准确率"
        assert plots._curve_name("val_loss", "validation") == "验证"
    finally:
        i18n.install_translator(qapp, "en")
    assert LivePlots().plots["batch_loss"].titleLabel.text == "Training loss per batch"


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_menu_mnemonics_are_unique_in_each_menu(qapp, lang):
    """Alt+letter reaches one entry: no two entries of a menu share their underlined letter."""
    import re

    from app.actions import ACTIONS, MENUS, translate

    try:
        i18n.install_translator(qapp, lang)
        for menu, _ in MENUS:
            keys = []
            for spec in (a for a in ACTIONS if a.menu == menu):
                found = re.search(r"&(\w)", translate(spec.text))
                if found:
                    keys.append(found.group(1).lower())
            assert len(keys) == len(set(keys)), (lang, menu, keys)
    finally:
        i18n.install_translator(qapp, "en")
