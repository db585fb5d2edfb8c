"""Differences between two projects: layers added, removed, changed and renamed, connections, setup.

Nodes are matched by id first (a node keeps its id across edits and saves), then, among the ones
left over, by name (a layer deleted and drawn again, or a project rebuilt by hand). Two nodes that
share an id but neither their type nor their name are different layers (two unrelated files both
number their layers n1, n2, …), so they are matched by name or not at all.

Positions and metadata (title, description) are not part of the model and are ignored; training
setup fields count only where they apply to the setup that has them (an SGD momentum is no
difference between two Adam setups). Nothing here imports Qt or a framework.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from graph.model import Graph
from graph.project import Project, setup_field_relevant


@dataclass(frozen=True)
class Change:
    """One value that differs: a parameter, a training setting or a layer's type."""

    name: str
    old: Any
    new: Any

    def text(self, lang: str = "en", layer_type: str | None = None) -> str:
        """``units: 10 → 64``; in Chinese (``lang`` "zh…") the parameter or setting by its title."""
        if not lang.startswith("zh"):
            return f"{self.name}: {_value(self.old)} → {_value(self.new)}"
        old, new = (_value_zh(self.name, v) for v in (self.old, self.new))
        return f"{_name_zh(self.name, layer_type)}：{old} → {new}"


@dataclass(frozen=True)
class LayerRef:
    """A layer of one side: its id, name and type."""

    id: str
    name: str
    type: str


@dataclass(frozen=True)
class LayerChange:
    """A matched layer whose type or parameters differ (``old_id``: its id in the first project)."""

    id: str
    old_id: str
    name: str
    changes: tuple[Change, ...]
    type: str = ""  # the layer's type in the second project (names its parameters in Chinese)

    def text(self, lang: str = "en") -> str:
        return ("，" if lang.startswith("zh") else ", ").join(c.text(lang, self.type) for c in self.changes)


@dataclass(frozen=True)
class Rename:
    id: str
    old_id: str
    old: str
    new: str


@dataclass(frozen=True)
class Connection:
    """A connection by layer names (as a person reads it) and by the ids of its side."""

    src: str
    src_port: str
    dst: str
    dst_port: str
    src_id: str = ""
    dst_id: str = ""

    def text(self) -> str:
        return f"{self.src}.{self.src_port} → {self.dst}.{self.dst_port}"


