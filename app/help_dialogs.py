"""The Help menu's windows: About, Keyboard Shortcuts (from ``app.actions.ACTIONS``) and the Layer Reference
(every layer and the concepts behind them, with their formulas rendered by ``app.math_render``).

Each dialog is built from data the rest of the app already has (the package metadata, the action
table, the layer catalog with its bilingual docs), so it never goes out of date. All text follows the
UI language.
"""

from __future__ import annotations

import html
import importlib.metadata
import platform
import re
import tomllib
from pathlib import Path

import PySide6
from PySide6.QtCore import QCoreApplication, QEvent, Qt, QTimer, QUrl, qVersion
from PySide6.QtGui import QImage, QKeySequence, QPalette, QTextDocument
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.actions import ACTIONS, MENUS, translate
from app.i18n import pick, ui_language

PROJECT_ROOT = Path(__file__).resolve().parent.parent
TYPE_ROLE = Qt.ItemDataRole.UserRole + 1
CONCEPT_ROLE = Qt.ItemDataRole.UserRole + 2


def tr(text: str) -> str:
    return QCoreApplication.translate("HelpDialogs", text)


# ----------------------------------------------------------------------------- About
def app_version() -> str:
    """The installed package's version, else the one in pyproject.toml, else "unknown"."""
    try:
        return importlib.metadata.version("layerlab")
    except importlib.metadata.PackageNotFoundError:
        pass
    try:
        with open(PROJECT_ROOT / "pyproject.toml", "rb") as f:
            return str(tomllib.load(f)["project"]["version"])
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return "unknown"


def about_facts() -> list[tuple[str, str]]:
    """(label, value) rows of the About box."""
    return [
        (tr("Version"), app_version()),
        (tr("Python"), f"{platform.python_version()} ({platform.python_implementation()})"),
        (tr("Qt"), f"{qVersion()} (PySide6 {PySide6.__version__})"),
        (tr("Installed in"), str(PROJECT_ROOT)),
    ]


def about_html() -> str:
    rows = "".join(
        f"<tr><td style='padding-right:12px'><b>{html.escape(k)}</b></td><td>{html.escape(v)}</td></tr>"
        for k, v in about_facts()
    )
    folder = PROJECT_ROOT.as_uri()
    return (
        f"<h3>LayerLab {html.escape(app_version())}</h3>"
        f"<p>{html.escape(tr('Draw deep-learning models as graphs and get equivalent PyTorch and Keras code.'))}</p>"
        f"<table>{rows}</table>"
        f"<p><a href='{folder}'>{html.escape(tr('Open the project folder'))}</a></p>"
    )


class AboutDialog(QDialog):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("AboutDialog")
        self.setWindowTitle(tr("About LayerLab"))
        self.label = QLabel(about_html())
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.label.setOpenExternalLinks(True)
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.LinksAccessibleByMouse
        )
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        layout.addWidget(buttons)
        self.resize(520, self.sizeHint().height())


# ----------------------------------------------------------------------------- shortcuts
def _plain(text: str) -> str:
    """A menu text without its mnemonic marker: "&Open…" → "Open…", "打开(&O)…" → "打开…"."""
    text = re.sub(r"\(&\w\)", "", text)
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")


def shortcut_rows() -> list[tuple[str, str, str]]:
    """(menu, action, shortcuts) for every action of the table, in the UI language, then the canvas keys."""
    menus = {key: _plain(translate(title)) for key, title in MENUS}
    rows = []
    for spec in ACTIONS:
        keys = ", ".join(QKeySequence(s).toString(QKeySequence.SequenceFormat.NativeText) for s in spec.shortcuts)
        name = _plain(translate(spec.text)) + (" ▸" if spec.submenu else "")
        rows.append((menus[spec.menu], name, keys or "—"))
    canvas = tr("Canvas")
    rows += [
        (canvas, tr("Quick Add Layer"), "Tab"),
        (canvas, tr("Pan"), tr("Space + drag, or drag with the middle or right button")),
        (canvas, tr("Zoom"), tr("Mouse wheel")),
        (canvas, tr("Select several"), tr("Drag a rectangle, or Ctrl + click")),
    ]
    return rows


