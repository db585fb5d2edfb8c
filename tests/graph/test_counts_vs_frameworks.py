"""Catalog shapes and parameter counts checked against real PyTorch and Keras layers.

Each case builds the layer in both frameworks the way an emitter would (PyTorch channels-first, Keras
channels-last with explicit padding layers), runs a batch of 2 zeros through it, and compares the output
shape (after the layout map) and the trainable / non-trainable parameter counts with the catalog.
"""

from __future__ import annotations

import math
import os
from types import SimpleNamespace

import numpy as np
import pytest

from graph.catalog import default_catalog
from graph.spec import ShapeError
from graph.tensors import TensorType, image, sequence, signal, tokens, vector

pytestmark = pytest.mark.frameworks

CATALOG = default_catalog()
BATCH = 2


@pytest.fixture(scope="module")
def fw():
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    torch = pytest.importorskip("torch")
    keras = pytest.importorskip("keras")
    torch.manual_seed(0)
    return SimpleNamespace(torch=torch, nn=torch.nn, F=torch.nn.functional, keras=keras, L=keras.layers, ops=keras.ops)


# ----------------------------------------------------------------------------- layouts and tensors


def keras_dims(t: TensorType) -> tuple:
    """Per-sample dims as Keras stores them: channels-first layouts move the channels last."""
    dims = t.dims[1:]
    return dims[1:] + dims[:1] if t.channels_first else dims


def keras_axis(t: TensorType, axis: int) -> int:
    """Map a channels-first logical axis to the Keras axis (EQUIVALENCE §2.10)."""
    axis = axis % t.rank
    if not t.channels_first:
        return axis
    return -1 if axis == 1 else axis - 1


def torch_zeros(fw, t: TensorType):
    dtype = fw.torch.long if t.dtype == "int64" else fw.torch.float32
    return fw.torch.zeros((BATCH, *t.dims[1:]), dtype=dtype)


def keras_zeros(t: TensorType):
    return np.zeros((BATCH, *keras_dims(t)), dtype="int64" if t.dtype == "int64" else "float32")


def numel(weights) -> int:
    return sum(math.prod(w.shape) for w in weights)


# ----------------------------------------------------------------------------- torch builders


def _fn(fw, f):
    class Fn(fw.nn.Module):
        def forward(self, x):
            return f(x)

    return Fn()


def _rnn(fw, cls, p, x, single_bias, **kw):
    class Rnn(fw.nn.Module):
        def __init__(self):
            super().__init__()
            self.bi = p.get("bidirectional", False)
            self.rnn = cls(x.last, p["units"], batch_first=True, bidirectional=self.bi, **kw)
            if single_bias:  # the graph's LSTM/SimpleRNN has one bias: bias_hh is zero and frozen (EQUIVALENCE §4.6)
                for name, w in self.rnn.named_parameters():
                    if name.startswith("bias_hh"):
                        w.data.zero_()
                        w.requires_grad_(False)

        def forward(self, inp):
            out, state = self.rnn(inp)
            if p["return_sequences"]:
                return out
            h_n = state[0] if isinstance(state, tuple) else state
            return fw.torch.cat([h_n[-2], h_n[-1]], 1) if self.bi else h_n[-1]

    return Rnn()


def _torch_conv2d(fw, p, x):
    t, b, left, right = p["padding"]
    conv = fw.nn.Conv2d(
        x.dims[1], p["filters"], p["kernel_size"], p["strides"], 0, p["dilation"], p["groups"], p["use_bias"]
    )
    return fw.nn.Sequential(fw.nn.ZeroPad2d((left, right, t, b)), conv)


def _torch_conv1d(fw, p, x):
    conv = fw.nn.Conv1d(x.dims[1], p["filters"], p["kernel_size"], p["stride"], 0, p["dilation"], bias=p["use_bias"])
    return fw.nn.Sequential(fw.nn.ConstantPad1d(tuple(p["padding"]), 0.0), conv)


