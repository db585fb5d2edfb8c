"""The one-click fixes the analysis can work out from the whole graph (and the dataset).

Shape rules attach their own fixes (``ShapeError.action``); this pass adds the ones that need more
than one node's inputs: an Input's shape from the data, the class count on the last Dense, the
head a model lacks, the obvious source of an unconnected port, a valid value for a bad parameter.
It runs over the final diagnostics on every analysis (cheap: only diagnostics with these codes).
"""

from __future__ import annotations

import math
from dataclasses import replace

from graph import fixes
from graph.model import Graph
from graph.tasks import LABELS, target_need

HEADS_BY_TARGETS = (("labels", "output.classification"), ("binary", "output.binary"), ("values", "output.regression"))


def attach_actions(graph: Graph, result, dataset) -> None:
    """Give each diagnostic of ``result`` whose repair is mechanical its ``action``."""
    makers = {
        "bad-param": _bad_param,
        "unconnected": _unconnected,
        "no-head": _no_head,
        "data-shape": _data_shape,
        "data-target": _data_target,
    }
    out = []
    for d in result.diagnostics:
        if d.code == "no-input" and d.action is None and d.node_id is None:
            action = _no_input(graph, dataset)
            if action is not None and fixes.problem(graph, action) is None:
                d = replace(d, action=action)
            out.append(d)
            continue
        maker = makers.get(d.code)
        if maker is not None and d.action is None and d.node_id is not None and d.node_id in graph:
            try:
                action = maker(graph, result, dataset, d)
            except (KeyError, ValueError, TypeError, IndexError):
                action = None
            if action is not None and fixes.problem(graph, action) is None:
                d = replace(d, action=action)
        out.append(d)
    result.diagnostics = out


def _bad_param(graph, result, dataset, d):
    spec, node = graph.spec(d.node_id), graph.node(d.node_id)
    values = {p.name: p.default for p in spec.params if p.name not in node.params or p.check(node.params[p.name])}
    return fixes.set_params(d.node_id, values) if values else None


def _unconnected(graph, result, dataset, d):
    """The only layer whose output goes nowhere (and is not downstream of this one) feeds the port."""
    spec = graph.spec(d.node_id)
    free = [p.name for p in spec.inputs if not p.optional and not graph.in_edges(d.node_id, p.name)]
    if not free:
        return None
    loose = _loose_outputs(graph, result)
    if not loose or len(loose) > MAX_LOOSE:  # many loose ends: none is the obvious one
        return None
    below = graph.descendants(d.node_id) | {d.node_id}
    sources = [n for n in loose if n not in below]
    if len(sources) != 1:
        return None
    src = sources[0]
    port = graph.spec(src).outputs[0].name
    if graph.connection_problem(src, port, d.node_id, free[0]) is not None:
        return None
    return fixes.connect(d.node_id, free[0], src, port)


MAX_LOOSE = 8


def _loose_outputs(graph, result) -> list[str]:
    """Layers whose output goes nowhere (worked out once per analysis)."""
    cached = getattr(result, "_loose_outputs", None)
    if cached is None:
        cached = [
            n
            for n in graph.node_ids()
            if graph.spec(n).outputs and not graph.spec(n).is_head and not graph.has_successors(n)
        ]
        result._loose_outputs = cached
    return cached


def _no_input(graph, dataset):
    """A model without an Input, with known training data: an Input shaped like the data in front of
    the first layer that has a free input (insert_before on that layer)."""
    if dataset is None or getattr(dataset, "arrays", None):
        return None
    first = next(
        (n for n in graph.node_ids() if graph.spec(n).inputs and not graph.in_edges(n, graph.spec(n).inputs[0].name)),
        None,
    )
    if first is None:
        return None
    type_id, params = _input_for(graph, dataset, graph.node(first).type)
    if type_id is None or type_id not in graph.catalog:
        return None
    return fixes.insert_before(type_id, params, node_id=first)


def _input_for(graph, dataset, first_type: str) -> tuple[str | None, dict]:
    """The Input type (and its shape parameters) for the training data."""
    if dataset.dtype == "int64":
        return "input.tokens", {}
    shape = dataset.sample_shape
    if shape is None:
        return {"image": "input.image", "signal": "input.signal"}.get(dataset.adapts_to), {}
    by_rank = {1: "input.vector", 3: "input.image", 4: "input.volume"}
    if len(shape) == 2:
        type_id = "input.signal" if "1d" in first_type else "input.sequence"
    else:
        type_id = by_rank.get(len(shape))
    if type_id is None or type_id not in graph.catalog:
        return None, {}
    names = graph.catalog[type_id].extra.get("shape_params") or ()
    if len(names) != len(shape):
        return None, {}
    return type_id, dict(zip(names, (int(d) for d in shape), strict=True))


def _no_head(graph, result, dataset, d):
    if dataset is None or getattr(dataset, "arrays", None):
        return None
    targets = dataset.targets
    if targets.kind == LABELS:
        kind = "labels"
    elif targets.zero_one:
        kind = "binary"
    else:
        kind = "values"
    head = dict(HEADS_BY_TARGETS)[kind]
    return fixes.insert_after(head, node_id=d.node_id) if head in graph.catalog else None


def _data_shape(graph, result, dataset, d):
    spec = graph.spec(d.node_id)
    data = dataset
    if not spec.is_input or data is None or data.arrays or data.sample_shape is None or data.dtype == "int64":
        return None
    names = spec.extra.get("shape_params") or ()
    shape = tuple(data.sample_shape)
    if len(names) == len(shape):
        values = dict(zip(names, shape, strict=True))
    elif len(names) == 1:
        values = {names[0]: math.prod(shape)}
    else:
        return None
    return fixes.set_params(d.node_id, values)


def _data_target(graph, result, dataset, d):
    """A class count that differs from the data's: set it on the layer that makes the class scores."""
    spec = graph.spec(d.node_id)
    fed = result.inputs.get(d.node_id, {}).get("in")
    if dataset is None or dataset.arrays or fed is None or spec.head is None:
        return None
    need = target_need(spec.head, fed)
    have = dataset.targets
    if need.task != "classification" or not have.classes or have.classes == need.classes:
        return None
    param = "filters" if need.class_axis == 1 else "units"

    def classes(t):
        return t.dims[1] if need.class_axis == 1 else t.last

    node = d.node_id
    for _ in range(6):  # back through layers that keep the class axis (activations, dropout, …)
        edges = graph.in_edges(node)
        if len(edges) != 1:
            return None
        node = edges[0].src
        if param in graph.node(node).params:
            return fixes.set_params(node, {param: have.classes})
        out, ins = result.output(node), result.inputs.get(node, {})
        inp = ins.get("in")
        if out is None or inp is None or not hasattr(inp, "dims") or classes(out) != classes(inp):
            return None
    return None
