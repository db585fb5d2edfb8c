"""The model diagram as SVG or PNG, drawn by the canvas's own items (``GraphScene``, ``NodeItem``, ``EdgeItem``).

A scene is built offscreen for the project (cards show names, types, output shapes and parameter
counts from the analysis, edges their tensor labels, exactly as on the canvas), fitted to its items
with a margin and rendered on a plain background (no dot grid, no selection, no hover). The output is
deterministic: the same project gives a byte-identical SVG and identical PNG pixels.

Needs a QApplication (``QGraphicsScene`` is a widgets class); ``ensure_app()`` makes one, offscreen
when there is no display.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QObject, QRectF, QSize, Signal
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QGraphicsItem

from app.canvas.scene import GraphScene
from app.theme import canvas_colors, ui_font

MARGIN = 24.0  # scene units of background around the items
PNG_SCALE = 2.0  # device pixels per scene unit: crisp text on high-DPI screens and in documents
FORMATS = ("png", "svg")


def ensure_app():
    """The running QApplication, or a new one (offscreen when no display is set) with LayerLab's setup."""
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is not None:
        return app
    headless = sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    if headless and not os.environ.get("QT_QPA_PLATFORM"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from app.cli_gui import create_app

    return create_app()


class _StillDocument(QObject):
    """What ``GraphScene`` reads of a Document, frozen: the graph and its analysis, no selection, no edits.

    The scene listens to these signals (never emitted) instead of the real document's, so a diagram
    never changes the editor's selection; its graph-event handlers are detached after rendering."""

    analysis_changed = Signal()
    selection_changed = Signal()
    project_replaced = Signal()

    def __init__(self, document):
        super().__init__()
        self._doc = document

    @property
    def graph(self):
        return self._doc.graph

    def analysis(self):
        return self._doc.analysis()

    def selection(self) -> list[str]:
        return []

    def set_selection(self, node_ids) -> None:
        pass


class _DiagramScene(GraphScene):
    """The canvas scene with a plain background instead of the editing grid."""

    def drawBackground(self, painter, rect: QRectF) -> None:
        if self.colors.background.alpha():
            painter.fillRect(rect, self.colors.background)


def _document_for(source, path: str | None):
    """A Document for a Document (as is), a Project, or a project file path."""
    from app.document import Document

    if hasattr(source, "analysis") and hasattr(source, "project"):
        return source
    if isinstance(source, (str, os.PathLike)):
        from graph.fileformat import load

        path = os.path.abspath(source)
        source = load(path)
    return Document(source, path)


class Diagram:
    """An offscreen scene for one document; use as a context manager (``with Diagram(doc) as d``)."""

    def __init__(self, source, path: str | None = None, colors=None, background: QColor | None = None):
        ensure_app()
        self.document = _document_for(source, path)
        self.colors = colors or canvas_colors(False)
        if background is not None:
            from dataclasses import replace

            self.colors = replace(self.colors, background=QColor(background))
        self._still = _StillDocument(self.document)
        self.scene = _DiagramScene(self._still, self.colors)
        for item in self.scene.items():
            item.setCacheMode(QGraphicsItem.CacheMode.NoCache)  # vectors in the SVG, not cached pixmaps
            item.setAcceptHoverEvents(False)
        self.rect = self._fitted_rect()

    def _fitted_rect(self) -> QRectF:
        if not self.scene.nodes:
            return QRectF(0, 0, 320, 200)
        r = self.scene.visible_bounds().adjusted(-MARGIN, -MARGIN, MARGIN, MARGIN)  # not a collapsed block's layers
        left, top = int(r.left() // 1), int(r.top() // 1)  # whole units: the same grid in SVG and PNG
        right, bottom = -int(-r.right() // 1), -int(-r.bottom() // 1)
        return QRectF(left, top, right - left, bottom - top)

    def close(self) -> None:
        if self.scene is None:
            return
        if self.scene._graph is not None:
            for event, handler in self.scene._handlers():
                event.disconnect(handler)
        self.scene.clear()
        self.scene.deleteLater()
        self.scene = None

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ------------------------------------------------------------------ output
    def _paint(self, painter: QPainter, size) -> None:
        painter.setFont(ui_font(9.5))  # not the application's font: the same output in every process
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        self.scene.render(painter, QRectF(0, 0, size.width(), size.height()), self.rect)

    def image(self, scale: float = PNG_SCALE) -> QImage:
        """The diagram as an ARGB image, ``scale`` pixels per scene unit."""
        size = QSize(round(self.rect.width() * scale), round(self.rect.height() * scale))
        image = QImage(size, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(self.colors.background)
        painter = QPainter(image)
        try:
            self._paint(painter, size)
        finally:
            painter.end()
        return image

    def png(self, scale: float = PNG_SCALE) -> bytes:
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        if not self.image(scale).save(buffer, "PNG"):
            raise OSError("cannot encode the PNG")
        buffer.close()
        return bytes(data)

    def svg(self, title: str | None = None, description: str | None = None) -> bytes:
        """The diagram as SVG text (UTF-8), one scene unit per SVG user unit."""
        from PySide6.QtSvg import QSvgGenerator

        project = self.document.project
        title = title or project.meta.get("title") or (Path(self.document.path).stem if self.document.path else "model")
        if description is None:
            description = project.meta.get("description") or ""
        description = f"{description} — " if description else ""
        description += f"LayerLab model diagram: {len(self.scene.nodes)} layers, {len(self.scene.edges)} connections"
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        size = QSize(round(self.rect.width()), round(self.rect.height()))
        generator = QSvgGenerator()
        generator.setOutputDevice(buffer)
        generator.setSize(size)
        generator.setViewBox(QRectF(0, 0, size.width(), size.height()))
        generator.setResolution(round(QImage(1, 1, QImage.Format.Format_ARGB32).logicalDpiY()))  # like the PNG
        generator.setTitle(title)
        generator.setDescription(description)
        painter = QPainter(generator)
        painter.setFont(ui_font(9.5))
        try:
            if self.colors.background.alpha():
                painter.fillRect(QRectF(0, 0, size.width(), size.height()), self.colors.background)
            self._paint(painter, size)
        finally:
            painter.end()
        buffer.close()
        return _deterministic(bytes(data))


def _deterministic(svg: bytes) -> bytes:
    """Drop anything that could differ between two renders of the same project (dates, generated ids)."""
    text = svg.decode("utf-8")
    text = re.sub(r"<!--.*?-->\s*", "", text, flags=re.S)
    ids: dict[str, str] = {}

    def renumber(match: re.Match) -> str:  # ids in order of appearance (none today; future-proof)
        ids.setdefault(match.group(2), f"d{len(ids)}")
        return f'{match.group(1)}"{ids[match.group(2)]}"'

    text = re.sub(r'(\bid=)"([^"]*\d[^"]*)"', renumber, text)
    for old, new in ids.items():
        text = text.replace(f"#{old})", f"#{new})").replace(f'"#{old}"', f'"#{new}"')
    return text.encode("utf-8")


def render(
    source,
    fmt: str,
    out: str | os.PathLike | None = None,
    colors=None,
    scale: float = PNG_SCALE,
    path: str | None = None,
) -> bytes:
    """Render a Document, Project or project file to ``fmt`` ("png" or "svg"); write ``out`` when given.

    ``path``: the project's file when ``source`` is a Project (its data paths are relative to it)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown diagram format {fmt!r} (choose png or svg)")
    with Diagram(source, path, colors=colors) as diagram:
        data = diagram.png(scale) if fmt == "png" else diagram.svg()
    if out is not None:
        Path(out).write_bytes(data)
    return data


def render_svg(source, out=None, colors=None) -> bytes:
    return render(source, "svg", out, colors)


def render_png(source, out=None, colors=None, scale: float = PNG_SCALE) -> bytes:
    return render(source, "png", out, colors, scale)


__all__ = ["Diagram", "FORMATS", "PNG_SCALE", "ensure_app", "render", "render_png", "render_svg"]