def _torch_transpose(fw, p, x):
    t, b, left, right = p["padding"]
    symmetric = t == b and left == right
    conv = fw.nn.ConvTranspose2d(
        x.dims[1],
        p["filters"],
        p["kernel_size"],
        p["strides"],
        padding=(t, left) if symmetric else 0,
        output_padding=p["output_padding"],
        bias=p["use_bias"],
        dilation=p["dilation"],
    )
    if symmetric:
        return conv
    crop = _fn(fw, lambda y: y[:, :, t : y.shape[2] - b, left : y.shape[3] - right])
    return fw.nn.Sequential(conv, crop)


def _torch_pool(cls):
    def build(fw, p, x):
        pad = p["padding"]
        if pad[0::2] != pad[1::2]:
            return None  # PyTorch pooling pads symmetrically only
        kw = {"count_include_pad": p["count_include_pad"]} if "count_include_pad" in p else {}
        k, s = p["pool_size"], p.get("strides", p.get("stride"))
        return getattr(fw.nn, cls)(k, s, padding=pad[0::2] if len(pad) == 4 else pad[0], ceil_mode=p["ceil_mode"], **kw)

    return build


def _torch_global(reduce):
    def build(fw, p, x):
        dims = tuple(range(2, x.rank))
        return _fn(fw, lambda y: getattr(y, reduce)(dims))

    return build


def _torch_batch_norm(fw, p, x):
    cls = fw.nn.BatchNorm2d if x.rank == 4 else fw.nn.BatchNorm1d
    return cls(x.dims[1], eps=p["epsilon"], momentum=p["momentum"])


TORCH = {
    "dense": lambda fw, p, x: fw.nn.Linear(x.last, p["units"], p["use_bias"]),
    "flatten": lambda fw, p, x: fw.nn.Flatten(),
    "reshape": lambda fw, p, x: _fn(fw, lambda y: y.reshape(BATCH, *p["target_shape"])),
    "permute": lambda fw, p, x: _fn(fw, lambda y: y.permute(0, *p["order"])),
    "dropout": lambda fw, p, x: fw.nn.Dropout(p["rate"]),
    "conv2d": _torch_conv2d,
    "conv1d": _torch_conv1d,
    "conv2d_transpose": _torch_transpose,
    "upsampling2d": lambda fw, p, x: fw.nn.Upsample(scale_factor=tuple(p["scale"]), mode=p["interpolation"]),
    "zero_padding2d": lambda fw, p, x: fw.nn.ZeroPad2d(tuple(p["padding"][i] for i in (2, 3, 0, 1))),
    "maxpool1d": _torch_pool("MaxPool1d"),
    "maxpool2d": _torch_pool("MaxPool2d"),
    "avgpool2d": _torch_pool("AvgPool2d"),
    "global_avg_pool": _torch_global("mean"),
    "global_max_pool": _torch_global("amax"),
    "batch_norm": _torch_batch_norm,
    "layer_norm": lambda fw, p, x: fw.nn.LayerNorm(x.last, eps=p["epsilon"]),
    "embedding": lambda fw, p, x: fw.nn.Embedding(p["input_dim"], p["output_dim"]),
    "simple_rnn": lambda fw, p, x: _rnn(fw, fw.nn.RNN, p, x, True, nonlinearity=p["activation"]),
    "lstm": lambda fw, p, x: _rnn(fw, fw.nn.LSTM, p, x, True),
    "gru": lambda fw, p, x: _rnn(fw, fw.nn.GRU, p, x, False),
    "relu": lambda fw, p, x: fw.nn.ReLU(),
    "leaky_relu": lambda fw, p, x: fw.nn.LeakyReLU(p["negative_slope"]),
    "sigmoid": lambda fw, p, x: fw.nn.Sigmoid(),
    "tanh": lambda fw, p, x: fw.nn.Tanh(),
    "softmax": lambda fw, p, x: fw.nn.Softmax(p["axis"]),
    "gelu": lambda fw, p, x: fw.nn.GELU(p["approximate"]),
    "elu": lambda fw, p, x: fw.nn.ELU(p["alpha"]),
    "silu": lambda fw, p, x: fw.nn.SiLU(),
    "softplus": lambda fw, p, x: fw.nn.Softplus(),
    "add": lambda fw, p, xs: _fn(fw, lambda ys: sum(ys[1:], ys[0])),
    "multiply": lambda fw, p, xs: _fn(fw, lambda ys: math.prod(ys[1:], start=ys[0])),
    "concatenate": lambda fw, p, xs: _fn(fw, lambda ys: fw.torch.cat(ys, p["axis"])),
}


