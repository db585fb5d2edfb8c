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


def transformer_classifier() -> Project:
    """A one-block Transformer encoder built from primitives: attention, residual Adds, LayerNorm, MLP."""
    path = DATA_DIR / "sentences.csv"
    info = describe({"kind": "text_classes", "path": str(path), "tokens": "char"})
    b, g = _Builder(), None
    g = b.graph
    chars = b.add("input.tokens", "chars", steps=48, vocab_size=info.vocab + 2)
    embed = b.chain(chars, ("embedding", "embed", {"input_dim": info.vocab + 2, "output_dim": 32}))
    pos = b.chain(embed, ("positional_embedding", "positions"))
    attn = b.add("multi_head_attention", "self_attention", num_heads=4)
    g.connect(pos, "out", attn, "query")
    g.connect(chars, "out", attn, "mask")  # padding (id 0) is not attended
    res1 = b.add("add", "residual1")
    g.connect(pos, "out", res1, "in")
    g.connect(attn, "out", res1, "in")
    norm1 = b.chain(res1, ("layer_norm", "norm1"))
    ff = b.chain(
        norm1,
        ("dense", "feed_forward", {"units": 64, "activation": "relu"}),
        ("dense", "feed_forward_out", {"units": 32}),
    )
    res2 = b.add("add", "residual2")
    g.connect(norm1, "out", res2, "in")
    g.connect(ff, "out", res2, "in")
    b.chain(
        res2,
        ("layer_norm", "norm2"),
        ("global_avg_pool", "average"),
        ("dropout", "dropout", {"rate": 0.1}),
        ("dense", "scores", {"units": info.num_classes}),
        ("output.classification", "topic"),
    )
    return b.project(
        "Transformer classifier",
        "A Transformer encoder block from primitives: Embedding + learned positions → masked multi-head "
        "self-attention → Add & LayerNorm → feed-forward → Add & LayerNorm → average → topic. The same "
        "400 English and Chinese sentences as the LSTM text classifier.",
        dataset="text_classes",
        dataset_path="../data/sentences.csv",
        tokens="char",
        learning_rate=0.002,
        epsilon=1e-8,
        epochs=30,
        test_split=0.2,
    )


def mobilenet_block() -> Project:
    """MobileNetV2's inverted residual: expand (1×1) → depthwise 3×3 → project (1×1), added to its input."""
    b = _Builder()
    stem = b.chain(
        ("input.image", "images", {"channels": 1, "height": 8, "width": 8}),
        _conv("stem", 16),
        ("batch_norm", "stem_bn"),
        ("relu6", "stem_relu6"),
    )
    block = b.chain(
        stem,
        ("conv2d", "expand", {"filters": 64, "kernel_size": [1, 1], "use_bias": False}),
        ("batch_norm", "expand_bn"),
        ("relu6", "expand_relu6"),
        ("depthwise_conv2d", "depthwise", {"kernel_size": [3, 3], "padding": [1, 1, 1, 1], "use_bias": False}),
        ("batch_norm", "depthwise_bn"),
        ("relu6", "depthwise_relu6"),
        ("conv2d", "project", {"filters": 16, "kernel_size": [1, 1], "use_bias": False}),
        ("batch_norm", "project_bn"),
    )
    add = b.add("add", "residual")
    b.graph.connect(stem, "out", add, "in")
    b.graph.connect(block, "out", add, "in")
    b.chain(
        add,
        ("global_avg_pool", "gap"),
        ("dense", "scores", {"units": 10}),
        ("output.classification", "digit"),
    )
    return b.project(
        "MobileNet block",
        "MobileNetV2's inverted residual block: a 1×1 convolution expands 16 channels to 64, a depthwise 3×3 "
        "convolution filters each channel alone, a 1×1 convolution projects back to 16, and the input is "
        "added back; batch norm and ReLU6 in between. On the 8×8 digits.",
        dataset="digits",
        epochs=15,
        learning_rate=0.003,
    )


def squeeze_excitation() -> Project:
    """A squeeze-and-excitation block: per-channel weights from a global average, multiplied back (broadcast)."""
    b = _Builder()
    features = b.chain(
        ("input.image", "images", {"channels": 1, "height": 8, "width": 8}),
        _conv("conv1", 32),
        ("relu", "relu1"),
    )
    gate = b.chain(
        features,
        ("global_avg_pool", "squeeze"),
        ("dense", "reduce", {"units": 8, "activation": "relu"}),
        ("dense", "excite", {"units": 32, "activation": "sigmoid"}),
        ("reshape", "to_channels", {"target_shape": [32, 1, 1]}),
    )
    scale = b.add("multiply", "scale")
    b.graph.connect(features, "out", scale, "in")
    b.graph.connect(gate, "out", scale, "in")  # (32, 8, 8) × (32, 1, 1): broadcast over the pixels
    b.chain(
        scale,
        ("maxpool2d", "pool", {"pool_size": [2, 2], "strides": [2, 2]}),
        ("flatten", "flatten"),
        ("dense", "scores", {"units": 10}),
        ("output.classification", "digit"),
    )
    return b.project(
        "Squeeze-and-excitation",
        "A squeeze-and-excitation block (SENet): global average → Dense 8 → Dense 32 sigmoid gives one weight "
        "per channel, reshaped to (32, 1, 1) and multiplied with the (32, 8, 8) feature map by broadcasting.",
        dataset="digits",
        epochs=10,
        learning_rate=0.003,
    )


