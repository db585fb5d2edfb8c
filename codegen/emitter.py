"""The line emitter and the single graph walk shared by both backends.

``build_plan`` walks the graph once (topological order) and decides everything that does not depend
on the framework: which nodes reach the head, each node's identifier (from one Namespace), the
variable each output lands in, which Softmax/Sigmoid is folded into the loss. A backend then renders
each step through its table of per-layer renderers and lays the model out.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import networkx as nx

from codegen.naming import RESERVED, Namespace
from codegen.pyfmt import ScopedName, format_stmt
from graph.analysis import Analysis, analyze
from graph.blocks import local_name
from graph.gan import GanParts, gan_parts
from graph.model import Graph
from graph.spec import Head, LayerSpec
from graph.tasks import TargetNeed, target_need
from graph.tensors import TensorType


class Emitter:
    """Collects lines and remembers which node produced which line."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self._owner: list[str | None] = []

    def line(self, text: str = "", level: int = 0, node: str | None = None) -> None:
        self.lines.append(("    " * level + text) if text else "")
        self._owner.append(node)

    def stmt(self, prefix: str, expr, level: int = 0, node: str | None = None, suffix: str = "") -> None:
        """One statement, wrapped like ``ruff format`` if it is too long."""
        for text in format_stmt(prefix, expr, 4 * level, suffix):
            self.line(text, level, node)

    def block(self, text: str, level: int = 0, node: str | None = None) -> None:
        """A block of template text (already dedented); blank lines stay blank."""
        for raw in text.strip("\n").split("\n"):
            self.line(raw, level, node) if raw.strip() else self.line("", 0, node)

    def blank(self, count: int = 1) -> None:
        for _ in range(count):
            self.line()

    def source(self) -> str:
        lines = list(self.lines)
        while lines and not lines[-1]:
            lines.pop()
        return "\n".join(lines) + "\n"

    def extend(self, other: Emitter, old: str = "", new: str = "") -> None:
        """Append another emitter's lines (and their owners), replacing ``old`` by ``new`` in them."""
        for text, owner in zip(other.lines, other._owner, strict=True):
            self.lines.append(text.replace(old, new) if old else text)
            self._owner.append(owner)

    def node_lines(self) -> dict[str, list[tuple[int, int]]]:
        """node id -> 1-based inclusive line ranges, consecutive lines merged."""
        out: dict[str, list[tuple[int, int]]] = {}
        for i, owner in enumerate(self._owner, start=1):
            if owner is None:
                continue
            ranges = out.setdefault(owner, [])
            if ranges and ranges[-1][1] == i - 1:
                ranges[-1] = (ranges[-1][0], i)
            else:
                ranges.append((i, i))
        return out


@dataclass
class Step:
    """One node of the model as the backends see it."""

    id: str
    type: str
    spec: LayerSpec
    params: dict
    name: str  # identifier: torch attribute / Keras layer name
    var: str  # variable holding the output
    inputs: list[str]  # variables feeding it, port order then edge order
    in_types: list[TensorType]
    out: TensorType | None
    display: str  # the user's layer name (only ever written as a literal)
    fold: str | None = None  # "softmax"/"sigmoid" activation folded into the loss
    outs: dict[str, str | None] = field(default_factory=dict)  # output port -> variable (None: unused)
    port_inputs: dict[str, list[str]] = field(default_factory=dict)  # input port -> variables feeding it
    port_types: dict[str, list[TensorType]] = field(default_factory=dict)
    out_types: dict[str, TensorType] = field(default_factory=dict)  # output port -> its type
    scope: str | None = None  # the block instance it belongs to (its PyTorch attribute, its Keras prefix)
    ns: Namespace | None = None  # the block's own namespace (None: the script's)

    @property
    def module(self) -> str:
        """The PyTorch module path of this layer in ``Model`` (``res1.conv1`` inside a block)."""
        return f"{self.scope}.{self.name}" if self.scope else self.name

    @property
    def t(self) -> TensorType:
        return self.in_types[0]

    @property
    def x(self) -> str:
        return self.inputs[0]