# ----------------------------------------------------------------------------- keras builders


class Chain:
    """Keras layers (or plain functions) applied in turn; counts the weights of the layers."""

    def __init__(self, *steps, jit: bool = False):
        self.steps = steps
        self.jit = jit

    def __call__(self, x):
        if self.jit:
            import tensorflow as tf

            return tf.function(self._run, jit_compile=True)(x)
        return self._run(x)

    def _run(self, x):
        for step in self.steps:
            x = step(x)
        return x

    def counts(self) -> tuple[int, int]:
        layers = [s for s in self.steps if hasattr(s, "trainable_weights")]
        return sum(numel(s.trainable_weights) for s in layers), sum(numel(s.non_trainable_weights) for s in layers)


def _pairs(pad):
    return ((pad[0], pad[1]), (pad[2], pad[3]))


def _keras_conv2d(fw, p, x):
    conv = fw.L.Conv2D(
        p["filters"], p["kernel_size"], p["strides"], "valid", dilation_rate=p["dilation"], groups=p["groups"],
        use_bias=p["use_bias"],
    )  # fmt: skip
    return Chain(fw.L.ZeroPadding2D(_pairs(p["padding"])), conv)


def _keras_conv1d(fw, p, x):
    conv = fw.L.Conv1D(p["filters"], p["kernel_size"], p["stride"], "valid", dilation_rate=p["dilation"],
                       use_bias=p["use_bias"])  # fmt: skip
    return Chain(fw.L.ZeroPadding1D(tuple(p["padding"])), conv)


def _keras_transpose(fw, p, x):
    """EQUIVALENCE §2.5: 'valid' + output_padding, then crop the PyTorch padding."""
    conv = fw.L.Conv2DTranspose(
        p["filters"], p["kernel_size"], p["strides"], "valid", output_padding=p["output_padding"],
        dilation_rate=p["dilation"], use_bias=p["use_bias"],
    )  # fmt: skip
    # TF's CPU kernel refuses dilation > 1 for transposed convolutions; XLA compiles it (measured, Keras 3.15).
    return Chain(conv, fw.L.Cropping2D(_pairs(p["padding"])), jit=max(p["dilation"]) > 1)


