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
