"""PyTorch lowerings of the normalisation layers (their default initial values agree with Keras)."""

from __future__ import annotations

from codegen.backend import Ctx, Rendered
from codegen.emitter import Step
from codegen.lower_torch._common import _module, _self, lower
from codegen.pyfmt import call, lit


@lower("batch_norm")
def _batch_norm(step: Step, ctx: Ctx) -> Rendered:
    p, t = step.params, step.t
    cls = "nn.BatchNorm2d" if t.rank == 4 else "nn.BatchNorm1d"
    channels = t.dims[1] if t.channels_first else t.last
    kw = {"eps": lit(p["epsilon"]), "momentum": lit(p["momentum"])}
    r = _module(step, call(cls, lit(channels), **kw))
    if t.axes == ("N", "T", "F"):  # features are last in a sequence; BatchNorm1d wants them second
        r.apply = [(step.var, call(_self(step), f"{step.x}.transpose(1, 2)").flat() + ".transpose(1, 2)")]
    return r


@lower("layer_norm")
def _layer_norm(step: Step, ctx: Ctx) -> Rendered:
    shape = _norm_shape(step)
    return _module(step, call("nn.LayerNorm", lit(shape), eps=lit(step.params["epsilon"])))


def _norm_shape(step: Step):
    t = step.t
    return t.last if not t.channels_first else list(t.features)
