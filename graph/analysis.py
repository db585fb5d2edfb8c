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
    node_diags: dict[str, tuple[Diagnostic, ...]] = field(default_factory=dict)  # per-node inference diagnostics
    # (graph, structure version, ends, inputs, heads) of _data_ends, for the next incremental analysis
    _data_ends: tuple | None = field(default=None, repr=False, compare=False)

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
    if previous is not None and dirty is not None:
        for table in ("shapes", "counts", "inputs", "node_diags"):  # C-speed copies; recomputed nodes overwrite
            setattr(result, table, dict(getattr(previous, table)))
        _infer_changed(graph, result, previous, dirty)
        _drop_removed(graph, result)
        node_diags = result.node_diags
        result.diagnostics = [d for nid in result.order for d in node_diags[nid]]
    else:
        node_diags, diagnostics = result.node_diags, result.diagnostics
        for node_id in result.order:
            found = node_diags[node_id] = _analyze_node(graph, node_id, result)
            diagnostics.extend(found)
    _check_structure(graph, result)
    gan = gan_parts(graph)
    if gan is not None:
        _check_gan(graph, result, gan)
    if dataset is not None:
        _check_dataset(graph, result, dataset, gan, previous)
    if dataset_problem:
        fix = message("dataset.fix")
        result.diagnostics.append(Diagnostic(None, WARNING, "dataset", dataset_problem, fix))
    attach_actions(graph, result, dataset)
    return result


def _infer_changed(graph: Graph, result: Analysis, previous: Analysis, dirty: set[str]) -> None:
    """Infer the dirty nodes again, and downstream of them every node whose inputs came out changed."""
    pending = set(dirty)
    known = previous.node_diags
    tables = (result.shapes, result.counts, result.inputs)
    for node_id in result.order:
        seen = node_id in known
        if seen and node_id not in pending:
            continue
        for table in tables:
            table.pop(node_id, None)
        # a node that is not dirty kept its parameters: their diagnostics (always first) are the previous ones
        kept = None if not seen or node_id in dirty else [d for d in known[node_id] if d.code == "bad-param"]
        result.node_diags[node_id] = _analyze_node(graph, node_id, result, kept)
        if seen and _same(previous, result, node_id):
            _reuse(previous, node_id, result)
        else:
            pending.update(graph.successor_ids(node_id))


def _drop_removed(graph: Graph, result: Analysis) -> None:
    if len(result.node_diags) == len(graph):  # every node has its entry: none is left of a removed node
        return
    for table in ("shapes", "counts", "inputs", "node_diags"):
        values = getattr(result, table)
        for nid in [n for n in values if n not in graph]:
            del values[nid]


def _same(previous: Analysis, result: Analysis, node_id: str) -> bool:
    return (
        previous.shapes.get(node_id) == result.shapes.get(node_id)
        and previous.counts.get(node_id) == result.counts.get(node_id)
        and previous.inputs.get(node_id) == result.inputs.get(node_id)
        and previous.node_diags.get(node_id) == result.node_diags.get(node_id)
    )


def _reuse(previous: Analysis, node_id: str, result: Analysis) -> None:
    for table in ("shapes", "counts", "inputs"):
        value = getattr(previous, table).get(node_id)
        if value is not None:
            getattr(result, table)[node_id] = value
    result.node_diags[node_id] = previous.node_diags[node_id]


