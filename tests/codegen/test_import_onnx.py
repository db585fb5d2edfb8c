"""The ONNX importer (codegen.importers.onnx_import): LayerLab's own ONNX export imported back.

The comparison is ``roundtrip``'s (same layers, parameters, names and connections) modulo exactly what an
ONNX file does not keep (see the importer's docstring), each one named here:

* Dropout layers: gone at inference (the original's Dropout is skipped, its consumers read its input).
* BatchNorm ``momentum``: a training setting.
* ``use_bias`` of a convolution whose BatchNorm the exporter folded into it.
* Layers that are plain tensor code in the PyTorch model have no name in the file: merges, reshape,
  permute, global/axis reductions, cropping, concatenation are compared by type and inputs.
* Head settings (``loss_weight``, ``label_smoothing``) and the softmax/sigmoid of a Dense right before a
  classification/binary/multi-label head (LayerLab folds it into the loss, so the model has none).
"""

from __future__ import annotations

import contextlib
import io
import warnings

import numpy as np
import pytest
from catalog_cases import CATALOG, project_for
from codegen_helpers import chain, no_data_project
from onnx_roundtrip import assert_same, canonical
from roundtrip import head_kinds

pytest.importorskip("onnx")
pytest.importorskip("onnxruntime")
pytest.importorskip("onnxscript")
torch = pytest.importorskip("torch")

from codegen.importers.builder import ImportFailed  # noqa: E402
from codegen.importers.finish import complete  # noqa: E402
from codegen.importers.onnx_import import import_onnx  # noqa: E402

# ----------------------------------------------------------------------------- 2. catalog round trip


def export_in_process(project, out) -> None:
    """What codegen.onnx_child does (dynamo exporter, dynamic batch axis), without a child process."""
    from codegen.api import generate
    from codegen.onnx_export import onnx_description
    from codegen.verify import exec_source

    code = generate(project, "pytorch")
    assert not code.problems, code.problems
    ns = exec_source(code.source + onnx_description(project), "model_pytorch.py")
    torch.manual_seed(0)
    model = ns["Model"]().eval()
    with torch.no_grad():  # non-zero biases and statistics, so that nothing is optimised away by value
        for name, p in model.named_parameters():
            p.copy_(torch.randn_like(p) * 0.3 + (0.1 if name.endswith("bias") else 0.0))
        for name, buf in model.named_buffers():
            if name.endswith("running_var"):
                buf.copy_(torch.rand_like(buf) + 0.5)
            elif name.endswith("running_mean"):
                buf.copy_(torch.randn_like(buf) * 0.1)
    rng = np.random.default_rng(0)
    example_in = {}
    for name, (shape, dtype, high) in ns["ONNX_INPUTS"].items():
        if dtype == "int64":
            example_in[name] = torch.as_tensor(rng.integers(0, high, size=(2, *shape)))
        else:
            example_in[name] = torch.as_tensor(rng.standard_normal((2, *shape)).astype("float32"))
    batch = torch.export.Dim("batch", min=1)
    with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
        warnings.simplefilter("ignore")
        program = torch.onnx.export(
            model,
            (),
            kwargs=example_in,
            dynamo=True,
            output_names=ns["ONNX_OUTPUTS"],
            dynamic_shapes={n: {0: batch} for n in example_in},
            verbose=False,
        )
    program.save(str(out))


