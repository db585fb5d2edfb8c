"""Keras lowerings of the merge layers.

Keras 3's merge layers broadcast inputs of equal rank like NumPy (``Merge._compute_elemwise_op_output_shape``);
the graph only lets inputs of the same layout meet, so both are stored channels-last alike and a size of 1
repeats along the same axis as in PyTorch.
"""

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
lower("subtract")(_merge("Subtract"))  # [a, b]: step.inputs follow the spec's ports
lower("average")(_merge("Average"))
lower("maximum")(_merge("Maximum"))
lower("minimum")(_merge("Minimum"))


@lower("concatenate")
def _concatenate(step: Step, ctx: Ctx) -> Rendered:
    axis = lit(keras_axis_literal(step.t, step.params["axis"]))
    return Rendered(apply=[_layer(step, "Concatenate", axis=axis, inputs="[" + ", ".join(step.inputs) + "]")])