def _analyze_node(graph: Graph, node_id: str, result: Analysis, bad_params: list | None = None) -> tuple:
    """Infer one node from its inputs' results into ``result``; returns its diagnostics (a tuple).

    ``bad_params``: the node's parameter diagnostics when they are known (its parameters did not change)."""
    node = graph.node(node_id)
    spec = graph.catalog[node.type]
    if bad_params is None:
        bad_params = [
            Diagnostic(node_id, ERROR, "bad-param", msg, message("bad-param.fix", param=pname))
            for pname, msg in spec.check_params(node.params)
        ]
    diag = bad_params
    bad = bool(diag)
    inputs, missing, upstream_failed = {}, False, False
    if spec.inputs:
        shapes, by_port = result.shapes, graph.in_ports(node_id)
        for port in spec.inputs:
            edges = by_port.get(port.name, ())
            if not edges and not port.optional:
                missing = True
                diag.append(
                    Diagnostic(node_id, ERROR, "unconnected", _unconnected_msg(spec, port.name), _unconnected_fix(spec))
                )
                continue
            types = []
            for e in edges:
                out = shapes.get(e.src)
                t = out.get(e.src_port) if out is not None else None
                if t is None:
                    upstream_failed = True
                    break
                types.append(t)
            if upstream_failed:
                continue
            inputs[port.name] = types if port.variadic else (types[0] if types else None)
    if bad or missing or upstream_failed:
        return tuple(diag)
    result.inputs[node_id] = inputs
    try:
        shapes = spec.infer(node.params, inputs)
        counts = spec.count(node.params, inputs)
    except ShapeError as err:
        action = err.action.on(node_id) if err.action is not None else None
        return (Diagnostic(node_id, ERROR, "shape", err.message, err.fix, action),)
    too_large = _too_large(spec, shapes, counts)
    if too_large:
        return (Diagnostic(node_id, ERROR, "too-large", too_large, message("too-large.fix")),)
    result.shapes[node_id], result.counts[node_id] = shapes, counts
    return ()


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
    if not len(graph):
        diag.append(Diagnostic(None, ERROR, "empty", message("empty"), message("empty.fix")))
        return
    catalog = graph.catalog
    present = [catalog[t] for t in graph.types()]
    if not any(s.is_input for s in present):
        diag.append(Diagnostic(None, ERROR, "no-input", message("no-input"), message("no-input.fix")))
    heads = any(s.is_head for s in present)
    for nid in graph.sinks():  # a layer whose output goes nowhere
        spec = graph.spec(nid)
        if spec.is_head or not spec.outputs:
            continue
        if heads:
            name = graph.node(nid).name
            diag.append(Diagnostic(nid, WARNING, "unused", message("unused", layer=name), message("unused.fix")))
        else:
            diag.append(Diagnostic(nid, ERROR, "no-head", message("no-head"), message("no-head.fix")))


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


def _data_ends(graph: Graph, previous: Analysis | None) -> tuple[list[tuple[str, str]], int, int]:
    """Every Input and head as (node id, "input" | "head") in graph order, the number of Inputs that feed a
    head (every Input when there is no head) and the number of heads. They depend on the structure alone:
    an analysis after a parameter edit, a move or a rename takes the previous analysis's."""
    cached = previous._data_ends if previous is not None else None
    if cached is not None and cached[0] is graph and cached[1] == graph.structure_version:
        return cached[2], cached[3], cached[4]
    catalog = graph.catalog
    ends = []
    for node in graph.nodes():
        spec = catalog[node.type]
        if spec.is_input or spec.is_head:
            ends.append((node.id, "input" if spec.is_input else "head"))
    heads = [nid for nid, role in ends if role == "head"]
    feeding = set().union(*(graph.ancestors(h) for h in heads)) if heads else set()
    inputs = sum(1 for nid, role in ends if role == "input" and (nid in feeding or not heads))
    return ends, inputs, len(heads)


def _check_dataset(graph: Graph, result: Analysis, dataset, gan=None, previous: Analysis | None = None) -> None:
    """Check Input nodes and heads against a dataset descriptor (an .npz file: against their arrays)."""
    if gan is not None:  # a GAN learns the data's samples: only the discriminator's Input must fit them
        shape = result.output(gan.real) if gan.real else None
        problem = dataset.input_problem(shape) if shape is not None else None
        if problem:
            fix = dataset.input_fix(graph.node(gan.real).type)
            result.diagnostics.append(Diagnostic(gan.real, ERROR, "data-shape", problem, fix))
        return
    ends, inputs, heads = _data_ends(graph, previous)
    result._data_ends = (graph, graph.structure_version, ends, inputs, heads)
    single = inputs <= 1 and heads <= 1
    if not single and dataset.kind != "npz":
        result.diagnostics.append(
            Diagnostic(
                None,
                ERROR,
                "several-arrays",
                message("several-arrays", inputs=inputs, heads=heads, kind=dataset.kind),
                message("several-arrays.fix"),
            )
        )
        return
    for node_id, role in ends:
        node, spec = graph.node(node_id), graph.spec(node_id)
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
