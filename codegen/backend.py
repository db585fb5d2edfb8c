"""What a backend is: a table of per-layer renderers plus a few settings (tinygrad's renderer idea)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from codegen.emitter import Plan, Step


class Unsupported(Exception):
    """A renderer cannot express this layer configuration exactly; the message says why."""


@dataclass
class Rendered:
    """Code for one node: ``build`` statements create layers, ``apply`` statements compute its output.

    Each statement is (assignment target or "", expression). PyTorch puts ``build`` in ``__init__``
    and ``apply`` in ``forward``; Keras has only ``apply`` (layers are created where they are called).
    """

    build: list[tuple[str, object]] = field(default_factory=list)
    apply: list[tuple[str, object]] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)  # emitted above the build (or apply) lines


@dataclass
class Ctx:
    """What a renderer may use besides its step: the plan, the namespace, imports and helpers."""

    plan: Plan
    imports: set[str] = field(default_factory=set)
    helpers: set[str] = field(default_factory=set)

    def aux(self, step: Step, suffix: str) -> str:
        """A second identifier for a node that needs two layers (e.g. ``conv_pad``)."""
        return self.plan.ns.create_name(f"{step.name}_{suffix}", key=(step.id, suffix))


RendererFn = Callable[[Step, Ctx], Rendered]


@dataclass
class Backend:
    """One framework: its name, its renderers and its script writer."""

    framework: str
    renderers: dict[str, RendererFn]
    write_script: Callable  # (project, plan, rendered_by_step, ctx, project_dir) -> Emitter


def render_all(plan: Plan, backend: Backend) -> tuple[dict[str, Rendered], Ctx]:
    """Render every step through the backend's table; unsupported layers become plan problems."""
    ctx = Ctx(plan)
    out: dict[str, Rendered] = {}
    for step in plan.steps:
        if step.fold and step.type == step.fold:  # Softmax/Sigmoid folded into the loss
            note = f"# {step.spec.display_name}: applied by the loss, which takes logits"
            out[step.id] = Rendered(apply=[("", note)])
            continue
        fn = backend.renderers.get(step.type)
        if fn is None:
            plan.problems.append(
                (step.id, f"{step.display}: {step.spec.display_name} has no {backend.framework} code yet")
            )
            continue
        try:
            out[step.id] = fn(step, ctx)
        except Unsupported as err:
            plan.problems.append((step.id, f"{step.display}: {err}"))
    return out, ctx
