"""The PyTorch importer (codegen.importers.torch_fx): LayerLab's own model files read back as the graphs
they came from, the catalog layer by layer, plain PyTorch models, and clear refusals."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

torch = pytest.importorskip("torch")

from catalog_cases import CATALOG, case_id, cases, project_for  # noqa: E402
from codegen_helpers import EXAMPLE_NAMES, example  # noqa: E402
from roundtrip import differences, head_kinds  # noqa: E402

from codegen.api import generate  # noqa: E402
from codegen.importers import finish  # noqa: E402
from codegen.importers.builder import ImportFailed  # noqa: E402
from codegen.importers.torch_fx import import_module, load_module  # noqa: E402
from codegen.verify import exec_source  # noqa: E402
from graph.analysis import analyze  # noqa: E402
from graph.fileformat import dumps, loads  # noqa: E402

MODELS = Path(__file__).parent / "import_models" / "reference_models.py"
EXAMPLES = [n for n in EXAMPLE_NAMES if not n.startswith("gan")]

# What LayerLab's PyTorch model file does not say, so that no importer can read it back:
#  * the names of layers that are no module in PyTorch (Add, Concatenate, global pooling, Reshape…: one
#    line of forward, no attribute): the import names them after their type, as the editor names a new
#    layer; the comparison matches them by type, parameters and inputs instead;
#  * a head's training settings (loss weight, label smoothing);
#  * a Softmax/Sigmoid folded into the head's loss: the file returns the logits, so the Dense reads back
#    with a linear activation.
FOLDED = {"output.classification": "softmax", "output.binary": "sigmoid", "output.multilabel": "sigmoid"}
FUNCTION_TYPES = {
    "add",
    "multiply",
    "subtract",
    "average",
    "maximum",
    "minimum",
    "concatenate",
    "global_avg_pool",
    "global_max_pool",
    "reshape",
    "permute",
    "reduce_mean",
    "reduce_max",
    "cropping1d",
    "cropping2d",
}

# Catalog cases whose model file is also the file of another graph (same computation, other parameters).
EXPECTED_DIFFERENT = {
    # The file holds the resolved sizes (reshape(-1, 1, 6)); the -1 the user wrote is gone.
    "reshape-vector": "Reshape's -1 is written out as its size",
    "reshape-image": "Reshape's -1 is written out as its size",
    "reshape-signal": "Reshape's -1 is written out as its size",
    "reshape-sequence": "Reshape's -1 is written out as its size",
    "reshape-volume": "Reshape's -1 is written out as its size",
    # Spatial dropout of a vector is plain nn.Dropout (there is nothing spatial to drop).
    "dropout-vector-spatial=True": "spatial dropout of a vector is nn.Dropout",
    "dropout-vector-rate=0.2,spatial=True": "spatial dropout of a vector is nn.Dropout",
    # Conv2d with groups = input channels is a depthwise convolution (depth_multiplier = filters / channels).
    "conv2d-image-filters=6,groups=3": "groups = channels reads back as DepthwiseConv2D",
    # The Token Input's vocabulary is taken from the Embedding reading it (11 in the test graph, 64 in it).
    "embedding-tokens": "the Token Input's vocab_size comes from the Embedding's num_embeddings",
    # Dropout between the levels of a one-level LSTM/GRU does nothing and is not written.
    "lstm-sequence-dropout=0.475": "dropout of a one-level recurrent layer is not written",
    "gru-sequence-dropout=0.475": "dropout of a one-level recurrent layer is not written",
    # torch.mean(x, dim=2) on a rank-3 tensor: the last axis reads back as axis -1.
    "reduce_mean-signal-axis=2": "the last axis reads back as -1",
    "reduce_mean-sequence-axis=2": "the last axis reads back as -1",
    "reduce_mean-vector-axis=1,keepdims=True": "the last axis reads back as -1",
    "reduce_max-signal-axis=2": "the last axis reads back as -1",
    "reduce_max-sequence-axis=2": "the last axis reads back as -1",
    "reduce_max-vector-axis=1,keepdims=True": "the last axis reads back as -1",
}
# Besides: a (channels, length) Signal Input read only by layers that treat every axis alike (ReLU, Add,
# Flatten…) gives the same file as a (steps, features) Sequence Input; the import then says Sequence.
# Such cases may differ in the Input node alone (checked by ``_only_input_differs``).


def inputs_of(project) -> list[tuple[str, tuple[int, ...], str]]:
    analysis = analyze(project.graph)
    out = []
    for n in project.graph.nodes():
        if project.graph.spec(n.id).is_input:
            t = analysis.output(n.id)
            out.append((n.name, tuple(t.features), t.dtype))
    return out


def round_trip(project):
    source = generate(project, "pytorch", form="model").source
    model = exec_source(source, "<layerlab model>")["Model"]()
    imported, reference = import_module(model, inputs_of(project), heads=head_kinds(project))
    return imported, reference


def comparable(original, imported):
    """A copy of ``original`` with what the model file cannot say taken from ``imported`` (see above)."""
    project = loads(dumps(original))
    g, theirs = project.graph, imported.graph
    for n in g.nodes():
        spec = g.spec(n.id)
        if spec.is_head:
            for p in spec.params:
                g.set_param(n.id, p.name, p.default)
            src = g.node(g.in_edges(n.id)[0].src)
            if src.type == "dense" and src.params.get("activation") == FOLDED.get(n.type):
                g.set_param(src.id, "activation", "linear")
    # Function layers: rename each to the imported layer of the same type, parameters and inputs.
    changed = True
    while changed:
        changed = False
        for n in g.nodes():
            if (
                n.type not in FUNCTION_TYPES
                or theirs.find_by_name(n.name) is not None
                and _key(g, n) == _key(theirs, theirs.find_by_name(n.name))
            ):
                continue
            match = [m for m in theirs.nodes() if _key(theirs, m) == _key(g, n)]
            if len(match) == 1 and g.find_by_name(match[0].name) is None:
                g.rename(n.id, match[0].name)
                changed = True
    return project


def _key(graph, node):
    ins = tuple(
        (e.dst_port, graph.node(e.src).name, e.src_port) for e in sorted(graph.in_edges(node.id), key=lambda e: e.seq)
    )
    return node.type, tuple(sorted((k, str(v)) for k, v in node.params.items())), ins


def _only_input_differs(diffs) -> bool:
    return bool(diffs) and all("'input.signal'" in d or "'input.sequence'" in d for d in diffs)


def check_outputs(imported, reference) -> dict:
    report = finish.complete(imported, reference)
    assert report["compared"]
    assert report["max_diff"] <= 1e-5
    return report


# ----------------------------------------------------------------------------- LayerLab's own files


@pytest.mark.parametrize("name", EXAMPLES)
def test_examples_read_back(name):
    original = example(name)
    imported, reference = round_trip(original)
    assert differences(comparable(original, imported.project), imported.project) == []
    check_outputs(imported, reference)


CASES = cases()


def test_every_catalog_type_is_covered():
    types = {c[0] for c in CASES}
    assert types == {s.type_id for s in CATALOG if not s.is_input and not s.is_head}


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_catalog_round_trip(case):
    type_id, kind, params = case
    original = project_for(CATALOG.get(type_id), params, kind)
    imported, reference = round_trip(original)
    diffs = differences(comparable(original, imported.project), imported.project)
    cid = case_id(case)
    if cid in EXPECTED_DIFFERENT:
        assert diffs, f"{cid} now reads back exactly: drop it from EXPECTED_DIFFERENT"
    elif kind == "signal" and _only_input_differs(diffs):
        pass  # a Signal read only element-wise: the same file as a Sequence (see above)
    else:
        assert diffs == []
    check_outputs(imported, reference)  # in every case the same computation


# ----------------------------------------------------------------------------- plain PyTorch models


def _load(cls, *args):
    return load_module(str(MODELS), cls, list(args))


def _types(imported) -> Counter:
    return Counter(n.type for n in imported.project.graph.nodes())


def test_lenet5():
    model = _load("LeNet5")
    imported, reference = import_module(model, [("image", (1, 28, 28), "float32")], heads=["classification"])
    assert _types(imported) == Counter(
        {
            "input.image": 1,
            "conv2d": 2,
            "tanh": 2,
            "avgpool2d": 1,
            "maxpool2d": 1,
            "flatten": 1,
            "dense": 3,
            "output.classification": 1,
        }
    )
    g = imported.project.graph
    assert g.find_by_name("conv1").params["padding"] == [2, 2, 2, 2]
    assert g.find_by_name("fc1").params["activation"] == "relu"
    check_outputs(imported, reference)


def test_small_resnet():
    torch.manual_seed(0)
    model = _load("SmallResNet")
    for m in model.modules():  # running statistics other than 0 / 1, so that BatchNorm's weights matter
        if isinstance(m, torch.nn.BatchNorm2d):
            m.running_mean.uniform_(-0.5, 0.5)
            m.running_var.uniform_(0.5, 1.5)
    imported, reference = import_module(model, [("x", (3, 16, 16), "float32")], heads=["classification"])
    types = _types(imported)
    assert types["conv2d"] == 6 and types["batch_norm"] == 6 and types["add"] == 2
    assert types["global_avg_pool"] == 1 and "flatten" not in types and "reshape" not in types
    g = imported.project.graph
    down = g.find_by_name("layer2_downsample_0")
    assert down.type == "conv2d" and down.params["kernel_size"] == [1, 1] and down.params["strides"] == [2, 2]
    assert g.find_by_name("fc") is not None and g.find_by_name("stem").params["use_bias"] is False
    # each BasicBlock comes in as a block of its own, named like its module; the rest stays outside
    blocks = {gr.name: (gr.title, len(gr.members)) for gr in g.groups()}
    assert blocks == {"layer1": ("Basic block", 7), "layer2": ("Basic block", 9)}
    assert g.group_of(g.find_by_name("stem").id) is None
    check_outputs(imported, reference)
    source = generate(imported.project, "pytorch", form="model").source
    assert "class BasicBlock(nn.Module):" in source and "class BasicBlock2(nn.Module):" in source


def test_exported_blocks_import_back_as_the_same_blocks():
    from codegen_helpers import add_block

    from graph.project import Project

    project = Project()
    g = project.graph
    image = g.add_node("input.image", {"channels": 1, "height": 8, "width": 8}, "image")
    stem = g.add_node("conv2d", {"filters": 8, "kernel_size": [3, 3], "padding": [1, 1, 1, 1]}, "stem")
    g.connect(image.id, "out", stem.id, "in")
    last = stem.id
    for key in ("residual", "residual", "se"):
        last = add_block(g, key, last, 8).outputs[0][0]
    flat, dense, head = g.add_node("flatten"), g.add_node("dense", {"units": 10}), g.add_node("output.classification")
    g.connect(last, "out", flat.id, "in")
    g.connect(flat.id, "out", dense.id, "in")
    g.connect(dense.id, "out", head.id, "in")
    source = generate(project, "pytorch", form="model").source
    model = exec_source(source, "blocks_model.py")["Model"]()
    imported, reference = import_module(model, [("image", (1, 8, 8), "float32")], heads=["classification"])
    again = imported.project.graph
    assert [(gr.name, gr.title, len(gr.members)) for gr in again.groups()] == [
        ("residual", "Residual block", 7),
        ("residual_1", "Residual block", 7),
        ("se", "Squeeze and excitation block", 5),
    ]
    check_outputs(imported, reference)
    assert generate(imported.project, "pytorch", form="model").source.count("= ResidualBlock()") == 2


def test_transformer_encoder_written_out():
    model = _load("TinyTransformer")
    imported, reference = import_module(model, [("ids", (12,), "int64")], heads=["classification"])
    types = _types(imported)
    assert types == Counter(
        {
            "input.tokens": 1,
            "embedding": 1,
            "positional_embedding": 1,
            "multi_head_attention": 1,
            "add": 2,
            "layer_norm": 2,
            "dense": 3,
            "global_avg_pool": 1,
            "output.classification": 1,
        }
    )
    g = imported.project.graph
    assert g.find_by_name("ids").params == {"steps": 12, "vocab_size": 50}
    assert g.find_by_name("attn").params["num_heads"] == 4
    assert g.find_by_name("ff1").params["activation"] == "relu"
    check_outputs(imported, reference)


def test_library_transformer_layer_is_refused_by_name():
    model = _load("LibraryEncoder")
    with pytest.raises(ImportFailed) as err:
        import_module(model, [("ids", (10,), "int64")])
    problems = err.value.problems
    assert len(problems) == 1
    assert "self.encoder" in problems[0] and "TransformerEncoderLayer" in problems[0]
    assert "nn.MultiheadAttention" in problems[0]  # the way out


def test_char_rnn():
    model = _load("CharRNN")
    imported, reference = import_module(model, [("chars", (20,), "int64")], heads=["classification"])
    assert _types(imported) == Counter(
        {"input.tokens": 1, "embedding": 1, "lstm": 1, "dense": 1, "output.classification": 1}
    )
    lstm = imported.project.graph.find_by_name("lstm")
    assert lstm.params == {
        "units": 24,
        "return_sequences": True,
        "bidirectional": False,
        "num_layers": 2,
        "dropout": 0.0,
    }
    check_outputs(imported, reference)


def test_last_step_and_final_state():
    class Last(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.gru = torch.nn.GRU(4, 6, batch_first=True, bidirectional=True)
            self.lstm = torch.nn.LSTM(4, 5, batch_first=True)
            self.fc = torch.nn.Linear(17, 2)

        def forward(self, seq):
            _, h = self.gru(seq)
            out, _ = self.lstm(seq)
            return self.fc(torch.cat([torch.cat([h[-2], h[-1]], dim=1), out[:, -1]], dim=1))

    imported, reference = import_module(Last(), [("seq", (7, 4), "float32")])
    g = imported.project.graph
    assert g.find_by_name("gru").params["return_sequences"] is False
    assert g.find_by_name("lstm").params["return_sequences"] is False
    check_outputs(imported, reference)


# ----------------------------------------------------------------------------- refusals


def test_data_dependent_control_flow_names_the_line():
    line = next(i for i, text in enumerate(MODELS.read_text().splitlines(), 1) if "DATA-DEPENDENT" in text)
    with pytest.raises(ImportFailed) as err:
        import_module(_load("DataDependent"), [("x", (4,), "float32")])
    message = str(err.value)
    assert "control flow" in message and f"{MODELS}, line {line}" in message and "x.sum() > 0" in message


def test_every_unsupported_node_is_listed():
    with pytest.raises(ImportFailed) as err:
        import_module(_load("UsesRoll"), [("signal", (2, 9), "float32")])
    problems = err.value.problems
    assert len(problems) == 3, problems
    assert "roll" in problems[0] and "cumsum" in problems[1] and "mul" in problems[2]
    assert all(f"{MODELS}, line" in p for p in problems)


def test_load_module_errors(tmp_path):
    with pytest.raises(ValueError, match="no such file"):
        load_module(str(tmp_path / "missing.py"), "Model")
    with pytest.raises(ValueError, match="no class 'Nope'.*LeNet5"):
        load_module(str(MODELS), "Nope")
    with pytest.raises(ValueError, match=r"LeNet5\(classes='x'\) failed"):
        load_module(str(MODELS), "LeNet5", {"classes": "x"})


def test_input_shapes_are_required():
    with pytest.raises(ImportFailed, match="image"):
        import_module(_load("LeNet5"), None)


@pytest.mark.parametrize(
    "cls,inputs",
    [
        ("LeNet5", [("image", (1, 28, 28), "float32")]),
        ("SmallResNet", [("x", (3, 16, 16), "float32")]),
        ("TinyTransformer", [("ids", (12,), "int64")]),
        ("CharRNN", [("chars", (20,), "int64")]),
    ],
)
def test_hand_written_models_verify_after_import(cls, inputs):
    """Import, check, verify: the imported graph's PyTorch and Keras scripts compute the same function
    and the same loss and gradients (the whole training path, as `layerlab verify` checks it)."""
    from codegen.verify import verify

    imported, _ = import_module(_load(cls), inputs, heads=["classification"])
    report = verify(imported.project)
    assert report.ok, report.text()
