"""Training through the app vs the same generated script alone, and the GUI's longest stall.

Runs the digits example's generated script alternately (app, alone, app, alone …) and compares
training throughput (train samples × epochs / the epochs' own seconds, from the jsonl stream, so
start-up time is excluded). The app run goes through Trainer + TrainingDock, shown offscreen with
live plots drawing; a 5 ms QTimer records the event loop's longest gap meanwhile.
Goals: ratio ≥ 0.95, longest stall ≤ 50 ms.
Run: QT_QPA_PLATFORM=offscreen python -m bench.bench_training [--epochs 40] [--repeats 3] [--framework pytorch]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("LAYERLAB_DEVICES", "auto,cpu")

from PySide6.QtCore import QElapsedTimer, QEventLoop, QTimer
from PySide6.QtWidgets import QApplication

from app.document import Document
from app.training.panel import TrainingDock
from app.training.runner import _environment, generate_script
from graph.examples import EXAMPLES


def throughput(events: list[dict]) -> float:
    """Training samples per second by the script's own epoch timings, the first (warm-up) epoch left out."""
    start = next(e for e in events if e["event"] == "start")
    seconds = [e["seconds"] for e in events if e["event"] == "epoch"]
    seconds = seconds[1:] or seconds
    return start["train_samples"] * len(seconds) / sum(seconds)


def run_alone(script: Path, out: Path, framework_args: list[str]) -> float:
    """The script as the app runs it: the same interpreter, arguments (in the same order: see
    Trainer._arguments), working folder kind and environment (Trainer's _environment, thread
    settings such as OMP_NUM_THREADS included), only without the app around it."""
    env = dict(item.split("=", 1) for item in _environment().toStringList() if "=" in item)
    proc = subprocess.run(
        [sys.executable, str(script), "--progress", "jsonl", "--out", str(out), *framework_args],
        capture_output=True,
        text=True,
        env=env,
        cwd=out,
        check=True,
    )
    events = [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]
    return throughput(events)


class StallMeter:
    """A 5 ms timer; the longest gap between its ticks is the event loop's longest stall."""

    def __init__(self, interval_ms: int = 5):
        self.interval = interval_ms
        self.gaps: list[float] = []
        self.marks: list[tuple[int, str]] = []  # (tick index, what happened) to place the stalls
        self.clock = QElapsedTimer()
        self.timer = QTimer()
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self._tick)

    def mark(self, what: str) -> None:
        self.marks.append((len(self.gaps), what))

    def phase_of_longest(self) -> str:
        worst = max(range(len(self.gaps)), key=self.gaps.__getitem__, default=0)
        phase = "launch"
        for index, what in self.marks:
            if index <= worst:
                phase = what
        return phase

    def start(self) -> None:
        self.gaps.clear()
        self.marks.clear()
        self.clock.start()
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def _tick(self) -> None:
        self.gaps.append(self.clock.nsecsElapsed() / 1e6)
        self.clock.restart()

    def longest_stall(self) -> float:
        return max(self.gaps, default=0.0) - self.interval


