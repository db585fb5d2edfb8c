"""Data bigger than memory: peak memory and throughput of the generated scripts on a streamed image folder.

A folder of random-noise PNGs (incompressible, 64×64 RGB, two classes) whose decoded float32 pixels take
--size-gb (default 2.2 GB) is cached under /tmp. A small CNN project trains one epoch on it with each
framework, --stream on; a sampler adds up the proportional set size (PSS: shared pages split between the
processes that share them) of the script and its DataLoader workers every 0.1 s. Then on a folder that fits
(--fit-gb) each framework trains --epochs epochs in memory (--stream off) and streamed; throughput is the
training samples per second by the script's own epoch timings (validation included), the first epoch
(warm-up) left out; the median of --repeats runs of each, taken alternately. "run s" is the whole run's
wall time, start-up and the in-memory path's loading included. "read only" is what the streamed reader alone delivers, without training: decoding shares the CPU with
training, so where it is close to the training rate (few cores, no GPU) it bounds the streamed rate.
Goals: peak below 1 GB streamed at 2 GB, streamed / in-memory throughput ≥ 0.8.

    python -m bench.bench_streaming [--size-gb 2.2] [--fit-gb 0.25] [--epochs 3] [--repeats 3] [--framework pytorch]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SIDE = 64  # pixels a side
CACHE = Path(tempfile.gettempdir()) / "layerlab_bench_streaming"
FRAMEWORKS = ("pytorch", "tensorflow")


def image_folder(size_gb: float) -> tuple[Path, int]:
    """(folder, images): random RGB PNGs in two class folders, decoded size ``size_gb`` GB; cached."""
    count = int(size_gb * 1e9 / (3 * SIDE * SIDE * 4))
    folder = CACHE / f"noise_{SIDE}px_{count}"
    if (folder / "done").exists():
        return folder, count
    from PIL import Image

    rng = np.random.default_rng(0)
    for name in ("a", "b"):
        (folder / name).mkdir(parents=True, exist_ok=True)
    for i in range(count):
        pixels = rng.integers(0, 256, (SIDE, SIDE, 3), dtype=np.uint8)
        Image.fromarray(pixels).save(folder / "ab"[i % 2] / f"{i:06d}.png", compress_level=1)
    (folder / "done").write_text(str(count))
    return folder, count


def project(folder: Path):
    """A small CNN for the folder: conv 16 → pool → conv 32 → pool → dense 2, batch 64."""
    from graph.project import Project

    p = Project()
    layers = [
        ("input.image", {"channels": 3, "height": SIDE, "width": SIDE}),
        ("conv2d", {"filters": 16, "kernel_size": [3, 3]}),
        ("relu", {}),
        ("maxpool2d", {"pool_size": [2, 2]}),
        ("conv2d", {"filters": 32, "kernel_size": [3, 3]}),
        ("relu", {}),
        ("maxpool2d", {"pool_size": [2, 2]}),
        ("flatten", {}),
        ("dense", {"units": 2}),
    ]
    prev = None
    for type_id, params in [*layers, ("output.classification", {})]:
        node = p.graph.add_node(type_id, params)
        if prev is not None:
            p.graph.connect(prev.id, "out", node.id, "in")
        prev = node
    p.setup.update(dataset="image_folder", dataset_path=str(folder), batch_size=64, validation_split=0.1)
    p.setup.update(test_split=0.1)
    return p


class PeakMemory:
    """Samples the PSS of a process and all its descendants until stopped; keeps the largest sum."""

    def __init__(self, pid: int, every: float = 0.1):
        import psutil

        self.process, self.every, self.peak, self.peak_rss = psutil.Process(pid), every, 0, 0
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._sample, daemon=True)
        self.thread.start()

    def _sample(self) -> None:
        import psutil

        while not self.stopped.is_set():
            try:
                tree = [self.process, *self.process.children(recursive=True)]
                self.peak = max(self.peak, sum(pss(p) for p in tree))
                self.peak_rss = max(self.peak_rss, self.process.memory_info().rss)
            except psutil.NoSuchProcess:
                return
            time.sleep(self.every)

    def stop(self) -> tuple[float, float]:
        """(peak PSS of the tree, peak RSS of the script alone) in MB."""
        self.stopped.set()
        self.thread.join()
        return self.peak / 2**20, self.peak_rss / 2**20


def pss(process) -> int:
    """A process's proportional set size in bytes (0 once it has ended)."""
    import psutil

    try:
        return process.memory_full_info().pss
    except (psutil.NoSuchProcess, psutil.AccessDenied):
        return 0


def row(fw: str, folder: str, mode: str, r: dict) -> str:
    memory = f"{r['peak_mb']:>25,.0f}{r['peak_rss_mb']:>9,.0f}"
    return f"{fw:<11}{folder:<10}{mode:<11}{memory}{r['samples_per_s']:>11,.0f}{r['wall_s']:>8,.1f}"


