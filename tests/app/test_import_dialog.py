"""File ▸ Import Model: the dialog asks what the CLI asks, the import runs in a child process in the
background, the new project opens with its weights; a refused import lists why and writes nothing."""

from __future__ import annotations

import json

import pytest

from graph.examples import EXAMPLES

pytestmark = pytest.mark.gui


def test_the_dialog_asks_for_a_pytorch_class_and_warns_that_it_runs_code(qtbot, tmp_path):
    from app.import_dialog import ImportDialog

    src = tmp_path / "net.py"
    src.write_text("import torch\n", encoding="utf-8")
    dialog = ImportDialog(None, str(tmp_path))
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.source.setText(str(src))
    assert dialog.warning.isVisible() and dialog.class_name.isVisible()
    assert "runs the code" in dialog.warning.text()
    assert dialog.output.text() == str(tmp_path / "net_imported.json")
    with pytest.raises(ValueError, match="class"):
        dialog.request()
    dialog.class_name.setText("Net")
    dialog.ctor_args.setText("[10]")
    dialog.inputs.setText("images:1x28x28, ids:16:int64")
    req = dialog.request()
    assert req["class_name"] == "Net" and req["args"] == [10] and req["kind"] == "pytorch"
    assert req["inputs"] == [
        {"name": "images", "shape": [1, 28, 28], "dtype": "float32"},
        {"name": "ids", "shape": [16], "dtype": "int64"},
    ]
    dialog.inputs.setText("images=1x28")
    with pytest.raises(ValueError, match="images=1x28"):
        dialog.request()
    onnx = tmp_path / "m.onnx"
    onnx.write_bytes(b"x")
    dialog.source.setText(str(onnx))
    assert not dialog.warning.isVisible() and not dialog.class_name.isVisible()
    assert dialog.request()["kind"] == "onnx"


def _import(window, qtbot, request):
    window.import_request = lambda: request
    window.__dict__.pop("last_import", None)
    window.import_dialog()
    qtbot.waitUntil(lambda: hasattr(window, "last_import"), timeout=180_000)
    return window.last_import


def test_a_refused_import_lists_the_problem_and_writes_nothing(window, qtbot, tmp_path):
    bad = tmp_path / "broken.onnx"
    bad.write_bytes(b"this is not an ONNX file")
    errors = []
    window.show_error = lambda title, message: errors.append((title, message))
    before = window.doc.graph.node_ids()
    out = tmp_path / "broken.json"
    report = _import(window, qtbot, {"path": str(bad), "out": str(out), "kind": "onnx", "heads": ["auto"]})
    assert not report.ok and errors and "import" in errors[0][0].lower()
    assert not out.exists() and not list(tmp_path.glob("*.npz"))
    assert window.doc.graph.node_ids() == before  # the open project is untouched


def test_a_keras_model_opens_as_a_project_with_its_weights(window, qtbot, tmp_path):
    """A Keras model written by the digits MLP's model file: imported, opened, weights beside it."""
    import subprocess
    import sys

    from codegen.api import generate

    project = EXAMPLES["digits_mlp"]()
    model_py = tmp_path / "digits_model.py"
    model_py.write_text(generate(project, "tensorflow", form="model").source, encoding="utf-8")
    keras_file = tmp_path / "digits.keras"
    code = f"import runpy; ns = runpy.run_path({str(model_py)!r}); ns['build_model']().save({str(keras_file)!r})"
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, timeout=300)
    out = tmp_path / "digits_imported.json"
    window.confirm_discard = lambda: "discard"
    report = _import(window, qtbot, {"path": str(keras_file), "out": str(out), "kind": "keras", "heads": ["auto"]})
    assert report.ok, report.text()
    assert window.doc.path == str(out)
    names = sorted(n.name for n in window.doc.graph.nodes() if n.type == "dense")
    assert names == sorted(n.name for n in project.graph.nodes() if n.type == "dense")
    saved = json.loads(out.read_text(encoding="utf-8"))
    assert saved["training"]["initial_weights"] == "digits_imported.weights.npz"
    assert (tmp_path / "digits_imported.weights.npz").is_file()
    assert "weights" in window.statusBar().currentMessage()