def run_in_app(dock: TrainingDock, framework: str, device: str, epochs: int, meter: StallMeter) -> tuple[float, dict]:
    loop = QEventLoop()
    dock.trainer.run_finished.connect(loop.quit)
    seen = set()

    def on_event(_run_id, event):
        kind = event["event"]
        if kind not in seen:
            seen.add(kind)
            meter.mark(f"after first {kind} event")

    dock.trainer.event_received.connect(on_event)
    marks = {}

    def on_first_epoch(_run_id, event):  # the GUI's CPU while the measured epochs run (2nd epoch on)
        if event["event"] == "epoch" and "epoch" not in marks:
            marks["epoch"] = (time.process_time(), time.perf_counter())

    dock.trainer.event_received.connect(on_first_epoch)
    meter.start()
    run = dock.trainer.start(dock.document.project, framework, device, epochs=epochs, project_path=dock.document.path)
    meter.mark("waiting for the worker")
    loop.exec()
    meter.stop()
    dock.trainer.run_finished.disconnect(loop.quit)
    dock.trainer.event_received.disconnect(on_event)
    dock.trainer.event_received.disconnect(on_first_epoch)
    last = (time.process_time(), time.perf_counter())
    rec = run.record
    assert rec.outcome == "finished", rec.message + "\n" + run.tail.text(20)
    events = [{"event": "start", **rec.start_info}]
    events += [{"event": "epoch", "seconds": s} for s in rec.epochs.column("seconds")]
    gaps = sorted(meter.gaps)
    cpu0, wall0 = marks.get("epoch", last)
    ends = rec.epochs.n
    # The GUI's share of one core from the first epoch event to the end (the stall meter's own 5 ms
    # timer included): what it takes from the worker on a small machine.
    share = (last[0] - cpu0) / (last[1] - wall0) if last[1] > wall0 and ends else 0.0
    stats = {
        "stall_ms": meter.longest_stall(),
        "where": meter.phase_of_longest(),
        "p99_gap_ms": gaps[int(0.99 * (len(gaps) - 1))] if gaps else 0.0,
        "gui_cpu": share,
    }
    return throughput(events), stats


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=40)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--framework", default="pytorch", choices=("pytorch", "tensorflow"))
    parser.add_argument("--device", default="cpu")
    args = parser.parse_args(argv)
    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as tmp:
        doc = Document(EXAMPLES["digits_mlp"]())
        doc.save(str(Path(tmp) / "digits.json"))
        source, problems = generate_script(doc.project, args.framework, tmp)
        assert not problems, problems
        script = Path(tmp) / "alone" / "train.py"
        script.parent.mkdir()
        script.write_text(source)
        dock = TrainingDock(doc)
        dock.resize(1200, 800)
        dock.show()
        app.processEvents()
        meter = StallMeter()
        alone, in_app, stalls = [], [], []
        flags = ["--device", args.device, "--epochs", str(args.epochs)]  # Trainer._arguments' order
        for i in range(args.repeats):
            rate, stats = run_in_app(dock, args.framework, args.device, args.epochs, meter)
            in_app.append(rate)
            stalls.append(stats)
            alone.append(run_alone(script, script.parent, flags))
            print(
                f"pair {i + 1}: app {in_app[-1]:10,.0f} samples/s   alone {alone[-1]:10,.0f} samples/s   "
                f"longest stall {stats['stall_ms']:.1f} ms ({stats['where']}; p99 gap {stats['p99_gap_ms']:.1f} ms; "
                f"GUI CPU {stats['gui_cpu']:.1%} of a core while training)",
                flush=True,
            )
        dock.trainer.shutdown()
    ratio = statistics.median(in_app) / statistics.median(alone)
    worst = max(s["stall_ms"] for s in stalls)
    share = statistics.median(s["gui_cpu"] for s in stalls)
    cores = os.cpu_count() or 1
    print(
        f"{args.framework} on {args.device}, {args.epochs} epochs × {args.repeats}: "
        f"app/alone throughput ratio {ratio:.3f} (goal ≥ 0.95); longest GUI stall {worst:.1f} ms (goal ≤ 50 ms)"
    )
    print(
        f"the GUI process used {share:.1%} of one core while training (median); on {cores} cores that is "
        f"{share / cores:.1%} of the machine the worker could otherwise use "
        f"(worker threads: OMP_NUM_THREADS={_worker_threads()}, the app's setting, same for both runs)"
    )


if __name__ == "__main__":
    t0 = time.perf_counter()
    main()
    print(f"bench took {time.perf_counter() - t0:.0f} s")


def _worker_threads() -> str:
    from app.training.runner import _environment

    return _environment().value("OMP_NUM_THREADS") or "unset"
