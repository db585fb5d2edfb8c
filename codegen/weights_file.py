"""LayerLab's weights file: one NPZ (no object arrays, loads with ``allow_pickle=False``) holding a model's
weights in both frameworks' layouts, so each generated script loads its own part without converting.

Keys: ``pytorch/<module>.<tensor>`` as in the PyTorch model's ``state_dict``, ``keras/<layer>/<i>`` for the
i-th array of ``keras_layer.get_weights()``, and ``layerlab/format``. Framework-free (NumPy only).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import numpy as np

from codegen.weights import has_weights, keras_weights

FORMAT = "layerlab-weights-1"


def weights_entries(plan, arrays: dict[str, dict[str, np.ndarray]]) -> dict[str, np.ndarray]:
    """The file's arrays from {PyTorch module path (step.module): its state_dict arrays}."""
    out: dict[str, np.ndarray] = {"layerlab/format": np.array(FORMAT)}
    for step in plan.steps:
        if not has_weights(step) or step.module not in arrays:
            continue
        tensors = arrays[step.module]
        for key, value in tensors.items():
            out[f"pytorch/{step.module}.{key}"] = np.ascontiguousarray(value, dtype=np.float32)
        for layer, lists in keras_weights(plan, step, tensors):
            for i, value in enumerate(lists):
                out[f"keras/{layer}/{i}"] = value
    return out


def write_weights(path: str | os.PathLike, plan, arrays: dict[str, dict[str, np.ndarray]]) -> int:
    """Write the file atomically (a temporary file renamed over ``path``); returns the number of tensors."""
    entries = weights_entries(plan, arrays)
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=path.name, suffix=".tmp.npz", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            np.savez(fh, **entries)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return sum(1 for k in entries if k.startswith("pytorch/"))


def read_weights(path: str | os.PathLike) -> dict[str, np.ndarray]:
    """All arrays of a weights file; ValueError naming the problem for anything else."""
    try:
        with np.load(path, allow_pickle=False) as data:
            entries = {k: data[k] for k in data.files}
    except (OSError, ValueError, EOFError) as err:
        raise ValueError(f"{path}: not a readable weights file ({err})") from None
    if str(entries.get("layerlab/format", "")) != FORMAT:
        raise ValueError(f"{path}: not a LayerLab weights file (no layerlab/format = {FORMAT})")
    return entries
