"""Editor benchmarks: GUI start-up vs importing TensorFlow, and a 1,000-node graph's open/render/edit/pan.

Run: ``QT_QPA_PLATFORM=offscreen .venv/bin/python -m bench.bench_editor [--nodes 1000] [--skip-startup]``.

The error cascade is an edit that breaks the first residual block's Add of the 1,000-node chain: every
layer after it loses its shape (one frame, 16 ms, too). A per-edit frame is what the editor does for one
parameter edit, step by step (the budget is one frame, 16 ms): the edit through ``Document.set_param`` (undo command, graph events), the incremental
analysis the coalescing timer runs (``Document.analysis()``), ``analysis_changed`` to the canvas
(item updates) and to the docks/status bar, then the frame the event loop paints (only the dirty
regions of the window). A full repaint of the canvas viewport is reported too (the worst case).
The code dock regenerates 250 ms after the last edit: reported apart as background code generation.
Numbers are medians (``--repeat`` runs of the whole bench are pooled).
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
# widgets repaint on QWindow.requestUpdate(), which waits 5 ms on platforms without vsync: paint at once
os.environ.setdefault("QT_QPA_UPDATE_IDLE_TIME", "0")

# The window's first frame (what is timed), then the frames after it until the training dock's live
# curves exist: they are made right after the first frame (pyqtgraph), reported apart.
STARTUP_CHILD = """
import time, os, sys
t0 = float(sys.argv[1])
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from app.cli_gui import build_window
from PySide6.QtWidgets import QApplication
w, _ = build_window(None, autosave=False)
w.show()
QApplication.processEvents()
shown = time.time() - t0
assert "torch" not in sys.modules and "tensorflow" not in sys.modules
plots = w.docks["training"].plots
while not getattr(plots, "built", True) and time.time() - t0 < 30:
    QApplication.processEvents()
