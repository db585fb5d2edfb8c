"""PyTorch lowerings of the activation layers."""

from __future__ import annotations

from codegen.backend import Ctx, Rendered
from codegen.emitter import Step
from codegen.lower_torch._common import _module, _simple, lower
from codegen.pyfmt import call, lit


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
