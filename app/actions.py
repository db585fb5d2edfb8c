"""Every menu action and shortcut, declared as data in one table (napari's ``Action`` idea).

``callback`` names a MainWindow method; ``submenu`` entries name a method that fills the submenu
each time it opens. Texts are marked with QT_TRANSLATE_NOOP and translated when the menus are built.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtGui import QAction, QKeySequence

CONTEXT = "Actions"


@dataclass(frozen=True)
class Action:
    """One menu entry: id, text, shortcuts, the MainWindow method it calls and where it goes."""

    id: str
    text: str
    callback: str
    menu: str
    shortcuts: tuple[str, ...] = ()
    group: int = 0  # a separator goes between groups of one menu
    checkable: bool = False
    submenu: bool = False
    tip: str = ""


MENUS = (
    ("file", QT_TRANSLATE_NOOP("Actions", "&File")),
    ("edit", QT_TRANSLATE_NOOP("Actions", "&Edit")),
    ("view", QT_TRANSLATE_NOOP("Actions", "&View")),
    ("help", QT_TRANSLATE_NOOP("Actions", "&Help")),
)

N = QT_TRANSLATE_NOOP
ACTIONS: tuple[Action, ...] = (
    Action("file.new", N("Actions", "&New"), "new_project", "file", ("Ctrl+N",)),
    Action("file.open", N("Actions", "&Open…"), "open_dialog", "file", ("Ctrl+O",)),
    Action("file.import", N("Actions", "&Import Model…"), "import_dialog", "file", ("Ctrl+I",)),
    Action("file.recent", N("Actions", "Open &Recent"), "fill_recent_menu", "file", submenu=True),
    Action("file.examples", N("Actions", "E&xamples"), "fill_examples_menu", "file", submenu=True),
    Action("file.lessons", N("Actions", "&Lessons"), "fill_lessons_menu", "file", submenu=True),
    Action("file.save", N("Actions", "&Save"), "save", "file", ("Ctrl+S",), group=1),
    Action("file.save_as", N("Actions", "Save &As…"), "save_as", "file", ("Ctrl+Shift+S",), group=1),
    Action("file.export", N("Actions", "&Export Code…"), "export_code", "file", ("Ctrl+E",), group=2),
    Action("file.export_as", N("Actions", "Expor&t As"), "fill_export_menu", "file", group=2, submenu=True),
    Action("file.quit", N("Actions", "&Quit"), "close", "file", ("Ctrl+Q",), group=3),
    Action("edit.undo", N("Actions", "&Undo"), "undo", "edit", ("Ctrl+Z",)),
    Action("edit.redo", N("Actions", "&Redo"), "redo", "edit", ("Ctrl+Shift+Z", "Ctrl+Y")),
    Action("edit.cut", N("Actions", "Cu&t"), "cut", "edit", ("Ctrl+X",), group=1),
    Action("edit.copy", N("Actions", "&Copy"), "copy", "edit", ("Ctrl+C",), group=1),
    Action("edit.paste", N("Actions", "&Paste"), "paste", "edit", ("Ctrl+V",), group=1),
    Action("edit.duplicate", N("Actions", "Dupl&icate"), "duplicate", "edit", ("Ctrl+D",), group=1),
    Action("edit.delete", N("Actions", "&Delete"), "delete_selection", "edit", ("Del", "Backspace"), group=1),
    Action("edit.select_all", N("Actions", "Select &All"), "select_all", "edit", ("Ctrl+A",), group=2),
    Action("edit.group", N("Actions", "&Group into Block"), "group_selection", "edit", ("Ctrl+G",), group=3),
    Action("edit.ungroup", N("Actions", "U&ngroup"), "ungroup_selection", "edit", ("Ctrl+Shift+G",), group=3),
    Action("view.fit", N("Actions", "&Fit to View"), "fit_view", "view", ("F",)),
    Action("view.zoom_in", N("Actions", "Zoom &In"), "zoom_in", "view", ("Ctrl++", "Ctrl+=")),
    Action("view.zoom_out", N("Actions", "Zoom &Out"), "zoom_out", "view", ("Ctrl+-",)),
    Action("view.auto_layout", N("Actions", "&Auto-layout"), "auto_layout", "view", ("Ctrl+L",), group=1),
    Action("view.snap", N("Actions", "&Snap to Grid"), "set_snap", "view", group=1, checkable=True),
    Action("view.quick_add", N("Actions", "&Quick Add Layer…"), "quick_add", "view", group=1),
    Action("view.theme", N("Actions", "&Theme"), "fill_theme_menu", "view", group=2, submenu=True),
    Action("view.language", N("Actions", "&Language"), "fill_language_menu", "view", group=2, submenu=True),
    Action("view.docks", N("Actions", "&Panels"), "fill_docks_menu", "view", group=2, submenu=True),
    Action("help.layers", N("Actions", "&Layer Reference…"), "show_layer_reference", "help", ("F1",)),
    Action("help.shortcuts", N("Actions", "&Keyboard Shortcuts…"), "show_shortcuts", "help"),
    Action("help.about", N("Actions", "&About LayerLab"), "about", "help", group=1),
)


def translate(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


def build_menus(window, menubar) -> dict[str, QAction]:
    """Create the menus and actions of ``window`` from the table; returns actions by id."""
    menus, last_group, actions = {}, {}, {}
    for key, title in MENUS:
        menus[key] = menubar.addMenu(translate(title))
    for spec in ACTIONS:
        menu = menus[spec.menu]
        if spec.menu in last_group and last_group[spec.menu] != spec.group:
            menu.addSeparator()
        last_group[spec.menu] = spec.group
        if spec.submenu:
            sub = menu.addMenu(translate(spec.text))
            fill = getattr(window, spec.callback)
            sub.aboutToShow.connect(lambda sub=sub, fill=fill: fill(sub))
            actions[spec.id] = sub.menuAction()
            continue
        action = QAction(translate(spec.text), window)
        action.setObjectName(spec.id)
        action.setShortcuts([QKeySequence(s) for s in spec.shortcuts])
        action.setCheckable(spec.checkable)
        callback = getattr(window, spec.callback)
        if spec.checkable:
            action.toggled.connect(callback)
        else:
            action.triggered.connect(lambda _checked=False, cb=callback: cb())
        menu.addAction(action)
        window.addAction(action)  # shortcuts work while a dock has focus too
        actions[spec.id] = action
    return actions


def retranslate_menus(menubar, actions: dict[str, QAction]) -> None:
    """Give the menus and actions built by ``build_menus`` their texts in the current UI language."""
    titles = dict(MENUS)
    tops = [a for a in menubar.actions() if a.menu() is not None]
    for (key, _), top in zip(MENUS, tops, strict=False):
        top.setText(translate(titles[key]))
    for spec in ACTIONS:
        if spec.id in actions:
            actions[spec.id].setText(translate(spec.text))


__all__ = ["ACTIONS", "MENUS", "Action", "build_menus", "retranslate_menus"]
