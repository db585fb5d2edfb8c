"""File ▸ Export As in the editor: short script, model only, notebook and ONNX, through the Code dock."""

from __future__ import annotations

import pytest

from graph.examples import EXAMPLES
from graph.fileformat import dumps

pytestmark = pytest.mark.gui


def _dock(window, tmp_path, name):
    window.doc.replace_project(EXAMPLES["digits_mlp"](), None)
    dock = window.docks["code"]
    target = tmp_path / name
    dock.save_file_name = lambda *a: (str(target), "")
    return dock, target


@pytest.mark.parametrize(
    "form,name,check",
    [
        ("minimal", "short.py", "def main():"),
        ("model", "model.py", "class Model(nn.Module):"),
        ("notebook", "digits.ipynb", '"nbformat": 4'),
    ],
)
def test_export_as_writes_each_form(window, tmp_path, form, name, check):
    dock, target = _dock(window, tmp_path, name)
    assert dock.export_form(form, "pytorch") == str(target)
    assert check in target.read_text(encoding="utf-8")
    assert "Saved" in dock.status.text()


def test_the_menu_lists_the_forms(window):
    from PySide6.QtWidgets import QMenu

    menu = QMenu()
    window.fill_export_menu(menu)
    texts = [a.text() for a in menu.actions() if not a.isSeparator()]
    assert len(texts) == 6 and all(a.isEnabled() for a in menu.actions()) and any("ONNX" in t for t in texts)
    assert any("Diagram (SVG)" in t for t in texts)


def test_a_form_that_cannot_express_the_model_says_so(window, tmp_path):
    dock, target = _dock(window, tmp_path, "short.py")
    window.doc.replace_project(EXAMPLES["gan_moons"](), None)
    assert dock.export_form("minimal", "pytorch") is None
    assert "GAN" in dock.status.text() and not target.exists()


@pytest.mark.frameworks
def test_onnx_export_runs_in_the_background_and_reports(window, qtbot, tmp_path):
    dock, target = _dock(window, tmp_path, "digits.onnx")
    before = dumps(window.doc.project)
    assert dock.export_form("onnx") == str(target)
    assert "ONNX" in dock.status.text()  # still exporting: the editor stays responsive
    qtbot.waitUntil(lambda: "Saved" in dock.status.text() or "failed" in dock.status.text(), timeout=120_000)
    assert "onnxruntime agrees" in dock.status.text(), dock.status.text()
    assert target.stat().st_size > 1000
    assert dumps(window.doc.project) == before and window.doc.undo_stack.isClean()  # the project is untouched
