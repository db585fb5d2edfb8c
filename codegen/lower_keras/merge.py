"""Keras lowerings of the merge layers."""

from __future__ import annotations

from codegen.backend import Ctx, Rendered
from codegen.emitter import Step
from codegen.layout import keras_axis_literal
from codegen.lower_keras._common import _layer, lower
from codegen.pyfmt import lit


def _merge(cls: str):
    def render(step: Step, ctx: Ctx) -> Rendered:
        return Rendered(apply=[_layer(step, cls, inputs="[" + ", ".join(step.inputs) + "]")])

    return render


lower("add")(_merge("Add"))
lower("multiply")(_merge("Multiply"))


@lower("concatenate")
def _concatenate(step: Step, ctx: Ctx) -> Rendered:
    axis = lit(keras_axis_literal(step.t, step.params["axis"]))
    return Rendered(apply=[_layer(step, "Concatenate", axis=axis, inputs="[" + ", ".join(step.inputs) + "]")])
