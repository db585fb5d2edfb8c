"""One-click fixes: a mechanical repair of a diagnostic, described as plain data.

A shape rule (``ShapeError(..., action=...)``) or the analysis attaches a ``Fix`` to a problem; the
app turns it into one undoable edit. The free-text ``fix`` of a diagnostic stays what the user
reads; the ``Fix`` is what a button does. Shape rules do not know node ids: they leave ``node_id``
empty and the analysis fills in the node the diagnostic is about (``Fix.on``).

Kinds:

* ``insert_before``: insert a layer ``type`` (with ``params``) into the connection that feeds input
  ``port`` of the node (its first input when ``port`` is None); an unconnected port gets the new
  layer in front of it.
* ``insert_after``: add a layer ``type`` behind the node, wired from its first output.
* ``set_params``: set parameters of the node (``values``), all in one step.
* ``connect``: connect output ``src_port`` of ``src`` to input ``port`` of the node.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

INSERT_BEFORE = "insert_before"
INSERT_AFTER = "insert_after"
SET_PARAMS = "set_params"
CONNECT = "connect"
KINDS = (INSERT_BEFORE, INSERT_AFTER, SET_PARAMS, CONNECT)


def _freeze(value: Any) -> Any:
    """Lists and dicts as tuples, so a Fix (and the Diagnostic holding it) stays hashable."""
    if isinstance(value, dict):
        return tuple(sorted((k, _freeze(v)) for k, v in value.items()))
    if isinstance(value, (list, tuple)):
        return tuple(_freeze(v) for v in value)
    return value


def _thaw(value: Any) -> Any:
    if isinstance(value, tuple):
        return [_thaw(v) for v in value]
    return value


@dataclass(frozen=True)
class Fix:
    """A mechanical repair: what to do (``kind``), to which node, with which arguments."""

    kind: str
    node_id: str | None = None
    args: tuple[tuple[str, Any], ...] = ()  # frozen (name, value) pairs; read them with ``get``

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"unknown fix kind {self.kind!r}")

    def get(self, name: str, default: Any = None) -> Any:
        for key, value in self.args:
            if key == name:
                return _thaw(value) if name != "values" and name != "params" else _thaw_map(value)
        return default

    def on(self, node_id: str) -> Fix:
        """This fix for ``node_id`` (a fix made by a shape rule does not know its node)."""
        return self if self.node_id is not None else replace(self, node_id=node_id)


def _thaw_map(value) -> dict:
    return {k: _thaw(v) for k, v in value}


def _make(kind: str, node_id: str | None, **args) -> Fix:
    return Fix(kind, node_id, tuple(sorted((k, _freeze(v)) for k, v in args.items() if v is not None)))


def insert_before(type_id: str, params: dict | None = None, port: str | None = None, node_id: str | None = None) -> Fix:
    return _make(INSERT_BEFORE, node_id, type=type_id, params=params or {}, port=port)


def insert_after(type_id: str, params: dict | None = None, node_id: str | None = None) -> Fix:
    return _make(INSERT_AFTER, node_id, type=type_id, params=params or {})


def set_params(node_id: str | None, values: dict) -> Fix:
    return _make(SET_PARAMS, node_id, values=values)


def connect(node_id: str, port: str, src: str, src_port: str) -> Fix:
    return _make(CONNECT, node_id, port=port, src=src, src_port=src_port)


def problem(graph, fix: Fix) -> str | None:
    """Why ``fix`` cannot be applied to ``graph`` as it is now, or None when it can."""
    if fix.node_id is None or fix.node_id not in graph:
        return "the layer this fix is about no longer exists"
    spec = graph.spec(fix.node_id)
    if fix.kind in (INSERT_BEFORE, INSERT_AFTER):
        type_id = fix.get("type")
        if type_id not in graph.catalog:
            return f"unknown layer type {type_id!r}"
        new = graph.catalog[type_id]
        if fix.kind == INSERT_BEFORE and (not new.outputs or not spec.inputs):
            return f"{new.display_name} cannot go before {spec.display_name}"
        if fix.kind == INSERT_AFTER and (not new.inputs or not spec.outputs):
            return f"{new.display_name} cannot go after {spec.display_name}"
        for name, value in fix.get("params", {}).items():
            try:
                msg = new.param(name).check(new.param(name).coerce(value))
            except KeyError:
                msg = f"{new.display_name} has no parameter {name!r}"
            if msg:
                return msg
        return None
    if fix.kind == SET_PARAMS:
        for name, value in fix.get("values", {}).items():
            try:
                msg = spec.param(name).check(spec.param(name).coerce(value))
            except KeyError:
                msg = f"{spec.display_name} has no parameter {name!r}"
            if msg:
                return msg
        return None
    src = fix.get("src")
    if src not in graph:
        return "the layer to connect no longer exists"
    return graph.connection_problem(src, fix.get("src_port"), fix.node_id, fix.get("port"))


__all__ = [
    "CONNECT",
    "INSERT_AFTER",
    "INSERT_BEFORE",
    "KINDS",
    "SET_PARAMS",
    "Fix",
    "connect",
    "insert_after",
    "insert_before",
    "problem",
    "set_params",
]
