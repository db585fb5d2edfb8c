"""The Keras importer (codegen/importers/keras_import.py): LayerLab's own Keras exports come back as the same
graph, independently written Keras models import and compute the same outputs, refusals name every layer."""

from __future__ import annotations

import os
import warnings

import numpy as np
import pytest

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
keras = pytest.importorskip("keras")
pytest.importorskip("torch")

from catalog_cases import CATALOG, case_id, cases, project_for  # noqa: E402
from codegen_helpers import EXAMPLE_NAMES, example  # noqa: E402
from roundtrip import differences, head_kinds  # noqa: E402

from codegen.api import generate  # noqa: E402
from codegen.emitter import _folded  # noqa: E402
from codegen.importers.builder import ImportFailed  # noqa: E402
from codegen.importers.finish import complete  # noqa: E402
from codegen.importers.keras_import import import_keras, import_keras_model  # noqa: E402
from codegen.verify import exec_source  # noqa: E402
from graph.analysis import analyze  # noqa: E402

layers = keras.layers
warnings.filterwarnings("ignore", message=".*structure of `inputs`.*")


def keras_model(project):
    source = generate(project, "tensorflow", form="model").source
    return exec_source(source, "<layerlab keras model>")["build_model"]()


def keras_visible(project):
    """The project as far as a Keras model file can tell: head settings (loss weights, label smoothing)
    at their defaults and a softmax/sigmoid that the head's loss absorbs (absent from the Keras model,
    which outputs logits) turned off; an axis parameter written -1 when it is the last axis, positive
    otherwise (Keras writes the last axis -1 whichever way the graph said it)."""
    g = project.graph
    analysis = analyze(g)
    for node in g.nodes():
        if "axis" in node.params and node.type in ("concatenate", "softmax", "reduce_mean", "reduce_max"):
            rank = (
                analysis.inputs[node.id]["in"][0].rank
                if node.type == "concatenate"
                else analysis.inputs[node.id]["in"].rank
            )
            axis = node.params["axis"] % rank
            g.set_param(node.id, "axis", -1 if axis == rank - 1 else axis)
        spec = g.spec(node.id)
        if spec.outputs:
            continue
        for p in spec.params:
            g.set_param(node.id, p.name, p.default)
        fold = spec.head.fold if spec.head else None
        src = g.in_edges(node.id)[0].src
        folded = _folded(g, analysis, fold, src)
        if folded is not None and g.node(folded).type == "dense":
            g.set_param(folded, "activation", "linear")
    return project


def check(imported, reference, tolerance=1e-5):
    report = complete(imported, reference)
    assert report["compared"], report
    assert report["max_diff"] <= tolerance, report["max_diff"]
    return report


# ----------------------------------------------------------------------------- 1. the bundled examples

EXAMPLES = [n for n in EXAMPLE_NAMES if not n.startswith("gan_")]


@pytest.mark.parametrize("name", EXAMPLES)
def test_example_round_trip_through_a_keras_file(name, tmp_path):
    original = example(name)
    model = keras_model(original)
    path = tmp_path / "m.keras"
    model.save(path)
    imported, reference = import_keras(str(path), heads=head_kinds(original))
    assert differences(keras_visible(original), imported.project) == []
    check(imported, reference)


def test_json_config_gives_the_graph_without_weights(tmp_path):
    original = example("squeeze_excitation")
    path = tmp_path / "model.json"
    path.write_text(keras_model(original).to_json())
    imported, reference = import_keras(str(path), heads=head_kinds(original))
    assert reference is None and not imported.has_weights
    assert differences(keras_visible(original), imported.project) == []


# ----------------------------------------------------------------------------- 2. every catalog type