CATALOG_CASES = [
    ("dense", "vector", {}),
    ("dense", "sequence", {}),
    ("dense", "vector", {"activation": "relu"}),
    ("dense", "vector", {"activation": "tanh", "use_bias": False}),
    ("conv2d", "image", {}),
    ("conv2d", "image", {"padding": [0, 1, 1, 0], "strides": [2, 2]}),
    ("conv2d", "image", {"dilation": [2, 2], "use_bias": False}),
    ("conv1d", "signal", {"padding": [1, 1]}),
    ("conv3d", "volume", {}),
    ("depthwise_conv2d", "image", {"depth_multiplier": 2}),
    ("separable_conv2d", "image", {"filters": 4}),
    ("conv2d_transpose", "image", {}),
    ("conv1d_transpose", "signal", {}),
    ("batch_norm", "image", {}),
    ("batch_norm", "signal", {}),
    ("layer_norm", "sequence", {}),
    ("embedding", "tokens", {"input_dim": 11}),
    ("lstm", "sequence", {}),
    ("lstm", "sequence", {"return_sequences": True}),
    ("lstm", "sequence", {"bidirectional": True}),
    ("gru", "sequence", {}),
    ("positional_embedding", "sequence", {}),
    ("prelu", "image", {}),
    ("relu", "image", {}),
    ("leaky_relu", "vector", {}),
    ("sigmoid", "vector", {}),
    ("tanh", "vector", {}),
    ("softmax", "vector", {}),
    ("gelu", "vector", {}),
    ("elu", "vector", {}),
    ("silu", "vector", {}),
    ("softplus", "vector", {}),
    ("relu6", "vector", {}),
    ("hard_swish", "vector", {}),
    ("maxpool2d", "image", {}),
    ("maxpool1d", "signal", {}),
    ("avgpool2d", "image", {}),
    ("global_avg_pool", "image", {}),
    ("global_avg_pool", "sequence", {}),
    ("global_max_pool", "image", {}),
    ("upsampling2d", "image", {}),
    ("upsampling1d", "signal", {}),
    ("zero_padding2d", "image", {}),
    ("flatten", "image", {}),
    ("reshape", "image", {"target_shape": [3, 72]}),
    ("permute", "sequence", {}),
    ("add", "image", {}),
    ("multiply", "image", {}),
    ("subtract", "vector", {}),
    ("maximum", "vector", {}),
    ("minimum", "vector", {}),
    ("concatenate", "image", {}),
    ("average", "vector", {}),
    ("multi_head_attention", "sequence", {}),
    ("multi_head_attention", "sequence", {"num_heads": 2, "causal": True}),
    ("multi_head_attention", "sequence", {"num_heads": 1, "use_bias": False}),
    ("multi_head_attention", "cross", {"num_heads": 2}),
    ("multi_head_attention", "cross_kdim", {"num_heads": 2}),
    ("multi_head_attention", "cross_kdim", {"num_heads": 2, "use_bias": False}),
    ("multi_head_attention", "weights", {"num_heads": 2, "causal": True}),
    ("multi_head_attention", "cross_kdim_weights", {"num_heads": 2}),
    ("multi_head_attention", "masked", {"num_heads": 2}),
    ("multi_head_attention", "masked", {"num_heads": 2, "causal": True}),
    ("multi_head_attention", "masked_weights", {"num_heads": 2, "causal": True}),
    ("multi_head_attention", "masked_cross_kdim", {"num_heads": 2}),
    ("multi_head_attention", "masked_cross_kdim_weights", {"num_heads": 2, "causal": True}),
]
# Types that do not come back exactly, and why (asserted: they are refused or differ, as stated).
NOT_EXACT = {
    "group_norm": "exported as reshapes around InstanceNormalization, not one op",
    "instance_norm": "exported as its decomposition (ReduceMean/Sub/Div…), not InstanceNormalization",
    "sinusoidal_position": "its fixed table is indistinguishable from a learned PositionalEmbedding",
    "dropout": "absent at inference",
    "simple_rnn": "torch 2.13's exporter unrolls nn.RNN into per-step MatMul/Tanh nodes (no RNN op): refused",
    "reshape": "a -1 in target_shape is resolved by LayerLab's lowering (reshape(-1, 3, 72)): sizes come back",
    "embedding": "input.tokens' vocab_size comes back as the table's size (input_dim)",
}


def _case_id(case):
    t, kind, params = case
    return f"{t}-{kind}" + ("-" + ",".join(f"{k}={v}" for k, v in params.items()).replace(" ", "") if params else "")


def _rename_inputs(project):
    """The default Input name "inputs" is a reserved word of the scripts: they call it inputs_1, and so
    does the ONNX file (an ONNX loss: LayerLab names that are not free identifiers in the script)."""
    g = project.graph
    for node in g.nodes():
        if node.type.startswith("input."):
            g.rename(node.id, "x_" + node.type.split(".")[1])


def attention_project(params: dict, kind: str):
    """Attention in the graphs ``project_for`` does not make; ``kind`` names its parts: ``cross`` (a second
    sequence of the same width as the value), ``cross_kdim`` (of another width: kdim ≠ E), ``masked``
    (token ids → Embedding → query, the ids → mask; with ``cross`` the embedded ids are the value) and
    ``weights`` (the weights port flattened and joined to the output)."""
    project = no_data_project()
    g = project.graph
    width = 6 if "kdim" in kind else 8
    if "masked" in kind:
        ids = g.add_node("input.tokens", {"steps": 5, "vocab_size": 9}, "x_ids")
        emb = g.add_node("embedding", {"input_dim": 9, "output_dim": width if "cross" in kind else 8}, "embed")
        g.connect(ids.id, "out", emb.id, "in")
    query = emb if kind.startswith("masked") and "cross" not in kind else None
    if query is None:
        query = g.add_node("input.sequence", {"steps": 4 if "cross" in kind else 5, "features": 8}, "x_query")
    attn = g.add_node("multi_head_attention", params, "attention")
    g.connect(query.id, "out", attn.id, "query")
    if "cross" in kind:
        value = emb if "masked" in kind else g.add_node("input.sequence", {"steps": 5, "features": width}, "x_value")
        g.connect(value.id, "out", attn.id, "value")
    if "masked" in kind:
        g.connect(ids.id, "out", attn.id, "mask")
    last = g.add_node("flatten", {}, "flat")
    g.connect(attn.id, "out", last.id, "in")
    if "weights" in kind:
        wflat = g.add_node("flatten", {}, "weights_flat")
        g.connect(attn.id, "weights", wflat.id, "in")
        cat = g.add_node("concatenate", {"axis": -1})
        g.connect(last.id, "out", cat.id, "in")
        g.connect(wflat.id, "out", cat.id, "in")
        last = cat
    head = g.add_node("output.regression", {}, "y")
    g.connect(last.id, "out", head.id, "in")
    return project


