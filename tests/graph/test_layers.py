"""Shape inference, parameter counts and shape errors of every layer spec in the default catalog."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from graph.catalog import CATEGORIES, default_catalog
from graph.layers._common import same_pads
from graph.spec import ShapeError
from graph.tensors import TensorType, image, sequence, signal, tokens, vector

CATALOG = default_catalog()


def run(type_id: str, x=None, **params):
    """Infer the output and the (trainable, non-trainable) count of one layer; ``x`` may be a list (variadic)."""
    spec = CATALOG[type_id]
    values = spec.defaults()
    values.update(params)
    assert spec.check_params(values) == []
    inputs = {} if x is None else {"in": x}
    out = spec.infer(values, inputs)
    return out.get("out"), spec.count(values, inputs)


def shape_error(type_id: str, x, **params) -> ShapeError:
    """The ShapeError a layer raises for ``x``; every one must carry a fix."""
    with pytest.raises(ShapeError) as info:
        run(type_id, x, **params)
    assert info.value.fix, f"{type_id}: ShapeError without a fix: {info.value.message}"
    return info.value


def seq_generic(t: int, f: int, dtype: str = "float32") -> TensorType:
    return TensorType((None, t, f), ("N", "T", "F"), dtype)


# type id -> (input for its defaults, expected output (None for heads), expected (trainable, non-trainable))
DEFAULTS = {
    "input.vector": (None, vector(2), (0, 0)),
    "input.image": (None, image(1, 28, 28), (0, 0)),
    "input.sequence": (None, sequence(32, 8), (0, 0)),
    "input.tokens": (None, tokens(64), (0, 0)),
    "input.signal": (None, signal(1, 128), (0, 0)),
    "dense": (vector(10), vector(64), (10 * 64 + 64, 0)),
    "flatten": (image(3, 4, 5), vector(60), (0, 0)),
    "reshape": (vector(12), seq_generic(1, 12), (0, 0)),
    "permute": (sequence(5, 7), sequence(7, 5), (0, 0)),
    "dropout": (image(3, 4, 5), image(3, 4, 5), (0, 0)),
    "conv2d": (image(3, 28, 28), image(32, 26, 26), (3 * 3 * 3 * 32 + 32, 0)),
    "conv1d": (signal(4, 50), signal(32, 48), (3 * 4 * 32 + 32, 0)),
    "conv2d_transpose": (image(8, 7, 7), image(16, 14, 14), (2 * 2 * 8 * 16 + 16, 0)),
    "upsampling2d": (image(3, 7, 5), image(3, 14, 10), (0, 0)),
    "zero_padding2d": (image(3, 7, 5), image(3, 9, 7), (0, 0)),
    "maxpool1d": (signal(4, 51), signal(4, 25), (0, 0)),
    "maxpool2d": (image(3, 28, 28), image(3, 14, 14), (0, 0)),
    "avgpool2d": (image(3, 7, 7), image(3, 3, 3), (0, 0)),
    "global_avg_pool": (image(16, 7, 7), vector(16), (0, 0)),
    "global_max_pool": (signal(16, 9), vector(16), (0, 0)),
    "batch_norm": (image(16, 7, 7), image(16, 7, 7), (32, 32)),
    "layer_norm": (sequence(10, 24), sequence(10, 24), (48, 0)),
    "embedding": (tokens(20), sequence(20, 32), (64 * 32, 0)),
    "simple_rnn": (sequence(10, 8), vector(64), (64 * (8 + 64) + 64, 0)),
    "lstm": (sequence(10, 8), vector(64), (4 * 64 * (8 + 64) + 4 * 64, 0)),
    "gru": (sequence(10, 8), vector(64), (3 * 64 * (8 + 64) + 6 * 64, 0)),
    "relu": (vector(5), vector(5), (0, 0)),
    "leaky_relu": (image(2, 3, 3), image(2, 3, 3), (0, 0)),
    "sigmoid": (vector(1), vector(1), (0, 0)),
    "tanh": (sequence(4, 3), sequence(4, 3), (0, 0)),
    "softmax": (vector(10), vector(10), (0, 0)),
    "gelu": (vector(5), vector(5), (0, 0)),
    "elu": (vector(5), vector(5), (0, 0)),
    "silu": (vector(5), vector(5), (0, 0)),
    "softplus": (vector(5), vector(5), (0, 0)),
    "add": ([image(8, 4, 4), image(8, 4, 4)], image(8, 4, 4), (0, 0)),
    "multiply": ([vector(4), vector(4), vector(4)], vector(4), (0, 0)),
    "concatenate": ([image(3, 4, 4), image(5, 4, 4)], image(8, 4, 4), (0, 0)),
    "output.classification": (vector(10), None, (0, 0)),
    "output.binary": (vector(1), None, (0, 0)),
    "output.multilabel": (vector(4), None, (0, 0)),
    "output.regression": (vector(3), None, (0, 0)),
}


# ----------------------------------------------------------------------------- the catalog as a whole


def test_catalog_has_enough_layers():
    ids = [spec.type_id for spec in CATALOG]
    assert len(ids) >= 65
    assert set(DEFAULTS) <= set(ids)


@pytest.mark.parametrize("type_id", sorted(DEFAULTS))
def test_defaults_shape_and_count(type_id):
    """Hand-computed shapes and counts for the first layers (the rest: verify against the frameworks)."""
    x, expected, count = DEFAULTS[type_id]
    out, got_count = run(type_id, x)
    assert out == expected
    assert got_count == count


@pytest.mark.parametrize("spec", list(CATALOG), ids=[s.type_id for s in CATALOG])
def test_spec_metadata(spec):
    assert spec.category in CATEGORIES
    assert spec.type_id == spec.type_id.lower() and " " not in spec.type_id
    assert spec.extra.get("base_name", "layer").isidentifier()
    if spec.category not in ("Input", "Core", "Output"):
        assert spec.formula, f"{spec.type_id}: every computing layer shows its formula"
    for example in spec.examples:
        values = spec.defaults() | example
        assert spec.check_params(values) == [], f"{spec.type_id} example {example}"


def test_merge_layers_have_one_variadic_port():
    for type_id in ("add", "multiply", "concatenate"):
        (port,) = CATALOG[type_id].inputs
        assert port.name == "in" and port.variadic


@pytest.mark.parametrize(
    "type_id, name, value",
    [
        ("conv2d", "kernel_size", [3]),
        ("conv2d", "padding", [1, 1, -1, 1]),
        ("conv2d", "padding", "same"),
        ("conv2d", "strides", [0, 1]),
        ("conv1d", "padding", [1]),
        ("upsampling2d", "interpolation", "bicubic"),
        ("upsampling2d", "scale", [1.5, 2]),
        ("maxpool2d", "ceil_mode", 1),
        ("lstm", "units", 0),
        ("batch_norm", "momentum", 1.5),
    ],
)
def test_invalid_param_values_are_refused(type_id, name, value):
    spec = CATALOG[type_id]
    values = spec.defaults()
    values[name] = value
    assert [n for n, _ in spec.check_params(values)] == [name]


# ----------------------------------------------------------------------------- convolution


@pytest.mark.parametrize(
    "params, expected, count",
    [
        ({"strides": [2, 2], "padding": [1, 1, 1, 1]}, image(32, 14, 14), 896),
        ({"strides": [2, 2], "padding": [0, 1, 0, 1]}, image(32, 14, 14), 896),
        ({"dilation": [2, 2]}, image(32, 24, 24), 896),
        ({"kernel_size": [5, 1], "padding": [2, 2, 0, 0]}, image(32, 28, 28), 5 * 3 * 32 + 32),
        ({"use_bias": False}, image(32, 26, 26), 864),
        ({"groups": 3, "filters": 12}, image(12, 26, 26), 3 * 3 * 1 * 12 + 12),
        ({"strides": [1, 3], "kernel_size": [1, 1]}, image(32, 28, 10), 3 * 32 + 32),
    ],
)
def test_conv2d_variants(params, expected, count):
    out, (trainable, frozen) = run("conv2d", image(3, 28, 28), **params)
    assert (out, trainable, frozen) == (expected, count, 0)


def test_conv2d_tf_same_padding_resolved_per_side():
    # TF 'same' with k3 s2 on 8 pixels pads 0 before and 1 after; stored explicitly, it gives TF's size.
    before, after = same_pads(8, 3, 2)
    out, _ = run("conv2d", image(1, 8, 8), strides=[2, 2], padding=[before, after, before, after])
    assert out.dims[2:] == (4, 4) and (before, after) == (0, 1)


@pytest.mark.parametrize(
    "params, expected, count",
    [
        ({"stride": 2, "padding": [1, 1]}, signal(32, 25), 416),
        ({"dilation": 4, "padding": [4, 4]}, signal(32, 50), 416),
        ({"kernel_size": 1, "use_bias": False, "filters": 8}, signal(8, 50), 32),
    ],
)
def test_conv1d_variants(params, expected, count):
    assert run("conv1d", signal(4, 50), **params) == (expected, (count, 0))


@pytest.mark.parametrize(
    "params, size, expected",
    [
        ({"kernel_size": [3, 3], "strides": [2, 2], "padding": [1, 1, 1, 1], "output_padding": [1, 1]}, 7, (14, 14)),
        ({"kernel_size": [3, 3], "strides": [1, 1], "dilation": [2, 2]}, 5, (9, 9)),
        ({"kernel_size": [4, 4], "strides": [2, 2], "padding": [1, 1, 1, 1]}, 8, (16, 16)),
        ({"kernel_size": [3, 3], "strides": [3, 3], "output_padding": [2, 0]}, 4, (14, 12)),
        ({"kernel_size": [3, 3], "strides": [2, 2], "padding": [0, 1, 2, 0]}, 4, (8, 7)),
    ],
)
def test_conv2d_transpose_variants(params, size, expected):
    out, _ = run("conv2d_transpose", image(8, size, size), **params)
    assert out == image(16, *expected)


def test_conv2d_transpose_count_without_bias():
    _, count = run("conv2d_transpose", image(8, 4, 4), kernel_size=[3, 3], use_bias=False, filters=5)
    assert count == (3 * 3 * 8 * 5, 0)


def test_upsampling_and_padding_variants():
    assert run("upsampling2d", image(2, 3, 4), scale=[1, 3], interpolation="bilinear")[0] == image(2, 3, 12)
    assert run("zero_padding2d", image(2, 3, 4), padding=[0, 2, 1, 0])[0] == image(2, 5, 5)


def test_conv_errors():
    err = shape_error("conv2d", vector(784))
    assert "Reshape" in err.fix and "[1, 28, 28]" in err.fix
    assert "[1, H, W]" in shape_error("conv2d", vector(10)).fix
    assert "Embedding" in shape_error("conv2d", tokens(10)).fix
    assert "Conv1D" in shape_error("conv2d", signal(3, 10)).fix
    assert "Reshape" in shape_error("conv2d", sequence(10, 4)).fix
    err = shape_error("conv2d", image(1, 2, 2))
    assert "larger than the padded input" in err.message
    assert "groups" in shape_error("conv2d", image(4, 8, 8), groups=3).message
    assert "groups" in shape_error("conv2d", image(6, 8, 8), groups=3, filters=4).message
    err = shape_error("conv2d", image(1, 28, 28), strides=[2, 2], dilation=[1, 2])
    assert "Keras" in err.message and "stride 1 or dilation 1" in err.fix


def test_conv1d_errors():
    assert "Conv2D" in shape_error("conv1d", image(1, 8, 8)).fix
    assert shape_error("conv1d", sequence(8, 4)).fix
    assert shape_error("conv1d", vector(8)).fix
    assert "Keras" in shape_error("conv1d", signal(1, 40), stride=2, dilation=2).message
    assert "kernel" in shape_error("conv1d", signal(1, 2)).message


def test_conv2d_transpose_errors():
    # output_padding must be smaller than stride or dilation (PyTorch) ...
    assert "output_padding" in shape_error("conv2d_transpose", image(1, 4, 4), output_padding=[2, 0]).message
    # ... and smaller than the stride (Keras), even where PyTorch would accept it
    err = shape_error("conv2d_transpose", image(1, 4, 4), strides=[1, 1], dilation=[2, 2], output_padding=[1, 0])
    assert "Keras" in err.message
    assert "Keras" in shape_error("conv2d_transpose", image(1, 4, 4), dilation=[2, 2]).message
    err = shape_error("conv2d_transpose", image(1, 1, 1), kernel_size=[1, 1], strides=[1, 1], padding=[1, 1, 0, 0])
    assert "crops away" in err.message
    assert shape_error("conv2d_transpose", vector(3)).fix
    assert shape_error("upsampling2d", vector(3)).fix
    assert shape_error("zero_padding2d", sequence(3, 3)).fix


# ----------------------------------------------------------------------------- pooling


@pytest.mark.parametrize(
    "size, k, s, pad, ceil, expected",
    [
        (28, 2, 2, (0, 0), False, 14),
        (7, 2, 2, (0, 0), False, 3),
        (7, 2, 2, (0, 0), True, 4),
        (7, 3, 2, (0, 0), True, 3),
        (8, 3, 2, (0, 0), True, 4),
        (8, 3, 2, (1, 1), False, 4),
        (4, 2, 3, (1, 1), False, 2),
        (4, 2, 3, (1, 1), True, 2),  # ceil gives 3, but the last window would start in the padding
        (5, 2, 2, (1, 1), True, 3),
        (6, 3, 2, (0, 1), True, 3),
    ],
)
def test_maxpool_output_sizes(size, k, s, pad, ceil, expected):
    out, _ = run("maxpool1d", signal(2, size), pool_size=k, stride=s, padding=list(pad), ceil_mode=ceil)
    assert out == signal(2, expected)
    out, _ = run("maxpool2d", image(2, size, 9), pool_size=[k, 1], strides=[s, 1], padding=[*pad, 0, 0], ceil_mode=ceil)
    assert out == image(2, expected, 9)


def test_avgpool_variants():
    params = {"pool_size": [3, 3], "strides": [2, 2], "padding": [1, 1, 1, 1]}
    assert run("avgpool2d", image(4, 7, 7), **params)[0] == image(4, 4, 4)
    assert run("avgpool2d", image(4, 7, 7), count_include_pad=False, **params)[0] == image(4, 4, 4)
    # ceil_mode adds a partial window here: PyTorch averages its inside part, Keras cannot: refused.
    err = shape_error("avgpool2d", image(4, 6, 6), ceil_mode=True, **params)
    assert "ceil_mode" in err.message and "Keras" in err.message
    assert run("avgpool2d", image(4, 7, 7), ceil_mode=True, **params)[0] == image(4, 4, 4)  # windows fit
    err = shape_error("avgpool2d", image(4, 7, 7), padding=[1, 0, 1, 0], count_include_pad=False)
    assert "count_include_pad" in err.fix
    assert run("avgpool2d", image(4, 6, 6), **params)[0] == image(4, 3, 3)


def test_global_pools_accept_images_signals_and_sequences():
    for type_id in ("global_avg_pool", "global_max_pool"):
        assert run(type_id, image(5, 3, 3))[0] == vector(5)
        assert run(type_id, signal(7, 3))[0] == vector(7)
        assert run(type_id, sequence(9, 4))[0] == vector(4)  # over time, like Keras' GlobalAveragePooling1D


def test_pool_errors():
    err = shape_error("maxpool2d", image(1, 8, 8), padding=[2, 0, 0, 0])
    assert "half" in err.message and "at most 1" in err.fix
    assert "half" in shape_error("avgpool2d", image(1, 8, 8), pool_size=[3, 3], padding=[0, 0, 0, 2]).message
    assert "half" in shape_error("maxpool1d", signal(1, 8), padding=[0, 2]).message
    assert "larger than the padded input" in shape_error("maxpool2d", image(1, 1, 8)).message
    assert "MaxPool1D" in shape_error("maxpool2d", signal(1, 8)).fix
    assert "MaxPool2D" in shape_error("maxpool1d", image(1, 8, 8)).fix
    assert "Embedding" in shape_error("maxpool1d", tokens(8)).fix
    for type_id in ("global_avg_pool", "global_max_pool"):
        assert "already" in shape_error(type_id, vector(8)).fix
        assert "Embedding" in shape_error(type_id, tokens(8)).fix  # token ids must be embedded first


# ----------------------------------------------------------------------------- normalization


@pytest.mark.parametrize("x, channels", [(vector(10), 10), (signal(4, 9), 4), (image(16, 2, 2), 16)])
def test_batch_norm_counts_channels(x, channels):
    assert run("batch_norm", x) == (x, (2 * channels, 2 * channels))


def test_layer_norm_counts_last_axis():
    assert run("layer_norm", vector(10)) == (vector(10), (20, 0))
    assert run("layer_norm", seq_generic(3, 7), epsilon=1e-3) == (seq_generic(3, 7), (14, 0))


def test_norm_errors():
    assert "LayerNorm" in shape_error("batch_norm", sequence(4, 8)).fix
    assert "Embedding" in shape_error("batch_norm", tokens(8)).fix
    assert "BatchNorm" in shape_error("layer_norm", image(3, 4, 4)).fix
    assert shape_error("layer_norm", signal(3, 4)).fix


# ----------------------------------------------------------------------------- embedding and recurrent


def test_embedding_variants_and_errors():
    assert run("embedding", tokens(7), input_dim=1000, output_dim=8) == (sequence(7, 8), (8000, 0))
    err = shape_error("embedding", sequence(4, 8))
    assert "integer token ids" in err.message and "Token Input" in err.fix
    assert shape_error("embedding", vector(4)).fix
    assert shape_error("embedding", seq_generic(3, 4, "int64")).fix


@pytest.mark.parametrize("units, f", [(1, 1), (5, 3), (64, 8)])
def test_rnn_counts(units, f):
    h = units
    assert run("simple_rnn", sequence(4, f), units=h)[1] == (h * (f + h) + h, 0)
    assert run("simple_rnn", sequence(4, f), units=h, activation="relu")[1] == (h * (f + h) + h, 0)
    for bi, dirs in ((False, 1), (True, 2)):
        assert run("lstm", sequence(4, f), units=h, bidirectional=bi)[1] == (dirs * (4 * h * (f + h) + 4 * h), 0)
        assert run("gru", sequence(4, f), units=h, bidirectional=bi)[1] == (dirs * (3 * h * (f + h) + 6 * h), 0)


@pytest.mark.parametrize("type_id", ["lstm", "gru"])
def test_rnn_output_shapes(type_id):
    x = sequence(12, 5)
    assert run(type_id, x, units=7)[0] == vector(7)
    assert run(type_id, x, units=7, bidirectional=True)[0] == vector(14)
    assert run(type_id, x, units=7, return_sequences=True)[0] == sequence(12, 7)
    assert run(type_id, x, units=7, return_sequences=True, bidirectional=True)[0] == sequence(12, 14)
    assert run(type_id, seq_generic(3, 4), units=2)[0] == vector(2)


def test_simple_rnn_return_sequences():
    assert run("simple_rnn", sequence(6, 2), units=3, return_sequences=True)[0] == sequence(6, 3)


@pytest.mark.parametrize("type_id", ["simple_rnn", "lstm", "gru"])
def test_rnn_errors(type_id):
    assert "insert an Embedding layer first" in shape_error(type_id, tokens(10)).fix
    assert "Reshape to [28, 28]" in shape_error(type_id, image(1, 28, 28)).fix
    assert "Permute" in shape_error(type_id, signal(3, 50)).fix
    assert "Reshape" in shape_error(type_id, vector(10)).fix


# ----------------------------------------------------------------------------- merge


def test_merge_variants():
    x = sequence(5, 3)
    assert run("add", [x, x, x])[0] == x
    assert run("concatenate", [sequence(5, 3), sequence(5, 4)], axis=-1)[0] == sequence(5, 7)
    assert run("concatenate", [sequence(5, 3), sequence(2, 3)])[0] == sequence(7, 3)
    assert run("concatenate", [image(2, 3, 4), image(2, 5, 4)], axis=2)[0] == image(2, 8, 4)
    assert run("concatenate", [image(2, 3, 4), image(2, 3, 1)], axis=-1)[0] == image(2, 3, 5)
    assert run("concatenate", [tokens(3), tokens(4)])[0] == tokens(7)


@pytest.mark.parametrize("type_id", ["add", "multiply"])
def test_elementwise_merge_errors(type_id):
    err = shape_error(type_id, [image(8, 4, 4), image(8, 2, 2)])
    assert image(8, 4, 4).label() in err.message and image(8, 2, 2).label() in err.message
    err = shape_error(type_id, [vector(4), vector(4), vector(5)])
    assert "input 3" in err.message
    assert "at least 2" in shape_error(type_id, [vector(4)]).message
    assert shape_error(type_id, [signal(3, 4), seq_generic(3, 4)]).fix  # same dims, different layout
    assert "Embedding" in shape_error(type_id, [tokens(3), tokens(3)]).fix


def test_concatenate_errors():
    err = shape_error("concatenate", [image(2, 3, 4), image(2, 5, 4)])
    assert "axis 1" in err.message and image(2, 5, 4).label() in err.message
    assert "not a sample axis" in shape_error("concatenate", [vector(2), vector(2)], axis=0).message
    assert "not a sample axis" in shape_error("concatenate", [vector(2), vector(2)], axis=2).message
    assert "not a sample axis" in shape_error("concatenate", [vector(2), vector(2)], axis=-2).message
    assert shape_error("concatenate", [image(2, 3, 4), sequence(3, 4)]).fix
    assert shape_error("concatenate", [tokens(3), seq_generic(3, 1)]).fix
    assert "at least 2" in shape_error("concatenate", [vector(2)]).message


# ----------------------------------------------------------------------------- properties


@given(
    size=st.integers(1, 40),
    k=st.integers(1, 6),
    s=st.integers(1, 4),
    before=st.integers(0, 3),
    after=st.integers(0, 3),
    ceil=st.booleans(),
)
def test_pool_windows_cover_the_input(size, k, s, before, after, ceil):
    """Floor mode drops no full window; ceil mode adds at most one, and every window starts inside."""
    params = {"pool_size": k, "stride": s, "padding": [before, after], "ceil_mode": ceil}
    if 2 * max(before, after) > k or size + before + after < k:
        shape_error("maxpool1d", signal(1, size), **params)
        return
    out = run("maxpool1d", signal(1, size), **params)[0].dims[2]
    floor = (size + before + after - k) // s + 1
    assert out >= 1
    assert out - floor in ((0, 1) if ceil else (0,))
    assert (out - 1) * s < size + before  # the last window starts inside the input or the left padding


@given(
    size=st.integers(1, 30),
    k=st.integers(1, 5),
    s=st.integers(1, 3),
    pad=st.integers(0, 3),
    op=st.integers(0, 2),
)
def test_transpose_inverts_conv_size(size, k, s, pad, op):
    """A transposed conv maps the conv's output size back to an input size it came from."""
    params = {"kernel_size": [k, k], "strides": [s, s], "padding": [pad] * 4, "output_padding": [op, op]}
    if op >= s or (size - 1) * s - 2 * pad + k + op < 1:
        shape_error("conv2d_transpose", image(1, size, size), **params)
        return
    up = run("conv2d_transpose", image(1, size, size), **params)[0].dims[2]
    down = run("conv2d", image(1, up, up), kernel_size=[k, k], strides=[s, s], padding=[pad] * 4)[0].dims[2]
    assert down == size


