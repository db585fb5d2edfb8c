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
lower("hard_swish")(_activation("hard_swish"))  # x · relu6(x + 3) / 6, like nn.Hardswish


def _prelu_weights(step: Step, w: dict) -> list:
    """PyTorch's slopes (C,) → Keras' alpha (1, …, 1, C): the channels are last in Keras storage."""
    return [w["weight"].reshape((1,) * (step.t.rank - 2) + (-1,))]


@lower("prelu", weights=_prelu_weights)
def _prelu(step: Step, ctx: Ctx) -> Rendered:
    """One slope per channel (shared over every other axis), starting at PyTorch's 0.25 instead of Keras' 0."""
    kw = {"alpha_initializer": call("keras.initializers.Constant", lit(0.25))}
    if step.t.rank > 2:
        kw["shared_axes"] = lit(list(range(1, step.t.rank - 1)))
    return _one(step, "PReLU", **kw)
