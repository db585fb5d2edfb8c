"""Shape inference, parameter counts and diagnostics over a whole graph, as plain data.

Nothing here raises to the caller for a bad graph: every problem becomes a Diagnostic on the node
it concerns (or on the graph, ``node_id=None``), with a suggested fix where one is obvious.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from graph.autofix import attach_actions
from graph.fixes import Fix
from graph.gan import gan_parts
from graph.messages import message
from graph.model import Graph
from graph.spec import ShapeError
from graph.tasks import target_need
from graph.tensors import TensorType

# Sizes beyond these cannot be trained on any machine; they become diagnostics before anything is allocated.
MAX_SAMPLE_VALUES = 2**28  # one tensor of one sample: 1 GiB of float32
MAX_PARAMETERS = 2**32  # 16 GiB of float32 weights

ERROR = "error"
WARNING = "warning"
INFO = "info"


@dataclass(frozen=True)
class Diagnostic:
    """One problem found in the graph."""

    node_id: str | None
    severity: str
    code: str
    message: str
    fix: str | None = None
    action: Fix | None = None  # the fix as a one-click edit (graph.fixes), when it is mechanical

    def text(self) -> str:
        return f"{self.message} — fix: {self.fix}" if self.fix else self.message


@dataclass
class Analysis:
    """Output shapes, parameter counts and diagnostics of every node."""

    order: list[str] = field(default_factory=list)
    shapes: dict[str, dict[str, TensorType]] = field(default_factory=dict)
    counts: dict[str, tuple[int, int]] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    inputs: dict[str, dict[str, object]] = field(default_factory=dict)
    node_diags: dict[str, list[Diagnostic]] = field(default_factory=dict)  # per-node inference diagnostics

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == ERROR]

    def for_node(self, node_id: str) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.node_id == node_id]

    def output(self, node_id: str, port: str = "out") -> TensorType | None:
        return self.shapes.get(node_id, {}).get(port)

    @property
    def trainable(self) -> int:
        return sum(t for t, _ in self.counts.values())

    @property
    def non_trainable(self) -> int:
        return sum(n for _, n in self.counts.values())

    @property
    def total(self) -> int:
        return self.trainable + self.non_trainable

    def worst(self, node_id: str) -> str | None:
        """The most severe diagnostic level on a node, or None."""
        levels = {d.severity for d in self.for_node(node_id)}
        return next((s for s in (ERROR, WARNING, INFO) if s in levels), None)


def analyze(
    graph: Graph,
    dataset=None,
    previous: Analysis | None = None,
    dirty: set[str] | None = None,
    dataset_problem: str | None = None,
) -> Analysis:
    """Infer every shape and count in topological order; collect diagnostics instead of raising.

    With ``previous`` and ``dirty`` (the nodes an edit touched), a node is inferred again only if
    it is dirty or one of its inputs changed; a node whose result comes out as before keeps the
    previous objects (views skip it by identity) and stops the change from spreading downstream.
    ``dataset_problem`` (why the training data cannot be described) becomes a model-level warning.
    """
    result = Analysis(order=graph.topological_order())
    incremental = previous is not None and dirty is not None
    if incremental:  # start from the previous tables (C-speed copies); recomputed nodes overwrite
        for table in ("shapes", "counts", "inputs", "node_diags"):
            setattr(result, table, dict(getattr(previous, table)))
    pending = set(dirty) if incremental else None
    for node_id in result.order:
        known = incremental and node_id in previous.node_diags
        if known and node_id not in pending:
            continue
        for table in ("shapes", "counts", "inputs"):
            getattr(result, table).pop(node_id, None)
        start = len(result.diagnostics)
        _analyze_node(graph, node_id, result)
        result.node_diags[node_id] = result.diagnostics[start:]
        if known and _same(previous, result, node_id):
            _reuse(previous, node_id, result)
        elif incremental:
            pending.update(graph.successors(node_id))
    if incremental:
        _drop_removed(graph, result)
    node_diags = [d for nid in result.order for d in result.node_diags[nid]]
    result.diagnostics = node_diags
    _check_structure(graph, result)
    gan = gan_parts(graph)
    if gan is not None:
        _check_gan(graph, result, gan)
    if dataset is not None:
        _check_dataset(graph, result, dataset, gan)
    if dataset_problem:
        fix = message("dataset.fix")
        result.diagnostics.append(Diagnostic(None, WARNING, "dataset", dataset_problem, fix))
    attach_actions(graph, result, dataset)
    return result


def _drop_removed(graph: Graph, result: Analysis) -> None:
    for table in ("shapes", "counts", "inputs", "node_diags"):
        values = getattr(result, table)
        for nid in [n for n in values if n not in graph]:
            del values[nid]


def _same(previous: Analysis, result: Analysis, node_id: str) -> bool:
    return all(
        getattr(previous, table).get(node_id) == getattr(result, table).get(node_id)
        for table in ("shapes", "counts", "inputs", "node_diags")
    )


def _reuse(previous: Analysis, node_id: str, result: Analysis) -> None:
    for table in ("shapes", "counts", "inputs"):
        value = getattr(previous, table).get(node_id)
        if value is not None:
            getattr(result, table)[node_id] = value
    result.node_diags[node_id] = previous.node_diags[node_id]


def _analyze_node(graph: Graph, node_id: str, result: Analysis) -> None:
    node, spec = graph.node(node_id), graph.spec(node_id)
    diag = result.diagnostics
    bad = spec.check_params(node.params)
    for pname, msg in bad:
        diag.append(Diagnostic(node_id, ERROR, "bad-param", msg, message("bad-param.fix", param=pname)))
    inputs, missing, upstream_failed = {}, False, False
    for port in spec.inputs:
        edges = graph.in_edges(node_id, port.name)
        if not edges and not port.optional:
            missing = True
            diag.append(
                Diagnostic(node_id, ERROR, "unconnected", _unconnected_msg(spec, port.name), _unconnected_fix(spec))
            )
            continue
        types = [result.output(e.src, e.src_port) for e in edges]
        if any(t is None for t in types):
            upstream_failed = True
            continue
        inputs[port.name] = types if port.variadic else (types[0] if types else None)
    if bad or missing or upstream_failed:
        return
    result.inputs[node_id] = inputs
    try:
        shapes = spec.infer(node.params, inputs)
        counts = spec.count(node.params, inputs)
    except ShapeError as err:
        action = err.action.on(node_id) if err.action is not None else None
        diag.append(Diagnostic(node_id, ERROR, "shape", err.message, err.fix, action))
        return
    too_large = _too_large(spec, shapes, counts)
    if too_large:
        diag.append(Diagnostic(node_id, ERROR, "too-large", too_large, message("too-large.fix")))
        return
    result.shapes[node_id], result.counts[node_id] = shapes, counts


def _too_large(spec, shapes: dict, counts: tuple[int, int]) -> str | None:
    """Why these outputs or weights could not fit in any machine's memory, or None."""
    for t in shapes.values():
        if t.size() > MAX_SAMPLE_VALUES:
            gib = t.size() * 4 / 2**30
            return f"the output of {spec.display_name} would hold {t.size():.3g} values per sample ({gib:,.0f} GiB): more than a machine's memory"
    if sum(counts) > MAX_PARAMETERS:
        return f"{spec.display_name} would have {sum(counts):.3g} weights ({sum(counts) * 4 / 2**30:,.0f} GiB): more than a machine's memory"
    return None