# ----------------------------------------------------------------------------- through the graph analysis


def test_residual_block_through_analysis():
    from graph.analysis import analyze
    from graph.model import Graph

    g = Graph()
    x = g.add_node("input.image", {"channels": 3, "height": 8, "width": 8})
    conv = g.add_node("conv2d", {"filters": 3, "padding": [1, 1, 1, 1]})
    bn = g.add_node("batch_norm")
    add = g.add_node("add")
    cat = g.add_node("concatenate")
    gap = g.add_node("global_avg_pool")
    head = g.add_node("output.regression")
    for src, dst in ((x, conv), (conv, bn), (bn, add), (x, add), (add, cat), (x, cat), (cat, gap), (gap, head)):
        g.connect(src.id, "out", dst.id, "in")
    result = analyze(g)
    assert result.ok, [d.text() for d in result.diagnostics]
    assert result.output(cat.id) == image(6, 8, 8)
    assert result.output(gap.id) == vector(6)
    assert result.counts[conv.id] == (3 * 3 * 3 * 3 + 3, 0)
    assert (result.trainable, result.non_trainable) == (84 + 6, 6)
    assert conv.name.startswith("conv") and bn.name.startswith("bn")


# ----------------------------------------------------------------------------- broadcasting merges, reductions,
# GroupNorm / InstanceNorm, PReLU


