"""Keras lowerings of the activation layers."""

from __future__ import annotations

from codegen.backend import Ctx, Rendered
from codegen.emitter import Step
from codegen.layout import keras_axis_literal
from codegen.lower_keras._common import _one, lower
from codegen.pyfmt import call, lit


def _activation(name: str):
    return lambda step, ctx: _one(step, "Activation", lit(name))


@lower("gelu")
def _gelu(step: Step, ctx: Ctx) -> Rendered:
    if step.params["approximate"] == "tanh":
        ctx.imports.add("ops")
        return Rendered(apply=[(step.var, call("ops.gelu", step.x, approximate="True"))])
    return _one(step, "Activation", lit("gelu"))


@lower("softmax")
def _softmax(step: Step, ctx: Ctx) -> Rendered:
    return _one(step, "Softmax", axis=lit(keras_axis_literal(step.t, step.params["axis"])))


lower("relu")(lambda step, ctx: _one(step, "ReLU"))
lower("leaky_relu")(lambda step, ctx: _one(step, "LeakyReLU", negative_slope=lit(step.params["negative_slope"])))
lower("sigmoid")(_activation("sigmoid"))
lower("tanh")(_activation("tanh"))
lower("elu")(lambda step, ctx: _one(step, "ELU", alpha=lit(step.params["alpha"])))
lower("silu")(_activation("silu"))
lower("softplus")(_activation("softplus"))
lower("relu6")(lambda step, ctx: _one(step, "ReLU", max_value=lit(6.0)))
