"""Formulas as images: matplotlib's mathtext (its subset of TeX) rendered to PNG for the Layer Reference.

A formula (``LayerSpec.formula_tex``, ``graph.concepts.Concept.tex``) is one mathtext expression per line,
without ``$`` delimiters. Each line is rendered with ``matplotlib.mathtext.math_to_image`` at a high
resolution, in the colour asked for (the theme's text colour) on a transparent background, and the lines
are stacked into one ``QImage`` whose device pixel ratio makes it as tall as the text around it.

matplotlib is imported on the first formula only, never at the editor's start-up. When it is missing, or
a formula does not parse, :func:`render` returns None and the caller shows the plain-text formula.
"""

from __future__ import annotations

import importlib.util
import io
import logging

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPainter

log = logging.getLogger(__name__)

FONTSET = "cm"  # Computer Modern: formulas look like the TeX of a textbook
LINE_GAP = 0.35  # space between the lines of a formula, as a fraction of the font size
_cache: dict[tuple, QImage | None] = {}


def available() -> bool:
    """Whether matplotlib can be imported (without importing it)."""
    try:
        return importlib.util.find_spec("matplotlib") is not None
    except (ImportError, ValueError):
        return False


def tex_lines(tex: str) -> list[str]:
    """The lines of a formula, each one mathtext expression (blank lines dropped)."""
    return [line.strip() for line in tex.splitlines() if line.strip()]


def problem(tex: str) -> str | None:
    """Why ``tex`` cannot be rendered (the parser's message, or "empty formula"), else None."""
    lines = tex_lines(tex)
    if not lines:
        return "empty formula"
    try:
        from matplotlib.mathtext import MathTextParser
    except ImportError as exc:
        return f"matplotlib is not installed ({exc})"
    parser = MathTextParser("path")
    for line in lines:
        try:
            parser.parse(f"${line}$")
        except Exception as exc:  # pyparsing's ParseFatalException, ValueError, …
            return f"{line}: {exc}"
    return None


def line_png(line: str, color: str = "#000000", size_pt: float = 13.0, dpi: float = 192.0) -> bytes:
    """One mathtext line as PNG bytes (transparent background); raises when the line does not parse."""
    import matplotlib
    from matplotlib.font_manager import FontProperties
    from matplotlib.mathtext import math_to_image

    buf = io.BytesIO()
    with matplotlib.rc_context({"mathtext.fontset": FONTSET, "savefig.transparent": True}):
        math_to_image(f"${line}$", buf, prop=FontProperties(size=size_pt), dpi=dpi, format="png", color=color)
    return buf.getvalue()


def render(tex: str, color: str = "#000000", size_pt: float = 13.0, scale: float = 2.0) -> QImage | None:
    """``tex`` as an image in ``color``, its lines left-aligned, or None when it cannot be rendered.

    ``size_pt`` is the font size in points; ``scale`` the device pixel ratio of the image: the image has
    ``scale`` times the pixels of its logical size (96 dpi), so it stays sharp on high-density screens and
    when zoomed. Results (and failures) are cached.
    """
    key = (tex, color, round(size_pt, 2), round(scale, 2))
    if key in _cache:
        return _cache[key]
    image = None
    try:
        image = _render(tex, color, size_pt, scale)
    except Exception as exc:  # a formula that does not parse, or matplotlib missing or broken
        log.info("cannot render formula %r: %s", tex, exc)
    _cache[key] = image
    return image


def _render(tex: str, color: str, size_pt: float, scale: float) -> QImage | None:
    lines = tex_lines(tex)
    if not lines:
        return None
    images = []
    for line in lines:
        image = QImage.fromData(line_png(line, color, size_pt, 96.0 * scale), "PNG")
        if image.isNull():
            raise ValueError(f"matplotlib gave no image for {line!r}")
        images.append(image)
    gap = round(size_pt * LINE_GAP * scale)
    pad = round(2 * scale)  # math_to_image crops tightly: keep the glyphs' edges off the border
    width = max(i.width() for i in images) + 2 * pad
    height = sum(i.height() for i in images) + gap * (len(images) - 1) + 2 * pad
    out = QImage(width, height, QImage.Format.Format_ARGB32_Premultiplied)
    out.fill(Qt.GlobalColor.transparent)
    painter = QPainter(out)
    y = pad
    for image in images:
        painter.drawImage(pad, y, image)
        y += image.height() + gap
    painter.end()
    out.setDevicePixelRatio(scale)
    return out


def clear_cache() -> None:
    _cache.clear()


__all__ = ["FONTSET", "available", "clear_cache", "line_png", "problem", "render", "tex_lines"]