def gan_moons() -> Project:
    """A GAN on 2-D points: the generator learns to draw the two-moons distribution from noise."""
    b = _Builder()
    b.chain(
        ("input.noise", "noise", {"size": 4}),
        ("dense", "g_hidden1", {"units": 64, "activation": "relu"}),
        ("dense", "g_hidden2", {"units": 64, "activation": "relu"}),
        ("dense", "g_points", {"units": 2}),
        ("output.generated", "points"),
    )
    b.chain(
        ("input.vector", "samples", {"features": 2}),
        ("dense", "d_hidden1", {"units": 64}),
        ("leaky_relu", "d_relu1", {"negative_slope": 0.2}),
        ("dense", "d_hidden2", {"units": 64}),
        ("leaky_relu", "d_relu2", {"negative_slope": 0.2}),
        ("dense", "d_score", {"units": 1}),
        ("output.binary", "real_or_fake"),
    )
    return b.project(
        "GAN on two moons",
        "A generative adversarial network: the generator (noise → Dense → 2-D point) learns to draw the "
        "two-moons points while the discriminator (point → Dense → real or fake?) learns to tell its points "
        "from real ones; the two train in turns. The app draws the generated points over the real ones.",
        dataset="moons",
        samples=2000,
        noise=0.05,
        epochs=60,
        batch_size=64,
        learning_rate=0.001,
        beta1=0.5,
    )


def gan_digits() -> Project:
    """A small GAN on the 8×8 digits: dense generator with a tanh image, dense discriminator."""
    b = _Builder()
    b.chain(
        ("input.noise", "noise", {"size": 16}),
        ("dense", "g_hidden", {"units": 128, "activation": "relu"}),
        ("dense", "g_pixels", {"units": 64, "activation": "tanh"}),
        ("reshape", "g_image", {"target_shape": [1, 8, 8]}),
        ("output.generated", "digits"),
    )
    b.chain(
        ("input.image", "images", {"channels": 1, "height": 8, "width": 8}),
        ("flatten", "d_flatten"),
        ("dense", "d_hidden", {"units": 128}),
        ("leaky_relu", "d_relu", {"negative_slope": 0.2}),
        ("dense", "d_score", {"units": 1}),
        ("output.binary", "real_or_fake"),
    )
    gen = b.graph.find_by_name("digits")
    b.graph.set_param(gen.id, "label_smoothing", 0.1)
    return b.project(
        "GAN on digits",
        "A generative adversarial network on the bundled 8×8 digits: the generator turns 16 random numbers "
        "into an image (tanh, so real images are scaled to −1…1), the discriminator tells real from generated; "
        "one-sided label smoothing 0.1. The app shows a grid of generated digits after every epoch.",
        dataset="digits",
        epochs=200,
        batch_size=64,
        learning_rate=0.0005,
        beta1=0.5,
    )


def two_input_digits() -> Project:
    """Two Inputs: the digit image through a small CNN, its row and column ink through a Dense layer."""
    b = _Builder()
    g = b.graph
    cnn = b.chain(
        ("input.image", "image", {"channels": 1, "height": 8, "width": 8}),
        _conv("conv", 16),
        ("relu", "conv_relu"),
        ("maxpool2d", "pool", {"pool_size": [2, 2], "strides": [2, 2]}),
        ("flatten", "flatten"),
    )
    mlp = b.chain(
        ("input.vector", "profile", {"features": 16}),
        ("dense", "profile_features", {"units": 32, "activation": "relu"}),
    )
    join = b.add("concatenate", "join", axis=-1)
    g.connect(cnn, "out", join, "in")
    g.connect(mlp, "out", join, "in")
    b.chain(join, ("dense", "hidden", {"units": 64, "activation": "relu"}), ("dense", "scores", {"units": 10}))
    b.chain(b.graph.find_by_name("scores").id, ("output.classification", "digit"))
    return b.project(
        "Two-input digits",
        "Two Inputs: the 8×8 image through a convolution, and its 16 row and column ink sums through Dense; "
        "the two views are concatenated and classified. Data: digits_views.npz (arrays image, profile, digit).",
        dataset="npz",
        dataset_path="../data/digits_views.npz",
        epochs=15,
    )


def multi_task_digits() -> Project:
    """One shared CNN, two heads: the digit (classification) and its mean ink (regression), weighted."""
    b = _Builder()
    shared = b.chain(
        ("input.image", "image", {"channels": 1, "height": 8, "width": 8}),
        _conv("conv1", 16),
        ("relu", "relu1"),
        ("maxpool2d", "pool", {"pool_size": [2, 2], "strides": [2, 2]}),
        ("flatten", "flatten"),
        ("dense", "shared", {"units": 64, "activation": "relu"}),
    )
    scores = b.chain(shared, ("dense", "scores", {"units": 10}))
    b.chain(scores, ("output.classification", "digit"))
    ink = b.chain(shared, ("dense", "ink_value", {"units": 1}))
    b.chain(ink, ("output.regression", "ink", {"loss_weight": 10.0}))
    return b.project(
        "Multi-task digits",
        "One shared CNN with two heads trained together: the digit (cross-entropy) and the image's mean ink "
        "(mean squared error, loss weight 10). Data: digits_views.npz (arrays image, digit, ink).",
        dataset="npz",
        dataset_path="../data/digits_views.npz",
        epochs=15,
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
    "transformer_classifier": transformer_classifier,
    "mobilenet_block": mobilenet_block,
    "squeeze_excitation": squeeze_excitation,
    "two_input_digits": two_input_digits,
    "multi_task_digits": multi_task_digits,
    "gan_moons": gan_moons,
    "gan_digits": gan_digits,
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
