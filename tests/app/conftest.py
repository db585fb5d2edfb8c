"""Fixtures for the GUI tests: test-mode settings paths and a main window whose dialogs are scripted."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from PySide6.QtCore import QCoreApplication, QStandardPaths

QCoreApplication.setOrganizationName("LayerLabTests")
QCoreApplication.setApplicationName("LayerLabTests")
QStandardPaths.setTestModeEnabled(True)  # QSettings and app-data go to a test location


@pytest.fixture
def window(qtbot, tmp_path):
    """A MainWindow on an empty project, autosaving into ``tmp_path/recovery``; dialogs answer 'discard'."""
    from app.main_window import MainWindow

    win = MainWindow(recovery_folder=tmp_path / "recovery")
    win.confirm_discard = lambda: "discard"
    win.errors = []
    win.show_error = lambda title, message: win.errors.append(message)
    qtbot.addWidget(win)
    win.resize(1200, 800)
    win.show()
    qtbot.waitExposed(win)
    return win


def settle(qtbot=None) -> None:
    """Let the coalesced analysis run."""
    from PySide6.QtWidgets import QApplication

    for _ in range(2):
        QApplication.processEvents()


def build_mlp(doc) -> dict[str, str]:
    """input(8×8 image) → flatten → dense(10) → classification, laid out left to right."""
    ids = {"in": doc.add_node("input.image", (0, 0), {"channels": 1, "height": 8, "width": 8})}
    ids["flat"] = doc.add_node("flatten", (240, 0))
    ids["dense"] = doc.add_node("dense", (480, 0), {"units": 10})
    ids["head"] = doc.add_node("output.classification", (720, 0))
    doc.connect(ids["in"], "out", ids["flat"], "in")
    doc.connect(ids["flat"], "out", ids["dense"], "in")
    doc.connect(ids["dense"], "out", ids["head"], "in")
    return ids


@pytest.fixture
def mlp(window):
    """The window with a small valid MLP in it; returns (window, ids)."""
    ids = build_mlp(window.doc)
    settle()
    return window, ids
