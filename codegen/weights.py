"""PyTorch → Keras weight conversion for every layer with weights (docs/equivalence.md §4).

Works on NumPy arrays keyed like a PyTorch ``state_dict`` of one module, so it needs neither
framework: ``torch_to_keras(step, arrays)`` returns the list for ``keras_layer.set_weights``.
"""

from __future__ import annotations

import numpy as np

from codegen.emitter import Step


def _dense(step: Step, w: dict) -> list:
    out = [w["weight"].T]
    return out + ([w["bias"]] if "bias" in w else [])


def _conv(step: Step, w: dict) -> list:
    kernel = w["weight"]
    # (O, I/g, kh, kw) -> (kh, kw, I/g, O); 1-D (O, I, k) -> (k, I, O); no flip.
    axes = (2, 3, 1, 0) if kernel.ndim == 4 else (2, 1, 0)
    return [kernel.transpose(axes)] + ([w["bias"]] if "bias" in w else [])


def _conv_transpose(step: Step, w: dict) -> list:
    # torch (in, out, kh, kw) -> Keras (kh, kw, out, in)
    return [w["weight"].transpose(2, 3, 1, 0)] + ([w["bias"]] if "bias" in w else [])


def _batch_norm(step: Step, w: dict) -> list:
    return [w["weight"], w["bias"], w["running_mean"], w["running_var"]]


def _layer_norm(step: Step, w: dict) -> list:
    gamma, beta = w["weight"], w["bias"]
    if gamma.ndim > 1:  # (C, H, W) -> (H, W, C): Keras normalises the channels-last tensor
        gamma, beta = np.moveaxis(gamma, 0, -1), np.moveaxis(beta, 0, -1)
    return [gamma, beta]


def _embedding(step: Step, w: dict) -> list:
    return [w["weight"]]


def _gru_reorder(a: np.ndarray) -> np.ndarray:
    """PyTorch's gate blocks r, z, n -> Keras' z, r, h (first axis)."""
    r, z, n = np.split(a, 3, axis=0)
    return np.concatenate([z, r, n], axis=0)


def _recurrent_direction(kind: str, w: dict, sfx: str) -> list:
    w_ih, w_hh = w[f"weight_ih_l0{sfx}"], w[f"weight_hh_l0{sfx}"]
    b_ih, b_hh = w[f"bias_ih_l0{sfx}"], w[f"bias_hh_l0{sfx}"]
    if kind == "gru":
        return [_gru_reorder(w_ih).T, _gru_reorder(w_hh).T, np.stack([_gru_reorder(b_ih), _gru_reorder(b_hh)])]
    return [w_ih.T, w_hh.T, b_ih + b_hh]  # LSTM gate order i, f, g, o is the same in Keras


def _recurrent(step: Step, w: dict) -> list:
    out = _recurrent_direction(step.type, w, "")
    if step.params.get("bidirectional"):
        out += _recurrent_direction(step.type, w, "_reverse")
    return out


CONVERTERS = {
    "dense": _dense,
    "conv1d": _conv,
    "conv2d": _conv,
    "conv2d_transpose": _conv_transpose,
    "batch_norm": _batch_norm,
    "layer_norm": _layer_norm,
    "embedding": _embedding,
    "simple_rnn": _recurrent,
    "lstm": _recurrent,
    "gru": _recurrent,
}


def has_weights(step: Step) -> bool:
    return step.type in CONVERTERS


def torch_to_keras(step: Step, arrays: dict[str, np.ndarray]) -> list[np.ndarray]:
    """The Keras weight list for one node from its PyTorch module's state (as NumPy arrays)."""
    return [np.ascontiguousarray(a, dtype=np.float32) for a in CONVERTERS[step.type](step, arrays)]


def module_arrays(module) -> dict[str, np.ndarray]:
    """A PyTorch module's parameters and buffers as NumPy arrays (num_batches_tracked dropped)."""
    return {k: v.detach().cpu().numpy() for k, v in module.state_dict().items() if k != "num_batches_tracked"}


def copy_torch_to_keras(plan, torch_model, keras_model) -> None:
    """Copy every layer's weights from the PyTorch model into the Keras model, by identifier."""
    for step in plan.steps:
        if has_weights(step):
            arrays = module_arrays(getattr(torch_model, step.name))
            keras_model.get_layer(step.name).set_weights(torch_to_keras(step, arrays))
