"""The inspector: editors generated from the specs for the selected layer, or the training setup.

Values live in the graph (and the project setup), never in the editors: an edit goes through
``Document.set_param``/``set_setup`` (one undo command each; consecutive edits of one field merge),
a refusal is shown inline, and the editors follow graph events, so undo updates them too.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, Qt, QTimer
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QDockWidget,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.docks.binding import GraphListener
from app.docks.editors import ParamEditor, StrEditor, make_editor
from app.docks.param_titles import param_title
from app.i18n import diag, pick
from app.icons import layer_icon, severity_color, severity_icon
from graph.datasets import DESCRIPTIONS
from graph.layers.conv import same_padding
from graph.project import SETUP_BY_NAME, setup_field_relevant

# Training-setup groups, in display order (names of SETUP_PARAMS).
SETUP_GROUPS = (
    (
        "Data",
        ("dataset", "dataset_path", "dataset_target", "samples", "noise", "validation_split", "test_split", "shuffle"),
    ),
    ("Optimiser", ("optimizer", "learning_rate", "momentum", "beta1", "beta2", "epsilon", "weight_decay")),
    ("Training", ("batch_size", "epochs", "seed", "framework", "initial_weights")),
)


def _heading(text: str) -> QLabel:
    label = QLabel(text)
    font = label.font()
    font.setBold(True)
    font.setPointSizeF(font.pointSizeF() * 1.15)
    label.setFont(font)
    return label


def _wrapped(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class NodePanel(QWidget):
    """Name, type, explanation, shape, parameter count, diagnostics and parameters of one layer."""

    def __init__(self, document, node_id: str, parent=None):
        super().__init__(parent)
        self.document, self.node_id = document, node_id
        node, spec = document.graph.node(node_id), document.graph.spec(node_id)
        self.editors: dict[str, ParamEditor] = {}
        layout = QVBoxLayout(self)
        layout.addLayout(self._title_row(spec))
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.name_edit = QLineEdit(node.name)
        self.name_edit.editingFinished.connect(self._on_name_edited)
        self.name_error = _wrapped()
        self.name_error.setStyleSheet(f"color: {severity_color('error').name()};")
        self.name_error.hide()
        name_box = QVBoxLayout()
        name_box.setSpacing(2)
        name_box.addWidget(self.name_edit)
        name_box.addWidget(self.name_error)
        form.addRow(self.tr("Name"), name_box)
        self.shape_label, self.count_label = _wrapped(), _wrapped()
        form.addRow(self.tr("Output"), self.shape_label)
        form.addRow(self.tr("Parameters"), self.count_label)
        layout.addLayout(form)
        layout.addWidget(self._explanation(spec))
        self.diagnostics = QVBoxLayout()
        layout.addLayout(self.diagnostics)
        layout.addWidget(self._params_box(spec, node.params))
        layout.addStretch(1)
        self.update_analysis()

    def _title_row(self, spec) -> QHBoxLayout:
        row = QHBoxLayout()
        icon = QLabel()
        icon.setPixmap(layer_icon(spec).pixmap(28, 28))
        row.addWidget(icon)
        title = _heading(pick(spec.display_name, spec.display_name_zh))
        title.setToolTip(spec.type_id)
        row.addWidget(title, 1)
        kind = QLabel(spec.type_id)
        kind.setEnabled(False)
        row.addWidget(kind)
        self.explain_button = QToolButton(text="?")
        self.explain_button.setToolTip(self.tr("Explain this layer (Layer Reference)"))
        self.explain_button.clicked.connect(lambda: _show_reference(self, spec.type_id))
        row.addWidget(self.explain_button)
        return row

    def _explanation(self, spec) -> QWidget:
        box = QWidget()
        col = QVBoxLayout(box)
        col.setContentsMargins(0, 0, 0, 0)
        col.addWidget(_wrapped(pick(spec.summary, spec.summary_zh)))
        if spec.formula:
            formula = _wrapped(spec.formula)
            formula.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
            col.addWidget(formula)
        return box

    def _params_box(self, spec, values: dict) -> QWidget:
        box = QGroupBox(self.tr("Hyperparameters"))
        form = QFormLayout(box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        if not spec.params:
            form.addRow(QLabel(self.tr("This layer has no settings.")))
        for param in spec.params:
            editor = make_editor(param)
            editor.set_value(values[param.name])
            editor.edited.connect(lambda value, name=param.name: self._on_param_edited(name, value))
            label = QLabel(param_title(param))
            label.setToolTip(editor.toolTip())
            form.addRow(label, editor)
            self.editors[param.name] = editor
        self.same_button = None
        if "padding" in self.editors and same_padding(spec.type_id, values) is not None:
            self.same_button = self.editors["padding"].add_button(self.tr("Same"), self.apply_same_padding)
            self.same_button.setObjectName("samePadding")
            self.same_button.setToolTip(
                self.tr(
                    "Set the padding that keeps the size: the output is as large as the input "
                    "(divided by the stride, rounded up), for the current kernel, stride and dilation."
                )
                + "\n"
                + self.tr(
                    'Each side is padded separately, like TensorFlow\'s padding="same": when the total is '
                    "odd, the extra row or column goes at the bottom or right. One undoable edit."
                )
            )
        return box

    def same_padding(self) -> list[int] | None:
        """The padding that keeps the size now (from the layer's input shape when it is known)."""
        graph = self.document.graph
        node = graph.node(self.node_id)
        shape = self.document.analysis().inputs.get(self.node_id, {}).get("in")
        return same_padding(node.type, node.params, shape)

    def apply_same_padding(self) -> str | None:
        """The "Same" button: one undo step setting every side's padding; a refusal shows inline."""
        if self.node_id not in self.document.graph:
            return None
        pads = self.same_padding()
        if pads is None:
            return None
        message = self.document.set_param(self.node_id, "padding", pads, text=self.tr("Same padding"))
        self.editors["padding"].show_error(message)
        return message

    # ------------------------------------------------------------------ edits
    def _on_param_edited(self, name: str, value) -> None:
        if self.node_id not in self.document.graph:
            return
        message = self.document.set_param(self.node_id, name, value)
        self.editors[name].show_error(message)

    def _on_name_edited(self) -> None:
        if self.node_id not in self.document.graph:
            return
        message = self.document.rename(self.node_id, self.name_edit.text().strip())
        self.show_name_error(message)

    def show_name_error(self, message: str | None) -> None:
        """A refused name: the reason in red under the field and a red frame (the field keeps the text)."""
        message = diag(message)
        self.name_error.setText(message or "")
        self.name_error.setVisible(bool(message))
        self.name_edit.setStyleSheet(f"border: 1px solid {severity_color('error').name()};" if message else "")
        self.name_edit.setToolTip(message or "")

    # ------------------------------------------------------------------ updates from the graph
    def update_param(self, name: str, value) -> None:
        editor = self.editors.get(name)
        if editor is not None:
            editor.set_value(value)
            editor.show_error(None)

    def update_name(self, name: str) -> None:
        if self.name_edit.text() != name:
            self.name_edit.setText(name)
        self.show_name_error(None)

    def update_analysis(self) -> None:
        if self.node_id not in self.document.graph:
            return
        analysis = self.document.analysis()
        spec = self.document.graph.spec(self.node_id)
        self.shape_label.setText(self._shape_text(analysis, spec))
        counts = analysis.counts.get(self.node_id)
        self.count_label.setText("?" if counts is None else self._count_text(*counts))
        self._show_diagnostics(analysis.for_node(self.node_id))

    def _shape_text(self, analysis, spec) -> str:
        if spec.is_head:
            t = analysis.inputs.get(self.node_id, {}).get("in")
            return self.tr("loss on %1").replace("%1", t.label()) if t is not None else "?"
        shapes = analysis.shapes.get(self.node_id)
        return ", ".join(t.label() for t in shapes.values()) if shapes else "?"

    def _count_text(self, trainable: int, frozen: int) -> str:
        if not frozen:
            return f"{trainable:,}"
        return self.tr("%1 (%2 trainable)").replace("%1", f"{trainable + frozen:,}").replace("%2", f"{trainable:,}")

    def _show_diagnostics(self, diagnostics) -> None:
        key = [(d.severity, d.message, d.fix) for d in diagnostics]
        if key == getattr(self, "_diag_key", None):
            return  # unchanged: keep the rows instead of rebuilding them on every analysis
        self._diag_key = key
        while self.diagnostics.count():
            item = self.diagnostics.takeAt(0)
            if item.layout():
                while item.layout().count():
                    sub = item.layout().takeAt(0)
                    if sub.widget():
                        sub.widget().deleteLater()
            elif item.widget():
                item.widget().deleteLater()
        for d in diagnostics:
            row = QHBoxLayout()
            icon = QLabel()
            icon.setPixmap(severity_icon(d.severity).pixmap(16, 16))
            icon.setAlignment(Qt.AlignmentFlag.AlignTop)
            row.addWidget(icon)
            text = diag(d.message) + (f"\n→ {diag(d.fix)}" if d.fix else "")
            label = _wrapped(text)
            label.setStyleSheet(f"color: {severity_color(d.severity).name()};")
            row.addWidget(label, 1)
            self.diagnostics.addLayout(row)

    def diagnostic_texts(self) -> list[str]:
        """The diagnostic lines shown (for tests)."""
        out = []
        for i in range(self.diagnostics.count()):
            row = self.diagnostics.itemAt(i).layout()
            out.append(row.itemAt(1).widget().text())
        return out


class SetupPanel(QWidget):
    """The training setup, edited with the same editors as layer parameters."""

    def __init__(self, document, browse, parent=None):
        super().__init__(parent)
        self.document = document
        self.editors: dict[str, ParamEditor] = {}
        self.labels: dict[str, QLabel] = {}
        layout = QVBoxLayout(self)
        layout.addWidget(_heading(self.tr("Training setup")))
        hint = _wrapped(self.tr("Select a layer to edit it; with nothing selected, this is the training setup."))
        hint.setEnabled(False)
        layout.addWidget(hint)
        group_titles = {"Data": self.tr("Data"), "Optimiser": self.tr("Optimiser"), "Training": self.tr("Training")}
        for group, names in SETUP_GROUPS:
            box = QGroupBox(group_titles[group])
            form = QFormLayout(box)
            form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
            for name in names:
                self._add_field(form, name)
            if group == "Data":
                self.dataset_info = _wrapped()
                form.addRow(self.dataset_info)
            layout.addWidget(box)
        layout.addStretch(1)
        path_editor = self.editors["dataset_path"]
        if isinstance(path_editor, StrEditor):
            path_editor.add_button("…", browse).setToolTip(self.tr("Choose a file or folder"))
        self.update_all()

    def _add_field(self, form: QFormLayout, name: str) -> None:
        param = SETUP_BY_NAME[name]
        editor = make_editor(param)
        editor.edited.connect(lambda value, n=name: self._on_edited(n, value))
        label = QLabel(param_title(param))
        label.setToolTip(editor.toolTip())
        form.addRow(label, editor)
        self.editors[name], self.labels[name] = editor, label

    def _on_edited(self, name: str, value) -> None:
        message = self.document.set_setup(name, value)
        self.editors[name].show_error(message)

    def update_field(self, name: str) -> None:
        editor = self.editors.get(name)
        if editor is not None:
            editor.set_value(self.document.project.setup[name])
            editor.show_error(None)
        self._update_visibility()

    def update_all(self) -> None:
        for name in self.editors:
            self.editors[name].set_value(self.document.project.setup[name])
        self._update_visibility()
        self.update_analysis()

    def _update_visibility(self) -> None:
        setup = self.document.project.setup
        for name, editor in self.editors.items():
            shown = setup_field_relevant(name, setup)
            editor.setVisible(shown)
            self.labels[name].setVisible(shown)

    def update_analysis(self) -> None:
        kind = self.document.project.setup["dataset"]
        text = pick(*DESCRIPTIONS.get(kind, (kind, kind)))
        info, problem = self.document.dataset_info()
        color = None
        if problem:
            text += "\n" + problem
            color = severity_color("error").name()
        elif info is not None:
            if info.sample_shape is None:
                shape = self.tr("fitted to the Input")
            else:
                shape = "×".join(str(d) for d in info.sample_shape) or "—"
            text += "\n" + self.tr("Sample shape %1, %2 samples").replace("%1", shape).replace(
                "%2", f"{info.num_samples:,}"
            )
            text += "\n" + self.tr("Targets: %1").replace("%1", targets_text(info.targets))
        self.dataset_info.setText(text)
        self.dataset_info.setStyleSheet(f"color: {color};" if color else "")


def targets_text(targets) -> str:
    """The targets a dataset provides, in the UI language."""
    tr = QCoreApplication.translate
    if targets.kind == "labels":
        text = tr("SetupPanel", "%1 classes").replace("%1", str(targets.classes))
    elif targets.zero_one:
        text = tr("SetupPanel", "0/1 values")
    elif targets.integral and targets.classes:
        text = tr("SetupPanel", "whole numbers 0…%1 (class ids or values)").replace("%1", str(targets.classes - 1))
    else:
        text = tr("SetupPanel", "real values")
    if targets.shape:
        text += " " + tr("SetupPanel", "of shape %1").replace("%1", "×".join(str(d) for d in targets.shape))
    return text


class InspectorDock(QDockWidget):
    """Edits the selected layer, or the training setup when nothing is selected."""

    def __init__(self, document, parent=None):
        super().__init__(self.tr("Inspector"), parent)
        self.setObjectName("InspectorDock")
        self.document = document
        # Injectable for tests: (parent, caption, dir, filter) -> (path, filter) / (parent, caption, dir) -> path
        self.open_file_name = QFileDialog.getOpenFileName
        self.existing_directory = QFileDialog.getExistingDirectory
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setWidget(self.scroll)
        self.panel: QWidget | None = None
        self._shown: tuple = ()
        self._listener = GraphListener(
            self,
            {
                "param_changed": self._on_param_changed,
                "node_renamed": self._on_node_renamed,
                "node_removed": self._on_node_removed,
                "node_added": self._on_node_added,
            },
        )
        document.selection_changed.connect(self._on_selection_changed)
        document.analysis_changed.connect(self._on_analysis_changed)
        document.setup_changed.connect(self._on_setup_changed)
        document.project_replaced.connect(self._on_project_replaced)
        self._on_project_replaced()

    def editor(self, name: str) -> ParamEditor:
        """The editor of a param (of the shown layer) or setup field."""
        return self.panel.editors[name]

    # ------------------------------------------------------------------ panels
    def _rebuild(self) -> None:
        selection = self.document.selection()
        if len(selection) == 1:
            panel = NodePanel(self.document, selection[0])
        elif selection:
            panel = QLabel(self.tr("%n layers selected", "", len(selection)))
            panel.setAlignment(Qt.AlignmentFlag.AlignCenter)
        else:
            panel = SetupPanel(self.document, self._browse_dataset)
        old = self.scroll.takeWidget()
        if old is not None:
            old.deleteLater()
        self.scroll.setWidget(panel)
        self.panel = panel
        self._shown = tuple(selection)

    def _browse_dataset(self) -> None:
        setup = self.document.project.setup
        start = self.document.base_dir or ""
        if setup["dataset"] == "image_folder":
            path = self.existing_directory(self, self.tr("Choose the image folder"), start)
        else:
            path, _ = self.open_file_name(
                self, self.tr("Choose the data file"), start, self.tr("Data files (*.csv *.npz *.txt);;All files (*)")
            )
        if path:
            message = self.document.set_setup("dataset_path", path)
            if isinstance(self.panel, SetupPanel):
                self.panel.editors["dataset_path"].show_error(message)

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange) and self.panel:
            QTimer.singleShot(0, self._rebuild)  # inline colours follow the light/dark theme
        elif event.type() == QEvent.Type.LanguageChange:
            self.setWindowTitle(self.tr("Inspector"))
            if self.panel:
                QTimer.singleShot(0, self._rebuild)  # every label, title and choice in the new language

    # ------------------------------------------------------------------ slots
    def _on_selection_changed(self) -> None:
        if tuple(self.document.selection()) != self._shown:
            self._rebuild()

    def _on_project_replaced(self) -> None:
        self._listener.bind(self.document.graph)
        self._rebuild()

    def _on_param_changed(self, node, name, old, new) -> None:
        if isinstance(self.panel, NodePanel) and node.id == self.panel.node_id:
            self.panel.update_param(name, new)

    def _on_node_renamed(self, node, old, new) -> None:
        if isinstance(self.panel, NodePanel) and node.id == self.panel.node_id:
            self.panel.update_name(new)

    def _on_node_removed(self, node) -> None:
        if node.id in self._shown:
            self._rebuild()

    def _on_node_added(self, node) -> None:
        # Undoing a delete brings back a node that may still be in the selection.
        if node.id in self.document.selection() and node.id not in self._shown:
            self._rebuild()

    def _on_analysis_changed(self) -> None:
        if isinstance(self.panel, NodePanel | SetupPanel):
            self.panel.update_analysis()

    def _on_setup_changed(self, name: str) -> None:
        if isinstance(self.panel, SetupPanel):
            self.panel.update_field(name)


def _show_reference(widget, type_id: str) -> None:
    """The Layer Reference at this layer (imported when asked: the reference loads matplotlib)."""
    from app.help_dialogs import show_layer_reference

    show_layer_reference(widget, type_id)
