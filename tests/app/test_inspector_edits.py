"""Inspector edits (issue 11 point 15): "same" padding, and refused values that are never silently reverted."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.docks.inspector import InspectorDock, NodePanel
from app.document import Document
from graph.layers.conv import same_padding

pytestmark = pytest.mark.gui


def _settle():
    for _ in range(2):
        QApplication.processEvents()


def _type(qtbot, spin, text: str) -> None:
    """Type ``text`` into a spin box as a user does (select all, type, Enter)."""
    spin.setFocus()
    spin.lineEdit().selectAll()
    qtbot.keyClick(spin.lineEdit(), Qt.Key.Key_Delete)
    if text:
        qtbot.keyClicks(spin.lineEdit(), text)
    qtbot.keyClick(spin.lineEdit(), Qt.Key.Key_Return)


@pytest.fixture
def conv(qtbot):
    """An image input (3×7×7) → Conv2D(kernel 4, stride 2), the conv shown in an inspector."""
    doc = Document()
    src = doc.add_node("input.image", params={"channels": 3, "height": 7, "width": 7})
    conv = doc.add_node("conv2d", params={"filters": 4, "kernel_size": [4, 4], "strides": [2, 2]})
    doc.connect(src, "out", conv, "in")
    doc.undo_stack.clear()
    _settle()
    dock = InspectorDock(doc)
    qtbot.addWidget(dock)
    dock.show()
    doc.set_selection([conv])
    assert isinstance(dock.panel, NodePanel)
    return doc, conv, dock


def test_same_padding_keeps_the_size_tensorflow_style_in_one_undo_step(conv):
    doc, nid, dock = conv
    panel = dock.panel
    button = panel.same_button
    assert button is not None and "TensorFlow" in button.toolTip() and "bottom" in button.toolTip()
    dock.editor("padding").spins[0].setValue(3)  # a typed edit first: "Same" must not merge into it
    assert doc.undo_stack.count() == 1
    button.click()
    # 7 → ⌈7/2⌉ = 4 needs 3 padded rows: 1 on top, the extra one at the bottom (TensorFlow's "same")
    assert doc.graph.node(nid).params["padding"] == [1, 2, 1, 2]
    assert [s.value() for s in dock.editor("padding").spins] == [1, 2, 1, 2]
    _settle()
    assert doc.analysis().shapes[nid]["out"].dims[2:] == (4, 4)
    assert doc.undo_stack.count() == 2 and doc.undo_stack.undoText() == "Same padding"
    doc.undo_stack.undo()
    assert doc.graph.node(nid).params["padding"] == [3, 0, 0, 0]
    button.click()
    button.click()  # already "same": no empty second step
    assert doc.undo_stack.count() == 2


def test_same_padding_per_layer_and_axis():
    from graph.catalog import default_catalog
    from graph.tensors import image

    catalog = default_catalog()
    p = catalog["conv2d"].defaults()
    assert same_padding("conv2d", p) == [1, 1, 1, 1]
    p.update(kernel_size=[2, 5], dilation=[1, 1])
    assert same_padding("conv2d", p) == [0, 1, 2, 2]  # an even kernel: the extra zero at the bottom
    p.update(kernel_size=[3, 3], strides=[2, 2])
    assert same_padding("conv2d", p, image(1, 8, 9)) == [0, 1, 1, 1]
    one = catalog["conv1d"].defaults() | {"kernel_size": 4, "dilation": 2}
    assert same_padding("conv1d", one) == [3, 3]
    assert same_padding("conv3d", catalog["conv3d"].defaults()) == [1] * 6
    assert same_padding("conv2d_transpose", catalog["conv2d_transpose"].defaults()) is None
    assert same_padding("zero_padding2d", catalog["zero_padding2d"].defaults()) is None


def test_no_same_button_where_padding_is_not_a_convolution_input(qtbot):
    doc = Document()
    nid = doc.add_node("conv2d_transpose")
    dock = InspectorDock(doc)
    qtbot.addWidget(dock)
    doc.set_selection([nid])
    assert dock.panel.same_button is None


@pytest.mark.parametrize(
    ("name", "text", "reason"),
    [
        ("filters", "0", "filters must be ≥ 1 (got 0)"),
        ("filters", "-5", "filters must be ≥ 1 (got -5)"),
        ("filters", "99999999999", "filters must be ≤ 100000"),
        ("filters", "abc", "“abc” is not a whole number"),
        ("filters", "", "Enter a whole number"),
        ("groups", "1.5", "“1.5” is not a whole number"),
    ],
)
def test_a_refused_number_is_reported_not_reverted(qtbot, conv, name, text, reason):
    doc, nid, dock = conv
    editor = dock.editor(name)
    before = dict(doc.graph.node(nid).params)
    _type(qtbot, editor.spin, text)
    assert editor.has_error() and reason in editor.error.text()
    assert reason in editor.spin.toolTip() and "border" in editor.spin.lineEdit().styleSheet()  # red frame
    assert doc.graph.node(nid).params == before and doc.undo_stack.count() == 0
    _type(qtbot, editor.spin, "8")  # a good value clears the message and applies
    assert not editor.has_error() and editor.spin.lineEdit().styleSheet() == ""
    assert doc.graph.node(nid).params[name] == 8 and doc.undo_stack.count() == 1


def test_a_refused_part_of_a_list_names_the_part(qtbot, conv):
    doc, nid, dock = conv
    padding = dock.editor("padding")
    _type(qtbot, padding.spins[1], "-1")
    assert "padding must be ≥ 0 (got -1)" in padding.error.text()
    _type(qtbot, padding.spins[2], "x")
    assert padding.error.text().startswith("left: ") and "“x” is not a whole number" in padding.error.text()
    assert doc.graph.node(nid).params["padding"] == [0, 0, 0, 0] and doc.undo_stack.count() == 0
    kernel = dock.editor("kernel_size")
    _type(qtbot, kernel.spins[0], "0")  # linked (square): both parts refused, nothing changes
    assert "kernel_size must be ≥ 1 (got 0)" in kernel.error.text()
    assert doc.graph.node(nid).params["kernel_size"] == [4, 4]


def test_arrows_stop_at_the_bounds(qtbot, conv):
    doc, nid, dock = conv
    spin = dock.editor("filters").spin
    spin.setValue(1)
    spin.stepBy(-3)
    assert spin.value() == 1 and not dock.editor("filters").has_error()


def test_text_and_names_are_refused_with_the_reason(qtbot, conv):
    doc, nid, dock = conv
    panel = dock.panel
    panel.name_edit.setText("   ")
    panel.name_edit.editingFinished.emit()
    assert panel.name_error.text() == "a layer name cannot be empty" and panel.name_edit.text() == "   "
    assert "border" in panel.name_edit.styleSheet()
    assert doc.graph.node(nid).name != "   "
    panel.name_edit.setText("conv_ok")
    panel.name_edit.editingFinished.emit()
    assert panel.name_error.isHidden() and doc.graph.node(nid).name == "conv_ok"
