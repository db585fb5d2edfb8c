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


def test_cli_screenshot_of_hostile_but_loadable_files(tmp_path, capsys):
    """Odd files that load (huge shapes, odd titles, a device as dataset, unused layers) still render."""
    import json

    doc = json.loads(next(p for p in example_files() if p.stem == "digits_mlp").read_text(encoding="utf-8"))
    variants = {
        "huge": lambda d: d["nodes"][0]["params"].update(channels=4096, height=16384, width=16384),
        "title": lambda d: d["meta"].update(title="evil\x1b[2J\u202e标题"),
        "device": lambda d: d["training"].update(dataset="csv", dataset_path="/dev/zero"),
        "dangling": lambda d: d.update(edges=d["edges"][:1]),
    }
    for name, mutate in variants.items():
        d = json.loads(json.dumps(doc))
        mutate(d)
        path = tmp_path / f"{name}.json"
        path.write_text(json.dumps(d), encoding="utf-8")
        out = tmp_path / f"{name}.png"
        assert main(["open", str(path), "--screenshot", str(out)]) == 0, (name, capsys.readouterr().err)
        assert out.stat().st_size > 10_000, name
