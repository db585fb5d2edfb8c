"""Right-click menus of the canvas: on a layer, on a connection and on the empty canvas.

Every action is one undo step through the Document. Menus are built by ``menu_for_*`` and
returned unshown, so tests can trigger their actions; the view pops them up.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QPointF, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QInputDialog, QMenu

from app.i18n import diag, pick
from graph.analysis import ERROR, INFO, WARNING

# The short lists of the Insert/Add submenus; "Other…" opens quick add for the rest.
COMMON_LAYERS = (
    "dense",
    "conv2d",
    "relu",
    "maxpool2d",
    "flatten",
    "dropout",
    "batch_norm",
    "global_avg_pool",
    "output.classification",
)
COMMON_INPUTS = ("input.image", "input.vector")
_RANK = {ERROR: 0, WARNING: 1, INFO: 2}


def fix_text(d) -> str:
    """The fix of a diagnostic as the UI shows it (graph texts are English data, translated there)."""
    try:
        from app.i18n import diag
    except ImportError:  # pragma: no cover - the translation helper is optional
        return d.fix or ""
    return diag(d.fix) or ""


def fixable(analysis, node_id: str) -> list:
    """The diagnostics of ``node_id`` that carry a one-click fix, worst first."""
    found = [d for d in analysis.for_node(node_id) if d.action is not None]
    return sorted(found, key=lambda d: _RANK.get(d.severity, 3))


class CanvasMenus(QObject):
    """Builds the context menus for one GraphView."""

    def __init__(self, view):
        super().__init__(view)
        self.view = view
        self.doc = view.doc
        self.ask_text = self._ask_text  # injectable: (title, label, text) -> str | None

    # ------------------------------------------------------------------ helpers
    def _name(self, type_id: str) -> str:
        spec = self.doc.graph.catalog[type_id]
        return pick(spec.display_name, spec.display_name_zh)

    def _layer_menu(self, parent: QMenu, title: str, type_ids, on_choose, other=None, name: str = "") -> QMenu:
        sub = parent.addMenu(title)
        sub.setObjectName(name)
        catalog = self.doc.graph.catalog
        for type_id in type_ids:
            if type_id in catalog:
                action = sub.addAction(self._name(type_id), lambda t=type_id: on_choose(t))
                action.setObjectName(f"{name}:{type_id}")
        if other is not None:
            sub.addSeparator()
            sub.addAction(self.tr("Other…"), other).setObjectName(f"{name}:other")
        return sub

    @staticmethod
    def _show_keys(action, keys: str) -> None:
        """Show the window action's shortcut beside a menu entry (the entry itself takes no keys)."""
        action.setShortcut(QKeySequence(keys))
        action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)

    def _ask_text(self, title: str, label: str, text: str) -> str | None:
        value, ok = QInputDialog.getText(self.view, title, label, text=text)
        return value if ok else None

    def _report(self, problem: str | None) -> None:
        if problem:
            self.view.scene().message.emit(diag(problem))

    # ------------------------------------------------------------------ a layer
    def menu_for_node(self, node_id: str, parent=None) -> QMenu:
        graph, doc = self.doc.graph, self.doc
        spec = graph.spec(node_id)
        catalog = graph.catalog
        menu = QMenu(parent or self.view)
        for d in fixable(doc.analysis(), node_id):
            action = menu.addAction(
                self.tr("Fix: {fix}").format(fix=fix_text(d)), lambda a=d.action: self._report(doc.apply_fix(a))
            )
            action.setObjectName("node.fix")
        if not menu.isEmpty():
            menu.addSeparator()
        if spec.inputs:
            before = [t for t in COMMON_LAYERS if catalog[t].outputs and catalog[t].inputs]
            self._layer_menu(
                menu,
                self.tr("Insert before"),
                before,
                lambda t: self._select(doc.insert_before(node_id, t)),
                lambda: self.view.open_quick_add(on_chosen=lambda t: self._select(doc.insert_before(node_id, t))),
                "node.insert_before",
            )
        if spec.outputs:
            self._layer_menu(
                menu,
                self.tr("Insert after"),
                [t for t in COMMON_LAYERS if catalog[t].inputs],
                lambda t: self._select(doc.insert_after(node_id, t)),
                lambda: self.view.open_quick_add(on_chosen=lambda t: self._select(doc.insert_after(node_id, t))),
                "node.insert_after",
            )
        replace = self._replacements(node_id)
        if replace:
            self._layer_menu(
                menu, self.tr("Replace with"), replace, lambda t: doc.replace_node(node_id, t), None, "node.replace"
            )
        menu.addSeparator()
        self._group_actions(menu, node_id)
        menu.addSeparator()
        action = menu.addAction(self.tr("Rename…"), lambda: self.rename(node_id))
        action.setObjectName("node.rename")
        action = menu.addAction(self.tr("Disconnect All"), lambda: doc.disconnect_all(node_id))
        action.setObjectName("node.disconnect")
        action.setEnabled(bool(graph.in_edges(node_id) or graph.out_edges(node_id)))
        action = menu.addAction(self.tr("Delete"), lambda: doc.delete([node_id]))
        action.setObjectName("node.delete")
        return menu

    def _group_actions(self, menu: QMenu, node_id: str) -> None:
        """Group into Block (the selection, or this layer), and Ungroup when the layer is in a block."""
        doc = self.doc
        chosen = doc.selection() if node_id in doc.selection() else [node_id]
        action = menu.addAction(self.tr("Group into Block"), lambda: self.group(chosen))
        action.setObjectName("node.group")
        self._show_keys(action, "Ctrl+G")
        group = doc.graph.group_of(node_id)
        if group is not None:
            action.setEnabled(False)
            action = menu.addAction(self.tr("Ungroup"), lambda gid=group.id: doc.ungroup(gid))
            action.setObjectName("node.ungroup")
            self._show_keys(action, "Ctrl+Shift+G")

    def group(self, node_ids) -> str | None:
        """Group layers into a block; a refusal goes to the status bar."""
        problem = self.doc.group_selection(node_ids)
        self._report(problem)
        return problem

    def _replacements(self, node_id: str) -> list[str]:
        """Types that can stand in for this layer: same category, same kind of ends (inputs, outputs)."""
        graph = self.doc.graph
        spec = graph.spec(node_id)
        out = []
        for other in graph.catalog:
            if other.type_id == spec.type_id or other.category != spec.category:
                continue
            if bool(other.inputs) != bool(spec.inputs) or bool(other.outputs) != bool(spec.outputs):
                continue
            out.append(other.type_id)
        return out[:14]

    def _select(self, node_id: str | None) -> None:
        if node_id and node_id in self.doc.graph:
            self.doc.set_selection([node_id])

    def rename(self, node_id: str) -> str | None:
        name = self.ask_text(self.tr("Rename Layer"), self.tr("New name:"), self.doc.graph.node(node_id).name)
        if name is None:
            return None
        problem = self.doc.rename(node_id, name.strip())
        self._report(problem)
        return problem

    # ------------------------------------------------------------------ a block
    def menu_for_block(self, group_id: str, parent=None) -> QMenu:
        """The menu of a block card or of an expanded block's frame header."""
        doc = self.doc
        group = doc.graph.group(group_id)
        menu = QMenu(parent or self.view)
        if group.collapsed:
            action = menu.addAction(self.tr("Expand"), lambda: doc.set_group_collapsed(group_id, False))
        else:
            action = menu.addAction(self.tr("Collapse"), lambda: doc.set_group_collapsed(group_id, True))
        action.setObjectName("block.toggle")
        action = menu.addAction(self.tr("Rename Block…"), lambda: self.rename_block(group_id))
        action.setObjectName("block.rename")
        action = menu.addAction(self.tr("Ungroup"), lambda: doc.ungroup(group_id))
        action.setObjectName("block.ungroup")
        self._show_keys(action, "Ctrl+Shift+G")
        menu.addSeparator()
        action = menu.addAction(self.tr("Save Block to Library"), lambda: self.save_block(group_id))
        action.setObjectName("block.save")
        menu.addSeparator()
        action = menu.addAction(self.tr("Delete Block"), lambda: doc.delete_group(group_id))
        action.setObjectName("block.delete")
        return menu

    def rename_block(self, group_id: str) -> str | None:
        old = self.doc.graph.group(group_id).name
        name = self.ask_text(self.tr("Rename Block"), self.tr("New name:"), old)
        if name is None:
            return None
        problem = self.doc.rename_group(group_id, name.strip())
        self._report(problem)
        return problem

    def save_block(self, group_id: str):
        """Save a block into the user's library; the status bar says where (or why not)."""
        try:
            path = self.doc.blocks.save(group_id)
        except OSError as err:
            self._report(self.tr("Cannot save the block: {reason}").format(reason=err))
            return None
        self._report(self.tr("Saved the block to {path}").format(path=path))
        return path

    # ------------------------------------------------------------------ a connection
    def menu_for_edge(self, edge, scene_pos: QPointF, parent=None) -> QMenu:
        doc, catalog = self.doc, self.doc.graph.catalog
        menu = QMenu(parent or self.view)
        pos = self.view.card_pos(scene_pos)

        def splice(t):
            self._select(doc.splice(t, edge, pos))

        self._layer_menu(
            menu,
            self.tr("Insert layer here"),
            [t for t in COMMON_LAYERS if catalog[t].inputs and catalog[t].outputs],
            splice,
            lambda: self.view.open_quick_add(on_chosen=lambda t: splice(t) if catalog[t].inputs else None),
            "edge.insert",
        )
        menu.addSeparator()
        action = menu.addAction(self.tr("Delete Connection"), lambda: doc.disconnect(edge))
        action.setObjectName("edge.delete")
        return menu

    # ------------------------------------------------------------------ the empty canvas
    def menu_for_canvas(self, scene_pos: QPointF, parent=None) -> QMenu:
        doc, view = self.doc, self.view
        menu = QMenu(parent or self.view)
        pos = view.card_pos(scene_pos)

        def add(t):
            self._select(doc.add_node_free(t, pos))

        self._layer_menu(
            menu,
            self.tr("Add layer here"),
            COMMON_INPUTS + COMMON_LAYERS,
            add,
            lambda: view.open_quick_add(on_chosen=add),
            "canvas.add",
        )
        action = menu.addAction(self.tr("Paste"), lambda: view.paste_at(scene_pos))
        action.setObjectName("canvas.paste")
        menu.addSeparator()
        action = menu.addAction(self.tr("Auto-layout"), self._auto_layout)
        action.setObjectName("canvas.layout")
        action.setEnabled(len(doc.graph) > 0)
        action = menu.addAction(self.tr("Fit to View"), lambda: view.fit_all(readable=False))
        action.setObjectName("canvas.fit")
        return menu

    def _auto_layout(self) -> None:
        self.doc.auto_layout()
        self.view.fit_all()


def find_action(menu: QMenu, name: str):
    """The action called ``name`` in ``menu`` or its submenus (tests and scripted use)."""
    for action in menu.actions():
        if action.objectName() == name:
            return action
        sub = action.menu()
        if sub is not None:
            if sub.objectName() == name:
                return action
            found = find_action(sub, name)
            if found is not None:
                return found
    return None


__all__ = ["COMMON_LAYERS", "CanvasMenus", "find_action", "fix_text", "fixable"]