@dataclass
class BlockPlan:
    """One block instance: a PyTorch ``nn.Module`` subclass / Keras function called once in the model.

    ``steps`` are its layers (named inside the block); ``params``/``returns`` are the block's own
    variables, ``args``/``targets`` the model's variables passed in and assigned. Instances whose code
    comes out the same share one class (``cls``, set by the script writer)."""

    id: str
    title: str
    display: str  # the block's name in the project
    scope: str  # identifier: the Model attribute (PyTorch) and the layer-name prefix (Keras)
    steps: list[Step]
    params: list[str]
    args: list[str]
    returns: list[str]
    targets: list[str]
    ns: Namespace


@dataclass
class HeadPlan:
    """One output head: its loss and targets, and the variable its scores land in."""

    id: str
    type: str
    name: str  # identifier: the Keras output's name, the key of its targets
    display: str  # the user's name of the head
    head: Head
    params: dict
    output_var: str = ""
    output_type: TensorType | None = None
    need: TargetNeed | None = None
    fold_id: str | None = None  # the node whose softmax/sigmoid the loss absorbs

    @property
    def loss_weight(self) -> float:
        return float(self.params.get("loss_weight", 1.0))


@dataclass
class Plan:
    """The framework-neutral decisions about one project, shared by both backends.

    ``inputs`` and ``heads`` list every Input and head (in graph order); ``input_step``, ``head`` and
    the other single-head fields describe the first of them.
    """

    steps: list[Step] = field(default_factory=list)
    problems: list[tuple[str | None, str]] = field(default_factory=list)
    analysis: Analysis | None = None
    inputs: list[Step] = field(default_factory=list)
    heads: list[HeadPlan] = field(default_factory=list)
    head_id: str | None = None
    head_type: str = ""
    head: Head | None = None  # the head's task, targets, loss and metric (from its spec)
    need: TargetNeed | None = None  # the targets the head trains against
    head_params: dict = field(default_factory=dict)
    output_var: str = "logits"
    output_type: TensorType | None = None
    input_step: Step | None = None
    trainable: int = 0
    non_trainable: int = 0
    ns: Namespace = field(default_factory=Namespace)
    gan: GanParts | None = None  # a generator and a discriminator (graph/gan.py)
    blocks: list[BlockPlan] = field(default_factory=list)  # in model order

    def top_level(self) -> list:
        """The model's statements in order: Steps outside blocks and one BlockPlan per block."""
        in_block = {s.id: b for b in self.blocks for s in b.steps}
        out, seen = [], set()
        for step in self.steps:
            b = in_block.get(step.id)
            if b is None:
                out.append(step)
            elif b.id not in seen:
                seen.add(b.id)
                out.append(b)
        return out

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def multi(self) -> bool:
        """Several Inputs or several heads (multi-input, multi-task); a GAN is trained differently."""
        return (len(self.inputs) > 1 or len(self.heads) > 1) and self.gan is None

    def head_of(self, type_id: str) -> HeadPlan:
        return next(hp for hp in self.heads if hp.type == type_id)


def build_plan(graph: Graph, dataset_info=None) -> Plan:
    """Walk the graph once: prune to the heads' ancestors, name everything, decide folds and variables."""
    plan = Plan()
    analysis = analyze(graph, dataset_info)
    plan.analysis = analysis
    for d in analysis.errors:
        where = graph.node(d.node_id).name if d.node_id else "model"
        plan.problems.append((d.node_id, f"{where}: {d.text()}"))
    if plan.problems:
        return plan
    plan.gan = gan_parts(graph)
    head_ids = [nid for nid in analysis.order if graph.spec(nid).is_head]
    needed = set().union(*(graph.ancestors(h) for h in head_ids))
    several = len(head_ids) > 1
    for hid in head_ids:
        node = graph.node(hid)
        name = plan.ns.create_name(node.name, key=hid, fallback="head") if several else node.name
        plan.heads.append(HeadPlan(hid, node.type, name, node.name, graph.spec(hid).head, dict(node.params)))
    order = [n for n in analysis.order if n in needed]
    groups = _block_groups(graph, plan, order) if plan.gan is None else {}
    _make_steps(graph, analysis, plan, _contiguous(graph, order, groups), groups)
    for hp in plan.heads:
        hp.need = target_need(hp.head, hp.output_type)
    first = plan.heads[0]
    plan.head_id, plan.head_type, plan.head, plan.head_params = first.id, first.type, first.head, first.params
    plan.need, plan.output_var, plan.output_type = first.need, first.output_var, first.output_type
    plan.input_step = plan.inputs[0] if plan.inputs else None
    for step in plan.steps:
        t, n = analysis.counts.get(step.id, (0, 0))
        plan.trainable += t
        plan.non_trainable += n
    return plan


