"""Training throughput of the generated MNIST-MLP scripts against idiomatic and hand-tuned references.

Idiomatic: a seed-style Keras ``model.fit``; a PyTorch loop over a DataLoader. Hand-tuned: ``fit``
with ``steps_per_execution=32``; PyTorch tensors sliced from a permutation (no DataLoader).

Same data (an MNIST-format file with random pixels in a temporary Keras cache), same model
(Flatten → Dense(128, relu) → Dense(10), 101,770 parameters), same batch size, epochs and
validation split; each run in its own process, one after the other. Throughput is the number of
training samples per second over the epochs after the first (which includes tracing/warm-up),
with the per-epoch validation pass included on both sides.

    python bench/bench_codegen_throughput.py [--samples 60000] [--epochs 3] [--batch-size 32]
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

KERAS_REFERENCE = """
import json, sys, time
import keras
import numpy as np
from keras import layers

samples, epochs, batch = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
with np.load(sys.argv[4]) as d:
    x, y = d["x_train"][:samples].astype("float32") / 255.0, d["y_train"][:samples].astype("int64")
n_val = int(round(len(x) * 0.1))
x_val, y_val, x, y = x[:n_val], y[:n_val], x[n_val:], y[n_val:]
model = keras.Sequential([
    keras.Input(shape=(28, 28)),
    layers.Flatten(),
    layers.Dense(128, activation="relu"),
    layers.Dense(10),
])
model.compile(optimizer=keras.optimizers.Adam(1e-3),
              loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])

class Timer(keras.callbacks.Callback):
    def on_epoch_begin(self, epoch, logs=None):
        self.t = time.perf_counter()
    def on_epoch_end(self, epoch, logs=None):
        print(json.dumps({"event": "epoch", "seconds": time.perf_counter() - self.t}), flush=True)

model.fit(x, y, batch_size=batch, epochs=epochs, validation_data=(x_val, y_val), callbacks=[Timer()], verbose=0)
print(json.dumps({"event": "start", "train_samples": len(x)}))
"""

KERAS_TUNED = KERAS_REFERENCE.replace('metrics=["accuracy"])', 'metrics=["accuracy"], steps_per_execution=32)')

TORCH_REFERENCE = """
import json, sys, time
import numpy as np
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

samples, epochs, batch = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
with np.load(sys.argv[4]) as d:
    x = torch.tensor(d["x_train"][:samples], dtype=torch.float32) / 255.0
    y = torch.tensor(d["y_train"][:samples], dtype=torch.int64)
