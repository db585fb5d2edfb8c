"""Training with the teaching views on against off, in one run, and the GUI's longest stall meanwhile.

Trains the small CNN example through the app (Trainer + TrainingDock, shown offscreen, the Inside tab
open, the canvas drawing every card's thumbnail) alternately with Inspect checked and unchecked.
Throughput is training samples per second over the wall time from the first to the last epoch event as
the app receives them, so the inspections' own cost is inside it. A 5 ms QTimer records the event
loop's longest gap from the first inspection on, while the views update (the launch of a run is the
same with the views off and is measured by bench_training). Goals: on/off ≥ 0.9, longest stall ≤ 50 ms.
Run: QT_QPA_PLATFORM=offscreen python -m bench.bench_teaching [--epochs 30] [--repeats 3] [--framework pytorch]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("LAYERLAB_DEVICES", "auto,cpu")

from PySide6.QtCore import QEventLoop
from PySide6.QtWidgets import QApplication

from app.canvas.scene import GraphScene
from app.document import Document
from app.training.panel import TrainingDock
from bench.bench_training import StallMeter
from graph.examples import EXAMPLES


def run_once(dock: TrainingDock, inspect: bool, meter: StallMeter) -> tuple[float, float, int]:
    """(samples/s, longest stall in ms, inspections received) for one run."""
    loop = QEventLoop()
    arrivals: list[float] = []
    got = {"inspect": 0}
    seen: set[str] = set()

    def on_event(_run_id, event):
        if event["event"] not in seen:
            seen.add(event["event"])
            meter.mark(f"after the first {event['event']} event")
        if event["event"] == "epoch":
            arrivals.append(time.perf_counter())
        elif event["event"] == "inspect":
            got["inspect"] += 1

    dock.trainer.event_received.connect(on_event)
    dock.trainer.run_finished.connect(loop.quit)
    dock.inspect.setChecked(inspect)
    dock.tabs.setCurrentWidget(dock.inside)
    meter.start()
    run = dock.train()
    loop.exec()
    meter.stop()
    dock.trainer.run_finished.disconnect(loop.quit)
    dock.trainer.event_received.disconnect(on_event)
    assert run.record.outcome == "finished", run.record.message + "\n" + run.tail.text(20)
    samples = run.record.start_info["train_samples"] * (len(arrivals) - 1)
    # The stall while the views update: from the first inspection on (the first run's launch, the same with
    # the views off, is bench_training's to measure).
    start = next((i for i, what in meter.marks if what == "after the first inspect event"), 0)
    stall = max(meter.gaps[start:], default=0.0) - meter.interval
    return samples / (arrivals[-1] - arrivals[0]), stall, got["inspect"], meter.phase_of_longest()


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=30)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--framework", default="pytorch", choices=("pytorch", "tensorflow"))
    args = parser.parse_args(argv)
    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as tmp:
        doc = Document(EXAMPLES["small_cnn"]())
        doc.project.setup["epochs"] = args.epochs
        doc.project.setup["framework"] = args.framework
        doc.save(str(Path(tmp) / "small_cnn.json"))
        scene = GraphScene(doc)  # the cards, whose thumbnails follow the inspections
        dock = TrainingDock(doc)
        dock.inspection_shown.connect(getattr(scene, "show_inspection", lambda *_: None))
        dock.resize(1200, 800)
        dock.show()
        doc.set_selection([doc.graph.find_by_name("conv2").id])  # the Inside tab draws a layer
        app.processEvents()
        meter = StallMeter()
        on, off, stalls = [], [], []
        for i in range(args.repeats):
            rate_on, stall, n, where = run_once(dock, True, meter)
            rate_off, stall_off, _, _ = run_once(dock, False, meter)
            on.append(rate_on)
            off.append(rate_off)
            stalls.append(stall)
            print(
                f"pair {i + 1}: views on {rate_on:10,.0f} samples/s ({n} inspections)   off {rate_off:10,.0f} samples/s"
                f"   longest stall with the views {stall:.1f} ms ({where}; without {stall_off:.1f} ms)",
                flush=True,
            )
        dock.trainer.shutdown()
    ratio = statistics.median(on) / statistics.median(off)
    print(
        f"{args.framework}, small CNN, {args.epochs} epochs × {args.repeats}: on/off throughput {ratio:.3f} "
        f"(goal ≥ 0.9); longest GUI stall with the views {max(stalls):.1f} ms (goal ≤ 50 ms)"
    )


if __name__ == "__main__":
    t0 = time.perf_counter()
    main()
    print(f"bench took {time.perf_counter() - t0:.0f} s")
