"""Every task kind, both frameworks side by side: the final test metric and training samples/s.

Each example is exported to both scripts and trained with its own defaults (epochs, batch size,
learning rate), one process after the other, on the bundled data. Throughput is training samples per
second over all epochs (per-epoch validation included), from the scripts' own epoch timings.

    python bench/bench_tasks.py [--examples a,b,...] [--epochs N] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# (example, task kind, metric reported by the end event)
TASKS = [
    ("digits_mlp", "multi-class, image input", "test_accuracy"),
    ("small_cnn", "multi-class, CNN", "test_accuracy"),
    ("residual_block", "multi-class, residual CNN", "test_accuracy"),
    ("two_branch", "multi-class, two branches", "test_accuracy"),
    ("spiral", "multi-class, 2-D points", "test_accuracy"),
    ("binary_moons", "binary", "test_accuracy"),
    ("text_classifier", "text classification (tokens)", "test_accuracy"),
    ("audio_cnn", "multi-class, signal input", "test_accuracy"),
    ("char_lstm", "per-time-step classification", "test_accuracy"),
    ("denoising_autoencoder", "per-pixel regression", "test_loss"),
    ("unet_segmenter", "per-pixel classification", "test_accuracy"),
]


def run(example: str, framework: str, epochs: int | None, out: Path) -> dict:
    """Train one example with one framework; the end event plus samples/s."""
    from app.cli_codegen import _child_env
    from codegen import generate
    from graph.examples import example_path
    from graph.fileformat import load

    path = example_path(example)
    code = generate(load(path), framework, str(path.parent))
    if code.problems:
        raise SystemExit(f"{example}: {code.problems}")
    script = out / f"{example}_{framework}.py"
    script.write_text(code.source, encoding="utf-8")
    cmd = [sys.executable, str(script), "--out", str(out / f"{example}-{framework}"), "--progress", "jsonl"]
    if epochs:
        cmd += ["--epochs", str(epochs)]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=_child_env())
    events = [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]
    end = next((e for e in events if e["event"] == "end"), None)
    if proc.returncode or end is None:
        raise SystemExit(f"{example} ({framework}) failed:\n{proc.stderr[-2000:]}")
    start = next(e for e in events if e["event"] == "start")
    seconds = sum(e["seconds"] for e in events if e["event"] == "epoch")
    epochs_run = sum(1 for e in events if e["event"] == "epoch")
    return {**end, "samples_per_s": start["train_samples"] * epochs_run / max(seconds, 1e-9), "epochs": epochs_run}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", help="comma-separated example names (default: all task kinds)")
    parser.add_argument("--epochs", type=int, help="override every example's epochs")
    parser.add_argument("--json", help="also write the results here")
    args = parser.parse_args(argv)
    chosen = [t for t in TASKS if not args.examples or t[0] in args.examples.split(",")]
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        print(f"{'example':<22} {'task':<30} {'metric':<14} {'pytorch':>9} {'keras':>9} {'Δ':>8}  samples/s pt / keras")
        for name, task, metric in chosen:
            res = {fw: run(name, fw, args.epochs, Path(tmp)) for fw in ("pytorch", "tensorflow")}
            pt, tf = res["pytorch"][metric], res["tensorflow"][metric]
            rate = f"{res['pytorch']['samples_per_s']:9.0f} / {res['tensorflow']['samples_per_s']:.0f}"
            print(f"{name:<22} {task:<30} {metric:<14} {pt:9.4f} {tf:9.4f} {tf - pt:+8.4f}  {rate}", flush=True)
            rows.append({"example": name, "task": task, "metric": metric, **{fw: res[fw] for fw in res}})
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