def run_ports(type_id: str, inputs: dict, **params):
    """Like ``run`` for a layer with named input ports (Subtract's ``a`` and ``b``)."""
    spec = CATALOG[type_id]
    values = spec.defaults() | params
    assert spec.check_params(values) == []
    return spec.infer(values, inputs).get("out"), spec.count(values, inputs)


def ports_error(type_id: str, inputs: dict, **params) -> ShapeError:
    spec = CATALOG[type_id]
    with pytest.raises(ShapeError) as info:
        spec.infer(spec.defaults() | params, inputs)
    assert info.value.fix, f"{type_id}: ShapeError without a fix: {info.value.message}"
    return info.value


BROADCASTING = ["add", "multiply", "average", "maximum", "minimum"]


@pytest.mark.parametrize("type_id", BROADCASTING)
def test_elementwise_merges_broadcast_sizes_of_one(type_id):
    fmap = image(8, 5, 6)
    assert run(type_id, [fmap, image(8, 1, 1)])[0] == fmap  # squeeze-and-excitation scale
    assert run(type_id, [image(8, 1, 1), fmap])[0] == fmap  # either order
    assert run(type_id, [image(1, 5, 6), image(8, 1, 6), image(8, 5, 1)])[0] == fmap
    assert run(type_id, [sequence(1, 4), sequence(5, 1)])[0] == sequence(5, 4)
    assert run(type_id, [signal(3, 1), signal(3, 10)])[0] == signal(3, 10)
    assert run(type_id, [vector(1), vector(7)]) == (vector(7), (0, 0))