def _unconnected_msg(spec, port: str) -> str:
    if len(spec.inputs) == 1:
        return message("unconnected.one", layer=spec.display_name)
    return message("unconnected.port", port=repr(port), layer=spec.display_name)


def _unconnected_fix(spec) -> str:
    return message("unconnected.fix")


def _check_structure(graph: Graph, result: Analysis) -> None:
    diag = result.diagnostics
    nodes = graph.nodes()
    if not nodes:
        diag.append(Diagnostic(None, ERROR, "empty", message("empty"), message("empty.fix")))
        return
    specs = {n.id: graph.catalog[n.type] for n in nodes}
    if not any(s.is_input for s in specs.values()):
        diag.append(Diagnostic(None, ERROR, "no-input", message("no-input"), message("no-input.fix")))
    heads = [n for n in nodes if specs[n.id].is_head]
    for n in nodes:
        spec = specs[n.id]
        if not spec.is_head and spec.outputs and not graph.has_successors(n.id):
            if heads:
                diag.append(Diagnostic(n.id, WARNING, "unused", message("unused", layer=n.name), message("unused.fix")))
            else:
                diag.append(
                    Diagnostic(
                        n.id,
                        ERROR,
                        "no-head",
                        message("no-head"),
                        message("no-head.fix"),
                    )
                )