def train(script: Path, folder: Path, out: Path, stream: str, epochs: int) -> dict:
    """One run of a generated script: its events, peak memory and throughput."""
    cmd = [sys.executable, str(script), "--data", str(folder), "--stream", stream, "--epochs", str(epochs)]
    cmd += ["--out", str(out), "--progress", "jsonl", "--device", "cpu"]
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3", "PYTHONPATH": str(ROOT)}
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    meter = PeakMemory(proc.pid)
    stdout, stderr = proc.communicate()
    peak, peak_rss = meter.stop()
    if proc.returncode:
        raise RuntimeError(f"{script.name} --stream {stream} failed:\n{stderr[-3000:]}")
    events = [json.loads(line) for line in stdout.splitlines() if line.startswith("{")]
    begin = next(e for e in events if e["event"] == "start")
    seconds = [e["seconds"] for e in events if e["event"] == "epoch"]
    seconds = seconds[1:] or seconds
    return {
        "peak_mb": peak,
        "peak_rss_mb": peak_rss,
        "samples_per_s": begin["train_samples"] * len(seconds) / sum(seconds),
        "wall_s": time.perf_counter() - start,
    }


READ_ONLY = """
import importlib.util, sys, time
spec = importlib.util.spec_from_file_location("generated", sys.argv[1])
m = importlib.util.module_from_spec(spec)
sys.modules["generated"] = m
spec.loader.exec_module(m)
data = m.split_data(m.read_data(sys.argv[2], stream="on"), 0)
x, y = data["x_train"], data["y_train"]
if sys.argv[3] == "pytorch":
    import torch
    x = m.to_tensors({"x_train": x}, torch.device("cpu"))["x_train"]
    reader = lambda: (xb for _, _, xb in m.batches(x, torch.randperm(len(x)), 64, 0, 1))
else:
    reader = lambda: (xb for xb, _ in m.pipeline(x, y, 64, shuffle=True))
for epoch in range(2):  # the first pass starts the workers
    start, n = time.perf_counter(), sum(len(xb) for xb in reader())
print(n / (time.perf_counter() - start))
"""


def read_rate(script: Path, folder: Path, fw: str) -> float:
    """Samples per second the streamed reader alone delivers (no training): what decoding costs."""
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3", "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, "-c", READ_ONLY, str(script), str(folder), fw]
    return float(subprocess.run(cmd, capture_output=True, text=True, env=env, check=True).stdout.split()[-1])


def median_run(runs: list[dict]) -> dict:
    """The run with the median throughput, with the largest peak of all the runs."""
    chosen = sorted(runs, key=lambda r: r["samples_per_s"])[len(runs) // 2]
    return {**chosen, "peak_mb": max(r["peak_mb"] for r in runs), "peak_rss_mb": max(r["peak_rss_mb"] for r in runs)}


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-gb", type=float, default=2.2, help="decoded size of the streamed folder")
    parser.add_argument("--fit-gb", type=float, default=0.25, help="decoded size of the folder that fits")
    parser.add_argument("--epochs", type=int, default=3, help="epochs on the folder that fits")
    parser.add_argument("--repeats", type=int, default=3, help="runs of each mode on the folder that fits")
    parser.add_argument("--framework", choices=FRAMEWORKS, action="append", help="default: both")
    args = parser.parse_args(argv)
    from codegen import generate

    results = {}
    big, big_count = image_folder(args.size_gb)
    small, small_count = image_folder(args.fit_gb)
    print(f"streamed folder: {big_count:,} images, {big_count * 3 * SIDE * SIDE * 4 / 1e9:.2f} GB decoded ({big})")
    print(f"folder that fits: {small_count:,} images, {small_count * 3 * SIDE * SIDE * 4 / 1e9:.2f} GB decoded")
    header = f"{'framework':<11}{'folder':<10}{'mode':<11}{'peak MB (PSS, +workers)':>25}{'RSS MB':>9}{'samples/s':>11}"
    header += f"{'run s':>8}"
    print(header)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for fw in args.framework or FRAMEWORKS:
            script = tmp / f"small_cnn_{fw}.py"
            script.write_text(generate(project(small), fw).source)
            runs = {"big": train(script, big, tmp / f"{fw}_big", "on", 1)}
            tries = {"off": [], "on": []}
            for i in range(args.repeats):  # alternately, so a busy moment of the machine hits both
                for mode in tries:
                    tries[mode].append(train(script, small, tmp / f"{fw}_{mode}_{i}", mode, args.epochs))
            runs["memory"], runs["streamed"] = (median_run(tries[mode]) for mode in ("off", "on"))
            ratio = runs["streamed"]["samples_per_s"] / runs["memory"]["samples_per_s"]
            reading = read_rate(script, small, fw)
            print(row(fw, "large", "streamed", runs["big"]))
            print(row(fw, "fits", "in memory", runs["memory"]))
            print(row(fw, "fits", "streamed", runs["streamed"]) + f"   streamed / in memory {ratio:.2f}x")
            print(
                f"{fw:<11}{'fits':<10}{'read only':<11}{'':>34}{reading:>11,.0f}{'':>8}   (the reader alone)",
                flush=True,
            )
            results[fw] = {**runs, "ratio": ratio, "read_only": reading}
    return results


if __name__ == "__main__":
    main()