class ShortcutsDialog(QDialog):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("ShortcutsDialog")
        self.setWindowTitle(tr("Keyboard Shortcuts"))
        self.search = QLineEdit()
        self.search.setPlaceholderText(tr("Filter…"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._filter)
        rows = shortcut_rows()
        self.table = QTableWidget(len(rows), 3)
        self.table.setHorizontalHeaderLabels([tr("Menu"), tr("Action"), tr("Shortcut")])
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                item = QTableWidgetItem(text)
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                self.table.setItem(r, c, item)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(620, 640)

    def rows(self, visible_only: bool = True) -> list[tuple[str, str, str]]:
        return [
            tuple(self.table.item(r, c).text() for c in range(3))
            for r in range(self.table.rowCount())
            if not (visible_only and self.table.isRowHidden(r))
        ]

    def _filter(self, text: str) -> None:
        words = text.casefold().split()
        for r in range(self.table.rowCount()):
            hay = " ".join(self.table.item(r, c).text() for c in range(3)).casefold()
            self.table.setRowHidden(r, not all(w in hay for w in words))


# ----------------------------------------------------------------------------- layer reference
FORMULA_SIZE = 1.4  # a formula's font size, relative to the page's


def formula_url(kind: str, key: str) -> QUrl:
    """The name under which a page's rendered formula is stored in the browser's document."""
    return QUrl(f"formula:{kind}/{key}")


def _formula_block(tex: str, plain: str, url: QUrl, browser: QTextBrowser | None) -> str:
    """A formula rendered as an image (stored in ``browser``'s document under ``url``) with its plain text
    below for copying; only the plain text when it cannot be rendered (no matplotlib, a bad formula)."""
    esc = html.escape
    parts = []
    image = None
    if tex and browser is not None:
        from app import math_render

        color = browser.palette().color(QPalette.ColorRole.Text).name()
        size = browser.font().pointSizeF()
        size = (size if size > 0 else 10.0) * FORMULA_SIZE
        scale = max(1.0, browser.devicePixelRatioF())  # the screen's pixels: the browser draws images unsmoothed
        image = math_render.render(tex, color, size, scale)
        room = browser.viewport().width() - 24
        if image is not None and room > 200 and image.width() / scale > room:  # too wide: smaller, down to 70 %
            image = math_render.render(tex, color, size * max(0.7, room * scale / image.width()), scale) or image
    if image is not None:
        browser.document().addResource(QTextDocument.ResourceType.ImageResource, url, image)
        parts.append(f"<p style='margin-top:10px; margin-bottom:4px'><img src='{esc(url.toString())}'></p>")
    text = plain or tex
    if text:
        style = "white-space: pre-wrap" + ("; color:gray" if image is not None else "")
        parts.append(f"<pre style='{style}'>{esc(text)}</pre>")
    return "".join(parts)


def _links(title: str, links: list[tuple[str, str]]) -> str:
    """A line "<title> a, b" with each (href, text) of ``links`` a link; nothing without links."""
    if not links:
        return ""
    esc = html.escape
    items = ", ".join(f"<a href='{esc(href)}'>{esc(text)}</a>" for href, text in links)
    return f"<p>{esc(title)} {items}</p>"


def layer_html(spec, browser: QTextBrowser | None = None) -> str:
    """One layer's page: names, category, explanation, formula and parameters, in the UI language.

    With ``browser`` the formula is rendered into its document as an image (plain text where it cannot be)."""
    from graph.catalog import CATEGORY_ZH
    from graph.concepts import concepts_for_layer

    lang = ui_language()
    esc = html.escape
    name = pick(spec.display_name, spec.display_name_zh)
    other = spec.display_name if lang == "zh" else spec.display_name_zh
    category = pick(spec.category, CATEGORY_ZH.get(spec.category, spec.category))
    summary = spec.explanation(lang)
    if spec.formula:
        summary = summary[: -len(spec.formula)].rstrip("\n")
    parts = [
        f"<h3>{esc(name)} <span style='font-weight:normal; color:gray'>{esc(other)}</span></h3>",
        f"<p style='color:gray'>{esc(category)} · <code>{esc(spec.type_id)}</code></p>",
        f"<p>{esc(summary)}</p>",
        _formula_block(spec.formula_tex, spec.formula, formula_url("layer", spec.type_id), browser),
        _links(tr("Concepts:"), [(f"concept:{c.key}", c.title_in(lang)) for c in concepts_for_layer(spec.type_id)]),
    ]
    if spec.params:
        from app.docks.editors import param_tooltip
        from app.docks.param_titles import param_title

        parts.append(f"<h4>{esc(tr('Hyperparameters'))}</h4><ul>")
        for p in spec.params:
            doc = esc(param_tooltip(p)).replace("\n", "<br>")
            parts.append(f"<li><b>{esc(param_title(p))}</b> <code>{esc(p.name)}</code>: {doc}</li>")
        parts.append("</ul>")
    return "".join(parts)


def concept_html(concept, catalog=None, browser: QTextBrowser | None = None) -> str:
    """One concept's page: title in both languages, explanation, formula and the layers it explains."""
    lang = ui_language()
    esc = html.escape
    other = concept.title if lang == "zh" else concept.title_zh
    layers = [catalog[t] for t in concept.layers if catalog is not None and t in catalog]
    links = [(f"layer:{s.type_id}", pick(s.display_name, s.display_name_zh)) for s in layers]
    return "".join(
        [
            f"<h3>{esc(concept.title_in(lang))} <span style='font-weight:normal; color:gray'>{esc(other)}</span></h3>",
            f"<p style='color:gray'>{esc(tr('Concept'))}</p>",
            f"<p>{esc(concept.text_in(lang))}</p>",
            _formula_block(concept.tex, concept.formula, formula_url("concept", concept.key), browser),
            _links(tr("Layers:"), links),
        ]
    )


class LayerReferenceDialog(QDialog):
    """Every catalog layer and the concepts behind them, searchable; the selected one's page beside them,
    with its formula rendered (``app.math_render``)."""

    def __init__(self, catalog=None, parent=None):
        super().__init__(parent)
        from app.docks.palette import matches
        from app.icons import layer_icon
        from graph.catalog import default_catalog
        from graph.concepts import CONCEPTS

        self._matches = matches
        self.catalog = catalog or default_catalog()
        self.setObjectName("LayerReferenceDialog")
        self.setWindowTitle(tr("Layer Reference"))
        self.search = QLineEdit()
        self.search.setPlaceholderText(tr("Search (English or Chinese)…"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._filter)
        self.list = QListWidget()
        self.list.setObjectName("LayerList")
        for spec in self.catalog:
            item = QListWidgetItem(layer_icon(spec), pick(spec.display_name, spec.display_name_zh))
            item.setData(TYPE_ROLE, spec.type_id)
            item.setToolTip(spec.explanation(ui_language()))
            self.list.addItem(item)
        self.concepts = {c.key: c for c in CONCEPTS}
        self.concept_list = QListWidget()
        self.concept_list.setObjectName("ConceptList")
        self.concept_list.setSpacing(4)  # rows about as tall as the layers' (which have icons)
        for c in CONCEPTS:
            item = QListWidgetItem(c.title_in(ui_language()))
            item.setData(CONCEPT_ROLE, c.key)
            self.concept_list.addItem(item)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.list, tr("Layers"))
        self.tabs.addTab(self.concept_list, tr("Concepts"))
        self.list.currentItemChanged.connect(self._show_current)
        self.concept_list.currentItemChanged.connect(self._show_current)
        self.tabs.currentChanged.connect(lambda _index: self._show_current())
        self.page = QTextBrowser()
        self.page.setOpenLinks(False)
        self.page.anchorClicked.connect(self._follow)
        self.count = QLabel()
        self.count.setEnabled(False)
        left = QWidget()
        col = QVBoxLayout(left)
        col.setContentsMargins(0, 0, 0, 0)
        col.addWidget(self.search)
        col.addWidget(self.tabs, 1)
        col.addWidget(self.count)
        split = QSplitter()
        split.addWidget(left)
        split.addWidget(self.page)
        split.setStretchFactor(1, 1)
        split.setSizes([240, 620])
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(split, 1)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(buttons)
        layout.addLayout(bottom)
        self.resize(920, 640)
        self.formula: QUrl | None = None  # the shown page's rendered formula, if it has one
        self._filter("")

    def visible_type_ids(self) -> list[str]:
        return [self.list.item(i).data(TYPE_ROLE) for i in range(self.list.count()) if not self.list.item(i).isHidden()]

    def visible_concepts(self) -> list[str]:
        items = (self.concept_list.item(i) for i in range(self.concept_list.count()))
        return [item.data(CONCEPT_ROLE) for item in items if not item.isHidden()]

    def show_layer(self, type_id: str) -> bool:
        """Show the page of layer ``type_id`` (clearing a search that hides it); False when it is unknown."""
        return self._select(self.list, TYPE_ROLE, type_id)

    def show_concept(self, key: str) -> bool:
        """Show the page of concept ``key`` (clearing a search that hides it); False when it is unknown."""
        return self._select(self.concept_list, CONCEPT_ROLE, key)

    def formula_image(self) -> QImage | None:
        """The rendered formula of the page shown, or None (no formula, or shown as plain text)."""
        if self.formula is None:
            return None
        image = self.page.document().resource(QTextDocument.ResourceType.ImageResource, self.formula)
        return image if isinstance(image, QImage) and not image.isNull() else None

    def _select(self, widget: QListWidget, role, key: str) -> bool:
        for i in range(widget.count()):
            item = widget.item(i)
            if item.data(role) == key:
                if item.isHidden():
                    self.search.clear()
                self.tabs.setCurrentWidget(widget)
                widget.setCurrentItem(item)
                widget.scrollToItem(item, QAbstractItemView.ScrollHint.PositionAtCenter)
                self._show_current()
                return True
        return False

    def _filter(self, text: str) -> None:
        from graph.concepts import matches as concept_matches

        shown = 0
        for i in range(self.list.count()):
            item = self.list.item(i)
            ok = self._matches(self.catalog[item.data(TYPE_ROLE)], text)
            item.setHidden(not ok)
            shown += ok
        for i in range(self.concept_list.count()):
            item = self.concept_list.item(i)
            item.setHidden(not concept_matches(self.concepts[item.data(CONCEPT_ROLE)], text))
        concepts = len(self.visible_concepts())
        self.count.setText(
            tr("%1 of %2 layers, %3 of %4 concepts")
            .replace("%1", str(shown))
            .replace("%2", str(self.list.count()))
            .replace("%3", str(concepts))
            .replace("%4", str(self.concept_list.count()))
        )
        self.tabs.setTabText(0, tr("Layers") + (f" ({shown})" if text.strip() else ""))
        self.tabs.setTabText(1, tr("Concepts") + (f" ({concepts})" if text.strip() else ""))
        for widget in (self.list, self.concept_list):
            current = widget.currentItem()
            if current is None or current.isHidden():
                first = next((widget.item(i) for i in range(widget.count()) if not widget.item(i).isHidden()), None)
                widget.setCurrentItem(first)
        if text.strip() and not shown and concepts:
            self.tabs.setCurrentWidget(self.concept_list)  # only concepts match: show them
        elif text.strip() and shown and not concepts:
            self.tabs.setCurrentWidget(self.list)
        self._show_current()

    def _show_current(self, *_args) -> None:
        widget = self.tabs.currentWidget()
        item = widget.currentItem() if widget is not None else None
        self.formula = None
        if item is None or item.isHidden():
            message = (
                tr("No layer matches the search.") if widget is self.list else tr("No concept matches the search.")
            )
            self.page.setHtml(f"<p>{html.escape(message)}</p>")
            return
        if widget is self.list:
            spec = self.catalog[item.data(TYPE_ROLE)]
            self.formula = formula_url("layer", spec.type_id)
            self.page.setHtml(layer_html(spec, self.page))
        else:
            concept = self.concepts[item.data(CONCEPT_ROLE)]
            self.formula = formula_url("concept", concept.key)
            self.page.setHtml(concept_html(concept, self.catalog, self.page))

    def _follow(self, url: QUrl) -> None:
        """A link of the page: ``layer:<type id>`` or ``concept:<key>``."""
        kind, _, key = url.toString().partition(":")
        if kind == "layer":
            self.show_layer(key)
        elif kind == "concept":
            self.show_concept(key)

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            # The theme changed: formulas in the new text colour, once the page has its new palette too.
            QTimer.singleShot(0, self, self._show_current)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._show_current()  # now that the page has its width: a formula too wide for it is rendered smaller


def show_layer_reference(parent=None, type_id: str | None = None, concept: str | None = None):
    """Open the Layer Reference at layer ``type_id`` (or concept ``concept``) and return it.

    The entry point for the palette's and the inspector's "?": from inside the main window it reuses the
    window's one reference (Help ▸ Layer Reference, F1); without one it opens a dialog of its own."""
    owner = parent
    while owner is not None and not hasattr(owner, "show_layer_reference"):
        owner = owner.parentWidget()
    if owner is not None:
        dialog = owner.show_layer_reference()
    else:
        dialog = LayerReferenceDialog(parent=parent)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
    if type_id:
        dialog.show_layer(type_id)
    elif concept:
        dialog.show_concept(concept)
    return dialog


__all__ = [
    "AboutDialog",
    "LayerReferenceDialog",
    "ShortcutsDialog",
    "about_facts",
    "app_version",
    "concept_html",
    "layer_html",
    "shortcut_rows",
    "show_layer_reference",
]
