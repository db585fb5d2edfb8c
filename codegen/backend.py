"""What a backend is: the lowerings of every layer type plus the script writer.

A *lowering* is everything one framework needs to know about one layer type, kept together: the
renderer (the code that builds and calls the layer), the weight conversion from the neutral layout
(PyTorch's ``state_dict``) into the framework's own, and the initialiser that reproduces the reference
initial values (docs/equivalence.md §4). Lowerings live in ``codegen/lower_torch/`` and
``codegen/lower_keras/``, one module per layer family; each registers itself with a decorator, so adding
a layer type never touches a table elsewhere (docs/adding-a-layer.md).
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field

from codegen.emitter import Plan, Step
from codegen.pyfmt import ScopedName


class Unsupported(Exception):
    """A renderer cannot express this layer configuration exactly; the message says why."""


@dataclass
class Rendered:
    """Code for one node: ``build`` statements create layers, ``apply`` statements compute its output.

    Each statement is (assignment target or "", expression). PyTorch puts ``build`` in ``__init__``,
    ``init`` in ``reset_parameters`` and ``apply`` in ``forward``; Keras has only ``apply`` (layers are
    created where they are called).
    """

    build: list[tuple[str, object]] = field(default_factory=list)
    apply: list[tuple[str, object]] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)  # emitted above the build (or apply) lines
    init: list[tuple[str, object]] = field(default_factory=list)


@dataclass
class Ctx:
    """What a renderer may use besides its step: the plan, the namespace, imports and helpers."""

    plan: Plan
    imports: set[str] = field(default_factory=set)
    helpers: dict[str, str] = field(default_factory=dict)  # name -> source of a module-level helper
    info: object = None

    def aux(self, step: Step, suffix: str) -> str:
        """A second identifier for a node that needs two layers (e.g. ``conv_pad``); inside a block it
        is the block's (and its Keras name, ``<block>_<it>``, is kept from every other layer)."""
        key = (step.id, suffix)
        if step.ns is None:
            return self.plan.ns.create_name(f"{step.name}_{suffix}", key=key)
        if step.ns.knows(key):
            return ScopedName(step.ns.name_of(key))
        name = step.ns.create_name(f"{step.name}_{suffix}")
        while self.plan.ns.taken(f"{step.scope}_{name}"):
            name = step.ns.create_name(f"{step.name}_{suffix}")
        self.plan.ns.create_name(f"{step.scope}_{name}", key=("scoped", *key))
        step.ns.remember(key, name)
        return ScopedName(name)

    def helper(self, name: str, source: str) -> str:
        """Ask for a module-level helper function (written once, before the model); returns its name."""
        self.helpers.setdefault(name, source.strip("\n"))
        return name


RendererFn = Callable[[Step, Ctx], Rendered]
WeightsFn = Callable[[Step, dict], list]  # (step, PyTorch state arrays) -> the framework's weight list
InitFn = Callable[[Step, Ctx], list]  # (step, ctx) -> statements giving the reference initial values


@dataclass(frozen=True)
class Lowering:
    """One layer type in one framework: its renderer, weight conversion and initialiser."""

    type_id: str
    render: RendererFn
    weights: WeightsFn | None = None
    init: InitFn | None = None


class Lowerings:
    """The lowerings of one framework, registered by the modules of one package (loaded on first use)."""

    def __init__(self, framework: str, package: str):
        self.framework, self.package = framework, package
        self._table: dict[str, Lowering] = {}
        self._loaded = False

    def __call__(self, *type_ids: str, weights: WeightsFn | None = None, init: InitFn | None = None):
        """Decorator: ``@lower("dense", weights=..., init=...)`` registers a renderer for these types."""

        def register(fn: RendererFn) -> RendererFn:
            for tid in type_ids:
                if tid in self._table:
                    raise ValueError(f"{self.framework}: {tid!r} is lowered twice")
                self._table[tid] = Lowering(tid, fn, weights, init)
            return fn

        return register

    def _load(self) -> None:
        if self._loaded:
            return
        self._loaded = True
        pkg = importlib.import_module(self.package)
        for info in pkgutil.iter_modules(pkg.__path__):
            if not info.name.startswith("_"):
                importlib.import_module(f"{self.package}.{info.name}")

    def get(self, type_id: str) -> Lowering | None:
        self._load()
        return self._table.get(type_id)

    def __contains__(self, type_id: str) -> bool:
        return self.get(type_id) is not None

    def ids(self) -> set[str]:
        self._load()
        return set(self._table)


TORCH = Lowerings("pytorch", "codegen.lower_torch")
KERAS = Lowerings("tensorflow", "codegen.lower_keras")


@dataclass(frozen=True)
class Backend:
    """One framework: its lowerings and the module that writes its script (``write(...) -> Emitter``)."""

    framework: str
    lowerings: Lowerings
    writer: str  # module name, imported when a script is written

    def write_script(self, *args, **kwargs):
        return importlib.import_module(self.writer).write(*args, **kwargs)

    def write_model(self, *args, **kwargs):
        """Only the model, as an importable module (``layerlab export --format model``)."""
        return importlib.import_module(self.writer).write_model(*args, **kwargs)


BACKENDS = {
    "pytorch": Backend("pytorch", TORCH, "codegen.script_torch"),
    "tensorflow": Backend("tensorflow", KERAS, "codegen.script_keras"),
}


def render_all(plan: Plan, backend: Backend) -> tuple[dict[str, Rendered], Ctx]:
    """Render every step through the backend's lowerings; unsupported layers become plan problems."""
    ctx = Ctx(plan)
    out: dict[str, Rendered] = {}
    for step in plan.steps:
        if step.fold and step.type == step.fold:  # Softmax/Sigmoid folded into the loss
            note = f"# {step.spec.display_name}: applied by the loss, which takes logits"
            out[step.id] = Rendered(apply=[("", note)])
            continue
        lowering = backend.lowerings.get(step.type)
        if lowering is None:
            plan.problems.append(
                (step.id, f"{step.display}: {step.spec.display_name} has no {backend.framework} code yet")
            )
            continue
        try:
            rendered = lowering.render(step, ctx)
            if lowering.init is not None:
                rendered.init.extend(lowering.init(step, ctx))
            out[step.id] = rendered
        except Unsupported as err:
            plan.problems.append((step.id, f"{step.display}: {err}"))
    return out, ctx
