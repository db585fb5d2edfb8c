"""The Help menu's windows: About, Keyboard Shortcuts (from ``app.actions.ACTIONS``) and the Layer Reference.

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
from PySide6.QtCore import QCoreApplication, Qt, qVersion
from PySide6.QtGui import QKeySequence
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
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.actions import ACTIONS, MENUS, translate
from app.i18n import pick, ui_language

PROJECT_ROOT = Path(__file__).resolve().parent.parent
TYPE_ROLE = Qt.ItemDataRole.UserRole + 1


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
def layer_html(spec) -> str:
    """One layer's page: names, category, explanation and parameters, in the UI language."""
    from graph.catalog import CATEGORY_ZH

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
    ]
    if spec.formula:
        parts.append(f"<pre style='white-space: pre-wrap'>{esc(spec.formula)}</pre>")
    if spec.params:
        from app.docks.editors import param_tooltip
        from app.docks.param_titles import param_title

        parts.append(f"<h4>{esc(tr('Hyperparameters'))}</h4><ul>")
        for p in spec.params:
            doc = esc(param_tooltip(p)).replace("\n", "<br>")
            parts.append(f"<li><b>{esc(param_title(p))}</b> <code>{esc(p.name)}</code>: {doc}</li>")
        parts.append("</ul>")
    return "".join(parts)


class LayerReferenceDialog(QDialog):
    """A searchable list of every catalog layer; the selected one's explanation beside it."""

    def __init__(self, catalog=None, parent=None):
        super().__init__(parent)
        from app.docks.palette import matches
        from app.icons import layer_icon
        from graph.catalog import default_catalog

        self._matches = matches
        self.catalog = catalog or default_catalog()
        self.setObjectName("LayerReferenceDialog")
        self.setWindowTitle(tr("Layer Reference"))
        self.search = QLineEdit()
        self.search.setPlaceholderText(tr("Search layers (English or Chinese)…"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._filter)
        self.list = QListWidget()
        for spec in self.catalog:
            item = QListWidgetItem(layer_icon(spec), pick(spec.display_name, spec.display_name_zh))
            item.setData(TYPE_ROLE, spec.type_id)
            item.setToolTip(spec.explanation(ui_language()))
            self.list.addItem(item)
        self.list.currentItemChanged.connect(self._show_current)
        self.page = QTextBrowser()
        self.page.setOpenLinks(False)
        self.count = QLabel()
        self.count.setEnabled(False)
        left = QWidget()
        col = QVBoxLayout(left)
        col.setContentsMargins(0, 0, 0, 0)
        col.addWidget(self.search)
        col.addWidget(self.list, 1)
        col.addWidget(self.count)
        split = QSplitter()
        split.addWidget(left)
        split.addWidget(self.page)
        split.setStretchFactor(1, 1)
        split.setSizes([240, 520])
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(split, 1)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(buttons)
        layout.addLayout(bottom)
        self.resize(820, 600)
        self._filter("")

    def visible_type_ids(self) -> list[str]:
        return [self.list.item(i).data(TYPE_ROLE) for i in range(self.list.count()) if not self.list.item(i).isHidden()]

    def show_layer(self, type_id: str) -> None:
        for i in range(self.list.count()):
            if self.list.item(i).data(TYPE_ROLE) == type_id:
                self.list.setCurrentRow(i)
                return

    def _filter(self, text: str) -> None:
        first = None
        shown = 0
        for i in range(self.list.count()):
            item = self.list.item(i)
            ok = self._matches(self.catalog[item.data(TYPE_ROLE)], text)
            item.setHidden(not ok)
            shown += ok
            if ok and first is None:
                first = item
        self.count.setText(tr("%1 of %2 layers").replace("%1", str(shown)).replace("%2", str(self.list.count())))
        current = self.list.currentItem()
        if current is None or current.isHidden():
            self.list.setCurrentItem(first)
        if first is None:
            self.page.setHtml(f"<p>{html.escape(tr('No layer matches the search.'))}</p>")

    def _show_current(self, item, _previous=None) -> None:
        if item is not None:
            self.page.setHtml(layer_html(self.catalog[item.data(TYPE_ROLE)]))


__all__ = ["AboutDialog", "LayerReferenceDialog", "ShortcutsDialog", "about_facts", "app_version", "shortcut_rows"]
