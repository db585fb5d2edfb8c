"""Editor benchmarks: GUI start-up vs importing TensorFlow, and a 1,000-node graph's open/render/edit/pan.

Run: ``QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_editor.py [--nodes 1000] [--skip-startup]``.
Per-edit time = the graph operation + full re-analysis + canvas item updates + repainting the view
(the budget is one frame, 16 ms). Numbers are medians.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

STARTUP_CHILD = """
import time, os, sys
t0 = float(sys.argv[1])
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from app.cli_gui import build_window
from PySide6.QtWidgets import QApplication
w, _ = build_window(None, autosave=False)
w.show()
QApplication.processEvents()
print(time.time() - t0)
assert "torch" not in sys.modules and "tensorflow" not in sys.modules
w.doc.undo_stack.setClean()
"""


def _child_seconds(code: str, *args: str) -> float:
    t0 = time.time()
    out = subprocess.run([sys.executable, "-c", code, str(t0), *args], cwd=ROOT, capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(out.stderr[-2000:])
    lines = [ln for ln in out.stdout.splitlines() if ln.strip()]
    return float(lines[-1]) if lines else time.time() - t0


def bench_startup(repeats: int = 3) -> None:
    gui = min(_child_seconds(STARTUP_CHILD) for _ in range(repeats))
    try:
        tf = min(_child_seconds("import sys, time; t0 = float(sys.argv[1]); import tensorflow; print(time.time() - t0)")
                 for _ in range(repeats))
    except RuntimeError as err:
        print(f"start-up to shown window: {gui * 1000:.0f} ms (tensorflow not importable: {str(err)[-200:]})")
        return
    print(f"start-up to shown window: {gui * 1000:.0f} ms   import tensorflow: {tf * 1000:.0f} ms   "
          f"ratio gui/tf = {gui / tf:.2f}")


def generated_graph(n: int):
    """input → residual blocks of (dense, relu, dense, add) → head, laid out in rows of 20 columns."""
    from graph.model import Graph
    from graph.project import Project

    g = Graph()
    cols = 20

    def pos(i):
        row, col = divmod(i, cols)
        col = col if row % 2 == 0 else cols - 1 - col
        return (col * 240.0, row * 150.0)

    prev = g.add_node("input.vector", {"features": 64}, pos=pos(0)).id
    i = 1
    while i + 4 < n:
        a = g.add_node("dense", {"units": 64}, pos=pos(i)).id
        b = g.add_node("relu", pos=pos(i + 1)).id
        c = g.add_node("dense", {"units": 64}, pos=pos(i + 2)).id
        d = g.add_node("add", pos=pos(i + 3)).id
        for s, t in ((prev, a), (a, b), (b, c), (c, d), (prev, d)):
            g.connect(s, "out", t, "in", check_cycle=False)
        prev, i = d, i + 4
    while i < n - 1:
        x = g.add_node("relu", pos=pos(i)).id
        g.connect(prev, "out", x, "in", check_cycle=False)
        prev, i = x, i + 1
    head = g.add_node("output.regression", pos=pos(i)).id
    g.connect(prev, "out", head, "in", check_cycle=False)
    return Project(g)


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def bench_large(n: int, full_window: bool) -> None:
    from PySide6.QtWidgets import QApplication

    from app.cli_gui import create_app
    from graph.analysis import analyze

    app = create_app()
    project = generated_graph(n)
    if full_window:
        from app.main_window import MainWindow

        window = MainWindow(theme=app._layerlab_theme, autosave=False)
        doc, view = window.doc, window.view
        window.resize(1600, 1000)
        window.show()
    else:
        from app.canvas.scene import GraphScene
        from app.canvas.view import GraphView
        from app.document import Document

        doc = Document()
        view = GraphView(GraphScene(doc))
        view.resize(1200, 800)
        view.show()
    QApplication.processEvents()
    label = "full window" if full_window else "canvas only"

    t = time.perf_counter()
    doc.replace_project(project, None)
    t_open = time.perf_counter() - t
    t = time.perf_counter()
    view.fit_all()
    view.viewport().repaint()
    t_render = time.perf_counter() - t
    print(f"[{label}] {len(doc.graph)} nodes, {len(doc.graph.edges())} edges: open {_ms(t_open)}, "
          f"first render (fit, everything visible) {_ms(t_render)}")

    analysis_only = [_timed(lambda: analyze(doc.graph)) for _ in range(5)]
    dense = [nid for nid in doc.graph.node_ids() if doc.graph.node(nid).type == "dense"]
    edit, paint = [], []
    view.resetTransform()
    for k in range(20):
        nid = dense[(k * 7) % len(dense)]
        view.centerOn(view.scene().nodes[nid].center())
        QApplication.processEvents()
        view.viewport().repaint()  # warm the item caches of this region: measure the edit, not the jump
        t = time.perf_counter()
        doc.set_param(nid, "units", 32 + k)
        doc._refresh_analysis()  # what the coalescing timer runs: analysis + analysis_changed to every view
        t_mid = time.perf_counter()
        view.viewport().repaint()
        t_end = time.perf_counter()
        edit.append(t_mid - t)
        paint.append(t_end - t_mid)
    total = [a + b for a, b in zip(edit, paint, strict=True)]
    print(f"[{label}] per edit: analysis alone {_ms(statistics.median(analysis_only))}, "
          f"edit+analysis+item updates {_ms(statistics.median(edit))}, repaint at 100% {_ms(statistics.median(paint))}, "
          f"total {_ms(statistics.median(total))} (max {_ms(max(total))}; budget 16 ms)")

    pans = []
    for k in range(30):
        t = time.perf_counter()
        view.pan_by(37 if k % 2 else -23, 11)
        view.viewport().repaint()
        pans.append(time.perf_counter() - t)
    view.fit_all()
    QApplication.processEvents()
    fitted = []
    for k in range(10):
        t = time.perf_counter()
        view.pan_by(15, 0 if k % 2 else 9)
        view.viewport().repaint()
        fitted.append(time.perf_counter() - t)
    print(f"[{label}] pan frame at 100%: {_ms(statistics.median(pans))}; "
          f"pan frame with all {n} nodes visible: {_ms(statistics.median(fitted))}")
    doc.undo_stack.setClean()
    if full_window:
        window.close()


def _timed(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=1000)
    parser.add_argument("--skip-startup", action="store_true")
    args = parser.parse_args()
    if not args.skip_startup:
        bench_startup()
    bench_large(args.nodes, full_window=False)
    bench_large(args.nodes, full_window=True)


if __name__ == "__main__":
    main()