n_val = int(round(len(x) * 0.1))
x_val, y_val, x, y = x[:n_val], y[:n_val], x[n_val:], y[n_val:]
model = nn.Sequential(nn.Flatten(), nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
loss_fn = nn.CrossEntropyLoss()
train = DataLoader(TensorDataset(x, y), batch_size=batch, shuffle=True)
val = DataLoader(TensorDataset(x_val, y_val), batch_size=batch)
print(json.dumps({"event": "start", "train_samples": len(x)}))
for epoch in range(epochs):
    t = time.perf_counter()
    model.train()
    for xb, yb in train:
        optimizer.zero_grad()
        loss = loss_fn(model(xb), yb)
        loss.backward()
        optimizer.step()
    model.eval()
    with torch.no_grad():
        for xb, yb in val:
            loss_fn(model(xb), yb)
    print(json.dumps({"event": "epoch", "seconds": time.perf_counter() - t}), flush=True)
"""


TORCH_TUNED = """
import json, sys, time
import numpy as np
import torch
from torch import nn

samples, epochs, batch = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
with np.load(sys.argv[4]) as d:
    x = torch.tensor(d["x_train"][:samples], dtype=torch.float32) / 255.0
    y = torch.tensor(d["y_train"][:samples], dtype=torch.int64)
n_val = int(round(len(x) * 0.1))
x_val, y_val, x, y = x[:n_val], y[:n_val], x[n_val:], y[n_val:]
model = nn.Sequential(nn.Flatten(), nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
loss_fn = nn.CrossEntropyLoss()
print(json.dumps({"event": "start", "train_samples": len(x)}))
for epoch in range(epochs):
    t = time.perf_counter()
    model.train()
    for idx in torch.randperm(len(x)).split(batch):
        optimizer.zero_grad(set_to_none=True)
        loss = loss_fn(model(x[idx]), y[idx])
        loss.backward()
        optimizer.step()
    model.eval()
    with torch.no_grad():
        for i in range(0, len(x_val), batch):
            loss_fn(model(x_val[i : i + batch]), y_val[i : i + batch])
    print(json.dumps({"event": "epoch", "seconds": time.perf_counter() - t}), flush=True)
"""


def _throughput(stdout: str) -> float:
    events = [json.loads(line) for line in stdout.splitlines() if line.startswith("{")]
    n = next(e["train_samples"] for e in events if e["event"] == "start")
    seconds = [e["seconds"] for e in events if e["event"] == "epoch"][1:]  # skip the warm-up epoch
    return n * len(seconds) / sum(seconds)


def _run(cmd: list[str], env: dict) -> float:
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if proc.returncode:
        raise SystemExit(f"{cmd[1]} failed:\n{proc.stderr[-3000:]}")
    return _throughput(proc.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=60000)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=32)
    args = parser.parse_args()
    from codegen import generate
    from graph.fileformat import load

    project = load(ROOT / "resources" / "examples" / "mnist_mlp.json")
    project.setup.update(test_split=0.0, validation_split=0.1)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        cache = tmp / ".keras" / "datasets"
        cache.mkdir(parents=True)
        rng = np.random.default_rng(0)
        mnist = cache / "mnist.npz"
        np.savez(
            mnist,
            x_train=rng.integers(0, 256, (args.samples, 28, 28), dtype=np.uint8),
            y_train=rng.integers(0, 10, args.samples).astype(np.uint8),
            x_test=rng.integers(0, 256, (1000, 28, 28), dtype=np.uint8),
            y_test=rng.integers(0, 10, 1000).astype(np.uint8),
        )
        env = {**os.environ, "HOME": str(tmp), "TF_CPP_MIN_LOG_LEVEL": "3", "PYTHONPATH": str(ROOT)}
        common = [str(args.samples), str(args.epochs), str(args.batch_size), str(mnist)]
        results = {}
        refs = {"tensorflow": (KERAS_REFERENCE, KERAS_TUNED), "pytorch": (TORCH_REFERENCE, TORCH_TUNED)}
        for fw, (reference, tuned) in refs.items():
            script = tmp / f"generated_{fw}.py"
            script.write_text(generate(project, fw).source)
            paths = []
            for kind, source in (("idiomatic", reference), ("tuned", tuned)):
                paths.append(tmp / f"{kind}_{fw}.py")
                paths[-1].write_text(source)
            flags = ["--epochs", str(args.epochs), "--batch-size", str(args.batch_size), "--device", "cpu"]
            gen_cmd = [sys.executable, str(script), *flags, "--out", str(tmp / fw), "--progress", "jsonl"]
            if args.samples != 60000:
                gen_cmd += ["--data", str(mnist)]
            generated = _run(gen_cmd, env)
            idiomatic = _run([sys.executable, str(paths[0]), *common], env)
            tuned_rate = _run([sys.executable, str(paths[1]), *common], env)
            results[fw] = (generated, idiomatic, tuned_rate)
            print(
                f"{fw:<10}  generated {generated:>8,.0f}/s   idiomatic {idiomatic:>8,.0f}/s   hand-tuned {tuned_rate:>8,.0f}/s"
                f"   vs idiomatic {generated / idiomatic:.2f}x   vs hand-tuned {generated / tuned_rate:.2f}x",
                flush=True,
            )


if __name__ == "__main__":
    main()
