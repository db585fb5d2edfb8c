"""A tiny callback-based event, so the model runs and is tested without Qt."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class Event:
    """A list of callbacks called in connection order with the emitted arguments."""

    __slots__ = ("name", "_callbacks", "blocked")

    def __init__(self, name: str):
        self.name = name
        self._callbacks: list[Callable[..., Any]] = []
        self.blocked = False

    def connect(self, callback: Callable[..., Any]) -> Callable[..., Any]:
        """Register ``callback``; returns it so this can be used as a decorator."""
        self._callbacks.append(callback)
        return callback

    def disconnect(self, callback: Callable[..., Any]) -> None:
        self._callbacks.remove(callback)

    def emit(self, *args: Any) -> None:
        if self.blocked:
            return
        for cb in list(self._callbacks):
            cb(*args)

    def __len__(self) -> int:
        return len(self._callbacks)


class GraphEvents:
    """The change events of a Graph: one per kind of operation (``<noun>_<past verb>``)."""

    def __init__(self):
        self.node_added = Event("node_added")  # (node)
        self.node_removed = Event("node_removed")  # (node)
        self.edge_added = Event("edge_added")  # (edge)
        self.edge_removed = Event("edge_removed")  # (edge)
        self.param_changed = Event("param_changed")  # (node, name, old, new)
        self.node_moved = Event("node_moved")  # (node, old_pos, new_pos)
        self.node_renamed = Event("node_renamed")  # (node, old, new)
        self.group_added = Event("group_added")  # (group)
        self.group_removed = Event("group_removed")  # (group)
        self.group_changed = Event("group_changed")  # (group, old copy): renamed, collapsed, members
        self.changed = Event("changed")  # () after any of the above

    def all(self) -> list[Event]:
        return [v for v in vars(self).values() if isinstance(v, Event)]
