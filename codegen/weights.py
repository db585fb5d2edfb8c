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
    if step.scope:  # inside a block: the block function prefixes its layers' names
        if not suffix:
            return f"{step.scope}_{step.name}"
        local = step.ns.name_of((step.id, suffix)) if step.ns.knows((step.id, suffix)) else f"{step.name}_{suffix}"
        return f"{step.scope}_{local}"
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
            arrays = module_arrays(torch_model.get_submodule(step.module))
            for name, weights in keras_weights(plan, step, arrays):
                keras_model.get_layer(name).set_weights(weights)


def keras_to_torch(
    step: Step, lists: dict[str, list[np.ndarray]], shapes: dict[str, tuple[int, ...]]
) -> dict[str, np.ndarray]:
    """Keras → PyTorch: the inverse of ``keras_weight_lists`` for one node, derived from it.

    Every Keras conversion rearranges PyTorch's values (transposes, gate reorders, splits); LSTM's one
    Keras bias is the sum of PyTorch's two. So each PyTorch tensor is sent through the conversion alone,
    numbered 1..n, and each number's place in the Keras lists says where its value comes from. A Keras
    value already claimed by an earlier tensor (LSTM's bias_hh after bias_ih) leaves the later one at 0,
    which keeps the sum. No per-layer inverse to write: a new layer's import comes from its export.
    ``shapes``: the node's PyTorch ``state_dict`` shapes. ValueError when the lists do not fit."""
    convert = KERAS.get(step.type).weights
    expected = {k: [np.shape(a) for a in v] for k, v in _as_dict(convert(step, _zeros(shapes))).items()}
    given = {k: [np.shape(a) for a in v] for k, v in lists.items()}
    if expected != given:
        raise ValueError(f"{step.name}: Keras weights {given} do not fit the layer (expected {expected})")
    claimed = {k: [np.zeros(s, bool) for s in v] for k, v in expected.items()}
    out: dict[str, np.ndarray] = {}
    for key, shape in shapes.items():
        probe = _zeros(shapes)
        n = int(np.prod(shape))
        probe[key] = np.arange(1, n + 1, dtype=np.float64).reshape(shape)
        flat = np.zeros(n, np.float32)
        for sfx, arrays in _as_dict(convert(step, probe)).items():
            for i, a in enumerate(arrays):
                a = np.asarray(a)
                mask = (a != 0) & ~claimed[sfx][i]
                flat[np.rint(a[mask]).astype(np.int64) - 1] = np.asarray(lists[sfx][i])[mask]
                claimed[sfx][i] |= mask
        out[key] = flat.reshape(shape)
    return out


def _zeros(shapes: dict[str, tuple[int, ...]]) -> dict[str, np.ndarray]:
    return {k: np.zeros(s, np.float64) for k, s in shapes.items()}


def _as_dict(out) -> dict:
    return out if isinstance(out, dict) else {"": out}
