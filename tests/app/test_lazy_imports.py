"""The editor's first window loads only what it shows (issue 13, editor start-up).

NumPy and pyqtgraph (the training views), matplotlib (the Layer Reference's formulas) and the deep-learning
frameworks stay out of the process until something needs them; the live curves are made right after the
window's first frame. Checked in a fresh interpreter: other tests in this process import them all.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.gui

ROOT = Path(__file__).resolve().parents[2]
DEFERRED = ("numpy", "pyqtgraph", "matplotlib", "torch", "tensorflow", "keras", "graph.teaching", "graph.diff")

CHILD = f"""
import json, os, sys
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from app.cli_gui import build_window
from PySide6.QtWidgets import QApplication
window, _ = build_window(None, autosave=False, interactive=False)
window.show()
QApplication.processEvents()
plots = window.docks["training"].plots
shown = [m for m in {DEFERRED!r} if m in sys.modules]
first = plots.built
for _ in range(20):  # the frames after the first: the curves are made
    QApplication.processEvents()
print(json.dumps({{"shown": shown, "built_at_first_frame": first, "built_later": plots.built,
                  "later": [m for m in ("numpy", "pyqtgraph") if m in sys.modules],
                  "frameworks": [m for m in ("torch", "tensorflow") if m in sys.modules]}}))
window.doc.undo_stack.setClean()
"""


def test_the_first_window_imports_no_numpy_pyqtgraph_matplotlib_or_framework():
    out = subprocess.run([sys.executable, "-c", CHILD], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr[-2000:]
    report = json.loads(out.stdout.strip().splitlines()[-1])
    assert report["shown"] == []  # none of them while the window is built and first drawn
    assert not report["built_at_first_frame"] and report["built_later"]  # the curves come right after
    assert report["later"] == ["numpy", "pyqtgraph"] and report["frameworks"] == []
