"""Load + validate + infer shapes for generated graphs of 1,000 and 10,000 nodes.

Prints the time per size and the 10k/1k ratio: linear cost gives ≈ 10.
Run: python -m bench.bench_graph
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from bench.graphs import residual_chain
from graph.analysis import analyze
from graph.fileformat import load, save


def measure(n_nodes: int, repeats: int = 3) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "big.json"
        save(residual_chain(n_nodes), path)
        loads, analyses = [], []
        for _ in range(repeats):
            t0 = time.perf_counter()
            project = load(path)
            t1 = time.perf_counter()
            result = analyze(project.graph)
            t2 = time.perf_counter()
            assert result.ok, result.errors[:3]
            loads.append(t1 - t0)
            analyses.append(t2 - t1)
    return {"load": statistics.median(loads), "analyze": statistics.median(analyses)}


def main() -> None:
    small, large = measure(1_000), measure(10_000)
    for label, m in (("1k", small), ("10k", large)):
        total = m["load"] + m["analyze"]
        print(f"{label:>4} nodes: load {m['load'] * 1e3:8.1f} ms   analyze {m['analyze'] * 1e3:8.1f} ms   total {total * 1e3:8.1f} ms")
    ratio = (large["load"] + large["analyze"]) / (small["load"] + small["analyze"])
    print(f"10k/1k ratio: {ratio:.2f} (linear = 10)")


if __name__ == "__main__":
    main()