# Cases whose Keras export does not hold what the graph says (the import computes the same, which
# test_catalog_round_trip still checks with complete(); only the graph comparison is skipped):
_RESHAPE = "Keras' Reshape is written with the resolved sizes, not the -1"
_NO_EFFECT = "the setting has no effect here, so the Keras layer does not show it"
EXPECTED_DIFFERENT = {
    **{f"reshape-{k}": _RESHAPE for k in ("vector", "image", "signal", "sequence", "volume")},
    "dropout-vector-spatial=True": "spatial dropout of a vector is Keras' plain Dropout",
    "dropout-vector-rate=0.2,spatial=True": "spatial dropout of a vector is Keras' plain Dropout",
    "maxpool1d-signal-ceil_mode=True": "ceil_mode " + _NO_EFFECT + " (no partial window)",
    "avgpool1d-signal-ceil_mode=True": "ceil_mode " + _NO_EFFECT + " (no partial window)",
    "avgpool1d-signal-pool_size=2,stride=2,ceil_mode=True": "ceil_mode " + _NO_EFFECT + " (no partial window)",
    "avgpool3d-volume-pool_size=[2,3,1],strides=[2,3,1],ceil_mode=True": "ceil_mode " + _NO_EFFECT,
    "avgpool1d-signal-count_include_pad=False": "count_include_pad " + _NO_EFFECT + " (no padding)",
    "avgpool2d-image-count_include_pad=False": "count_include_pad " + _NO_EFFECT + " (no padding)",
    "avgpool3d-volume-count_include_pad=False": "count_include_pad " + _NO_EFFECT + " (no padding)",
    "group_norm-image-groups=3": "one group per channel is InstanceNorm (the same Keras layer)",
    "group_norm-signal-groups=3": "one group per channel is InstanceNorm (the same Keras layer)",
    "group_norm-volume-groups=2,epsilon=0.001": "one group per channel is InstanceNorm (the same Keras layer)",
    "embedding-tokens": "the token input's vocabulary size is not in a Keras model (the Embedding's is taken)",
    "lstm-sequence-dropout=0.475": "dropout between stacked levels " + _NO_EFFECT + " (one level)",
    "gru-sequence-dropout=0.475": "dropout between stacked levels " + _NO_EFFECT + " (one level)",
}
# Every case of these types: the Keras export calls ops.mean / ops.max, which keep no layer name (Keras
# numbers them "mean", "mean_1"…).
EXPECTED_DIFFERENT_TYPES = {"reduce_mean": "ops.mean keeps no name", "reduce_max": "ops.max keeps no name"}

CASES = cases()


@pytest.mark.parametrize("case", CASES, ids=[case_id(c) for c in CASES])
def test_catalog_round_trip(case):
    type_id, kind, params = case
    original = project_for(CATALOG.get(type_id), params, kind)
    model = keras_model(original)
    imported, reference = import_keras_model(model, heads=head_kinds(original))
    if case_id(case) not in EXPECTED_DIFFERENT and type_id not in EXPECTED_DIFFERENT_TYPES:
        assert differences(keras_visible(original), imported.project) == []
    else:
        got = {n.type for n in imported.project.graph.nodes()}
        assert type_id in got or type_id == "group_norm"
    check(imported, reference)


def test_every_catalog_type_is_covered():
    assert {c[0] for c in CASES} == {s.type_id for s in CATALOG if not s.is_input and not s.is_head}


# ----------------------------------------------------------------------------- 3. plain Keras models


def types(imported) -> list[str]:
    return [n.type for n in imported.project.graph.nodes()]


def verified(imported):
    """Import, check, verify: the imported graph's PyTorch and Keras scripts agree on the outputs, the
    loss and the gradients (the training path, as `layerlab verify` checks it)."""
    from codegen.verify import verify

    report = verify(imported.project)
    assert report.ok, report.text()


def randomize_bn(model, seed=0):
    """Moving statistics away from 0/1, so that inference-mode BatchNorm is really checked."""
    rng = np.random.default_rng(seed)
    for layer in model.layers:
        if isinstance(layer, layers.BatchNormalization):
            g, b, m, v = layer.get_weights()
            layer.set_weights(
                [
                    rng.uniform(0.5, 1.5, g.shape),
                    rng.normal(0, 0.1, b.shape),
                    rng.normal(0, 0.2, m.shape),
                    rng.uniform(0.5, 2, v.shape),
                ]
            )


