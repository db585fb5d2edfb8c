"""Autosave writes a recovery file while modified; after a crash the next start offers it back."""

from __future__ import annotations

import pytest

from app.autosave import Autosave, offer_recovery, orphaned_recoveries
from app.document import Document
from graph.fileformat import dumps

pytestmark = pytest.mark.gui


def test_recovery_after_a_simulated_crash(tmp_path):
    folder = tmp_path / "recovery"
    doc = Document()
    saver = Autosave(doc, folder, interval_ms=10)
    assert not saver.save_now()  # nothing to save while unmodified
    a = doc.add_node("input.vector")
    b = doc.add_node("dense")
    doc.connect(a, "out", b, "in")
    assert saver.save_now() and saver.path.exists()
    expected = dumps(doc.project)
    assert orphaned_recoveries(folder) == []  # the live session still holds its lock
    saver._lock.unlock()  # the crash: the process is gone, so its lock is stale
    saver.timer.stop()
    del saver

    asked = []
    fresh = Document()
    assert offer_recovery(fresh, lambda path: asked.append(path) or True, folder)
    assert len(asked) == 1
    assert dumps(fresh.project) == expected
    assert fresh.modified  # never saved: the title shows the mark
    assert list(folder.glob("recovery-*.json")) == []  # offered once only


def test_declined_recovery_is_deleted_and_clean_exit_leaves_nothing(tmp_path):
    folder = tmp_path / "recovery"
    doc = Document()
    saver = Autosave(doc, folder)
    doc.add_node("relu")
    saver.save_now()
    saver._lock.unlock()
    assert not offer_recovery(Document(), lambda path: False, folder)
    assert list(folder.glob("recovery-*.json")) == []

    saver2 = Autosave(doc, folder)
    saver2.save_now()
    assert saver2.path.exists()
    saver2.shutdown()
    assert not saver2.path.exists()


def test_saving_deletes_the_recovery_file(tmp_path):
    doc = Document()
    saver = Autosave(doc, tmp_path / "recovery")
    doc.add_node("relu")
    saver.save_now()
    doc.save(str(tmp_path / "m.json"))
    assert not saver.path.exists()
    saver.shutdown()


def test_window_offers_recovery_at_start(window, tmp_path):
    other = Document()
    saver = Autosave(other, window.autosave.folder)
    other.add_node("dense")
    saver.save_now()
    saver._lock.unlock()
    assert window.check_recovery(ask=lambda path: True)
    assert [n.type for n in window.doc.graph.nodes()] == ["dense"]
    assert window.isWindowModified() and set(window.scene.nodes) == set(window.doc.graph.node_ids())
