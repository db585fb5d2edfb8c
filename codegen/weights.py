"""PyTorch → Keras weight conversion, through each layer's Keras lowering (docs/equivalence.md §4).

Works on NumPy arrays keyed like a PyTorch ``state_dict`` of one module, so it needs neither
framework: ``torch_to_keras(step, arrays)`` returns the list for ``keras_layer.set_weights``.
"""

from __future__ import annotations

import numpy as np

from codegen.backend import KERAS
from codegen.emitter import Step


def has_weights(step: Step) -> bool:
    lowering = KERAS.get(step.type)
    return lowering is not None and lowering.weights is not None


def keras_weight_lists(step: Step, arrays: dict[str, np.ndarray]) -> dict[str, list[np.ndarray]]:
    """{Keras layer suffix ("" = the node's own layer): weight list} from the PyTorch module's arrays.

    A node is one PyTorch module; in Keras it may be several layers (a stacked bidirectional LSTM):
    the lowering then returns a dict keyed by the suffix it gave ``ctx.aux``.
    """
    out = KERAS.get(step.type).weights(step, arrays)
    lists = out if isinstance(out, dict) else {"": out}
    return {k: [np.ascontiguousarray(a, dtype=np.float32) for a in v] for k, v in lists.items()}


def torch_to_keras(step: Step, arrays: dict[str, np.ndarray]) -> list[np.ndarray]:
    """The weight list of the node's own Keras layer (the one named like the node)."""
    return keras_weight_lists(step, arrays)[""]


def keras_layer_name(plan, step: Step, suffix: str) -> str:
    """The Keras layer a weight list belongs to: the node's own, or the one ``ctx.aux`` named."""
    if not suffix:
        return step.name
    try:
        return plan.ns.name_of((step.id, suffix))
    except KeyError:  # a plan that was not rendered: the name ctx.aux gives when nothing collides
        return f"{step.name}_{suffix}"


def keras_weights(plan, step: Step, arrays: dict[str, np.ndarray]) -> list[tuple[str, list[np.ndarray]]]:
    """[(Keras layer name, weight list)] for one node."""
    return [(keras_layer_name(plan, step, k), v) for k, v in keras_weight_lists(step, arrays).items()]


def module_arrays(module) -> dict[str, np.ndarray]:
    """A PyTorch module's parameters and buffers as NumPy arrays (num_batches_tracked dropped)."""
    return {k: v.detach().cpu().numpy() for k, v in module.state_dict().items() if k != "num_batches_tracked"}


def copy_torch_to_keras(plan, torch_model, keras_model, steps=None) -> None:
    """Copy every layer's weights from the PyTorch model into the Keras model, by identifier.

    ``steps``: only these (a GAN copies its generator and its discriminator separately)."""
    for step in plan.steps if steps is None else steps:
        if has_weights(step):
            arrays = module_arrays(getattr(torch_model, step.name))
            for name, weights in keras_weights(plan, step, arrays):
                keras_model.get_layer(name).set_weights(weights)
