"""Vector icons drawn with QPainter: one per layer icon name, category and diagnostic severity.

Every icon is drawn on a 24×24 grid in its category colour (a lighter shade on dark themes) and
rendered at several sizes, so it stays crisp on high-DPI screens. No image files are needed.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QGuiApplication, QIcon, QPainter, QPainterPath, QPalette, QPen, QPixmap

_LIGHT = {
    "Input": "#2e7d32",
    "Core": "#1565c0",
    "Convolution": "#6a1b9a",
    "Pooling": "#00838f",
    "Normalization": "#e65100",
    "Recurrent": "#ad1457",
    "Attention": "#283593",
    "Activation": "#c62828",
    "Merge": "#5d4037",
    "Output": "#37474f",
    "Block": "#00695c",
}
_DARK = {
    "Input": "#81c784",
    "Core": "#64b5f6",
    "Convolution": "#ce93d8",
    "Pooling": "#4dd0e1",
    "Normalization": "#ffb74d",
    "Recurrent": "#f48fb1",
    "Attention": "#9fa8da",
    "Activation": "#ef9a9a",
    "Merge": "#bcaaa4",
    "Output": "#b0bec5",
    "Block": "#4db6ac",
}
_SEVERITY = {"error": ("#d32f2f", "#ef5350"), "warning": ("#f9a825", "#ffca28"), "info": ("#1976d2", "#64b5f6")}
_CATEGORY_ICON = {
    "Input": "input",
    "Core": "dense",
    "Convolution": "conv",
    "Pooling": "pool",
    "Normalization": "norm",
    "Recurrent": "rnn",
    "Attention": "attention",
    "Activation": "activation",
    "Merge": "merge",
    "Output": "head",
    "Block": "group",
}
_SIZES = (16, 20, 24, 32, 40, 48, 64, 96)
_cache: dict[tuple, QIcon] = {}


def is_dark(palette: QPalette | None = None) -> bool:
    """True when the (application) palette has a dark window background."""
    if palette is None:
        palette = QGuiApplication.palette()
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def category_color(category: str, dark: bool | None = None) -> QColor:
    """The colour of a layer category (for icons, canvas headers, …), tuned for the theme."""
    dark = is_dark() if dark is None else dark
    return QColor((_DARK if dark else _LIGHT).get(category, "#78909c"))


def severity_color(severity: str, dark: bool | None = None) -> QColor:
    dark = is_dark() if dark is None else dark
    light_c, dark_c = _SEVERITY.get(severity, _SEVERITY["info"])
    return QColor(dark_c if dark else light_c)


def layer_icon(spec, dark: bool | None = None) -> QIcon:
    """The icon of a layer spec: its ``icon`` name drawn in its category colour."""
    name = spec.icon if spec.icon in _DRAWERS else _CATEGORY_ICON.get(spec.category, "block")
    return icon(name, category_color(spec.category, dark))


def category_icon(category: str, dark: bool | None = None) -> QIcon:
    return icon(_CATEGORY_ICON.get(category, "dense"), category_color(category, dark))


def severity_icon(severity: str, dark: bool | None = None) -> QIcon:
    """A round/triangular badge for ``error``, ``warning`` or ``info``."""
    return icon(severity if severity in _SEVERITY else "info", severity_color(severity, dark))


def icon(name: str, color: QColor) -> QIcon:
    """The icon ``name`` drawn in ``color`` (cached); unknown names get a plain block."""
    key = (name, color.name())
    if key not in _cache:
        draw = _DRAWERS.get(name, _draw_block)
        result = QIcon()
        for size in _SIZES:
            result.addPixmap(_render(draw, color, size))
        _cache[key] = result
    return _cache[key]


def _render(draw: Callable[[QPainter, QColor], None], color: QColor, size: int) -> QPixmap:
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    p = QPainter(pixmap)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.scale(size / 24.0, size / 24.0)
    draw(p, color)
    p.end()
    return pixmap


# ----------------------------------------------------------------------------- drawing helpers
def _pen(p: QPainter, color: QColor, width: float = 1.8) -> None:
    p.setPen(QPen(color, width, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin))


def _tint(color: QColor, alpha: int = 60) -> QBrush:
    c = QColor(color)
    c.setAlpha(alpha)
    return QBrush(c)


def _box(p: QPainter, color: QColor, rect: QRectF, radius: float = 2.5, alpha: int = 60) -> None:
    _pen(p, color)
    p.setBrush(_tint(color, alpha))
    p.drawRoundedRect(rect, radius, radius)


def _arrow(p: QPainter, color: QColor, a: QPointF, b: QPointF, head: float = 3.5) -> None:
    _pen(p, color)
    p.drawLine(a, b)
    angle = math.atan2(b.y() - a.y(), b.x() - a.x())
    for da in (2.6, -2.6):
        p.drawLine(b, QPointF(b.x() + head * math.cos(angle + da), b.y() + head * math.sin(angle + da)))


def _dots(p: QPainter, color: QColor, points, r: float = 1.9, filled=True) -> None:
    _pen(p, color, 1.4)
    p.setBrush(QBrush(color) if filled else Qt.BrushStyle.NoBrush)
    for x, y in points:
        p.drawEllipse(QPointF(x, y), r, r)


# ----------------------------------------------------------------------------- the icons
def _draw_block(p, c):
    _box(p, c, QRectF(4, 4, 16, 16))


def _draw_group(p, c):
    """A block of layers: a stack of two cards."""
    _box(p, c, QRectF(7, 7, 14, 14), alpha=40)
    _box(p, c, QRectF(3, 3, 14, 14), alpha=110)


def _draw_input(p, c):
    _box(p, c, QRectF(10, 4, 10, 16))
    _arrow(p, c, QPointF(2.5, 12), QPointF(14, 12))


def _draw_image(p, c):
    _box(p, c, QRectF(3, 4, 18, 16), alpha=30)
    path = QPainterPath(QPointF(4, 18))
    path.lineTo(9.5, 11)
    path.lineTo(13, 15)
    path.lineTo(15.5, 12.5)
    path.lineTo(20, 18)
    path.closeSubpath()
    p.setBrush(_tint(c, 140))
    p.drawPath(path)
    _dots(p, c, [(16, 8)], 1.6)


def _draw_sequence(p, c):
    for i in range(4):
        _box(p, c, QRectF(2.5 + i * 5, 8.5, 4, 7), 1.2, 40 + 35 * i)


def _draw_signal(p, c):
    _box(p, c, QRectF(2.5, 4, 19, 16), 2, 30)
    path = QPainterPath(QPointF(3.5, 12))
    for i in range(1, 35):
        x = 3.5 + i * 0.5
        path.lineTo(x, 12 - 5 * math.sin((x - 3.5) / 17 * 2 * math.pi * 1.5))
    _pen(p, c, 1.8)
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.drawPath(path)


def _draw_tokens(p, c):
    for i, x in enumerate((3, 10, 17)):
        _box(p, c, QRectF(x, 7, 5, 10), 1.5, 50 + 40 * i)
    _pen(p, c, 1.4)
    p.drawLine(QPointF(4.5, 20), QPointF(20.5, 20))


def _draw_dense(p, c):
    left, right = [(5, 6), (5, 12), (5, 18)], [(19, 8), (19, 16)]
    _pen(p, c, 1.0)
    for a in left:
        for b in right:
            p.drawLine(QPointF(*a), QPointF(*b))
    _dots(p, c, left + right, 2.2)


def _draw_flatten(p, c):
    _pen(p, c, 1.4)
    p.setBrush(_tint(c))
    for i in range(2):
        for j in range(2):
            p.drawRect(QRectF(3 + 4 * i, 4 + 4 * j, 4, 4))
    _arrow(p, c, QPointF(12, 8), QPointF(16, 8), 2.5)
    for k in range(4):
        p.drawRect(QRectF(17.5, 3 + 4.5 * k, 3.5, 3.5))


def _draw_reshape(p, c):
    _box(p, c, QRectF(3, 3, 8, 18), 1.5)
    _box(p, c, QRectF(13, 8, 9, 8), 1.5, 120)


def _draw_permute(p, c):
    _arrow(p, c, QPointF(4, 6), QPointF(20, 18))
    _arrow(p, c, QPointF(4, 18), QPointF(20, 6))


def _draw_dropout(p, c):
    grid = [(6 + 6 * i, 6 + 6 * j) for j in range(3) for i in range(3)]
    dropped = {1, 5, 6}
    _dots(p, c, [g for k, g in enumerate(grid) if k not in dropped], 2.0)
    _dots(p, c, [g for k, g in enumerate(grid) if k in dropped], 2.0, filled=False)


def _draw_embedding(p, c):
    _box(p, c, QRectF(3, 4, 18, 16), 1.5, 30)
    _pen(p, c, 1.2)
    for y in (8, 12, 16):
        p.drawLine(QPointF(3, y), QPointF(21, y))
    p.fillRect(QRectF(3.8, 12.6, 16.4, 2.8), _tint(c, 170))


def _draw_conv(p, c):
    _box(p, c, QRectF(7, 3, 14, 14), 1.5, 25)
    _box(p, c, QRectF(3, 7, 14, 14), 1.5, 45)
    _box(p, c, QRectF(6, 10, 6, 6), 1.0, 170)


def _draw_upsample(p, c):
    _box(p, c, QRectF(3, 13, 7, 7), 1.2, 120)
    _box(p, c, QRectF(8, 3, 13, 13), 1.5, 30)
    _arrow(p, c, QPointF(8, 15), QPointF(15, 8), 3)


def _draw_pad(p, c):
    _pen(p, c, 1.4)
    p.setPen(QPen(c, 1.4, Qt.PenStyle.DashLine))
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.drawRect(QRectF(3, 3, 18, 18))
    _box(p, c, QRectF(7, 7, 10, 10), 1.2, 110)


def _draw_pool(p, c):
    _pen(p, c, 1.4)
    shades = (40, 160, 70, 100)
    for k, (i, j) in enumerate(((0, 0), (1, 0), (0, 1), (1, 1))):
        p.setBrush(_tint(c, shades[k]))
        p.drawRect(QRectF(2.5 + 5 * i, 7 + 5 * j, 5, 5))
    _arrow(p, c, QPointF(13.5, 12), QPointF(17, 12), 2.5)
    _box(p, c, QRectF(18, 9.5, 4.5, 5), 1.0, 160)


def _draw_norm(p, c):
    path = QPainterPath(QPointF(2, 19))
    for i in range(41):
        x = 2 + i * 0.5
        path.lineTo(x, 19 - 13 * math.exp(-((x - 12) ** 2) / 14))
    _pen(p, c)
    p.setBrush(_tint(c))
    p.drawPath(path)
    p.drawLine(QPointF(2, 19.5), QPointF(22, 19.5))


def _draw_rnn(p, c):
    _box(p, c, QRectF(7, 9, 10, 10), 2)
    path = QPainterPath(QPointF(17, 14))
    path.lineTo(20, 14)
    path.quadTo(22, 14, 22, 12)
    path.lineTo(22, 6)
    path.quadTo(22, 4, 20, 4)
    path.lineTo(4, 4)
    path.quadTo(2, 4, 2, 6)
    path.lineTo(2, 12)
    path.quadTo(2, 14, 4, 14)
    _pen(p, c, 1.6)
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.drawPath(path)
    _arrow(p, c, QPointF(4, 14), QPointF(6.5, 14), 2.5)


def _draw_activation(p, c):
    _pen(p, c, 1.0)
    p.drawLine(QPointF(2, 16), QPointF(22, 16))
    p.drawLine(QPointF(12, 3), QPointF(12, 21))
    path = QPainterPath(QPointF(2, 16))
    path.lineTo(12, 16)
    path.lineTo(21, 5)
    _pen(p, c, 2.2)
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.drawPath(path)


def _draw_merge(p, c):
    _pen(p, c)
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.drawLine(QPointF(3, 5), QPointF(11, 12))
    p.drawLine(QPointF(3, 19), QPointF(11, 12))
    p.setBrush(_tint(c, 90))
    p.drawEllipse(QPointF(14, 12), 4, 4)
    p.drawLine(QPointF(14, 10), QPointF(14, 14))
    p.drawLine(QPointF(12, 12), QPointF(16, 12))
    _arrow(p, c, QPointF(18, 12), QPointF(22, 12), 2.5)


def _draw_attention(p, c):
    """Three query dots, three key dots, and weighted lines between them (thicker = more attention)."""
    queries, keys = [(5, 6), (5, 12), (5, 18)], [(19, 6), (19, 12), (19, 18)]
    for i, a in enumerate(queries):
        for j, b in enumerate(keys):
            _pen(p, c, 1.8 if i == j else 0.6)
            p.drawLine(QPointF(*a), QPointF(*b))
    _dots(p, c, queries + keys, 2.2)


def _draw_head(p, c):
    _pen(p, c)
    for r, a in ((9, 30), (5.5, 80), (2, 255)):
        p.setBrush(_tint(c, a))
        p.drawEllipse(QPointF(12, 12), r, r)


def _draw_error(p, c):
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(c)
    p.drawEllipse(QPointF(12, 12), 10, 10)
    _pen(p, QColor("white"), 2.4)
    p.drawLine(QPointF(8, 8), QPointF(16, 16))
    p.drawLine(QPointF(16, 8), QPointF(8, 16))


def _draw_warning(p, c):
    path = QPainterPath(QPointF(12, 2.5))
    path.lineTo(22.5, 21)
    path.lineTo(1.5, 21)
    path.closeSubpath()
    p.setPen(QPen(c, 1.5, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin))
    p.setBrush(c)
    p.drawPath(path)
    _pen(p, QColor("black"), 2.4)
    p.drawLine(QPointF(12, 9), QPointF(12, 14.5))
    p.drawPoint(QPointF(12, 18))


def _draw_info(p, c):
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(c)
    p.drawEllipse(QPointF(12, 12), 10, 10)
    p.setPen(QColor("white"))
    font = QFont()
    font.setBold(True)
    font.setPixelSize(15)
    p.setFont(font)
    p.drawText(QRectF(2, 2, 20, 20), Qt.AlignmentFlag.AlignCenter, "i")


_DRAWERS: dict[str, Callable[[QPainter, QColor], None]] = {
    name[len("_draw_") :]: fn for name, fn in globals().items() if name.startswith("_draw_")
}