@pytest.mark.parametrize("type_id", BROADCASTING)
def test_elementwise_merges_refuse_what_channels_last_would_pair_differently(type_id):
    err = shape_error(type_id, [vector(8), image(8, 4, 4)])
    assert "same rank" in err.message and "Reshape to [8, 1, 1]" in err.fix
    assert "Reshape to [8, 1, 1]" in shape_error(type_id, [image(8, 4, 4), vector(8)]).fix
    assert "Reshape to [1, 4]" in shape_error(type_id, [sequence(5, 4), vector(4)]).fix
    assert "Keep dims" in shape_error(type_id, [signal(3, 10), vector(3)]).fix  # Reshape gives (N,T,F)
    assert "layout" in shape_error(type_id, [signal(3, 1), seq_generic(3, 4)]).message
    err = shape_error(type_id, [image(8, 4, 4), image(8, 4, 1), image(8, 3, 4)])
    assert "input 3" in err.message and "inputs 1, 2 broadcast to" in err.message and "axis 2: 4 vs 3" in err.message


def test_subtract_has_ordered_ports_a_and_b():
    spec = CATALOG["subtract"]
    assert [(p.name, p.variadic) for p in spec.inputs] == [("a", False), ("b", False)]
    assert run_ports("subtract", {"a": image(4, 3, 3), "b": image(4, 1, 1)}) == (image(4, 3, 3), (0, 0))
    assert run_ports("subtract", {"a": image(1, 3, 3), "b": image(4, 3, 1)})[0] == image(4, 3, 3)
    err = ports_error("subtract", {"a": vector(4), "b": image(4, 3, 3)})
    assert "input a" in err.message and "input b" in err.message and "input a" in err.fix
    err = ports_error("subtract", {"a": image(4, 3, 3), "b": image(4, 2, 3)})
    assert "input a is" in err.message and "axis 2: 3 vs 2" in err.message
    assert "Embedding" in ports_error("subtract", {"a": tokens(3), "b": tokens(3)}).fix


