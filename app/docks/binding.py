"""Subscriptions to the (Qt-free) graph events that a view drops when it rebinds or is destroyed."""

from __future__ import annotations

import contextlib
from collections.abc import Callable

import shiboken6


class GraphListener:
    """Connects callbacks to one graph's events; ``unbind`` disconnects them all.

    Graph events are plain callbacks, so Qt cannot cut them when a widget dies: each callback is
    skipped once its owner's C++ object is gone, and the owner unbinds on ``destroyed``.
    """

    def __init__(self, owner, handlers: dict[str, Callable]):
        self._owner_alive = lambda: shiboken6.isValid(owner)
        self._handlers = {name: self._guard(fn) for name, fn in handlers.items()}
        self._events = None
        owner.destroyed.connect(self.unbind)

    def _guard(self, fn: Callable) -> Callable:
        def call(*args):
            if self._owner_alive():
                fn(*args)

        return call

    def bind(self, graph) -> None:
        self.unbind()
        self._events = graph.events
        for name, fn in self._handlers.items():
            getattr(self._events, name).connect(fn)

    def unbind(self, *_) -> None:
        if self._events is None:
            return
        for name, fn in self._handlers.items():
            with contextlib.suppress(ValueError):
                getattr(self._events, name).disconnect(fn)
        self._events = None
