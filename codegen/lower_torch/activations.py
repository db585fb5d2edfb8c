"""PyTorch lowerings of the activation layers."""

from __future__ import annotations

from codegen.backend import Ctx, Rendered
from codegen.emitter import Step
from codegen.lower_torch._common import _module, _self, _simple, lower
from codegen.pyfmt import call, lit
from graph.layers.activations import channel_axis


@lower("softmax")
def _softmax(step: Step, ctx: Ctx) -> Rendered:
    return _module(step, call("nn.Softmax", dim=lit(step.params["axis"])))


lower("relu")(_simple("nn.ReLU"))
lower("leaky_relu")(_simple("nn.LeakyReLU", negative_slope=lambda p: lit(p["negative_slope"])))
lower("sigmoid")(_simple("nn.Sigmoid"))
lower("tanh")(_simple("nn.Tanh"))
lower("gelu")(_simple("nn.GELU", approximate=lambda p: lit(p["approximate"])))
lower("elu")(_simple("nn.ELU", alpha=lambda p: lit(p["alpha"])))
lower("silu")(_simple("nn.SiLU"))
lower("softplus")(_simple("nn.Softplus"))
lower("relu6")(_simple("nn.ReLU6"))
lower("hard_swish")(_simple("nn.Hardswish"))


@lower("prelu")
def _prelu(step: Step, ctx: Ctx) -> Rendered:
    """One slope per channel; ``init=0.25`` is also the Keras script's initial value (its own default is 0)."""
    t = step.t
    channels = t.dims[channel_axis(t)]
    r = _module(step, call("nn.PReLU", num_parameters=lit(channels), init=lit(0.25)))
    if channel_axis(t) != 1:  # nn.PReLU learns its slopes along axis 1; a sequence's channels are last
        moved = call(_self(step), f"{step.x}.movedim(-1, 1)").flat()
        r.apply = [(step.var, f"{moved}.movedim(1, -1)")]
    return r
