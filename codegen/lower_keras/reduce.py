"""Keras lowerings of the reductions: the logical axis mapped to channels-last storage (codegen/layout.py).

Without keepdims the remaining axes keep their storage order, which the shape rule has matched to the
result's layout (graph/layers/reduce.py), so no transpose is needed.
"""

from __future__ import annotations

from codegen.backend import Ctx, Rendered
from codegen.emitter import Step
from codegen.layout import keras_axis_literal
from codegen.lower_keras._common import lower
from codegen.pyfmt import call, lit


def _reduce(fn: str):
    def render(step: Step, ctx: Ctx) -> Rendered:
        ctx.imports.add("ops")
        axis = lit(keras_axis_literal(step.t, step.params["axis"]))
        return Rendered(apply=[(step.var, call(fn, step.x, axis=axis, keepdims=lit(step.params["keepdims"])))])

    return render


lower("reduce_mean")(_reduce("ops.mean"))
lower("reduce_max")(_reduce("ops.max"))