def test_squeeze_and_excitation_through_analysis():
    from graph.analysis import analyze
    from graph.model import Graph

    g = Graph()
    x = g.add_node("input.image", {"channels": 6, "height": 5, "width": 5})
    gap = g.add_node("global_avg_pool")
    squeeze = g.add_node("dense", {"units": 2, "activation": "relu"})
    excite = g.add_node("dense", {"units": 6, "activation": "sigmoid"})
    shape = g.add_node("reshape", {"target_shape": [6, 1, 1]})
    scale = g.add_node("multiply")
    head = g.add_node("output.regression")
    for src, dst in ((x, gap), (gap, squeeze), (squeeze, excite), (excite, shape), (x, scale), (shape, scale)):
        g.connect(src.id, "out", dst.id, "in")
    g.connect(scale.id, "out", head.id, "in")
    result = analyze(g)
    assert result.ok, [d.text() for d in result.diagnostics]
    assert result.output(shape.id) == image(6, 1, 1)
    assert result.output(scale.id) == image(6, 5, 5)


@pytest.mark.parametrize("type_id", ["reduce_mean", "reduce_max"])
def test_reductions_keep_or_rename_the_layout(type_id):
    # keepdims: the layout stays, the axis becomes 1
    assert run(type_id, image(3, 4, 5), axis=1, keepdims=True) == (image(1, 4, 5), (0, 0))
    assert run(type_id, image(3, 4, 5), axis=-1, keepdims=True)[0] == image(3, 4, 1)
    assert run(type_id, vector(6), axis=1, keepdims=True)[0] == vector(1)
    # without: the remaining axes take the layout Keras already stores them in
    assert run(type_id, image(3, 4, 5), axis=1)[0] == sequence(4, 5)  # rows as steps
    assert run(type_id, image(3, 4, 5), axis=2)[0] == signal(3, 5)
    assert run(type_id, image(3, 4, 5), axis=-1)[0] == signal(3, 4)
    assert run(type_id, signal(3, 10), axis=2)[0] == vector(3)
    assert run(type_id, signal(3, 10), axis=1)[0] == vector(10)
    assert run(type_id, sequence(5, 4), axis=1)[0] == vector(4)
    assert run(type_id, sequence(5, 4))[0] == vector(5)
    volume = TensorType((None, 2, 3, 4, 5), ("N", "C", "D", "H", "W"))
    assert run(type_id, volume, axis=2)[0] == image(2, 4, 5)