@dataclass
class ModelDiff:
    """What turns project ``a`` into project ``b``. Ids of added and changed layers are ``b``'s."""

    added: list[LayerRef] = field(default_factory=list)
    removed: list[LayerRef] = field(default_factory=list)
    changed: list[LayerChange] = field(default_factory=list)
    renamed: list[Rename] = field(default_factory=list)
    connections_added: list[Connection] = field(default_factory=list)
    connections_removed: list[Connection] = field(default_factory=list)
    setup: list[Change] = field(default_factory=list)
    matches: dict[str, str] = field(default_factory=dict)  # id in a → id in b
    blocks_added: list[str] = field(default_factory=list)  # "residual (Residual block)"
    blocks_removed: list[str] = field(default_factory=list)
    blocks_changed: list[str] = field(default_factory=list)  # "residual: + conv3, - relu1"

    @property
    def equal(self) -> bool:
        return not (
            self.added
            or self.removed
            or self.changed
            or self.renamed
            or self.connections_added
            or self.connections_removed
            or self.setup
            or self.blocks_added
            or self.blocks_removed
            or self.blocks_changed
        )

    def counts(self) -> dict[str, int]:
        return {
            "added": len(self.added),
            "removed": len(self.removed),
            "changed": len(self.changed),
            "renamed": len(self.renamed),
            "connections": len(self.connections_added) + len(self.connections_removed),
            "setup": len(self.setup),
            "blocks": len(self.blocks_added) + len(self.blocks_removed) + len(self.blocks_changed),
        }

    def text(self, a_label: str = "a", b_label: str = "b", lang: str = "en") -> str:
        """A readable report, one section per kind of difference (in Chinese for ``lang`` "zh…";
        the CLI's is English)."""
        if lang.startswith("zh"):
            return self._text_zh(a_label, b_label)
        if self.equal:
            return f"no differences between {a_label} and {b_label}"
        lines = [f"--- {a_label}", f"+++ {b_label}"]

        def section(title: str, entries: list[str]) -> None:
            if entries:
                lines.append(f"{title} ({len(entries)}):")
                lines.extend(f"  {e}" for e in entries)

        section("layers added", [f"+ {r.name} ({r.type})" for r in self.added])
        section("layers removed", [f"- {r.name} ({r.type})" for r in self.removed])
        section("layers renamed", [f"~ {r.old} → {r.new}" for r in self.renamed])
        section("layers changed", [f"~ {c.name}: {c.text()}" for c in self.changed])
        section("connections added", [f"+ {c.text()}" for c in self.connections_added])
        section("connections removed", [f"- {c.text()}" for c in self.connections_removed])
        section("blocks added", [f"+ {b}" for b in self.blocks_added])
        section("blocks removed", [f"- {b}" for b in self.blocks_removed])
        section("blocks changed", [f"~ {b}" for b in self.blocks_changed])
        section("training setup", [f"~ {c.text()}" for c in self.setup])
        return "\n".join(lines)

    def _text_zh(self, a_label: str, b_label: str) -> str:
        if self.equal:
            return f"{a_label} 与 {b_label} 没有差异"
        lines = [f"--- {a_label}", f"+++ {b_label}"]

        def section(title: str, entries: list[str]) -> None:
            if entries:
                lines.append(f"{title}（{len(entries)}）：")
                lines.extend(f"  {e}" for e in entries)

        section("新增的层", [f"+ {r.name}（{_type_zh(r.type)}）" for r in self.added])
        section("删除的层", [f"- {r.name}（{_type_zh(r.type)}）" for r in self.removed])
        section("重命名的层", [f"~ {r.old} → {r.new}" for r in self.renamed])
        section("修改的层", [f"~ {c.name}：{c.text('zh')}" for c in self.changed])
        section("新增的连接", [f"+ {c.text()}" for c in self.connections_added])
        section("删除的连接", [f"- {c.text()}" for c in self.connections_removed])
        section("新增的块", [f"+ {b}" for b in self.blocks_added])
        section("删除的块", [f"- {b}" for b in self.blocks_removed])
        section("修改的块", [f"~ {b}" for b in self.blocks_changed])
        section("训练设置", [f"~ {c.text('zh')}" for c in self.setup])
        return "\n".join(lines)


def _type_zh(type_id: Any) -> str:
    """A layer type id (``dense``) as the Chinese UI names it (全连接层); the id when unknown."""
    from graph.catalog import default_catalog

    catalog = default_catalog()
    if isinstance(type_id, str) and type_id in catalog:
        return catalog[type_id].display_name_zh or catalog[type_id].display_name
    return _value(type_id)


def _name_zh(name: str, layer_type: str | None = None) -> str:
    """A changed parameter's or setting's Chinese title (``type`` is the layer's type)."""
    if name == "type":
        return "类型"
    from graph.glossary import param_name, param_title

    if layer_type:
        from graph.catalog import default_catalog

        catalog = default_catalog()
        spec = catalog[layer_type] if layer_type in catalog else None  # noqa: SIM401 (get raises)
        param = next((p for p in spec.params if p.name == name), None) if spec else None
        if param is not None:
            return param_title(param, "zh")
    return param_name(name, "zh")


def _value_zh(name: str, v: Any) -> str:
    from graph.glossary import choice_label

    if name == "type":
        return _type_zh(v)
    if isinstance(v, bool):
        return "是" if v else "否"
    if v is None:
        return "（无）"
    return choice_label(v, "zh") if isinstance(v, str) else _value(v)


def _value(v: Any) -> str:
    if isinstance(v, str):
        return v
    try:
        return json.dumps(v, ensure_ascii=False)
    except (TypeError, ValueError):
        return repr(v)


def match_nodes(a: Graph, b: Graph) -> dict[str, str]:
    """Pairs of ids (in ``a`` → in ``b``) of the same layer: by id, then by name."""
    matches: dict[str, str] = {}
    for node in a.nodes():
        if node.id in b:
            other = b.node(node.id)
            if other.type == node.type or other.name == node.name:
                matches[node.id] = node.id
    taken = set(matches.values())
    b_by_name = {n.name: n.id for n in b.nodes() if n.id not in taken}
    for node in a.nodes():
        if node.id in matches:
            continue
        other = b_by_name.pop(node.name, None)
        if other is not None:
            matches[node.id] = other
    return matches


