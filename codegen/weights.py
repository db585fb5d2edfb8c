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


def torch_to_keras(step: Step, arrays: dict[str, np.ndarray]) -> list[np.ndarray]:
    """The Keras weight list for one node from its PyTorch module's state (as NumPy arrays)."""
    convert = KERAS.get(step.type).weights
    return [np.ascontiguousarray(a, dtype=np.float32) for a in convert(step, arrays)]


def module_arrays(module) -> dict[str, np.ndarray]:
    """A PyTorch module's parameters and buffers as NumPy arrays (num_batches_tracked dropped)."""
    return {k: v.detach().cpu().numpy() for k, v in module.state_dict().items() if k != "num_batches_tracked"}


def copy_torch_to_keras(plan, torch_model, keras_model) -> None:
    """Copy every layer's weights from the PyTorch model into the Keras model, by identifier."""
    for step in plan.steps:
        if has_weights(step):
            arrays = module_arrays(getattr(torch_model, step.name))
            keras_model.get_layer(step.name).set_weights(torch_to_keras(step, arrays))
