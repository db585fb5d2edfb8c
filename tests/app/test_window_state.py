"""The main window keeps its geometry and dock layout across sessions (when it fits a screen);
View ▸ Panels ▸ Reset Layout puts the docks back as at a first start."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import re

import pytest
from PySide6.QtCore import QRect, QSettings, Qt
from PySide6.QtWidgets import QApplication

from app import i18n
from app.main_window import LAYOUT_KEYS, LAYOUT_VERSION, MainWindow
from tests.app.conftest import settle

pytestmark = pytest.mark.gui
BOTTOM = Qt.DockWidgetArea.BottomDockWidgetArea


SCREEN = QRect(0, 0, 1920, 1040)  # a desktop's free area (the offscreen platform's screen is smaller than the window)


class Screen:
    def availableGeometry(self):
        return QRect(SCREEN)


@pytest.fixture(autouse=True)
def desktop(monkeypatch):
    from app import main_window

    monkeypatch.setattr(main_window, "available_areas", lambda: [QRect(SCREEN)])
    monkeypatch.setattr(MainWindow, "screen", lambda self: Screen())


@pytest.fixture(autouse=True)
def no_saved_layout():
    def clear():
        settings = QSettings()
        for key in LAYOUT_KEYS.values():
            settings.remove(key)

    clear()
    yield
    clear()


def _open(qtbot, tmp_path, geometry: QRect | None = None) -> MainWindow:
    win = MainWindow(autosave=False, recovery_folder=tmp_path / "r", remember_layout=True)
    win.confirm_discard = lambda: "discard"
    qtbot.addWidget(win)
    if geometry is not None:
        win.setGeometry(geometry)
    win.show()
    qtbot.waitExposed(win)
    settle()
    return win


def _available() -> QRect:
    return QRect(SCREEN)


def _plots_shown(win) -> bool:
    training = win.docks["training"]
    return not training.visibleRegion().isEmpty() and training.plots.layout_widget.height() >= 100


def test_geometry_and_dock_layout_come_back_at_the_next_start(qtbot, tmp_path):
    free = _available()
    rect = QRect(free.x() + 20, free.y() + 30, free.width() * 3 // 4, free.height() * 3 // 4)
    first = _open(qtbot, tmp_path, rect)
    assert first.geometry() == rect
    first.docks["history"].hide()
    first.docks["summary"].raise_()
    first.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, first.docks["problems"])
    settle()
    first.close()
    assert QSettings().value(LAYOUT_KEYS["version"], type=int) == LAYOUT_VERSION

    second = _open(qtbot, tmp_path)
    assert second.geometry() == rect
    assert second.docks["history"].isHidden()
    assert second.dockWidgetArea(second.docks["problems"]) == Qt.DockWidgetArea.LeftDockWidgetArea
    assert not second.docks["summary"].visibleRegion().isEmpty()  # its tab was in front


def test_windows_that_do_not_remember_neither_save_nor_restore(qtbot, tmp_path, window):
    window.close()  # the test fixture's window: remember_layout is off by default
    assert not QSettings().contains(LAYOUT_KEYS["state"])
    QSettings().setValue(LAYOUT_KEYS["version"], LAYOUT_VERSION)
    win = MainWindow(autosave=False, recovery_folder=tmp_path / "r")
    qtbot.addWidget(win)
    assert win._saved_state is None


def _saved(qtbot, tmp_path, rect: QRect, version: int = LAYOUT_VERSION) -> None:
    """Settings as a window at ``rect`` leaves them (the rect recorded as given: a screen since removed)."""
    win = _open(qtbot, tmp_path)
    win.docks["history"].hide()
    win.close()
    QSettings().setValue(LAYOUT_KEYS["rect"], rect)
    QSettings().setValue(LAYOUT_KEYS["version"], version)


def _fits_as_default(win) -> None:
    free = _available()
    assert free.contains(win.geometry())
    assert win.width() == min(1400, int(free.width() * 0.92))
    assert abs(win.geometry().center().x() - free.center().x()) <= 2
    assert _plots_shown(win) and not win.docks["history"].isHidden()  # the default layout


@pytest.mark.parametrize("where", ["off-screen", "too large"])
def test_a_saved_geometry_that_does_not_fit_falls_back_to_the_screen_fit(qtbot, tmp_path, where):
    free = _available()
    if where == "off-screen":
        rect = QRect(free.right() + 500, free.bottom() + 500, 600, 400)
    else:
        rect = QRect(free.x(), free.y(), free.width() + 400, free.height() + 300)
    _saved(qtbot, tmp_path, rect)
    _fits_as_default(_open(qtbot, tmp_path))


def test_a_layout_saved_by_another_version_is_ignored(qtbot, tmp_path):
    free = _available()
    _saved(qtbot, tmp_path, QRect(free.x() + 10, free.y() + 10, 500, 400), version=LAYOUT_VERSION - 1)
    _fits_as_default(_open(qtbot, tmp_path))


def test_the_default_layout_shows_the_training_plots(qtbot, tmp_path):
    win = _open(qtbot, tmp_path)
    assert _plots_shown(win)
    assert win.docks["training"].height() >= 300


def test_reset_layout_restores_the_default(qtbot, tmp_path):
    win = _open(qtbot, tmp_path)
    win.docks["training"].hide()
    win.docks["palette"].setFloating(True)
    win.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, win.docks["history"])
    settle()
    assert not _plots_shown(win)
    menu = win.action_map["view.docks"].menu()
    menu.aboutToShow.emit()
    reset = next(a for a in menu.actions() if a.objectName() == "view.reset_layout")
    reset.trigger()
    settle()
    assert _plots_shown(win)
    assert not win.docks["palette"].isFloating()
    assert all(win.dockWidgetArea(d) == BOTTOM for k, d in win.docks.items() if k in ("history", "training"))
    assert set(win.tabifiedDockWidgets(win.docks["training"])) >= {win.docks["history"], win.docks["summary"]}
    win.close()  # the reset layout is what is remembered
    again = _open(qtbot, tmp_path)
    assert _plots_shown(again) and not again.docks["palette"].isFloating()


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_reset_layout_is_translated_with_a_unique_alt_letter(qtbot, tmp_path, lang):
    app = QApplication.instance()
    try:
        i18n.install_translator(app, lang)
        win = _open(qtbot, tmp_path)
        menu = win.action_map["view.docks"].menu()
        menu.aboutToShow.emit()
        texts = [a.text() for a in menu.actions() if not a.isSeparator()]
        reset = next(a for a in menu.actions() if a.objectName() == "view.reset_layout")
        assert reset.text() == {"en": "&Reset Layout", "zh_CN": "重置布局(&R)"}[lang]
        keys = [m.group(1).lower() for m in (re.search(r"&(\w)", t) for t in texts) if m]
        assert keys and len(keys) == len(set(keys)), texts
    finally:
        i18n.install_translator(app, "en")