def _block_groups(graph: Graph, plan: Plan, order: list[str]) -> dict[str, list[str]]:
    """{group id: its members in ``order``} for the blocks written as a class / function of their own.

    A block whose activation the loss absorbs is written as plain layers (its class would compute
    something else than the block drawn)."""
    folds = set()
    for hp in plan.heads:
        edge = graph.in_edges(hp.id)[0]
        fid = _folded(graph, plan.analysis, hp.head.fold, edge.src)
        if fid is not None:
            folds.add(fid)
    kept = set(order)
    out = {}
    for group in graph.groups():
        members = [n for n in order if n in set(group.members)]
        if members and not (set(members) & folds) and set(members) <= kept:
            out[group.id] = members
    return out


def _contiguous(graph: Graph, order: list[str], groups: dict[str, list[str]]) -> list[str]:
    """``order`` with each block's layers next to each other (a block cannot be left and re-entered,
    so contracting it to one node keeps the graph acyclic); ties keep the original order."""
    if not groups:
        return order
    rank = {n: i for i, n in enumerate(order)}
    unit = {n: n for n in order}
    for gid, members in groups.items():
        for n in members:
            unit[n] = gid
    dag = nx.DiGraph()
    first: dict[str, int] = {}
    for n in order:
        first[unit[n]] = min(first.get(unit[n], rank[n]), rank[n])
        dag.add_node(unit[n])
    for e in graph.edges():
        if e.src in unit and e.dst in unit and unit[e.src] != unit[e.dst]:
            dag.add_edge(unit[e.src], unit[e.dst])
    out = []
    for u in nx.lexicographical_topological_sort(dag, key=first.__getitem__):
        out.extend(groups.get(u, [u]) if u in groups else [u])
    return out


