"""Graph comparison for the import round trips: the same layers (types, parameters, names) and the same
connections (each input port's sources in order), heads compared by kind and source only."""

from __future__ import annotations

from graph.project import Project


def _value(v):
    return tuple(v) if isinstance(v, list) else v


def signature(project: Project, head_names: bool = False) -> tuple:
    g = project.graph
    heads = {n.id for n in g.nodes() if not g.spec(n.id).outputs}

    def name(nid: str) -> str:
        return g.node(nid).name if head_names or nid not in heads else f"<{g.node(nid).type}>"

    nodes = sorted((name(n.id), n.type, tuple(sorted((k, _value(v)) for k, v in n.params.items()))) for n in g.nodes())
    ports: dict[tuple[str, str], list] = {}
    for e in sorted(g.edges(), key=lambda e: e.seq):
        ports.setdefault((name(e.dst), e.dst_port), []).append((name(e.src), e.src_port))
    return tuple(nodes), tuple(sorted((k, tuple(v)) for k, v in ports.items()))


def differences(a: Project, b: Project) -> list[str]:
    """What differs between two graphs, readable (empty when they are the same)."""
    (na, ea), (nb, eb) = signature(a), signature(b)
    out = [f"only in the original: {x}" for x in sorted(set(na) - set(nb))]
    out += [f"only in the import:   {x}" for x in sorted(set(nb) - set(na))]
    out += [f"edges only in the original: {x}" for x in sorted(set(ea) - set(eb))]
    out += [f"edges only in the import:   {x}" for x in sorted(set(eb) - set(ea))]
    return out


def head_kinds(project: Project) -> list[str]:
    """The kinds of the project's heads in graph order (what an importer is told)."""
    g = project.graph
    return [n.type.split(".", 1)[1] for n in g.nodes() if not g.spec(n.id).outputs]
