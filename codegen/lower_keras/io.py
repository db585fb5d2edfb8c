"""Keras lowerings of the Input layers (stored channels-last)."""

from __future__ import annotations

from codegen.backend import Ctx, Rendered
from codegen.emitter import Step
from codegen.layout import stored_axes
from codegen.lower_keras._common import lower
from codegen.pyfmt import call, lit


@lower("input.vector", "input.image", "input.volume", "input.sequence", "input.signal", "input.tokens", "input.noise")
def _input(step: Step, ctx: Ctx) -> Rendered:
    t = step.out
    shape = tuple(t.dims[a] for a in stored_axes(t)[1:])
    kw = {"shape": lit(shape)}
    if t.dtype == "int64":
        kw["dtype"] = lit("int64")
    kw["name"] = lit(step.name)
    return Rendered(apply=[(step.var, call("keras.Input", **kw))])