@pytest.mark.parametrize("type_id", ["reduce_mean", "reduce_max"])
def test_reduction_errors(type_id):
    assert "Keep dims" in shape_error(type_id, vector(6)).fix  # (N,) is no layout
    volume = TensorType((None, 2, 3, 4, 5), ("N", "C", "D", "H", "W"))
    assert "Keep dims" in shape_error(type_id, volume, axis=1).fix  # (N,D,H,W) is stored unlike an image
    assert "not a sample axis" in shape_error(type_id, image(3, 4, 5), axis=0).message
    assert "not a sample axis" in shape_error(type_id, image(3, 4, 5), axis=4).message
    assert "not a sample axis" in shape_error(type_id, image(3, 4, 5), axis=-4).message
    assert "Embedding" in shape_error(type_id, tokens(5)).fix


def test_group_and_instance_norm():
    assert run("group_norm", image(6, 4, 4), groups=3) == (image(6, 4, 4), (12, 0))
    assert run("group_norm", sequence(5, 4), groups=2) == (sequence(5, 4), (8, 0))  # channels = features
    assert run("group_norm", vector(6), groups=6)[1] == (12, 0)
    err = shape_error("group_norm", image(6, 4, 4), groups=4)
    assert "6 channels" in err.message and "1, 2, 3, 6" in err.fix
    assert run("instance_norm", signal(3, 10)) == (signal(3, 10), (6, 0))
    assert run("instance_norm", sequence(5, 4)) == (sequence(5, 4), (8, 0))
    assert "LayerNorm" in shape_error("instance_norm", vector(6)).fix
    assert "only one" in shape_error("instance_norm", image(3, 1, 1)).message
    assert shape_error("instance_norm", TensorType((None, 2, 2, 2, 2, 2), ("N", "D1", "D2", "D3", "D4", "D5"))).fix


