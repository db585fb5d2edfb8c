"""The Document reads the training data's description once per setup change, not once per edit."""

from __future__ import annotations

import pytest

from app.document import Document
from graph.examples import digits_mlp

pytestmark = pytest.mark.gui


def test_dataset_is_described_once_per_setup_change(qapp, monkeypatch):
    doc = Document(digits_mlp())
    calls = []
    original = doc.project.dataset_info
    monkeypatch.setattr(doc.project, "dataset_info", lambda base=None: calls.append(base) or original(base))
    hidden = doc.graph.find_by_name("hidden").id
    for units in (16, 32, 64):
        doc.set_param(hidden, "units", units)
        doc.analysis()
        doc.dataset_info()
    assert len(calls) == 1
    doc.set_setup("dataset", "text")  # no path: the problem becomes a model-level warning
    assert len(calls) == 1 and doc.dataset_info()[1] and len(calls) == 2
    assert [d.code for d in doc.analysis().diagnostics if d.node_id is None] == ["dataset"]


def test_a_refused_rename_leaves_no_undo_step_and_no_modified_mark(qapp):
    """Defect: an 81-character name passed Document.rename, failed in Graph.rename and left a bogus step."""
    doc = Document(digits_mlp())
    hidden = doc.graph.find_by_name("hidden").id
    for bad in ("x" * 81, "tab\there", "rtl\u202e"):
        assert doc.rename(hidden, bad)
    assert doc.undo_stack.count() == 0 and not doc.modified and doc.graph.node(hidden).name == "hidden"
    assert doc.rename(hidden, "隐藏层") is None and doc.graph.node(hidden).name == "隐藏层"


def test_results_do_not_print_stopped_false(qapp):
    from app.training.views import ResultsView

    view = ResultsView()
    view.show_metrics({"test_loss": 0.5, "test_accuracy": 0.9, "stopped": False, "weights": "model.pt"})
    assert "stopped" not in view.metrics.text() and "0.9" in view.metrics.text()
    view.show_metrics({"test_loss": 0.5, "stopped": True})
    assert "stopped" in view.metrics.text()


def test_a_new_input_takes_its_shape_from_the_training_data(qapp):
    """Defect: with the digits data set, a new Image Input defaulted to 1×28×28, an error at once."""
    from graph.project import Project

    doc = Document(Project())  # File ▸ New: the digits data set
    image = doc.add_node("input.image")
    assert doc.graph.node(image).params == {"channels": 1, "height": 8, "width": 8}
    doc.set_setup("dataset", "moons")
    vector = doc.add_node("input.vector")
    assert doc.graph.node(vector).params["features"] == 2
    other = doc.add_node("input.image")  # moons has no image shape: the layer's own defaults
    assert doc.graph.node(other).params["height"] == 28
    doc.undo_stack.undo()
    assert other not in doc.graph
