"""Opening hostile files in the editor: each is opened or refused with a message; nothing escapes, and a
refused file leaves the open project as it was."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from conftest import build_mlp, settle

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from bench.hostile_corpus import cases

pytestmark = [pytest.mark.gui, pytest.mark.slow]


def test_hostile_files_open_or_are_refused_without_escaping(window, tmp_path):
    build_mlp(window.doc)
    settle()
    opened = refused = 0
    for i, (label, doc, project_path, must_refuse) in enumerate(cases(tmp_path)):
        if i % 10:
            continue
        path = project_path or str(tmp_path / f"case{i}.json")
        if doc is not None:
            Path(path).write_text(json.dumps(doc, ensure_ascii=True), encoding="utf-8")
        before = window.doc.graph.node_ids()
        errors = len(window.errors)
        ok = window.open_file(path, ask=False)
        settle()
        if ok:
            opened += 1
            assert not must_refuse, label
            window.doc.analysis()
        else:
            refused += 1
            assert len(window.errors) == errors + 1 and window.doc.graph.node_ids() == before, label
    assert opened > 150 and refused > 500, (opened, refused)
