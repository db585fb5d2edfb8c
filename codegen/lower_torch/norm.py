"""PyTorch lowerings of the normalisation layers (their default initial values agree with Keras)."""

from __future__ import annotations

from codegen.backend import Ctx, Rendered
from codegen.emitter import Step
from codegen.lower_torch._common import _module, _self, lower
from codegen.pyfmt import call, lit
from graph.layers.norm import norm_channel_axis


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


def _channels_second(step: Step, r: Rendered) -> Rendered:
    """nn.GroupNorm and nn.InstanceNorm group axis 1; a vector's or sequence's channels are its last axis."""
    t = step.t
    if t.rank > 2 and norm_channel_axis(t) != 1:
        to, back = ("transpose(1, 2)",) * 2 if t.rank == 3 else ("movedim(-1, 1)", "movedim(1, -1)")
        r.apply = [(step.var, call(_self(step), f"{step.x}.{to}").flat() + f".{back}")]
    return r


@lower("group_norm")
def _group_norm(step: Step, ctx: Ctx) -> Rendered:
    p, t = step.params, step.t
    channels = t.dims[norm_channel_axis(t)]
    expr = call("nn.GroupNorm", lit(p["groups"]), lit(channels), eps=lit(p["epsilon"]), affine=lit(True))
    return _channels_second(step, _module(step, expr))


@lower("instance_norm")
def _instance_norm(step: Step, ctx: Ctx) -> Rendered:
    """Always the sample's own statistics (track_running_stats=False), like Keras' GroupNormalization."""
    p, t = step.params, step.t
    channels = t.dims[norm_channel_axis(t)]
    cls = f"nn.InstanceNorm{t.rank - 2}d"
    kw = {"eps": lit(p["epsilon"]), "affine": lit(True), "track_running_stats": lit(False)}  # γ, β like Keras
    return _channels_second(step, _module(step, call(cls, lit(channels), **kw)))
