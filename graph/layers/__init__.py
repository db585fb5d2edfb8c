"""Every built-in layer spec, grouped by family module (each module has ``SPECS`` and ``ORDER``).

A new family module is found by itself; ``ORDER`` places it in the palette (lower first).
"""

from __future__ import annotations

import importlib
import pkgutil

from graph.spec import LayerSpec


def all_specs() -> list[LayerSpec]:
    """The built-in specs in palette order."""
    modules = [
        importlib.import_module(f"{__name__}.{info.name}")
        for info in pkgutil.iter_modules(__path__)
        if not info.name.startswith("_")
    ]
    modules.sort(key=lambda m: (m.ORDER, m.__name__))
    return [spec for module in modules for spec in module.SPECS]
