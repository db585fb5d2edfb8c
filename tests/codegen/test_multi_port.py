"""Layers with several input or output ports: attention (cross, masked, weights out) and recurrent states."""

from __future__ import annotations

import pytest
from codegen_helpers import no_data_project

pytestmark = pytest.mark.frameworks


def _verify(project):
    from codegen.verify import verify

    report = verify(project)
    assert report.ok, report.text()
    return report


def _tokens_embedded(g, steps=6, vocab=20, width=8):
    ids = g.add_node("input.tokens", {"steps": steps, "vocab_size": vocab})
    emb = g.add_node("embedding", {"input_dim": vocab, "output_dim": width})
    g.connect(ids.id, "out", emb.id, "in")
    return ids, emb


@pytest.mark.parametrize("causal", [False, True])
def test_masked_self_attention_with_weights_out(causal):
    """Padding mask from the token ids; the weights port feeds a second path to the head."""
    project = no_data_project()
    g = project.graph
    ids, emb = _tokens_embedded(g)
    attn = g.add_node("multi_head_attention", {"num_heads": 2, "causal": causal})
    g.connect(emb.id, "out", attn.id, "query")
    g.connect(ids.id, "out", attn.id, "mask")
    pool = g.add_node("global_avg_pool")
    g.connect(attn.id, "out", pool.id, "in")
    wflat = g.add_node("flatten")
    g.connect(attn.id, "weights", wflat.id, "in")
    cat = g.add_node("concatenate", {"axis": -1})
    g.connect(pool.id, "out", cat.id, "in")
    g.connect(wflat.id, "out", cat.id, "in")
    head = g.add_node("output.regression")
    g.connect(cat.id, "out", head.id, "in")
    _verify(project)


def test_cross_attention_between_sequences_of_different_widths():
    """The query (from a GRU) attends over an LSTM's sequence of another width (kdim/vdim differ)."""
    project = no_data_project()
    g = project.graph
    _, emb = _tokens_embedded(g, width=6)
    enc = g.add_node("lstm", {"units": 5, "return_sequences": True})
    dec = g.add_node("gru", {"units": 8, "return_sequences": True})
    g.connect(emb.id, "out", enc.id, "in")
    g.connect(emb.id, "out", dec.id, "in")
    attn = g.add_node("multi_head_attention", {"num_heads": 4})
    g.connect(dec.id, "out", attn.id, "query")
    g.connect(enc.id, "out", attn.id, "value")
    flat = g.add_node("flatten")
    g.connect(attn.id, "out", flat.id, "in")
    head = g.add_node("output.regression")
    g.connect(flat.id, "out", head.id, "in")
    _verify(project)


@pytest.mark.parametrize("kind", ["lstm", "gru"])
@pytest.mark.parametrize("bidirectional", [False, True])
def test_recurrent_final_state_port(kind, bidirectional):
    """The sequence goes on through a second layer while the final state joins it at the head."""
    project = no_data_project()
    g = project.graph
    src = g.add_node("input.sequence", {"steps": 5, "features": 3})
    rnn = g.add_node(kind, {"units": 4, "return_sequences": True, "bidirectional": bidirectional, "num_layers": 2})
    g.connect(src.id, "out", rnn.id, "in")
    pool = g.add_node("global_max_pool")
    g.connect(rnn.id, "out", pool.id, "in")
    cat = g.add_node("concatenate", {"axis": -1})
    g.connect(pool.id, "out", cat.id, "in")
    g.connect(rnn.id, "state", cat.id, "in")
    head = g.add_node("output.regression")
    g.connect(cat.id, "out", head.id, "in")
    _verify(project)


def test_attention_refuses_heads_that_do_not_divide_the_width():
    from graph.analysis import analyze

    project = no_data_project()
    g = project.graph
    _, emb = _tokens_embedded(g, width=6)
    attn = g.add_node("multi_head_attention", {"num_heads": 4})
    g.connect(emb.id, "out", attn.id, "query")
    head = g.add_node("output.regression")
    g.connect(attn.id, "out", head.id, "in")
    [err] = [d for d in analyze(g).errors if d.node_id == attn.id]
    assert "4 heads do not divide the query width 6" in err.message and "num_heads" in err.fix


@pytest.mark.parametrize("weights_out", [False, True])
def test_queries_that_may_see_no_key_agree(weights_out):
    """Leading padding with a causal mask, and a sample of padding only: Keras' fused kernel attends
    evenly, its explicit path (attention weights out) not at all; the PyTorch script follows each."""
    import numpy as np
    import torch

    from codegen.verify import build_scripts, keras_outputs, torch_outputs
    from codegen.weights import copy_torch_to_keras

    project = no_data_project()
    g = project.graph
    ids, emb = _tokens_embedded(g, steps=4, vocab=5, width=4)
    attn = g.add_node("multi_head_attention", {"num_heads": 2, "causal": True})
    g.connect(emb.id, "out", attn.id, "query")
    g.connect(ids.id, "out", attn.id, "mask")
    flat = g.add_node("flatten")
    g.connect(attn.id, "out", flat.id, "in")
    head = g.add_node("output.regression")
    g.connect(flat.id, "out", head.id, "in")
    if weights_out:
        wflat = g.add_node("flatten")
        g.connect(attn.id, "weights", wflat.id, "in")
        g.add_node("output.regression", {}, "weights_head")
        g.connect(wflat.id, "out", g.find_by_name("weights_head").id, "in")
        project.setup["dataset"] = "npz"
    plan, tns, kns = build_scripts(project)
    torch.manual_seed(0)
    tmodel, kmodel = tns["Model"](), kns["build_model"]()
    copy_torch_to_keras(plan, tmodel, kmodel)
    tmodel.eval()
    x = np.array([[0, 2, 3, 1], [1, 2, 0, 0], [0, 0, 0, 0]])
    x = {plan.inputs[0].var: x} if plan.multi else x
    t_out, k_out = torch_outputs(plan, tmodel, x), keras_outputs(plan, kmodel, x)
    for name in t_out:
        assert np.isfinite(t_out[name]).all()
        np.testing.assert_allclose(t_out[name], k_out[name], atol=1e-5)