def _ceil_extra(size, k, s, before, after, ceil):
    """Extra right padding that makes a 'valid' pool produce PyTorch's ceil_mode size (EQUIVALENCE §2.6)."""
    if not ceil:
        return 0
    out = -(-(size + before + after - k) // s) + 1
    if (out - 1) * s >= size + before:
        out -= 1
    return max((out - 1) * s + k - (size + before + after), 0)


def _keras_maxpool(fw, p, x):
    ks = p["pool_size"] if isinstance(p["pool_size"], list) else [p["pool_size"]]
    ss = p["strides"] if "strides" in p else [p["stride"]]
    pads = [[0, 0]]
    for axis, (k, s) in enumerate(zip(ks, ss, strict=True)):
        before, after = p["padding"][2 * axis], p["padding"][2 * axis + 1]
        pads.append([before, after + _ceil_extra(x.dims[2 + axis], k, s, before, after, p["ceil_mode"])])
    pads.append([0, 0])
    pad = lambda y: fw.ops.pad(y, pads, constant_values=float("-inf"))
    pool = (fw.L.MaxPooling2D if len(ks) == 2 else fw.L.MaxPooling1D)(ks, ss, "valid")
    return Chain(pad, pool)


def _keras_avgpool(fw, p, x):
    if p["ceil_mode"] or not p["count_include_pad"]:
        return None  # needs a custom sum/count layer in Keras (EQUIVALENCE §2.7)
    return Chain(fw.L.ZeroPadding2D(_pairs(p["padding"])), fw.L.AveragePooling2D(p["pool_size"], p["strides"]))


def _keras_global(kind):
    def build(fw, p, x):
        return Chain(getattr(fw.L, f"Global{kind}Pooling{x.rank - 2}D")())

    return build


def _keras_rnn(cls_name, **kw):
    def build(fw, p, x):
        extra = {"activation": p["activation"]} if "activation" in p else {}
        layer = getattr(fw.L, cls_name)(p["units"], return_sequences=p["return_sequences"], **extra, **kw)
        return Chain(fw.L.Bidirectional(layer) if p.get("bidirectional") else layer)

    return build


def _one(factory):
    return lambda fw, p, x: Chain(factory(fw, p, x))


KERAS = {
    "dense": _one(lambda fw, p, x: fw.L.Dense(p["units"], use_bias=p["use_bias"], activation=p["activation"])),
    "flatten": _one(lambda fw, p, x: fw.L.Flatten()),
    "reshape": _one(lambda fw, p, x: fw.L.Reshape(p["target_shape"])),
    "permute": _one(lambda fw, p, x: fw.L.Permute(p["order"])),
    "dropout": _one(lambda fw, p, x: fw.L.Dropout(p["rate"])),
    "conv2d": _keras_conv2d,
    "conv1d": _keras_conv1d,
    "conv2d_transpose": _keras_transpose,
    "upsampling2d": _one(lambda fw, p, x: fw.L.UpSampling2D(p["scale"], interpolation=p["interpolation"])),
    "zero_padding2d": _one(lambda fw, p, x: fw.L.ZeroPadding2D(_pairs(p["padding"]))),
    "maxpool1d": _keras_maxpool,
    "maxpool2d": _keras_maxpool,
    "avgpool2d": _keras_avgpool,
    "global_avg_pool": _keras_global("Average"),
    "global_max_pool": _keras_global("Max"),
    "batch_norm": _one(
        lambda fw, p, x: fw.L.BatchNormalization(axis=-1, epsilon=p["epsilon"], momentum=1 - p["momentum"])
    ),
    "layer_norm": _one(lambda fw, p, x: fw.L.LayerNormalization(axis=-1, epsilon=p["epsilon"])),
    "embedding": _one(lambda fw, p, x: fw.L.Embedding(p["input_dim"], p["output_dim"])),
    "simple_rnn": _keras_rnn("SimpleRNN"),
    "lstm": _keras_rnn("LSTM"),
    "gru": _keras_rnn("GRU", reset_after=True),
    "relu": _one(lambda fw, p, x: fw.L.ReLU()),
    "leaky_relu": _one(lambda fw, p, x: fw.L.LeakyReLU(negative_slope=p["negative_slope"])),
    "sigmoid": _one(lambda fw, p, x: fw.L.Activation("sigmoid")),
    "tanh": _one(lambda fw, p, x: fw.L.Activation("tanh")),
    "softmax": _one(lambda fw, p, x: fw.L.Softmax(axis=keras_axis(x, p["axis"]))),
    "gelu": _one(lambda fw, p, x: fw.L.Activation("gelu")),
    "elu": _one(lambda fw, p, x: fw.L.ELU(p["alpha"])),
    "silu": _one(lambda fw, p, x: fw.L.Activation("silu")),
    "softplus": _one(lambda fw, p, x: fw.L.Activation("softplus")),
    "add": _one(lambda fw, p, xs: fw.L.Add()),
    "multiply": _one(lambda fw, p, xs: fw.L.Multiply()),
    "concatenate": _one(lambda fw, p, xs: fw.L.Concatenate(axis=keras_axis(xs[0], p["axis"]))),
}


# ----------------------------------------------------------------------------- cases

CASES = [
    ("dense", {"units": 6}, vector(10)),
    ("dense", {"units": 3, "use_bias": False}, sequence(4, 5)),
    ("flatten", {}, image(3, 4, 5)),
    ("reshape", {"target_shape": [3, 4]}, vector(12)),
    ("permute", {}, sequence(5, 7)),
    ("dropout", {}, image(3, 4, 5)),
    ("conv2d", {"filters": 4}, image(3, 12, 12)),
    ("conv2d", {"filters": 4, "strides": [2, 2], "padding": [1, 1, 1, 1]}, image(3, 12, 11)),
    ("conv2d", {"filters": 4, "strides": [2, 1], "padding": [0, 1, 2, 0], "kernel_size": [3, 2]}, image(3, 8, 9)),
    ("conv2d", {"filters": 4, "dilation": [2, 2], "padding": [2, 2, 2, 2]}, image(3, 9, 9)),
    ("conv2d", {"filters": 6, "groups": 3, "use_bias": False}, image(6, 7, 7)),
    ("conv1d", {"filters": 4}, signal(4, 20)),
    ("conv1d", {"filters": 4, "stride": 2, "padding": [1, 2]}, signal(4, 20)),
    ("conv1d", {"filters": 4, "dilation": 3, "use_bias": False}, signal(2, 20)),
    ("conv2d_transpose", {"filters": 3}, image(4, 5, 5)),
    ("conv2d_transpose", {"kernel_size": [3, 3], "padding": [1, 1, 1, 1], "output_padding": [1, 1]}, image(4, 5, 6)),
    ("conv2d_transpose", {"kernel_size": [3, 3], "strides": [1, 1], "dilation": [2, 2]}, image(4, 5, 5)),
    ("conv2d_transpose", {"kernel_size": [4, 4], "padding": [1, 1, 1, 1], "use_bias": False}, image(2, 4, 4)),
    ("conv2d_transpose", {"kernel_size": [3, 3], "padding": [0, 1, 2, 0], "output_padding": [1, 0]}, image(2, 4, 4)),
    ("upsampling2d", {"scale": [2, 3]}, image(3, 4, 5)),
    ("upsampling2d", {"interpolation": "bilinear"}, image(3, 4, 5)),
    ("zero_padding2d", {"padding": [0, 2, 1, 0]}, image(3, 4, 5)),
    ("maxpool1d", {}, signal(3, 11)),
    ("maxpool1d", {"pool_size": 3, "padding": [1, 1], "ceil_mode": True}, signal(3, 10)),
    ("maxpool2d", {}, image(3, 9, 9)),
    ("maxpool2d", {"pool_size": [3, 3], "padding": [1, 1, 1, 1], "ceil_mode": True}, image(2, 8, 7)),
    ("maxpool2d", {"ceil_mode": True}, image(2, 7, 7)),
    ("maxpool2d", {"pool_size": [2, 2], "strides": [3, 3], "padding": [1, 1, 1, 1], "ceil_mode": True}, image(2, 4, 5)),
    ("avgpool2d", {}, image(3, 9, 9)),
    ("avgpool2d", {"pool_size": [3, 3], "padding": [1, 1, 1, 1]}, image(3, 7, 8)),
    ("avgpool2d", {"pool_size": [3, 3], "padding": [1, 1, 1, 1], "count_include_pad": False}, image(3, 7, 8)),
    ("avgpool2d", {"pool_size": [3, 3], "padding": [1, 1, 1, 1], "ceil_mode": True}, image(3, 6, 6)),
    ("global_avg_pool", {}, image(5, 3, 4)),
    ("global_avg_pool", {}, signal(5, 6)),
    ("global_max_pool", {}, image(5, 3, 4)),
    ("global_max_pool", {}, signal(5, 6)),
    ("batch_norm", {}, vector(6)),
    ("batch_norm", {}, signal(4, 5)),
    ("batch_norm", {"momentum": 0.01, "epsilon": 1e-3}, image(3, 4, 4)),
    ("layer_norm", {}, sequence(5, 6)),
    ("layer_norm", {}, vector(7)),
    ("embedding", {"input_dim": 50, "output_dim": 8}, tokens(9)),
    ("simple_rnn", {"units": 7}, sequence(6, 5)),
    ("simple_rnn", {"units": 7, "activation": "relu", "return_sequences": True}, sequence(6, 5)),
    ("lstm", {"units": 7}, sequence(6, 5)),
    ("lstm", {"units": 7, "bidirectional": True}, sequence(6, 5)),
    ("lstm", {"units": 3, "bidirectional": True, "return_sequences": True}, sequence(6, 5)),
    ("gru", {"units": 7}, sequence(6, 5)),
    ("gru", {"units": 7, "bidirectional": True}, sequence(6, 5)),
    ("gru", {"units": 3, "return_sequences": True}, sequence(6, 5)),
    ("relu", {}, image(2, 3, 3)),
    ("leaky_relu", {}, vector(5)),
    ("sigmoid", {}, vector(5)),
    ("tanh", {}, sequence(3, 4)),
    ("softmax", {}, vector(5)),
    ("softmax", {"axis": 1}, image(4, 3, 3)),
    ("gelu", {}, vector(5)),
    ("elu", {}, vector(5)),
    ("silu", {}, vector(5)),
    ("softplus", {}, vector(5)),
    ("add", {}, [image(3, 4, 4), image(3, 4, 4)]),
    ("multiply", {}, [vector(5), vector(5), vector(5)]),
    ("concatenate", {}, [image(3, 4, 4), image(2, 4, 4)]),
    ("concatenate", {"axis": 2}, [image(3, 4, 4), image(3, 2, 4)]),
    ("concatenate", {"axis": -1}, [sequence(4, 3), sequence(4, 2)]),
    ("concatenate", {}, [signal(3, 4), signal(1, 4)]),
]


def _case_id(case):
    type_id, params, _ = case
    return type_id + "".join(f"-{k}={v}" for k, v in params.items()).replace(" ", "")


def test_every_layer_has_a_framework_case():
    covered = {type_id for type_id, _, _ in CASES}
    layers = {s.type_id for s in CATALOG if not s.is_input and not s.is_head}
    assert layers == covered == set(TORCH) == set(KERAS)


@pytest.mark.parametrize("case", CASES, ids=[_case_id(c) for c in CASES])
def test_catalog_matches_frameworks(fw, case):
    type_id, overrides, x = case
    spec = CATALOG[type_id]
    params = {**spec.defaults(), **overrides}
    out = spec.infer(params, {"in": x})["out"]
    trainable, frozen = spec.count(params, {"in": x})
    xs = x if isinstance(x, list) else [x]

    torch_layer = TORCH[type_id](fw, params, x)
    if torch_layer is not None:
        t_in = [torch_zeros(fw, t) for t in xs]
        with fw.torch.no_grad():
            y = torch_layer(t_in if isinstance(x, list) else t_in[0])
        assert tuple(y.shape) == (BATCH, *out.dims[1:]), "torch output shape"
        assert sum(w.numel() for w in torch_layer.parameters() if w.requires_grad) == trainable, "torch trainable"
        buffers = [b for name, b in torch_layer.named_buffers() if not name.endswith("num_batches_tracked")]
        assert sum(b.numel() for b in buffers) == frozen, "torch buffers"

    keras_layer = KERAS[type_id](fw, params, x)
    if keras_layer is not None:
        k_in = [keras_zeros(t) for t in xs]
        y = keras_layer(k_in if isinstance(x, list) else k_in[0])
        assert tuple(y.shape) == (BATCH, *keras_dims(out)), "keras output shape"
        assert keras_layer.counts() == (trainable, frozen), "keras counts"
        total = sum(s.count_params() for s in keras_layer.steps if hasattr(s, "count_params"))
        assert total == trainable + frozen, "keras count_params"


# ----------------------------------------------------------------------------- sweeps and restrictions


def test_pool_sizes_match_torch_sweep(fw):
    """Every symmetric 1-D max/avg-pool configuration on small inputs, ceil_mode on and off."""
    spec = CATALOG["maxpool1d"]
    checked = 0
    for size in range(1, 12):
        for k in range(1, 5):
            for s in range(1, 4):
                for pad in range(0, k // 2 + 1):
                    if size + 2 * pad < k:
                        continue
                    x = fw.torch.zeros(1, 1, size)
                    for ceil in (False, True):
                        params = {"pool_size": k, "stride": s, "padding": [pad, pad], "ceil_mode": ceil}
                        want = spec.infer(params, {"in": signal(1, size)})["out"].dims[2]
                        got = fw.F.max_pool1d(x, k, s, pad, ceil_mode=ceil).shape[2]
                        avg = fw.F.avg_pool1d(x, k, s, pad, ceil_mode=ceil).shape[2]
                        assert want == got == avg, (size, k, s, pad, ceil)
                        checked += 1
    assert checked > 400


def test_transpose_sizes_match_torch_sweep(fw):
    spec = CATALOG["conv2d_transpose"]
    w = fw.torch.zeros(1, 1, 1, 1)
    for size in range(1, 6):
        for k in range(1, 5):
            for s in range(1, 4):
                for pad in range(0, 3):
                    for op in range(0, s):
                        params = {**spec.defaults(), "filters": 1, "kernel_size": [k, 1], "strides": [s, 1]}
                        params.update(padding=[pad, pad, 0, 0], output_padding=[op, 0])
                        try:
                            want = spec.infer(params, {"in": image(1, size, 1)})["out"].dims[2]
                        except ShapeError:
                            want = None
                        x = fw.torch.zeros(1, 1, size, 1)
                        try:
                            got = fw.F.conv_transpose2d(x, w.expand(1, 1, k, 1), None, (s, 1), (pad, 0), (op, 0))
                            got = got.shape[2]
                        except RuntimeError:
                            got = None
                        assert want == got, (size, k, s, pad, op)


def test_keras_refuses_what_the_catalog_refuses(fw):
    """The restrictions the catalog reports as 'Keras cannot express it' are real."""
    with pytest.raises(ValueError):
        fw.L.Conv2D(2, 3, strides=2, dilation_rate=2)
    with pytest.raises(ValueError):
        fw.L.Conv2DTranspose(2, 3, strides=2, dilation_rate=2)
    with pytest.raises(ValueError):
        fw.L.Conv2DTranspose(2, 3, strides=1, dilation_rate=2, output_padding=1)
    with pytest.raises(ValueError):
        fw.L.Conv2DTranspose(2, 3, strides=2, groups=2)
    # PyTorch accepts the first and third, which is why the catalog must say so
    fw.nn.Conv2d(1, 2, 3, stride=2, dilation=2)(fw.torch.zeros(1, 1, 9, 9))
    fw.nn.ConvTranspose2d(1, 2, 3, stride=1, dilation=2, output_padding=1)(fw.torch.zeros(1, 1, 4, 4))


def test_torch_refuses_large_pool_padding(fw):
    with pytest.raises(RuntimeError, match="half"):
        fw.F.max_pool2d(fw.torch.zeros(1, 1, 8, 8), 2, 2, padding=2)
    with pytest.raises(RuntimeError, match="half"):
        fw.F.avg_pool2d(fw.torch.zeros(1, 1, 8, 8), 3, 2, padding=2)