def test_prelu_learns_one_slope_per_channel():
    assert run("prelu", image(5, 3, 3)) == (image(5, 3, 3), (5, 0))
    assert run("prelu", signal(3, 10))[1] == (3, 0)
    assert run("prelu", sequence(5, 4))[1] == (4, 0)  # the features, not the steps
    assert run("prelu", vector(7))[1] == (7, 0)
    assert run("hard_swish", image(2, 3, 3)) == (image(2, 3, 3), (0, 0))
    assert "Embedding" in shape_error("prelu", tokens(3)).fix


# ----------------------------------------------------------------------------- volumes, 3-D, depthwise, separable,
# 1-D transposed convolution, 1-D up-sampling/padding/pooling, cropping


def vol(c: int, d: int, h: int, w: int) -> TensorType:
    from graph.tensors import volume

    return volume(c, d, h, w)


def test_volume_input_and_its_shape_params():
    assert vol(2, 4, 6, 5) == TensorType((None, 2, 4, 6, 5), ("N", "C", "D", "H", "W"))
    assert vol(1, 2, 3, 4).channels_first
    assert run("input.volume") == (vol(1, 16, 32, 32), (0, 0))
    for spec in CATALOG:
        if spec.is_input:  # the app fills these from a dataset's sample shape, in this order
            assert set(spec.extra["shape_params"]) <= {p.name for p in spec.params}, spec.type_id
    assert CATALOG["input.volume"].extra["shape_params"] == ("channels", "depth", "height", "width")


@pytest.mark.parametrize(
    "params, x, expected, count",
    [
        ({}, vol(2, 8, 8, 8), vol(16, 6, 6, 6), 27 * 2 * 16 + 16),
        # per-side padding equal to TensorFlow's 'same' for stride 2: (0, 1), (0, 1), (1, 1)
        ({"filters": 3, "strides": [2, 2, 2], "padding": [0, 1, 0, 1, 1, 1]}, vol(2, 4, 6, 5), vol(3, 2, 3, 3), 165),
        ({"filters": 3, "dilation": [1, 2, 2]}, vol(1, 5, 9, 9), vol(3, 3, 5, 5), 84),
        ({"filters": 4, "kernel_size": [1, 2, 3], "use_bias": False}, vol(2, 3, 3, 3), vol(4, 3, 2, 1), 48),
    ],
)
def test_conv3d_variants(params, x, expected, count):
    assert run("conv3d", x, **params) == (expected, (count, 0))


def test_conv3d_errors():
    assert "Conv2D" in shape_error("conv3d", image(1, 8, 8)).fix
    assert "Conv3D" in shape_error("conv2d", vol(1, 4, 8, 8)).fix
    assert "Volume Input" in shape_error("conv3d", signal(1, 8)).fix
    assert "Keras" in shape_error("conv3d", vol(1, 9, 9, 9), strides=[2, 1, 1], dilation=[1, 1, 2]).message
    assert "depth" in shape_error("conv3d", vol(1, 2, 9, 9)).message