def _make_steps(
    graph: Graph, analysis: Analysis, plan: Plan, order: list[str], groups: dict[str, list[str]] | None = None
) -> None:
    groups = groups or {}
    member_of = {n: gid for gid, ms in groups.items() for n in ms}
    _name_blocks(graph, plan, groups)
    ns = plan.ns
    several = len(plan.heads) > 1
    out_vars: dict[str, str] = {}  # the node each head reads -> the variable it writes
    folds: dict[str, str] = {}  # node -> the activation its head's loss absorbs
    for hp in plan.heads:
        edge = graph.in_edges(hp.id)[0]
        hp.fold_id = _folded(graph, analysis, hp.head.fold, edge.src)
        out_node = edge.src
        if hp.fold_id is not None:
            folds[hp.fold_id] = hp.head.fold
            if graph.node(hp.fold_id).type == hp.head.fold:
                out_node = graph.in_edges(hp.fold_id)[0].src  # the layer before the folded activation
        final = hp.head.output_name
        if several:
            final = ns.create_name(f"{hp.name}_{final}", key=(hp.id, "output"))
        out_vars.setdefault(out_node, final)
    var_of: dict[tuple[str, str], str] = {}
    done: set[str] = set()
    for i, nid in enumerate(order):
        if nid in member_of:
            gid = member_of[nid]
            if gid not in done:
                done.add(gid)
                _block_steps(graph, analysis, plan, groups[gid], gid, order, var_of, out_vars)
            continue
        node, spec = graph.node(nid), graph.spec(nid)
        fallback = spec.extra.get("base_name", "layer")
        name = ns.create_name(node.name, key=nid, fallback=fallback)
        ins, types, port_inputs, port_types = [], [], {}, {}
        for port in spec.inputs:
            for e in graph.in_edges(nid, port.name):
                ins.append(var_of[(e.src, e.src_port)])
                types.append(analysis.output(e.src, e.src_port))
                port_inputs.setdefault(port.name, []).append(ins[-1])
                port_types.setdefault(port.name, []).append(types[-1])
        step = Step(nid, node.type, spec, dict(node.params), name, "", ins, types, analysis.output(nid), node.name)
        step.port_inputs, step.port_types = port_inputs, port_types
        step.fold = folds.get(nid)
        if spec.is_input:
            step.var = name
            plan.inputs.append(step)
        elif step.fold and node.type == step.fold:
            step.var = ins[0]  # the activation is the loss's job: this node emits no code
        elif nid in out_vars:
            step.var = out_vars[nid]
        else:
            consumers = graph.out_edges(nid)
            nxt = order[i + 1] if i + 1 < len(order) else None
            main_port = spec.outputs[0].name if spec.outputs else "out"
            single = len(consumers) == 1 and consumers[0].dst == nxt and consumers[0].src_port == main_port
            step.var = "x" if single else name
        main = spec.outputs[0].name if spec.outputs else "out"
        step.outs = {main: step.var}
        for port in spec.outputs[1:]:  # a second output (an LSTM's final state, attention weights)
            used = bool(graph.out_edges(nid, port.name))
            step.outs[port.name] = ns.create_name(f"{name}_{port.name}", key=(nid, port.name)) if used else None
        step.out_types = {port.name: analysis.output(nid, port.name) for port in spec.outputs}
        for port, var in step.outs.items():
            if var is not None:
                var_of[(nid, port)] = var
        plan.steps.append(step)
    for hp in plan.heads:
        edge = graph.in_edges(hp.id)[0]
        hp.output_var = var_of[(edge.src, edge.src_port)]
        hp.output_type = analysis.output(edge.src, edge.src_port)


def _name_blocks(graph: Graph, plan: Plan, groups: dict[str, list[str]]) -> None:
    """Name each block instance, and reserve the Keras names of its layers (``<block>_<layer>``) so no
    layer outside the block takes one of them."""
    for gid in groups:
        group = graph.group(gid)
        scope = plan.ns.create_name(group.name, key=("block", gid), fallback="block")
        local = Namespace(RESERVED | {"name", "self"})  # ``name``: the Keras function's prefix argument
        for nid in groups[gid]:
            node = graph.node(nid)
            base = graph.spec(nid).extra.get("base_name", "layer")
            name = local.create_name(local_name(node.name, group.name), key=nid, fallback=base)
            plan.ns.create_name(f"{scope}_{name}", key=("scoped", nid))
        plan.blocks.append(BlockPlan(gid, group.title, group.name, scope, [], [], [], [], [], local))