def test_lenet5_flatten_reorders_the_dense_rows(tmp_path):
    model = keras.Sequential(
        [
            keras.Input((28, 28, 1)),
            layers.Conv2D(6, 5, padding="same", activation="tanh"),
            layers.AveragePooling2D(2),
            layers.Conv2D(16, 5, activation="tanh"),
            layers.AveragePooling2D(2),
            layers.Flatten(),
            layers.Dense(120, activation="tanh"),
            layers.Dense(84, activation="tanh"),
            layers.Dense(10, activation="softmax"),
        ],
        name="lenet5",
    )
    path = tmp_path / "lenet.keras"
    model.save(path)
    imported, reference = import_keras(str(path), heads=["classification"])
    assert types(imported) == [
        "input.image",
        "conv2d",
        "tanh",
        "avgpool2d",
        "conv2d",
        "tanh",
        "avgpool2d",
        "flatten",
        "dense",
        "dense",
        "dense",
        "output.classification",
    ]
    g = imported.project.graph
    assert g.find_by_name("conv2d").params["padding"] == [2, 2, 2, 2]
    assert g.find_by_name("dense_2").params["activation"] == "softmax"  # folded into the head's loss
    check(imported, reference)
    verified(imported)


def test_plain_flatten_feeding_anything_but_dense_is_refused():
    x = keras.Input((6, 6, 3), name="img")
    y = layers.Conv2D(4, 3, name="conv")(x)
    y = layers.Flatten(name="flat")(y)
    y = layers.ReLU(name="act")(y)
    model = keras.Model(x, layers.Dense(2, name="out")(y))
    with pytest.raises(ImportFailed) as err:
        import_keras_model(model)
    assert any(p.startswith("flat (Flatten)") and "act" in p for p in err.value.problems)


def test_small_resnet():
    def block(x, filters, name, stride=1):
        y = layers.Conv2D(filters, 3, strides=stride, padding="same", use_bias=False, name=f"{name}_conv1")(x)
        y = layers.BatchNormalization(name=f"{name}_bn1")(y)
        y = layers.ReLU(name=f"{name}_relu1")(y)
        y = layers.Conv2D(filters, 3, padding="same", use_bias=False, name=f"{name}_conv2")(y)
        y = layers.BatchNormalization(name=f"{name}_bn2")(y)
        if stride != 1 or x.shape[-1] != filters:
            x = layers.Conv2D(filters, 1, strides=stride, use_bias=False, name=f"{name}_proj")(x)
            x = layers.BatchNormalization(name=f"{name}_proj_bn")(x)
        return layers.ReLU(name=f"{name}_out")(layers.Add(name=f"{name}_add")([x, y]))

    inp = keras.Input((16, 16, 3), name="images")
    x = layers.Conv2D(8, 3, padding="same", name="stem")(inp)
    x = layers.BatchNormalization(momentum=0.9, epsilon=1e-5, name="stem_bn")(x)
    x = layers.ReLU(name="stem_relu")(x)
    x = block(x, 8, "b1")
    x = block(x, 16, "b2", stride=2)
    x = layers.GlobalAveragePooling2D(name="gap")(x)
    model = keras.Model(inp, layers.Dense(5, name="scores")(x))
    randomize_bn(model)
    imported, reference = import_keras_model(model, heads=["classification"])
    t = types(imported)
    assert t.count("add") == 2 and t.count("batch_norm") == 6 and "global_avg_pool" in t
    bn = imported.project.graph.find_by_name("stem_bn").params
    assert bn["momentum"] == pytest.approx(0.1) and bn["epsilon"] == pytest.approx(1e-5)
    # stride 2 'same' on 16 pixels: TensorFlow pads (0, 1)
    assert imported.project.graph.find_by_name("b2_conv1").params["padding"] == [0, 1, 0, 1]
    check(imported, reference)
    verified(imported)