print(time.time() - t0)
print(shown)
w.doc.undo_stack.setClean()
"""


def _child_seconds(code: str, *args: str) -> list[float]:
    """The numbers the child prints, one a line (seconds since the parent started it)."""
    t0 = time.time()
    out = subprocess.run([sys.executable, "-c", code, str(t0), *args], cwd=ROOT, capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(out.stderr[-2000:])
    lines = [ln for ln in out.stdout.splitlines() if ln.strip()]
    return [float(ln) for ln in lines[-2:]] if lines else [time.time() - t0]


def bench_startup(repeats: int = 3) -> None:
    runs = [_child_seconds(STARTUP_CHILD) for _ in range(repeats)]
    gui = min(run[-1] for run in runs)
    curves = min(run[0] for run in runs)
    try:
        tf = min(
            _child_seconds("import sys, time; t0 = float(sys.argv[1]); import tensorflow; print(time.time() - t0)")[-1]
            for _ in range(repeats)
        )
    except RuntimeError as err:
        print(f"start-up to shown window: {gui * 1000:.0f} ms (tensorflow not importable: {str(err)[-200:]})")
        return
    print(
        f"start-up to shown window: {gui * 1000:.0f} ms   import tensorflow: {tf * 1000:.0f} ms   "
        f"ratio gui/tf = {gui / tf:.2f}   (live curves drawn at {curves * 1000:.0f} ms, ratio {curves / tf:.2f})"
    )


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


def _med(values) -> str:
    return _ms(statistics.median(values)) if values else "n/a"


class _Stopwatch:
    """A slot wrapper recording the time spent in the slot (the bench re-connects a view's slot through it)."""

    def __init__(self, fn):
        self.fn, self.last = fn, 0.0

    def __call__(self, *args):
        t = time.perf_counter()
        self.fn(*args)
        self.last = time.perf_counter() - t


def _settle(app, rounds: int = 3) -> None:
    for _ in range(rounds):
        app.processEvents()


def bench_large(n: int, full_window: bool, edits: int = 20, results: dict | None = None) -> dict:

    from app.cli_gui import create_app
    from graph.analysis import analyze

    app = create_app()
    project = generated_graph(n)
    code_dock = None
    if full_window:
        from app.main_window import MainWindow

        window = MainWindow(theme=app._layerlab_theme, autosave=False)
        doc, view = window.doc, window.view
        window.resize(1600, 1000)
        window.show()
        code_dock = window.docks.get("code")
    else:
        from app.canvas.scene import GraphScene
        from app.canvas.view import GraphView
        from app.document import Document

        doc = Document()
        view = GraphView(GraphScene(doc))
        view.resize(1200, 800)
        view.show()
    scene = view.scene()
    _settle(app)
    label = "full window" if full_window else "canvas only"
    out = results if results is not None else {}

    def rec(key: str, value: float) -> None:
        out.setdefault(key, []).append(value)

    t = time.perf_counter()
    doc.replace_project(project, None)
    rec("open", time.perf_counter() - t)
    t = time.perf_counter()
    view.fit_all()
    view.viewport().repaint()
    rec("first render", time.perf_counter() - t)
    if code_dock is not None:
        code_dock._timer.stop()
    _settle(app)

    for _ in range(3):
        rec("full analysis", _timed(lambda: analyze(doc.graph)))

    # the canvas's analysis_changed slot, timed: "item updates"; the rest of the emit is the docks
    items = _Stopwatch(scene._on_analysis_changed)
    doc.analysis_changed.disconnect(scene._on_analysis_changed)
    doc.analysis_changed.connect(items)
    graph = doc.graph
    # the first Dense of each residual block: a new width changes its shape, the ReLU's and the next
    # Dense's count (the graph stays valid); the second Dense's width breaks the block's Add (an error)
    firsts = [
        nid
        for nid in graph.node_ids()
        if graph.node(nid).type == "dense" and any(graph.node(e.dst).type == "relu" for e in graph.out_edges(nid))
    ]
    seconds = [nid for nid in graph.node_ids() if graph.node(nid).type == "dense" and nid not in firsts]
    view.resetTransform()
    for k in range(edits):
        breaking = k % 4 == 3
        pool = seconds if breaking else firsts
        nid = pool[(k * 7) % len(pool)]
        if full_window:
            doc.set_selection([nid])  # the inspector shows the edited layer
        view.centerOn(scene.nodes[nid].center())
        _settle(app)
        if code_dock is not None:
            code_dock._timer.stop()
        view.viewport().repaint()  # warm the item caches of this region: measure the edit, not the jump
        t0 = time.perf_counter()
        doc.set_param(nid, "units", 32 + k)  # undo command + graph events (the timer starts)
        t1 = time.perf_counter()
        doc._timer.stop()  # run what the 0 ms coalescing timer runs, step by step
        doc.analysis()  # incremental: the dirty node and its descendants
        t2 = time.perf_counter()
        doc.analysis_changed.emit()
        t3 = time.perf_counter()
        if code_dock is not None:
            code_dock._timer.stop()  # measured apart below
        _settle(app, 2)  # the frame: the event loop paints the dirty regions of the window
        t4 = time.perf_counter()
        view.viewport().repaint()
        t5 = time.perf_counter()
        if breaking:
            rec("TOTAL per edit that breaks an Add (error)", t4 - t0)
            doc.undo_stack.undo()  # back to a valid graph
            _settle(app)
            continue
        rec("edit (set_param)", t1 - t0)
        rec("analysis (incremental)", t2 - t1)
        rec("item updates", items.last)
        rec("docks + status", (t3 - t2) - items.last)
        rec("frame paint", t4 - t3)
        rec("TOTAL per edit", t4 - t0)
        rec("full viewport repaint", t5 - t4)
        if code_dock is not None and k % 4 == 0:
            _bench_codegen(app, code_dock, rec)
    _bench_cascade(app, doc, view, seconds[0], code_dock, full_window, max(4, edits // 2), rec)
    doc.analysis_changed.disconnect(items)
    doc.analysis_changed.connect(scene._on_analysis_changed)

    for k in range(30):
        t = time.perf_counter()
        view.pan_by(37 if k % 2 else -23, 11)
        app.processEvents()
        rec("pan frame at 100%", time.perf_counter() - t)
    for k in range(10):
        t = time.perf_counter()
        view.pan_by(37 if k % 2 else -23, 11)
        view.viewport().repaint()
        rec("pan full repaint at 100%", time.perf_counter() - t)
    view.fit_all()
    _settle(app)
    for k in range(10):
        t = time.perf_counter()
        view.pan_by(15, 0 if k % 2 else 9)
        app.processEvents()
        rec(f"pan frame, all {n} nodes visible", time.perf_counter() - t)
    for k in range(10):
        t = time.perf_counter()
        view.pan_by(15, 0 if k % 2 else 9)
        view.viewport().repaint()
        rec(f"pan full repaint, all {n} nodes visible", time.perf_counter() - t)
    out["_label"] = label
    out["_size"] = f"{len(doc.graph)} nodes, {len(doc.graph.edges())} edges"
    doc.undo_stack.setClean()
    if full_window:
        window.close()
        window.deleteLater()
    else:
        view.close()
        view.deleteLater()
    _settle(app)
    return out


def _bench_cascade(app, doc, view, nid, code_dock, full_window, edits, rec) -> None:
    """The error cascade: a width that breaks the first residual Add, so every layer after it (nearly all
    of them) loses its shape and every card and connection after it changes (the Add gets the error, the
    rest "?" and dashed lines). Timed from the edit to the painted frame, then undone."""
    scene = view.scene()
    after = len(doc.graph.descendants(nid)) - 1  # the layers after the broken Add
    for k in range(edits):
        if full_window:
            doc.set_selection([nid])
        view.centerOn(scene.nodes[nid].center())
        _settle(app)
        if code_dock is not None:
            code_dock._timer.stop()
        view.viewport().repaint()
        t0 = time.perf_counter()
        doc.set_param(nid, "units", 32 + k)
        doc._timer.stop()
        analysis = doc.analysis()
        doc.analysis_changed.emit()
        if code_dock is not None:
            code_dock._timer.stop()
        _settle(app, 2)
        t1 = time.perf_counter()
        assert len(analysis.shapes) < len(doc.graph) - after + 1  # the cascade did happen
        rec(f"TOTAL per edit that breaks the first Add ({after} layers after it lose their shapes)", t1 - t0)
        doc.undo_stack.undo()
        _settle(app)


def _bench_codegen(app, dock, rec) -> None:
    """The code dock's regeneration (debounced 250 ms after an edit, so not part of the edit's frame)."""
    applied = []
    original = dock._apply

    def apply(generation, results):
        t = time.perf_counter()
        original(generation, results)
        applied.append(time.perf_counter() - t)

    dock._apply = apply
    try:
        t = time.perf_counter()
        dock.regenerate()  # in the GUI thread while fast, else snapshot + a pool worker
        gui = time.perf_counter() - t
        in_worker = not applied  # applied already: it ran in the GUI thread (apply included in ``gui``)
        deadline = time.perf_counter() + 30
        while not applied and time.perf_counter() < deadline:
            app.processEvents()
            time.sleep(0.001)
        if applied:
            rec("codegen: generation (both frameworks)", dock.last_ms / 1000)
            rec("codegen: GUI-thread block (start + apply)", gui + (applied[-1] if in_worker else 0.0))
            rec("_codegen in worker", float(in_worker))
    finally:
        del dock._apply


def _report(res: dict) -> None:
    label = res.pop("_label")
    size = res.pop("_size")
    print(f"[{label}] {size} (medians)")
    for key, values in res.items():
        if key.startswith("_"):
            continue
        mark = "   <- budget 16 ms" if key.startswith("TOTAL") else ""
        extra = f" (max {_ms(max(values))})" if key.startswith("TOTAL") else ""
        print(f"  {key:<42} {_med(values):>10}{extra}{mark}")
    if "_codegen in worker" in res:
        worker = res["_codegen in worker"]
        print(f"  (code generation ran in a worker thread in {sum(worker):.0f} of {len(worker)} runs)")


def _timed(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=1000)
    parser.add_argument("--skip-startup", action="store_true")
    parser.add_argument("--repeat", type=int, default=1, help="pool the numbers of this many runs")
    parser.add_argument("--only", choices=("canvas", "window"), help="run one of the two set-ups")
    args = parser.parse_args()
    if not args.skip_startup:
        bench_startup()
    for full in (False, True):
        if args.only and args.only != ("window" if full else "canvas"):
            continue
        res: dict = {}
        for _ in range(args.repeat):
            bench_large(args.nodes, full_window=full, results=res)
        _report(res)


if __name__ == "__main__":
    main()