def _block_steps(graph, analysis, plan, members, gid, order, var_of, out_vars) -> None:
    """The steps of one block, named and wired inside it; the model's variables go to its BlockPlan."""
    block = next(b for b in plan.blocks if b.id == gid)
    group, inside, ns = graph.group(gid), set(members), block.ns
    # the block's inputs: one per outside source, in the order of the block's declared inputs
    declared = {tuple(p): k for k, ports in enumerate(group.inputs) for p in ports}
    sources: dict[tuple[str, str], tuple[int, int]] = {}
    for nid in members:
        for e in graph.in_edges(nid):
            if e.src not in inside:
                rank = (declared.get((nid, e.dst_port), len(declared)), e.seq)
                sources[(e.src, e.src_port)] = min(sources.get((e.src, e.src_port), rank), rank)
    ordered = sorted(sources, key=sources.__getitem__)
    feeds = {src: sum(1 for n in members for e in graph.in_edges(n) if (e.src, e.src_port) == src) for src in ordered}
    local_var: dict[tuple[str, str], str] = {}
    for k, src in enumerate(ordered):
        if len(ordered) == 1:  # reserved words: no layer inside takes them
            block.params.append("x" if feeds[src] == 1 else "inputs")
        else:
            block.params.append(ns.create_name(f"x{k + 1}", key=("param", k)))
        block.args.append(var_of[src])
        local_var[src] = block.params[-1]
    # the block's outputs: member ports that feed layers outside (or heads), declared order first
    declared_out = {tuple(p): k for k, p in enumerate(group.outputs)}
    outs: list[tuple[str, str]] = []
    for nid in members:
        for e in graph.out_edges(nid):
            if e.dst not in inside and (nid, e.src_port) not in outs:
                outs.append((nid, e.src_port))
    outs.sort(key=lambda p: (declared_out.get(p, len(declared_out)), members.index(p[0])))
    for i, nid in enumerate(members):
        node, spec = graph.node(nid), graph.spec(nid)
        name = ScopedName(ns.name_of(nid))
        ins, types, port_inputs, port_types = [], [], {}, {}
        for port in spec.inputs:
            for e in graph.in_edges(nid, port.name):
                ins.append(local_var[(e.src, e.src_port)])
                types.append(analysis.output(e.src, e.src_port))
                port_inputs.setdefault(port.name, []).append(ins[-1])
                port_types.setdefault(port.name, []).append(types[-1])
        step = Step(nid, node.type, spec, dict(node.params), name, "", ins, types, analysis.output(nid), node.name)
        step.port_inputs, step.port_types = port_inputs, port_types
        step.scope, step.ns = block.scope, ns
        consumers = graph.out_edges(nid)
        nxt = members[i + 1] if i + 1 < len(members) else None
        main = spec.outputs[0].name if spec.outputs else "out"
        if any(o[0] == nid for o in outs):  # what the block returns: "x" for the last layer's one output
            only = nxt is None and outs == [(nid, main)]
            step.var = "x" if only else str(name)
        elif len(consumers) == 1 and consumers[0].src_port == main and consumers[0].dst == nxt:
            step.var = "x"
        else:
            step.var = str(name)
        step.outs = {main: step.var}
        for port in spec.outputs[1:]:
            used = bool(graph.out_edges(nid, port.name))
            step.outs[port.name] = ns.create_name(f"{name}_{port.name}", key=(nid, port.name)) if used else None
        step.out_types = {port.name: analysis.output(nid, port.name) for port in spec.outputs}
        for port, var in step.outs.items():
            if var is not None:
                local_var[(nid, port)] = var
        block.steps.append(step)
        plan.steps.append(step)
    # the model's variables for the block's outputs
    last = order.index(members[-1])
    after = order[last + 1] if last + 1 < len(order) else None
    for j, (nid, port) in enumerate(outs):
        block.returns.append(local_var[(nid, port)])
        consumers = graph.out_edges(nid, port)
        if nid in out_vars:
            target = out_vars[nid]
        elif len(outs) == 1 and len(consumers) == 1 and consumers[0].dst == after:
            target = "x"
        elif len(outs) == 1:
            target = block.scope  # like a layer's output, named after it
        else:
            target = plan.ns.create_name(f"{block.scope}_{ns.name_of(nid)}", key=("block-out", gid, j))
        block.targets.append(target)
        var_of[(nid, port)] = target


def _folded(graph: Graph, analysis: Analysis, act: str | None, src: str) -> str | None:
    """The node whose softmax/sigmoid the loss absorbs (it must feed only the head), or None."""
    if act is None or len(graph.out_edges(src)) != 1:
        return None
    node = graph.node(src)
    if node.type == act:
        t = analysis.output(src)
        class_axes = (1,) if t.channels_first else (-1, t.rank - 1)  # per-pixel scores sit on the channels
        if act == "softmax" and node.params.get("axis") not in class_axes:
            return None
        return src
    if node.type == "dense" and node.params.get("activation") == act:
        return src
    return None
