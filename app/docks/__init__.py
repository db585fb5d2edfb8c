"""The dock widgets around the canvas; each is ``XxxDock(document, parent=None)`` and rebinds on
``document.project_replaced``."""

from app.docks.code import CodeDock
from app.docks.history import HistoryDock
from app.docks.inspector import InspectorDock
from app.docks.palette import PaletteDock
from app.docks.problems import ProblemsDock

__all__ = ["CodeDock", "HistoryDock", "InspectorDock", "PaletteDock", "ProblemsDock"]
