"""One process against two: the generated MNIST-MLP scripts under torchrun and tf.distribute.

PyTorch: the script alone, then ``torchrun --nproc-per-node 2`` (DistributedDataParallel, gloo).
Keras: the script alone (``model.fit``), then two MultiWorkerMirroredStrategy workers (TF_CONFIG on
localhost). Same data (random MNIST-format pixels), global batch, epochs and plain SGD without
shuffling, so the two runs must also end with the same weights: the table prints the largest
difference. Throughput is training samples per second over the epochs after the first, as the
first process reports it (the whole batch, both processes together).

On one CPU machine two processes share its cores, so expect no speed-up here; the point is that the
same script scales out unchanged. On GPUs or several hosts each process brings its own device.

    python bench/bench_distributed.py [--samples 12000] [--epochs 3] [--batch-size 64]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _rate(stdout: str) -> float:
    events = [json.loads(line) for line in stdout.splitlines() if line.startswith("{")]
    n = next(e["train_samples"] for e in events if e["event"] == "start")
    seconds = [e["seconds"] for e in events if e["event"] == "epoch"][1:]  # skip the warm-up epoch
    return n * len(seconds) / sum(seconds)


def _check(procs: list[subprocess.Popen]) -> str:
    """The first process's output once all have ended (SystemExit naming a failure)."""
    outs = [p.communicate(timeout=1800) for p in procs]
    for p, (_, err) in zip(procs, outs, strict=True):
        if p.returncode:
            raise SystemExit(f"{' '.join(map(str, p.args[:3]))} failed:\n{err[-3000:]}")
    return outs[0][0]


def _pytorch(script: Path, flags: list[str], out: Path, env: dict, processes: int) -> float:
    cmd = [sys.executable, str(script)]
    if processes > 1:
        from codegen.launch import free_ports

        port = str(free_ports(1)[0])
        cmd = [sys.executable, "-m", "torch.distributed.run", "--nproc-per-node", str(processes)]
        cmd += ["--master-addr", "127.0.0.1", "--master-port", port, str(script)]
    proc = subprocess.Popen(
        [*cmd, *flags, "--out", str(out)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )
    return _rate(_check([proc]))


def _keras(script: Path, flags: list[str], out: Path, env: dict, processes: int) -> float:
    from codegen.launch import free_ports, tf_config

    hosts = [f"127.0.0.1:{port}" for port in free_ports(processes)]
    procs = []
    for i in range(processes):
        worker_env = dict(env)
        if processes > 1:
            worker_env["TF_CONFIG"] = tf_config(hosts, i)
        cmd = [sys.executable, str(script), *flags, "--out", str(out)]
        procs.append(subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=worker_env))
    return _rate(_check(procs))


def _difference(fw: str, one: Path, two: Path) -> float:
    """The largest difference between the weights the two runs saved."""
    if fw == "pytorch":
        import torch

        a = torch.load(one / "model.pt", weights_only=True)
        b = torch.load(two / "model.pt", weights_only=True)
        return max(float((a[k] - b[k]).abs().max()) for k in a)
    import keras

    a = keras.models.load_model(one / "model.keras", compile=False).get_weights()
    b = keras.models.load_model(two / "model.keras", compile=False).get_weights()
    return max(float(np.abs(u - v).max()) for u, v in zip(a, b, strict=True))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=12000)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=64)
    args = parser.parse_args()
    from codegen import generate
    from graph.fileformat import load

    project = load(ROOT / "resources" / "examples" / "mnist_mlp.json")
    project.setup.update(test_split=0.0, validation_split=0.1, optimizer="sgd", momentum=0.0, shuffle=False)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        rng = np.random.default_rng(0)
        mnist = tmp / "mnist.npz"
        np.savez(
            mnist,
            x_train=rng.integers(0, 256, (args.samples, 28, 28), dtype=np.uint8),
            y_train=rng.integers(0, 10, args.samples).astype(np.uint8),
            x_test=rng.integers(0, 256, (1000, 28, 28), dtype=np.uint8),
            y_test=rng.integers(0, 10, 1000).astype(np.uint8),
        )
        env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3", "PYTHONPATH": str(ROOT), "OMP_NUM_THREADS": "1"}
        env.pop("TF_CONFIG", None)
        flags = ["--epochs", str(args.epochs), "--batch-size", str(args.batch_size), "--device", "cpu"]
        flags += ["--progress", "jsonl", "--data", str(mnist)]
        print(f"1 vs 2 processes: MNIST MLP, {args.samples:,} samples, global batch {args.batch_size}, SGD", flush=True)
        for fw, launch in (("pytorch", _pytorch), ("tensorflow", _keras)):
            script = tmp / f"train_{fw}.py"
            script.write_text(generate(project, fw).source)
            one = launch(script, flags, tmp / f"{fw}_1", env, 1)
            two = launch(script, flags, tmp / f"{fw}_2", env, 2)
            diff = _difference(fw, tmp / f"{fw}_1", tmp / f"{fw}_2")
            print(
                f"{fw:<10}  1 process {one:>8,.0f}/s   2 processes {two:>8,.0f}/s   ratio {two / one:.2f}x"
                f"   largest weight difference {diff:.1e}",
                flush=True,
            )


if __name__ == "__main__":
    main()
