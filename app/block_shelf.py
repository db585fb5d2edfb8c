"""The blocks the palette offers: the bundled ones, the project's own and the user's library.

The library is a folder of ``*.layerlab-block.json`` files: ``$LAYERLAB_BLOCK_LIBRARY`` when set, else
``blocks`` in the application's data folder. A file that cannot be read is reported once (``problem``)
and skipped; the other blocks still load. Project blocks follow the graph's block events.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QFileSystemWatcher, QObject, QStandardPaths, QTimer, Signal

from app.i18n import pick
from graph.blocks import BlockEntry, bundled_blocks, load_library, project_blocks, save_to_library

LIBRARY_ENV = "LAYERLAB_BLOCK_LIBRARY"
DEFAULT_TITLE = "Block"  # the kind of a block made from a selection
_BUNDLED: list[BlockEntry] = []


def tr(text: str) -> str:
    return QCoreApplication.translate("Blocks", text)


def library_folder() -> Path:
    """Where the user's blocks are kept (read at each use, so a changed environment counts)."""
    folder = os.environ.get(LIBRARY_ENV)
    if folder:
        return Path(folder)
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    return Path(base) / "blocks"


def bundled() -> list[BlockEntry]:
    """The blocks LayerLab ships (built once per process)."""
    if not _BUNDLED:
        _BUNDLED.extend(bundled_blocks())
    return _BUNDLED


def display_title(title: str) -> str:
    """A block's kind in the UI language: a bundled block's Chinese title, "Block" translated, else the
    title as saved (a title is data: files and generated code keep it as it is)."""
    if title == DEFAULT_TITLE:
        return tr("Block")
    for entry in bundled():
        if entry.title == title:
            return pick(entry.title, entry.title_zh)
    return title


def entry_title(entry: BlockEntry) -> str:
    """How the palette names a block: a project's own blocks say so (a bundled kind may be there too)."""
    if entry.source == "bundled":
        return pick(entry.title, entry.title_zh)
    title = display_title(entry.title)
    return tr("{title} (this project)").format(title=title) if entry.source == "project" else title


def entry_description(entry: BlockEntry) -> str:
    return pick(entry.description, entry.description_zh)


class BlockShelf(QObject):
    """Every block on offer, refreshed when the project's blocks or the library folder change."""

    changed = Signal()  # the list of entries changed
    problem = Signal(str)  # a library file could not be read (each message once)

    def __init__(self, document):
        super().__init__(document)
        self.doc = document
        self._library: list[BlockEntry] | None = None  # read at the first use
        self._reported: set[str] = set()
        self.problems: list[str] = []  # every message reported so far
        self._graph = None
        self._watcher = QFileSystemWatcher(self)
        self._watcher.directoryChanged.connect(lambda _path: self.reload_library())
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self.changed.emit)
        document.project_replaced.connect(self._bind)
        self._bind()

    # ------------------------------------------------------------------ reading
    def entries(self) -> list[BlockEntry]:
        """Bundled blocks, then the project's (as they are now), then the library's."""
        if self._library is None:
            self.reload_library()
        return [*bundled(), *project_blocks(self.doc.graph), *self._library]

    def entry(self, key: str) -> BlockEntry | None:
        """The entry with ``key`` as it is now (a project block's layers as currently set)."""
        return next((e for e in self.entries() if e.key == key), None)

    # ------------------------------------------------------------------ the library
    def reload_library(self) -> list[str]:
        """Read the library folder again; returns the messages of files that could not be read."""
        folder = library_folder()
        entries, problems = load_library(folder)
        self._library = entries
        if folder.is_dir() and str(folder) not in self._watcher.directories():
            self._watcher.addPath(str(folder))
        for text in problems:
            if text not in self._reported:
                self._reported.add(text)
                self.problems.append(text)
                self.problem.emit(self.problem_text(text))
        self.changed.emit()
        return problems

    @staticmethod
    def problem_text(problem: str) -> str:
        return tr("A block in the library could not be read: {problem}").format(problem=problem)

    def save(self, group_id: str) -> Path:
        """Save one block of the project into the library (a new file); raises OSError."""
        path = save_to_library(library_folder(), self.doc.graph, group_id)
        self.reload_library()
        return path

    # ------------------------------------------------------------------ the project
    def _bind(self) -> None:
        graph = self.doc.graph
        if graph is self._graph:
            return
        if self._graph is not None:
            for event in self._events(self._graph):
                event.disconnect(self._schedule)
        self._graph = graph
        for event in self._events(graph):
            event.connect(self._schedule)
        self._schedule()

    @staticmethod
    def _events(graph):
        ev = graph.events
        return (ev.group_added, ev.group_removed, ev.group_changed)

    def _schedule(self, *_args) -> None:
        self._timer.start()


__all__ = [
    "LIBRARY_ENV",
    "DEFAULT_TITLE",
    "BlockShelf",
    "bundled",
    "display_title",
    "entry_description",
    "entry_title",
    "library_folder",
]