def _check_gan(graph: Graph, result: Analysis, gan) -> None:
    """The generator makes what the discriminator reads (graph/gan.py)."""
    for node_id, text, fix in gan.problems:
        result.diagnostics.append(Diagnostic(node_id, ERROR, "gan", text, fix))
    if gan.problems or gan.real is None:
        return
    made = result.inputs.get(gan.generated, {}).get("in")
    read = result.output(gan.real)
    if made is not None and read is not None and made != read:
        dims = ", ".join(str(d) for d in made.features)
        result.diagnostics.append(
            Diagnostic(
                gan.real,
                ERROR,
                "gan-shape",
                message("gan-shape", made=made.label(), read=read.label()),
                message("gan-shape.fix", dims=dims),
            )
        )


def _check_dataset(graph: Graph, result: Analysis, dataset, gan=None) -> None:
    """Check Input nodes and heads against a dataset descriptor (an .npz file: against their arrays)."""
    if gan is not None:  # a GAN learns the data's samples: only the discriminator's Input must fit them
        shape = result.output(gan.real) if gan.real else None
        problem = dataset.input_problem(shape) if shape is not None else None
        if problem:
            fix = dataset.input_fix(graph.node(gan.real).type)
            result.diagnostics.append(Diagnostic(gan.real, ERROR, "data-shape", problem, fix))
        return
    nodes = graph.nodes()
    heads = [n for n in nodes if graph.catalog[n.type].is_head]
    feeding = set().union(*(graph.ancestors(h.id) for h in heads)) if heads else set()
    inputs = [n for n in nodes if graph.catalog[n.type].is_input and (n.id in feeding or not heads)]
    single = len(inputs) <= 1 and len(heads) <= 1
    if not single and dataset.kind != "npz":
        result.diagnostics.append(
            Diagnostic(
                None,
                ERROR,
                "several-arrays",
                message("several-arrays", inputs=len(inputs), heads=len(heads), kind=dataset.kind),
                message("several-arrays.fix"),
            )
        )
        return
    for node in nodes:
        spec = graph.catalog[node.type]
        role = "input" if spec.is_input else "head" if spec.is_head else None
        if role is None:
            continue
        data = dataset
        if dataset.arrays:  # an .npz file: each Input and head reads its own array
            missing = dataset.array_problem(node.name, role, single)
            if missing:
                result.diagnostics.append(Diagnostic(node.id, ERROR, "data-array", *missing))
                continue
            data = dataset.array_info(dataset.array_for(node.name, role, single), as_targets=role == "head")
        shape = result.output(node.id)
        if role == "input" and shape is not None:
            problem = data.input_problem(shape)
            if problem:
                result.diagnostics.append(
                    Diagnostic(node.id, ERROR, "data-shape", problem, data.input_fix(spec.type_id))
                )
        fed = result.inputs.get(node.id, {}).get("in")
        if role == "head" and fed is not None:
            problem = data.head_problem(target_need(spec.head, fed))
            if problem:
                result.diagnostics.append(Diagnostic(node.id, ERROR, "data-target", problem[0], problem[1]))
