"""FLOPs and activation memory (graph/costs.py) against hand-computed values."""

from __future__ import annotations

import pytest

from graph.analysis import analyze
from graph.costs import compute_costs, format_bytes, format_flops, layer_flops
from graph.model import Graph
from graph.summary import summary_table
from graph.tensors import image, sequence, vector


def chain(*layers):
    """A graph of layers in a row (type, params); returns (graph, analysis, ids)."""
    g = Graph()
    ids, prev = [], None
    for type_id, params in layers:
        node = g.add_node(type_id, params)
        if prev is not None:
            g.connect(prev, "out", node.id, "in")
        ids.append(node.id)
        prev = node.id
    return g, analyze(g), ids


def test_dense_is_two_flops_per_multiply_add_plus_bias():
    out = {"out": vector(128)}
    assert layer_flops("dense", {"units": 128, "use_bias": True}, {"in": vector(784)}, out) == 2 * 784 * 128 + 128
    assert layer_flops("dense", {"units": 128, "use_bias": False}, {"in": vector(784)}, out) == 2 * 784 * 128
    relu = {"units": 128, "use_bias": True, "activation": "relu"}
    assert layer_flops("dense", relu, {"in": vector(784)}, out) == 2 * 784 * 128 + 128 + 128
    # on a sequence the same weights run at every step
    assert layer_flops("dense", {"units": 4}, {"in": sequence(10, 8)}, {"out": sequence(10, 4)}) == 10 * (64 + 4)


def test_conv2d_counts_every_output_element():
    g, a, ids = chain(
        ("input.image", {"channels": 3, "height": 32, "width": 32}),
        ("conv2d", {"filters": 16, "kernel_size": [3, 3], "padding": [1, 1, 1, 1]}),
    )
    cost = compute_costs(g, a).layers[ids[1]]
    out = 16 * 32 * 32
    assert cost.flops == out * 2 * 3 * 9 + out == 901_120
    assert cost.elements == out and cost.bytes == out * 4


def test_depthwise_separable_and_transposed_convolutions():
    x = image(8, 10, 10)
    dw = {"depth_multiplier": 1, "kernel_size": [3, 3], "use_bias": False}
    assert layer_flops("depthwise_conv2d", dw, {"in": x}, {"out": image(8, 8, 8)}) == 8 * 8 * 8 * 2 * 9
    sep = {"filters": 4, "depth_multiplier": 1, "kernel_size": [3, 3], "use_bias": True}
    spatial = 8 * 8
    expected = spatial * 8 * 2 * 9 + spatial * 4 * 2 * 8 + 4 * spatial
    assert layer_flops("separable_conv2d", sep, {"in": x}, {"out": image(4, 8, 8)}) == expected
    tr = {"filters": 2, "kernel_size": [2, 2], "use_bias": False}
    assert layer_flops("conv2d_transpose", tr, {"in": x}, {"out": image(2, 20, 20)}) == 2 * 800 * 2 * 4


def test_lstm_is_per_step_times_steps():
    g, a, ids = chain(("input.sequence", {"steps": 20, "features": 8}), ("lstm", {"units": 16}))
    h, f, t = 16, 8, 20
    per_step = 2 * 4 * h * (f + h) + 4 * h + 9 * h  # gate weights, one bias per gate, element-wise updates
    cost = compute_costs(g, a).layers[ids[1]]
    assert cost.flops == t * per_step == 65_600
    assert cost.elements == h  # the state output is the last step of out: not counted twice
    both = {"units": 16, "bidirectional": True, "num_layers": 2}
    level2 = 2 * (2 * 4 * h * (2 * h + h) + 4 * h + 9 * h)
    assert layer_flops("lstm", both, {"in": sequence(t, f)}, {"out": vector(32)}) == t * (2 * per_step + level2)


def test_attention_counts_projections_scores_and_weighted_sum():
    g = Graph()
    x = g.add_node("input.sequence", {"steps": 10, "features": 16}).id
    mha = g.add_node("multi_head_attention", {"num_heads": 4}).id
    g.connect(x, "out", mha, "query")
    a = analyze(g)
    t = s = 10
    e = 16
    projections = 4 * (2 * t * e * e) + 4 * (t * e)  # query, key, value, output and their biases
    expected = projections + 2 * t * s * e + 2 * t * s * e
    cost = compute_costs(g, a).layers[mha]
    assert cost.flops == expected == 27_520
    assert cost.elements == t * e + 4 * t * s  # the output and the attention weights


def lenet():
    return chain(
        ("input.image", {"channels": 1, "height": 32, "width": 32}),
        ("conv2d", {"filters": 6, "kernel_size": [5, 5]}),
        ("maxpool2d", {"pool_size": [2, 2], "strides": [2, 2]}),
        ("conv2d", {"filters": 16, "kernel_size": [5, 5]}),
        ("maxpool2d", {"pool_size": [2, 2], "strides": [2, 2]}),
        ("flatten", {}),
        ("dense", {"units": 120}),
        ("dense", {"units": 84}),
        ("dense", {"units": 10}),
        ("output.classification", {}),
    )


def test_lenet_totals():
    g, a, ids = lenet()
    assert a.ok
    costs = compute_costs(g, a, batch_size=32)
    macs = 117_600 + 240_000 + 48_000 + 10_080 + 840  # LeNet-5's well-known 416,520 multiply-adds
    biases = 6 * 28 * 28 + 16 * 10 * 10 + 120 + 84 + 10
    pools = 6 * 14 * 14 * 4 + 16 * 5 * 5 * 4
    assert costs.flops == 2 * macs + biases + pools == 845_862
    elements = 1024 + 4704 + 1176 + 1600 + 400 + 400 + 120 + 84 + 10
    assert costs.bytes == 4 * elements == 38_072
    assert costs.batch_bytes == 32 * 38_072
    assert costs.complete and costs.layers[ids[-1]].flops == 0


def test_unknown_shapes_have_no_figures():
    g = Graph()
    g.add_node("dense", {"units": 4})  # no input: its shape is unknown
    costs = compute_costs(g, analyze(g))
    assert not costs.complete and costs.flops == 0
    assert format_flops(None) == "?" and format_bytes(None) == "?"


@pytest.mark.parametrize(
    ("n", "text"), [(0, "0"), (999, "999"), (1_500, "1.5 K"), (845_862, "846 K"), (2_340_000_000, "2.34 G")]
)
def test_format_flops(n, text):
    assert format_flops(n) == text


def test_format_bytes():
    assert format_bytes(40) == "40 B" and format_bytes(4096) == "4 KiB" and format_bytes(3 * 2**20) == "3 MiB"


def test_summary_table_has_flops_and_memory_columns():
    g, a, _ = lenet()
    text = summary_table(g, a, "lenet", batch_size=32)
    assert "FLOPs" in text and "Memory" in text and "Param #" in text
    assert "FLOPs per sample: 845,862 (846 K)" in text
    assert "for a batch of 32" in text and format_bytes(32 * 38_072) in text
