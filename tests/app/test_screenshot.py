"""`layerlab open EXAMPLE --screenshot OUT.png` renders every example with its nodes visible."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QImage

from app.cli import main
from app.cli_gui import build_window, screenshot
from app.main_window import example_files

pytestmark = pytest.mark.gui


def _header_pixels(image: QImage, window) -> int:
    """Sampled canvas pixels in a saturated colour: the category header strips of the node cards."""
    origin = window.view.mapTo(window, window.view.rect().topLeft())
    count = 0
    for y in range(origin.y(), origin.y() + window.view.height(), 2):
        for x in range(origin.x(), origin.x() + window.view.width(), 2):
            c = image.pixelColor(x, y)
            if c.hsvSaturation() > 120 and c.value() > 60:
                count += 1
    return count


@pytest.mark.parametrize("path", example_files(), ids=lambda p: p.stem)
def test_screenshot_of_each_example_shows_its_nodes(path, tmp_path, qtbot):
    out = tmp_path / "shot.png"
    window, problem = build_window(str(path), autosave=False, interactive=False)
    qtbot.addWidget(window)
    assert problem is None
    assert screenshot(window, str(out))
    image = QImage(str(out))
    assert not image.isNull() and image.width() >= 1600
    assert len(window.scene.nodes) == len(window.doc.graph) > 0
    assert len(window.scene.edges) == len(window.doc.graph.edges())
    visible = window.view.mapToScene(window.view.viewport().rect()).boundingRect()
    assert all(visible.contains(item.sceneBoundingRect()) for item in window.scene.nodes.values())
    assert _header_pixels(image, window) > 25 * len(window.scene.nodes)
    window.doc.undo_stack.setClean()


def test_cli_screenshot_exits_zero(tmp_path):
    out = tmp_path / "cli.png"
    assert main(["open", str(example_files()[0]), "--screenshot", str(out)]) == 0
    assert out.stat().st_size > 10_000


def test_cli_screenshot_of_a_broken_file_fails_cleanly(tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text("{")
    assert main(["open", str(bad), "--screenshot", str(tmp_path / "x.png")]) != 0
    assert "bad.json" in capsys.readouterr().err