def _params(graph: Graph, node_id: str) -> dict[str, Any]:
    node = graph.node(node_id)
    defaults = graph.spec(node_id).defaults() if node.type in graph.catalog else {}
    return {**defaults, **node.params}


def _layer_changes(a: Graph, a_id: str, b: Graph, b_id: str) -> tuple[Change, ...]:
    na, nb = a.node(a_id), b.node(b_id)
    changes = []
    if na.type != nb.type:
        changes.append(Change("type", na.type, nb.type))
    pa, pb = _params(a, a_id), _params(b, b_id)
    for key in list(pa) + [k for k in pb if k not in pa]:
        if pa.get(key) != pb.get(key):
            changes.append(Change(key, pa.get(key), pb.get(key)))
    return tuple(changes)


def _connections(graph: Graph, rename: dict | None = None) -> dict[tuple, Connection]:
    out = {}
    for e in graph.edges():
        src, dst = (rename or {}).get(e.src, e.src), (rename or {}).get(e.dst, e.dst)
        conn = Connection(
            graph.node(e.src).name, e.src_port, graph.node(e.dst).name, e.dst_port, src_id=e.src, dst_id=e.dst
        )
        out.setdefault((src, e.src_port, dst, e.dst_port), conn)
    return out


def _setup_changes(a: dict, b: dict) -> list[Change]:
    out = []
    for key in list(a) + [k for k in b if k not in a]:
        old, new = a.get(key), b.get(key)
        if old != new and (setup_field_relevant(key, a) or setup_field_relevant(key, b)):
            out.append(Change(key, old, new))
    return out


def diff_projects(a: Project, b: Project) -> ModelDiff:
    """What changed from ``a`` to ``b`` (the order of each list follows the projects' layer order)."""
    ga, gb = a.graph, b.graph
    matches = match_nodes(ga, gb)
    matched_b = set(matches.values())
    result = ModelDiff(matches=matches)
    for node in ga.nodes():
        if node.id not in matches:
            result.removed.append(LayerRef(node.id, node.name, node.type))
    for node in gb.nodes():
        if node.id not in matched_b:
            result.added.append(LayerRef(node.id, node.name, node.type))
    b_order = {nid: i for i, nid in enumerate(gb.node_ids())}
    for a_id, b_id in sorted(matches.items(), key=lambda item: b_order[item[1]]):
        old, new = ga.node(a_id).name, gb.node(b_id).name
        if old != new:
            result.renamed.append(Rename(b_id, a_id, old, new))
        changes = _layer_changes(ga, a_id, gb, b_id)
        if changes:
            result.changed.append(LayerChange(b_id, a_id, new, changes, gb.node(b_id).type))
    # a's edges in b's ids, so matched layers compare equal; a removed layer's id may name another layer in b
    gone = {r.id: ("removed", r.id) for r in result.removed}
    before = _connections(ga, {**gone, **matches})
    after = _connections(gb)
    result.connections_removed = [c for key, c in before.items() if key not in after]
    result.connections_added = [c for key, c in after.items() if key not in before]
    result.setup = _setup_changes(a.setup, b.setup)
    _block_changes(ga, gb, matches, result)
    return result


def _block_changes(ga: Graph, gb: Graph, matches: dict[str, str], result: ModelDiff) -> None:
    """Blocks by name: added, removed, or holding other layers (by the layers' names in ``b``);
    collapsing is a view and no difference."""
    before = {g.name: g for g in ga.groups()}
    after = {g.name: g for g in gb.groups()}
    for name, g in after.items():
        if name not in before:
            result.blocks_added.append(f"{name} ({g.title})")
    for name, g in before.items():
        if name not in after:
            result.blocks_removed.append(f"{name} ({g.title})")
            continue
        new = after[name]
        old_members = {matches.get(n, ("gone", n)) for n in g.members}
        new_members = set(new.members)
        plus = [gb.node(n).name for n in new.members if n not in old_members]
        minus = [ga.node(n).name for n in g.members if matches.get(n, ("gone", n)) not in new_members]
        parts = [f"+ {n}" for n in plus] + [f"- {n}" for n in minus]
        if g.title != new.title:
            parts.insert(0, f"title: {g.title} → {new.title}")
        if parts:
            result.blocks_changed.append(f"{name}: {', '.join(parts)}")


__all__ = ["Change", "Connection", "LayerChange", "LayerRef", "ModelDiff", "Rename", "diff_projects", "match_nodes"]
