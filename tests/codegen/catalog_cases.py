"""Test cases drawn from the catalog itself: every layer type, in every input layout it accepts.

No list of layer ids is kept here. For each spec (inputs and heads aside) the variants are: its
defaults; every other choice of each choice parameter; each flag flipped; each real-valued parameter
moved inside its bounds; and the settings the spec lists in ``examples``. A variant goes into every
standard input layout for which the spec's own shape rule accepts it (merge layers get two branches);
the automatic variants go into the first such layout only, to keep the suite short.
"""

from __future__ import annotations

from codegen_helpers import INPUTS, merge_project, no_data_project

from graph.analysis import analyze
from graph.catalog import default_catalog
from graph.spec import BOOL, CHOICE, FLOAT, LayerSpec

CATALOG = default_catalog()


def layer_specs() -> list[LayerSpec]:
    """Every spec that sits between an Input and a head."""
    return [s for s in CATALOG if not s.is_input and not s.is_head]


def variants(spec: LayerSpec) -> list[dict]:
    """Parameter overrides for one spec, each a small dict ({} = the defaults)."""
    out: list[dict] = [{}]
    for p in spec.params:
        if p.kind == CHOICE:
            out += [{p.name: c} for c in p.choices if c != p.default]
        elif p.kind == BOOL:
            out.append({p.name: not p.default})
        elif p.kind == FLOAT:
            value = _inside(p)
            if value is not None:
                out.append({p.name: value})
    for example in spec.examples:
        if example not in out:
            out.append(dict(example))
    return out


def _inside(p) -> float | None:
    """A second value for a real parameter, strictly inside its bounds and not the default."""
    low = p.minimum if p.minimum is not None else p.default - 1.0
    high = p.maximum if p.maximum is not None else p.default + 1.0
    value = round((p.default + high) / 2 if p.default < high else (low + p.default) / 2, 6)
    return None if value == p.default or p.check(value) else value


def project_for(spec: LayerSpec, params: dict, kind: str):
    """Input(kind) → the layer (two branches for a merge) → a regression head.

    A layer with several named input ports (Subtract's ``a`` and ``b``) gets one branch per port, in port
    order: ReLU, then Tanh, then ReLU again…, so swapping the ports changes the result."""
    if any(port.variadic for port in spec.inputs):
        return merge_project(spec.type_id, params, kind)
    project = no_data_project()
    g = project.graph
    src = g.add_node(*INPUTS[kind])
    node = g.add_node(spec.type_id, params)
    ports = [port.name for port in spec.inputs if not port.optional]
    if len(ports) < 2:
        g.connect(src.id, "out", node.id, spec.inputs[0].name)
    else:
        for n, port in enumerate(ports):
            branch = g.add_node(("relu", "tanh")[n % 2])
            g.connect(src.id, "out", branch.id, "in")
            g.connect(branch.id, "out", node.id, port)
    head = g.add_node("output.regression")
    g.connect(node.id, spec.outputs[0].name, head.id, "in")
    return project


def fits(project) -> bool:
    """The spec's shape rule and the analysis accept this graph (no error diagnostics)."""
    return not analyze(project.graph).errors


def cases() -> list[tuple[str, str, dict]]:
    """(type id, input kind, params): the defaults in every layout they fit, the other variants in
    the first layout they fit and in the layouts where the spec treats the input differently."""
    out = []
    for spec in layer_specs():
        for i, params in enumerate(variants(spec)):
            fitting = [kind for kind in INPUTS if fits(project_for(spec, params, kind))]
            chosen = fitting if i == 0 or params in spec.examples else fitting[:1]
            out += [(spec.type_id, kind, params) for kind in chosen]
    return out


def case_id(case) -> str:
    type_id, kind, params = case
    detail = ",".join(f"{k}={v}" for k, v in params.items()).replace(" ", "")
    return f"{type_id}-{kind}" + (f"-{detail}" if detail else "")
