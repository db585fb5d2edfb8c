"""Light and dark themes: the widget palette and the canvas colours, following the system scheme.

Everything on the canvas is drawn as vectors with cosmetic pens, so it stays crisp at any DPI.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject, QSettings, Qt, Signal
from PySide6.QtGui import QColor, QFont, QGuiApplication, QPalette

# Font families tried in order; the last ones can show Chinese where installed. Qt falls back
# per glyph, so nothing here is required.
UI_FAMILIES = [
    "Inter",
    "Segoe UI",
    "SF Pro Text",
    "Helvetica Neue",
    "Noto Sans",
    "Cantarell",
    "DejaVu Sans",
    "Microsoft YaHei",
    "PingFang SC",
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "WenQuanYi Micro Hei",
]
MONO_FAMILIES = ["JetBrains Mono", "Consolas", "Menlo", "DejaVu Sans Mono", "Noto Sans Mono", "monospace"]


@dataclass(frozen=True)
class CanvasColors:
    """The colours the canvas items paint with (severity colours match ``app.icons``)."""

    dark: bool
    background: QColor
    grid: QColor
    node: QColor
    node_border: QColor
    selected: QColor
    text: QColor
    text_dim: QColor
    edge: QColor
    label_bg: QColor
    port: QColor
    port_ok: QColor
    error: QColor
    warning: QColor
    info: QColor
    shadow: QColor


def canvas_colors(dark: bool) -> CanvasColors:
    """The canvas palette for a dark or a light scheme."""
    c = QColor
    if dark:
        return CanvasColors(
            True,
            c("#1d1f23"),
            c("#3a3e45"),
            c("#2c2f35"),
            c("#45494f"),
            c("#5aa8ff"),
            c("#e8eaed"),
            c("#9aa0a8"),
            c("#8a9099"),
            c("#2a2d33"),
            c("#b8bec6"),
            c("#4cd080"),
            c("#ef5350"),
            c("#ffca28"),
            c("#64b5f6"),
            c(0, 0, 0, 90),
        )
    return CanvasColors(
        False,
        c("#f4f5f7"),
        c("#c9ccd2"),
        c("#ffffff"),
        c("#c6cad1"),
        c("#2f7ae5"),
        c("#1f2329"),
        c("#6a717c"),
        c("#7d848e"),
        c("#ffffff"),
        c("#5f6672"),
        c("#1f9d55"),
        c("#d32f2f"),
        c("#f9a825"),
        c("#1976d2"),
        c(0, 0, 0, 40),
    )


def ui_font(point_size: float | None = None, bold: bool = False) -> QFont:
    font = QFont()
    font.setFamilies(UI_FAMILIES)
    if point_size:
        font.setPointSizeF(point_size)
    font.setBold(bold)
    font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
    return font


def mono_font(point_size: float = 8.0) -> QFont:
    font = QFont()
    font.setFamilies(MONO_FAMILIES)
    font.setStyleHint(QFont.StyleHint.Monospace)
    font.setPointSizeF(point_size)
    return font


def _palette(dark: bool) -> QPalette:
    if not dark:
        pal = QPalette(QColor("#eff0f2"))
        pal.setColor(QPalette.ColorRole.Base, QColor("#ffffff"))
        pal.setColor(QPalette.ColorRole.Highlight, QColor("#2f7ae5"))
        return pal
    pal = QPalette()
    roles = {
        QPalette.ColorRole.Window: "#25272b",
        QPalette.ColorRole.WindowText: "#e3e5e8",
        QPalette.ColorRole.Base: "#1d1f23",
        QPalette.ColorRole.AlternateBase: "#2a2d32",
        QPalette.ColorRole.ToolTipBase: "#2f3237",
        QPalette.ColorRole.ToolTipText: "#e3e5e8",
        QPalette.ColorRole.PlaceholderText: "#8a9099",
        QPalette.ColorRole.Text: "#e3e5e8",
        QPalette.ColorRole.Button: "#2f3237",
        QPalette.ColorRole.ButtonText: "#e3e5e8",
        QPalette.ColorRole.BrightText: "#ff6b5e",
        QPalette.ColorRole.Link: "#5aa8ff",
        QPalette.ColorRole.Highlight: "#3d7fd9",
        QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.Light: "#3a3d43",
        QPalette.ColorRole.Midlight: "#33363b",
        QPalette.ColorRole.Mid: "#2a2c30",
        QPalette.ColorRole.Dark: "#18191c",
        QPalette.ColorRole.Shadow: "#000000",
    }
    for role, color in roles.items():
        pal.setColor(role, QColor(color))
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText, QPalette.ColorRole.WindowText):
        pal.setColor(QPalette.ColorGroup.Disabled, role, QColor("#6c7178"))
    return pal


def _check_palette(dark: bool) -> QPalette:
    """Check boxes' palette: Fusion draws the box in Base with an outline a shade darker than Window,
    which on the dark palette is almost black on black; a lighter box and outline keep it visible."""
    pal = _palette(dark)
    if dark:
        pal.setColor(QPalette.ColorRole.Base, QColor("#3a3e45"))
        pal.setColor(QPalette.ColorRole.Window, QColor("#9aa0a8"))  # the outline: Window.darker(140)
    return pal


class ThemeManager(QObject):
    """Applies the chosen scheme ("auto", "light" or "dark") and follows the system when "auto"."""

    changed = Signal(object)  # CanvasColors

    def __init__(self, app, parent: QObject | None = None):
        super().__init__(parent)
        self._app = app
        self.mode = str(QSettings().value("theme", "auto"))
        hints = QGuiApplication.styleHints()
        if hasattr(hints, "colorSchemeChanged"):
            hints.colorSchemeChanged.connect(lambda _scheme: self.apply())
        self.colors = canvas_colors(False)
        self.apply()

    def is_dark(self) -> bool:
        if self.mode in ("light", "dark"):
            return self.mode == "dark"
        return QGuiApplication.styleHints().colorScheme() == Qt.ColorScheme.Dark

    def set_mode(self, mode: str) -> None:
        self.mode = mode
        QSettings().setValue("theme", mode)
        self.apply()

    def apply(self) -> None:
        dark = self.is_dark()
        self._app.setStyle("Fusion")
        self._app.setPalette(_palette(dark))
        self._app.setPalette(_check_palette(dark), "QCheckBox")  # after the general one, which it refines
        self.colors = canvas_colors(dark)
        self.changed.emit(self.colors)


def apply_fonts(app) -> None:
    """A UI font with Chinese-capable fallbacks (keeps the platform's size)."""
    font = ui_font(app.font().pointSizeF() if app.font().pointSizeF() > 0 else 9.5)
    app.setFont(font)
