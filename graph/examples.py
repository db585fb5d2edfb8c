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
    text = DATA_DIR / "pride_and_prejudice.txt"
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
        "then generates text from a prompt. Trained on Jane Austen's Pride and Prejudice (public domain).",
        dataset="text",
        dataset_path="../data/pride_and_prejudice.txt",
        optimizer="adam",
        learning_rate=0.003,
        batch_size=64,
        epochs=25,
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
    return b.project(
        "Small CNN", "Two convolutions with batch norm and pooling on the 8×8 digits.", dataset="digits", epochs=10
    )


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
    b.chain(
        add,
        ("relu", "block_relu"),
        ("global_avg_pool", "gap"),
        ("dense", "scores", {"units": 10}),
        ("output.classification", "digit"),
    )
    return b.project(
        "Residual block",
        "A ResNet-style block: the input skips over two convolutions and is added back.",
        dataset="digits",
        epochs=10,
        learning_rate=0.003,
    )


def two_branch() -> Project:
    b = _Builder()
    images = b.add("input.image", "images", channels=1, height=8, width=8)
    dense_branch = b.chain(
        images, ("flatten", "flatten"), ("dense", "dense_branch", {"units": 64, "activation": "relu"})
    )
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
    return b.project(
        "Two branches", "A dense branch and a convolutional branch joined by Concatenate.", dataset="digits", epochs=8
    )


def _conv(name: str, filters: int, k: int = 3) -> tuple:
    pad = k // 2
    return ("conv2d", name, {"filters": filters, "kernel_size": [k, k], "padding": [pad, pad, pad, pad]})


def text_classifier() -> Project:
    path = DATA_DIR / "sentences.csv"
    info = describe({"kind": "text_classes", "path": str(path), "tokens": "char"})
    b = _Builder()
    b.chain(
        ("input.tokens", "chars", {"steps": 48, "vocab_size": info.vocab + 2}),
        ("embedding", "embed", {"input_dim": info.vocab + 2, "output_dim": 32}),
        ("lstm", "bilstm", {"units": 32, "bidirectional": True}),
        ("dense", "hidden", {"units": 32, "activation": "relu"}),
        ("dense", "scores", {"units": info.num_classes}),
        ("output.classification", "topic"),
    )
    return b.project(
        "Text classifier",
        "Embedding → bidirectional LSTM → Dense: which topic (weather, food, sport, animals) is a sentence "
        "about? 400 bundled English and Chinese sentences, read character by character.",
        dataset="text_classes",
        dataset_path="../data/sentences.csv",
        tokens="char",
        learning_rate=0.003,
        epsilon=1e-8,
        epochs=25,
        test_split=0.2,
    )


def denoising_autoencoder() -> Project:
    b = _Builder()
    b.chain(
        ("input.image", "noisy", {"channels": 1, "height": 32, "width": 32}),
        _conv("enc1", 16),
        ("relu", "enc1_relu"),
        ("maxpool2d", "down", {"pool_size": [2, 2], "strides": [2, 2]}),
        _conv("enc2", 32),
        ("relu", "enc2_relu"),
        ("upsampling2d", "up", {"scale": [2, 2], "interpolation": "nearest"}),
        _conv("dec1", 16),
        ("relu", "dec1_relu"),
        _conv("dec2", 1),
        ("output.regression", "clean"),
    )
    return b.project(
        "Denoising autoencoder",
        "A convolutional autoencoder learns to remove noise: noisy 32×32 shapes in, clean shapes out "
        "(per-pixel regression, mean squared error).",
        dataset="npz",
        dataset_path="../data/shapes_denoise.npz",
        learning_rate=0.002,
        epsilon=1e-8,
        batch_size=16,
        epochs=20,
    )


def unet_segmenter() -> Project:
    b = _Builder()
    skip = b.chain(
        ("input.image", "images", {"channels": 1, "height": 32, "width": 32}),
        _conv("enc", 16),
        ("relu", "enc_relu"),
    )
    deep = b.chain(
        skip,
        ("maxpool2d", "down", {"pool_size": [2, 2], "strides": [2, 2]}),
        _conv("mid", 32),
        ("relu", "mid_relu"),
        ("upsampling2d", "up", {"scale": [2, 2], "interpolation": "nearest"}),
    )
    cat = b.add("concatenate", "skip", axis=1)
    b.graph.connect(skip, "out", cat, "in")
    b.graph.connect(deep, "out", cat, "in")
    b.chain(
        cat,
        _conv("dec", 16),
        ("relu", "dec_relu"),
        _conv("scores", 4, 1),
        ("output.classification", "mask"),
    )
    return b.project(
        "Tiny U-Net",
        "Segmentation: every pixel of a 32×32 image is classified as background, circle, square or triangle. "
        "One down step, one up step and a skip connection joined by Concatenate.",
        dataset="npz",
        dataset_path="../data/shapes_masks.npz",
        learning_rate=0.003,
        epsilon=1e-8,
        epochs=15,
    )


def audio_cnn() -> Project:
    b = _Builder()
    b.chain(
        ("input.signal", "audio", {"channels": 1, "length": 2000}),
        ("conv1d", "conv1", {"filters": 16, "kernel_size": 9, "stride": 2, "padding": [4, 4]}),
        ("relu", "relu1"),
        ("maxpool1d", "pool1", {"pool_size": 4, "stride": 4}),
        ("conv1d", "conv2", {"filters": 32, "kernel_size": 9, "padding": [4, 4]}),
        ("relu", "relu2"),
        ("maxpool1d", "pool2", {"pool_size": 4, "stride": 4}),
        ("global_avg_pool", "gap"),
        ("dense", "scores", {"units": 4}),
        ("output.classification", "sound"),
    )
    return b.project(
        "Audio 1-D CNN",
        "Speech-recognition style: a 1-D CNN tells four kinds of sound apart (low and high tones, rising and "
        "falling chirps) from 0.25 s WAV files resampled to 8 kHz.",
        dataset="audio_folder",
        dataset_path="../data/tones",
        sample_rate=8000,
        learning_rate=0.003,
        epsilon=1e-8,
        batch_size=8,
        epochs=30,
        test_split=0.25,
    )


def binary_moons() -> Project:
    b = _Builder()
    b.chain(
        ("input.vector", "point", {"features": 2}),
        ("dense", "hidden1", {"units": 16, "activation": "tanh"}),
        ("dense", "hidden2", {"units": 16, "activation": "tanh"}),
        ("dense", "score", {"units": 1}),
        ("output.binary", "upper_moon"),
    )
    return b.project(
        "Binary classifier",
        "Two interleaving half moons: one logit per point, binary cross-entropy on 0/1 labels.",
        dataset="moons",
        samples=1000,
        noise=0.15,
        learning_rate=0.01,
        epochs=40,
    )


EXAMPLES: dict[str, Callable[[], Project]] = {
    "mnist_mlp": mnist_mlp,
    "digits_mlp": digits_mlp,
    "char_lstm": char_lstm,
    "small_cnn": small_cnn,
    "spiral": spiral,
    "residual_block": residual_block,
    "two_branch": two_branch,
    "text_classifier": text_classifier,
    "denoising_autoencoder": denoising_autoencoder,
    "unet_segmenter": unet_segmenter,
    "audio_cnn": audio_cnn,
    "binary_moons": binary_moons,
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
