"""Where each layer's output is in the generated model code, for the teaching views (``--inspect``).

The scripts record every layer's output with a line tracer over the model's own functions (PyTorch's
``forward`` methods, Keras' ``build_model`` and block functions): when the statements a layer
produced have run, its variable holds its output. So the views show what the exported code computes,
with no second forward pass to keep in step. This module writes the table the tracer reads:

    PROBES = {"Model.forward": [(first, last, "x", {None: "conv1"}), ...], ...}

``first``/``last`` are the statement's lines counted from the function's ``def`` line; the dict maps
the block instance (the module path in PyTorch, the ``name`` argument in Keras; None outside blocks) to
the layer's name in the project. Framework-free: it reads the emitted lines only.
"""

from __future__ import annotations

import re

from codegen.emitter import Emitter, Plan
from codegen.pyfmt import LINE_LENGTH, lit

_CLASS = re.compile(r"^class (\w+)\(")
_DEF = re.compile(r"^(\s*)def (\w+)\(")
_TRACED = {"forward", "build_model"}


def _functions(em: Emitter, block_functions: set[str]) -> list[tuple[str, int, int]]:
    """(key, def line index, end index) of the functions the tracer follows, in ``em``'s lines."""
    out, cls = [], None
    lines = em.lines
    for i, text in enumerate(lines):
        m = _CLASS.match(text)
        if m:
            cls = m.group(1)
            continue
        m = _DEF.match(text)
        if not m:
            continue
        indent, name = m.groups()
        if not indent:
            cls = None
        if name not in _TRACED and name not in block_functions:
            continue
        end = i + 1
        while end < len(lines) and (not lines[end] or lines[end].startswith(indent + " ")):
            end += 1
        key = f"{cls}.{name}" if indent and cls else name
        out.append((key, i, end))
    return out


def probe_table(plan: Plan, em: Emitter, keras: bool, block_functions: set[str] = frozenset()) -> dict:
    """{function key: [(first, last, var, {scope: layer name})]} from the emitted model ``em``."""
    steps = {s.id: s for s in plan.steps}
    instances: dict[str, list] = {}  # first instance's step id -> the same layer in every instance
    for block in plan.blocks:
        for step in block.steps:
            instances.setdefault(step.name, []).append((block, step))
    owners = em._owner
    table: dict[str, list] = {}
    if keras:  # the block functions: def name(..., name):
        block_functions = set(block_functions) | {
            m.group(1) for text in em.lines if (m := re.match(r"^def (\w+)\(.*\bname\):", text))
        }
    for key, start, end in _functions(em, block_functions):
        rows: dict[str, list[int]] = {}
        for i in range(start + 1, end):
            nid = owners[i]
            if nid in steps:
                rows.setdefault(nid, []).append(i - start)
        entries = []
        for nid, offsets in rows.items():
            step = steps[nid]
            if step.scope:
                same = [s for b, s in instances.get(step.name, []) if s.name == step.name]
                names = {s.scope: s.display for s in same}
            else:
                names = {None: step.display}
            entries.append((min(offsets), max(offsets), step.var, names))
        if key in ("Model.forward", "build_model"):
            if not keras:  # the Inputs are forward's arguments: there before its first line
                entries += [(0, 0, s.var, {None: s.display}) for s in plan.inputs]
            entries += [(10**6, 10**6, hp.output_var, {None: hp.display}) for hp in plan.heads]  # at return
        if entries:
            table[key] = sorted(entries, key=lambda e: (e[1], e[0]))
    return table


def assignment(name: str, value, comment: str = "") -> str:
    """``name = value`` laid out like ``ruff format``: on one line when it fits, else each container
    split one item per line (with a trailing comma), as deep as needed."""
    return _layout(f"{name} = ", value, "", comment and f"  # {comment}")


def _layout(prefix: str, value, indent: str, suffix: str) -> str:
    flat = f"{indent}{prefix}{lit(value)}{suffix}"
    if len(flat) <= LINE_LENGTH or not isinstance(value, dict | list | tuple) or not value:
        return flat
    if isinstance(value, dict):
        opening, closing = "{", "}"
        items = [(f"{lit(k)}: ", v) for k, v in value.items()]
    else:
        opening, closing = ("[", "]") if isinstance(value, list) else ("(", ")")
        items = [("", v) for v in value]
    inner = indent + "    "
    lines = [f"{indent}{prefix}{opening}"]
    lines += [_layout(key, v, inner, ",") for key, v in items]
    lines.append(f"{indent}{closing}{suffix}")
    return "\n".join(lines)


def table_source(table: dict) -> str:
    """The PROBES assignment as Python source."""
    return assignment("PROBES", table)


def heads_source(plan: Plan) -> str:
    """HEAD_ACTIVATIONS: what turns each head's scores into what it predicts (for the views)."""
    acts = {}
    for hp in plan.heads:
        kind = hp.head.task
        acts[hp.display] = (
            "softmax" if kind == "classification" else "sigmoid" if kind in ("binary", "multilabel") else None
        )
    return assignment("HEAD_ACTIVATIONS", acts)


def keras_layouts_source(plan: Plan) -> str:
    """KERAS_AXES: for each layer whose Keras tensor is channels last, the axes back to channels first."""
    import numpy as np

    from codegen.verify import stored_axes

    axes = {}
    for step in plan.steps:
        t = step.out
        if t is not None and t.channels_first:
            axes[step.display] = [int(a) for a in np.argsort(stored_axes(t))]
    return assignment("KERAS_AXES", axes, "the axes from Keras' channels-last order to LayerLab's")


def _module_or_layer(plan: Plan, step, keras: bool, suffix: str = "") -> str:
    """Where a layer's weights are: its PyTorch module path, or its (or its ``suffix`` helper's) Keras layer."""
    from codegen.weights import keras_layer_name

    return keras_layer_name(plan, step, suffix) if keras else step.module


def weighted_layers(plan: Plan, keras: bool) -> dict[str, list[str]]:
    """{layer name: its PyTorch module path, or its Keras layers' names} for the layers with weights.

    A layer Keras builds as several (a stacked LSTM) lists the helpers ``ctx.aux`` named too; a name that
    is not a layer (a second output's variable) is skipped by the script."""
    from codegen.weights import has_weights

    out = {}
    for step in plan.steps:
        if has_weights(step):
            suffixes = [""] + ((step.ns or plan.ns).suffixes_of(step.id) if keras else [])
            out[step.display] = list(dict.fromkeys(_module_or_layer(plan, step, keras, x) for x in suffixes))
    return out


def kernel_layers(plan: Plan, keras: bool) -> dict[str, str]:
    """{Conv2D layer name: where its weights are} (plain, ungrouped kernels: the kernel view)."""
    ok = [s for s in plan.steps if s.type == "conv2d" and s.params.get("groups", 1) == 1]
    return {s.display: _module_or_layer(plan, s, keras) for s in ok}


def dense_layers(plan: Plan, keras: bool) -> dict[str, str]:
    """{Dense layer name: where its weights are} (the playground's connections)."""
    return {s.display: _module_or_layer(plan, s, keras) for s in plan.steps if s.type == "dense"}


__all__ = [
    "dense_layers",
    "kernel_layers",
    "heads_source",
    "keras_layouts_source",
    "probe_table",
    "table_source",
    "weighted_layers",
]
