"""NumPy and pyqtgraph, imported when first used.

Together they cost the editor's start-up about a third of a second, and the first window needs
neither: the training views that draw with them are built when they are first shown (the live
curves right after the window's first frame). ``from app.training.lazy import np, pg`` reads like
the usual imports; the module is imported at the first attribute looked up on it.
"""

from __future__ import annotations

import importlib
from types import ModuleType


class LazyModule:
    """Stands for a module until an attribute is asked for; then imports it (each attribute is kept)."""

    def __init__(self, name: str):
        self._name = name

    def __getattr__(self, attr: str):
        if attr.startswith("__"):  # copy, pickle and friends probing the stand-in
            raise AttributeError(attr)
        value = getattr(self.module(), attr)
        setattr(self, attr, value)  # found directly next time
        return value

    def module(self) -> ModuleType:
        return importlib.import_module(self._name)

    def __repr__(self) -> str:
        return f"<lazily imported module {self._name!r}>"


np = LazyModule("numpy")
pg = LazyModule("pyqtgraph")

__all__ = ["LazyModule", "np", "pg"]
