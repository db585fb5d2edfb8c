"""Shared pieces of the Keras lowerings: layer calls and the channels-last helpers (docs/equivalence.md §1)."""

from __future__ import annotations

from codegen.backend import KERAS as lower  # noqa: F401  (re-exported for the family modules)
from codegen.backend import Ctx, Rendered
from codegen.emitter import Step
from codegen.pyfmt import Call, call, lit
from graph.tensors import TensorType


def _layer(step: Step, cls: str, *args, name: str | None = None, inputs=None, var=None, **kw) -> tuple:
    kw["name"] = lit(name or step.name)
    target = var or step.var
    src = inputs if inputs is not None else step.x
    return (target, Call(call(f"layers.{cls}", *args, **kw), (src,)))


def _one(step: Step, cls: str, *args, **kw) -> Rendered:
    return Rendered(apply=[_layer(step, cls, *args, **kw)])


def _tuple(values) -> str:
    return lit(tuple(values))


def _to_logical(step: Step, ctx: Ctx, t: TensorType, r: Rendered) -> str:
    """Permute a channels-last tensor back to PyTorch's channels-first order (only needed when C > 1)."""
    if not t.channels_first or t.dims[1] == 1:
        return step.x
    order = (t.rank - 1, *range(1, t.rank - 1))  # (H, W, C) → (C, H, W); (D, H, W, C) → (C, D, H, W)
    aux = ctx.aux(step, "to_channels_first")
    r.comments.append("# Back to channels-first order, so the flattened values match PyTorch's.")
    r.apply.append(_layer(step, "Permute", lit(order), name=aux, var="x"))
    return "x"