def test_small_transformer_encoder():
    steps, vocab, dim = 12, 30, 16
    tokens = keras.Input((steps,), dtype="int32", name="tokens")
    x = layers.Embedding(vocab, dim, name="embed")(tokens)
    a = layers.MultiHeadAttention(num_heads=2, key_dim=dim // 2, name="attention")(x, x)
    x = layers.LayerNormalization(epsilon=1e-6, name="norm1")(layers.Add(name="res1")([x, a]))
    f = layers.Dense(32, activation="gelu", name="ffn1")(x)
    f = layers.Dense(dim, name="ffn2")(f)
    x = layers.LayerNormalization(epsilon=1e-6, name="norm2")(layers.Add(name="res2")([x, f]))
    x = layers.GlobalAveragePooling1D(name="pool")(x)
    model = keras.Model(tokens, layers.Dense(3, name="scores")(x))
    imported, reference = import_keras_model(model, heads=["classification"])
    t = types(imported)
    assert t[:3] == ["input.tokens", "embedding", "multi_head_attention"]
    assert t.count("layer_norm") == 2 and "global_avg_pool" in t
    g = imported.project.graph
    assert g.find_by_name("tokens").params == {"steps": steps, "vocab_size": vocab}
    assert not g.in_edges(g.find_by_name("attention").id, "value")  # self-attention
    check(imported, reference)
    verified(imported)


def test_char_rnn_two_stacked_lstms():
    chars = keras.Input((20,), dtype="int32", name="chars")
    x = layers.Embedding(40, 16, name="embed")(chars)
    x = layers.LSTM(32, return_sequences=True, name="lstm1")(x)
    x = layers.LSTM(32, return_sequences=True, name="lstm2")(x)
    model = keras.Model(chars, layers.Dense(40, name="next_char")(x))
    imported, reference = import_keras_model(model, heads=["classification"])
    assert types(imported) == ["input.tokens", "embedding", "lstm", "lstm", "dense", "output.classification"]
    assert imported.project.graph.find_by_name("lstm2").params["return_sequences"] is True
    check(imported, reference)
    verified(imported)


def test_signal_input_and_bidirectional_state():
    audio = keras.Input((40, 2), name="audio")
    x = layers.Conv1D(4, 5, padding="causal", activation="relu", name="conv")(audio)
    x = layers.MaxPooling1D(2, name="pool")(x)
    seq = keras.Input((6, 3), name="seq")
    out, hf, cf, hb, cb = layers.Bidirectional(layers.LSTM(5, return_state=True), name="bi")(seq)
    state = layers.Concatenate(name="bi_state")([hf, hb])
    joined = layers.Concatenate(name="join")([layers.GlobalMaxPooling1D(name="gmp")(x), state, out])
    model = keras.Model([audio, seq], layers.Dense(1, name="value")(joined))
    imported, reference = import_keras_model(model, heads=["regression"])
    g = imported.project.graph
    assert g.find_by_name("audio").type == "input.signal" and g.find_by_name("seq").type == "input.sequence"
    assert g.find_by_name("conv").params["padding"] == [4, 0]
    assert g.find_by_name("bi").params["bidirectional"] is True
    check(imported, reference)


# ----------------------------------------------------------------------------- 4. refusals


def test_lambda_layer_is_refused_by_name(tmp_path):
    x = keras.Input((4,), name="x_in")
    y = layers.Lambda(lambda t: t * 2.0, name="double_it")(x)
    model = keras.Model(x, layers.Dense(1, name="out")(y))
    with pytest.raises(ImportFailed) as err:
        import_keras_model(model)
    assert any("double_it (Lambda)" in p for p in err.value.problems)
    path = tmp_path / "lambda.keras"
    model.save(path)
    with pytest.raises(ImportFailed) as err:
        import_keras(str(path))
    assert "Lambda" in str(err.value)
    json_path = tmp_path / "lambda.json"
    json_path.write_text(model.to_json())
    with pytest.raises(ImportFailed) as err:
        import_keras(str(json_path))
    assert "double_it (Lambda)" in str(err.value)


def test_every_unsupported_layer_is_listed():
    x = keras.Input((8, 8, 3), name="img")
    y = layers.Rescaling(1 / 255, name="scale")(x)
    y = layers.Conv2D(4, 3, name="conv")(y)  # downstream of a refusal: not reported again
    z = layers.GaussianNoise(0.1, name="noise")(x)
    z = layers.Conv2D(4, 3, padding="same", name="conv_b", activation="selu")(z)
    w = layers.LayerNormalization(axis=1, name="odd_norm")(x)
    y = layers.Concatenate(name="cat")(
        [layers.Flatten(name="f1")(y), layers.Flatten(name="f2")(z), layers.Flatten(name="f3")(w)]
    )
    model = keras.Model(x, layers.Dense(2, name="out")(y))
    with pytest.raises(ImportFailed) as err:
        import_keras_model(model)
    text = "\n".join(err.value.problems)
    for name in ("scale (Rescaling)", "noise (GaussianNoise)", "odd_norm (LayerNormalization)"):
        assert name in text
    assert "conv (" not in text
