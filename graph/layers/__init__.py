"""Every built-in layer spec, grouped by category module."""

from __future__ import annotations

from graph.spec import LayerSpec


def all_specs() -> list[LayerSpec]:
    """The built-in specs in palette order."""
    from graph.layers import activations, conv, core, heads, io, merge, norm, pool, recurrent

    modules = (io, core, conv, pool, norm, recurrent, activations, merge, heads)
    return [spec for module in modules for spec in module.SPECS]
