"""Load + validate + infer shapes for generated graphs of 1,000 and 10,000 nodes.

Prints the time per size and the 10k/1k ratio: linear cost gives ≈ 10. The same graphs saved without
layer names (every name made on load) are then loaded, analysed and exported to PyTorch code.
Run: python -m bench.bench_graph
"""

from __future__ import annotations

import json
import statistics
import tempfile
import time
from pathlib import Path

from bench.graphs import residual_chain
from codegen import generate
from graph.analysis import analyze
from graph.fileformat import dumps, load, save


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


def measure_unnamed(n_nodes: int) -> float:
    """Seconds to load an unnamed graph (names made on load), analyse it and generate its PyTorch script."""
    doc = json.loads(dumps(residual_chain(n_nodes)))
    for node in doc["nodes"]:
        node["name"] = ""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "unnamed.json"
        path.write_text(json.dumps(doc), encoding="utf-8")
        t0 = time.perf_counter()
        project = load(path)
        project.setup.update(dataset="npz", dataset_path="")
        assert analyze(project.graph).ok and not generate(project, "pytorch").problems
        return time.perf_counter() - t0


def main() -> None:
    small, large = measure(1_000), measure(10_000)
    for label, m in (("1k", small), ("10k", large)):
        total = m["load"] + m["analyze"]
        print(
            f"{label:>4} nodes: load {m['load'] * 1e3:8.1f} ms   analyze {m['analyze'] * 1e3:8.1f} ms   total {total * 1e3:8.1f} ms"
        )
    ratio = (large["load"] + large["analyze"]) / (small["load"] + small["analyze"])
    print(f"10k/1k ratio: {ratio:.2f} (linear = 10)")
    small_u, large_u = measure_unnamed(1_000), measure_unnamed(10_000)
    print(
        f"unnamed, load + analyze + export: 1k {small_u * 1e3:.0f} ms, 10k {large_u * 1e3:.0f} ms, ratio {large_u / small_u:.1f}"
    )


if __name__ == "__main__":
    main()
