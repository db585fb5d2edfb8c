"""The bundled example projects, built in code so ``resources/examples/*.json`` can be regenerated
and checked (``python -m graph.examples`` rewrites them; a test asserts they are up to date)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from graph.datasets import describe
from graph.fileformat import dumps
from graph.layout import layered_positions
from graph.model import Graph
from graph.project import Project, default_setup

EXAMPLES_DIR = Path(__file__).resolve().parent.parent / "resources" / "examples"
DATA_DIR = Path(__file__).resolve().parent.parent / "resources" / "data"
DEFAULT_EXAMPLE = "digits_mlp"


class _Builder:
    """A tiny helper to write examples as chains: ``b.chain(b.add(...), "dense", ...)``."""

    def __init__(self):
        self.graph = Graph()

    def add(self, type_id: str, name: str | None = None, **params) -> str:
        return self.graph.add_node(type_id, params, name).id

    def chain(self, *steps: str | tuple) -> str:
        """Connect steps in order; a step is a node id or (type_id, name, params)."""
        prev = None
        for step in steps:
            nid = step if isinstance(step, str) else self.add(step[0], step[1], **(step[2] if len(step) > 2 else {}))
            if prev is not None:
                self.graph.connect(prev, "out", nid, "in")
            prev = nid
        return prev

    def project(self, title: str, description: str, **setup) -> Project:
        for nid, pos in layered_positions(self.graph).items():
            self.graph.move(nid, pos)
        values = default_setup()
        values.update(setup)
        return Project(self.graph, values, {"title": title, "description": description})


def _mlp(title: str, description: str, size: int, dataset: str, **setup) -> Project:
    b = _Builder()
    b.chain(
        ("input.image", "images", {"channels": 1, "height": size, "width": size}),
        ("flatten", "flatten"),
        ("dense", "hidden", {"units": 128, "activation": "relu"}),
        ("dense", "scores", {"units": 10, "activation": "softmax"}),
        ("output.classification", "digit"),
    )
    return b.project(title, description, dataset=dataset, **setup)


def mnist_mlp() -> Project:
    return _mlp(
        "MNIST MLP",
        "The original TensorFlow beginner example: Flatten → Dense 128 relu → Dense 10 softmax, "
        "adam, sparse categorical cross-entropy, 5 epochs (101,770 parameters).",
        28,
        "mnist",
        framework="tensorflow",
    )


def digits_mlp() -> Project:
    return _mlp(
        "Digits MLP",
        "The MNIST MLP on scikit-learn's bundled 8×8 digits: trains offline in seconds.",
        8,
        "digits",
    )


def char_lstm() -> Project:
    text = DATA_DIR / "nursery_rhymes.txt"
    vocab = describe({"kind": "text", "path": str(text)}).num_classes
    b = _Builder()
    b.chain(
        ("input.tokens", "chars", {"steps": 64, "vocab_size": vocab}),
        ("embedding", "embed", {"input_dim": vocab, "output_dim": 32}),
        ("lstm", "lstm", {"units": 128, "return_sequences": True}),
        ("dense", "next_char", {"units": vocab}),
        ("output.classification", "char"),
    )
    return b.project(
        "Character-level LSTM",
        "The original PyTorch example: an LSTM reads characters and predicts the next one at every step, "
        "then generates text from a prompt.",
        dataset="text",
        dataset_path="../data/nursery_rhymes.txt",
        optimizer="adam",
        learning_rate=0.003,
        batch_size=32,
        epochs=20,
        epsilon=1e-8,
        validation_split=0.1,
        test_split=0.1,
    )


def small_cnn() -> Project:
    b = _Builder()
    b.chain(
        ("input.image", "images", {"channels": 1, "height": 8, "width": 8}),
        ("conv2d", "conv1", {"filters": 16, "kernel_size": [3, 3], "padding": [1, 1, 1, 1]}),
        ("batch_norm", "bn1"),
        ("relu", "relu1"),
        ("maxpool2d", "pool1", {"pool_size": [2, 2], "strides": [2, 2]}),
        ("conv2d", "conv2", {"filters": 32, "kernel_size": [3, 3], "padding": [1, 1, 1, 1]}),
        ("relu", "relu2"),
        ("flatten", "flatten"),
        ("dropout", "dropout", {"rate": 0.25}),
        ("dense", "scores", {"units": 10}),
        ("output.classification", "digit"),
    )
    return b.project("Small CNN", "Two convolutions with batch norm and pooling on the 8×8 digits.", dataset="digits",
                     epochs=10)


def spiral() -> Project:
    b = _Builder()
    b.chain(
        ("input.vector", "point", {"features": 2}),
        ("dense", "hidden1", {"units": 32, "activation": "tanh"}),
        ("dense", "hidden2", {"units": 32, "activation": "tanh"}),
        ("dense", "scores", {"units": 2}),
        ("output.classification", "arm"),
    )
    return b.project(
        "Spiral classifier",
        "Teaching example: which arm of a 2-D spiral does a point belong to? Watch the decision boundary form.",
        dataset="spirals",
        samples=1000,
        noise=0.1,
        learning_rate=0.01,
        epochs=60,
    )


def residual_block() -> Project:
    b = _Builder()
    stem = b.chain(
        ("input.image", "images", {"channels": 1, "height": 8, "width": 8}),
        ("conv2d", "stem", {"filters": 16, "kernel_size": [3, 3], "padding": [1, 1, 1, 1]}),
        ("relu", "stem_relu"),
    )
    branch = b.chain(
        stem,
        ("conv2d", "conv_a", {"filters": 16, "kernel_size": [3, 3], "padding": [1, 1, 1, 1]}),
        ("relu", "relu_a"),
        ("conv2d", "conv_b", {"filters": 16, "kernel_size": [3, 3], "padding": [1, 1, 1, 1]}),
    )
    add = b.add("add", "skip_add")
    b.graph.connect(stem, "out", add, "in")
    b.graph.connect(branch, "out", add, "in")
    b.chain(add, ("relu", "block_relu"), ("global_avg_pool", "gap"), ("dense", "scores", {"units": 10}),
            ("output.classification", "digit"))
    return b.project("Residual block", "A ResNet-style block: the input skips over two convolutions and is added back.",
                     dataset="digits", epochs=10, learning_rate=0.003)


def two_branch() -> Project:
    b = _Builder()
    images = b.add("input.image", "images", channels=1, height=8, width=8)
    dense_branch = b.chain(images, ("flatten", "flatten"), ("dense", "dense_branch", {"units": 64, "activation": "relu"}))
    conv_branch = b.chain(
        images,
        ("conv2d", "conv", {"filters": 16, "kernel_size": [3, 3], "padding": [1, 1, 1, 1]}),
        ("relu", "conv_relu"),
        ("global_avg_pool", "gap"),
    )
    cat = b.add("concatenate", "join", axis=1)
    b.graph.connect(dense_branch, "out", cat, "in")
    b.graph.connect(conv_branch, "out", cat, "in")
    b.chain(cat, ("dense", "scores", {"units": 10}), ("output.classification", "digit"))
    return b.project("Two branches", "A dense branch and a convolutional branch joined by Concatenate.",
                     dataset="digits", epochs=8)


EXAMPLES: dict[str, Callable[[], Project]] = {
    "mnist_mlp": mnist_mlp,
    "digits_mlp": digits_mlp,
    "char_lstm": char_lstm,
    "small_cnn": small_cnn,
    "spiral": spiral,
    "residual_block": residual_block,
    "two_branch": two_branch,
}


def example_path(name: str) -> Path:
    return EXAMPLES_DIR / f"{name}.json"


def write_all() -> list[Path]:
    """Regenerate every example file."""
    EXAMPLES_DIR.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, build in EXAMPLES.items():
        path = example_path(name)
        path.write_text(dumps(build()), encoding="utf-8")
        paths.append(path)
    return paths


if __name__ == "__main__":
    for p in write_all():
        print(p)
    sys.exit(0)
