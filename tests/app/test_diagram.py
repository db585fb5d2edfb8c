"""The model diagram (PNG and SVG): the canvas's cards and edges, fitted, deterministic; CLI and File ▸ Export As."""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import pytest

from app.canvas.node_item import HEADER, WIDTH
from graph.examples import EXAMPLES, example_path

pytestmark = pytest.mark.gui

SVG_NS = "{http://www.w3.org/2000/svg}"


def _texts(svg: bytes) -> list[str]:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG_NS}svg"
    return [(t.text or "").strip() for t in root.iter(f"{SVG_NS}text")]


@pytest.mark.parametrize("name", ["digits_mlp", "unet_segmenter"])
def test_svg_has_one_card_per_node_and_is_byte_identical(qapp, name):
    from app.diagram import Diagram

    path = example_path(name)
    with Diagram(str(path)) as diagram:
        svg = diagram.svg()
        names = [item._elided()[0] for item in diagram.scene.nodes.values()]
        types = {item._elided()[1] for item in diagram.scene.nodes.values()}
        shapes = {item.shape_text for item in diagram.scene.nodes.values() if item.outputs}
        n_nodes = len(diagram.document.graph.node_ids())
    assert len(names) == n_nodes > 0
    texts = Counter(_texts(svg))
    for node_name in names:  # every card's header (node names are unique)
        assert texts[node_name] >= 1, node_name
    assert types <= set(texts)  # the type row
    assert "" not in shapes and shapes <= set(texts)  # the analysis' output shapes, as on the canvas
    root = ET.fromstring(svg)
    assert root.find(f"{SVG_NS}title").text
    assert "LayerLab model diagram" in root.find(f"{SVG_NS}desc").text
    with Diagram(str(path)) as again:
        assert again.svg() == svg  # no dates, no generated ids


def test_png_size_background_and_cards(qapp):
    from PySide6.QtGui import QColor

    from app.diagram import Diagram
    from app.theme import canvas_colors

    background = canvas_colors(False).background
    with Diagram(str(example_path("unet_segmenter"))) as diagram:
        rect = diagram.rect
        image = diagram.image(scale=2.0)
        png = diagram.png(scale=2.0)
        assert diagram.png(scale=2.0) == png
        headers = [(item.pos(), item.accent) for item in diagram.scene.nodes.values()]
    assert (image.width(), image.height()) == (round(rect.width() * 2), round(rect.height() * 2))
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert QColor(image.pixel(2, 2)) == background  # the margin
    for pos, accent in headers:  # the middle of each card's header strip is its category colour
        x = round((pos.x() + WIDTH / 2 - rect.left()) * 2)
        y = round((pos.y() + HEADER * 0.8 - rect.top()) * 2)  # below the name's baseline
        pixel = QColor(image.pixel(x, y))
        assert pixel != background
        assert abs(pixel.red() - accent.red()) + abs(pixel.green() - accent.green()) < 40, (pos, pixel.name())


def test_dark_colours_and_scale(qapp):
    from PySide6.QtGui import QColor

    from app.diagram import Diagram
    from app.theme import canvas_colors

    dark = canvas_colors(True)
    with Diagram(str(example_path("digits_mlp")), colors=dark) as diagram:
        small, big = diagram.image(scale=1.0), diagram.image(scale=3.0)
    assert (big.width(), big.height()) == (small.width() * 3, small.height() * 3)
    assert QColor(small.pixel(1, 1)) == dark.background


def _cli(*args, tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY")}
    root = Path(__file__).resolve().parents[2]
    return subprocess.run(
        [sys.executable, "-m", "app.cli", "export", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=root,
        timeout=120,
    )


def test_cli_writes_png_and_svg_and_needs_an_output(qapp, tmp_path):
    from app.diagram import render

    project = str(example_path("transformer_classifier"))
    for fmt in ("png", "svg"):
        out = tmp_path / f"model.{fmt}"
        proc = _cli(project, "--format", fmt, "-o", str(out), tmp_path=tmp_path)
        assert proc.returncode == 0, proc.stderr
        assert out.stat().st_size > 1000
        if fmt == "svg":
            assert out.read_bytes() == render(project, "svg")  # the same bytes in another process
            assert "self_attention" in _texts(out.read_bytes())
        else:
            assert out.read_bytes()[:4] == b"\x89PNG"
        proc = _cli(project, "--format", fmt, tmp_path=tmp_path)
        assert proc.returncode == 1 and f"--format {fmt} needs -o" in proc.stderr
        assert "Traceback" not in proc.stderr


def test_the_menu_exports_the_current_document(window, tmp_path):
    from PySide6.QtWidgets import QMenu

    window.doc.replace_project(EXAMPLES["digits_mlp"](), None)
    some = window.doc.graph.node_ids()[:1]
    window.doc.set_selection(some)
    menu = QMenu()
    window.fill_export_menu(menu)
    actions = {a.text(): a for a in menu.actions() if a.text()}
    for fmt in ("png", "svg"):
        target = tmp_path / f"digits.{fmt}"
        asked: list = []

        def answer(*a, t=target, log=asked):
            log.append(a[1:])  # (caption, start path, filter)
            return str(t), ""

        window.save_file_name = answer
        actions[f"Diagram ({fmt.upper()})…"].trigger()
        assert target.exists() and target.stat().st_size > 1000
        assert asked and asked[0][1].endswith(f"_diagram.{fmt}") and f"*.{fmt}" in asked[0][2]
    assert "digit" in _texts((tmp_path / "digits.svg").read_bytes())
    assert window.doc.selection() == some and window.doc.undo_stack.isClean()  # the document is untouched
    window.save_file_name = lambda *a: ("", "")  # cancelled: nothing written
    assert window.export_diagram("png") is None
    window.doc.add_node("dense", (900, 0))  # the diagram's scene let go of the graph's events
    assert len(window.scene.nodes) == len(window.doc.graph.node_ids())
