"""Issue 13's figures in one run: training speed, data bigger than memory, several processes, editor speed.

Runs, one after the other (each in its own processes, so none slows another), and prints their tables:

1. generated training scripts vs idiomatic vs hand-tuned references, both frameworks
   (bench/bench_codegen_throughput.py);
2. in-memory vs streamed data: peak memory on a folder bigger than memory, throughput on one that fits
   (bench/bench_streaming.py);
3. 1 vs 2 processes: torchrun and tf.distribute, throughput and the weights' difference
   (bench/bench_distributed.py);
4. editor start-up vs ``import tensorflow``, and the edit that turns ~1,000 layers into errors
   (bench/bench_editor.py), and graph load + analysis at 1k and 10k nodes (bench/bench_graph.py).

    python -m bench.bench_scale [--quick]

``--quick`` uses smaller data everywhere (minutes instead of about half an hour); the README's figures
come from the full run.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PARTS = [
    ("generated vs idiomatic vs hand-tuned", "bench/bench_codegen_throughput.py", [], ["--samples", "12000"]),
    (
        "in-memory vs streamed",
        "bench/bench_streaming.py",
        [],
        ["--size-gb", "0.3", "--fit-gb", "0.05", "--repeats", "1"],
    ),
    ("1 vs 2 processes", "bench/bench_distributed.py", [], ["--samples", "6000"]),
    ("editor start-up and the error-cascade edit", "bench/bench_editor.py", ["--only", "window"], []),
    ("graph load + analysis, 1k vs 10k nodes", "bench/bench_graph.py", [], []),
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller data: a check that every part runs")
    args = parser.parse_args()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen", "TF_CPP_MIN_LOG_LEVEL": "3"}
    failed = []
    for title, script, flags, quick in PARTS:
        print(f"\n== {title} ({script}) ==", flush=True)
        start = time.perf_counter()
        cmd = [sys.executable, str(ROOT / script), *flags, *(quick if args.quick else [])]
        proc = subprocess.run(cmd, env=env, cwd=ROOT, stdout=sys.stdout, stderr=subprocess.PIPE, text=True)
        if proc.returncode:
            failed.append(title)
            print(f"failed ({proc.returncode}):\n{proc.stderr[-2000:]}", flush=True)
        print(f"-- {time.perf_counter() - start:.0f} s", flush=True)
    if failed:
        print(f"\nfailed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
