"""Text reports of an analysed graph: the ``check`` listing and a Keras-like ``summary`` table."""

from __future__ import annotations

from graph.analysis import Analysis
from graph.costs import compute_costs, format_bytes, format_flops
from graph.model import Graph


def _shape_text(graph: Graph, analysis: Analysis, node_id: str) -> str:
    spec = graph.spec(node_id)
    if spec.is_head:
        t = analysis.inputs.get(node_id, {}).get("in")
        return f"loss on {t.label()}" if t is not None else "?"
    shapes = analysis.shapes.get(node_id)
    if not shapes:
        return "?"
    return ", ".join(t.label() for t in shapes.values())


def _count_text(analysis: Analysis, node_id: str) -> str:
    if node_id not in analysis.counts:
        return "?"
    t, n = analysis.counts[node_id]
    return f"{t + n:,}"


def check_report(graph: Graph, analysis: Analysis) -> str:
    """Every node's output shape and parameter count, then every diagnostic."""
    lines = []
    order = analysis.order or graph.node_ids()
    width = max((len(graph.node(n).name) for n in order), default=4)
    for nid in order:
        node = graph.node(nid)
        shape, count = _shape_text(graph, analysis, nid), _count_text(analysis, nid)
        lines.append(f"{node.name:<{width}}  {node.type:<22} {shape:<28} params {count}")
    lines.append(f"total parameters: {analysis.total:,} (trainable {analysis.trainable:,})")
    lines.extend(_diagnostic_lines(graph, analysis))
    return "\n".join(lines)


def _diagnostic_lines(graph: Graph, analysis: Analysis) -> list[str]:
    if not analysis.diagnostics:
        return ["no problems found"]
    out = []
    for d in analysis.diagnostics:
        where = graph.node(d.node_id).name if d.node_id else "model"
        out.append(f"{d.severity}: {where}: {d.message}" + (f" (fix: {d.fix})" if d.fix else ""))
    return out


def summary_table(graph: Graph, analysis: Analysis, title: str = "model", batch_size: int = 1) -> str:
    """A table in the style of Keras' ``model.summary()``, with FLOPs and activation memory per sample
    (conventions in graph/costs.py) and the memory of a batch of ``batch_size`` in the totals."""
    costs = compute_costs(graph, analysis, batch_size)
    rows = []
    for nid in analysis.order or graph.node_ids():
        node = graph.node(nid)
        spec = graph.spec(nid)
        cost = costs.layers[nid]
        rows.append(
            (
                f"{node.name} ({spec.display_name})",
                _shape_text(graph, analysis, nid),
                _count_text(analysis, nid),
                format_flops(cost.flops),
                format_bytes(cost.bytes),
            )
        )
    heads = ("Layer (type)", "Output Shape", "Param #", "FLOPs", "Memory")
    w1, w2, w3, w4, w5 = (max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(heads))
    rule = "─" * (w1 + w2 + w3 + w4 + w5 + 12)
    out = [
        f'Model: "{title}"',
        rule,
        f"{heads[0]:<{w1}}   {heads[1]:<{w2}}   {heads[2]:>{w3}}   {heads[3]:>{w4}}   {heads[4]:>{w5}}",
        rule,
    ]
    out += [f"{a:<{w1}}   {b:<{w2}}   {c:>{w3}}   {d:>{w4}}   {e:>{w5}}" for a, b, c, d, e in rows]
    partial = "" if costs.complete else " (layers marked ? not counted)"
    out += [
        rule,
        f" Total params: {analysis.total:,}",
        f" Trainable params: {analysis.trainable:,}",
        f" Non-trainable params: {analysis.non_trainable:,}",
        f" FLOPs per sample: {costs.flops:,} ({format_flops(costs.flops)}){partial}",
        f" Activation memory: {format_bytes(costs.bytes)} per sample, "
        f"{format_bytes(costs.batch_bytes)} for a batch of {costs.batch_size}",
        rule,
    ]
    if not analysis.ok:
        out.append(f" {len(analysis.errors)} error(s): run `layerlab check` for details")
    return "\n".join(out)
