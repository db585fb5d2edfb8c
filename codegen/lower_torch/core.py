"""PyTorch lowerings of the core layers: Dense, Flatten, Reshape, Permute, Dropout, Embedding."""

from __future__ import annotations

from codegen.backend import Ctx, Rendered
from codegen.emitter import Step
from codegen.lower_torch._common import ACT_FN, _module, _self, glorot_init, lower
from codegen.pyfmt import call, lit


@lower("dense", init=glorot_init)
def _dense(step: Step, ctx: Ctx) -> Rendered:
    p = step.params
    kw = {} if p["use_bias"] else {"bias": "False"}
    r = _module(step, call("nn.Linear", lit(step.t.last), lit(p["units"]), **kw))
    act = p["activation"]
    if act in ("linear",) or step.fold:
        return r
    inner = call(_self(step), step.x)
    if act == "softmax":
        r.apply = [(step.var, call("torch.softmax", inner, dim="-1"))]
    else:
        if act in ("gelu", "elu"):
            ctx.imports.add("F")
        r.apply = [(step.var, call(ACT_FN[act], inner))]
    return r


@lower("flatten")
def _flatten(step: Step, ctx: Ctx) -> Rendered:
    return _module(step, call("nn.Flatten"))


@lower("reshape")
def _reshape(step: Step, ctx: Ctx) -> Rendered:
    dims = ", ".join(str(d) for d in step.out.features)
    return Rendered(apply=[(step.var, f"{step.x}.reshape(-1, {dims})")])


@lower("permute")
def _permute(step: Step, ctx: Ctx) -> Rendered:
    order = ", ".join(str(a) for a in step.params["order"])
    return Rendered(apply=[(step.var, f"{step.x}.permute(0, {order})")])


@lower("dropout")
def _dropout(step: Step, ctx: Ctx) -> Rendered:
    rate, axes = lit(step.params["rate"]), step.t.axes
    if step.params["spatial"] and axes == ("N", "C", "D", "H", "W"):
        return _module(step, call("nn.Dropout3d", p=rate))
    if step.params["spatial"] and axes == ("N", "C", "H", "W"):
        return _module(step, call("nn.Dropout2d", p=rate))
    if step.params["spatial"] and axes == ("N", "C", "L"):
        return _module(step, call("nn.Dropout1d", p=rate))
    if step.params["spatial"] and axes == ("N", "T", "F"):
        # Keras SpatialDropout1D drops whole features of a sequence: channels are last here.
        inner = call(_self(step), f"{step.x}.transpose(1, 2)")
        return _module(step, call("nn.Dropout1d", p=rate), f"{inner.flat()}.transpose(1, 2)")
    return _module(step, call("nn.Dropout", p=rate))


def _embedding_init(step: Step, ctx: Ctx) -> list:
    return [("", call("nn.init.uniform_", f"{_self(step)}.weight", "-0.05", "0.05"))]  # Keras' default


@lower("embedding", init=_embedding_init)
def _embedding(step: Step, ctx: Ctx) -> Rendered:
    p = step.params
    return _module(step, call("nn.Embedding", lit(p["input_dim"]), lit(p["output_dim"])))
