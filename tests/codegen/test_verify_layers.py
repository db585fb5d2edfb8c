"""Every catalog layer alone, with its parameter variants, passes verify (both models in one process)."""

from __future__ import annotations

import pytest
from codegen_helpers import EXAMPLE_NAMES, EXAMPLES, example, merge_project, single_layer

pytestmark = pytest.mark.frameworks

P4 = [1, 1, 1, 1]
CASES = [
    ("vector", "dense", {"units": 5}),
    ("vector", "dense", {"units": 5, "use_bias": False}),
    *[
        ("vector", "dense", {"units": 5, "activation": a})
        for a in ("relu", "sigmoid", "tanh", "softmax", "gelu", "elu")
    ],
    ("sequence", "dense", {"units": 3}),
    ("vector", "dropout", {"rate": 0.3}),
    ("vector", "relu", {}),
    ("vector", "leaky_relu", {"negative_slope": 0.2}),
    ("vector", "sigmoid", {}),
    ("vector", "tanh", {}),
    ("vector", "softmax", {"axis": -1}),
    ("image", "softmax", {"axis": 1}),
    ("vector", "gelu", {"approximate": "none"}),
    ("vector", "gelu", {"approximate": "tanh"}),
    ("vector", "elu", {"alpha": 0.5}),
    ("vector", "silu", {}),
    ("vector", "softplus", {}),
    ("vector", "reshape", {"target_shape": [2, 3]}),
    ("vector", "reshape", {"target_shape": [3, 2, 1]}),
    ("image", "reshape", {"target_shape": [9, 24]}),
    ("image", "flatten", {}),
    ("signal", "flatten", {}),
    ("sequence", "permute", {"order": [2, 1]}),
    ("image", "permute", {"order": [2, 3, 1]}),
    ("image", "conv2d", {"filters": 4}),
    ("image", "conv2d", {"filters": 4, "strides": [2, 2]}),
    ("image", "conv2d", {"filters": 4, "padding": P4}),
    ("image", "conv2d", {"filters": 4, "padding": P4, "strides": [2, 2]}),
    ("image", "conv2d", {"filters": 4, "padding": [0, 1, 2, 0]}),
    ("image", "conv2d", {"filters": 4, "kernel_size": [2, 3], "padding": [0, 1, 1, 1]}),
    ("image", "conv2d", {"filters": 4, "dilation": [2, 2]}),
    ("image", "conv2d", {"filters": 6, "groups": 3}),
    ("image", "conv2d", {"filters": 4, "use_bias": False}),
    ("image", "conv2d_transpose", {"filters": 4}),
    ("image", "conv2d_transpose", {"filters": 4, "kernel_size": [3, 3], "padding": P4, "output_padding": [1, 1]}),
    ("image", "conv2d_transpose", {"filters": 4, "kernel_size": [3, 3], "padding": [0, 1, 1, 0]}),
    ("image", "conv2d_transpose", {"filters": 4, "use_bias": False}),
    ("image", "upsampling2d", {"scale": [2, 3], "interpolation": "nearest"}),
    ("image", "upsampling2d", {"scale": [2, 2], "interpolation": "bilinear"}),
    ("image", "zero_padding2d", {"padding": [1, 0, 2, 1]}),
    ("image", "maxpool2d", {}),
    ("image", "maxpool2d", {"pool_size": [3, 3], "strides": [2, 2], "padding": P4}),
    ("image", "maxpool2d", {"pool_size": [3, 3], "strides": [2, 2], "ceil_mode": True}),
    ("image", "maxpool2d", {"pool_size": [2, 2], "strides": [2, 2], "padding": [1, 0, 0, 1]}),
    ("image", "avgpool2d", {}),
    ("image", "avgpool2d", {"pool_size": [3, 3], "strides": [2, 2], "padding": P4}),
    ("image", "avgpool2d", {"pool_size": [3, 3], "strides": [1, 1], "padding": P4, "count_include_pad": False}),
    ("image", "global_avg_pool", {}),
    ("image", "global_max_pool", {}),
    ("signal", "global_avg_pool", {}),
    ("signal", "global_max_pool", {}),
    ("sequence", "global_avg_pool", {}),
    ("sequence", "global_max_pool", {}),
    ("signal", "conv1d", {"filters": 4}),
    ("signal", "conv1d", {"filters": 4, "padding": [1, 2], "stride": 2}),
    ("signal", "conv1d", {"filters": 4, "dilation": 2, "padding": [2, 2]}),
    ("signal", "conv1d", {"filters": 4, "use_bias": False}),
    ("signal", "maxpool1d", {}),
    ("signal", "maxpool1d", {"pool_size": 3, "stride": 2, "ceil_mode": True}),
    ("signal", "maxpool1d", {"pool_size": 3, "stride": 2, "padding": [1, 1]}),
    ("vector", "batch_norm", {"epsilon": 1e-3, "momentum": 0.2}),
    ("image", "batch_norm", {}),
    ("signal", "batch_norm", {}),
    ("vector", "layer_norm", {"epsilon": 1e-4}),
    ("sequence", "layer_norm", {}),
    ("image", "dropout", {"rate": 0.2, "spatial": True}),
    ("signal", "dropout", {"rate": 0.2, "spatial": True}),
    ("sequence", "dropout", {"rate": 0.2, "spatial": True}),
    ("tokens", "embedding", {"input_dim": 11, "output_dim": 3}),
    *[("sequence", "simple_rnn", {"units": 3, "return_sequences": rs}) for rs in (False, True)],
    *[
        ("sequence", rnn, {"units": 3, "return_sequences": rs, "bidirectional": bi})
        for rnn in ("lstm", "gru")
        for rs in (False, True)
        for bi in (False, True)
    ],
    ("sequence", "simple_rnn", {"units": 3, "activation": "relu"}),
]


@pytest.mark.parametrize("kind,type_id,params", CASES, ids=[f"{t}-{k}-{i}" for i, (k, t, _) in enumerate(CASES)])
def test_layer_alone_verifies(kind, type_id, params):
    from codegen.verify import verify

    report = verify(single_layer(kind, type_id, params))
    assert report.ok, report.text()


@pytest.mark.parametrize(
    "type_id,params,kind",
    [
        ("add", {}, "image"),
        ("multiply", {}, "vector"),
        ("concatenate", {"axis": 1}, "image"),
        ("concatenate", {"axis": -1}, "image"),
        ("concatenate", {"axis": 2}, "sequence"),
    ],
)
def test_merge_layers_verify(type_id, params, kind):
    from codegen.verify import verify

    report = verify(merge_project(type_id, params, kind))
    assert report.ok, report.text()


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_examples_verify(name):
    """Forward pass and training path, on a batch of the example's own bundled data (MNIST: synthetic)."""
    from codegen.verify import verify

    report = verify(example(name), str(EXAMPLES))
    assert report.ok, report.text()
    data = next(c for c in report.checks if c.name == "training data")
    assert name == "mnist_mlp" or "synthetic" not in data.detail, data.detail  # MNIST: only if cached