def test_depthwise_and_separable_counts():
    # depthwise: one 3×3 kernel per (channel, multiplier) and a bias per output channel
    assert run("depthwise_conv2d", image(3, 9, 8), depth_multiplier=2) == (image(6, 7, 6), (9 * 6 + 6, 0))
    out, count = run("depthwise_conv2d", image(4, 9, 9), strides=[2, 2], padding=[0, 1, 0, 1], use_bias=False)
    assert (out, count) == (image(4, 4, 4), (36, 0))
    # separable: depthwise 3·3·3·2, pointwise 1·1·6·4, bias 4
    assert run("separable_conv2d", image(3, 9, 8), filters=4, depth_multiplier=2) == (image(4, 7, 6), (82, 0))
    assert "Keras" in shape_error("separable_conv2d", image(3, 9, 9), strides=[2, 2], dilation=[2, 2]).message
    assert "Conv1D" not in shape_error("depthwise_conv2d", signal(3, 9)).message
    assert shape_error("depthwise_conv2d", signal(3, 9)).fix


@pytest.mark.parametrize(
    "params, length, expected",
    [
        ({}, 10, 20),
        ({"kernel_size": 3, "padding": [1, 1], "output_padding": 1}, 10, 20),
        ({"kernel_size": 2, "stride": 3, "output_padding": 2, "padding": [2, 0]}, 10, 29),
        ({"kernel_size": 3, "stride": 1, "dilation": 2, "padding": [1, 2]}, 10, 11),
    ],
)
def test_conv1d_transpose_variants(params, length, expected):
    out, count = run("conv1d_transpose", signal(3, length), **params)
    assert out == signal(16, expected)
    assert count == (params.get("kernel_size", 2) * 3 * 16 + 16, 0)


def test_conv1d_transpose_errors():
    assert "output_padding" in shape_error("conv1d_transpose", signal(1, 4), output_padding=2).message
    err = shape_error("conv1d_transpose", signal(1, 4), stride=1, dilation=2, output_padding=1)
    assert "Keras" in err.message
    assert "Keras" in shape_error("conv1d_transpose", signal(1, 4), dilation=2).message
    err = shape_error("conv1d_transpose", signal(1, 1), kernel_size=1, stride=1, padding=[1, 0])
    assert "crops away" in err.message
    assert "Conv2DTranspose" in shape_error("conv1d_transpose", image(1, 4, 4)).fix


def test_one_d_resizing_and_cropping():
    assert run("upsampling1d", signal(2, 5), size=3)[0] == signal(2, 15)
    assert run("zero_padding1d", signal(2, 5), padding=[2, 0])[0] == signal(2, 7)
    assert run("cropping1d", signal(2, 5), cropping=[2, 0])[0] == signal(2, 3)
    assert run("cropping2d", image(2, 5, 4), cropping=[0, 2, 1, 0])[0] == image(2, 3, 3)
    err = shape_error("cropping1d", signal(2, 5), cropping=[3, 2])
    assert "whole length" in err.message and "at most 4" in err.fix
    err = shape_error("cropping2d", image(2, 5, 4), cropping=[0, 0, 4, 0])
    assert "whole width" in err.message and "at most 3" in err.fix
    assert "UpSampling2D" in shape_error("upsampling1d", image(1, 3, 3)).fix
    assert "Cropping1D" in shape_error("cropping2d", signal(1, 3)).fix


def test_3d_and_1d_pools():
    assert run("maxpool3d", vol(2, 4, 6, 5))[0] == vol(2, 2, 3, 2)
    assert run("maxpool3d", vol(2, 4, 6, 5), ceil_mode=True)[0] == vol(2, 2, 3, 3)
    windows = {"pool_size": [2, 3, 1], "strides": [2, 3, 1]}  # fit exactly: ceil_mode changes nothing
    assert run("avgpool3d", vol(2, 4, 6, 5), ceil_mode=True, **windows)[0] == vol(2, 2, 2, 5)
    assert "ceil_mode" in shape_error("avgpool3d", vol(2, 4, 6, 5), ceil_mode=True).message
    params = {"pool_size": [3, 3, 3], "strides": [2, 2, 2], "padding": [1] * 6, "count_include_pad": False}
    assert run("avgpool3d", vol(1, 5, 7, 9), **params)[0] == vol(1, 3, 4, 5)  # TF's 'same' pads (1, 1) here
    err = shape_error("avgpool3d", vol(1, 4, 6, 5), **params)  # 'same' would pad (0, 1), (0, 1), (1, 1)
    assert "[0, 1, 0, 1, 1, 1]" in err.fix
    assert run("avgpool1d", signal(2, 10), pool_size=3, stride=2, padding=[1, 1])[0] == signal(2, 5)
    assert "ceil_mode" in shape_error("avgpool1d", signal(2, 10), pool_size=3, ceil_mode=True).message
    err = shape_error("avgpool1d", signal(2, 10), padding=[1, 0], count_include_pad=False)
    assert "count_include_pad" in err.fix
    # the same 'same'-padding rule now refuses in the shape rule for AvgPool2D too (was an export-time error)
    err = shape_error("avgpool2d", image(1, 8, 8), pool_size=[3, 3], padding=[1] * 4, count_include_pad=False)
    assert "[0, 1, 0, 1]" in err.fix
    assert "MaxPool2D" in shape_error("maxpool3d", image(1, 4, 4)).fix
    for type_id in ("global_avg_pool", "global_max_pool"):
        assert run(type_id, vol(5, 2, 3, 4))[0] == vector(5)
