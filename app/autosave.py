"""Autosave to a recovery file, and the offer to restore it after a crash.

Every 30 s a modified project is written to ``recovery-<id>.json`` in the app-data folder. The
file is deleted after a save and on a clean exit. Each running window holds a QLockFile beside its
recovery file, so at start-up a recovery file whose lock is free (stale: its process died) belongs
to a crashed session and is offered for restoring.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QLockFile, QObject, QStandardPaths, QTimer

from graph.fileformat import ProjectFileError, dumps, loads

INTERVAL_MS = 30_000


def recovery_dir() -> Path:
    """The folder for recovery files (created on demand)."""
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    path = Path(base or Path.home() / ".layerlab") / "recovery"
    path.mkdir(parents=True, exist_ok=True)
    return path


class Autosave(QObject):
    """Writes ``document``'s project to its recovery file while it has unsaved changes."""

    def __init__(self, document, folder: Path | None = None, interval_ms: int = INTERVAL_MS, parent=None):
        super().__init__(parent)
        self.doc = document
        self.folder = Path(folder) if folder else recovery_dir()
        self.folder.mkdir(parents=True, exist_ok=True)
        stem = f"recovery-{uuid.uuid4().hex[:12]}"
        self.path = self.folder / f"{stem}.json"
        self._lock = QLockFile(str(self.folder / f"{stem}.lock"))
        self._lock.tryLock(0)
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.save_now)
        self.timer.start()
        document.undo_stack.cleanChanged.connect(self._on_clean_changed)

    def save_now(self) -> bool:
        """Write the recovery file if the project has unsaved changes; returns whether it wrote."""
        if not self.doc.modified:
            return False
        data = {"path": self.doc.path, "project": json.loads(dumps(self.doc.project))}
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, self.path)
        return True

    def discard(self) -> None:
        """Delete the recovery file (after a save, or on a clean exit)."""
        self.path.unlink(missing_ok=True)

    def shutdown(self) -> None:
        """Clean exit: stop, delete the recovery file and release the lock."""
        self.timer.stop()
        self.discard()
        self._lock.unlock()

    def _on_clean_changed(self, clean: bool) -> None:
        if clean:
            self.discard()


def orphaned_recoveries(folder: Path | None = None) -> list[Path]:
    """Recovery files left by sessions that ended without a clean exit (their lock is free)."""
    folder = Path(folder) if folder else recovery_dir()
    found = []
    for path in sorted(folder.glob("recovery-*.json"), key=lambda p: p.stat().st_mtime, reverse=True):
        lock = QLockFile(str(path.with_suffix(".lock")))
        lock.setStaleLockTime(0)
        if lock.tryLock(0):
            lock.unlock()
            found.append(path)
    return found


def read_recovery(path: Path):
    """(project, original path or None) from a recovery file; raises ProjectFileError when unreadable."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        text = json.dumps(data["project"])
    except (OSError, ValueError, KeyError, TypeError) as err:
        raise ProjectFileError(str(path), f"not a recovery file ({err})") from None
    return loads(text, source=str(path)), data.get("path")


def offer_recovery(document, ask: Callable[[Path], bool], folder: Path | None = None) -> bool:
    """If a crashed session left a recovery file, ask whether to restore it (newest first).

    ``ask(path) -> bool`` is injectable so tests can answer. Offered files are deleted either way.
    Returns True when a project was restored (it shows as modified: it was never saved).
    """
    restored = False
    for path in orphaned_recoveries(folder):
        if not restored and ask(path):
            try:
                project, original = read_recovery(path)
            except ProjectFileError:
                path.unlink(missing_ok=True)
                continue
            document.replace_project(project, original)
            document.undo_stack.resetClean()
            restored = True
        path.unlink(missing_ok=True)
        path.with_suffix(".lock").unlink(missing_ok=True)
    return restored


__all__ = ["Autosave", "offer_recovery", "orphaned_recoveries", "read_recovery", "recovery_dir"]