@pytest.mark.parametrize("case", CATALOG_CASES, ids=_case_id)
def test_catalog_round_trip(case, tmp_path):
    type_id, kind, params = case
    if type_id == "multi_head_attention" and kind != "sequence":
        project = attention_project(params, kind)  # its Inputs have free names already
    else:
        project = project_for(CATALOG.get(type_id), params, kind)
        _rename_inputs(project)
    out = tmp_path / "layer.onnx"
    export_in_process(project, out)
    imported, reference = import_onnx(str(out), heads=head_kinds(project))
    assert_same(project, imported.project)
    result = complete(imported, reference)
    assert result["compared"] and result["max_diff"] <= 1e-5


# ----------------------------------------------------------------------------- 3. refusals, no metadata


def test_unsupported_ops_are_all_listed(tmp_path):
    import onnx
    from onnx import TensorProto, helper

    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, ["batch", 8])
    k = helper.make_tensor("k", TensorProto.INT64, [1], [3])
    nodes = [
        helper.make_node("TopK", ["x", "k"], ["values", "indices"], name="top3", axis=-1),
        helper.make_node("Relu", ["values"], ["r"], name="relu"),
        helper.make_node("Erf", ["x"], ["e"], name="erf_alone"),
        helper.make_node("Concat", ["r", "e"], ["y"], name="join", axis=1),
    ]
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, ["batch", 11])
    model = helper.make_model(helper.make_graph(nodes, "g", [x], [y], [k]), opset_imports=[helper.make_opsetid("", 18)])
    path = tmp_path / "bad.onnx"
    onnx.save(model, path)
    with pytest.raises(ImportFailed) as err:
        import_onnx(str(path))
    text = "\n".join(err.value.problems)
    assert "top3 (TopK)" in text and "erf_alone (Erf)" in text, text
    assert len(err.value.problems) == 2, text  # the consumers of refused nodes are not listed again


def _strip_metadata(src, dst):
    import onnx

    model = onnx.load(src)
    for node in model.graph.node:
        del node.metadata_props[:]
    del model.metadata_props[:]
    onnx.save(model, dst)


@pytest.mark.parametrize("net", ["conv", "mlp"])
def test_without_metadata_by_op_patterns(net, tmp_path):
    if net == "mlp":
        project = chain(
            [("input.vector", {"features": 5}), ("dense", {"units": 7, "activation": "relu"}), ("dense", {"units": 3})]
        )
    else:
        project = chain(
            [
                ("input.image", {"channels": 2, "height": 8, "width": 8}),
                ("conv2d", {"filters": 4, "padding": [1, 1, 1, 1]}),
                ("relu", {}),
                ("maxpool2d", {}),
                ("flatten", {}),
                ("dense", {"units": 3}),
            ]
        )
    _rename_inputs(project)
    full, bare = tmp_path / "full.onnx", tmp_path / "bare.onnx"
    export_in_process(project, full)
    _strip_metadata(full, bare)
    imported, reference = import_onnx(str(bare), heads=head_kinds(project))
    (na, ea), (nb, eb) = canonical(project), canonical(imported.project)
    # Without module names, weighted layers are named after their weights (the same names here).
    assert [n[1:] for n in na] == [n[1:] for n in nb] and len(ea) == len(eb)
    result = complete(imported, reference)
    assert result["compared"] and result["max_diff"] <= 1e-5


def test_attention_without_metadata_is_refused(tmp_path):
    """Without module names attention is only tensor products: refused, saying why."""
    project = attention_project({"num_heads": 2}, "masked")
    full, bare = tmp_path / "full.onnx", tmp_path / "bare.onnx"
    export_in_process(project, full)
    _strip_metadata(full, bare)
    with pytest.raises(ImportFailed) as err:
        import_onnx(str(bare))
    assert "LayerLab imports attention only from files whose nodes name their PyTorch module" in str(err.value)


def test_masked_attention_with_dropout_is_refused(tmp_path):
    """Its queries that see no key attend to none (LayerLab's choice with dropout); ONNX keeps no dropout."""
    project = attention_project({"num_heads": 2, "dropout": 0.1}, "masked")
    out = tmp_path / "layer.onnx"
    export_in_process(project, out)
    with pytest.raises(ImportFailed, match="the source had attention dropout"):
        import_onnx(str(out))
