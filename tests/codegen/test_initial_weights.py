"""Both scripts start from the same initial-weight distributions (docs/equivalence.md §4).

The PyTorch model sets Keras' defaults in ``reset_parameters``; Keras uses its own defaults. With the same
seed the random streams differ, so each layer's weights are compared by their statistics: the Glorot
bound and standard deviation, orthogonal recurrent kernels, zero biases and LSTM's forget-gate bias of 1.
"""

from __future__ import annotations

import numpy as np
import pytest
from codegen_helpers import chain

from codegen.api import generate
from codegen.emitter import build_plan
from codegen.verify import exec_source
from codegen.weights import has_weights, module_arrays, torch_to_keras

pytestmark = pytest.mark.frameworks

SEED = 3


def _models(project):
    """(plan, PyTorch model as the script initialises it, Keras model), both seeded with SEED."""
    import keras
    import torch

    tns = exec_source(generate(project, "pytorch").source, "<init torch>")
    kns = exec_source(generate(project, "tensorflow").source, "<init keras>")
    torch.manual_seed(SEED)
    tmodel = tns["Model"]()
    keras.utils.set_random_seed(SEED)
    kmodel = kns["build_model"]()
    return build_plan(project.graph), tmodel, kmodel


def _weight_pairs(project):
    """{layer name: [(torch array in Keras layout, Keras array), ...]} for every layer with weights."""
    plan, tmodel, kmodel = _models(project)
    out = {}
    for step in plan.steps:
        if has_weights(step):
            torch_weights = torch_to_keras(step, module_arrays(getattr(tmodel, step.name)))
            keras_weights = [np.asarray(w) for w in kmodel.get_layer(step.name).get_weights()]
            out[step.type] = list(zip(torch_weights, keras_weights, strict=True))
    return out


def _glorot_bound(kernel: np.ndarray) -> float:
    """Keras' fans: the last axis is fan_out, the one before fan_in, the rest the receptive field."""
    receptive = int(np.prod(kernel.shape[:-2])) if kernel.ndim > 2 else 1
    fan_in, fan_out = kernel.shape[-2] * receptive, kernel.shape[-1] * receptive
    return float(np.sqrt(6.0 / (fan_in + fan_out)))


def _check_glorot(tw: np.ndarray, kw: np.ndarray) -> None:
    assert tw.shape == kw.shape
    bound = _glorot_bound(kw)
    for w in (tw, kw):
        assert np.abs(w).max() <= bound * (1 + 1e-6)
        assert abs(w.std() / (bound / np.sqrt(3.0)) - 1.0) < 0.1  # uniform(±b) has std b/√3
    assert abs(tw.std() / kw.std() - 1.0) < 0.1


def _check_orthogonal(tw: np.ndarray, kw: np.ndarray) -> None:
    """Keras' recurrent kernel (units, gates·units) has orthonormal rows."""
    for w in (tw, kw):
        np.testing.assert_allclose(w @ w.T, np.eye(w.shape[0]), atol=1e-5)
    assert abs(tw.std() / kw.std() - 1.0) < 0.1


def test_dense_conv_and_transposed_conv_start_alike():
    project = chain(
        [
            ("input.image", {"channels": 3, "height": 12, "width": 12}),
            ("conv2d", {"filters": 32, "kernel_size": [3, 3]}),
            ("conv2d_transpose", {"filters": 16, "kernel_size": [3, 3]}),
            ("flatten", {}),
            ("dense", {"units": 64}),
        ]
    )
    pairs = _weight_pairs(project)
    for layer in ("conv2d", "conv2d_transpose", "dense"):
        (tw, kw), (tb, kb) = pairs[layer]
        _check_glorot(tw, kw)
        assert not tb.any() and not kb.any(), f"{layer} bias"


def test_embedding_lstm_and_gru_start_alike():
    units = 32
    project = chain(
        [
            ("input.tokens", {"steps": 6, "vocab_size": 200}),
            ("embedding", {"input_dim": 200, "output_dim": 48}),
            ("lstm", {"units": units, "return_sequences": True}),
            ("gru", {"units": units}),
            ("dense", {"units": 3}),
        ],
        head="output.classification",
    )
    pairs = _weight_pairs(project)

    [(te, ke)] = pairs["embedding"]
    for w in (te, ke):
        assert np.abs(w).max() <= 0.05
        assert abs(w.std() / (0.05 / np.sqrt(3.0)) - 1.0) < 0.1

    (tk, kk), (tr, kr), (tb, kb) = pairs["lstm"]
    _check_glorot(tk, kk)
    _check_orthogonal(tr, kr)
    forget = np.zeros(4 * units)
    forget[units : 2 * units] = 1.0  # Keras' unit_forget_bias (gate order i, f, c, o)
    np.testing.assert_array_equal(tb, forget)
    np.testing.assert_array_equal(kb, forget)

    (tk, kk), (tr, kr), (tb, kb) = pairs["gru"]
    _check_glorot(tk, kk)
    _check_orthogonal(tr, kr)
    assert not tb.any() and not kb.any()


def test_reset_parameters_keeps_the_frozen_recurrent_bias():
    project = chain(
        [("input.sequence", {"steps": 5, "features": 4}), ("lstm", {"units": 8, "bidirectional": True})],
    )
    _, tmodel, _ = _models(project)
    lstm = next(m for m in tmodel.modules() if type(m).__name__ == "LSTM")
    for suffix in ("", "_reverse"):
        bias_hh = getattr(lstm, f"bias_hh_l0{suffix}")
        assert not bias_hh.requires_grad and not bias_hh.detach().any()
        assert getattr(lstm, f"bias_ih_l0{suffix}").detach()[8:16].eq(1).all()
